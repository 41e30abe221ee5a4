# uuidd (uuid-runtime): the socket-activated service. uuidd.socket listens
# on /run/uuidd/request and starts uuidd.service at the first request; the
# client is "uuidd -t", which asks the daemon through that socket for a
# time-based UUID (and fails when no daemon answers, unlike uuidgen).

# uuidd_request UNIT: a UUID from the daemon, which UNIT must then be
uuidd_request() {
        c uuidd -t -s /run/uuidd/request | grep -qE '[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-' &&
                [ "$(c systemctl is-active "$1")" = active ]
}

uuidd_checks() {
        service uuidd uuidd.service
        t "uuidd.socket: active" c systemctl is-active --quiet uuidd.socket
        t "uuidd.service: a request through /run/uuidd/request starts it and gets a UUID" \
                uuidd_request uuidd.service
        # is-enabled: "indirect" (its [Install] is its socket's), which the
        # conversion need not change
        convert_service uuidd.service uuidd -
        # the request starts it: it need not run before
        t "sandbox@uuidd: a request through /run/uuidd/request gets a UUID from it" \
                uuidd_request sandbox@uuidd.service
        check_active uuidd
        t_eq "uuidd.service: ... and the original stays inactive" "$(c systemctl is-active uuidd.service)" inactive
        check_read_only uuidd
        check_unit_hardening uuidd
}
