# memcached: "stats" over TCP; no persistence (an in-memory cache)

# (fails while nothing listens, so that retry waits)
memcached_stats() {
        local out
        out=$(c bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "stats\r\nquit\r\n" >&3 && cat <&3') || return 1
        printf '%s\n' "$out" | tr -d '\r'
}

memcached_checks() {
        service memcached memcached.service
        t "memcached.service: stats" grep -q '^STAT pid ' <<<"$(retry memcached_stats)"
        t "memcached.service: convert refuses to lose its own hardening, naming MemoryDenyWriteExecute= and RestrictAddressFamilies=" \
                grep -qE 'MemoryDenyWriteExecute .*RestrictAddressFamilies' <<<"$(refused_settings memcached.service)"
        convert_service memcached.service memcached
        check_active memcached
        t "sandbox@memcached: stats" grep -q '^STAT pid ' <<<"$(retry memcached_stats)"
        check_read_only memcached
        restart memcached
        # nothing to keep; it answers again, with a fresh process
        t "sandbox@memcached: stats after a restart (no data to keep: memcached has no persistence)" \
                grep -q '^STAT uptime ' <<<"$(retry memcached_stats)"
}
