# lighttpd: Type=simple with an ExecStartPre= (lighttpd -tt, the
# configuration's check) and a reload by kill -USR1 $MAINPID, a graceful
# restart that reads the configuration again. On 127.0.0.1:8081, with a
# Server: header of its configuration's, which "systemctl reload" changes.
# No data to keep.

# lighttpd_config N: the configuration, whose Server: header says e2e-N
lighttpd_config() {
        cat <<CFG
server.document-root = "/var/www/html"
server.bind = "127.0.0.1"
server.port = 8081
server.username = "www-data"
server.groupname = "www-data"
server.pid-file = "/run/lighttpd.pid"
server.errorlog = "/var/log/lighttpd/error.log"
server.tag = "e2e-$1"
index-file.names = ( "index.html", "index.lighttpd.html" )
CFG
}

lighttpd_layer() {
        lighttpd_config 1 >"$TMP/lighttpd.conf"
        e2e_file "$TMP/lighttpd.conf" /etc/lighttpd/lighttpd.conf
}

lighttpd_set() {
        lighttpd_config "$1" | c sh -c 'cat >/etc/lighttpd/lighttpd.conf'
}

# the Server: header of a HEAD on 127.0.0.1:8081
lighttpd_server() {
        c curl -fsS -m 5 -I http://127.0.0.1:8081/ | tr -d '\r' | sed -n 's/^[Ss]erver: //p' | grep .
}

lighttpd_checks() {
        service lighttpd lighttpd.service
        t_eq "lighttpd.service: HTTP HEAD / answers, Server: e2e-1" "$(retry lighttpd_server)" e2e-1
        lighttpd_set 2
        t_eq "lighttpd.service: systemctl reload" "$(reload lighttpd.service)" reloaded
        t_eq "lighttpd.service: ... and the reloaded configuration answers" \
                "$(sleep 1; retry lighttpd_server)" e2e-2
        convert_service lighttpd.service lighttpd
        check_active lighttpd
        t_eq "sandbox@lighttpd: HTTP HEAD / answers" "$(retry lighttpd_server)" e2e-2
        check_read_only lighttpd
        lighttpd_set 3
        check_reload lighttpd "and the reloaded configuration answers" lighttpd_server e2e-3
        restart lighttpd
        t_eq "sandbox@lighttpd: answers after a restart" "$(retry lighttpd_server)" e2e-3
}
