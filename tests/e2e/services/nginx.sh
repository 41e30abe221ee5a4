# nginx (nginx-light): HTTP GET on 127.0.0.1:80 of its own page (apache2's
# is /var/www/html/index.html); the access log in the
# sandbox's /var overlay survives a restart. A root service whose unit
# does not restrict capabilities: the profile keeps none of those that
# reach past the sandbox.

nginx_checks() {
        local profile keep out
        service nginx nginx.service
        t "nginx.service: HTTP GET / answers" grep -q 'Welcome to nginx' <<<"$(retry http_get 80 e2e /index.nginx-debian.html)"
        convert_service nginx.service nginx
        profile=$(c cat /etc/sandbox/profiles/nginx.xml)
        keep=$(sed -n 's/.*<capabilities keep="\([^"]*\)".*/\1/p' <<<"$profile")
        t "nginx.service: the profile keeps CAP_NET_BIND_SERVICE, CAP_SETUID and CAP_SETGID" \
                bash -c 'for c in CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID; do grep -qw "$c" <<<"$0" || exit 1; done' "$keep"
        t_eq "nginx.service: ... and none that reaches past the sandbox (CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_MKNOD, ...)" \
                "$(grep -owE 'CAP_(SYS_ADMIN|SYS_PTRACE|MKNOD|SYS_RAWIO|SYS_MODULE|SYSLOG|SYS_TIME|DAC_READ_SEARCH|BPF|PERFMON|MAC_ADMIN|MAC_OVERRIDE|SYS_BOOT|SETFCAP|AUDIT_CONTROL|NET_ADMIN)' <<<"$keep"; grep -o '<capabilities .*keep-unsafe=' <<<"$profile")" ""
        t "nginx.service: ... each one left out named in its comment" grep -q "CAP_SYS_ADMIN left out: it lets the service" <<<"$profile"
        check_active nginx
        t "sandbox@nginx: HTTP GET / answers" grep -q 'Welcome to nginx' <<<"$(retry http_get 80 e2e-probe-before /index.nginx-debian.html)"
        check_read_only nginx
        restart nginx
        t "sandbox@nginx: answers after a restart" grep -q 'Welcome to nginx' <<<"$(retry http_get 80 e2e-probe-after /index.nginx-debian.html)"
        out=$(admin sandboxctl exec nginx -- cat /var/log/nginx/access.log)
        t "sandbox@nginx: its access log, in its /var overlay, kept the request from before the restart" \
                grep -q 'e2e-probe-before' <<<"$out"
        t "sandbox@nginx: ... and has the one after it" grep -q 'e2e-probe-after' <<<"$out"
        t "sandbox@nginx: the container's own /var/log/nginx/access.log did not get them" \
                c sh -c '! grep -q e2e-probe /var/log/nginx/access.log'
}
