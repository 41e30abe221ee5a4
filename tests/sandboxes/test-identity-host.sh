#!/usr/bin/env bash
# user=, group= and the supplementary groups are names in the host's
# /etc, looked up before the sandbox exists, never in the sandbox's own
# /etc: that is an overlay the service writes, and it persists. A service
# that ran as root once and gave "nobody" the uid 0 in its /etc/passwd
# must not run as root when the profile says user="nobody". Needs root;
# everything is under $TMP, but /run/sandbox/NAME for this run's names.

. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbident$$
. "$(dirname "$0")/lib.sh"

BACKGROUND=()
cleanup() {
        local pid
        for pid in "${BACKGROUND[@]}"; do
                kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
        done
        umount /etc /var 2>/dev/null
        remove_sandbox_dirs
}
trap cleanup EXIT

# whatever a sandbox (or a broken helper) writes to /etc lands under $TMP
host_overlay "$TMP/host"

PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
export SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER

# host_id FILE NAME FIELD: field FIELD of NAME's entry in the host's FILE
host_id() {
        awk -F: -v n="$2" -v f="$3" '$1 == n { print $f; exit }' "$REAL_ETC/$1"
}
NOBODY_UID=$(host_id passwd nobody 3)
NOBODY_GID=$(host_id passwd nobody 4)
NOGROUP_GID=$(host_id group nogroup 3)
if [ -z "$NOBODY_UID" ] || [ -z "$NOBODY_GID" ] || [ "$NOBODY_UID" = 0 ]; then
        echo "1..0 # SKIP the host has no user nobody (other than root) in /etc/passwd"
        exit 0
fi

# profile NAME EXEC-ATTRIBUTES COMMAND: the profile NAME, /etc an overlay
# kept in $STATE, running /bin/sh -c COMMAND with the <exec> attributes
profile() {
        cat >"$PROFILES/$1.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec $2><arg>/bin/sh</arg><arg>-c</arg><arg>$3</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
}

# ctl ARG...: sandboxctl; status in $rc, output in $TMP/out and $TMP/err
ctl() {
        timeout -k 5 60 "$SANDBOXCTL" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"
        rc=$?
}
# field NAME: the first number of /proc/self/status's line NAME: in $TMP/out
field() {
        awk -v k="$1:" '$1 == k { print $2; exit }' "$TMP/out"
}

STATUS='grep -E "^(Uid|Gid|Groups):" /proc/self/status'

# ---------------------------------------------------------------------------
# run 1, as root: nobody and nogroup become 0 in the sandbox's /etc, and
# a user and a group are added that only the sandbox's /etc has
name svc
SVC=$n
profile "$SVC" 'user="root"' 'set -e; '\
'{ echo "nobody:x:0:0:nobody:/:/bin/sh"; echo "onlyinside:x:0:0::/:/bin/sh"; cat /etc/passwd; } >/tmp/p; '\
'cat /tmp/p >/etc/passwd; '\
'{ echo "nogroup:x:0:"; echo "groupinside:x:0:"; cat /etc/group; } >/tmp/g; '\
'cat /tmp/g >/etc/group; head -1 /etc/passwd'
ctl run --state-root="$STATE" "$SVC"
check_eq "run as root: status 0" "$rc" 0
check "run as root: the sandbox's /etc/passwd now gives nobody the uid 0" \
        grep -qx "nobody:x:0:0:nobody:/:/bin/sh" "$TMP/out"
check "... kept in the overlay's upper layer, in the state root" \
        grep -q "^nobody:x:0:0:" "$STATE/$SVC/etc/upper/passwd"
check "... and in its /etc/group: nogroup is 0" grep -q "^nogroup:x:0:" "$STATE/$SVC/etc/upper/group"
check "the host's /etc/passwd is untouched" sh -c "! grep -q '^nobody:x:0:' '$REAL_ETC/passwd'"

# ---------------------------------------------------------------------------
# run 2, the profile tightened to user="nobody": the host's nobody
profile "$SVC" 'user="nobody"' "$STATUS; head -1 /etc/passwd"
ctl run --state-root="$STATE" "$SVC"
check_eq "user=\"nobody\" after the edit: status 0" "$rc" 0
check "... the sandbox's /etc/passwd still says 0 (the state was kept)" grep -qx "nobody:x:0:0:nobody:/:/bin/sh" "$TMP/out"
check_eq "... but the service's uid is the host's nobody ($NOBODY_UID), real and effective" \
        "$(awk '$1 == "Uid:" { print $2 " " $3 " " $4 " " $5 }' "$TMP/out")" \
        "$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID"
check_eq "... and its gid the host's nobody's group ($NOBODY_GID)" \
        "$(awk '$1 == "Gid:" { print $2 " " $3 " " $4 " " $5 }' "$TMP/out")" \
        "$NOBODY_GID $NOBODY_GID $NOBODY_GID $NOBODY_GID"

if [ -n "$NOGROUP_GID" ] && [ "$NOGROUP_GID" != 0 ]; then
        cat >"$PROFILES/$SVC.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="nobody" group="nogroup"><arg>/bin/sh</arg><arg>-c</arg><arg>$STATUS</arg>
    <supplementary-group name="nogroup"/></exec>
  <filesystem><etc mode="overlay"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
        ctl run --state-root="$STATE" "$SVC"
        check_eq "group=\"nogroup\", edited to 0 in the sandbox: status 0" "$rc" 0
        check_eq "... the gid is the host's nogroup ($NOGROUP_GID)" "$(field Gid)" "$NOGROUP_GID"
        check_eq "... and so is the supplementary group" "$(awk '$1 == "Groups:" { print $2 }' "$TMP/out")" "$NOGROUP_GID"
else
        skip "group=\"nogroup\": the host's group" "the host has no group nogroup other than 0"
fi

# ---------------------------------------------------------------------------
# names only the sandbox's /etc has: refused, naming the host's /etc
profile "$SVC" 'user="onlyinside"' "$STATUS"
ctl run --state-root="$STATE" "$SVC"
check_eq "a user only the sandbox's /etc/passwd has: refused (125)" "$rc" 125
check "... the message names the user and the host's /etc/passwd" \
        grep -q "user \"onlyinside\": not in the host's /etc/passwd" "$TMP/err"
check "... and nothing ran" sh -c "! grep -q '^Uid:' '$TMP/out'"

profile "$SVC" 'user="nobody" group="groupinside"' "$STATUS"
ctl run --state-root="$STATE" "$SVC"
check_eq "a group only the sandbox's /etc/group has: refused (125)" "$rc" 125
check "... the message names the group and the host's /etc/group" \
        grep -q "group \"groupinside\": not in the host's /etc/group" "$TMP/err"

# numeric ids are used as they are, whatever either /etc says
profile "$SVC" 'user="4242" group="4343"' "$STATUS"
ctl run --state-root="$STATE" "$SVC"
check_eq "numeric user and group: status 0" "$rc" 0
check_eq "... uid 4242" "$(field Uid)" 4242
check_eq "... gid 4343" "$(field Gid)" 4343

# ---------------------------------------------------------------------------
# a command joined to the running sandbox (sandboxctl exec) takes the
# service's user from the host's /etc too
profile "$SVC" 'user="nobody"' 'exec sleep 300'
"$SANDBOXCTL" run --state-root="$STATE" "$SVC" </dev/null >"$TMP/bg.out" 2>"$TMP/bg.err" &
BG=$!
BACKGROUND+=("$BG")
for ((i = 0; i < 200; i++)); do
        ctl status --state-root="$STATE" "$SVC"
        [ "$rc" = 0 ] && break
        sleep 0.05
done
ctl exec --state-root="$STATE" "$SVC" -- /bin/sh -c "$STATUS; head -1 /etc/passwd"
check_eq "exec into the running sandbox: status 0" "$rc" 0
check "... which sees nobody as 0 in its /etc/passwd" grep -qx "nobody:x:0:0:nobody:/:/bin/sh" "$TMP/out"
check_eq "... and runs as the host's nobody" "$(field Uid)" "$NOBODY_UID"
kill "$BG" 2>/dev/null
wait "$BG" 2>/dev/null

# a root directory of the profile's own: the names are its /etc's, as it
# is on the host, not what the sandbox's overlay made of it
ROOTDIR=$TMP/rootdir
mkdir -p "$ROOTDIR/etc" "$ROOTDIR/usr" "$ROOTDIR/tmp" "$ROOTDIR/run" "$ROOTDIR/dev" "$ROOTDIR/proc" "$ROOTDIR/var"
for d in bin sbin lib lib64; do
        if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$ROOTDIR/$d"; elif [ -d "/$d" ]; then mkdir "$ROOTDIR/$d"; fi
done
mount --bind /usr "$ROOTDIR/usr"
for d in bin sbin lib lib64; do
        [ -d "/$d" ] && [ ! -L "/$d" ] && mount --bind "/$d" "$ROOTDIR/$d"
done
echo "root:x:0:0::/:/bin/sh" >"$ROOTDIR/etc/passwd"
echo "svcuser:x:3131:3232::/:/bin/sh" >>"$ROOTDIR/etc/passwd"
echo "root:x:0:" >"$ROOTDIR/etc/group"
name rootdir
cat >"$PROFILES/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec user="svcuser"><arg>/bin/sh</arg><arg>-c</arg><arg>$STATUS</arg></exec>
  <root type="directory" path="$ROOTDIR"/>
  <filesystem><etc mode="overlay"/><var mode="tmpfs"/></filesystem>
  <network mode="none"/>
</sandbox>
EOF
ctl run --state-root="$STATE" "$n"
check_eq "root directory: a user of its /etc/passwd: status 0" "$rc" 0
check_eq "... uid and gid from that file" "$(field Uid) $(field Gid)" "3131 3232"
sed -i "s|user=\"svcuser\"|user=\"nobody\"|" "$PROFILES/$n.xml"
ctl run --state-root="$STATE" "$n"
check_eq "root directory: a user only the host has is not taken from the host (125)" "$rc" 125
check "... the message names the root directory's /etc/passwd" grep -q "user \"nobody\": not in $ROOTDIR/etc/passwd" "$TMP/err"

done_testing
