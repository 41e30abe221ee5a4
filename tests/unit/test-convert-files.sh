#!/usr/bin/env bash
# sandboxctl convert without a systemd manager to ask: the unit is read
# from its files (tests/unit/units/ as $SYSTEMD_UNIT_PATH), drop-ins and
# continuation lines included, with a warning; the same refusals as with
# a manager; --enable refused. PrivateUsers=, DynamicUser= and
# --user-namespace= as convert-userns.h says, each choice said. The bus is one that does not exist, so
# that a manager on this machine is not asked. As root, the converted
# profile also runs with "sandboxctl run": its writes through a writable
# bind reach the host, a read-only path below it stays read-only, and
# an <environment-file> is read by run's rules.
. "$(dirname "$0")/../tap.sh"

UNITS=$TMP/units
cp -R "$SOURCE_ROOT/tests/unit/units" "$UNITS"
ln -s /dev/null "$UNITS/masked.service"
mkdir -p "$TMP/profiles"
# the sandboxes "sandboxctl run" starts below are named by their profiles
trap 'remove_sandbox_rundir envrun expandrun mounts; rm -rf "$TMP"' EXIT
export SYSTEMD_UNIT_PATH=$UNITS SANDBOX_PROFILE_PATH=$TMP/profiles DBUS_SYSTEM_BUS_ADDRESS=unix:path=$TMP/no-bus
# the tmpfiles.d convert reads: the test's, not the host's
mkdir -p "$TMP/tmpfiles-etc" "$TMP/tmpfiles-usr"
export SANDBOX_TMPFILES_PATH=$TMP/tmpfiles-etc:$TMP/tmpfiles-usr

ctl() { "$SANDBOXCTL" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?; }

ctl convert web --output=-
check_eq "convert from the files: exit 0" "$rc" 0
check "a warning says where it was read from, and what is missing" \
        grep -q "warning: no systemd manager to ask (.*); web.service read from $UNITS/web.service and 1 drop-in" "$TMP/err"
check "a continued ExecStart= line; \$PORT, which the EnvironmentFile= may set over Environment=, left to systemd" \
        grep -qz '<arg>--bind</arg>.*<arg>127.0.0.1</arg>.*<arg expand="yes">\$PORT</arg>' "$TMP/out"
check "a quoted Environment= word" grep -q '<env name="GREETING" value="hello world"/>' "$TMP/out"
check "the drop-in's MemoryMax= wins over the unit's" grep -q 'memory="209715200"' "$TMP/out"
check "the drop-in's CapabilityBoundingSet=~ takes from the unit's; the ambient set of a non-root user is kept" \
        grep -q '<capabilities keep="CAP_NET_BIND_SERVICE"/>' "$TMP/out"
check "RuntimeDirectory= with its mode, shared with the host" \
        grep -q '<runtime-directory name="web" mode="0750" share="host"/>' "$TMP/out"
check "... and said" grep -q 'RuntimeDirectory=web: shared with the host at /run/web' "$TMP/err"
check "%n expanded" grep -q '<description>Web web.service</description>' "$TMP/out"
check "ExecStartPre= carried, its \"-\" as ignore-failure" \
        grep -q '<exec-start-pre ignore-failure="yes"><arg>/bin/true</arg></exec-start-pre>' "$TMP/out"
check "ReadOnlyPaths= in an overlay: the host's bound read-only over the sandbox's own" \
        grep -q '<bind source="/etc/web" readonly="yes"/>' "$TMP/out"
check "... and said" grep -q 'ReadOnlyPaths=/etc/web: /etc/web bound read-only there, over the sandbox.s own' "$TMP/err"
check "EnvironmentFile=-PATH: a reference, optional" grep -q '<environment-file path="/nonexistent" optional="yes"/>' "$TMP/out"
check "ReadOnlyPaths= elsewhere: read-only anyway, not listed" sh -c '! grep -q "ReadOnlyPaths=/usr" "$0"' "$TMP/err"
check "no bus name: the default interfaces, no <interfaces>" sh -c '! grep -q "<interfaces" "$0"' "$TMP/out"

# a service that takes a bus name gets the system bus's socket, unless
# it runs as root or keeps CAP_SETUID: the bus grants root every call
for unit in 'Type=dbus\nBusName=org.example.Busd\nUser=nobody' 'BusName=org.example.Busd\nUser=nobody'; do
        printf "[Service]\n$unit\nExecStart=/usr/bin/true\n" >"$UNITS/busd.service"
        ctl convert busd --output=-
        check "$(printf "$unit" | tr '\n' ' '): <interfaces dbus=\"yes\"/>" grep -q '^  <interfaces dbus="yes"/>$' "$TMP/out"
        cp "$TMP/out" "$TMP/profiles/busd.xml"
        check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/busd.xml"
        rm "$TMP/profiles/busd.xml"
done
for unit in 'BusName=org.example.Busd' 'BusName=org.example.Busd\nUser=nobody\nAmbientCapabilities=CAP_SETUID'; do
        printf "[Service]\n$unit\nExecStart=/usr/bin/true\n" >"$UNITS/busd.service"
        ctl convert busd --output=-
        check "$(printf "$unit" | tr '\n' ' '): no system bus" sh -c '! grep -q "^  <interfaces" "$0"' "$TMP/out"
        check "... a note says why" grep -q 'BusName=, Type=dbus: the system bus is not given to a service that .*grants root every call' "$TMP/err"
        cp "$TMP/out" "$TMP/profiles/busd.xml"
        check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/busd.xml"
        rm "$TMP/profiles/busd.xml"
done

# the unit's other commands, as Debian's units write them: each runs in
# the sandbox, $MAINPID left for the join to expand
cat >"$UNITS/apache2.service" <<'EOF'
[Service]
Type=forking
Environment=APACHE_STARTED_BY_SYSTEMD=true
ExecStart=/usr/sbin/apachectl start
ExecStop=/usr/sbin/apachectl graceful-stop
ExecReload=/usr/sbin/apachectl graceful
EOF
ctl convert apache2 --output=-
check_eq "apache2: converted" "$rc" 0
check "apache2: ExecReload= apachectl graceful, and ExecStop=, in the profile" \
        grep -qz '<exec-reload><arg>/usr/sbin/apachectl</arg><arg>graceful</arg></exec-reload>.*<exec-stop><arg>/usr/sbin/apachectl</arg><arg>graceful-stop</arg></exec-stop>' "$TMP/out"
check "apache2: and not listed as dropped" sh -c '! grep -q "ExecReload=\|ExecStop=" "$0"' "$TMP/err"
cat >"$UNITS/nginx.service" <<'EOF'
[Service]
Type=forking
PIDFile=/run/nginx.pid
ExecStartPre=/usr/sbin/nginx -t -q -g 'daemon on; master_process on;'
ExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'
ExecReload=/usr/sbin/nginx -g 'daemon on; master_process on;' -s reload
ExecStop=-/sbin/start-stop-daemon --quiet --stop --retry QUIT/5 --pidfile /run/nginx.pid
EOF
ctl convert nginx --output=-
check_eq "nginx: converted" "$rc" 0
check "nginx: the pre-start command said to run as the service does" \
        grep -q "ExecStartPre=/usr/sbin/nginx: runs in the sandbox as the service does" "$TMP/err"
check_eq "nginx: ExecStartPre=, ExecReload= and ExecStop= with their quoted words, \"-\" as ignore-failure" \
        "$(grep '^  <exec-' "$TMP/out")" \
        '  <exec-start-pre><arg>/usr/sbin/nginx</arg><arg>-t</arg><arg>-q</arg><arg>-g</arg><arg>daemon on; master_process on;</arg></exec-start-pre>
  <exec-reload><arg>/usr/sbin/nginx</arg><arg>-g</arg><arg>daemon on; master_process on;</arg><arg>-s</arg><arg>reload</arg></exec-reload>
  <exec-stop ignore-failure="yes"><arg>/sbin/start-stop-daemon</arg><arg>--quiet</arg><arg>--stop</arg><arg>--retry</arg><arg>QUIT/5</arg><arg>--pidfile</arg><arg>/run/nginx.pid</arg></exec-stop>'
cp "$TMP/out" "$TMP/profiles/nginx.xml"
check "nginx: a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/nginx.xml"
rm "$TMP/profiles/nginx.xml"
cat >"$UNITS/hup.service" <<'EOF'
[Service]
Environment=SIG=HUP
ExecStart=/usr/sbin/hupd
ExecReload=/bin/kill -${SIG} $MAINPID
ExecReload=/bin/sh -c 'echo reloading ${MAINPID} $$MAINPID'
ExecStartPost=/usr/bin/hupd-ctl --pid=${MAINPID} --sig=${SIG}
ExecStopPost=/bin/rm -f /run/hupd.pid
EOF
ctl convert hup --output=-
check_eq "kill -HUP \$MAINPID: converted" "$rc" 0
check_eq "... \$MAINPID and \${MAINPID} kept for the join, the unit's variables expanded, \$\$ a \$" \
        "$(grep '^  <exec-' "$TMP/out")" \
        '  <exec-start-post><arg>/usr/bin/hupd-ctl</arg><arg>--pid=${MAINPID}</arg><arg>--sig=HUP</arg></exec-start-post>
  <exec-reload><arg>/bin/kill</arg><arg>-HUP</arg><arg>$MAINPID</arg></exec-reload>
  <exec-reload><arg>/bin/sh</arg><arg>-c</arg><arg>echo reloading ${MAINPID} $MAINPID</arg></exec-reload>'
check "... ExecStopPost=, which has no sandbox to run in, listed" grep -q 'ExecStopPost=/bin/rm -f /run/hupd.pid: not run in the sandbox' "$TMP/err"
printf '[Service]\nExecStart=/usr/sbin/hupd\nExecReload=/bin/kill -HUP $UNSET_HERE\n' >"$UNITS/hupunset.service"
ctl convert hupunset --output=-
check_eq "ExecReload= with a variable the unit does not set: refused" "$rc" 1
check "... naming it" grep -q "UNSET_HERE" "$TMP/err"

# ExecStart= as systemd runs it: the same line as tests/e2e/test-e2e-convert.sh's
# dump.service, whose argv there is systemd's own
cat >"$UNITS/esc.service" <<'EOF'
[Service]
User=nobody
Environment=T_WORD=w "T_OPTS=-a -b 'c d'" T_OVERRIDE=from-unit
EnvironmentFile=/dev/zero
ExecStart=/usr/bin/python3 /usr/local/bin/dump-argv /srv/dump/out \x41 "%h" %i %% $$ $${T_WORD} ${T_WORD} $T_OPTS a$T_WORD ${T_WORD}x "q ${T_WORD} q" ${T_WORD:-d} \u00e9 '\101' \t
EOF
ctl convert esc --output=-
check_eq "C escapes, specifiers, \$\$ and variables: exit 0, /dev/zero not read" "$rc" 0
check_eq "... the argv systemd 252 runs (tests/e2e/test-e2e-convert.sh compares them); with the EnvironmentFile=, what names a variable is left to systemd's start" \
        "$(sed -n 's|^ *<arg\( expand="yes"\)\?>\(.*\)</arg>$|\1\2|p' "$TMP/out" | tail -n +4)" \
        "$(printf '%s\n' A /root '' % '$' '${T_WORD}' ' expand="yes"${T_WORD}' ' expand="yes"$T_OPTS' 'a$T_WORD' \
                ' expand="yes"${T_WORD}x' ' expand="yes"q ${T_WORD} q' '${T_WORD:-d}' é A "$(printf '\t')")"
check "... the EnvironmentFile= a reference, never read" grep -q '<environment-file path="/dev/zero"/>' "$TMP/out"
cp "$TMP/out" "$TMP/profiles/esc.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/esc.xml"
rm "$TMP/profiles/esc.xml"
printf '[Service]\nExecStart=/bin/echo \\q\n' >"$UNITS/badesc.service"
ctl convert badesc --output=-
check_eq "an escape systemd does not know (\\q): refused" "$rc" 1
check "... naming the file and line" grep -q "badesc.service:2: \"\\\\q\" is not an escape systemd knows" "$TMP/err"
printf '[Service]\nExecStart=/bin/echo %%z\n' >"$UNITS/badspec.service"
ctl convert badspec --output=-
check_eq "a specifier systemd does not know (%z): refused" "$rc" 1
check "... naming the file and line" grep -q 'badspec.service:2: "%z" is not a specifier' "$TMP/err"
printf '[Service]\nEnvironment=T=1\nExecStart=/bin/echo $T $UNSET ${T} ${T:-d}\n' >"$UNITS/unset.service"
ctl convert unset --output=-
check_eq "a variable no Environment= sets: converted" "$rc" 0
check "... left to systemd at each start; what Environment= sets, without an EnvironmentFile=, expanded" \
        grep -qz '<arg>1</arg>.*<arg expand="yes">\$UNSET</arg>.*<arg>1</arg>' "$TMP/out"
check "... \${T:-d} as it is, as systemd leaves it in a command line" grep -qF '<arg>${T:-d}</arg>' "$TMP/out"

# a shell's command line, as Debian's mariadb.service has it: the
# shell's own "$" stay as they are (systemd does not expand "$VAR" within
# a word), a "$VAR" alone only the EnvironmentFile= sets is left to
# systemd; the file is never read
printf 'SECRET_OPTS=--s3cret\n' >"$TMP/opts"
chmod 0600 "$TMP/opts"
cat >"$UNITS/shell.service" <<EOF
[Service]
EnvironmentFile=-$TMP/opts
ExecStart=/bin/sh -c "set -f; [ \$\$? -eq 0 ] || exit 1; exec /bin/echo \$MYSQLD_OPTS \$VAR" sh \$SECRET_OPTS
EOF
ctl convert shell --output=-
check_eq "a shell ExecStart= with \$VAR from an EnvironmentFile=: converted" "$rc" 0
check "... the shell's script as it is" \
        grep -qF '<arg>set -f; [ $? -eq 0 ] || exit 1; exec /bin/echo $MYSQLD_OPTS $VAR</arg>' "$TMP/out"
check "... \$SECRET_OPTS left to systemd" grep -qF '<arg expand="yes">$SECRET_OPTS</arg>' "$TMP/out"
check "... the file's value in neither the profile nor the notes" sh -c '! grep -q s3cret "$0" "$1"' "$TMP/out" "$TMP/err"
cp "$TMP/out" "$TMP/profiles/shell.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/shell.xml"
rm "$TMP/profiles/shell.xml"
printf '[Service]\nEnvironment=LISTEN_FDS=3 T=1\nExecStart=/bin/true\n' >"$UNITS/listen.service"
ctl convert listen --output=-
check_eq "an Environment= that sets a variable of systemd's (LISTEN_FDS): refused" "$rc" 1
check "... naming it" grep -q 'Environment=LISTEN_FDS: systemd and the sandbox set this variable' "$TMP/err"

# a unit that is not a regular file: refused at once, not read forever
ln -s /dev/zero "$UNITS/zero.service"
SECONDS=0
ctl convert zero --output=-
check_eq "a unit linked to /dev/zero: refused" "$rc" 1
check "... at once" [ "$SECONDS" -lt 10 ]
check "... saying it is not a regular file" grep -q "zero.service: not a regular file" "$TMP/err"
mkfifo "$UNITS/fifo.service"
ctl convert fifo --output=-
check "a FIFO: refused, not waited on" grep -q "fifo.service: not a regular file" "$TMP/err"
rm "$UNITS/zero.service" "$UNITS/fifo.service"

# Environment= values go into a profile every user can read: only from
# unit files every user could read
mkdir -p "$UNITS/secret.service.d"
printf '[Service]\nExecStart=/bin/sleep infinity\n' >"$UNITS/secret.service"
printf '[Service]\nEnvironment=TOKEN=s3cret\n' >"$UNITS/secret.service.d/token.conf"
chmod 0600 "$UNITS/secret.service.d/token.conf"
ctl convert secret --output=-
check_eq "Environment= from a drop-in of mode 0600: refused" "$rc" 1
check "... naming the file and its mode" grep -q "token.conf (mode 0600) is not readable by every user" "$TMP/err"
check "... and no secret on either stream" sh -c '! grep -q s3cret "$0" "$1"' "$TMP/out" "$TMP/err"
printf '[Service]\nSetCredential=token:s3cret\n' >"$UNITS/secret.service.d/token.conf"
ctl convert secret --output=-
check_eq "SetCredential= from a drop-in of mode 0600: refused" "$rc" 1
check "... naming the file, its mode and the setting" grep -q "token.conf (mode 0600) is not readable by every user, and the unit has SetCredential=" "$TMP/err"
check "... and no secret on either stream" sh -c '! grep -q s3cret "$0" "$1"' "$TMP/out" "$TMP/err"

# never wider than the unit: a setting that confines and that a profile
# cannot carry refuses, one line each; --accept-widening lists it as lost
cat >"$UNITS/narrow.service" <<'EOF'
[Service]
ExecStart=/bin/sleep infinity
SystemCallFilter=@system-service
RestrictAddressFamilies=AF_UNIX
LimitNOFILE=64
UMask=0077
MemoryDenyWriteExecute=yes
ProtectKernelTunables=yes
PrivateDevices=yes
RestrictNamespaces=yes
ProtectClock=yes
NetworkNamespacePath=/run/netns/vpn
EOF
ctl convert narrow --output=-
check_eq "SystemCallFilter=, NetworkNamespacePath=: refused" "$rc" 1
for s in "SystemCallFilter=@system-service" "NetworkNamespacePath=/run/netns/vpn"; do
        check "... a line for $s" grep -q "^sandboxctl: convert: narrow.service: $s: .*the profile would confine less than the unit (--accept-widening" "$TMP/err"
done
check "... what the sandbox does itself is not refused (ProtectKernelTunables=, PrivateDevices=)" \
        sh -c '! grep -q "ProtectKernelTunables\|PrivateDevices" "$0"' "$TMP/err"
check "... nor what a <unit-setting> carries (LimitNOFILE=, UMask=)" sh -c '! grep -q "LimitNOFILE\|UMask" "$0"' "$TMP/err"
check "... nor what an element carries (RestrictAddressFamilies=, MemoryDenyWriteExecute=)" \
        sh -c '! grep -q "RestrictAddressFamilies\|MemoryDenyWriteExecute" "$0"' "$TMP/err"
check_eq "... and nothing on standard output" "$(wc -c <"$TMP/out")" 0
ctl convert narrow --output=- --accept-widening
check_eq "--accept-widening: converted" "$rc" 0
check "... each setting lost in the profile's comment" grep -q '^ *SystemCallFilter=@system-service: NOT CARRIED, the widening accepted on purpose' "$TMP/out"
check "... what the sandbox does itself said so" grep -q '^ *ProtectKernelTunables=yes: done by the sandbox' "$TMP/out"
check "... RestrictNamespaces= and ProtectClock= too, while CAP_SYS_ADMIN and CAP_SYS_TIME are not kept" \
        sh -c 'grep -q "^ *RestrictNamespaces=: done by the sandbox" "$0" && grep -q "^ *ProtectClock=yes: done by the sandbox" "$0"' "$TMP/out"
ctl convert narrow --output=- --accept-widening --keep-unsafe-caps
check "... with --keep-unsafe-caps, CAP_SYS_ADMIN kept: RestrictNamespaces= lost, and said" \
        grep -q '^ *RestrictNamespaces=: NOT CARRIED, the widening accepted on purpose: CAP_SYS_ADMIN is kept' "$TMP/out"
check_eq "... but not the capabilities PrivateDevices= and ProtectClock= take from the unit (CAP_MKNOD, CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_WAKE_ALARM)" \
        "$(grep -ow 'CAP_MKNOD\|CAP_SYS_RAWIO\|CAP_SYS_TIME\|CAP_WAKE_ALARM' <<<"$(grep '<capabilities ' "$TMP/out")")" ""
check "... LimitNOFILE= and UMask= carried as <unit-setting>s" sh -c \
        'grep -qx "  <unit-setting section=\"Service\" name=\"LimitNOFILE\" value=\"64\"/>" "$0" &&
         grep -qx "  <unit-setting section=\"Service\" name=\"UMask\" value=\"0077\"/>" "$0"' "$TMP/out"
check "... RestrictAddressFamilies=AF_UNIX and MemoryDenyWriteExecute=yes carried as elements" sh -c \
        'grep -qx "    <address-families allow=\"AF_UNIX\"/>" "$0" && grep -qx "    <memory-deny-write-execute/>" "$0"' "$TMP/out"
cp "$TMP/out" "$TMP/profiles/narrow.xml"

# ProcSubset=pid: the sandbox's /proc with the process entries only
printf '[Service]\nExecStart=/bin/sleep infinity\nProcSubset=pid\n' >"$UNITS/procpid.service"
ctl convert procpid --output=-
check_eq "ProcSubset=pid: converted, nothing refused" "$rc" 0
check "... carried as <proc subset=\"pid\"/>, and said" sh -c \
        'grep -qx "    <proc subset=\"pid\"/>" "$0" && grep -q "ProcSubset=pid: carried" "$0"' "$TMP/out"
cp "$TMP/out" "$TMP/procpid.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/procpid.xml"

# booleans as systemd reads them ("y", "True"), and a root image, secure
# bits and a Smack label, which a profile has nothing for
cat >"$UNITS/booleans.service" <<'EOF'
[Service]
ExecStart=/bin/sleep infinity
PrivateNetwork=y
MemoryDenyWriteExecute=True
NoNewPrivileges=on
EOF
ctl convert booleans --output=-
check_eq "PrivateNetwork=y, MemoryDenyWriteExecute=True: converted" "$rc" 0
check "... PrivateNetwork=y: a network of its own" grep -q '<network mode="none"/>' "$TMP/out"
check "... MemoryDenyWriteExecute=True: carried" grep -qx '    <memory-deny-write-execute/>' "$TMP/out"
cat >"$UNITS/image.service" <<'EOF'
[Service]
ExecStart=/bin/sleep infinity
RootImage=/srv/image.raw
SecureBits=noroot
SmackProcessLabel=web
EOF
ctl convert image --output=-
check_eq "RootImage=, SecureBits=, SmackProcessLabel=: refused" "$rc" 1
for s in "RootImage=/srv/image.raw" "SecureBits=noroot" "SmackProcessLabel=web"; do
        check "... a line for $s" grep -q "^sandboxctl: convert: image.service: $s: .*the profile would confine less than the unit" "$TMP/err"
done

# MemoryMax= as systemd reads it: a percentage of the memory, and a
# value it refuses leaves the line before
printf '[Service]\nExecStart=/bin/sleep infinity\nMemoryMax=25%%\n' >"$UNITS/share.service"
ctl convert share --output=-
check_eq "MemoryMax=25%: a quarter of the memory" "$(grep -o 'memory="[0-9]*"' "$TMP/out")" \
        "memory=\"$(( $(getconf _PHYS_PAGES) * $(getconf PAGESIZE) / 100 * 25 ))\""
printf '[Service]\nExecStart=/bin/sleep infinity\nMemoryMax=64M\nMemoryMax=lots\n' >"$UNITS/bogus.service"
ctl convert bogus --output=-
check "MemoryMax=lots after MemoryMax=64M: 64M" grep -q 'memory="67108864"' "$TMP/out"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/narrow.xml"
rm "$TMP/profiles/narrow.xml"

# MemoryDenyWriteExecute= and RestrictAddressFamilies= (memcached's) are
# carried by the profile, which the sandbox's own filter enforces: no
# --accept-widening. Later lines add to the first one's list or take
# from it, as systemd reads them.
cat >"$UNITS/restricted.service" <<'EOF'
[Service]
ExecStart=/bin/sleep infinity
MemoryDenyWriteExecute=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
EOF
ctl convert restricted --output=-
check_eq "MemoryDenyWriteExecute=yes, RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX: converted without --accept-widening" "$rc" 0
check "... <memory-deny-write-execute/> in <security>" grep -qx "    <memory-deny-write-execute/>" "$TMP/out"
check "... <address-families allow=\"AF_UNIX AF_INET AF_INET6\"/> in <security>" \
        grep -qx '    <address-families allow="AF_UNIX AF_INET AF_INET6"/>' "$TMP/out"
check "... each said carried in the comment" sh -c 'grep -q "^ *MemoryDenyWriteExecute=yes: carried" "$0" &&
        grep -q "^ *RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX: carried" "$0"' "$TMP/out"
check "... no widening" sh -c '! grep -q "NOT CARRIED\|confine less" "$0" "$1"' "$TMP/out" "$TMP/err"
cp "$TMP/out" "$TMP/profiles/restricted.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/restricted.xml"
rm "$TMP/profiles/restricted.xml"

printf '[Service]\nExecStart=/bin/sleep infinity\nRestrictAddressFamilies=AF_UNIX AF_INET\nRestrictAddressFamilies=AF_NETLINK AF_INET6\nRestrictAddressFamilies=~AF_INET\n' \
        >"$UNITS/families-lines.service"
ctl convert families-lines --output=-
check_eq "RestrictAddressFamilies= on three lines, the last with ~: converted" "$rc" 0
check "... the list systemd makes of them (AF_INET taken away again)" \
        grep -qx '    <address-families allow="AF_UNIX AF_INET6 AF_NETLINK"/>' "$TMP/out"
printf '[Service]\nExecStart=/bin/sleep infinity\nRestrictAddressFamilies=~AF_PACKET AF_NETLINK\n' >"$UNITS/families-deny.service"
ctl convert families-deny --output=-
check "RestrictAddressFamilies=~AF_PACKET AF_NETLINK: a deny-list" sh -c '[ "$1" -eq 0 ] &&
        grep -qx "    <address-families deny=\"AF_NETLINK AF_PACKET\"/>" "$0"' "$TMP/out" "$rc"
printf '[Service]\nExecStart=/bin/sleep infinity\nRestrictAddressFamilies=none\n' >"$UNITS/families-none.service"
ctl convert families-none --output=-
check "RestrictAddressFamilies=none: allow=\"none\"" sh -c '[ "$1" -eq 0 ] &&
        grep -qx "    <address-families allow=\"none\"/>" "$0"' "$TMP/out" "$rc"
printf '[Service]\nExecStart=/bin/sleep infinity\nRestrictAddressFamilies=AF_UNIX AF_BOGUS\n' >"$UNITS/families-bad.service"
ctl convert families-bad --output=-
check_eq "RestrictAddressFamilies= with a name that is no family: refused, not widened" "$rc" 1
check "... with its line" grep -q "^sandboxctl: convert: families-bad.service: RestrictAddressFamilies=AF_UNIX AF_BOGUS: .*confine less" "$TMP/err"

# the unit's settings that pass through are carried as <unit-setting>s,
# without --accept-widening; its dependencies too, but systemd's defaults
cat >"$UNITS/carried.service" <<'EOF'
[Unit]
Description=Carried settings
After=network.target postgresql.service
Requires=postgresql.service
Wants=redis-server.service
PartOf=app.target
[Service]
ExecStart=/bin/sleep infinity
LimitNOFILE=65535
LimitCORE=0:infinity
UMask=0027
KillSignal=SIGINT
WatchdogSec=30s
SyslogIdentifier=carried-daemon
OOMScoreAdjust=-500
Nice=5
MemoryHigh=512M
CPUWeight=200
IOReadBandwidthMax=/dev/sda 10M
IOReadBandwidthMax=/dev/sdb 20M
LoadCredential=tls.key:/etc/carried/tls.key
SetCredential=mode:replica of main
SetCredential=escaped:a\x41
IPAddressDeny=any
IPAddressAllow=10.0.0.0/8
DeviceAllow=/dev/fuse rw
EOF
ctl convert carried --output=-
check_eq "a unit with Limit*=, UMask=, After=, Requires= and more: converted without --accept-widening" "$rc" 0
for e in 'section="Unit" name="After" value="postgresql.service"' 'section="Unit" name="Requires" value="postgresql.service"' \
        'section="Unit" name="Wants" value="redis-server.service"' 'section="Unit" name="PartOf" value="app.target"' \
        'section="Service" name="LimitNOFILE" value="65535"' 'section="Service" name="LimitCORE" value="0:infinity"' 'section="Service" name="UMask" value="0027"' \
        'section="Service" name="KillSignal" value="SIGINT"' 'section="Service" name="WatchdogSec" value="30000000us"' \
        'section="Service" name="SyslogIdentifier" value="carried-daemon"' 'section="Service" name="OOMScoreAdjust" value="-500"' 'section="Service" name="Nice" value="5"' \
        'section="Service" name="MemoryHigh" value="512M"' 'section="Service" name="CPUWeight" value="200"' \
        'section="Service" name="IOReadBandwidthMax" value="/dev/sda 10M"' 'section="Service" name="IOReadBandwidthMax" value="/dev/sdb 20M"' \
        'section="Service" name="LoadCredential" value="tls.key:/etc/carried/tls.key"' 'section="Service" name="SetCredential" value="mode:replica of main"'; do
        check "... <unit-setting $e/>" grep -qF "<unit-setting $e/>" "$TMP/out"
done
check "... IPAddressDeny=any, IPAddressAllow=10.0.0.0/8: the host's network with <allow> and <deny>" \
        grep -qzF "$(printf '  <network mode="host">\n    <allow address="10.0.0.0/8"/>\n    <deny address="any"/>\n  </network>\n')" "$TMP/out"
check "... and no <unit-setting> of them" sh -c '! grep -q "name=\"IPAddress" "$0"' "$TMP/out"
check "... network.target, which the sandbox's unit is after already, is not repeated" \
        sh -c '! grep -q "network\.target" "$0"' "$TMP/out"
check "... a SetCredential= whose data has an escape: not carried, and said so in the comment" \
        grep -q "^ *SetCredential=escaped: not carried; its data is not one line of text" "$TMP/out"
check "... DeviceAllow=: not carried, the device not being in the sandbox, and said so" \
        grep -q "^ *DeviceAllow=/dev/fuse:rw: not carried; the sandbox's /dev has only its own" "$TMP/out"
check "... nothing on standard error about them but the addresses' notes" \
        sh -c '! grep -v "IPAddress\(Allow\|Deny\)=[^:]*: <\(allow\|deny\)> of " "$0" | grep -q "Limit\|UMask\|IPAddress\|MemoryHigh"' "$TMP/err"
cp "$TMP/out" "$TMP/profiles/carried.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/carried.xml"
rm "$TMP/profiles/carried.xml"

# IPAddressAllow= and IPAddressDeny=: the host's network with <allow> and
# <deny>, systemd's words as the prefixes they stand for, each said
cat >"$UNITS/filtered.service" <<'EOF'
[Service]
ExecStart=/bin/sleep infinity
IPAddressDeny=any
IPAddressAllow=localhost link-local multicast
IPAddressAllow=192.168.1.5/24 ::1/128 10.0.0.0/8 10.0.0.0/8
EOF
ctl convert filtered --output=-
check_eq "IPAddressAllow= with systemd's words, IPAddressDeny=any: converted without --accept-widening" "$rc" 0
check_eq "... <allow> for each prefix, once, the words' and a host-bit prefix's written out; <deny> any" \
        "$(sed -n '/<network mode="host">/,/<\/network>/p' "$TMP/out")" \
        "$(printf '%s\n' '  <network mode="host">' '    <allow address="127.0.0.0/8"/>' '    <allow address="::1"/>' \
                '    <allow address="169.254.0.0/16"/>' '    <allow address="fe80::/64"/>' '    <allow address="224.0.0.0/4"/>' \
                '    <allow address="ff00::/8"/>' '    <allow address="192.168.1.0/24"/>' '    <allow address="10.0.0.0/8"/>' \
                '    <deny address="any"/>' '  </network>')"
check "... what it mapped, said on standard error" \
        grep -qF "filtered.service: IPAddressAllow=localhost link-local multicast 192.168.1.5/24 ::1/128 10.0.0.0/8 10.0.0.0/8: <allow> of 127.0.0.0/8 ::1 169.254.0.0/16 fe80::/64 224.0.0.0/4 ff00::/8 192.168.1.0/24 10.0.0.0/8 (systemd's words" "$TMP/err"
check "... and in the profile's comment" grep -q "^ *IPAddressDeny=any: <deny> of any, with the host's network" "$TMP/out"
cp "$TMP/out" "$TMP/profiles/filtered.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/filtered.xml"
"$SANDBOXCTL" show "$TMP/profiles/filtered.xml" >"$TMP/show" 2>&1
check "... whose unit has the same filter: IPAddressAllow= and IPAddressDeny=any" sh -c \
        'grep -qx "IPAddressAllow=127.0.0.0/8 ::1 169.254.0.0/16 fe80::/64 224.0.0.0/4 ff00::/8 192.168.1.0/24 10.0.0.0/8" "$0" &&
         grep -qx "IPAddressDeny=any" "$0"' "$TMP/show"
rm "$TMP/profiles/filtered.xml"

# a word that is no address: refused, never dropped
printf '[Service]\nExecStart=/bin/sleep infinity\nIPAddressDeny=10.0.0.0/8 intranet\n' >"$UNITS/filtered-bad.service"
ctl convert filtered-bad --output=-
check_eq "IPAddressDeny= with a word that is no address: refused" "$rc" 1
check "... with its line" grep -q "^sandboxctl: convert: filtered-bad.service: IPAddressDeny=10.0.0.0/8 intranet .*confine less" "$TMP/err"
ctl convert filtered-bad --accept-widening --output=-
check_eq "... with --accept-widening: converted" "$rc" 0
check "... the host's network without a <deny>, and what is lost said" sh -c 'grep -q "<network mode=\"host\"/>" "$0" && ! grep -q "<deny address" "$0" && grep -q "IPAddressDeny=10.0.0.0/8 intranet" "$0"' "$TMP/out"

# PrivateNetwork=yes with address filters: a network of its own, which
# has nothing of the host's to filter
printf '[Service]\nExecStart=/bin/sleep infinity\nPrivateNetwork=yes\nIPAddressDeny=any\nIPAddressAllow=10.0.0.0/8\n' \
        >"$UNITS/private-filtered.service"
ctl convert private-filtered --output=-
check_eq "PrivateNetwork=yes with IPAddressDeny=: converted" "$rc" 0
check "... a network of its own, without <allow> or <deny>" \
        sh -c 'grep -q "<network mode=\"none\"/>" "$0" && ! grep -q "<allow address\|<deny address" "$0"' "$TMP/out"

# the mounts the unit confines with: carried, in the order that keeps a
# read-only path below a writable one read-only
mkdir -p "$TMP/rw/ro"
cat >"$UNITS/mounts.service" <<EOF
[Service]
ExecStart=/bin/sleep infinity
BindPaths=$TMP/rw:/tmp/rw
ReadOnlyPaths=/tmp/rw/ro
TemporaryFileSystem=/tmp/scratch:mode=0700
IPAddressDeny=any
IPAddressAllow=localhost
PrivateTmp=yes
EOF
ctl convert mounts --output=-
check_eq "BindPaths=, ReadOnlyPaths= below it, TemporaryFileSystem=, IPAddressDeny=any: exit 0" "$rc" 0
check_eq "... a writable bind, then the read-only one below it" \
        "$(grep -o '<bind [^>]*>' "$TMP/out")" \
        "$(printf '%s\n' "<bind source=\"$TMP/rw\" target=\"/tmp/rw\" readonly=\"no\"/>" \
                "<bind source=\"$TMP/rw/ro\" target=\"/tmp/rw/ro\" readonly=\"yes\"/>")"
check "... the TemporaryFileSystem= a <tmpfs> with its mode" grep -q '<tmpfs target="/tmp/scratch" mode="0700"/>' "$TMP/out"
check "... PrivateTmp=: /var/tmp a tmpfs of its own" grep -q '<tmpfs target="/var/tmp" mode="1777"/>' "$TMP/out"
check "... IPAddressDeny=any with the loopback allowed: a network of its own" grep -q '<network mode="none"/>' "$TMP/out"
cp "$TMP/out" "$TMP/profiles/mounts.xml"
check "... a valid profile" "$SANDBOXCTL" validate "$TMP/profiles/mounts.xml"
if [ "$(id -u)" -eq 0 ]; then
        # the converted sandbox itself: its writes reach the host's
        # directory, and not the read-only path below it
        out=$(SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run --state-root="$TMP/state" "$TMP/profiles/mounts.xml" \
                -- /bin/sh -c 'echo written >/tmp/rw/file; echo x >/tmp/rw/ro/file' 2>&1)
        check_eq "sandboxctl run: the write through the writable bind reaches the host" "$(cat "$TMP/rw/file" 2>&1)" written
        check "... the read-only path below it is not written (EROFS)" grep -q "Read-only file system" <<<"$out"
        check "... and stays empty on the host" [ ! -e "$TMP/rw/ro/file" ]
        rm -rf "$TMP/state"

        # sandboxctl run reads an <environment-file> itself: a regular
        # file of root's, bounded, without the variables the helper reads
        envrun() { # envrun FILE-CONTENT-COMMAND...: runs env in a profile with $TMP/envfile
                cat >"$TMP/profiles/envrun.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec>
    <arg>/usr/bin/env</arg>
    <env name="FROM_ENV" value="profile"/>
    <environment-file path="$TMP/envfile"/>
    <environment-file path="$TMP/no-such-envfile" optional="yes"/>
  </exec>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
XML
                out=$(SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run --state-root="$TMP/state" \
                        "$TMP/profiles/envrun.xml" 2>&1)
                rc=$?
        }
        printf 'FROM_ENV=file\nSECRET="s p"\n' >"$TMP/envfile"
        chmod 0600 "$TMP/envfile"
        envrun
        check_eq "sandboxctl run: the service gets the file's variables, over <env>'s" \
                "$rc:$(grep -E '^(FROM_ENV|SECRET)=' <<<"$out" | sort | tr '\n' ' ')" "0:FROM_ENV=file SECRET=s p "
        chmod 0620 "$TMP/envfile"
        envrun
        check_eq "... a file its group can write: refused" "$rc" 1
        check "... saying why" grep -q 'envfile: not root.s, or writable by its group or others' <<<"$out"
        chmod 0600 "$TMP/envfile"
        chown nobody "$TMP/envfile"
        envrun
        check "... a file of another user's: refused" grep -q 'envfile: not root.s' <<<"$out"
        chown root "$TMP/envfile"
        printf 'NOTIFY_SOCKET=/etc\n' >"$TMP/envfile"
        envrun
        check_eq "... a file that sets NOTIFY_SOCKET: refused" "$rc" 1
        check "... naming it" grep -q 'envfile sets NOTIFY_SOCKET, which systemd or the helper gives meaning to' <<<"$out"
        printf 'CREDENTIALS_DIRECTORY=/etc\n' >"$TMP/envfile"
        envrun
        check_eq "... a file that sets CREDENTIALS_DIRECTORY, as <env> may not: refused" "$rc" 1
        head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' a >"$TMP/envfile"
        envrun
        check "... a file over 1 MiB: refused" grep -q 'envfile: larger than 1048576 bytes' <<<"$out"
        rm "$TMP/envfile"
        mkfifo -m 0600 "$TMP/envfile"
        envrun
        check "... a FIFO: refused at once, not read" grep -q 'envfile: not a regular file' <<<"$out"
        rm "$TMP/envfile"
        envrun
        check "... a missing file without optional=\"yes\": refused" grep -q 'envfile: No such file or directory' <<<"$out"
        rm -rf "$TMP/state" "$TMP/profiles/envrun.xml"

        # <arg expand="yes">: sandboxctl run expands it from the
        # environment it built, as systemd would at start
        cat >"$TMP/profiles/expandrun.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec>
    <arg>/usr/bin/printf</arg>
    <arg>[%s]\n</arg>
    <arg expand="yes">\$OPTS</arg>
    <arg expand="yes">n=\${NAME} \$\$ \$NAME \${NAME:-d}</arg>
    <arg expand="yes">\$UNSET</arg>
    <arg>\$OPTS</arg>
    <env name="NAME" value="from-env"/>
    <environment-file path="$TMP/envfile"/>
  </exec>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
</sandbox>
XML
        printf 'OPTS="-a '"'"'b c'"'"'"\nNAME=from-file\n' >"$TMP/envfile"
        chmod 0600 "$TMP/envfile"
        out=$(SANDBOX_HELPER=$HELPER timeout 60 "$SANDBOXCTL" run --state-root="$TMP/state" \
                "$TMP/profiles/expandrun.xml" 2>&1)
        check_eq "sandboxctl run expands <arg expand=\"yes\"> by systemd's rules, from the file over <env>" \
                "$out" "$(printf '[%s]\n' -a 'b c' 'n=from-file $ $NAME ${NAME:-d}' '$OPTS')"
        rm -rf "$TMP/state" "$TMP/profiles/expandrun.xml" "$TMP/envfile"
else
        skip "sandboxctl run of the converted profile" "needs root"
fi
rm "$TMP/profiles/mounts.xml"

# The capabilities that reach past the sandbox (sandbox.profile(5)):
# never written to keep= by default. CAP_NET_ADMIN is one of them with the
# host's network only.
UNSAFE="CAP_SYS_ADMIN CAP_SYS_PTRACE CAP_MKNOD CAP_SYS_RAWIO CAP_SYS_MODULE CAP_SYSLOG CAP_SYS_TIME
        CAP_DAC_READ_SEARCH CAP_BPF CAP_PERFMON CAP_MAC_ADMIN CAP_MAC_OVERRIDE CAP_SYS_BOOT CAP_SETFCAP
        CAP_AUDIT_CONTROL CAP_NET_ADMIN"
# caps_in ATTRIBUTE FILE: the capabilities of ATTRIBUTE (keep or
# keep-unsafe) of FILE's <capabilities>, one a line
caps_in() {
        sed -n "s/.*<capabilities .*\b$1=\"\([^\"]*\)\".*/\1/p" "$2" | tr ' ' '\n' | grep .
}
# left_out_of FILE: for each capability of $UNSAFE, whether FILE keeps it
# (in keep=) and whether its comment says it was left out; prints the
# capabilities that are not as they should be
left_out_of() {
        local cap
        for cap in $UNSAFE; do
                if caps_in keep "$1" | grep -qx "$cap" ||
                   ! grep -q "^ *$cap left out: it lets the service .*; add keep-unsafe=\"$cap\" if the service needs it$" "$1"; then
                        echo "$cap"
                fi
        done
}

ctl convert rootd --output=-
check_eq "a root unit without CapabilityBoundingSet=: exit 0" "$rc" 0
check "... keep= has the capabilities that stay in the sandbox (CAP_CHOWN, CAP_NET_BIND_SERVICE, CAP_SYS_RESOURCE)" \
        sh -c 'for c in CAP_CHOWN CAP_NET_BIND_SERVICE CAP_SYS_RESOURCE; do grep -q "<capabilities keep=\"[^\"]*\b$c\b" "$0" || exit 1; done' "$TMP/out"
check_eq "... it writes none of the capabilities that reach past the sandbox, and its comment names each one left out" \
        "$(left_out_of "$TMP/out")" ""
check "... and no keep-unsafe=" sh -c '! grep -q "<capabilities .*keep-unsafe=" "$0"' "$TMP/out"
check_eq "... each one left out is a line on stderr too" \
        "$(grep -c '^sandboxctl convert: rootd.service: CAP_[A-Z_]* left out: ' "$TMP/err")" "$(wc -w <<<"$UNSAFE")"
cp "$TMP/out" "$TMP/profiles/rootd.xml"
"$SANDBOXCTL" validate "$TMP/profiles/rootd.xml" >"$TMP/validate.out" 2>"$TMP/validate.err"
check_eq "... the profile is valid, without a warning" "$?:$(cat "$TMP/validate.err")" "0:"
rm "$TMP/profiles/rootd.xml"

ctl convert rootd --output=- --keep-unsafe-caps
check_eq "--keep-unsafe-caps: exit 0" "$rc" 0
check_eq "... keep-unsafe= has each capability that reaches past the sandbox" \
        "$(caps_in keep-unsafe "$TMP/out" | sort)" "$(tr -s ' \n' '\n' <<<"$UNSAFE" | grep . | sort)"
check "... keep= none of them" sh -c 'for c in $1; do grep -q "<capabilities keep=\"[^\"]*\b$c\b" "$0" && exit 1; done; exit 0' \
        "$TMP/out" "$UNSAFE"
check "... each a line in the comment" grep -q '^ *CAP_SYS_ADMIN kept with keep-unsafe=, as asked: it lets the service ' "$TMP/out"
cp "$TMP/out" "$TMP/profiles/rootd.xml"
"$SANDBOXCTL" validate "$TMP/profiles/rootd.xml" >"$TMP/validate.out" 2>"$TMP/validate.err"
check_eq "... the profile is valid" "$?" 0
check_eq "... with one warning each from validate" "$(grep -c ': warning: <capabilities>: CAP_[A-Z_]* is kept (keep-unsafe): it lets the service ' "$TMP/validate.err")" \
        "$(wc -w <<<"$UNSAFE")"
rm "$TMP/profiles/rootd.xml"

ctl convert rootd-own-net --output=-
check_eq "a root unit with PrivateNetwork=yes: CAP_NET_ADMIN acts on its own network and is kept; CAP_SYS_TIME is not" \
        "$(caps_in keep "$TMP/out" | sort | tr '\n' ' ')" "CAP_NET_ADMIN CAP_NET_BIND_SERVICE "
check "... CAP_SYS_TIME is listed as left out" grep -q '^ *CAP_SYS_TIME left out: it lets the service set the host.s clock' "$TMP/out"

ctl convert tmpl@30.service --output="$TMP/profiles/tmpl-30.xml"
check_eq "an instance of a template, written to a file: exit 0" "$rc" 0
check "%i is the instance" grep -q '<arg>30</arg>' "$TMP/profiles/tmpl-30.xml"
long=$(printf 'x%.0s' $(seq 150))
ctl convert "tmpl@$long.service" --name=tmpl-long --output=-
check "a long instance is expanded whole, every time (%i%i)" grep -q "<arg>$long$long</arg>" "$TMP/out"
check "the file is a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/profiles/tmpl-30.xml"
ctl convert 'tmpl@a:b\x2dc.service' --output=-
check_eq "an instance with characters a sandbox's name cannot have: exit 0" "$rc" 0
check "... each one made \"-\" in the profile's name" grep -q '<sandbox name="tmpl-a-b-x2dc">' "$TMP/out"
check "... %i the escaped instance, as systemd has it" grep -qF '<arg>a:b\x2dc</arg>' "$TMP/out"

ctl convert tmpl@30.service --output="$TMP/profiles/tmpl-30.xml"
check_eq "the same file again without --replace: refused" "$rc" 1
check "... saying --replace overwrites it" grep -q -- "--replace overwrites it" "$TMP/err"
ctl convert tmpl@31.service --name=tmpl-30 --output="$TMP/profiles/tmpl-30.xml" --replace
check_eq "with --replace: written" "$rc" 0
check "... with the new unit's command" grep -q '<arg>31</arg>' "$TMP/profiles/tmpl-30.xml"
ctl convert web --output="$TMP/profiles/other.xml"
check_eq "--output=FILE not named NAME.xml: refused" "$rc" 1
check "... saying what it must be named" grep -q "must be named web.xml" "$TMP/err"
check "... and nothing written" test ! -e "$TMP/profiles/other.xml"

# a socket-activated service converts: the socket stays and starts the
# sandbox (--enable writes its drop-in; tests/e2e/test-e2e-convert.sh); one
# that starts an instance per connection (Accept=yes) is refused
ctl convert sock --output=-
check_eq "a socket-activated service: exit 0" "$rc" 0
check "... the note says the socket stays and starts the sandbox" \
        grep -q 'sock.service: TriggeredBy=sock.socket: the socket stays on the host and starts the sandbox instead' "$TMP/err"
mkdir -p "$UNITS/sock.socket.d"
printf '[Socket]\nAccept=yes\n' >"$UNITS/sock.socket.d/accept.conf"
printf '[Service]\nExecStart=/bin/cat\nStandardInput=socket\n' >"$UNITS/sock@.service"
for unit in sock sock@0; do
        ctl convert "$unit" --output=-
        check "Accept=yes in the socket's drop-in: $unit refused" \
                grep -q "$unit.service: socket-activated by sock.socket with Accept=yes" "$TMP/err"
done
rm -r "$UNITS/sock.socket.d" "$UNITS/sock@.service"

for bad in "masked:masked; unmask it first" "job:Type=oneshot runs once" \
        "nosuch:nosuch.service: no such unit" "tmpl@:is a template"; do
        ctl convert "${bad%%:*}" --output=-
        if [ "$rc" -eq 1 ] && grep -q "${bad#*:}" "$TMP/err" && [ ! -s "$TMP/out" ]; then
                ok "refused: ${bad%%:*} (${bad#*:})"
        else
                not_ok "refused: ${bad%%:*} (${bad#*:})"
                diag "status $rc" "$(cat "$TMP/err")"
        fi
done
ctl convert web --enable
check_eq "--enable without a manager: refused" "$rc" 1
check "... saying why" grep -q -- "--enable needs systemd's manager" "$TMP/err"
check_eq "... and no profile written" "$(ls "$TMP/profiles")" "tmpl-30.xml"

# Runtime directories shared with the host, from RuntimeDirectory= and
# from tmpfiles.d lines for /run/NAME whose user is the unit's User=, or
# whose path the unit names (with the owner the line gives, when it is
# another); an /etc/tmpfiles.d file hides the same name below /usr/lib;
# what cannot be shared stays the sandbox's own
cat >"$UNITS/rd.service" <<'EOF'
[Service]
User=nobody
Group=nogroup
ExecStart=/bin/sleep infinity
PIDFile=/var/run/rd-pid/rd.pid
RuntimeDirectory=rd rd/sub systemd
RuntimeDirectoryMode=0750
EOF
cat >"$TMP/tmpfiles-usr/rd.conf" <<'EOF'
# the package's
d /run/rd-sock 2775 nobody nogroup -
D! /var/run/rd-pid 0700 root root -
d /run/rd-other 0755 daemon daemon -
d /run/rd-sock/deeper 0755 nobody nogroup -
d /run/dbus 0755 nobody nogroup -
f /run/rd-file 0644 nobody nogroup -
d /run/rd 0700 nobody nogroup -
EOF
printf 'd /run/rd-hidden 0755 nobody nogroup -\n' >"$TMP/tmpfiles-usr/hidden.conf"
printf '# nothing: hides the one below /usr/lib\n' >"$TMP/tmpfiles-etc/hidden.conf"
ctl convert rd --output=-
check_eq "runtime directories from the unit and from tmpfiles.d: exit 0" "$rc" 0
check_eq "shared: RuntimeDirectory=rd first (its mode), then the tmpfiles.d lines of the unit's user or path" \
        "$(grep '<runtime-directory' "$TMP/out")" \
        '    <runtime-directory name="systemd" mode="0750"/>
    <runtime-directory name="rd" mode="0750" share="host"/>
    <runtime-directory name="rd-sock" mode="2775" share="host"/>
    <runtime-directory name="rd-pid" mode="0700" share="host" user="root" group="root"/>'
check "RuntimeDirectory=rd/sub is inside the shared rd: said, not made" \
        grep -q 'RuntimeDirectory=rd/sub: inside /run/rd, which is shared with the host' "$TMP/err"
check "RuntimeDirectory=systemd: the sandbox's own, said why" \
        grep -q "RuntimeDirectory=systemd: the sandbox's own /run/systemd, not shared with the host (it is one of the system's own" "$TMP/err"
check "the tmpfiles.d line of the unit's user: said with its file and line" \
        grep -q "$TMP/tmpfiles-usr/rd.conf:2: d /run/rd-sock 2775 nobody: /run/rd-sock shared with the host (its user is the unit's User=), the service's user's" "$TMP/err"
check "the line for the PIDFile='s directory: said, with the owner it gives kept" \
        grep -q "rd.conf:3: D! /var/run/rd-pid 0700 root: /run/rd-pid shared with the host (the unit names that path), owned by root as tmpfiles.d says" "$TMP/err"
mkdir -p "$TMP/rdcheck"
cp "$TMP/out" "$TMP/rdcheck/rd.xml"
check "... a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/rdcheck/rd.xml"

# ---- PrivateUsers=, DynamicUser= and --user-namespace= ------------------
# a dynamic user: a name the host's /etc/passwd does not have
DYN=sbxdynamic
if grep -q "^$DYN:" /etc/passwd; then
        echo "Bail out! $DYN is a user of this host; the dynamic user's test needs a name that is none"
        exit 1
fi
printf '[Service]\nDynamicUser=yes\nAmbientCapabilities=CAP_CHOWN CAP_NET_BIND_SERVICE\nExecStart=/usr/bin/sleep infinity\n' \
        >"$UNITS/$DYN.service"
mkdir -p "$TMP/userns"
for option in "" --user-namespace=private; do
        ctl convert "$DYN" --output=- $option
        what="DynamicUser=yes${option:+ with $option}"
        check_eq "$what: exit 0" "$rc" 0
        check "... into <user-namespace mode=\"private\"/>" grep -qx '  <user-namespace mode="private"/>' "$TMP/out"
        check "... its user a numeric ID inside, the first of systemd's dynamic IDs, not root" \
                grep -qx '  <exec user="61184" group="61184">' "$TMP/out"
        check_eq "... saying what it chose and why, the mode first, then the user, one line each" \
                "$(grep -o "^sandboxctl convert: $DYN.service: DynamicUser=yes: [^:]*" "$TMP/err")" \
                "sandboxctl convert: $DYN.service: DynamicUser=yes: <user-namespace mode=\"private\"/>${option:+}$(
                        [ -z "$option" ] && printf ' (for a dynamic user, whose user is none of the host%ss; identity maps only the host%ss own)' "'" "'")
sandboxctl convert: $DYN.service: DynamicUser=yes: its user $DYN is none of the host's"
        check "... the service runs as 61184 inside, said" grep -q "the service runs as user and group 61184 inside its user namespace, not root" "$TMP/err"
        check "... PrivateTmp=, which it implies: /var/tmp a tmpfs of its own" \
                grep -q '<tmpfs target="/var/tmp" mode="1777"/>' "$TMP/out"
        check "... no NoNewPrivileges=no note (it implies NoNewPrivileges=yes)" bash -c '! grep -q "NoNewPrivileges=no" "$0"' "$TMP/err"
        check "... with the host's network, CAP_NET_BIND_SERVICE is not kept (it would act nowhere), CAP_CHOWN is" \
                grep -qx '    <capabilities keep="CAP_CHOWN"/>' "$TMP/out"
        check "... and said" grep -q '<user-namespace mode="private"/> with the host.s network: CAP_NET_BIND_SERVICE, .* are not kept' "$TMP/err"
        cp "$TMP/out" "$TMP/userns/$DYN.xml"
        check "... a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/userns/$DYN.xml"
done
printf 'PrivateNetwork=yes\n' >>"$UNITS/$DYN.service"
ctl convert "$DYN" --output=-
check "DynamicUser=yes with a network of its own: CAP_NET_BIND_SERVICE kept, real in its user namespace's network" \
        grep -qx '    <capabilities keep="CAP_CHOWN CAP_NET_BIND_SERVICE"/>' "$TMP/out"
cp "$TMP/out" "$TMP/userns/$DYN.xml"
check "... a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/userns/$DYN.xml"
ctl convert "$DYN" --output=- --user-namespace=identity
check_eq "DynamicUser=yes with --user-namespace=identity: refused, exit 1, nothing written" "$rc $(wc -c <"$TMP/out")" "1 0"
check "... saying why: its user is none of the host's, and identity maps only those" \
        grep -q "convert: $DYN.service: DynamicUser=yes with --user-namespace=identity: its user $DYN exists only while systemd runs it, and identity maps only the host's own users" "$TMP/err"
printf '[Service]\nDynamicUser=yes\nStateDirectory=%s-state\nExecStart=/usr/bin/sleep infinity\n' "$DYN" >"$UNITS/$DYN.service"
ctl convert "$DYN" --output=-
check_eq "DynamicUser=yes with a StateDirectory= systemd has not made yet: refused, exit 1, nothing written" \
        "$rc $(wc -c <"$TMP/out")" "1 0"
check "... naming where systemd keeps it, and what to do" \
        grep -q "StateDirectory=$DYN-state with DynamicUser=yes: systemd keeps it in /var/lib/private/$DYN-state, which is not there: it makes it at the unit's first start; start $DYN.service once, then convert again" "$TMP/err"
printf '[Service]\nDynamicUser=yes\nCacheDirectory=%s/deeper\nExecStart=/usr/bin/sleep infinity\n' "$DYN" >"$UNITS/$DYN.service"
ctl convert "$DYN" --output=-
check "DynamicUser=yes with CacheDirectory=NAME/deeper: refused, only a plain name is converted" \
        bash -c '[ "$1" -eq 1 ] && grep -q "CacheDirectory=$2/deeper with DynamicUser=yes: only a plain name is converted" "$3"' \
        _ "$rc" "$DYN" "$TMP/err"
# a user of the host's /etc/passwd is used by systemd as it is
printf '[Service]\nDynamicUser=yes\nUser=nobody\nExecStart=/usr/bin/sleep infinity\n' >"$UNITS/$DYN.service"
ctl convert "$DYN" --output=-
check "DynamicUser=yes, User=nobody (a static user): private, the user kept" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "  <exec user=\"nobody\">" "$2" && grep -qx "  <user-namespace mode=\"private\"/>" "$2"' \
        _ "$rc" "$TMP/out"
check "... said" grep -q "DynamicUser=yes: nobody is a user of the host's /etc/passwd, which systemd uses then rather than a dynamic one" "$TMP/err"
ctl convert "$DYN" --output=- --user-namespace=identity
check "... and identity is taken for it: the user is the host's" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "  <user-namespace mode=\"identity\"/>" "$2"' _ "$rc" "$TMP/out"
check "... said, as asked" grep -q 'DynamicUser=yes: carried, <user-namespace mode="identity"/>, as --user-namespace=identity asks' "$TMP/err"
printf 'AmbientCapabilities=CAP_CHOWN CAP_NET_BIND_SERVICE\n' >>"$UNITS/$DYN.service"
ctl convert "$DYN" --output=- --user-namespace=identity
check "... its CAP_NET_BIND_SERVICE not kept under identity (it would act nowhere), CAP_CHOWN kept" \
        grep -qx '    <capabilities keep="CAP_CHOWN"/>' "$TMP/out"
check "... saying that the unit had it" grep -q "where the service has none, which the unit had (a bind() below 1024 fails)" "$TMP/err"
cp "$TMP/out" "$TMP/userns/$DYN.xml"
check "... a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/userns/$DYN.xml"

# PrivateUsers=yes: identity, what systemd does, unless private is asked for
printf '[Service]\nPrivateUsers=yes\nCapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE\nExecStart=/usr/bin/sleep infinity\n' \
        >"$UNITS/privusers.service"
ctl convert privusers --output=-
check "PrivateUsers=yes: <user-namespace mode=\"identity\"/> by default" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "  <user-namespace mode=\"identity\"/>" "$2"' _ "$rc" "$TMP/out"
check "... saying why: what systemd does, and what --user-namespace=private would do" \
        grep -q 'PrivateUsers=yes: carried, <user-namespace mode="identity"/> (what systemd does; --user-namespace=private gives it a range of the host.s IDs of its own instead)' "$TMP/err"
ctl convert privusers --output=- --user-namespace=private
check "PrivateUsers=yes with --user-namespace=private: <user-namespace mode=\"private\"/>" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "  <user-namespace mode=\"private\"/>" "$2"' _ "$rc" "$TMP/out"
check "... saying so, and that root inside is not root on the host" \
        grep -q 'PrivateUsers=yes: <user-namespace mode="private"/>, as --user-namespace=private asks (systemd.s PrivateUsers=yes is identity): .*; it runs as root inside, which is not root on the host' "$TMP/err"
check "... CAP_NET_BIND_SERVICE not kept, as under systemd: never wider than the unit" \
        grep -qx '    <capabilities keep="CAP_CHOWN"/>' "$TMP/out"
cp "$TMP/out" "$TMP/userns/privusers.xml"
check "... a valid profile" sh -c '"$0" validate "$1" >/dev/null' "$SANDBOXCTL" "$TMP/userns/privusers.xml"

# a unit with neither: none, unless asked for
ctl convert web --output=-
check "a unit with neither PrivateUsers= nor DynamicUser=: no <user-namespace>" \
        bash -c '[ "$1" -eq 0 ] && ! grep -q "<user-namespace" "$2"' _ "$rc" "$TMP/out"
ctl convert web --output=- --user-namespace=private
check "... with --user-namespace=private: <user-namespace mode=\"private\"/>, said as asked" \
        bash -c '[ "$1" -eq 0 ] && grep -qx "  <user-namespace mode=\"private\"/>" "$2" &&
                 grep -q "web.service: --user-namespace=private: <user-namespace mode=\"private\"/>, as asked (the unit has neither PrivateUsers= nor DynamicUser=)" "$3"' \
        _ "$rc" "$TMP/out" "$TMP/err"
ctl convert web --output=- --user-namespace=shared
check_eq "--user-namespace=shared: usage error, exit 2, one line" "$rc $(wc -l <"$TMP/err") $(wc -c <"$TMP/out")" "2 1 0"
check "... naming the values allowed" grep -qx 'sandboxctl convert: --user-namespace=shared: allowed: identity, private' "$TMP/err"

done_testing
