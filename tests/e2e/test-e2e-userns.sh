#!/bin/bash
# End-to-end: a unit with PrivateUsers=yes, as Debian's redis-server and
# uuidd have it, converts without --accept-widening into
# <user-namespace mode="identity"/>, and the sandboxed service runs in a
# user namespace with the same identity maps as systemd gives the
# original: root and its own user and group, nothing else. A root unit
# with PrivateUsers=yes converts too, with a note that its capabilities
# are the namespace's, without the network ones, which act in the
# host's user namespace only. What crosses the sandbox keeps working
# under the mapping: a Type=notify service's READY=1 through the relay,
# its syslog lines in the journal, its shared runtime directory, its
# credentials, its cgroup. A unit with DynamicUser=yes, run once under
# systemd, converts into <user-namespace mode="private"/>, as the ID
# systemd gave it, with its state directory bound where systemd keeps it;
# it is started only by a helper that maps a range of its own.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init

USER_NAME=sbuserns
cat >"$TMP/privusers.service" <<EOF
[Unit]
Description=A service of its own user in a user namespace

[Service]
User=$USER_NAME
Group=$USER_NAME
PrivateUsers=yes
ExecStart=/bin/sleep infinity
EOF
e2e_file "$TMP/privusers.service" /etc/systemd/system/privusers.service
cat >"$TMP/rootusers.service" <<'EOF'
[Service]
PrivateUsers=yes
CapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE
ExecStart=/bin/sleep infinity
EOF
e2e_file "$TMP/rootusers.service" /etc/systemd/system/rootusers.service
# usernotify: reads its credential, writes in its runtime directory,
# logs through syslog(3), says READY=1, and stays
cat >"$TMP/usernotify" <<'EOF'
#!/usr/bin/python3
import os, socket, syslog, time
with open(os.path.join(os.environ["CREDENTIALS_DIRECTORY"], "token")) as f:
    token = f.read()
with open("/run/usernotify/out", "w") as f:
    f.write("token=%s uid=%d\n" % (token, os.getuid()))
syslog.openlog("usernotify")
syslog.syslog("usernotify in its user namespace, uid %d" % os.getuid())
addr = os.environ["NOTIFY_SOCKET"]
if addr.startswith("@"):
    addr = "\0" + addr[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1", addr)
while True:
    time.sleep(3600)
EOF
e2e_file "$TMP/usernotify" /usr/local/bin/usernotify 0755
cat >"$TMP/usernotify.service" <<EOF
[Service]
Type=notify
User=$USER_NAME
Group=$USER_NAME
PrivateUsers=yes
RuntimeDirectory=usernotify
SetCredential=token:s3cret
MemoryMax=100M
ExecStart=/usr/local/bin/usernotify
EOF
e2e_file "$TMP/usernotify.service" /etc/systemd/system/usernotify.service
# dynstate: DynamicUser=yes, once under systemd, which makes its state
# directory in /var/lib/private and the link to it; then converted. It
# writes through the link, as services name their own directories: a
# converted unit gets no $STATE_DIRECTORY (nor the other *_DIRECTORY
# variables systemd sets)
cat >"$TMP/dynstate.service" <<'EOF'
[Service]
DynamicUser=yes
StateDirectory=dynstate
ExecStart=/bin/sh -c 'id -u >/var/lib/dynstate/made-by; exec sleep infinity'
EOF
e2e_file "$TMP/dynstate.service" /etc/systemd/system/dynstate.service
# on a root the kernel can idmap, for the converted DynamicUser=yes unit,
# which runs with a range of its own
e2e_idmappable
e2e_boot

# the test's user, in the container's /etc only
if ! c useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$USER_NAME"; then
        echo "Bail out! cannot add the user $USER_NAME in the container"
        exit 1
fi
UID_N=$(c id -u "$USER_NAME")
GID_N=$(c id -g "$USER_NAME")

# map PID FILE: /proc/PID/FILE in the container, one "IN OUT COUNT" a line
map() {
        c cat "/proc/$1/$2" | awk '{ print $1, $2, $3 }'
}

c systemctl start privusers.service
ORIGINAL=$(c systemctl show -p MainPID --value privusers.service)
ORIGINAL_UID_MAP=$(map "$ORIGINAL" uid_map)
ORIGINAL_GID_MAP=$(map "$ORIGINAL" gid_map)
check_eq "systemd's PrivateUsers=yes: the original's uid_map, root and its user" "$ORIGINAL_UID_MAP" "0 0 1
$UID_N $UID_N 1"

c sandboxctl convert privusers --output=- >"$TMP/out" 2>"$TMP/err"
check_eq "convert of a unit with PrivateUsers=yes, without --accept-widening: exit 0" "$?" 0
check "... into <user-namespace mode=\"identity\"/>" grep -qF '<user-namespace mode="identity"/>' "$TMP/out"
check "... saying so" grep -q '^sandboxctl convert: privusers.service: PrivateUsers=yes: carried, <user-namespace mode="identity"/>' "$TMP/err"
check "... and nothing refused" bash -c '! grep -q "confine less" "$0"' "$TMP/err"

c sandboxctl convert privusers --enable >"$TMP/out" 2>"$TMP/err"
check_eq "convert --enable: exit 0" "$?" 0
c_wait_active sandbox@privusers.service >/dev/null
PID=$(c_service_executed sandbox@privusers.service)
check "the sandboxed service runs" test -n "$PID"
check_eq "... as its user" "$(c stat -c %u "/proc/$PID")" "$UID_N"
check_eq "... with the identity uid_map: root and its user, as systemd gave the original" "$(map "$PID" uid_map)" \
        "$ORIGINAL_UID_MAP"
check_eq "... and gid_map: root and its group" "$(map "$PID" gid_map)" "0 0 1
$GID_N $GID_N 1"
check_eq "... as the original's" "$(map "$PID" gid_map)" "$ORIGINAL_GID_MAP"
check "... in a user namespace of its own, not the container's" \
        test "$(c readlink "/proc/$PID/ns/user")" != "$(c readlink /proc/1/ns/user)"
check_eq "... which a joined command (sandboxctl exec) enters too" \
        "$(c sandboxctl exec privusers -- /usr/bin/readlink /proc/self/ns/user 2>"$TMP/err")" \
        "$(c readlink "/proc/$PID/ns/user")"

check_eq "sandboxctl status shows the maps" "$(c sandboxctl status privusers | grep '^ *users: ')" \
        "      users: a user namespace of its own: uid_map 0 0 1, $UID_N $UID_N 1; gid_map 0 0 1, $GID_N $GID_N 1"
# user_namespace FILE NAME: the field of sandboxctl's JSON in FILE, of the
# object itself or of the array's entry NAME
user_namespace() {
        python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
if isinstance(o, list):
    o = [e for e in o if e["name"] == sys.argv[2]][0]
print(o["user_namespace"])' "$1" "$2"
}
expected="{'mode': 'identity', 'uid_map': '0 0 1, $UID_N $UID_N 1', 'gid_map': '0 0 1, $GID_N $GID_N 1'}"
c sandboxctl status --json privusers >"$TMP/status.json"
check_eq "... and --json: mode identity, the maps, no range" "$(user_namespace "$TMP/status.json" privusers)" "$expected"
c sandboxctl status privusers >"$TMP/status.txt"
check "... and no range line, as identity has none" bash -c '! grep -q "^ *range: " "$0"' "$TMP/status.txt"
c sandboxctl list --json >"$TMP/list.json"
check_eq "... and list --json" "$(user_namespace "$TMP/list.json" privusers)" "$expected"

# what crosses the sandbox, under the mapping
c sandboxctl convert usernotify --enable >"$TMP/out" 2>"$TMP/err"
check_eq "Type=notify, RuntimeDirectory=, SetCredential=, MemoryMax= with PrivateUsers=yes: convert --enable: exit 0" "$?" 0
check "... the service is active: its READY=1 came through the relay" c_wait_active sandbox@usernotify.service
PID=$(c_service_executed sandbox@usernotify.service)
check_eq "... in its user namespace, the identity map" "$(map "$PID" uid_map)" "0 0 1
$UID_N $UID_N 1"
check_eq "... its credential read, its shared runtime directory written, as its real user on the host" \
        "$(c cat /run/usernotify/out 2>&1)" "token=s3cret uid=$UID_N"
check_eq "... the file there is its user's on the host" "$(c stat -c %u /run/usernotify/out 2>&1)" "$UID_N"
check "... its syslog line in the journal of sandbox@usernotify, with its real user" \
        bash -c 'for i in $(seq 50); do
                         nsenter -t "$0" -a journalctl -u sandbox@usernotify.service "_UID=$1" -o cat --no-pager 2>/dev/null |
                                 grep -q "^usernotify in its user namespace, uid $1$" && exit 0
                         sleep 0.1
                 done; exit 1' "$E2E_PID1" "$UID_N"
check "... in the unit's cgroup" c grep -q "sandbox@usernotify.service" "/proc/$PID/cgroup"
check_eq "... under its memory limit" "$(c systemctl show -p MemoryMax --value sandbox@usernotify.service)" 104857600

c sandboxctl convert rootusers --output=- >"$TMP/out" 2>"$TMP/err"
check_eq "a root unit with PrivateUsers=yes converts too: exit 0" "$?" 0
check "... its note: root's capabilities are the namespace's" \
        grep -q "PrivateUsers=yes: carried, .*it runs as root, and root's capabilities are the namespace's" "$TMP/err"
check "... CAP_CHOWN kept, CAP_NET_BIND_SERVICE not (it acts in the host's user namespace only)" \
        grep -qF '<capabilities keep="CAP_CHOWN"/>' "$TMP/out"
c sh -c 'cat >/tmp/rootusers.xml' <"$TMP/out"
check "... and the profile is valid" c sh -c 'sandboxctl validate /tmp/rootusers.xml >/dev/null'

# DynamicUser=yes: <user-namespace mode="private"/>, its user the ID
# systemd gave it, its state directory where systemd keeps it
c systemctl start dynstate.service
check "DynamicUser=yes under systemd: active" c_wait_active dynstate.service
DYN_UID=$(c stat -c %u /var/lib/private/dynstate 2>/dev/null)
for _ in $(seq 50); do
        c test -s /var/lib/private/dynstate/made-by && break
        sleep 0.1
done
check_eq "... its state directory in /var/lib/private, its dynamic user's, which wrote there" \
        "$(c cat /var/lib/private/dynstate/made-by 2>&1)" "$DYN_UID"
check_eq "... and /var/lib/dynstate the link to it" "$(c readlink /var/lib/dynstate)" private/dynstate
c systemctl stop dynstate.service
c sandboxctl convert dynstate --output=- >"$TMP/out" 2>"$TMP/err"
check_eq "convert of a unit with DynamicUser=yes: exit 0" "$?" 0
check "... into <user-namespace mode=\"private\"/>" grep -qx '  <user-namespace mode="private"/>' "$TMP/out"
check "... as the ID systemd gave it ($DYN_UID), not root" grep -qx "  <exec user=\"$DYN_UID\" group=\"$DYN_UID\">" "$TMP/out"
check "... its state directory bound writable where systemd keeps it" \
        grep -qx '    <bind source="/var/lib/private/dynstate" readonly="no"/>' "$TMP/out"
check "... on a tmpfs /var/lib/private of its own, which shows nothing else" \
        grep -qx '    <tmpfs target="/var/lib/private" mode="0755"/>' "$TMP/out"
check "... each choice said: the mode, the user, the directory" bash -c '
        grep -q "^sandboxctl convert: dynstate.service: DynamicUser=yes: <user-namespace mode=\"private\"/> (for a dynamic user" "$0" &&
        grep -q "^sandboxctl convert: dynstate.service: DynamicUser=yes: its user dynstate is none of the host.s: the service runs as user and group $1 inside" "$0" &&
        grep -q "^sandboxctl convert: dynstate.service: StateDirectory=dynstate with DynamicUser=yes: /var/lib/private/dynstate, where systemd keeps it, bound writable" "$0"' \
        "$TMP/err" "$DYN_UID"
c sh -c 'cat >/tmp/dynstate.xml' <"$TMP/out"
check "... and the profile is valid" c sh -c 'sandboxctl validate /tmp/dynstate.xml >/dev/null'
c sandboxctl convert dynstate --output=- --user-namespace=identity >"$TMP/out" 2>"$TMP/err"
check_eq "... --user-namespace=identity refused for it: exit 1" "$?" 1
# its start needs a helper that maps a range of its own, and a root the
# kernel can idmap (not the overlayfs a container may run on)
DYN_CHECKS=("convert --enable of the DynamicUser=yes unit: exit 0" "... the sandbox is active"
        "... its service is the ID systemd gave it, inside" "... of the range status shows: BASE + that ID on the host"
        "... what it wrote in its state directory is owned by that ID on the disk, as under systemd")
why=
if ! "$HELPER" --name=x --dry-run --user-namespace=private -- /bin/true >/dev/null 2>&1; then
        why="this sandbox-helper refuses --user-namespace=private"
else
        c rm -f /var/lib/private/dynstate/made-by
        c sandboxctl convert dynstate --enable >"$TMP/out" 2>"$TMP/err"
        enabled=$?
        if [ "$enabled" -ne 0 ]; then
                why=$(c journalctl -u sandbox@dynstate.service --no-pager -o cat 2>/dev/null |
                        grep -m 1 -o 'root: / is on a file system that cannot be idmapped[^(]*')
                why=${why% }
                [ -n "$why" ] && why="the container's $why"
        fi
fi
if [ -n "$why" ]; then
        for what in "${DYN_CHECKS[@]}"; do
                skip "$what" "$why"
        done
else
        check_eq "${DYN_CHECKS[0]}" "$enabled" 0
        check "${DYN_CHECKS[1]}" c_wait_active sandbox@dynstate.service
        PID=$(c_service_executed sandbox@dynstate.service)
        for _ in $(seq 50); do
                c test -s /var/lib/private/dynstate/made-by && break
                sleep 0.1
        done
        check_eq "${DYN_CHECKS[2]}" "$(c cat /var/lib/private/dynstate/made-by 2>&1)" "$DYN_UID"
        c sandboxctl status --json dynstate >"$TMP/dyn.json"
        BASE=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["user_namespace"]["base"])' "$TMP/dyn.json")
        check_eq "${DYN_CHECKS[3]}" "$(c stat -c %u "/proc/$PID" 2>&1)" "$((BASE + DYN_UID))"
        check_eq "${DYN_CHECKS[4]}" "$(c stat -c %u /var/lib/private/dynstate/made-by 2>&1)" "$DYN_UID"
fi

done_testing
