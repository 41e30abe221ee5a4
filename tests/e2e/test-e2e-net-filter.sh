#!/bin/bash
# End-to-end: <allow> and <deny> of the host's network are systemd's
# IPAddressAllow= and IPAddressDeny= on the sandbox's unit, enforced by
# systemd on its cgroup. A service with <deny address="any"/> cannot
# connect to a listener on the container's loopback (EPERM, the filter's
# error), one that allows 127.0.0.0/8 before it can, and one that denies
# only another address is not touched. Where systemd cannot filter
# (no bpf() in this container, which systemd-run with the same
# IPAddressDeny=any shows), the test says skipped. A bridged sandbox's
# unit has its teardown after the stop, and none of these filters.
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/lib.sh"

e2e_init

# one TCP connection to 127.0.0.1:8099; prints "connect: ok" or
# "connect: ERRNO" on standard output (the journal)
PROBE='import errno, socket; s = socket.socket(); s.settimeout(5); r = s.connect_ex(("127.0.0.1", 8099)); print("connect: " + ("ok" if r == 0 else errno.errorcode.get(r, str(r))), flush=True)'

probe_profile() {
        cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
  <exec><arg>/usr/bin/python3</arg><arg>-c</arg><arg>$PROBE</arg></exec>
  <service type="oneshot"/>
  <filesystem><etc mode="host"/><var mode="tmpfs"/></filesystem>
  <network mode="host">
$1
  </network>
</sandbox>
XML
}
probe_profile '    <deny address="any"/>' >"$TMP/closed.xml"
probe_profile '    <allow address="127.0.0.0/8"/>
    <deny address="any"/>' >"$TMP/loopback.xml"
probe_profile '    <deny address="192.0.2.0/24"/>' >"$TMP/other.xml"
for n in closed loopback other; do
        e2e_profile "$TMP/$n.xml" "$n"
done
# a bridged sandbox, never started here: what systemd loads of its unit
printf '<?xml version="1.0" encoding="UTF-8"?>\n<sandbox>\n  <exec><arg>/bin/true</arg></exec>\n  <network mode="bridge">\n    <deny address="any"/>\n  </network>\n</sandbox>\n' \
        >"$TMP/bridged.xml"
e2e_profile "$TMP/bridged.xml" bridged
e2e_boot

check "a bridged sandbox's unit: its ExecStopPost= is sandbox-network's teardown, failure ignored" \
        bash -c 'grep -q "sandbox-network ; argv\[\]=.*sandbox-network teardown --name=bridged --if-stopped ; ignore_errors=yes" <<<"$0"' \
        "$(c systemctl show -p ExecStopPost --value sandbox@bridged)"
check "... it is ordered after systemd-networkd.service, and has no IPAddressDeny= (its <deny> is the helper's)" \
        bash -c 'grep -qw systemd-networkd.service <<<"$0" && [ -z "$1" ]' \
        "$(c systemctl show -p After --value sandbox@bridged)" "$(c systemctl show -p IPAddressDeny --value sandbox@bridged)"

check_eq "the unit of <deny address=\"any\"/> has IPAddressDeny= of both families' whole range" \
        "$(c systemctl show -p IPAddressDeny --value sandbox@closed | tr ' ' '\n' | sort | tr '\n' ' ')" "0.0.0.0/0 ::/0 "
check_eq "... the unit of <allow address=\"127.0.0.0/8\"/> has IPAddressAllow=127.0.0.0/8" \
        "$(c systemctl show -p IPAddressAllow --value sandbox@loopback)" "127.0.0.0/8"

# a listener on the container's loopback, in a unit of its own
c systemd-run --unit=listener -q /usr/bin/python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8099))
s.listen(16)
while True:
    s.accept()[0].close()
'
for _ in $(seq 50); do
        c python3 -c 'import socket; socket.create_connection(("127.0.0.1", 8099), 1)' 2>/dev/null && break
        sleep 0.1
done

# outcome NAME: what the service of sandbox@NAME printed
outcome() {
        c systemctl start "sandbox@$1" >/dev/null 2>&1
        c journalctl -q -o cat -u "sandbox@$1" | grep -m1 '^connect: '
}

# systemd's own filter on a unit of its own, the same probe: where it does
# not refuse, systemd cannot filter in this container (no bpf() there),
# and says so only at debug level
own=$(c systemd-run -q --wait --pipe -p IPAddressDeny=any /usr/bin/python3 -c "$PROBE" 2>/dev/null)
if [ "$own" != "connect: EPERM" ]; then
        for n in closed loopback other; do
                skip "sandbox@$n: the unit's IP address filters" "systemd cannot apply them here (IPAddressDeny=any on a unit of its own: \"$own\")"
        done
else
        check_eq "<deny address=\"any\"/>: the connection to the host's loopback is refused (EPERM), as systemd refuses it" \
                "$(outcome closed)" "connect: EPERM"
        check_eq "<allow address=\"127.0.0.0/8\"/> and <deny address=\"any\"/>: it connects" "$(outcome loopback)" "connect: ok"
        check_eq "<deny address=\"192.0.2.0/24\"/> alone: the loopback is not in it, it connects" "$(outcome other)" "connect: ok"
fi
c systemctl stop listener

done_testing
