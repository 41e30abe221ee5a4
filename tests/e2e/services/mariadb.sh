# mariadb-server 10.11: the database whose clients use its unix socket,
# /run/mysqld/mysqld.sock ("mariadb -e" as root from the container's root,
# which logs in through the socket); a table survives a restart. Its
# ExecStart= is a shell command: /bin/sh -c "... exec /usr/sbin/mariadbd
# $MYSQLD_OPTS ...".

mariadb_q() { c mariadb -NB -e "$1"; }
mariadb_in() { admin sandboxctl exec mariadb -- mariadb -NB -e "$1"; }

mariadb_checks() {
        service mariadb mariadb.service
        t_eq "mariadb.service: select 1 through /run/mysqld/mysqld.sock" "$(retry mariadb_q 'select 1')" 1
        # /run/mysqld (its tmpfiles.d line) is shared with the host, where
        # the clients look for the socket
        convert_service mariadb.service mariadb
        check_active mariadb
        t_eq "sandbox@mariadb: select 1 from the container's root, through /run/mysqld/mysqld.sock" \
                "$(retry mariadb_q 'select 1')" 1
        check_read_only mariadb
        mariadb_q "create database e2e; create table e2e.t (v text); insert into e2e.t values ('kept')" >/dev/null 2>&1
        restart mariadb
        t_eq "sandbox@mariadb: a table made before a restart is there after it, from the container's root" \
                "$(retry mariadb_q 'select v from e2e.t')" kept
        t_eq "sandbox@mariadb: ... and in the sandbox" "$(retry mariadb_in 'select v from e2e.t')" kept
}
