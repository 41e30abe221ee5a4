# dnsmasq: the daemon that logs only through syslog(3). A DNS query on
# 127.0.0.1 for a name of its configuration's, and its syslog line for
# that query (log-queries) in the unit's journal. No data to keep.

dnsmasq_layer() {
        printf 'address=/e2e.test/192.0.2.7\nlog-queries\n' >"$TMP/dnsmasq-e2e.conf"
        e2e_file "$TMP/dnsmasq-e2e.conf" /etc/dnsmasq.d/e2e.conf
}

dig_a() { c dig +short +time=2 +tries=1 @127.0.0.1 "$1" A | grep .; }

# dnsmasq_logged UNIT NAME: UNIT's journal has dnsmasq's line for a query
# of NAME, under its own identifier
dnsmasq_logged() {
        local i
        for i in $(seq 30); do
                c journalctl -q --no-pager -u "$1" -t dnsmasq -o cat | grep -q "query\[A\] $2 from 127.0.0.1" && return 0
                sleep 0.2
        done
        return 1
}

dnsmasq_checks() {
        service dnsmasq dnsmasq.service
        t_eq "dnsmasq.service: answers an A query on 127.0.0.1" "$(retry dig_a e2e.test)" 192.0.2.7
        t "dnsmasq.service: its syslog line for the query is in journalctl -u dnsmasq" \
                dnsmasq_logged dnsmasq.service e2e.test
        convert_service dnsmasq.service dnsmasq
        check_active dnsmasq
        t_eq "sandbox@dnsmasq: answers an A query on 127.0.0.1" "$(retry dig_a sandboxed.e2e.test)" 192.0.2.7
        t "sandbox@dnsmasq: its syslog line for the query is in journalctl -u sandbox@dnsmasq" \
                dnsmasq_logged sandbox@dnsmasq.service sandboxed.e2e.test
        check_read_only dnsmasq
        restart dnsmasq
        t_eq "sandbox@dnsmasq: answers after a restart" "$(retry dig_a e2e.test)" 192.0.2.7
}
