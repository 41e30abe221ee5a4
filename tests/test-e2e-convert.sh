#!/bin/bash
# End-to-end: sandboxctl convert reads a unit from systemd and writes a
# profile that keeps the service working; --enable swaps the unit for its
# sandbox, and rolls back when the sandbox does not become active; bad
# input (unknown unit, template, oneshot, socket-activated, masked, a
# shell command line with variables) gets one clear line and no profile.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/e2e/lib.sh"

e2e_init

# a web server the way a package would ship it: its own user, a state
# directory, an environment file, a ReadWritePaths= outside /etc and /var
cat >"$TMP/webapp.service" <<'EOF'
[Unit]
Description=Web app serving its state directory

[Service]
Type=simple
User=nobody
Group=nogroup
EnvironmentFile=-/etc/default/webapp
Environment=PYTHONUNBUFFERED=1
ExecStartPre=/bin/true
ExecStart=/usr/bin/python3 -m http.server --bind 127.0.0.1 $WEBAPP_PORT --directory /var/lib/webapp
ExecReload=/bin/kill -HUP $MAINPID
StateDirectory=webapp
RuntimeDirectory=webapp
RuntimeDirectoryMode=0750
ReadWritePaths=/srv/webapp
MemoryMax=200M
Restart=on-failure
TimeoutStopSec=7
UMask=0027
SystemCallFilter=@system-service
ProtectSystem=strict

[Install]
WantedBy=multi-user.target
EOF
e2e_file "$TMP/webapp.service" /etc/systemd/system/webapp.service
printf 'WEBAPP_PORT=8123\n' >"$TMP/webapp.default"
e2e_file "$TMP/webapp.default" /etc/default/webapp
mkdir -p "$TMP/srv"
e2e_file /dev/null /srv/webapp/.keep

# bad input
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$TMP/job.service"
e2e_file "$TMP/job.service" /etc/systemd/system/job.service
printf '[Service]\nExecStart=/bin/sh -c "exec sleep $DELAY"\n' >"$TMP/shellvar.service"
e2e_file "$TMP/shellvar.service" /etc/systemd/system/shellvar.service
printf '[Socket]\nListenStream=127.0.0.1:8124\n' >"$TMP/sockact.socket"
e2e_file "$TMP/sockact.socket" /etc/systemd/system/sockact.socket
printf '[Service]\nExecStart=/bin/sleep infinity\n' >"$TMP/sockact.service"
e2e_file "$TMP/sockact.service" /etc/systemd/system/sockact.service
printf '[Service]\nExecStart=/bin/sleep %%i\n' >"$TMP/tmpl.service"
e2e_file "$TMP/tmpl.service" "/etc/systemd/system/tmpl@.service"
printf '[Service]\nExecStart=/bin/false\n[Install]\nWantedBy=multi-user.target\n' >"$TMP/broken.service"
e2e_file "$TMP/broken.service" /etc/systemd/system/brokenapp.service
e2e_boot

c systemctl enable --now webapp.service >/dev/null 2>&1
c systemctl start sockact.socket
c systemctl mask --quiet masked-one.service 2>/dev/null
c systemctl daemon-reload
check_eq "the original serves" "$(c curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8123/)" 200

# convert --output=-: the profile, and the notes on stderr
out=$(c sandboxctl convert webapp --output=- 2>"$TMP/notes")
check_eq "convert --output=-: exit 0" "$?" 0
check "the command, with \$WEBAPP_PORT from the EnvironmentFile" grep -q '<arg>8123</arg>' <<<"$out"
check "its user and group" grep -q '<exec user="nobody" group="nogroup"' <<<"$out"
check "its environment" grep -q '<env name="PYTHONUNBUFFERED" value="1"/>' <<<"$out"
check "the /etc and /var overlays (StateDirectory= is in /var)" grep -q '<var mode="overlay"/>' <<<"$out"
check "RuntimeDirectory= in the sandbox's own /run" grep -q '<runtime-directory name="webapp" mode="0750"/>' <<<"$out"
check "ReadWritePaths= outside /etc and /var: a writable bind" grep -q '<bind source="/srv/webapp" readonly="no"/>' <<<"$out"
check "no capability for a non-root user without ambient ones" grep -q '<capabilities keep=""/>' <<<"$out"
check "MemoryMax= as memory" grep -q 'memory="209715200"' <<<"$out"
check "restart" grep -q 'restart="on-failure"' <<<"$out"
check "autostart through sandbox.target" grep -q '<install wanted-by="sandbox.target"/>' <<<"$out"
check "ExecStartPre= listed in the profile's comment" grep -q 'ExecStartPre=/bin/true: not run' <<<"$out"
check "... and on stderr" grep -q 'webapp.service: ExecStartPre=/bin/true' "$TMP/notes"
check "ExecReload= listed" grep -q 'ExecReload=' "$TMP/notes"
check "TimeoutStopSec= as timeout-stop-sec" grep -q 'timeout-stop-sec="7000ms"' <<<"$out"
check "UMask= listed" grep -q 'UMask=0027: not set' "$TMP/notes"
check "the unit's own hardening listed (SystemCallFilter=, ProtectSystem=)" \
        grep -q 'SystemCallFilter=@\|SystemCallFilter=.*: the unit.s own hardening' "$TMP/notes"
check "... ProtectSystem=" grep -q 'ProtectSystem=strict: the sandbox.s root is read-only anyway' "$TMP/notes"
check_eq "--output=- writes no profile" "$(c ls /etc/sandbox/profiles 2>/dev/null | grep -c webapp)" 0

# --enable: the sandbox takes the unit's place
c sandboxctl convert webapp.service --enable >"$TMP/out" 2>&1
rc=$?
check_eq "convert --enable: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@webapp)"
check "the profile is in /etc/sandbox/profiles" c test -f /etc/sandbox/profiles/webapp.xml
check_eq "sandbox@webapp is active" "$(c systemctl is-active sandbox@webapp)" active
check_eq "webapp.service is inactive" "$(c systemctl is-active webapp.service)" inactive
check_eq "webapp.service is disabled" "$(c systemctl is-enabled webapp.service)" disabled
ok_serving=
for _ in $(seq 50); do
        [ "$(c curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8123/)" = 200 ] && ok_serving=1 && break
        sleep 0.1
done
check "the sandbox serves on the same port" [ -n "$ok_serving" ]
check_eq "the service runs as nobody" "$(c ps -o user= -C python3)" nobody
check_eq "its /run/webapp is made in the sandbox, nobody's, 0750" \
        "$(in_sandbox sandbox@webapp stat -c '%U %G %a' /run/webapp)" "nobody nogroup 750"
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec webapp -- touch /usr/probe </dev/null 2>&1)
check "the host's /usr is read-only for it" grep -q "Read-only file system" <<<"$out" || diag "$out"

# a second conversion does not overwrite
c sandboxctl convert webapp >/dev/null 2>"$TMP/err"
check_eq "convert again without --replace: refused" "$?" 1
check "... naming the existing profile" grep -q "already has a profile, /etc/sandbox/profiles/webapp.xml; --replace" "$TMP/err"

# a root unit without CapabilityBoundingSet=, as the manager loads it (it
# reports every capability): none that reaches past the sandbox is kept,
# and the comment names each one left out
UNSAFE="CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_MKNOD CAP_SYS_RAWIO CAP_SYS_MODULE CAP_SYSLOG CAP_SYS_TIME
        CAP_DAC_READ_SEARCH CAP_BPF CAP_PERFMON CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_SYS_BOOT CAP_SETFCAP
        CAP_AUDIT_CONTROL CAP_NET_ADMIN"
out=$(c sandboxctl convert brokenapp --output=- 2>/dev/null)
keep=$(sed -n 's/.*<capabilities keep="\([^"]*\)".*/\1/p' <<<"$out")
check "a root unit without CapabilityBoundingSet=: keep= has the others (CAP_CHOWN, CAP_SETUID)" \
        sh -c 'case " $0 " in *" CAP_CHOWN "*" CAP_SETUID "*) exit 0;; esac; exit 1' "$keep"
wrong=
for cap in $UNSAFE; do
        if grep -qw "$cap" <<<"$keep" || ! grep -q "^ *$cap left out: it lets the service " <<<"$out"; then
                wrong+=" $cap"
        fi
done
check_eq "... none of the capabilities that reach past the sandbox in it, each named in the comment" "$wrong" ""
check "... and no keep-unsafe=" bash -c '! grep -q "<capabilities .*keep-unsafe=" <<<"$0"' "$out"

# rollback: a unit whose sandbox cannot start
c systemctl enable --now brokenapp.service >/dev/null 2>&1
c sandboxctl convert brokenapp --enable >"$TMP/out" 2>&1
check_eq "convert --enable of a service that fails: exit 1" "$?" 1
check "it says so, and rolls back" grep -q "did not become active.*Rolling back" "$TMP/out"
check_eq "the original is enabled again" "$(c systemctl is-enabled brokenapp.service)" enabled
check "the profile is moved aside" c test -f /etc/sandbox/profiles/brokenapp.xml.rejected
check "and is not on the search path" c test ! -e /etc/sandbox/profiles/brokenapp.xml

# bad input: one line each, no profile
bad() { # bad DESCRIPTION PATTERN UNIT
        local out rc
        out=$(c sandboxctl convert "$3" 2>&1)
        rc=$?
        if [ "$rc" -eq 1 ] && grep -q "$2" <<<"$out" && ! c test -e "/etc/sandbox/profiles/${3%.service}.xml"; then
                ok "$1"
        else
                not_ok "$1"
                diag "status $rc" "$out"
        fi
}
bad "an unknown unit" "no-such-unit.service: no such unit" no-such-unit
bad "a template without instance" "is a template; give one of its instances" "tmpl@.service"
bad "a oneshot" "Type=oneshot runs once" job
bad "a socket-activated unit" "socket-activated" sockact
bad "a masked unit" "masked; unmask it first" masked-one
bad "a shell command line with variables" "runs a shell command line with variables" shellvar
c sandboxctl convert webapp.socket >/dev/null 2>"$TMP/err"
check "not a service: refused" grep -q "is not a service unit" "$TMP/err"
check_eq "no profile was left half-written" "$(c sh -c 'ls -A /etc/sandbox/profiles | grep -v "^webapp.xml$\|^brokenapp.xml.rejected$"')" ""

done_testing
