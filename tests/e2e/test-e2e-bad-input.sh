#!/bin/bash
# End-to-end: broken profiles at boot are skipped, their PATH:LINE:
# problems are in the journal of sandbox-profiles.service, which fails,
# and every good profile still starts; "systemctl start" of a sandbox
# without a usable profile fails and says why. And the drop-ins that
# "systemctl edit" writes apply after the generated one, as
# sandbox@.service(8) says. And the limits validate applies are systemd's
# and the kernel's own: the longest unit file line systemd loads, the
# longest argument a command executes with.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
cat >"$TMP/good.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg><env name="A" value="1"/></exec>
  <filesystem><etc mode="overlay"/><var mode="overlay"/></filesystem>
  <resources memory="96M"/>
  <install wanted-by="sandbox.target"/>
</sandbox>
XML
# a value that is wrong, on line 5, in a profile that asks to autostart
cat >"$TMP/badvalue.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <filesystem>
    <tmp size="64Q"/>
  </filesystem>
  <install wanted-by="sandbox.target"/>
</sandbox>
XML
# an element that no schema knows, on line 4
cat >"$TMP/unknown.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/bin/sleep</arg><arg>infinity</arg></exec>
  <firewall/>
</sandbox>
XML
for n in good1 good2 good3; do
        e2e_profile "$TMP/good.xml" "$n"
done
e2e_profile "$TMP/badvalue.xml" badvalue
e2e_profile "$TMP/unknown.xml" unknown
e2e_boot

P=/etc/sandbox/profiles
# journal UNIT [TEXT]: its messages, without timestamps; with TEXT, once
# one has it (journald may take a moment to store the last lines)
journal() {
        for _ in $(seq 50); do
                c journalctl -u "$1" -o cat --no-pager >"$TMP/journal.now"
                [ -z "${2-}" ] || grep -qF -- "$2" "$TMP/journal.now" && break
                sleep 0.1
        done
        cat "$TMP/journal.now"
}

# --- boot: the broken profiles are reported, the good ones run
check_eq "boot: sandbox-profiles.service has failed" "$(c systemctl is-failed sandbox-profiles.service)" failed
c systemctl --failed --plain --no-legend >"$TMP/failed"
check "boot: systemctl --failed lists sandbox-profiles.service" grep -q '^sandbox-profiles\.service ' "$TMP/failed"
journal sandbox-profiles.service "good3.xml: valid" >"$TMP/journal"
check "boot: its journal has $P/badvalue.xml:5: and what is wrong" \
        grep -q "^$P/badvalue.xml:5: <tmp>: size \"64Q\" is not a valid size" "$TMP/journal"
check "boot: its journal has $P/unknown.xml:4: and the unknown element" \
        grep -q "^$P/unknown.xml:4: <firewall>: unknown element" "$TMP/journal"
check "boot: its journal says each good profile is valid" \
        bash -c 'for n in good1 good2 good3; do grep -qx "$1/$n.xml: valid" "$2" || exit 1; done' _ "$P" "$TMP/journal"
bad=
for n in good1 good2 good3; do
        [ "$(c systemctl is-active "sandbox@$n")" = active ] || bad="$bad $n"
done
check_eq "boot: every good profile's sandbox is active" "$bad" ""
check_eq "boot: sandbox.target is reached all the same" "$(c systemctl is-active sandbox.target)" active
check_eq "boot: the skipped profile that asked to autostart has no drop-in and was not started" \
        "$(c systemctl show -p DropInPaths --value sandbox@badvalue):$(c systemctl is-active sandbox@badvalue)" ":inactive"
check_eq "boot: a good profile's drop-in resets the template's ExecStartPre=" \
        "$(c systemctl show -p ExecStartPre --value sandbox@good1)" ""

# --- starting a sandbox without a profile fails, and says why
c systemctl start sandbox@nosuch >/dev/null 2>&1
rc=$?
check "systemctl start sandbox@nosuch exits non-zero" test "$rc" -ne 0
check_eq "systemctl is-failed sandbox@nosuch" "$(c systemctl is-failed sandbox@nosuch)" failed
check_eq "sandbox@nosuch failed in ExecStartPre=: the main command never ran" \
        "$(c systemctl show -p ExecMainPID --value sandbox@nosuch)" 0
journal sandbox@nosuch "has no profile" >"$TMP/journal"
check "sandbox@nosuch's journal names nosuch.xml and every directory searched" \
        grep -qF "there is no nosuch.xml in /etc/sandbox/profiles, /run/sandbox/profiles, /usr/lib/sandbox/profiles." "$TMP/journal"
check_eq "... once" "$(grep -c 'has no profile' "$TMP/journal")" 1

c systemctl start sandbox@badvalue >/dev/null 2>&1
rc=$?
check "systemctl start sandbox@badvalue (skipped at boot) exits non-zero" test "$rc" -ne 0
check_eq "... and the unit failed" "$(c systemctl is-failed sandbox@badvalue)" failed
check "sandbox@badvalue's journal names its profile and \"sandboxctl validate badvalue\"" \
        bash -c 'grep -F "from its profile $1/badvalue.xml:" "$2" | grep -qF "sandboxctl validate badvalue"' \
        _ "$P" <(journal sandbox@badvalue "sandboxctl validate")

# --- fixed, the profiles load at daemon-reload and the check passes
sed 's/64Q/64M/' "$TMP/badvalue.xml" | c_profile badvalue
c rm "$P/unknown.xml"
c systemctl daemon-reload
c systemctl restart sandbox-profiles.service
check_eq "fixed: systemctl restart sandbox-profiles.service succeeds" \
        "$?:$(c systemctl is-active sandbox-profiles.service)" 0:active
c systemctl start sandbox@badvalue
check_eq "fixed: systemctl start sandbox@badvalue succeeds" "$?:$(c systemctl is-active sandbox@badvalue)" 0:active

# --- overriding with "systemctl edit": after the generated drop-in
OVERRIDE=/etc/systemd/system/sandbox@good1.service.d/override.conf
# c_edit UNIT: "systemctl edit UNIT" with standard input as what the
# administrator writes into the editor (systemctl edit wants a terminal)
c_edit() {
        c sh -c 'cat >/run/e2e-edit'
        c env SYSTEMD_EDITOR="cp /run/e2e-edit" script -qec "systemctl edit $1" /dev/null </dev/null >/dev/null 2>&1
}
if c sh -c 'command -v script' >/dev/null; then
        printf '[Service]\nMemoryMax=200M\nEnvironment=B=2\nExecStartPre=/bin/touch /run/e2e-pre\n' | c_edit sandbox@good1
        check "systemctl edit sandbox@good1 writes $OVERRIDE" c grep -qx 'MemoryMax=200M' "$OVERRIDE"
else
        skip "systemctl edit sandbox@good1 writes $OVERRIDE" "no script(1) for a terminal: the file is written directly"
        c mkdir -p "${OVERRIDE%/*}"
        printf '[Service]\nMemoryMax=200M\nEnvironment=B=2\nExecStartPre=/bin/touch /run/e2e-pre\n' |
                c sh -c "cat >$OVERRIDE"
        c systemctl daemon-reload
fi
check_eq "override: the drop-ins apply in this order: the generated one, then override.conf" \
        "$(c systemctl show -p DropInPaths --value sandbox@good1)" \
        "/run/systemd/generator/sandbox@good1.service.d/50-profile.conf $OVERRIDE"
check_eq "override: MemoryMax= in override.conf wins over the profile's memory=\"96M\"" \
        "$(c systemctl show -p MemoryMax --value sandbox@good1)" 209715200
check_eq "override: Environment= without an empty assignment first adds to the profile's" \
        "$(c systemctl show -p Environment --value sandbox@good1)" "A=1 B=2"
c systemctl restart sandbox@good1
check_eq "override: the admin's ExecStartPre= runs (the generated reset comes before it)" \
        "$(c test -e /run/e2e-pre && echo ran):$(c systemctl is-active sandbox@good1)" ran:active
printf '[Service]\nEnvironment=\nEnvironment=B=2\n' | c_edit sandbox@good1 ||
        { printf '[Service]\nEnvironment=\nEnvironment=B=2\n' | c sh -c "cat >$OVERRIDE" && c systemctl daemon-reload; }
check_eq "override: an empty Environment= first replaces the profile's" \
        "$(c systemctl show -p Environment --value sandbox@good1)" "B=2"

# a drop-in for every sandbox whose name sorts before 50-profile.conf
c mkdir -p /etc/systemd/system/sandbox@.service.d
printf '[Service]\nEnvironment=C=3\nExecStartPre=/bin/touch /run/e2e-pre10\n' |
        c sh -c 'cat >/etc/systemd/system/sandbox@.service.d/10-local.conf'
c systemctl daemon-reload
check_eq "10-local.conf in sandbox@.service.d/ applies before the generated drop-in" \
        "$(c systemctl show -p DropInPaths --value sandbox@good2)" \
        "/etc/systemd/system/sandbox@.service.d/10-local.conf /run/systemd/generator/sandbox@good2.service.d/50-profile.conf"
check_eq "... its Environment= is kept, before the profile's" \
        "$(c systemctl show -p Environment --value sandbox@good2)" "C=3 A=1"
c systemctl restart sandbox@good2
check_eq "... its ExecStartPre= is reset by the generated drop-in and does not run" \
        "$(c test -e /run/e2e-pre10 || echo not-run):$(c systemctl is-active sandbox@good2)" not-run:active

# --- systemd's own limit on a unit file line (LONG_LINE_MAX, 1 MiB),
# which validate applies to the drop-in: a profile whose ExecStart= line
# is one byte under it loads and starts; with one byte more validate
# refuses it, and systemd refuses the same drop-in line.
# lim_profile PERCENTS BS: eight arguments of 130000 bytes and a last one
# of PERCENTS times "%" (written "%%") and BS times "b", under 1 MiB
lim_profile() {
        python3 -c 'import sys
p, b = int(sys.argv[1]), int(sys.argv[2])
args = "".join("    <arg>" + "a" * 130000 + "</arg>\n" for _ in range(8)) + "    <arg>" + "%" * p + "b" * b + "</arg>\n"
sys.stdout.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sandbox>\n  <exec>\n    <arg>/bin/true</arg>\n" + args + "  </exec>\n</sandbox>\n")' "$1" "$2"
}
lim_profile 1000 0 | c_profile limit
len=$(c sandboxctl show limit | awk '/^ExecStart=./ { print length($0) }')
more=$((1048575 - len))
lim_profile $((1000 + more / 2)) $((more % 2)) | c_profile limit
# "limat" is as long as "limit": the line holds the name and the path
lim_profile $((1000 + (more + 1) / 2)) $(((more + 1) % 2)) | c_profile limat
c sandboxctl validate limat >/dev/null 2>"$TMP/limat.err"
check_eq "LONG_LINE_MAX: validate refuses a profile whose ExecStart= line would be 1048576 bytes" \
        "$?:$(grep -c "ExecStart= line would be 1048576 bytes; systemd rejects the unit .*(LONG_LINE_MAX)" "$TMP/limat.err")" 1:1
c rm "$P/limat.xml"
c systemctl daemon-reload
D=/run/systemd/generator/sandbox@limit.service.d/50-profile.conf
check_eq "LONG_LINE_MAX: the generator writes the valid one's 1048575-byte ExecStart= line" \
        "$(c awk '/^ExecStart=./ { print length($0) }' "$D")" 1048575
check_eq "... systemd loads it" "$(c systemctl show -p LoadState --value sandbox@limit)" loaded
# --wait: its result, once it has run (and has been let go of)
c systemctl start --wait sandbox@limit 2>"$TMP/limit.err"
rc=$?
check_eq "... and the sandbox starts, and its command exits 0 (systemctl start --wait)" "$rc" 0
[ "$rc" = 0 ] || diag "$(cat "$TMP/limit.err")" "$(c journalctl -q --no-pager -u sandbox@limit | cut -c1-300 | tail -n 20)"
# the same drop-in, one byte longer, for an instance without a profile
c mkdir -p /etc/systemd/system/sandbox@limat.service.d
c sh -c "sed '/^ExecStart=./ s/\$/b/' $D >/etc/systemd/system/sandbox@limat.service.d/50-profile.conf"
c systemctl daemon-reload
check_eq "LONG_LINE_MAX: systemd refuses the same line with one byte more (1048576)" \
        "$(c awk '/^ExecStart=./ { print length($0) }' /etc/systemd/system/sandbox@limat.service.d/50-profile.conf):$(c systemctl show -p LoadState --value sandbox@limat)" \
        1048576:bad-setting
c rm -r /etc/systemd/system/sandbox@limat.service.d "$P/limit.xml"
c systemctl daemon-reload

# --- the kernel's MAX_ARG_STRLEN, which validate applies to each <arg>:
# systemd runs a command with an argument of 131071 bytes, and fails one
# of 131072 with E2BIG
for n in 131071 131072; do
        python3 -c 'import sys; sys.stdout.write("[Service]\nType=oneshot\nExecStart=/bin/true " + "a" * int(sys.argv[1]) + "\n")' "$n" |
                c sh -c "cat >/etc/systemd/system/e2e-arg$n.service"
done
c systemctl daemon-reload
c systemctl start e2e-arg131071.service 2>/dev/null
check_eq "MAX_ARG_STRLEN: systemd runs a command with an argument of 131071 bytes" "$?" 0
c systemctl start e2e-arg131072.service 2>/dev/null
rc=$?
check_eq "MAX_ARG_STRLEN: one of 131072 bytes fails to execute (E2BIG)" \
        "$([ "$rc" -ne 0 ] && echo failed):$(c journalctl -u e2e-arg131072.service -o cat --no-pager | grep -c 'Argument list too long' | awk '{ print ($1 > 0) }')" failed:1
c rm /etc/systemd/system/e2e-arg131071.service /etc/systemd/system/e2e-arg131072.service
c systemctl daemon-reload

done_testing
