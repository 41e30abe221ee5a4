#!/usr/bin/env bash
# <proc subset="pid"/> and --proc-subset=pid: the sandbox's /proc has its
# processes' entries alone, none of the kernel's interfaces; without it,
# they are there (read-only or masked). Needs root; everything it writes
# is under $TMP, and its mounts are in a mount namespace of its own.
. "$(dirname "$0")/../private-ns.sh"
. "$(dirname "$0")/../tap.sh"

PREFIX=sbproc$$
. "$(dirname "$0")/lib.sh"
trap remove_sandbox_dirs EXIT

# what the service sees of /proc: each path there or not, and what
# writing the one that would act on the kernel gives
PROBE='for p in /proc/sys /proc/kcore /proc/sysrq-trigger /proc/self/status /proc/1/status; do
        if [ -e "$p" ]; then echo "$p there"; else echo "$p absent"; fi
done
if (echo 0 >/proc/sys/kernel/sysrq) 2>/dev/null; then echo "sysrq written"; else echo "sysrq refused"; fi'

name pid
sb "$n" --etc=host --var=tmpfs --proc-subset=pid -- /bin/sh -c "$PROBE"
check_eq "--proc-subset=pid: the sandbox starts" "$rc" 0
for p in /proc/sys /proc/kcore /proc/sysrq-trigger; do
        check "--proc-subset=pid: $p is not in the sandbox" grep -qx "$p absent" "$TMP/out"
done
for p in /proc/self/status /proc/1/status; do
        check "--proc-subset=pid: $p, a process's, is" grep -qx "$p there" "$TMP/out"
done
check "--proc-subset=pid: /proc/sys/kernel/sysrq cannot be written" grep -qx "sysrq refused" "$TMP/out"

name all
sb "$n" --etc=host --var=tmpfs -- /bin/sh -c "$PROBE"
check_eq "without --proc-subset: the sandbox starts" "$rc" 0
check "without --proc-subset: /proc/sys is there, read-only" \
        bash -c 'grep -qx "/proc/sys there" "$0" && grep -qx "sysrq refused" "$0"' "$TMP/out"
name all2
sb "$n" --etc=host --var=tmpfs --proc-subset=all -- /bin/sh -c "$PROBE"
check "--proc-subset=all: as without it" bash -c '[ "$1" -eq 0 ] && grep -qx "/proc/sys there" "$0"' "$TMP/out" "$rc"

# from the profile, through the compiled command line
mkdir -p "$TMP/profiles"
name profile
cat >"$TMP/profiles/$n.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/true</arg></exec>
  <filesystem><etc mode="host"/><var mode="tmpfs"/><proc subset="pid"/></filesystem>
</sandbox>
EOF
out=$(SANDBOX_PROFILE_PATH=$TMP/profiles SANDBOX_HELPER=$HELPER timeout 60 \
        "$SANDBOXCTL" run --state-root="$STATE" "$n" -- /bin/sh -c "$PROBE" 2>&1)
check "<proc subset=\"pid\"/>: no /proc/sys, /proc/self there" \
        bash -c 'grep -qx "/proc/sys absent" <<<"$0" && grep -qx "/proc/self/status there" <<<"$0"' "$out"
show=$(SANDBOX_PROFILE_PATH=$TMP/profiles "$SANDBOXCTL" show "$n")
check "<proc subset=\"pid\"/>: the command line has --proc-subset=pid" grep -q -- "--proc-subset=pid" <<<"$show"
sed -i 's|<proc subset="pid"/>|<proc subset="all"/>|' "$TMP/profiles/$n.xml"
show=$(SANDBOX_PROFILE_PATH=$TMP/profiles "$SANDBOXCTL" show "$n")
check "<proc subset=\"all\"/>: no --proc-subset, the helper's default" bash -c '! grep -q -- "--proc-subset" <<<"$0"' "$show"

# the host's /proc is not the sandbox's
check "the host's /proc still has /proc/sys" test -d /proc/sys

done_testing
