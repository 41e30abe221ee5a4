#!/bin/bash
# End-to-end: sandboxctl convert reads a unit from systemd and writes a
# profile that keeps the service working; --enable swaps the unit for its
# sandbox, and rolls back when the sandbox does not become active; bad
# input (unknown unit, template, oneshot, a socket with Accept=yes,
# masked) gets one clear line and no profile.
# What the converted service runs (its argv, and its environment from an
# EnvironmentFile=) is compared with what systemd runs for the original,
# and with what "sandboxctl run" runs; an EnvironmentFile= stays a
# reference and its secrets stay out of the profile; a setting that
# confines and that a profile cannot carry refuses the conversion; the
# writes through a ReadWritePaths= reach the host's path; a runtime
# directory, from RuntimeDirectory= or from a socket the running original
# listens on, is shared with the host at /run/NAME. What Debian ships
# converts: a shell ExecStart= with variables from an EnvironmentFile=,
# read at every start; a socket-activated service, whose socket starts
# the sandbox and passes it its descriptor; an instance of a template.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init

# a web server the way a package would ship it: its own user, a state
# directory, an environment file, a ReadWritePaths= outside /etc and /var
cat >"$TMP/webapp.service" <<'EOF'
[Unit]
Description=Web app serving its state directory
After=time-sync.target
Wants=time-sync.target

[Service]
Type=simple
User=nobody
Group=nogroup
EnvironmentFile=-/etc/default/webapp
Environment=PYTHONUNBUFFERED=1 WEBAPP_PORT=8123
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
LimitNOFILE=4096
SetCredential=webapp-mode:serving files
SystemCallFilter=@system-service
ProtectSystem=strict

[Install]
WantedBy=multi-user.target
EOF
e2e_file "$TMP/webapp.service" /etc/systemd/system/webapp.service
# a secret, for root's eyes only
printf 'WEBAPP_TOKEN=s3cret-token\n' >"$TMP/webapp.default"
e2e_file "$TMP/webapp.default" /etc/default/webapp 0600
e2e_file /dev/null /srv/webapp/.keep

# dump: writes its argv and the T_* variables of its environment to
# /srv/dump/out (its ReadWritePaths=), then stays.
# Its command line has what systemd resolves itself (C escapes,
# specifiers, "$$", "$VAR" and "${VAR}" from Environment=); its
# environment file has the cases of systemd's parser.
cat >"$TMP/dump-argv" <<'EOF'
#!/usr/bin/python3
import os, sys, time
out = sys.argv[1]
with open(out + ".tmp", "w") as f:
    for a in sys.argv[2:]:
        f.write("arg " + repr(a) + "\n")
    for k in sorted(os.environ):
        if k.startswith("T_"):
            f.write("env " + k + "=" + repr(os.environ[k]) + "\n")
os.rename(out + ".tmp", out)
while True:
    time.sleep(3600)
EOF
e2e_file "$TMP/dump-argv" /usr/local/bin/dump-argv 0755
cat >"$TMP/dump.service" <<'EOF'
[Service]
User=nobody
Environment=T_WORD=w "T_OPTS=-a -b 'c d'" T_OVERRIDE=from-unit
EnvironmentFile=/etc/default/dump
ExecStart=/usr/bin/python3 /usr/local/bin/dump-argv /srv/dump/out \x41 "%h" %i %% $$ $${T_WORD} ${T_WORD} $T_OPTS a$T_WORD ${T_WORD}x "q ${T_WORD} q" ${T_WORD:-d} \u00e9 '\101' \t
ReadWritePaths=/srv/dump
EOF
e2e_file "$TMP/dump.service" /etc/systemd/system/dump.service
# the last line without its newline
printf '%s' "$(cat <<'EOF'
T_PLAIN=plain value   
T_DQ="a \" \$ \` \\ \n b"
T_SQ='single \ quoted'
T_MIX=a"b c"'d e'f
T_CONT=first\
second
# a comment \
T_AFTER_COMMENT=yes
export T_EXPORT=1
T_BAD KEY=1
T_EMPTY=
  T_SPACES  =  v  
;T_SEMI=1
T_NOEQ
T_OVERRIDE=from-file
T_UNICODE=é
T_LAST=no newline at the end
EOF
)" >"$TMP/dump.default"
e2e_file "$TMP/dump.default" /etc/default/dump 0600
e2e_file /dev/null /srv/dump/.keep

# sockd: makes its socket in /run/sockd, a directory made by hand (no
# RuntimeDirectory=, no tmpfiles.d line): convert finds it from the
# socket the running original listens on
cat >"$TMP/sockd" <<'EOF'
#!/usr/bin/python3
import os, socket, sys
path = sys.argv[1]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(4)
while True:
    c, _ = s.accept()
    c.sendall(b"pong from uid %d\n" % os.getuid())
    c.close()
EOF
e2e_file "$TMP/sockd" /usr/local/bin/sockd 0755
printf '[Service]\nUser=nobody\nGroup=nogroup\nExecStart=/usr/local/bin/sockd /run/sockd/sock\n' >"$TMP/sockd.service"
e2e_file "$TMP/sockd.service" /etc/systemd/system/sockd.service

# an EnvironmentFile= that is not a regular file
printf '[Service]\nEnvironmentFile=/dev/zero\nExecStart=/bin/sleep infinity\n' >"$TMP/zeroenv.service"
e2e_file "$TMP/zeroenv.service" /etc/systemd/system/zeroenv.service
# settings that confine, which a profile cannot carry
printf '[Service]\nExecStart=/bin/sleep infinity\nIPAddressDeny=any\nIPAddressAllow=10.0.0.0/8\nLimitNOFILE=64\nTemporaryFileSystem=/srv/t:ro\n' \
        >"$TMP/narrow.service"
e2e_file "$TMP/narrow.service" /etc/systemd/system/narrow.service
# IPAddressDeny=any with the loopback allowed: a network of its own
printf '[Service]\nExecStart=/bin/sleep infinity\nIPAddressDeny=any\nIPAddressAllow=localhost\n' >"$TMP/nonet.service"
e2e_file "$TMP/nonet.service" /etc/systemd/system/nonet.service

# Environment= in a drop-in that only root can read
printf '[Service]\nExecStart=/bin/sleep infinity\n' >"$TMP/secretenv.service"
e2e_file "$TMP/secretenv.service" /etc/systemd/system/secretenv.service
printf '[Service]\nEnvironment=TOKEN=s3cret-dropin\n' >"$TMP/secretenv.conf"
e2e_file "$TMP/secretenv.conf" /etc/systemd/system/secretenv.service.d/token.conf 0600

# bad input
printf '[Service]\nType=oneshot\nExecStart=/bin/true\n' >"$TMP/job.service"
e2e_file "$TMP/job.service" /etc/systemd/system/job.service
# a shell's command line with the shell's own $X, and a $Y alone that
# only the EnvironmentFile= sets (as Debian's mariadb and ssh have them)
cat >"$TMP/shellvar.service" <<'EOF'
[Service]
EnvironmentFile=/etc/default/shellvar
ReadWritePaths=/srv/shellvar
ExecStart=/bin/sh -c 'echo "$X" "$1" >/srv/shellvar/out.tmp; mv /srv/shellvar/out.tmp /srv/shellvar/out; exec sleep infinity' sh $Y
EOF
e2e_file "$TMP/shellvar.service" /etc/systemd/system/shellvar.service
printf 'X=one\nY=y-s3cret\n' >"$TMP/shellvar.default"
e2e_file "$TMP/shellvar.default" /etc/default/shellvar 0600
e2e_file /dev/null /srv/shellvar/.keep
# socket activation: the service accepts on the socket systemd passes
# (fd 3) and answers with its PID, the LISTEN_* variables it got and the
# descriptors it had at its start
printf '[Socket]\nListenStream=127.0.0.1:8124\n[Install]\nWantedBy=sockets.target\n' >"$TMP/sockact.socket"
e2e_file "$TMP/sockact.socket" /etc/systemd/system/sockact.socket
printf '[Service]\nUser=nobody\nExecStart=/usr/local/bin/sock-answer\n' >"$TMP/sockact.service"
e2e_file "$TMP/sockact.service" /etc/systemd/system/sockact.service
cat >"$TMP/sock-answer" <<'EOF'
#!/usr/bin/python3
import os, socket
def is_open(f):
    try:
        os.readlink("/proc/self/fd/" + f)
        return True
    except OSError:
        return False
# (the directory's own descriptor is closed once it is listed)
fds = ",".join(sorted((f for f in os.listdir("/proc/self/fd") if is_open(f)), key=int))
s = socket.socket(fileno=3)
while True:
    c, _ = s.accept()
    e = os.environ
    c.sendall(("%d %s %s %s %s\n" % (os.getpid(), e.get("LISTEN_PID"), e.get("LISTEN_FDS"), e.get("LISTEN_FDNAMES"), fds)).encode())
    c.close()
EOF
e2e_file "$TMP/sock-answer" /usr/local/bin/sock-answer 0755
printf '[Socket]\nListenStream=127.0.0.1:8125\nAccept=yes\n' >"$TMP/peraccept.socket"
e2e_file "$TMP/peraccept.socket" /etc/systemd/system/peraccept.socket
printf '[Service]\nExecStart=/bin/cat\nStandardInput=socket\n' >"$TMP/peraccept.service"
e2e_file "$TMP/peraccept.service" "/etc/systemd/system/peraccept@.service"
printf '[Unit]\nDescription=Sleeper %%I\n[Service]\nExecStart=/bin/sleep %%i\n' >"$TMP/tmpl.service"
e2e_file "$TMP/tmpl.service" "/etc/systemd/system/tmpl@.service"
printf '[Service]\nExecStart=/bin/false\n[Install]\nWantedBy=multi-user.target\n' >"$TMP/broken.service"
e2e_file "$TMP/broken.service" /etc/systemd/system/brokenapp.service
# a drop-in read after the stand-in's (its name sorts later) that gives
# the original a command again
printf '[Service]\nExecStart=/bin/sleep infinity\n' >"$TMP/late.service"
e2e_file "$TMP/late.service" /etc/systemd/system/lateapp.service
printf '[Service]\nExecStartPost=/bin/true\n' >"$TMP/late.conf"
e2e_file "$TMP/late.conf" /etc/systemd/system/lateapp.service.d/zz-late.conf
# settings that confine and that no profile has
printf '[Service]\nExecStart=/bin/sleep infinity\nRootImage=/srv/image.raw\nSecureBits=noroot\nSmackProcessLabel=web\n' >"$TMP/image.service"
e2e_file "$TMP/image.service" /etc/systemd/system/imageapp.service
e2e_boot

c chown nobody /srv/webapp /srv/dump
c systemctl enable --now webapp.service >/dev/null 2>&1
c systemctl start sockact.socket
c systemctl mask --quiet masked-one.service 2>/dev/null
c systemctl daemon-reload
check_eq "the original serves" "$(c curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8123/)" 200

# SystemCallFilter= is carried (<system-calls>, test-e2e-system-calls.sh),
# UMask= and LimitNOFILE= are <unit-setting>s: nothing is widened
c sandboxctl convert webapp --output=- >"$TMP/out" 2>"$TMP/notes"
check_eq "convert of a unit with SystemCallFilter= and UMask=0027: exit 0 without --accept-widening" "$?" 0
check "... SystemCallFilter= carried as <system-calls>" grep -Eq '^    <system-calls allow="[a-z_0-9 ]+"/>$' "$TMP/out"
check "... nothing refused or lost" bash -c '! grep -q "NOT CARRIED\|confine less\|UMask\|LimitNOFILE" "$0"' "$TMP/notes"

# --accept-widening: converted, each setting lost listed
out=$(c sandboxctl convert webapp --accept-widening --output=- 2>"$TMP/notes")
check_eq "convert --accept-widening --output=-: exit 0" "$?" 0
check "the command, with \$WEBAPP_PORT, which the EnvironmentFile= may set over Environment=, left to systemd" \
        grep -qF '<arg expand="yes">$WEBAPP_PORT</arg>' <<<"$out"
check "its user and group" grep -q '<exec user="nobody" group="nogroup"' <<<"$out"
check "its environment" grep -q '<env name="PYTHONUNBUFFERED" value="1"/>' <<<"$out"
check "the EnvironmentFile= a reference, optional as its \"-\" says" \
        grep -q '<environment-file path="/etc/default/webapp" optional="yes"/>' <<<"$out"
check "the 0600 file's secret is not in the profile" bash -c '! grep -q s3cret <<<"$0"' "$out"
check "... nor in the notes" bash -c '! grep -q s3cret "$0"' "$TMP/notes"
check "the /etc and /var overlays (StateDirectory= is in /var)" grep -q '<var mode="overlay"/>' <<<"$out"
check "RuntimeDirectory= shared with the host at /run/webapp" \
        grep -q '<runtime-directory name="webapp" mode="0750" share="host"/>' <<<"$out"
check "ReadWritePaths= outside /etc and /var: a writable bind" grep -q '<bind source="/srv/webapp" readonly="no"/>' <<<"$out"
check "no capability for a non-root user without ambient ones" grep -q '<capabilities keep=""/>' <<<"$out"
check "MemoryMax= as memory" grep -q 'memory="209715200"' <<<"$out"
check "restart" grep -q 'restart="on-failure"' <<<"$out"
check "autostart through sandbox.target" grep -q '<install wanted-by="sandbox.target"/>' <<<"$out"
check "ExecStartPre= carried, to run in the sandbox" grep -q '<exec-start-pre><arg>/bin/true</arg></exec-start-pre>' <<<"$out"
check "ExecReload= carried, \$MAINPID left for the join" \
        grep -q '<exec-reload><arg>/bin/kill</arg><arg>-HUP</arg><arg>\$MAINPID</arg></exec-reload>' <<<"$out"
check "... the pre-start command said to run as the service does" \
        grep -q 'ExecStartPre=/bin/true: runs in the sandbox as the service does' "$TMP/notes"
check "... and neither listed as dropped" bash -c '! grep -q "ExecReload=\|: not run" "$0"' "$TMP/notes"
check "TimeoutStopSec= as timeout-stop-sec" grep -q 'timeout-stop-sec="7000ms"' <<<"$out"
check "UMask= carried" grep -qx '  <unit-setting section="Service" name="UMask" value="0027"/>' <<<"$out"
check "LimitNOFILE=4096 carried, soft and hard, as the manager loaded it" \
        grep -qx '  <unit-setting section="Service" name="LimitNOFILE" value="4096:4096"/>' <<<"$out"
check "SetCredential= carried, as the manager has it" \
        grep -qx '  <unit-setting section="Service" name="SetCredential" value="webapp-mode:serving files"/>' <<<"$out"
check "After= and Wants= carried, without systemd's default dependencies" bash -c \
        'grep -qx "  <unit-setting section=\"Unit\" name=\"After\" value=\"[^\"]*time-sync.target[^\"]*\"/>" <<<"$0" &&
         grep -qx "  <unit-setting section=\"Unit\" name=\"Wants\" value=\"time-sync.target\"/>" <<<"$0" &&
         ! grep -q "sysinit.target\|basic.target\|system.slice\|shutdown.target" <<<"$0"' "$out"
check "SystemCallFilter= carried, not listed as lost" bash -c \
        'grep -q "<system-calls allow=" <<<"$0" && ! grep -q "SystemCallFilter=.*: NOT CARRIED" <<<"$0"' "$out"
check "ProtectSystem= done by the sandbox" grep -q 'ProtectSystem=strict: done by the sandbox' "$TMP/notes"
check_eq "--output=- writes no profile" "$(c ls /etc/sandbox/profiles 2>/dev/null | grep -c webapp)" 0

# --enable: the sandbox takes the unit's place
c sandboxctl convert webapp.service --accept-widening --enable >"$TMP/out" 2>&1
rc=$?
check_eq "convert --enable: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@webapp)"
check "the profile is in /etc/sandbox/profiles" c test -f /etc/sandbox/profiles/webapp.xml
check "... and valid" c sandboxctl validate /etc/sandbox/profiles/webapp.xml
check_eq "... mode 0644, root's" "$(c stat -c '%a %U' /etc/sandbox/profiles/webapp.xml)" "644 root"
check "... without the secret" c sh -c '! grep -q s3cret /etc/sandbox/profiles/webapp.xml'
check "the drop-in reads the file at start: EnvironmentFile=-/etc/default/webapp" \
        c sh -c 'grep -qx "EnvironmentFile=-/etc/default/webapp" /run/systemd/generator/sandbox@webapp.service.d/*.conf'
check "... and has no secret" c sh -c '! grep -rq s3cret /run/systemd/generator/sandbox@webapp.service.d'
check_eq "sandbox@webapp is active" "$(c systemctl is-active sandbox@webapp)" active
check_eq "... with the original's UMask= and LimitNOFILE=" \
        "$(c systemctl show -p UMask --value sandbox@webapp) $(c systemctl show -p LimitNOFILE --value sandbox@webapp)" "0027 4096"
check_eq "webapp.service is inactive" "$(c systemctl is-active webapp.service)" inactive
check_eq "webapp.service is disabled" "$(c systemctl is-enabled webapp.service)" disabled
ok_serving=
for _ in $(seq 50); do
        [ "$(c curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8123/)" = 200 ] && ok_serving=1 && break
        sleep 0.1
done
check "the sandbox serves on the same port" [ -n "$ok_serving" ]
check_eq "the service runs as nobody" "$(c ps -o user= -C python3)" nobody
check_eq "the service has the file's variable, read by systemd at start" \
        "$(in_sandbox sandbox@webapp sh -c 'tr "\0" "\n" </proc/$(pgrep -x python3)/environ | grep ^WEBAPP_TOKEN=')" \
        "WEBAPP_TOKEN=s3cret-token"
check_eq "its SetCredential= reads inside, at \$CREDENTIALS_DIRECTORY, as nobody" \
        "$(in_sandbox sandbox@webapp setpriv --reuid=nobody --regid=nogroup --clear-groups \
                sh -c 'cat "$(tr "\0" "\n" </proc/$(pgrep -x python3)/environ | sed -n "s/^CREDENTIALS_DIRECTORY=//p")/webapp-mode"')" \
        "serving files"
check_eq "its /run/webapp is there in the sandbox, nobody's, 0750" \
        "$(in_sandbox sandbox@webapp stat -c '%U %G %a' /run/webapp)" "nobody nogroup 750"
check_eq "... the host's /run/webapp, the same directory" \
        "$(c stat -c '%d %i %U %a' /run/webapp)" "$(in_sandbox sandbox@webapp stat -c '%d %i %U %a' /run/webapp)"
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec webapp -- touch /usr/probe </dev/null 2>&1)
check "the host's /usr is read-only for it" grep -q "Read-only file system" <<<"$out" || diag "$out"

# a second conversion does not overwrite
c sandboxctl convert webapp --accept-widening >/dev/null 2>"$TMP/err"
check_eq "convert again without --replace: refused" "$?" 1
check "... naming the existing profile" grep -q "already has a profile, /etc/sandbox/profiles/webapp.xml; --replace" "$TMP/err"

# What systemd runs for the original and what the sandbox runs, compared:
# the argv and the environment the service writes to /srv/dump/out, read
# from outside the sandbox
# dump_out: /srv/dump/out once the service wrote it (then removed)
dump_out() {
        for _ in $(seq 100); do
                c test -e /srv/dump/out && break
                sleep 0.1
        done
        c cat /srv/dump/out && c rm -f /srv/dump/out
}
c systemctl start dump.service
systemd_ran=$(dump_out)
c systemctl stop dump.service
check "systemd ran dump.service (its argv and environment written)" grep -q "^arg 'A'$" <<<"$systemd_ran"
[ -n "$systemd_ran" ] || diag "$(c journalctl -q -n 20 -u dump.service)"
c sandboxctl convert dump --enable >"$TMP/out" 2>&1
rc=$?
check_eq "dump converted and started in its sandbox" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")"
sandbox_ran=$(dump_out)
check "the sandbox's writes through ReadWritePaths= reach the host's /srv/dump, written by nobody" \
        [ -n "$sandbox_ran" ]
check_eq "the converted service ran the argv systemd ran (\\x41, %h, %i, %%, \$\$, \${VAR}, \$VAR split, \\u00e9, '\\101', \\t), with the environment systemd gave" \
        "$sandbox_ran" "$systemd_ran"
c systemctl stop sandbox@dump
c mkdir -p /tmp/run-state
run_pid=$(c sh -c 'sandboxctl run --state-root=/tmp/run-state dump </dev/null >/tmp/run.log 2>&1 & echo $!')
run_ran=$(dump_out)
c kill -TERM "$run_pid"
check_eq "sandboxctl run ran the same, reading the EnvironmentFile= by systemd's rules" "$run_ran" "$systemd_ran"
[ "$run_ran" = "$systemd_ran" ] || diag "$(c cat /tmp/run.log)"
check "no variable of the file is in the profile" c sh -c '! grep -q "T_PLAIN\|T_DQ\|plain value" /etc/sandbox/profiles/dump.xml'

# A runtime directory shared with the host: the converted sockd listens
# in the host's /run/sockd, where a client on the host connects as it did
# to the original; the directory goes when the sandbox stops
sockd_ask() {
        c python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("/run/sockd/sock"); print(s.recv(64).decode().strip())' 2>&1
}
sockd_wait() {
        for _ in $(seq 100); do
                c test -S /run/sockd/sock && [ "$(sockd_ask)" = "pong from uid 65534" ] && return 0
                sleep 0.1
        done
        return 1
}
c install -d -o nobody -g nogroup -m 2750 /run/sockd
c systemctl start sockd.service
check "the original sockd answers on /run/sockd/sock" sockd_wait
out=$(c sandboxctl convert sockd --output=- 2>"$TMP/notes")
check_eq "convert sockd while it runs: exit 0" "$?" 0
check "its socket directory, found from the socket it listens on, shared with the host, with its mode" \
        grep -q '<runtime-directory name="sockd" mode="2750" share="host"/>' <<<"$out"
check "... and said" grep -q 'sockd.service: the running service listens on /run/sockd/sock: /run/sockd shared with the host' "$TMP/notes"
c sandboxctl convert sockd --enable >"$TMP/out" 2>&1
rc=$?
check_eq "sockd converted and started in its sandbox" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@sockd)"
check "a client on the host reaches the sandboxed sockd at /run/sockd/sock, unchanged" sockd_wait
check_eq "the host's /run/sockd is nobody's, 2750" "$(c stat -c '%U %G %a' /run/sockd)" "nobody nogroup 2750"
check_eq "inside, /run/sockd is that directory, writable, nosuid, nodev, noexec" \
        "$(in_sandbox sandbox@sockd awk '$5 == "/run/sockd" { print $6 }' /proc/self/mountinfo | tr , '\n' | grep -xE 'rw|nosuid|nodev|noexec' | sort | tr '\n' ' ')" \
        "nodev noexec nosuid rw "
out=$(c systemd-run --quiet --wait --pipe --collect sandboxctl exec sockd -- touch /usr/probe /run/sockd/probe </dev/null 2>&1)
check "the host's /usr stays read-only for it" grep -q "Read-only file system" <<<"$out" || diag "$out"
check "... while what it writes in /run/sockd is on the host" c test -e /run/sockd/probe
c systemctl stop sandbox@sockd
check "once the sandbox stops, the host's /run/sockd is gone" c test ! -e /run/sockd

# an EnvironmentFile= that is /dev/zero: convert does not read it, and
# "sandboxctl run" refuses it, at once
out=$(c timeout 20 sandboxctl convert zeroenv --output=- 2>/dev/null)
check_eq "convert of EnvironmentFile=/dev/zero: exit 0, at once" "$?" 0
check "... a reference" grep -q '<environment-file path="/dev/zero"/>' <<<"$out"
c sh -c 'cat >/tmp/zeroenv.xml' <<<"$out"
out=$(c timeout 20 sandboxctl run --state-root=/tmp/run-state /tmp/zeroenv.xml 2>&1)
check_eq "sandboxctl run of it: refused" "$?" 1
check "... saying it is not a regular file" grep -q '<environment-file> /dev/zero: not a regular file' <<<"$out"

# Environment= values would be readable by every user in the profile
c sandboxctl convert secretenv --output=- >"$TMP/out" 2>"$TMP/err"
check_eq "Environment= from a drop-in of mode 0600 (DropInPaths= of the manager): refused" "$?" 1
check "... naming the drop-in and its mode" \
        grep -q '/etc/systemd/system/secretenv.service.d/token.conf (mode 0600) is not readable by every user' "$TMP/err"
check "... and the value is on neither stream" bash -c '! grep -q s3cret-dropin "$0" "$1"' "$TMP/out" "$TMP/err"

# a shell ExecStart= with variables only the EnvironmentFile= sets: runs
# as it is, the file read at every start
shellvar_out() {
        for _ in $(seq 100); do
                c test -e /srv/shellvar/out && break
                sleep 0.1
        done
        c cat /srv/shellvar/out && c rm -f /srv/shellvar/out
}
c sandboxctl convert shellvar --enable >"$TMP/out" 2>&1
rc=$?
check_eq "a shell ExecStart= with \$X and \$Y from an EnvironmentFile=: converted and started" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@shellvar)"
out=$(c cat /etc/sandbox/profiles/shellvar.xml)
check "... \$Y in the profile, to be expanded at start" grep -qF '<arg expand="yes">$Y</arg>' <<<"$out"
check "... and not its value" bash -c '! grep -q y-s3cret <<<"$0"' "$out"
check_eq "... the shell got the file's values" "$(shellvar_out)" "one y-s3cret"
printf 'X=three\nY=four\n' | c sh -c 'cat >/etc/default/shellvar'
c systemctl restart sandbox@shellvar
check_eq "... the file changed and the sandbox restarted: the new values (read at every start)" "$(shellvar_out)" "three four"
c systemctl stop sandbox@shellvar

# a socket-activated service: its socket stays, and starts the sandbox
sock_ask() {
        c python3 -c 'import socket; s = socket.create_connection(("127.0.0.1", 8124), timeout=20); print(s.recv(200).decode().strip())'
}
check_eq "the original answers through its socket" "$(sock_ask | cut -d' ' -f3-4)" "1 sockact.socket"
c sandboxctl convert sockact --enable >"$TMP/out" 2>&1
rc=$?
check_eq "a socket-activated service: converted and started" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@sockact)"
check "... the note says the socket stays" grep -q 'TriggeredBy=sockact.socket: the socket stays on the host' "$TMP/out"
check_eq "... the socket's drop-in points it at the sandbox" \
        "$(c grep -v '^#' /etc/systemd/system/sockact.socket.d/sandbox.conf)" "$(printf '[Socket]\nService=sandbox@sockact.service')"
check_eq "... systemd has it so" "$(c systemctl show -P Triggers sockact.socket)" "sandbox@sockact.service"
answer=$(sock_ask)
read -r spid lpid nfds names fds <<<"$answer"
check_eq "... the sandboxed service answers through the socket: LISTEN_FDS=1, LISTEN_FDNAMES=sockact.socket" \
        "$nfds $names" "1 sockact.socket"
check "... LISTEN_PID is its own PID ($lpid = $spid)" [ -n "$spid" ] && [ "$spid" = "$lpid" ]
check_eq "... it started with standard input, output and error and the socket, no other descriptor" "$fds" "0,1,2,3"
# the interpreter's, not the helper's, whose arguments name the script too
hostpid=$(c pgrep -f '^/usr/bin/python3 /usr/local/bin/sock-answer')
check "... and it runs in sandbox@sockact" c grep -q 'sandbox@sockact.service' "/proc/$hostpid/cgroup"
check_eq "... the original is inactive" "$(c systemctl is-active sockact.service)" inactive
c systemctl stop sandbox@sockact
answer=$(sock_ask)
check_eq "a connection to the socket starts the stopped sandbox again" "$(c systemctl is-active sandbox@sockact)" active
check_eq "... which answers" "$(cut -d' ' -f3-4 <<<"$answer")" "1 sockact.socket"
check_eq "... the original stays inactive" "$(c systemctl is-active sockact.service)" inactive
c systemctl stop sandbox@sockact
c sandboxctl convert peraccept@0.service --output=- >/dev/null 2>"$TMP/err"
check_eq "a service of a socket with Accept=yes: refused" "$?" 1
check "... saying why" grep -q 'socket-activated by peraccept.socket with Accept=yes' "$TMP/err" || diag "$(cat "$TMP/err")"

# an instance of a template: the profile is PREFIX-INSTANCE, %i resolved
c systemctl start tmpl@4242.service
c sandboxctl convert tmpl@4242.service --enable >"$TMP/out" 2>&1
rc=$?
check_eq "an instance of a template: converted and started" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/out")" "$(c journalctl -q -n 20 -u sandbox@tmpl-4242)"
check "... as sandbox tmpl-4242, %i resolved" c grep -q '<arg>4242</arg>' /etc/sandbox/profiles/tmpl-4242.xml
check "... %I in its description" c grep -q '<description>Sleeper 4242</description>' /etc/sandbox/profiles/tmpl-4242.xml
check_eq "... sandbox@tmpl-4242 runs it" "$(c systemctl is-active sandbox@tmpl-4242)" active
check_eq "... the instance is stopped" "$(c systemctl is-active tmpl@4242.service)" inactive
hostpid=$(c pgrep -x -f '/bin/sleep 4242')
check "... sleep 4242 runs in sandbox@tmpl-4242" c grep -q 'sandbox@tmpl-4242.service' "/proc/$hostpid/cgroup"
c systemctl stop sandbox@tmpl-4242

# never wider than the unit
c sandboxctl convert narrow --output=- >"$TMP/out" 2>"$TMP/err"
check_eq "TemporaryFileSystem=:ro: refused" "$?" 1
check "... TemporaryFileSystem=:ro named" grep -q 'narrow.service: TemporaryFileSystem=/srv/t:ro: ' "$TMP/err"
check "... not IPAddressAllow= of other addresses or a lower LimitNOFILE=: carried" \
        bash -c '! grep -q "IPAddress\|LimitNOFILE" "$0"' "$TMP/err"
out=$(c sandboxctl convert narrow --accept-widening --output=- 2>/dev/null)
check "... the addresses as <allow> and <deny>, the manager's 0.0.0.0/0 and ::/0 as \"any\"; LimitNOFILE= as a <unit-setting>" bash -c \
        'grep -qx "    <allow address=\"10.0.0.0/8\"/>" <<<"$0" && grep -qx "    <deny address=\"any\"/>" <<<"$0" &&
         ! grep -q "name=\"IPAddress" <<<"$0" &&
         grep -qx "  <unit-setting section=\"Service\" name=\"LimitNOFILE\" value=\"64:64\"/>" <<<"$0"' "$out"
out=$(c sandboxctl convert nonet --output=- 2>/dev/null)
check "IPAddressDeny=any with the loopback allowed: a network of its own" grep -q '<network mode="none"/>' <<<"$out"

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

# a stand-in that would still run a command of the original's: refused
c systemctl start lateapp.service
c sandboxctl convert lateapp --enable >"$TMP/out" 2>&1
check_eq "convert --enable of a unit whose later drop-in adds a command: exit 1" "$?" 1
check "it names the command list and rolls back" \
        grep -q "lateapp.service still has a command of its own in ExecStartPost=" "$TMP/out" || diag "$(cat "$TMP/out")"
check "the stand-in is removed" c test ! -e /etc/systemd/system/lateapp.service.d/sandbox-stand-in.conf
check_eq "the original runs again, under its own name" "$(c systemctl is-active lateapp.service)" active
c systemctl stop lateapp.service

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
bad "a masked unit" "masked; unmask it first" masked-one
for s in "RootImage=/srv/image.raw" "SecureBits=1" "SmackProcessLabel=web"; do
        bad "$s, as the manager has it: refused" "imageapp.service: $s: .*the profile would confine less than the unit" imageapp
done
c sandboxctl convert webapp.socket >/dev/null 2>"$TMP/err"
check "not a service: refused" grep -q "is not a service unit" "$TMP/err"
check_eq "no profile was left half-written" \
        "$(c sh -c 'ls -A /etc/sandbox/profiles | grep -v "^webapp.xml$\|^dump.xml$\|^brokenapp.xml.rejected$\|^lateapp.xml.rejected$\|^shellvar.xml$\|^sockact.xml$\|^tmpl-4242.xml$\|^sockd.xml$"')" ""

done_testing
