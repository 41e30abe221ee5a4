# haproxy: Type=notify (its master process), Environment= for its
# command's $CONFIG, $PIDFILE and $EXTRAOPTS, and a reload of two
# commands (a check of the configuration, then kill -USR2 $MAINPID). A
# frontend of the test's on 127.0.0.1:8082 answers with a text of its
# configuration, which "systemctl reload" changes. No data to keep.

# haproxy_config N: the configuration, answering "e2e haproxy N"
haproxy_config() {
        cat <<CFG
global
	user haproxy
	group haproxy

defaults
	mode http
	timeout connect 5s
	timeout client 30s
	timeout server 30s

frontend e2e
	bind 127.0.0.1:8082
	http-request return status 200 content-type text/plain string "e2e haproxy $1"
CFG
}

haproxy_layer() {
        haproxy_config 1 >"$TMP/haproxy.cfg"
        e2e_file "$TMP/haproxy.cfg" /etc/haproxy/haproxy.cfg
}

haproxy_dropin() {
        cat <<'UNIT'
[Service]
Environment=
Environment="CONFIG=/etc/haproxy/haproxy.cfg" "EXTRAOPTS=-S /run/haproxy-master.sock"
ExecStart=
ExecStart=/usr/sbin/haproxy -Ws -f $CONFIG -p /run/haproxy.pid $EXTRAOPTS
UNIT
}

haproxy_set() {
        haproxy_config "$1" | c sh -c 'cat >/etc/haproxy/haproxy.cfg'
}

haproxy_checks() {
        service haproxy haproxy.service
        t_eq "haproxy.service: HTTP GET / answers" "$(retry http_get 8082)" "e2e haproxy 1"
        haproxy_set 2
        t_eq "haproxy.service: systemctl reload" "$(reload haproxy.service)" reloaded
        t_eq "haproxy.service: ... and the reloaded configuration answers" \
                "$(sleep 1; retry http_get 8082)" "e2e haproxy 2"
        # convert refuses a unit whose Environment= sets a variable that
        # systemd and the sandbox give a meaning to: haproxy's sets
        # $PIDFILE for its command line. The edit: a drop-in with the PID
        # file on the command line instead.
        if c sandboxctl convert haproxy.service --name e2e-refused --output=- 2>&1 >/dev/null |
                grep -q 'Environment=PIDFILE:.* a profile may not'; then
                note "manual edit: its Environment=PIDFILE= (a variable systemd gives a meaning to) replaced by a drop-in"
                haproxy_dropin | c sh -c 'mkdir -p /etc/systemd/system/haproxy.service.d &&
                        cat >/etc/systemd/system/haproxy.service.d/pidfile.conf'
                c systemctl daemon-reload
                c systemctl restart haproxy.service
                t_eq "haproxy.service (edited): HTTP GET / answers" "$(retry http_get 8082)" "e2e haproxy 2"
        fi
        convert_service haproxy.service haproxy
        check_active haproxy
        t_eq "sandbox@haproxy: HTTP GET / answers" "$(retry http_get 8082)" "e2e haproxy 2"
        check_read_only haproxy
        haproxy_set 3
        check_reload haproxy "and the reloaded configuration answers" http_get 8082 "e2e haproxy 3"
        restart haproxy
        t_eq "sandbox@haproxy: answers after a restart" "$(retry http_get 8082)" "e2e haproxy 3"
}
