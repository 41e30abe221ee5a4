# redis-server: PING; a key SET and SAVEd is there after a restart, and so
# is what the original unit saved. The unit another unit Requires=: a
# oneshot unit of the test's that Requires= and is After= it, and PINGs it.

redis_layer() {
        local u
        for u in redis-server sandbox@redis; do
                cat >"$TMP/e2e-needs-$u.service" <<UNIT
[Unit]
Description=needs $u.service
Requires=$u.service
After=$u.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/redis-cli -h 127.0.0.1 ping
UNIT
                e2e_file "$TMP/e2e-needs-$u.service" "/etc/systemd/system/e2e-needs-$u.service"
        done
}

redis() { c redis-cli -h 127.0.0.1 "$@"; }

# redis_no_exec: a program outside the unit's ExecPaths= cannot be executed
# in sandbox@redis, even by root entering it
redis_no_exec() {
        in_sandbox sandbox@redis.service /bin/true 2>&1 | grep -q 'Permission denied'
}

redis_checks() {
        service redis redis-server.service
        t_eq "redis-server.service: PING" "$(retry redis ping)" PONG
        t "redis-server.service: a unit that Requires= it starts" c systemctl start e2e-needs-redis-server.service
        c systemctl stop e2e-needs-redis-server.service
        # its own hardening (SystemCallFilter=, PrivateUsers=,
        # NoExecPaths=/ExecPaths=, MemoryDenyWriteExecute=, ...): carried,
        # none of it refused
        t_eq "redis-server.service: convert refuses none of its own hardening" \
                "$(refused_settings redis-server.service)" ""
        redis set e2e-before-conversion kept >/dev/null && redis save >/dev/null
        convert_service redis-server.service redis
        check_active redis
        t_eq "sandbox@redis: PING" "$(retry redis ping)" PONG
        check_read_only redis
        check_unit_hardening redis
        t "sandbox@redis: its NoExecPaths=/ holds: /bin/true, outside its ExecPaths=, does not execute inside" redis_no_exec
        t_eq "sandbox@redis: SET" "$(redis set e2e-key e2e-value)" OK
        t_eq "sandbox@redis: SAVE" "$(redis save)" OK
        restart redis
        t_eq "sandbox@redis: GET after a restart" "$(retry redis get e2e-key)" e2e-value
        # the sandbox's /var starts as the container's: what the original saved
        t_eq "sandbox@redis: what the original unit saved is there" "$(redis get e2e-before-conversion)" kept
        # a unit that still names the original gets the sandbox: the
        # original's name stands in for sandbox@redis (a drop-in of
        # convert's), runs nothing of its own, and starts the sandbox first
        c systemctl stop sandbox@redis.service
        t "redis-server.service: a unit that still Requires= it starts after the conversion" \
                c systemctl start e2e-needs-redis-server.service
        t_eq "... and sandbox@redis, which it started, answers" "$(retry redis ping)" PONG
        local pid
        pid=$(c pgrep -xo redis-server)
        t "... the only redis-server runs in sandbox@redis, not in the original's unit" \
                c sh -c "[ \$(pgrep -xc redis-server) = 1 ] && grep -q 'sandbox@redis.service' /proc/$pid/cgroup"
        c systemctl stop e2e-needs-redis-server.service
        # an admin's habit: stopping the original's name stops the sandbox
        c systemctl stop redis-server.service
        t "redis-server.service: systemctl stop of the name stops sandbox@redis" \
                c sh -c 'for i in $(seq 50); do [ "$(systemctl is-active sandbox@redis.service)" = inactive ] && exit 0; sleep 0.2; done; exit 1'
        c systemctl start sandbox@redis.service
        # the dependent unit, stopped with its dependency: starting it
        # starts sandbox@redis first, then reaches it
        c systemctl stop sandbox@redis.service
        t "sandbox@redis: a unit that Requires= it starts, and starts it first" \
                c systemctl start e2e-needs-sandbox@redis.service
        t_eq "sandbox@redis: ... which is active" "$(c systemctl is-active sandbox@redis.service)" active
}
