#!/bin/bash
# End-to-end: the escape classes under systemd, in the shape most Debian
# daemons take once converted: a root service whose unit does not
# restrict its capabilities, with a ReadWritePaths= outside /etc and /var.
# "sandboxctl convert" writes its profile; systemd starts it; the probes
# of tests/escape/ run once as the service itself (their reports land in
# its writable bind, read from outside) and once more through "sandboxctl
# exec", as an administrator would join it. Every attempt must fail, and
# what it aimed at is checked from outside the sandbox, in the container.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
if ! command -v cc >/dev/null; then
        echo "1..0 # SKIP no C compiler (cc) to build the probes"
        exit 0
fi

PROBES=/usr/local/lib/sandbox-escape
for src in "$SOURCE_ROOT"/tests/escape/*.c; do
        name=$(basename "$src" .c)
        [ "$name" = preload ] && continue
        if ! cc -std=gnu11 -O2 -Wall -o "$TMP/$name" "$src" 2>"$TMP/cc.log"; then
                echo "Bail out! cannot compile $src: $(head -n 5 "$TMP/cc.log")"
                exit 1
        fi
        e2e_file "$TMP/$name" "$PROBES/$name" 0755
done

# the attempts the service itself makes at its start, each report in its
# writable bind; then it waits, as a daemon would
cat >"$TMP/serve.sh" <<'EOF'
#!/bin/sh
P=/usr/local/lib/sandbox-escape
R=/srv/rootd/reports
mkdir -p "$R"
"$P/syslog" >"$R/syslog"
"$P/clock" >"$R/clock"
"$P/mknod" >"$R/mknod"
cat /root/escape-secret /etc/ssh/escape-sub/escape_key >"$R/secrets" 2>&1
"$P/tiocsti" >"$R/tiocsti"
"$P/file-caps" >"$R/file-caps"
mkdir -p /srv/rootd/setid
"$P/setid-bits" /srv/rootd/setid >"$R/setid-bits"
"$P/io-uring" >"$R/io-uring"
echo done >"$R/done"
exec sleep infinity
EOF
e2e_file "$TMP/serve.sh" "$PROBES/serve.sh" 0755

cat >"$TMP/rootd.service" <<EOF
[Unit]
Description=A root daemon as packages ship most of them

[Service]
ExecStart=$PROBES/serve.sh
ReadWritePaths=/srv/rootd

[Install]
WantedBy=multi-user.target
EOF
e2e_file "$TMP/rootd.service" /etc/systemd/system/rootd.service
e2e_file /dev/null /srv/rootd/.keep
echo "root's secret" >"$TMP/secret"
e2e_file "$TMP/secret" /root/escape-secret 0600
e2e_file "$TMP/secret" /etc/ssh/escape-sub/escape_key 0600

# the join race under systemd: a service that keeps CAP_SYS_PTRACE (an
# opt-in), without the default Landlock domain (which would refuse the
# climb on its own), watches /proc for processes that join it and tries
# /proc/PID/root of each to a file only the container's /run has
cat >"$TMP/watch.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <description>watches /proc for processes joining it</description>
  <exec><arg>$PROBES/join-watch</arg><arg>/run/escape-marker</arg></exec>
  <security>
    <capabilities keep-unsafe="CAP_SYS_PTRACE"/>
    <landlock default="no"/>
  </security>
</sandbox>
EOF
e2e_profile "$TMP/watch.xml" watch
e2e_boot

# report FILE KEY: the result of step KEY in report FILE, read from outside
report() {
        c cat "/srv/rootd/reports/$1" 2>/dev/null | awk -v k="$2" '$1 == k { print $2; exit }'
}

# one_of VALUE ALLOWED...: VALUE is one of ALLOWED
one_of() {
        local v=$1 a
        shift
        for a; do [ "$v" = "$a" ] && return 0; done
        return 1
}

c sandboxctl convert rootd --output=/etc/sandbox/profiles/rootd.xml 2>"$TMP/notes"
check_eq "convert of a root unit without CapabilityBoundingSet=: exit 0" "$?" 0
profile=$(c cat /etc/sandbox/profiles/rootd.xml)
keep=$(sed -n 's/.*<capabilities keep="\([^"]*\)".*/\1/p' <<<"$profile")
check "... it keeps capabilities (a root daemon's)" [ -n "$keep" ]
for cap in CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_MKNOD CAP_SYS_RAWIO CAP_SYS_MODULE CAP_SYSLOG CAP_SYS_TIME \
        CAP_DAC_READ_SEARCH CAP_BPF CAP_PERFMON CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_SYS_BOOT CAP_NET_ADMIN \
        CAP_SETFCAP CAP_AUDIT_CONTROL; do
        check "... but not $cap, which defeats the mount namespace" eval '! grep -qw "$cap" <<<"$keep"'
        check "... and its comment says $cap was left out" eval 'grep -v "keep=" <<<"$profile" | grep -qw "$cap"'
done

c systemctl daemon-reload
c systemctl start sandbox@rootd
check_eq "sandbox@rootd is active" "$(c systemctl is-active sandbox@rootd)" active
for _ in $(seq 100); do
        c test -e /srv/rootd/reports/done && break
        sleep 0.1
done
if c test -e /srv/rootd/reports/done; then
        ok "the service ran its attempts"
else
        not_ok "the service ran its attempts"
        diag "$(c journalctl -u sandbox@rootd --no-pager | tail -n 20)"
fi

# the service's own attempts
check "service: syslog(2) reads no kernel log" one_of "$(report syslog syslog-read-all)" EPERM
check "service: setting the clock is refused" one_of "$(report clock clock-settime)" EPERM
check "service: no device node of the host's disk" one_of "$(report mknod mknod-disk)" EPERM
check "service: no file capabilities on a file it made" one_of "$(report file-caps setxattr-tmp)" EPERM
for k in chmod:suid fchmod:suid open-creat:suid chmod:sgid mknod:suid; do
        check "service: set-ID bits in its writable bind ($k) are refused" one_of "$(report setid-bits "$k")" EPERM
done
check_eq "... and no set-ID file is in the bind, seen from outside" \
        "$(c find /srv/rootd/setid -perm /6000 -type f)" ""
check "service: io_uring is refused" one_of "$(report io-uring io-uring-setup)" EPERM
secrets=$(c cat /srv/rootd/reports/secrets)
check "service: /root is masked (it read nothing of /root/escape-secret)" eval '! grep -q "root.s secret" <<<"$secrets"'
check "service: a private key in a subdirectory of /etc/ssh is masked (empty)" \
        eval 'grep -qx "cat: /root/escape-secret: .*" <<<"$secrets" && [ "$(wc -l <<<"$secrets")" = 1 ]'

# the same through sandboxctl exec, as an administrator's shell runs it
admin() {
        c systemd-run --quiet --wait --pipe --collect --service-type=exec "$@"
}
# joined KEY PROBE [ARGUMENT...]: the result of step KEY of PROBE run
# through sandboxctl exec
joined() {
        local key=$1
        shift
        admin sandboxctl exec rootd -- "$PROBES/$1" "${@:2}" </dev/null | awk -v k="$key" '$1 == k { print $2; exit }'
}
check "exec: syslog(2) reads no kernel log" one_of "$(joined syslog-read-all syslog)" EPERM
check "exec: setting the clock is refused" one_of "$(joined clock-settime clock)" EPERM
check "exec: no device node of the host's disk" one_of "$(joined mknod-disk mknod)" EPERM
check_eq "exec: /root and the keys below /etc/ssh are masked" \
        "$(admin sandboxctl exec rootd -- /bin/sh -c 'cat /root/escape-secret /etc/ssh/escape-sub/escape_key 2>/dev/null; echo end' </dev/null)" end

c systemctl stop sandbox@rootd
check_eq "stop: inactive" "$(c systemctl is-active sandbox@rootd)" inactive

c sh -c 'echo host >/run/escape-marker'
c systemctl start sandbox@watch
c_service_executed sandbox@watch >/dev/null
failed=0
for _ in $(seq 50); do
        admin sandboxctl exec watch -- /bin/true </dev/null >/dev/null 2>&1 || failed=$((failed + 1))
done
check_eq "join race: 50 sandboxctl exec of a sandbox that watches for them" "$failed" 0
c systemctl stop sandbox@watch
watched=$(c journalctl -u sandbox@watch --no-pager -o cat)
seen=$(awk '$1 == "new-pids" { print $2 }' <<<"$watched")
check "join race: the service saw the joining processes (${seen:-none})" [ "${seen:-0}" -gt 0 ]
check_eq "join race: none with a capability beyond the service's" \
        "$(awk '$1 == "caps-beyond" { print $2 }' <<<"$watched")" 0
check_eq "join race: none led it to the container's /run through /proc/PID/root" \
        "$(awk '$1 == "marker-reached" { print $2 }' <<<"$watched")" 0

done_testing
