#!/bin/bash
# End-to-end: a profile's <install wanted-by="..."/> starts its sandbox at
# boot, a profile without it does not; "systemctl enable", "disable",
# "mask" and "unmask" of sandbox@NAME, across a reboot of the container,
# do what sandbox@.service(8) says they do.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init
e2e_sleep_profile '  <install wanted-by="sandbox.target"/>' >"$TMP/auto.xml"
e2e_sleep_profile '  <install wanted-by="multi-user.target"/>' >"$TMP/multi.xml"
e2e_sleep_profile >"$TMP/manual.xml"
for n in auto multi manual; do
        e2e_profile "$TMP/$n.xml" "$n"
done
e2e_boot

TEMPLATE=$(sed -n 's/^#define SANDBOX_UNIT_DIR "\(.*\)"$/\1/p' "$BUILD_ROOT/config.h")/sandbox@.service
GENERATED=/run/systemd/generator/sandbox.target.wants/sandbox@auto.service
ENABLED=/etc/systemd/system/sandbox.target.wants/sandbox@manual.service

# state UNIT: "ActiveState:is-enabled" as systemctl says them
state() {
        echo "$(c systemctl is-active "$1"):$(c systemctl is-enabled "$1")"
}
# wants UNIT TARGET: TARGET's Wants= has UNIT, as systemd loaded it
wants() {
        c systemctl show -p Wants --value "$2" | tr ' ' '\n' | grep -qx "$1"
}
link_of() {
        c readlink "$1" 2>/dev/null
}

# --- first boot: the profiles' <install>
check_eq "boot: sandbox@auto (wanted-by sandbox.target) is active without a start, enabled-runtime" \
        "$(state sandbox@auto)" active:enabled-runtime
check_eq "boot: sandbox@auto runs its service in the sandbox" "$(c_service_comm sandbox@auto)" sleep
check_eq "boot: sandbox@multi (wanted-by multi-user.target) is active, enabled-runtime" \
        "$(state sandbox@multi)" active:enabled-runtime
check_eq "boot: sandbox@manual (no <install>) is not started, disabled" \
        "$(state sandbox@manual)" inactive:disabled
check "boot: the generator's link $GENERATED points to the template" \
        test "$(link_of "$GENERATED")" = "$TEMPLATE"
check "boot: sandbox.target wants sandbox@auto.service" wants sandbox@auto.service sandbox.target
check "boot: multi-user.target wants sandbox@multi.service" wants sandbox@multi.service multi-user.target
check "boot: sandbox.target does not want sandbox@manual.service" \
        eval '! wants sandbox@manual.service sandbox.target'

# --- "disable" cannot undo what a profile's <install> asks for
c systemctl disable sandbox@auto >"$TMP/out" 2>&1
check_eq "disable sandbox@auto: exits 0 and says nothing" "$?:$(cat "$TMP/out")" "0:"
check_eq "disable sandbox@auto: the generator's link stays, the unit stays enabled-runtime and running" \
        "$(link_of "$GENERATED"):$(state sandbox@auto)" "$TEMPLATE:active:enabled-runtime"
c systemctl daemon-reload
check "disable sandbox@auto: after daemon-reload, sandbox.target still wants it" \
        wants sandbox@auto.service sandbox.target

# --- "enable" through the template's [Install] WantedBy=sandbox.target
c systemctl enable sandbox@manual >"$TMP/out" 2>&1
check_eq "enable sandbox@manual: exits 0" "$?" 0
check_eq "enable sandbox@manual: links $ENABLED to the template" "$(link_of "$ENABLED")" "$TEMPLATE"
check_eq "enable sandbox@manual: the unit is enabled, and not started" "$(state sandbox@manual)" inactive:enabled
check "enable sandbox@manual: sandbox.target wants it at once (enable reloads systemd)" \
        wants sandbox@manual.service sandbox.target

# --- "enable" of a sandbox whose profile has <install>: a second link
c systemctl enable sandbox@auto >/dev/null 2>&1
check_eq "enable sandbox@auto: exits 0, adds /etc/systemd/system/sandbox.target.wants/sandbox@auto.service, enabled" \
        "$?:$(link_of /etc/systemd/system/sandbox.target.wants/sandbox@auto.service):$(c systemctl is-enabled sandbox@auto)" \
        "0:$TEMPLATE:enabled"
c systemctl disable sandbox@auto >/dev/null 2>&1
check_eq "disable sandbox@auto: removes that link only, enabled-runtime again" \
        "$(c test -L /etc/systemd/system/sandbox.target.wants/sandbox@auto.service; echo $?):$(state sandbox@auto)" \
        "1:active:enabled-runtime"

# --- "enable" works for any name, also one without a profile
c systemctl enable sandbox@nosuch >/dev/null 2>&1
check_eq "enable sandbox@nosuch (no profile): exits 0, enabled" "$?:$(c systemctl is-enabled sandbox@nosuch)" 0:enabled

# --- "mask" keeps a profile's sandbox from starting at boot
c systemctl mask sandbox@auto >/dev/null 2>&1
check_eq "mask sandbox@auto: exits 0, links /etc/systemd/system/sandbox@auto.service to /dev/null" \
        "$?:$(link_of /etc/systemd/system/sandbox@auto.service)" 0:/dev/null
check_eq "mask sandbox@auto: the running sandbox is not stopped; the unit is masked" \
        "$(state sandbox@auto)" active:masked

# --- reboot, with the container's /etc/systemd/system as it is now
e2e_keep /etc/systemd/system/sandbox.target.wants /etc/systemd/system/sandbox@auto.service
e2e_stop
e2e_boot
check_eq "reboot: the enabled sandbox@manual is started at boot" "$(state sandbox@manual)" active:enabled
check_eq "reboot: sandbox@manual runs its service in the sandbox" "$(c_service_comm sandbox@manual)" sleep
check_eq "reboot: the masked sandbox@auto is not started, though its profile wants it" \
        "$(state sandbox@auto)" inactive:masked
check_eq "reboot: sandbox@multi is started again" "$(state sandbox@multi)" active:enabled-runtime
check_eq "reboot: the enabled sandbox@nosuch, without a profile, failed at boot" \
        "$(c systemctl is-failed sandbox@nosuch)" failed
c systemctl start sandbox@auto >/dev/null 2>&1
check_eq "reboot: systemctl start of the masked sandbox@auto fails" "$?:$(c systemctl is-active sandbox@auto)" 1:inactive

c systemctl disable sandbox@manual >"$TMP/out" 2>&1
check_eq "disable sandbox@manual: exits 0, says it removed the link" \
        "$?:$(cat "$TMP/out")" "0:Removed \"$ENABLED\"."
check_eq "disable sandbox@manual: the link is gone" "$(c test -L "$ENABLED"; echo $?)" 1
check_eq "disable sandbox@manual: disabled, and not stopped" "$(state sandbox@manual)" active:disabled
check "disable sandbox@manual: sandbox.target no longer wants it" \
        eval '! wants sandbox@manual.service sandbox.target'
c systemctl stop sandbox@manual
c systemctl enable --now sandbox@manual >/dev/null 2>&1
check_eq "enable --now sandbox@manual: exits 0, enabled and started" "$?:$(state sandbox@manual)" 0:active:enabled

c systemctl unmask sandbox@auto >/dev/null 2>&1
check_eq "unmask sandbox@auto: exits 0, enabled-runtime again" "$?:$(c systemctl is-enabled sandbox@auto)" 0:enabled-runtime
c systemctl start sandbox.target
check_eq "start sandbox.target: starts sandbox@auto, which it wants" "$(state sandbox@auto)" active:enabled-runtime

done_testing
