#!/usr/bin/env bash
# sandboxctl run by a user who is not root (sandboxctl(1), UNPRIVILEGED
# RUN). In the test's own mount namespace, over /etc and /var overlays
# whose upper layers are the test's (the host's files are never
# changed), a user of the test's is made with 65536 IDs of its own in
# /etc/subuid and /etc/subgid; as that user (setpriv, no set-ID but
# newuidmap's and newgidmap's), sandboxctl runs a profile of its own
# home. From inside: the user namespace's maps (root the user, 1..65536
# the delegated IDs), the host's root read-only, a file that only the
# host's root may read unreadable for root with CAP_DAC_OVERRIDE,
# /etc/hosts not writable, a host process of root's not reachable by
# kill(), no_new_privs, a nested user namespace refused by the default
# seccomp filter, open_by_handle_at(2) refused by the kernel itself
# (with CAP_DAC_READ_SEARCH and the filter's rule taken off); from the host: what root and UID 1000 wrote in /var
# (and in /var/lib) is in ~/.local/state/sandbox/NAME/var/upper, owned
# by the user and by its delegated ID 1000; the state kept for the next
# run, a second start refused by the lock while one runs, a profile's
# <landlock> applied. A block device and an
# SELinux label are refused with their profile line, before anything is
# made; the helper's --unprivileged is refused to the host's root.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

for tool in newuidmap newgidmap setpriv useradd cc; do
        if ! command -v "$tool" >/dev/null; then
                echo "1..0 # SKIP $tool is not installed (newuidmap and newgidmap: the package uidmap)"
                exit 0
        fi
done

trap 'kill "$ROOTS" 2>/dev/null; wait "$ROOTS" 2>/dev/null; remove_sandbox_dirs' EXIT
host_overlay "$TMP/host"

NAME=sbxu$$
START=300000
if ! useradd -M -d "$TMP/home" -s /bin/sh -U "$NAME" 2>"$TMP/err"; then
        echo "1..0 # SKIP cannot make a test user here: $(head -c 300 "$TMP/err")"
        exit 0
fi
echo "$NAME:$START:65536" >/etc/subuid
echo "$NAME:$START:65536" >/etc/subgid
U=$(id -u "$NAME")
G=$(id -g "$NAME")
H=$TMP/home
mkdir -p "$H/run"
chown -R "$U:$G" "$H"
chmod 0700 "$H" "$H/run"

# as_user COMMAND...: the test's user, with only what a login gives
as_user() {
        setpriv --reuid="$U" --regid="$G" --init-groups --inh-caps=-all \
                env -i HOME="$H" XDG_RUNTIME_DIR="$H/run" PATH=/usr/bin:/bin SANDBOX_HELPER="$HELPER" "$@"
}

# profile NAME BODY: $H/NAME.xml, the user's
profile() {
        printf '<?xml version="1.0"?>\n<sandbox>\n%s\n</sandbox>\n' "$2" >"$H/$1.xml"
        chown "$U:$G" "$H/$1.xml"
}

# a file of the host's root's, readable by root alone (in the test's /var)
SECRET=/var/lib/sbx-secret-$$
echo secret >"$SECRET"
chmod 0600 "$SECRET"
# a process of the host's root, by its PID
sleep 300 &
ROOTS=$!

profile probe '  <exec><arg>/bin/true</arg></exec>
  <network mode="none"/>
  <security><capabilities keep="CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_KILL"/></security>'
PROBE='cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //"
touch /usr/sbx-probe 2>&1 | grep -q "Read-only" && echo root=read-only
echo root >/var/by-root && echo y >/var/by-1000 && chown 1000:1000 /var/by-1000 && echo var=written
mkdir /var/lib/sbx && echo z >/var/lib/sbx/f && echo varlib=written
echo x >>/etc/hosts 2>/dev/null || echo hosts=refused
cat '"$SECRET"' 2>&1 | grep -q "Permission denied" && echo secret=refused
kill -0 '$ROOTS' 2>&1 | grep -q "No such process" && echo kill=ESRCH
grep -q "^NoNewPrivs:.1" /proc/self/status && echo no_new_privs=1
unshare -U true 2>&1 | grep -q "Operation not permitted" && echo nested-userns=EPERM
echo id=$(id -u)'
out=$(cd "$H" && as_user timeout 60 "$SANDBOXCTL" run "$H/probe.xml" -- /bin/sh -c "$PROBE" 2>"$TMP/err")
status=$?
check_eq "the user's run ends as its command did" "$status" 0
check_eq "uid_map and gid_map: root is the user, 1..65536 its delegated IDs" \
        "$(echo "$out" | head -4 | tr '\n' ';')" "0 $U 1;1 $START 65536;0 $G 1;1 $START 65536;"
check "the host's root is read-only" grep -qx root=read-only <<<"$out"
check "root inside is root of the namespace alone" grep -qx id=0 <<<"$out"
check "root with CAP_DAC_OVERRIDE cannot read a file of the host's root's" grep -qx secret=refused <<<"$out"
check "a host process of root's, by its PID, is not there for kill()" grep -qx kill=ESRCH <<<"$out"
check "no_new_privs is set" grep -qx no_new_privs=1 <<<"$out"
check "the default seccomp filter stops a nested user namespace (EPERM)" grep -qx nested-userns=EPERM <<<"$out"
check "/var takes files" grep -qx var=written <<<"$out"
check "/var/lib, a directory of the host's root's, takes a new one" grep -qx varlib=written <<<"$out"
check "/etc/hosts, a file of the host's root's, cannot be changed" grep -qx hosts=refused <<<"$out"
UPPER=$H/.local/state/sandbox/probe/var/upper
check_eq "what root wrote in /var is the user's on the host" "$(stat -c %u:%g "$UPPER/by-root" 2>&1)" "$U:$G"
check_eq "what UID 1000 owns in /var is its delegated ID's on the host" "$(stat -c %u:%g "$UPPER/by-1000" 2>&1)" \
        "$((START + 999)):$((START + 999))"
check_eq "what was made in /var/lib is in the upper directory, the user's" \
        "$(stat -c %u:%g:%F "$UPPER/lib/sbx" "$UPPER/lib/sbx/f" 2>&1 | tr '\n' ' ')" \
        "$U:$G:directory $U:$G:regular file "
check_eq "/var/lib in the upper directory has the host's mode" "$(stat -c %a "$UPPER/lib")" "$(stat -c %a /var/lib)"
check "the sleeping process of root's is still there" kill -0 "$ROOTS"

# the state is kept: a second run sees what the first wrote; while one
# runs, a second start of the same name is refused by its lock, in the
# user's runtime directory
out=$(cd "$H" && as_user timeout 60 "$SANDBOXCTL" run "$H/probe.xml" -- /bin/cat /var/by-root /var/lib/sbx/f 2>"$TMP/err")
check_eq "a second run sees the state the first one left" "$(echo $out)" "root z"
as_user timeout 60 "$SANDBOXCTL" run "$H/probe.xml" -- /bin/sleep 30 >/dev/null 2>&1 &
FIRST=$!
# its service runs as the user on the host (root inside)
for i in $(seq 100); do
        pgrep -u "$U" -x sleep >/dev/null && break
        sleep 0.05
done
out=$(cd "$H" && as_user timeout 60 "$SANDBOXCTL" run "$H/probe.xml" -- /bin/true 2>&1)
status=$?
check_eq "a second start while it runs: status 125" "$status" 125
check "it says the sandbox is already running" grep -q "sandbox probe is already running" <<<"$out"
kill "$FIRST" 2>/dev/null
wait "$FIRST" 2>/dev/null

# Landlock as the profile says
# the ABI version landlock_create_ruleset() gives, as test-landlock.sh asks
abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
if [ "${abi:-0}" -ge 1 ] 2>/dev/null; then
        profile landlock '  <exec><arg>/bin/true</arg></exec>
  <security><landlock><read-only path="/usr"/><read-write path="/tmp"/><read-write path="/dev/null"/></landlock></security>'
        out=$(cd "$H" && as_user timeout 60 "$SANDBOXCTL" run "$H/landlock.xml" -- /bin/sh -c \
                'echo x >/tmp/f && echo tmp-written; cat /etc/hostname >/dev/null 2>&1 || echo etc-denied' 2>"$TMP/err")
        check_eq "a profile's <landlock>: /tmp writable, /etc not readable" "$out" "tmp-written
etc-denied"
else
        skip "a profile's <landlock>" "no Landlock in this kernel"
fi

# open_by_handle_at(2), the way past every mount, with the seccomp
# filter's rule taken off and CAP_DAC_READ_SEARCH kept: the kernel's own
# refusal, as the host's file systems are the host's user namespace's
PROBEBIN=/var/lib/sbx-probe-$$
if cc -std=gnu11 -O2 -Wall -I"$SOURCE_ROOT/tests/escape" -o "$PROBEBIN" "$SOURCE_ROOT/tests/escape/open-by-handle.c" \
        2>"$TMP/cc.log"; then
        profile handle '  <exec><arg>/bin/true</arg></exec>
  <security>
    <capabilities keep-unsafe="CAP_DAC_READ_SEARCH"/>
    <seccomp><allow syscall="open_by_handle_at"/></seccomp>
  </security>'
        out=$(cd "$H" && as_user timeout 60 "$SANDBOXCTL" run "$H/handle.xml" -- "$PROBEBIN" 2>"$TMP/err")
        check "open_by_handle_at of /usr's handle, with CAP_DAC_READ_SEARCH and no seccomp rule: EPERM" \
                grep -qx "open-by-handle EPERM" <<<"$out"
        check "and of a forged handle (inode 2): EPERM" grep -qx "open-forged-handle EPERM" <<<"$out"
        [ -n "$out" ] || diag "$(head -c 1000 "$TMP/err")"
else
        not_ok "the open_by_handle_at probe compiles" && diag "$(head -n 5 "$TMP/cc.log")"
fi

# refusals: the profile's line, that it needs root, nothing made
rm -rf "$H/.local"
profile block '  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <block tag="data" source="/dev/loop0"/>
  </filesystem>'
out=$(cd "$H" && as_user "$SANDBOXCTL" run "$H/block.xml" 2>&1)
status=$?
check_eq "a block device is refused" "$status" 1
check "the refusal names the profile's line and root" grep -q "^sandboxctl: $H/block.xml:5: <block> /dev/loop0: .*it needs root" <<<"$out"
[ "$status" = 1 ] || diag "$out"
profile label '  <exec><arg>/bin/true</arg></exec>
  <security>
    <selinux label="system_u:system_r:svirt_lxc_net_t:s0"/>
  </security>'
out=$(cd "$H" && as_user "$SANDBOXCTL" run "$H/label.xml" 2>&1)
status=$?
check_eq "an SELinux label is refused" "$status" 1
check "the refusal names the profile's line and root" grep -q "^sandboxctl: $H/label.xml:5: <selinux label=.*it needs root" <<<"$out"
[ "$status" = 1 ] || diag "$out"
# without IDs of its own in /etc/subuid: said, and nothing made
mv /etc/subuid /etc/subuid.test
out=$(cd "$H" && as_user "$SANDBOXCTL" run "$H/probe.xml" 2>&1)
status=$?
mv /etc/subuid.test /etc/subuid
check_eq "a user without delegated IDs is refused" "$status" 1
check "it says what to ask for" grep -q "has no IDs of its own in /etc/subuid.*usermod --add-subuids" <<<"$out"
check "nothing was made for the refused runs" test ! -e "$H/.local"

# the helper's option is the kernel's word, not the caller's: real root
# is refused, before anything is made
out=$("$HELPER" --unprivileged --name=real-root --state-root="$TMP/rr-state" --runtime-root="$TMP/rr-run" -- /bin/true 2>&1)
status=$?
check_eq "--unprivileged as the host's root is refused" "$status" 125
check "it says why" grep -q "this process's root is the host's root" <<<"$out"
check "nothing was made for it" test ! -e "$TMP/rr-state" -a ! -e "$TMP/rr-run"

userdel "$NAME" 2>/dev/null
done_testing
