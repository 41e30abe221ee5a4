#!/bin/bash
# End-to-end: a unit's SystemCallFilter= is carried by sandboxctl convert
# as <system-calls>, read from the manager with its groups expanded, and
# the converted service is refused what the original was: an allow-list
# of @system-service without @privileged kills chown() with SIGSYS, in
# the original, in the sandbox and in a command joined to it; a
# deny-list with SystemCallErrorNumber=EACCES fails mkdir() with EACCES.
# Neither needs --accept-widening. A call with an errno of its own
# (SystemCallFilter=~mkdir:EACCES) cannot be carried: refused as a
# widening.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init

# redis-server.service's filter: @system-service, less @privileged and
# @resources; without SystemCallErrorNumber=, a refused call is killed
cat >"$TMP/scallow.service" <<'EOF2'
[Unit]
Description=A service with an allow-list of system calls

[Service]
Type=simple
User=nobody
Group=nogroup
ExecStart=/bin/sh -c 'cd /tmp && touch f && chown nobody f; echo "chown-status=$?"; mkdir d; echo "mkdir-status=$?"; exec sleep infinity'
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
SystemCallArchitectures=native
NoNewPrivileges=yes
PrivateTmp=yes
EOF2
cat >"$TMP/scdeny.service" <<'EOF2'
[Unit]
Description=A service with a deny-list of system calls and an errno

[Service]
Type=simple
ExecStart=/bin/sh -c 'mkdir /tmp/d; echo "mkdir-status=$?"; exec sleep infinity'
SystemCallFilter=~mkdir mkdirat
SystemCallErrorNumber=EACCES
PrivateTmp=yes
EOF2
cat >"$TMP/scown.service" <<'EOF2'
[Service]
Type=simple
ExecStart=/bin/sleep infinity
SystemCallFilter=~mkdir:EACCES
EOF2
for u in scallow scdeny scown; do
        e2e_file "$TMP/$u.service" "/etc/systemd/system/$u.service"
done
e2e_boot

# status_line UNIT KEY: the last "KEY=N" the unit's command wrote
status_line() {
        local i v
        for i in $(seq 50); do
                v=$(c journalctl -q -o cat -u "$1" 2>/dev/null | sed -n "s/^$2=//p" | tail -n 1)
                [ -n "$v" ] && echo "$v" && return
                sleep 0.1
        done
}

# --- the originals, under systemd's own filter ---

c systemctl start scallow.service scdeny.service
c_wait_active scallow.service
c_wait_active scdeny.service
check_eq "the original with @system-service ~@privileged: chown() killed by SIGSYS (status 128+31)" \
        "$(status_line scallow.service chown-status)" 159
check_eq "... mkdir() works" "$(status_line scallow.service mkdir-status)" 0
check_eq "the original with ~mkdir mkdirat and EACCES: mkdir fails (status 1)" "$(status_line scdeny.service mkdir-status)" 1
c systemctl stop scallow.service scdeny.service

# --- converted: carried, without --accept-widening ---

c sandboxctl convert scallow --output=- >"$TMP/out" 2>"$TMP/notes"
rc=$?
check_eq "convert of SystemCallFilter=@system-service and ~@privileged @resources: exit 0 without --accept-widening" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/notes")"
check "... carried as <system-calls allow=\"...\"/>, without errno= (a refused call kills)" \
        grep -Eq '^    <system-calls allow="[a-z_0-9 ]+"/>$' "$TMP/out"
names=$(sed -n 's/.*<system-calls allow="\([^"]*\)".*/\1/p' "$TMP/out")
check "... the allow-list has @system-service's calls: openat, read, clone" \
        bash -c 'for n in openat read clone; do [[ " $0 " == *" $n "* ]] || exit 1; done' "$names"
check "... and none of @privileged's or @resources': chown, fchownat, setuid, setrlimit, sched_setscheduler" \
        bash -c 'for n in chown fchownat setuid setrlimit sched_setscheduler; do [[ " $0 " != *" $n "* ]] || exit 1; done' "$names"
manager_names=$(c systemctl show -p SystemCallFilter --value scallow.service | tr ' ' '\n' | sort -u)
check "... the same names as the manager's SystemCallFilter= (${#names} characters)" \
        test "$(tr ' ' '\n' <<<"$names" | sort -u)" = "$manager_names"
check "... said in a note" grep -q 'SystemCallFilter=: carried as <system-calls>, allowing [0-9]* system calls; a refused call kills the process' "$TMP/out"
check "... nothing widened" bash -c '! grep -q "NOT CARRIED\|confine less" "$0" "$1"' "$TMP/out" "$TMP/notes"

c sandboxctl convert scallow --enable >"$TMP/out" 2>&1
rc=$?
check_eq "convert --enable: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@scallow)"
check "the profile is valid" c sandboxctl validate /etc/sandbox/profiles/scallow.xml
check_eq "sandbox@scallow is active" "$(c systemctl is-active sandbox@scallow)" active
check_eq "the sandboxed service: chown() killed by SIGSYS, as in the original" \
        "$(status_line sandbox@scallow chown-status)" 159
check_eq "... mkdir() works, as in the original" "$(status_line sandbox@scallow mkdir-status)" 0
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec scallow -- sh -c 'cd /tmp && touch g && chown nobody g; echo "joined-chown=$?"' </dev/null 2>&1)
check_eq "a command joined to it (sandboxctl exec): chown() killed by SIGSYS too" "$(sed -n 's/^joined-chown=//p' <<<"$out")" 159 ||
        diag "$out"
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec scallow -- sh -c 'id -un; echo "joined-ok=$?"' </dev/null 2>&1)
check_eq "... and runs what the allow-list has" "$(sed -n 's/^joined-ok=//p' <<<"$out")" 0 || diag "$out"

c sandboxctl convert scdeny --enable >"$TMP/out" 2>&1
rc=$?
check_eq "convert --enable of SystemCallFilter=~mkdir mkdirat, SystemCallErrorNumber=EACCES: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")"
check "... carried as <system-calls deny=\"mkdir mkdirat\" errno=\"EACCES\"/>" \
        c grep -Eq '<system-calls deny="(mkdir mkdirat|mkdirat mkdir)" errno="EACCES"/>' /etc/sandbox/profiles/scdeny.xml
check_eq "the sandboxed service: mkdir fails, as in the original" "$(status_line sandbox@scdeny mkdir-status)" 1
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec scdeny -- mkdir /tmp/e </dev/null 2>&1)
check "a joined mkdir fails with EACCES" grep -q "Permission denied" <<<"$out" || diag "$out"
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec scdeny -- sh -c 'ln -s x /tmp/l && echo linked' </dev/null 2>&1)
check "... a call the deny-list does not name works" grep -qx linked <<<"$out" || diag "$out"

# --- what cannot be carried ---

c sandboxctl convert scown --output=- >"$TMP/out" 2>"$TMP/notes"
check_eq "convert of SystemCallFilter=~mkdir:EACCES (an errno of its own): refused" "$?" 1
check "... one line that says why" \
        grep -q '^sandboxctl: convert: scown.service: SystemCallFilter=~mkdir:EACCES: mkdir:EACCES has an errno of its own, and <system-calls> one errno for all its calls; the profile would confine less than the unit' "$TMP/notes"
c sandboxctl convert scown --output=- --accept-widening >"$TMP/out" 2>/dev/null
check "... --accept-widening lists it as lost" grep -q 'SystemCallFilter=~mkdir:EACCES: NOT CARRIED' "$TMP/out"

e2e_stop
done_testing
