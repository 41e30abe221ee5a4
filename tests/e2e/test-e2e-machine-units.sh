#!/bin/bash
# End-to-end: what the machine has installed and enabled does not boot in
# the container, so that no test's result depends on it. The machine's
# own files are stood for by a layer of the test's below its own
# (e2e_machine_file): units an administrator wrote and enabled in
# /etc/systemd/system (one of them a socket on port 80, where another web
# server would keep nginx from starting), a drop-in that adds a Wants= to
# multi-user.target, a package's unit in /usr/lib/systemd/system enabled
# in /etc, a local unit enabled in /usr/local/lib/systemd/system, a
# System V script enabled in /etc/rc?.d, and a sandbox profile of the
# machine's with <install>. None of them starts; what the test installs
# (a unit of its layer, a profile, a machine's unit it enables with
# e2e_enable) does. Booted again without hiding anything, the same
# machine starts them all: the test's stand-ins are real.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init

# unit NAME [INSTALL]: a oneshot that leaves /run/NAME-ran behind
unit() {
        printf '[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/touch /run/%s-ran\n' "$1"
        [ -z "${2:-}" ] || printf '[Install]\n%s\n' "$2"
}

# --- the machine's
unit admin 'WantedBy=multi-user.target' >"$TMP/admin.service"
e2e_machine_file "$TMP/admin.service" /etc/systemd/system/admin.service
e2e_machine_file -l /etc/systemd/system/admin.service /etc/systemd/system/multi-user.target.wants/admin.service
printf '[Socket]\nListenStream=127.0.0.1:80\n[Install]\nWantedBy=sockets.target\n' >"$TMP/admin-web.socket"
unit admin-web >"$TMP/admin-web.service"
e2e_machine_file "$TMP/admin-web.socket" /etc/systemd/system/admin-web.socket
e2e_machine_file "$TMP/admin-web.service" /etc/systemd/system/admin-web.service
e2e_machine_file -l /etc/systemd/system/admin-web.socket /etc/systemd/system/sockets.target.wants/admin-web.socket
unit admin-dropin >"$TMP/admin-dropin.service"
printf '[Unit]\nWants=admin-dropin.service\n' >"$TMP/admin.conf"
e2e_machine_file "$TMP/admin-dropin.service" /etc/systemd/system/admin-dropin.service
e2e_machine_file "$TMP/admin.conf" /etc/systemd/system/multi-user.target.d/admin.conf
unit admin-pkg 'WantedBy=multi-user.target' >"$TMP/admin-pkg.service"
e2e_machine_file "$TMP/admin-pkg.service" /usr/lib/systemd/system/admin-pkg.service
e2e_machine_file -l /lib/systemd/system/admin-pkg.service /etc/systemd/system/multi-user.target.wants/admin-pkg.service
unit admin-local 'WantedBy=multi-user.target' >"$TMP/admin-local.service"
e2e_machine_file "$TMP/admin-local.service" /usr/local/lib/systemd/system/admin-local.service
e2e_machine_file -l ../admin-local.service /usr/local/lib/systemd/system/multi-user.target.wants/admin-local.service
printf '#!/bin/sh\n[ "$1" = start ] && touch /run/admin-sysv-ran\nexit 0\n' >"$TMP/admin-sysv"
e2e_machine_file "$TMP/admin-sysv" /etc/init.d/admin-sysv 0755
for l in 2 3 4 5; do
        e2e_machine_file -l ../init.d/admin-sysv "/etc/rc$l.d/S01admin-sysv"
done
e2e_sleep_profile '  <install wanted-by="multi-user.target"/>' >"$TMP/machine.xml"
e2e_machine_file "$TMP/machine.xml" /etc/sandbox/profiles/machine.xml
# a package's unit the test asks for, with e2e_enable
unit kept 'WantedBy=multi-user.target' >"$TMP/kept.service"
e2e_machine_file "$TMP/kept.service" /usr/lib/systemd/system/kept.service

# --- the test's own
unit own 'WantedBy=multi-user.target' >"$TMP/own.service"
e2e_file "$TMP/own.service" /etc/systemd/system/own.service
mkdir -p "$E2E_DIR/layer/etc/systemd/system/multi-user.target.wants"
ln -s /etc/systemd/system/own.service "$E2E_DIR/layer/etc/systemd/system/multi-user.target.wants/own.service"
e2e_sleep_profile '  <install wanted-by="multi-user.target"/>' >"$TMP/own.xml"
e2e_profile "$TMP/own.xml" own
check "e2e_enable kept.service: the machine has it" e2e_enable kept.service
check "e2e_enable nosuch.service: fails, the machine has no such unit" eval '! e2e_enable nosuch.service'

MACHINE_UNITS="admin.service admin-web.socket admin-dropin.service admin-pkg.service admin-local.service admin-sysv.service sandbox@machine.service"

# ran NAME: /run/NAME-ran is there in the container
ran() {
        c test -e "/run/$1-ran"
}
# port80: what listens on port 80 in the container (/proc/net/tcp, LISTEN)
port80() {
        c awk '$4 == "0A" && $2 ~ /:0050$/ { print $2 }' /proc/net/tcp /proc/net/tcp6
}

e2e_boot

for u in $MACHINE_UNITS; do
        check_eq "the machine's $u is not started" "$(c systemctl is-active "$u")" inactive
done
check_eq "the machine's admin-web.service, the socket's, is not started" "$(c systemctl is-active admin-web.service)" inactive
for n in admin admin-web admin-dropin admin-pkg admin-local admin-sysv; do
        check "... /run/$n-ran is not there: it never ran" eval "! ran $n"
done
check_eq "nothing listens on port 80" "$(port80)" ""
check "multi-user.target does not want the machine's admin.service, admin-pkg.service, admin-local.service, nor its drop-in's admin-dropin.service" \
        eval '! c systemctl show -p Wants --value multi-user.target | tr " " "\n" | grep -qx "admin.*"'
check "the machine's /etc/systemd/system is not the container's: no admin.service there" \
        eval '! c test -e /etc/systemd/system/admin.service'
check "the machine's own sandbox profile is not the container's" eval '! c test -e /etc/sandbox/profiles/machine.xml'
check_eq "the machine's package unit stays installed, and disabled" "$(c systemctl is-enabled admin-pkg.service)" disabled
check_eq "the machine's package unit starts when asked" "$(c systemctl start admin-pkg.service; echo $?):$(ran admin-pkg; echo $?)" 0:0
check_eq "the test's own unit, enabled in its layer, is active and ran" \
        "$(c systemctl is-active own.service):$(ran own; echo $?)" active:0
check_eq "the test's own profile's sandbox@own, wanted by multi-user.target, is active" \
        "$(c systemctl is-active sandbox@own.service)" active
check_eq "kept.service, a machine's unit the test enabled, is active and ran" \
        "$(c systemctl is-active kept.service):$(ran kept; echo $?)" active:0

# --- the same machine, nothing hidden: its units start
e2e_stop
E2E_HIDDEN=()
e2e_boot
for u in $MACHINE_UNITS; do
        check_eq "nothing hidden: the machine's $u starts" "$(c systemctl is-active "$u")" active
done
check "nothing hidden: admin-web.socket listens on port 80" test -n "$(port80)"
for n in admin admin-dropin admin-pkg admin-local admin-sysv; do
        check "nothing hidden: ... /run/$n-ran is there" ran $n
done

done_testing
