#!/bin/bash
# End-to-end: a sandbox with <state size="32M"/> started by "systemctl
# start" fills its /var: its writes fail with ENOSPC, the unit keeps
# running (the service decides), what it wrote before the cap survives a
# restart, the container's /var/lib/sandbox grows no more than the cap,
# and after "systemctl stop" no loop device is bound to the image and no
# mount of it is in the container's table. The container gets the
# host's loop devices (bound in); without them the test is skipped.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
[ -e /dev/loop-control ] || e2e_skip_all "no /dev/loop-control here"
[ -x /usr/sbin/mkfs.ext4 ] || [ -x /sbin/mkfs.ext4 ] || e2e_skip_all "no mkfs.ext4 here"
{
        echo --bind=/dev/loop-control
        for d in /dev/loop[0-9]*; do
                [ -b "$d" ] && echo "--bind=$d"
        done
} >"$E2E_DIR/nspawn-args"
cat >"$TMP/filler.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo before >/var/before; head -c 64M /dev/zero >/var/fill 2>/var/fill.err; echo "status $?" >>/var/fill.err; exec sleep infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/><state size="32M"/></filesystem>
</sandbox>
XML
e2e_profile "$TMP/filler.xml" filler
e2e_boot

IMG=$E2E_DIR/state/filler/state.img
c systemctl start sandbox@filler
check_eq "start: active" "$(c systemctl is-active sandbox@filler)" active
for _ in $(seq 100); do in_sandbox sandbox@filler grep -q status /var/fill.err 2>/dev/null && break; sleep 0.1; done
check "the service's write past the cap failed with ENOSPC" \
        in_sandbox sandbox@filler grep -q "No space left on device" /var/fill.err
check_eq "and its status was the write's failure" "$(in_sandbox sandbox@filler tail -n 1 /var/fill.err)" "status 1"
check_eq "the unit keeps running, as the service decided" "$(c systemctl is-active sandbox@filler)" active
used=$(du -sk "$E2E_DIR/state/filler" | awk '{ print $1 }')
check "the state takes no more than the cap on the host's disk ($used KiB of 32768)" [ "$used" -le 32768 ]
check_eq "the running sandbox's file system is in no mount table of the container" \
        "$(c awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 2) ~ /^\/dev\/loop/) n++ } END { print n + 0 }' /proc/self/mountinfo)" 0
check "status shows the use" sh -c "nsenter -t $E2E_PID1 -a sandboxctl status filler | grep -q 'disk: .* used of'"

c systemctl restart sandbox@filler
check_eq "restart: active again" "$(c systemctl is-active sandbox@filler)" active
check_eq "restart: what was written before the cap survives" "$(in_sandbox sandbox@filler cat /var/before)" before
c systemctl stop sandbox@filler
for _ in $(seq 100); do [ -z "$(losetup -n -j "$IMG" 2>/dev/null)" ] && break; sleep 0.05; done
check_eq "stop: no loop device is bound to the image" "$(losetup -n -j "$IMG" 2>/dev/null)" ""
# (the bound device nodes are mounts too: a file system on a loop device is looked for)
check_eq "stop: no file system of a loop device in the container's table" \
        "$(c awk '{ for (i = 7; $i != "-"; i++) ; if ($(i + 2) ~ /^\/dev\/loop/) n++ } END { print n + 0 }' /proc/self/mountinfo)" 0
done_testing
