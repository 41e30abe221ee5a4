#!/bin/bash
# End-to-end: the service's standard output and error are in its unit's
# journal; SANDBOX_DEBUG=1 from a drop-in ("systemctl edit") shows every
# set-up step of the helper there.
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/e2e/lib.sh"

e2e_init
cat >"$TMP/talker.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sh</arg><arg>-c</arg><arg>echo "to stdout $$"; echo "to stderr" >&amp;2; exec sleep infinity</arg></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
</sandbox>
XML
e2e_profile "$TMP/talker.xml" talker
e2e_boot

c systemctl start sandbox@talker
journal() {
        c journalctl -u sandbox@talker -o cat --no-pager >"$TMP/journal"
}
for _ in $(seq 50); do journal; grep -q 'to stderr' "$TMP/journal" && break; sleep 0.1; done
check "the service's stdout is in journalctl -u sandbox@talker" grep -qE '^to stdout [0-9]+$' "$TMP/journal"
check "... and its stderr" grep -qx 'to stderr' "$TMP/journal"
check "without debugging, the helper logs no steps" sh -c "! grep -q ': step ' '$TMP/journal'"
c systemctl stop sandbox@talker

c mkdir -p /etc/systemd/system/sandbox@talker.service.d
printf '[Service]\nEnvironment=SANDBOX_DEBUG=1\n' | c sh -c 'cat >/etc/systemd/system/sandbox@talker.service.d/debug.conf'
c systemctl daemon-reload
c systemctl start sandbox@talker
# this start's lines only: the first run's are as recent, to the second
invocation=$(c systemctl show -p InvocationID --value sandbox@talker)
for _ in $(seq 50); do
        c journalctl -o cat --no-pager "_SYSTEMD_INVOCATION_ID=$invocation" >"$TMP/journal"
        grep -q 'to stderr' "$TMP/journal" && break
        sleep 0.1
done
# every step of the plan (sandbox-helper --dry-run) is logged with its duration
for step in lock namespaces propagation root etc var tmpfs dev proc mask pivot_root seccomp capabilities identity no_new_privs init; do
        check "SANDBOX_DEBUG=1: the step \"$step\" is in the journal with its duration" \
                grep -qE ": step $step: [0-9.]+ ms$" "$TMP/journal"
done
c systemctl stop sandbox@talker

done_testing
