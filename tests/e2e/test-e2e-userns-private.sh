#!/bin/bash
# End-to-end: <user-namespace mode="private"/> under systemd, in the
# container of e2e_idmappable (the helper idmaps its root, /etc and /var;
# an overlay, the usual container's root, cannot be). A sandbox of the
# mode runs in a user namespace of its own whose maps are "0 BASE 65536",
# BASE its range's, read from its record (STATE_ROOT/NAME/userns): what it
# writes in /var lands in its state owned by BASE + the ID inside; the
# host's files show their real owners inside (and, seen from outside the
# namespace, through its root, BASE + theirs); its output reaches its
# unit's journal; a restart keeps its range; a second sandbox gets
# another; sandboxctl status says so. Then a real Debian service,
# redis-server, converted with the mode on, passes every client check of
# the services test (test-e2e-services.sh, E2E_USERNS=private).
# Skipped, saying why, where the mode is refused (a build without it).
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

POOL_FIRST=$((0x70000000))
POOL_END=$((0x7FFE0000))
SIZE=65536

# the service: writes in /var as root and, once, as another ID, says who
# it is and what owners it sees on the host's files (/etc/shadow is
# masked in every sandbox: /var/mail, root's and the group mail's, and
# one of the test's in /etc, 1234:42), and stays (a SIGHUP ends it: its
# reload command, as converted units' ExecReload=kill -HUP $MAINPID, says
# who it is and signals the service, PID 2 in the sandbox)
profile() {
        cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-ec</arg><arg>mkdir -p /var/lib/upriv; echo written >/var/lib/upriv/by-root; [ -e /var/lib/upriv/by-1234 ] || { echo written >/var/lib/upriv/by-1234; chown 1234:1235 /var/lib/upriv/by-1234; }; echo "upriv: uid=$(id -u) gid=$(id -g) owners=$(stat -c %u:%g /var/mail /etc/upriv-owned | tr '\n' ' ')"; exec sleep infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
  <exec-reload><arg>/bin/sh</arg><arg>-c</arg><arg>echo "upriv-reload: uid=$(id -u)"; kill -HUP 2</arg></exec-reload>
  <security><capabilities keep="CAP_CHOWN"/></security>
  <user-namespace mode="private"/>
</sandbox>
EOF
}
profile >"$TMP/upriv.xml"
# a build without the mode refuses the profile: nothing to test
if ! "$SANDBOXCTL" validate "$TMP/upriv.xml" >"$TMP/validate" 2>&1; then
        e2e_skip_all "<user-namespace mode=\"private\"/> is refused here: $(head -n 1 "$TMP/validate")"
fi

e2e_init
echo owned >"$TMP/upriv-owned"
e2e_file "$TMP/upriv-owned" /etc/upriv-owned
chown 1234:42 "$E2E_DIR/layer/etc/upriv-owned"
e2e_profile "$TMP/upriv.xml" upriv
e2e_profile "$TMP/upriv.xml" upriv2
e2e_idmappable
e2e_boot

c systemctl start sandbox@upriv.service 2>"$TMP/err"
if ! c systemctl is-active --quiet sandbox@upriv.service; then
        c journalctl -q --no-pager -u sandbox@upriv.service -o cat >"$TMP/journal" 2>&1
        # the helper of a build without the mode refuses it, saying so
        if grep -Eiq 'user.namespace.*(private|invalid|unknown|not supported)' "$TMP/journal"; then
                e2e_skip_all "the helper refuses the mode: $(grep -Ei 'user.namespace' "$TMP/journal" | head -n 1)"
        fi
fi
check_eq "sandbox@upriv, of <user-namespace mode=\"private\"/>, is active" \
        "$(c systemctl is-active sandbox@upriv.service)" active ||
        diag "$(cat "$TMP/err")" "$(c journalctl -q --no-pager -u sandbox@upriv.service -o cat | tail -n 15)"

STATE=$E2E_DIR/state
# record NAME: the range's record of sandbox NAME, on the host's disk
record() { cat "$STATE/$1/userns" 2>&1; }
# base NAME: its BASE
base() { record "$1" | awk '{ print $1 }'; }
# map PID FILE: /proc/PID/FILE in the container, one "IN OUT COUNT" a line
map() { c cat "/proc/$1/$2" | awk '{ print $1, $2, $3 }'; }
# owner PATH: "UID:GID" of PATH on the host
owner() { stat -c %u:%g "$1" 2>&1; }
# journal_line UNIT: the service's "upriv:" line in UNIT's journal (5 s)
journal_line() {
        local i
        for i in $(seq 50); do
                c journalctl -q --no-pager -u "$1" -o cat 2>/dev/null | grep '^upriv: ' | tail -n 1 | grep . && return 0
                sleep 0.1
        done
        return 1
}

BASE=$(base upriv)
check_eq "its record, STATE_ROOT/upriv/userns: BASE 65536 ready" "$(record upriv)" "$BASE $SIZE ready"
# (a number, for what follows, even where the record is wrong)
case $BASE in "" | *[!0-9]*) BASE=0 ;; esac
check "... BASE a multiple of 65536 in the pool [0x70000000, 0x7FFE0000)" \
        test "$BASE" -ge "$POOL_FIRST" -a "$((BASE + SIZE))" -le "$POOL_END" -a "$((BASE % SIZE))" = 0
PID=$(c_service_executed sandbox@upriv.service)
check_eq "the service's uid_map is 0 BASE 65536" "$(map "$PID" uid_map)" "0 $BASE $SIZE"
check_eq "... and its gid_map" "$(map "$PID" gid_map)" "0 $BASE $SIZE"
check_eq "... root inside is BASE on the host" "$(c stat -c %u:%g "/proc/$PID")" "$BASE:$BASE"

MAIL=$(owner /var/mail)
LINE=$(journal_line sandbox@upriv.service)
LINE=${LINE% }
check_eq "its output is in its unit's journal: root inside, and the host's files with their real owners (/var/mail, /etc/upriv-owned)" \
        "$LINE" "upriv: uid=0 gid=0 owners=$MAIL 1234:42"
check_eq "... as root entering its namespaces sees them too" \
        "$(c nsenter -t "$PID" -U -m stat -c %u:%g /var/mail /etc/upriv-owned 2>&1 | tr '\n' ' ')" "$MAIL 1234:42 "
check_eq "... and, from outside its user namespace, through its root: BASE + the owners (idmapped mounts)" \
        "$(c stat -c %u:%g "/proc/$PID/root/var/mail" "/proc/$PID/root/etc/upriv-owned" | tr '\n' ' ')" \
        "$((BASE + ${MAIL%:*})):$((BASE + ${MAIL#*:})) $((BASE + 1234)):$((BASE + 42)) "
check_eq "... the host's /etc/shadow is masked, as in every sandbox: an empty file of mode 0000" \
        "$(c nsenter -t "$PID" -U -m stat -c '%a %s' /etc/shadow 2>&1)" "0 0"

UPPER=$STATE/upriv/var/upper/lib/upriv
check_eq "a file root inside wrote in /var is owned on the host (its state's var/upper) by BASE" \
        "$(owner "$UPPER/by-root")" "$BASE:$BASE"
check_eq "... one it gave to 1234:1235, by BASE+1234:BASE+1235" \
        "$(owner "$UPPER/by-1234")" "$((BASE + 1234)):$((BASE + 1235))"
check_eq "... which inside are root's and 1234:1235" \
        "$(c nsenter -t "$PID" -U -m stat -c %u:%g /var/lib/upriv/by-root /var/lib/upriv/by-1234 2>&1 | tr '\n' ' ')" \
        "0:0 1234:1235 "
check "... and nothing of the host's /var was written" test ! -e /var/lib/upriv

check_eq "sandboxctl status: its user namespace's maps" \
        "$(c sandboxctl status upriv | grep '^ *users: ' | sed 's/^ *//')" \
        "users: a user namespace of its own: uid_map 0 $BASE $SIZE; gid_map 0 $BASE $SIZE"
check_eq "... and its range" "$(c sandboxctl status upriv | grep '^ *range: ' | sed 's/^ *//')" "range: $BASE-$((BASE + SIZE - 1)) (private)"
check_eq "sandboxctl status --json: user_namespace's mode, base and size" \
        "$(c sandboxctl status --json upriv | python3 -c 'import json, sys
u = json.load(sys.stdin)["user_namespace"]
print(u["mode"], u["base"], u["size"], u["uid_map"] == u["gid_map"])' 2>&1)" "private $BASE $SIZE True"

# a unit command joined to the sandbox (ExecReload=) is root inside too,
# and signals the service as a converted unit's reload does
c systemctl reload sandbox@upriv.service >/dev/null 2>&1
rc=$?
RELOAD=$(c journalctl -q --no-pager -u sandbox@upriv.service -o cat | grep '^upriv-reload: ' | tail -n 1)
if [ "$rc" = 0 ] && [ "$RELOAD" = "upriv-reload: uid=0" ]; then
        ok "systemctl reload: its ExecReload= runs as root inside and signals the service (kill -HUP)"
else
        not_ok "systemctl reload: its ExecReload= runs as root inside and signals the service (kill -HUP)"
        diag "reload: status $rc, $RELOAD" "$(c journalctl -q --no-pager -u sandbox@upriv.service -o cat | tail -n 3)"
fi

c systemctl restart sandbox@upriv.service
c_wait_active sandbox@upriv.service >/dev/null
PID=$(c_service_executed sandbox@upriv.service)
check_eq "a restart keeps the range: the record" "$(record upriv)" "$BASE $SIZE ready"
check_eq "... and the uid_map" "$(map "$PID" uid_map)" "0 $BASE $SIZE"
check_eq "... what it wrote before keeps its owner" "$(owner "$UPPER/by-1234")" "$((BASE + 1234)):$((BASE + 1235))"

c systemctl start sandbox@upriv2.service
c_wait_active sandbox@upriv2.service >/dev/null
BASE2=$(base upriv2)
case $BASE2 in "" | *[!0-9]*) BASE2=0 ;; esac
PID2=$(c_service_executed sandbox@upriv2.service)
check "a second sandbox gets another range: $BASE2, not $BASE" test -n "$BASE2" -a "$BASE2" != "$BASE"
check "... in the pool, not overlapping the first" \
        test "$BASE2" -ge "$POOL_FIRST" -a "$((BASE2 + SIZE))" -le "$POOL_END" -a "$((BASE2 % SIZE))" = 0 \
        -a \( "$BASE2" -ge "$((BASE + SIZE))" -o "$((BASE2 + SIZE))" -le "$BASE" \)
check_eq "... its uid_map" "$(map "$PID2" uid_map)" "0 $BASE2 $SIZE"
check_eq "... what it writes is owned by its own BASE" \
        "$(sleep 0.5; owner "$STATE/upriv2/var/upper/lib/upriv/by-1234")" "$((BASE2 + 1234)):$((BASE2 + 1235))"

e2e_stop

# (b) redis-server, converted with the mode on, through the services
# test's own checks, in a container of its own
diag "--- redis-server, converted with <user-namespace mode=\"private\"/>"
E2E_SERVICES=redis E2E_USERNS=private "$SOURCE_ROOT/tests/e2e/test-e2e-services.sh" >"$TMP/services.tap" 2>&1
rc=$?
while IFS= read -r line; do
        case $line in
        "ok "*" # SKIP"*) skip "redis, private: ${line#* - }" ;;
        "ok "*) ok "redis, private: ${line#* - }" ;;
        "not ok "*) not_ok "redis, private: ${line#* - }" ;;
        "1..0"*) skip "redis, private" "${line#*SKIP}" ;;
        "Bail out!"*) not_ok "redis, private: $line" ;;
        "#"*) echo "$line" ;;
        esac
done <"$TMP/services.tap"
check_eq "... the services test ran to its end" "$rc" 0 || diag "$(tail -n 5 "$TMP/services.tap")"

done_testing
