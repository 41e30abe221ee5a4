#!/usr/bin/env bash
# Resource exhaustion under "sandboxctl run", where systemd does not run
# (the test machines): the profile's <resources> are applied in a cgroup
# of the run's own, and every tmpfs of the sandbox has a size from the
# profile's memory limit. A bounded fork bomb stops near tasks="32"; a
# memory="64M" sandbox fills /dev/shm, /tmp, /run, <var mode="tmpfs">
# and a <tmpfs> only to its share, in bytes and in inodes, seen from
# inside (statfs(2) and mountinfo); the cgroup holds the sandbox and a
# command joined to it while it runs, and is gone afterwards. Where no
# cgroup can be had, the run is refused unless --without-limits says
# otherwise. Needs root and cc; everything it writes is under $TMP, plus
# /run/sandbox/NAME, removed at the end.
. "$(dirname "$0")/../escape-lib.sh"

if [ -d /run/systemd/system ]; then
        echo "1..0 # SKIP systemd runs here: sandboxctl run takes a scope of systemd's (tests/e2e/test-e2e-resources.sh)"
        exit 0
fi

MiB=$((1024 * 1024))
PROFILES=$TMP/profiles
mkdir -p "$PROFILES"
cat >"$PROFILES/$NAME.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem>
    <var mode="tmpfs"/>
    <tmpfs target="/var/scratch"/>
    <tmpfs target="/var/sized" size="4M"/>
  </filesystem>
  <resources memory="64M" tasks="32"/>
</sandbox>
XML
# without <resources>: the fixed sizes
sed '/<resources/d' "$PROFILES/$NAME.xml" >"$PROFILES/$NAME-self.xml"

# ctl_run NAME [OPTION...] -- PROBE [ARGUMENT...]: the probe in the
# sandbox of profile NAME under sandboxctl run
ctl_run() {
        local name=$1 opts=()
        shift
        while [ "$1" != -- ]; do opts+=("$1"); shift; done
        local probe=$2
        shift 2
        SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" \
                "${opts[@]}" "$name" -- "${SHIP[@]}" "$@" <"$BIN/$probe" >"$TMP/out" 2>"$TMP/err"
        RC=$?
}

# value KEY: what the last probe reported for KEY
value() {
        awk -v k="$1" '$1 == k { print $2 }' "$TMP/out"
}

# run_cgroups NAME: the cgroups of runs of NAME, in every hierarchy
run_cgroups() {
        find /sys/fs/cgroup -maxdepth 2 -type d -name "sandbox-run-$1-*" 2>/dev/null
}

# a limit in whichever hierarchy has it: cgroup2 FILE, else v1 CONTROLLER/FILE1
limit_of() {
        local d
        for d in $(run_cgroups "$NAME"); do
                [ -f "$d/$1" ] && { cat "$d/$1"; return; }
                [ -f "$d/$2" ] && { cat "$d/$2"; return; }
        done
        echo none
}

# --- processes ---

begin "tasks=\"32\": a fork bomb stops near 32 (EAGAIN), and every child it made exits"
ctl_run "$NAME" -- run-fork-bound 200
forks=$(value forks)
[ -n "$forks" ] && [ "$forks" -ge 16 ] && [ "$forks" -lt 32 ] || BAD+=("forks: $forks; expected from 16 to 31 (the sandbox's own processes count too)")
want fork-error EAGAIN
[ "$(value reaped)" = "$forks" ] || BAD+=("reaped $(value reaped) of $forks")
finish
check_eq "after the run, its cgroups are gone" "$(run_cgroups "$NAME")" ""

# --- memory: every tmpfs has its share of memory="64M" ---

PLACES=(/dev/shm /tmp /run /var /var/scratch /var/sized)
declare -A SHARE=([/dev/shm]=16 [/tmp]=16 [/run]=8 [/var]=16 [/var/scratch]=16 [/var/sized]=4)
ctl_run "$NAME" -- run-tmpfs-fill "${PLACES[@]}"
for p in "${PLACES[@]}"; do
        size=$((SHARE[$p] * MiB))
        begin "memory=\"64M\": $p holds ${SHARE[$p]} MiB and 1024 inodes, no more (ENOSPC)"
        want "size:$p" "$size"
        want "mount-size:$p" "$((size / 1024))k"
        want "mount-inodes:$p" 1024
        want "write:$p" ENOSPC
        want "create:$p" ENOSPC
        written=$(value "written:$p")
        files=$(value "files:$p")
        [ -n "$written" ] && [ "$written" -le "$size" ] && [ "$written" -ge $((size - MiB / 4)) ] ||
                BAD+=("written: $written bytes; expected up to $size and at most 256 KiB less")
        [ -n "$files" ] && [ "$files" -le 1024 ] && [ "$files" -ge 1000 ] || BAD+=("files: $files; expected from 1000 to 1024")
        finish
done

# --- without a memory limit: the fixed sizes, one inode per 16 KiB ---

ctl_run "$NAME-self" -- run-tmpfs-fill --no-fill /dev/shm /tmp /run /var /var/scratch /var/sized
declare -A FIXED=([/dev/shm]=64 [/tmp]=512 [/run]=64 [/var]=512 [/var/scratch]=256 [/var/sized]=4)
for p in "${!FIXED[@]}"; do
        size=$((FIXED[$p] * MiB))
        inodes=$((size / 16384))
        [ "$inodes" -lt 1024 ] && inodes=1024
        begin "without a memory limit: $p is ${FIXED[$p]} MiB with $inodes inodes"
        want "size:$p" "$size"
        want "mount-inodes:$p" "$inodes"
        finish
done

# --- the cgroup while the sandbox runs, and a command joined to it ---

SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout -k 5 60 "$SANDBOXCTL" run --state-root="$STATE" \
        "$NAME" -- /bin/sleep 60 >/dev/null 2>"$TMP/bg.err" &
SLEEP_PID=$!
# procs_in_cgroups NAME: how many of the run's cgroups have a process
procs_in_cgroups() {
        local d n=0
        for d in $(run_cgroups "$1"); do
                grep -q . "$d/cgroup.procs" && n=$((n + 1))
        done
        echo "$n"
}
# the cgroups are made before the run's processes are moved in: on a
# loaded machine the first look may come in between
for _ in $(seq 100); do
        [ -e "/run/sandbox/$NAME" ] && [ "$(procs_in_cgroups "$NAME")" -ge 1 ] && break
        sleep 0.1
done
check_eq "while it runs: the memory limit is set (64 MiB)" "$(limit_of memory.max memory.limit_in_bytes)" 67108864
check_eq "while it runs: the task limit is set (32)" "$(limit_of pids.max pids.max)" 32
check "while it runs: its processes are in the run's cgroups" test "$(procs_in_cgroups "$NAME")" -ge 1
SANDBOX_HELPER=$HELPER timeout -k 5 60 "$SANDBOXCTL" exec "$NAME" -- "${SHIP[@]}" 200 <"$BIN/run-fork-bound" >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "sandboxctl exec into the run: the joined command is under the same task limit (EAGAIN before 32)"
forks=$(value forks)
[ -n "$forks" ] && [ "$forks" -lt 32 ] || BAD+=("forks: $forks; expected fewer than 32")
want fork-error EAGAIN
finish
kill -TERM "$SLEEP_PID"
wait "$SLEEP_PID"
rc=$?
SLEEP_PID=
check "SIGTERM to sandboxctl run ends the sandbox (status $rc)" test "$rc" -ne 124
check_eq "after SIGTERM, the run's cgroups are gone" "$(run_cgroups "$NAME")" ""

# --- no cgroup to be had: refused, unless --without-limits ---

# in a mount namespace of the test's own, the cgroup file systems
# unmounted: no cgroup2 and no cgroup v1 hierarchy to be found
cat >"$TMP/no-cgroups" <<EOF
#!/bin/sh
exec unshare -m --propagation private /bin/sh -c 'umount -R /sys/fs/cgroup && exec "\$@"' sh "$SANDBOXCTL" "\$@"
EOF
chmod 0755 "$TMP/no-cgroups"
SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout -k 5 60 "$TMP/no-cgroups" run --state-root="$STATE" \
        "$NAME" -- "${SHIP[@]}" 200 <"$BIN/run-fork-bound" >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "no cgroup hierarchy with the controllers: refused (status 1), nothing run, the message names --without-limits"
EXPECT_RC=1
[ ! -s "$TMP/out" ] || BAD+=("the command ran")
grep -q -- "--without-limits" "$TMP/err" || BAD+=("no --without-limits in the message")
grep -q "memory controller" "$TMP/err" || BAD+=("the message does not name the controller")
finish
SANDBOX_PROFILE_PATH=$PROFILES SANDBOX_HELPER=$HELPER timeout -k 5 60 "$TMP/no-cgroups" run --state-root="$STATE" \
        --without-limits "$NAME" -- "${SHIP[@]}" 200 <"$BIN/run-fork-bound" >"$TMP/out" 2>"$TMP/err"
RC=$?
begin "--without-limits: it runs, says so, and the fork bomb gets its 200 (the bound was the cgroup's)"
want forks 200
want fork-error none
want reaped 200
grep -q "running without the profile's <resources>" "$TMP/err" || BAD+=("no warning")
finish

# --- validate ---

sed 's|size="4M"|size="1G"|' "$PROFILES/$NAME.xml" >"$TMP/large.xml"
"$SANDBOXCTL" validate "$TMP/large.xml" >"$TMP/out" 2>"$TMP/err"
check "validate: a <tmpfs> size larger than the memory limit is valid, with a warning" \
        bash -c '[ "$0" -eq 0 ] && grep -q "warning: <tmpfs> size \"1G\" is larger than the memory limit \"64M\"" "$1"' "$?" "$TMP/err"

check_eq "no cgroup of a run is left" "$(run_cgroups "$NAME"; run_cgroups "$NAME-self")" ""
mount_table_unchanged
done_testing
