#!/bin/bash
# End-to-end: a unit with NoExecPaths=/ and ExecPaths= (as Debian's
# redis-server.service has them) converts without --accept-widening, as
# <no-exec-path> and <exec-path>, "-" kept as optional="yes" from what
# systemd puts on the bus; the converted sandbox refuses to execute what
# the original refused (EACCES, and mmap(PROT_EXEC) EPERM) and runs what
# it ran. A profile whose service lies outside its exec paths fails
# "systemctl start". Needs root, cc and systemd-nspawn; everything lives
# below $TMP (tests/e2e/lib.sh).
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
command -v cc >/dev/null || e2e_skip_all "no C compiler (cc) to build the probe"
cc -std=gnu11 -O2 -Wall -o "$TMP/noexec-paths" "$SOURCE_ROOT/tests/escape/noexec-paths.c" ||
        e2e_skip_all "the probe does not build"
e2e_file "$TMP/noexec-paths" /opt/noexec/noexec-paths 0755

STEPS="exec:/usr/bin/true exec:/bin/true exec:/opt/noexec/noexec-paths mmap:/usr/bin/true noexec:/usr/bin noexec:/opt/noexec"
cat >"$TMP/noexec.service" <<EOF
[Unit]
Description=Runs only what its ExecPaths= allow

[Service]
Type=simple
ExecStart=/opt/noexec/noexec-paths $STEPS sleep
NoExecPaths=/
ExecPaths=/opt/noexec /usr/lib
ExecPaths=-/lib -/nonexistent-noexec
EOF
e2e_file "$TMP/noexec.service" /etc/systemd/system/noexec.service

# a profile whose service is not below an exec path
cat >"$TMP/noexec-outside.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/bin/sleep</arg><arg>100</arg></exec>
  <filesystem>
    <no-exec-path path="/"/>
    <exec-path path="/usr/lib"/>
  </filesystem>
</sandbox>
EOF
e2e_profile "$TMP/noexec-outside.xml"

e2e_boot

# results UNIT: the probe's report in UNIT's journal, once it has all
# of it, sorted, into $TMP/results
results() {
        local i
        for ((i = 0; i < 100; i++)); do
                c journalctl -q -u "$1" -o cat --no-pager | grep -E '^(exec|mmap|noexec):' | sort -u >"$TMP/results"
                [ "$(wc -l <"$TMP/results")" -ge 6 ] && return 0
                sleep 0.1
        done
        return 1
}

check_eq "systemd puts ExecPaths= on the bus with the \"-\" before the path" \
        "$(c systemctl show -p ExecPaths --value noexec.service)" "/opt/noexec /usr/lib -/lib -/nonexistent-noexec"

c systemctl start noexec.service
check "the original reports" results noexec.service
cp "$TMP/results" "$TMP/original"
check "the original: /usr/bin/true refused (EACCES)" grep -qx 'exec:/usr/bin/true EACCES' "$TMP/original"
check "the original: its own program runs" grep -qx 'exec:/opt/noexec/noexec-paths ok' "$TMP/original"
c systemctl stop noexec.service

c sandboxctl convert noexec --output=- >"$TMP/profile" 2>"$TMP/notes"
rc=$?
check_eq "convert without --accept-widening: exit 0" "$rc" 0
[ "$rc" -eq 0 ] || diag "$(cat "$TMP/notes")"
check "NoExecPaths=/ as <no-exec-path>" grep -q '^    <no-exec-path path="/"/>$' "$TMP/profile"
check "ExecPaths= as <exec-path>s" grep -qz '    <exec-path path="/opt/noexec"/>.    <exec-path path="/usr/lib"/>' "$TMP/profile"
check "... \"-\" as optional=\"yes\"" grep -q '^    <exec-path path="/nonexistent-noexec" optional="yes"/>$' "$TMP/profile"
check "... said as carried" grep -q 'ExecPaths=/opt/noexec /usr/lib -/lib -/nonexistent-noexec: carried' "$TMP/notes"
check "nothing refused, nothing NOT CARRIED" bash -c '! grep -q "NOT CARRIED\|confine less" "$0"' "$TMP/notes"

c_profile noexec <"$TMP/profile"
c systemctl daemon-reload
c systemctl start sandbox@noexec.service
check_eq "sandbox@noexec starts" "$?" 0
check "the sandbox reports" results sandbox@noexec.service
cp "$TMP/results" "$TMP/sandboxed"
if cmp -s "$TMP/original" "$TMP/sandboxed"; then
        ok "the sandbox refuses and runs what the original did (execve, mmap, noexec)"
else
        not_ok "the sandbox refuses and runs what the original did (execve, mmap, noexec)"
        diag "$(diff "$TMP/original" "$TMP/sandboxed")"
fi
check "... /usr/bin/true refused (EACCES), mmap(PROT_EXEC) of it (EPERM)" grep -qzx \
        'exec:/bin/true EACCES.exec:/opt/noexec/noexec-paths ok.exec:/usr/bin/true EACCES.mmap:/usr/bin/true EPERM.noexec:/opt/noexec no.noexec:/usr/bin yes.' \
        "$TMP/sandboxed"
c sandboxctl exec noexec -- /usr/bin/true >"$TMP/exec.out" 2>&1
rc=$?
check "sandboxctl exec of a program outside the exec paths fails (status $rc)" test "$rc" -ne 0
c systemctl stop sandbox@noexec.service

c systemctl start sandbox@noexec-outside.service 2>/dev/null
rc=$?
check "a service outside the exec paths: systemctl start fails (status $rc)" test "$rc" -ne 0
c journalctl -q -u sandbox@noexec-outside -o cat --no-pager >"$TMP/journal"
check "... the journal says why" grep -q "execute /usr/bin/sleep: Permission denied" "$TMP/journal"

done_testing
