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
        # its MemoryDenyWriteExecute=yes and RestrictAddressFamilies= are
        # carried by the profile: nothing refused
        t_eq "memcached.service: convert refuses nothing (MemoryDenyWriteExecute=, RestrictAddressFamilies= carried)" \
                "$(refused_settings memcached.service)" ""
        convert_service memcached.service memcached
        t "sandbox@memcached: the profile has <memory-deny-write-execute/> and <address-families allow=\"AF_UNIX AF_INET AF_INET6\"/>" \
                c sh -c 'grep -q "<memory-deny-write-execute/>" "$0" &&
                        grep -q "<address-families allow=\"AF_UNIX AF_INET AF_INET6\"/>" "$0"' /etc/sandbox/profiles/memcached.xml
        check_active memcached
        t "sandbox@memcached: stats" grep -q '^STAT pid ' <<<"$(retry memcached_stats)"
        # a command joined to it (sandboxctl exec) has its filter: an
        # AF_NETLINK socket (16) and, on x86-64, a W+X mmap (9) refused
        t_eq "sandbox@memcached: socket(AF_NETLINK) in it fails with EAFNOSUPPORT" \
                "$(admin sandboxctl exec memcached -- perl -e 'socket(S, 16, 3, 0) ? print "ok" : print $!+0' 2>&1)" 97
        if [ "$(uname -m)" = x86_64 ]; then
                t_eq "sandbox@memcached: mmap(PROT_READ|PROT_WRITE|PROT_EXEC) in it fails with EPERM" \
                        "$(admin sandboxctl exec memcached -- perl -e 'my $r = syscall(9, 0, 4096, 7, 0x22, -1, 0); print $r == -1 ? $!+0 : "ok"' 2>&1)" 1
        fi
        check_read_only memcached
        restart memcached
        # nothing to keep; it answers again, with a fresh process
        t "sandbox@memcached: stats after a restart (no data to keep: memcached has no persistence)" \
                grep -q '^STAT uptime ' <<<"$(retry memcached_stats)"
}
