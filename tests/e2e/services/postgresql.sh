# postgresql 15 (on the host's root already: its cluster 15/main too;
# enabled in the container by the test, as the machine's own enabling is
# not booted there).
# postgresql.service only starts the clusters' units: the cluster's is
# postgresql@15-main.service. Its clients reach it through its socket in
# /run/postgresql: psql -c 'select 1' from the container's root; a table
# survives a restart.

psql_c() { c runuser -u postgres -- psql -XAtq -c "$1"; }
# in the sandbox, where its socket is in any case (its own /run)
psql_in() { admin sandboxctl exec "$1" -- runuser -u postgres -- psql -XAtq -c "$2"; }

postgresql_layer() {
        e2e_enable postgresql.service || diag "the machine has no postgresql.service to enable"
}

postgresql_checks() {
        service postgresql postgresql@15-main.service
        t_eq "postgresql@15-main.service: select 1 through /run/postgresql" "$(retry psql_c 'select 1')" 1
        convert_service postgresql@15-main.service postgresql enabled-runtime
        t "postgresql@15-main.service: convert says that a generator enables it" \
                grep -q "enabled-runtime" "$TMP/err"
        check_active postgresql
        t_eq "sandbox@postgresql: select 1 in the sandbox" "$(retry psql_in postgresql 'select 1')" 1
        t_eq "sandbox@postgresql: select 1 from the container's root, through /run/postgresql" \
                "$(retry psql_c 'select 1')" 1
        check_read_only postgresql
        psql_c "create table e2e (v text); insert into e2e values ('kept')" >/dev/null 2>&1
        restart postgresql
        t_eq "sandbox@postgresql: a table made before a restart is there after it, from the container's root" \
                "$(retry psql_c 'select v from e2e')" kept
}
