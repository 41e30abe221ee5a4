#!/bin/bash
# End-to-end: real Debian services, installed from Debian's packages into
# the container (never the host), each converted with "sandboxctl convert
# UNIT --enable": the original unit serves a request, then the sandboxed
# one serves the same request, its data survives a restart, and the host's
# root is read-only inside it. docs/converted-services.md says what each
# conversion keeps and changes.
#
#   nginx (nginx-light)   HTTP GET on 127.0.0.1:80; the access log in the
#                         sandbox's /var overlay survives a restart
#   redis-server          PING; a key SET and SAVEd is there after restart
#   memcached             "stats"; no persistence (an in-memory cache)
#   postgresql 15         psql -c 'select 1' (on the host's root already:
#                         its cluster 15/main too); a table survives
#   openssh-server        ssh-keyscan 127.0.0.1; the host keys survive
. "$(dirname "$0")/tap.sh"
. "$(dirname "$0")/e2e/lib.sh"

E2E_BOOT_TIMEOUT=120
e2e_init
e2e_debs nginx-light redis-server memcached openssh-server
# started by their postinsts (and postgresql at boot) as on a Debian
# machine: not masked
e2e_unmask nginx.service redis-server.service memcached.service ssh.service postgresql.service
e2e_boot

if e2e_install_debs; then
        ok "the packages install in the container, offline"
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

# retry CMD...: CMD until it succeeds (10 s at most), its last output
retry() {
        local out i
        for ((i = 0; i < 100; i++)); do
                out=$("$@" 2>&1) && { printf '%s\n' "$out"; return 0; }
                sleep 0.1
        done
        printf '%s\n' "$out"
        return 1
}

# the requests, from the container, outside any sandbox
http_get() { c curl -fsS -A "${1:-e2e}" http://127.0.0.1/; }
redis() { c redis-cli -h 127.0.0.1 "$@"; }
# (fails while nothing listens, so that retry waits)
memcached_stats() {
        local out
        out=$(c bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "stats\r\nquit\r\n" >&3 && cat <&3') || return 1
        printf '%s\n' "$out" | tr -d '\r'
}
psql_c() { c runuser -u postgres -- psql -XAtq -c "$1"; }
# in the sandbox, where its socket is (in the sandbox's own /run)
psql_in() { admin sandboxctl exec "$1" -- runuser -u postgres -- psql -XAtq -c "$2"; }
keyscan() { c ssh-keyscan -T 5 -t ed25519 127.0.0.1 2>/dev/null | grep -v '^#'; }

# convert_enable UNIT NAME [OPTION]: "sandboxctl convert UNIT --name NAME
# --enable", with OPTION (--accept-widening where the unit's own hardening
# cannot be carried, refused_settings, and is lost knowingly, each a line)
convert_enable() {
        c sandboxctl convert "$1" --name "$2" ${3:+"$3"} --enable >"$TMP/convert.out" 2>"$TMP/err"
}

# refused_settings UNIT: the settings convert refuses to lose without
# --accept-widening, one a line (nothing written then)
refused_settings() {
        c sandboxctl convert "$1" --name e2e-refused --output=- 2>&1 >/dev/null |
                sed -n 's/^sandboxctl: convert: [^:]*: \([A-Za-z]*\)=.*the profile would confine less than the unit.*/\1/p' |
                sort -u | tr '\n' ' '
}

# sshd converts, but does not start as it is: the sandbox masks the host
# keys (/etc/ssh/*_key) and sshd will not start without one. The edit: a
# key of the sandbox's own, made at its first start in its /var.
hand_profile() {
        local caps=$1 exec=$2 extra=${3:-}
        cat <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sandbox>
$exec
  <filesystem>
    <etc mode="overlay"/>
    <var mode="overlay"/>
$extra
  </filesystem>
  <network mode="host"/>
  <security><capabilities keep="$caps"/></security>
</sandbox>
XML
}

hand_profile_ssh() {
        hand_profile "CAP_NET_BIND_SERVICE CAP_SYS_CHROOT CAP_SETUID CAP_SETGID CAP_CHOWN CAP_DAC_OVERRIDE CAP_FOWNER CAP_KILL CAP_AUDIT_WRITE" '  <exec>
    <arg>/bin/sh</arg><arg>-c</arg>
    <arg>k=/var/lib/sandbox-ssh/ssh_host_ed25519_key; [ -f $k ] || { mkdir -p -m 0700 ${k%/*} &amp;&amp; ssh-keygen -q -N "" -t ed25519 -f $k; } &amp;&amp; /usr/sbin/sshd -t -h $k &amp;&amp; exec /usr/sbin/sshd -D -h $k</arg>
  </exec>
  <service type="notify" restart="on-failure"/>' '    <tmpfs target="/run/sshd" mode="0755"/>'
}


# check_converted UNIT NAME [ENABLED [OPTION]]: convert_enable, and what it
# must leave (the original's is-enabled state: disabled, unless a
# generator enables it)
check_converted() {
        local unit=$1 name=$2 enabled=${3:-disabled} option=${4:-} rc
        convert_enable "$unit" "$name" "$option"
        rc=$?
        check_eq "$unit: sandboxctl convert --enable succeeds" "$rc" 0
        check "$unit: the profile /etc/sandbox/profiles/$name.xml is valid" \
                c sh -c "sandboxctl validate /etc/sandbox/profiles/$name.xml >/dev/null"
        check_eq "$unit: sandbox@$name is active" "$(c_wait_active "sandbox@$name"; c systemctl is-active "sandbox@$name")" active
        check_eq "$unit: the original is inactive" "$(c systemctl is-active "$unit")" inactive
        check_eq "$unit: the original is $enabled" "$(c systemctl is-enabled "$unit" 2>&1)" "$enabled"
}

# check_read_only NAME: the host's root is read-only in sandbox@NAME, even
# for root with every privilege
check_read_only() {
        in_sandbox "sandbox@$1" touch /usr/e2e-probe >"$TMP/out" 2>&1
        check "sandbox@$1: the host's root is read-only inside (EROFS)" grep -q 'Read-only file system' "$TMP/out"
        check "sandbox@$1: ... and nothing reached the container's /usr" c test ! -e /usr/e2e-probe
}

# restart NAME: systemctl restart sandbox@NAME, until active again
restart() {
        c systemctl restart "sandbox@$1" && c_wait_active "sandbox@$1" >/dev/null
}

### nginx
check "nginx.service: HTTP GET / answers" grep -q 'Welcome to nginx' <<<"$(retry http_get)"
check_eq "nginx.service: nothing it confines with is refused" "$(refused_settings nginx.service)" ""
check_converted nginx.service nginx
# a root unit without CapabilityBoundingSet=: none of the capabilities
# that reach past the sandbox is kept, and nginx serves without them
profile=$(c cat /etc/sandbox/profiles/nginx.xml)
keep=$(sed -n 's/.*<capabilities keep="\([^"]*\)".*/\1/p' <<<"$profile")
check "nginx.service: the profile keeps CAP_NET_BIND_SERVICE, CAP_SETUID and CAP_SETGID" \
        bash -c 'for c in CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID; do grep -qw "$c" <<<"$0" || exit 1; done' "$keep"
check_eq "nginx.service: ... and none that reaches past the sandbox (CAP_SYS_ADMIN, CAP_SYS_PTRACE, CAP_MKNOD, ...)" \
        "$(grep -owE 'CAP_(SYS_ADMIN|SYS_PTRACE|MKNOD|SYS_RAWIO|SYS_MODULE|SYSLOG|SYS_TIME|DAC_READ_SEARCH|BPF|PERFMON|MAC_ADMIN|MAC_OVERRIDE|SYS_BOOT|SETFCAP|AUDIT_CONTROL|NET_ADMIN)' <<<"$keep"; grep -o '<capabilities .*keep-unsafe=' <<<"$profile")" ""
check "nginx.service: ... each one left out named in its comment" grep -q "CAP_SYS_ADMIN left out: it lets the service" <<<"$profile"
check "sandbox@nginx: HTTP GET / answers" grep -q 'Welcome to nginx' <<<"$(retry http_get e2e-probe-before)"
check_read_only nginx
restart nginx
check "sandbox@nginx: answers after a restart" grep -q 'Welcome to nginx' <<<"$(retry http_get e2e-probe-after)"
out=$(admin sandboxctl exec nginx -- cat /var/log/nginx/access.log)
check "sandbox@nginx: its access log, in its /var overlay, kept the request from before the restart" \
        grep -q 'e2e-probe-before' <<<"$out"
check "sandbox@nginx: ... and has the one after it" grep -q 'e2e-probe-after' <<<"$out"
check "sandbox@nginx: the container's own /var/log/nginx/access.log did not get them" \
        c sh -c '! grep -q e2e-probe /var/log/nginx/access.log'

### redis
check_eq "redis-server.service: PING" "$(retry redis ping)" PONG
# its own hardening, which a profile cannot carry: refused unless accepted
check_eq "redis-server.service: convert refuses to lose its own hardening, naming each setting" \
        "$(refused_settings redis-server.service)" \
        "ExecPaths LimitNOFILE MemoryDenyWriteExecute NoExecPaths PrivateUsers RestrictAddressFamilies SystemCallFilter UMask "
redis set e2e-before-conversion kept >/dev/null && redis save >/dev/null
check_converted redis-server.service redis disabled --accept-widening
check_eq "sandbox@redis: PING" "$(retry redis ping)" PONG
check_read_only redis
check_eq "sandbox@redis: SET" "$(redis set e2e-key e2e-value)" OK
check_eq "sandbox@redis: SAVE" "$(redis save)" OK
restart redis
check_eq "sandbox@redis: GET after a restart" "$(retry redis get e2e-key)" e2e-value
# the sandbox's /var starts as the container's: what the original saved
check_eq "sandbox@redis: what the original unit saved is there" "$(redis get e2e-before-conversion)" kept

### memcached
check "memcached.service: stats" grep -q '^STAT pid ' <<<"$(retry memcached_stats)"
check_eq "memcached.service: convert refuses to lose its own hardening, naming each setting" \
        "$(refused_settings memcached.service)" "MemoryDenyWriteExecute RestrictAddressFamilies "
check_converted memcached.service memcached disabled --accept-widening
check "sandbox@memcached: stats" grep -q '^STAT pid ' <<<"$(retry memcached_stats)"
check_read_only memcached
restart memcached
# an in-memory cache: nothing to keep; it answers again, with a fresh
# process
out=$(retry memcached_stats)
check "sandbox@memcached: stats after a restart (no data to keep: memcached has no persistence)" \
        grep -q '^STAT uptime ' <<<"$out"
grep -q "^STAT uptime " <<<"$out" || diag "$out" "$(c journalctl -q --no-pager -u sandbox@memcached -o short-precise | tail -n 60)"

### postgresql: postgresql.service only starts the clusters' units
check_eq "postgresql@15-main.service: select 1" "$(retry psql_c 'select 1')" 1
check_eq "postgresql@15-main.service: nothing it confines with is refused" \
        "$(refused_settings postgresql@15-main.service)" ""
check_converted postgresql@15-main.service postgresql enabled-runtime
check "postgresql@15-main.service: convert says that a generator enables it" \
        grep -q "enabled-runtime" "$TMP/err"
check_eq "sandbox@postgresql: select 1" "$(retry psql_in postgresql 'select 1')" 1
check_read_only postgresql
psql_in postgresql "create table e2e (v text); insert into e2e values ('kept')" >/dev/null 2>&1
restart postgresql
check_eq "sandbox@postgresql: a table made before a restart is there after it" \
        "$(retry psql_in postgresql 'select v from e2e')" kept

### openssh-server
before=$(retry keyscan)
check "ssh.service: ssh-keyscan gets a host key" grep -q ssh-ed25519 <<<"$before"
# it converts ($SSHD_OPTS from its EnvironmentFile= left to systemd at
# each start), but sshd finds no host key, which the sandbox masks: the
# sandbox does not become active, and --enable rolls back
convert_enable ssh.service ssh --accept-widening
check_eq "ssh.service: convert --enable: converted, but sshd does not start without its host keys: rolled back" "$?" 1
check "ssh.service: ... \$SSHD_OPTS in the profile, expanded by systemd at each start" \
        c grep -qF '<arg expand="yes">$SSHD_OPTS</arg>' /etc/sandbox/profiles/ssh.xml.rejected
check "ssh.service: ... it says so" grep -q 'sandbox@ssh.service did not become active.*Rolling back' "$TMP/err"
check "ssh.service: ... sshd says why" grep -q 'no hostkeys available' <<<"$(c journalctl -q --no-pager -u sandbox@ssh)"
check_eq "ssh.service: active again" "$(c systemctl is-active ssh.service)" active
check_eq "ssh.service: enabled again" "$(c systemctl is-enabled ssh.service)" enabled
check "ssh.service: serves" grep -q ssh-ed25519 <<<"$(retry keyscan)"
check "ssh.service: no profile on the search path" c test ! -e /etc/sandbox/profiles/ssh.xml
# the manual edit (docs/converted-services.md)
hand_profile_ssh | c_profile ssh
c systemctl daemon-reload
c systemctl disable --now --quiet ssh.service
c systemctl start sandbox@ssh
check_eq "sandbox@ssh (edited profile): active" "$(c_wait_active sandbox@ssh; c systemctl is-active sandbox@ssh)" active
now=$(retry keyscan)
check "sandbox@ssh: ssh-keyscan gets a host key" grep -q ssh-ed25519 <<<"$now"
check_read_only ssh
restart ssh
check_eq "sandbox@ssh: the same host key after a restart" "$(retry keyscan)" "$now"

done_testing
