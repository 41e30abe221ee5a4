#!/bin/bash
# The installed units and the drop-ins the installed generator writes for
# profiles/examples, checked by systemd's own `systemd-analyze verify`
# (and scored by `systemd-analyze security --offline=true`).
#
# Everything happens in a `meson install --destdir` tree, passed to
# systemd-analyze as --root=: there the template, the slice and the target
# are where the build installs them, and the helper named in ExecStart=
# exists, so verify's check that the command is executable applies to
# the real path.

. "$(dirname "$0")/../tap.sh"

DEST=$TMP/dest

# The build must be current (meson test builds before it runs tests).
if meson install -C "$BUILD_ROOT" --destdir "$DEST" --no-rebuild --quiet >"$TMP/install.log" 2>&1; then
        ok "meson install --destdir"
else
        not_ok "meson install --destdir"
        diag "$(cat "$TMP/install.log")"
        done_testing
        exit
fi

# where the build installs its generator, helper and template (without DESTDIR)
{ read -r GENERATOR_INSTALLED; read -r HELPER_INSTALLED; read -r TEMPLATE_INSTALLED; } < <(
        meson introspect --installed "$BUILD_ROOT" | python3 -c '
import json, sys
installed = json.load(sys.stdin)
for f in sys.argv[1:]:
        print(installed.get(f, ""))
' "$BUILD_ROOT/generator/sandbox-generator" "$BUILD_ROOT/helper/sandbox-helper" "$BUILD_ROOT/units/sandbox@.service")
HELPER_PATH=$(sed -n 's/^#define SANDBOX_HELPER_PATH "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")
UNIT_DIR=$(sed -n 's/^#define SANDBOX_UNIT_DIR "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")

check "the generator is installed (at $GENERATOR_INSTALLED)" \
        test -n "$GENERATOR_INSTALLED" -a -x "$DEST$GENERATOR_INSTALLED"
check "the helper is installed where ExecStart= runs it ($HELPER_PATH)" \
        test "$HELPER_INSTALLED" = "$HELPER_PATH" -a -x "$DEST$HELPER_PATH"
check "the template is installed where the wants links point ($UNIT_DIR)" \
        test "$TEMPLATE_INSTALLED" = "$UNIT_DIR/sandbox@.service" -a -f "$DEST$UNIT_DIR/sandbox@.service"

# verify loads every unit a unit depends on (sysinit.target, basic.target,
# network.target, systemd-journald.socket, ...) and fails when one is
# missing; under --root= it looks for them only inside the root. Copy the
# host's own vendor units next to ours, without overwriting ours and
# without any sandbox unit a host may have installed.
HOST_UNITS=$(host_unit_dir)
if [ -z "$HOST_UNITS" ]; then
        skip "systemd-analyze verify: no systemd unit directory on this machine"
        done_testing
        exit
fi
mkdir -p "$DEST/usr/lib/systemd/system"
tar -C "$HOST_UNITS" --exclude='./sandbox*' -cf - . |
        tar -C "$DEST/usr/lib/systemd/system" --skip-old-files -xf -

# Documentation=man:... is checked by verify when the build installs man
# pages; without them that check would only report their absence.
MAN=no
MAN_DIR=$(find "$DEST" -path '*/man8/sandbox@.service.8*' 2>/dev/null | head -1)
if [ -n "$MAN_DIR" ] && command -v man >/dev/null; then
        MAN_DIR=$(dirname "$(dirname "$MAN_DIR")")
        MAN=yes
else
        diag "man pages are not installed by this build: Documentation= is not checked"
fi

# verify_unit UNIT [NOTE]: systemd-analyze verify on UNIT inside $DEST; passes
# when it exits 0 and says nothing about our units. Lines about no unit of
# ours can only come from the host units copied above, which are not what
# is tested here: they are shown, not counted.
verify_unit() {
        local unit=$1 what="systemd-analyze verify $1${2:+ $2}" rc=0
        MANPATH=${MAN_DIR:-} SYSTEMD_LOG_LEVEL=info \
                systemd-analyze verify --root="$DEST" --man="$MAN" "$unit" >"$TMP/verify.log" 2>&1 || rc=$?
        grep -i -e sandbox -e "$EXAMPLES" "$TMP/verify.log" >"$TMP/verify.ours"
        grep -v -i -e sandbox -e "$EXAMPLES" "$TMP/verify.log" >"$TMP/verify.other"
        if [ "$rc" -eq 0 ] && [ ! -s "$TMP/verify.ours" ]; then
                ok "$what"
                [ -s "$TMP/verify.other" ] && diag "not about our units:" "$(cat "$TMP/verify.other")"
        else
                not_ok "$what"
                diag "exit status $rc" "$(cat "$TMP/verify.log")"
        fi
        return 0
}

# --- the installed units alone -----------------------------------------

verify_unit "sandbox@nosuch.service"
verify_unit "sandbox.slice"
verify_unit "sandbox.target"
verify_unit "sandbox-profiles.service"
check "sandbox-profiles.service runs the installed sandboxctl" \
        bash -c 'p=$(sed -n "s/^ExecStart=\([^ ]*\) validate\$/\1/p" "$1$2/sandbox-profiles.service") &&
                [ -n "$p" ] && [ -x "$1$p" ] && [ "$p" = "$3" ]' _ "$DEST" "$UNIT_DIR" \
        "$(meson introspect --installed "$BUILD_ROOT" | python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$BUILD_ROOT/ctl/sandboxctl")"
check "sandbox-profiles.service is linked into sandbox.target.wants/" \
        test "$(readlink "$DEST$UNIT_DIR/sandbox.target.wants/sandbox-profiles.service")" = ../sandbox-profiles.service

# --- the generated drop-ins --------------------------------------------

# The generator's normal directory would be /run/systemd/generator, but
# verify runs in systemd's test mode, which replaces the generator
# directories with temporary ones: put the output in /run/systemd/system
# of the root instead, which is read the same way (drop-in directories,
# .wants links).
GEN_OUT=$DEST/run/systemd/system
mkdir -p "$GEN_OUT" "$DEST/run/systemd/generator.early" "$DEST/run/systemd/generator.late"
rc=0
SANDBOX_PROFILE_PATH=$EXAMPLES "$DEST$GENERATOR_INSTALLED" "$GEN_OUT" \
        "$DEST/run/systemd/generator.early" "$DEST/run/systemd/generator.late" >"$TMP/gen.log" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/gen.log" ]; then
        ok "installed generator writes drop-ins for profiles/examples"
else
        not_ok "installed generator writes drop-ins for profiles/examples"
        diag "exit status $rc" "$(cat "$TMP/gen.log")"
fi

for f in "$EXAMPLES"/*.xml; do
        name=$(basename "$f" .xml)
        if [ ! -f "$GEN_OUT/sandbox@$name.service.d/50-profile.conf" ]; then
                not_ok "systemd-analyze verify sandbox@$name.service"
                diag "no drop-in was generated for $f"
                continue
        fi
        verify_unit "sandbox@$name.service"
done

# with the generated wants links in place
verify_unit "sandbox.target" "(with the generated wants links)"

# --- unit settings passed through ---------------------------------------

# every key of <unit-setting> in one profile, its [Unit] dependencies on
# units that every systemd has (verify loads them); systemd reads each
# line as the profile's check said it would
mkdir -p "$TMP/settings"
sed -e 's/postgresql\.service/systemd-journald.socket/g' -e 's/nginx\.service/shutdown.target/' \
    -e 's/app\.target/multi-user.target/' -e 's/dev-sda\.device/-.mount/' -e 's/other-db\.service/rescue.target/' \
    "$SOURCE_ROOT/tests/profiles/valid/unit-settings-every-key.xml" >"$TMP/settings/settings.xml"
chmod 0644 "$TMP/settings/settings.xml"
rc=0
SANDBOX_PROFILE_PATH=$TMP/settings "$DEST$GENERATOR_INSTALLED" "$GEN_OUT" \
        "$DEST/run/systemd/generator.early" "$DEST/run/systemd/generator.late" >"$TMP/gen.log" 2>&1 || rc=$?
check "the generator writes a drop-in with every unit setting" \
        test "$rc" -eq 0 -a "$(grep -c -e '^Limit' -e '^After=' -e '^Requires=' -e '^LoadCredential=' \
                "$GEN_OUT/sandbox@settings.service.d/50-profile.conf" 2>/dev/null)" -eq 20
verify_unit "sandbox@settings.service" "(every <unit-setting> key)"
rm -r "$GEN_OUT/sandbox@settings.service.d"

# --- controls: verify does read these drop-ins and checks the helper ----

# a key systemd does not know, in a drop-in next to the generated one,
# must be reported; else the passes above would prove nothing
first=$(basename "$(ls -d "$GEN_OUT"/sandbox@*.service.d | head -1)" .d)
printf '[Service]\nNoSuchSetting=1\n' >"$GEN_OUT/$first.d/99-control.conf"
systemd-analyze verify --root="$DEST" --man=no "$first" >"$TMP/control.log" 2>&1
check "control: verify reports an unknown key in $first.d/" grep -q "99-control.conf.*NoSuchSetting" "$TMP/control.log"
rm "$GEN_OUT/$first.d/99-control.conf"

mv "$DEST$HELPER_PATH" "$DEST$HELPER_PATH.away"
rc=0
systemd-analyze verify --root="$DEST" --man=no "$first" >"$TMP/control.log" 2>&1 || rc=$?
check "control: verify fails when the helper is missing from the root" \
        test "$rc" -ne 0 -a -n "$(grep -F "$HELPER_PATH" "$TMP/control.log")"
mv "$DEST$HELPER_PATH.away" "$DEST$HELPER_PATH"

# --- systemd-analyze security ------------------------------------------

rc=0
systemd-analyze security --offline=true --root="$DEST" --no-pager sandbox@nginx.service >"$TMP/security.log" 2>&1 || rc=$?
score=$(sed -n 's/.*Overall exposure level for sandbox@nginx\.service: \([0-9][0-9.]*\) .*/\1/p' "$TMP/security.log")
if [ "$rc" -eq 0 ] && [ -n "$score" ]; then
        ok "systemd-analyze security --offline=true sandbox@nginx.service prints an exposure score"
else
        not_ok "systemd-analyze security --offline=true sandbox@nginx.service prints an exposure score"
        diag "exit status $rc" "$(tail -20 "$TMP/security.log")"
fi
diag "exposure of sandbox@nginx.service as systemd sees the unit: ${score:-none}" \
     "(the helper's own confinement of the service is not visible to systemd-analyze)"

done_testing
