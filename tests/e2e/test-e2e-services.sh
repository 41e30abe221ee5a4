#!/bin/bash
# End-to-end: real Debian services, installed from Debian 12's packages into
# the container (never the host), each converted with "sandboxctl convert
# UNIT --enable". Each original unit passes its checks first, the way its
# clients reach it (its port, its socket path, "systemctl reload", its
# syslog lines in the journal, a unit that Requires= it); the sandboxed
# unit then passes the same checks, from outside the sandbox, and the host's
# root is read-only inside it; where the service keeps data, the data
# survives a restart. The checks of each service are in
# tests/e2e/services/NAME.sh; docs/converted-services.md says what each
# conversion keeps and changes.
#
# The table at the end says, per service, "clean" (convert needed no
# option and no edit, and every check passed), or which checks failed, and
# which option or edit the conversion needed.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

# E2E_SERVICES: some of them only (while a service's checks are written)
read -r -a SERVICES <<<"${E2E_SERVICES:-nginx redis memcached postgresql ssh mariadb apache2 dnsmasq uuidd haproxy lighttpd vsftpd}"
# E2E_USERNS=private: each converted with <user-namespace mode="private"/>,
# in a container whose root can be idmapped (e2e_idmappable), and in a
# user namespace of its range (test-e2e-userns-private.sh runs redis so)
USERNS=${E2E_USERNS:-}
case $USERNS in
"" | private) ;;
*) echo "Bail out! E2E_USERNS is private, or empty"; exit 1 ;;
esac
for s in "${SERVICES[@]}"; do
        . "$(dirname "$0")/services/$s.sh"
done

E2E_BOOT_TIMEOUT=120
e2e_init
[ -z "$USERNS" ] || e2e_idmappable
# what a service section puts in the layer before the boot: its
# configuration (ports of its own, a line to reload), a dependent unit
for s in "${SERVICES[@]}"; do
        ! declare -F "${s}_layer" >/dev/null || "${s}_layer"
done
# the Debian packages of the services tested, and of nothing else: a
# service left out of E2E_SERVICES is not there to take another's port
# (apache2 and lighttpd without their sections' configuration listen on
# port 80, nginx's); postgresql's are the host's own
declare -A DEBS=([nginx]=nginx-light [redis]=redis-server [memcached]=memcached [ssh]=openssh-server
        [mariadb]=mariadb-server [apache2]=apache2 [dnsmasq]="dnsmasq bind9-dnsutils" [uuidd]=uuid-runtime
        [haproxy]=haproxy [lighttpd]=lighttpd [vsftpd]=vsftpd [postgresql]=)
debs=()
for s in "${SERVICES[@]}"; do
        read -r -a d <<<"${DEBS[$s]}"
        debs+=("${d[@]}")
done
[ ${#debs[@]} -eq 0 ] || e2e_debs "${debs[@]}"
# started by their postinsts (and postgresql at boot) as on a Debian
# machine: not masked
e2e_unmask nginx.service redis-server.service memcached.service ssh.service postgresql.service
e2e_boot

start=$SECONDS
if e2e_install_debs; then
        ok "the packages install in the container, offline ($((SECONDS - start)) s)"
else
        not_ok "the packages install in the container, offline"
        diag "$(tail -n 20 "$E2E_DIR/install-debs.log")"
        done_testing
        exit
fi

# admin CMD...: CMD as an administrator's shell would run it, in a cgroup
# of the container's (sandboxctl exec must be inside its cgroup tree)
admin() {
        c systemd-run --quiet --wait --pipe --collect --service-type=exec "$@" </dev/null
}

# retry CMD...: CMD until it succeeds (10 s at most; once, when the
# service's conversion was refused), its last output
retry() {
        local out i n=100
        [ -z "$SVC_DOWN" ] || n=1
        for ((i = 0; i < n; i++)); do
                out=$("$@" 2>&1) && { printf '%s\n' "$out"; return 0; }
                sleep 0.1
        done
        printf '%s\n' "$out"
        return 1
}

# http_get PORT [AGENT [PATH]]: a GET of PATH (/) on 127.0.0.1:PORT
http_get() {
        c curl -fsS -m 5 -A "${2:-e2e}" "http://127.0.0.1:$1${3:-/}"
}

### The record of each service's checks, for the table

declare -A SVC_N SVC_BAD SVC_NOTE SVC_REFUSED
SVC=
SVC_UNIT=
# the conversion was refused (no waiting for what cannot come)
SVC_DOWN=

# service NAME UNIT: the checks that follow are NAME's; UNIT's journal is
# shown at its first failure
service() {
        SVC=$1
        SVC_UNIT=$2
        SVC_DOWN=
        SVC_N[$SVC]=0
        SVC_BAD[$SVC]=
        SVC_NOTE[$SVC]=
        SVC_REFUSED[$SVC]=0
        diag "--- $SVC"
}

# note TEXT: why the service is not clean although no check failed (an
# option convert needed, a manual edit)
note() {
        SVC_NOTE[$SVC]+="${SVC_NOTE[$SVC]:+; }$1"
}

# t DESCRIPTION COMMAND...: one assertion, recorded for the service
t() {
        local what=$1
        shift
        if "$@"; then
                t_result 0 "$what"
        else
                t_result 1 "$what"
        fi
}

# t_eq DESCRIPTION GOT EXPECTED
t_eq() {
        t "$1" test "$2" = "$3" || diag "got: $(head -c 500 <<<"$2")" "expected: $3"
}

t_result() {
        local failed=$1 what=$2
        SVC_N[$SVC]=$((${SVC_N[$SVC]} + 1))
        if [ "$failed" = 0 ]; then
                ok "$what"
                return 0
        fi
        not_ok "$what"
        if [ -z "${SVC_BAD[$SVC]}" ] && [ -n "$SVC_UNIT" ]; then
                diag "$SVC_UNIT's journal, its last lines:" \
                        "$(c journalctl -q --no-pager -u "$SVC_UNIT" -o cat 2>&1 | tail -n 12)"
        fi
        if [ -n "$SVC_DOWN" ]; then
                # failed with the refused conversion: counted, not listed
                SVC_REFUSED[$SVC]=$((${SVC_REFUSED[$SVC]} + 1))
        else
                SVC_BAD[$SVC]+="${SVC_BAD[$SVC]:+; }$what"
        fi
        return 1
}

### Conversion, and what every sandboxed service must pass

# convert_enable UNIT NAME [OPTION]: "sandboxctl convert UNIT --name NAME
# --enable", with OPTION
convert_enable() {
        if [ -n "$USERNS" ] && ! c sandboxctl convert --help 2>&1 | grep -q -- --user-namespace; then
                # a convert without the option: the mode put in the profile
                # it wrote, and the sandbox restarted with it
                c sandboxctl convert "$1" --name "$2" ${3:+"$3"} --enable >"$TMP/convert.out" 2>"$TMP/err" || return
                note "convert has no --user-namespace: <user-namespace mode=\"$USERNS\"/> edited into the profile"
                c sed -i -e '/<user-namespace /d' -e "s|</sandbox>|  <user-namespace mode=\"$USERNS\"/>\n</sandbox>|" \
                        "/etc/sandbox/profiles/$2.xml" && c systemctl daemon-reload && c systemctl restart "sandbox@$2.service"
                return
        fi
        c sandboxctl convert "$1" --name "$2" ${3:+"$3"} ${USERNS:+"--user-namespace=$USERNS"} --enable \
                >"$TMP/convert.out" 2>"$TMP/err"
}

# refused_settings UNIT: the settings convert refuses to lose without
# --accept-widening, one a line (nothing written then)
refused_settings() {
        c sandboxctl convert "$1" --name e2e-refused --output=- 2>&1 >/dev/null |
                sed -n 's/^sandboxctl: convert: [^:]*: \([A-Za-z]*\)=.*the profile would confine less than the unit.*/\1/p' |
                sort -u | tr '\n' ' '
}

# convert_service UNIT NAME [ENABLED]: the conversion as an administrator
# makes it: convert --enable; should convert refuse to lose the unit's own
# hardening, that is noted (not clean) and it is converted with
# --accept-widening. A refusal must leave the original as it was; the
# original is then stopped, so that no check of the sandboxed unit is
# answered by it. ENABLED: what is-enabled says of the original afterwards
# (disabled, unless a generator enables it; "-": not checked).
convert_service() {
        local unit=$1 name=$2 enabled=${3:-disabled} refused opt='' rc before
        before=$(c systemctl is-active "$unit")
        refused=$(refused_settings "$unit")
        if [ -n "$refused" ]; then
                note "needs --accept-widening: ${refused% } not carried"
                opt=--accept-widening
        fi
        convert_enable "$unit" "$name" $opt
        rc=$?
        SVC_UNIT=sandbox@$name.service
        if ! t "$unit: sandboxctl convert --enable${opt:+ $opt} succeeds" test "$rc" = 0; then
                diag "$(grep -v 'left out: it lets' "$TMP/err" | head -c 1500)"
                t_eq "$unit: the refusal leaves it $before" "$(c systemctl is-active "$unit")" "$before"
                t "$unit: ... and no profile $name" c test ! -e "/etc/sandbox/profiles/$name.xml"
                SVC_DOWN=1
                c systemctl stop "$unit"
                return 1
        fi
        t "$unit: the profile /etc/sandbox/profiles/$name.xml is valid" \
                c sh -c "sandboxctl validate /etc/sandbox/profiles/$name.xml >/dev/null 2>&1"
        t_eq "$unit: the original is inactive" "$(c systemctl is-active "$unit")" inactive
        [ "$enabled" = - ] ||
                t_eq "$unit: the original is $enabled" "$(c systemctl is-enabled "$unit" 2>&1)" "$enabled"
}

# check_active NAME: sandbox@NAME gets active
check_active() {
        local wait=20
        [ -z "$SVC_DOWN" ] || wait=1
        t_eq "sandbox@$1 is active" \
                "$(c_wait_active "sandbox@$1" $wait >/dev/null; c systemctl is-active "sandbox@$1")" active
}

# check_read_only NAME: the host's root is read-only in sandbox@NAME, even
# for root with every privilege
check_read_only() {
        local pid
        if c systemctl is-active --quiet "sandbox@$1"; then
                in_sandbox "sandbox@$1" touch /usr/e2e-probe >"$TMP/out" 2>&1
                # where the profile lets nothing below /usr/bin execute
                # (<no-exec>, from NoExecPaths=), touch cannot run inside:
                # the write goes through the service's own root instead,
                # whose mounts are the ones that answer
                if grep -q 'Permission denied' "$TMP/out" && pid=$(c_service_executed "sandbox@$1"); then
                        c touch "/proc/$pid/root/usr/e2e-probe" >"$TMP/out" 2>&1
                fi
        else
                echo "sandbox@$1 is not active" >"$TMP/out"
        fi
        t "sandbox@$1: the host's root is read-only inside (EROFS)" \
                grep -q 'Read-only file system' "$TMP/out" || diag "$(cat "$TMP/out")"
        t "sandbox@$1: ... and nothing reached the container's /usr" c test ! -e /usr/e2e-probe
}

# check_unit_hardening NAME: the unit's own SystemCallFilter= and
# PrivateUsers=yes hold for sandbox@NAME's service, seen from outside:
# a seccomp filter beyond the sandbox's default one, and a user namespace
# of its own whose every line maps an ID to itself (not the host's whole
# range); with E2E_USERNS=private, whose maps are its range's, "0 BASE
# 65536", BASE that of its record
check_unit_hardening() {
        local pid base
        pid=$(c_service_executed "sandbox@$1") || pid=none
        t_eq "sandbox@$1: the unit's system call filter is loaded on top of the sandbox's own" \
                "$(c awk '$1 == "Seccomp_filters:" { print ($2 >= 2) ? "stacked" : $2 }' "/proc/$pid/status" 2>&1)" stacked
        if [ -n "$USERNS" ]; then
                base=$(c awk '{ print $1 }' "/var/lib/sandbox/$1/userns" 2>&1)
                t_eq "sandbox@$1: it runs in a user namespace of its private range, uid_map and gid_map 0 $base 65536" \
                        "$(c awk '{ print $1, $2, $3 }' "/proc/$pid/uid_map" "/proc/$pid/gid_map" 2>&1 | sort -u)" "0 $base 65536"
                return
        fi
        t_eq "sandbox@$1: it runs in a user namespace of its own, every ID mapped to itself" \
                "$(c sh -c "[ \"\$(readlink /proc/$pid/ns/user)\" != \"\$(readlink /proc/1/ns/user)\" ] &&
                        awk '\$1 != \$2 || \$3 == 4294967295 { bad = 1 } END { print (NR && !bad) ? \"identity\" : \"other\" }' /proc/$pid/uid_map /proc/$pid/gid_map" 2>&1)" identity
}

# restart NAME: systemctl restart sandbox@NAME, until active again
restart() {
        c systemctl restart "sandbox@$1" && c_wait_active "sandbox@$1" >/dev/null
}

# reload UNIT: systemctl reload UNIT: "reloaded", or its error
reload() {
        c systemctl reload "$1" 2>&1 && echo reloaded
}

# check_reload NAME CHECK...: systemctl reload sandbox@NAME, then CHECK
# (DESCRIPTION GOT-COMMAND... EXPECTED), whose command runs after the
# reload
check_reload() {
        t_eq "sandbox@$1: systemctl reload" "$(reload "sandbox@$1")" reloaded
        t_eq "sandbox@$1: ... $2" "$(sleep 1; retry "${@:3:$#-3}")" "${!#}"
}

for s in "${SERVICES[@]}"; do
        "${s}_checks"
done

### The table

diag "" "service | checks | clean, or why not"
clean=0
for s in "${SERVICES[@]}"; do
        why=${SVC_BAD[$s]}
        [ "${SVC_REFUSED[$s]}" = 0 ] || why+=", and ${SVC_REFUSED[$s]} checks of the sandboxed unit with it"
        why+=${why:+${SVC_NOTE[$s]:+; }}${SVC_NOTE[$s]}
        if [ -z "$why" ]; then
                clean=$((clean + 1))
                diag "$s | ${SVC_N[$s]} | clean"
        else
                diag "$s | ${SVC_N[$s]} | $why"
        fi
done
diag "$clean of ${#SERVICES[@]} clean ($SECONDS s)"

done_testing
