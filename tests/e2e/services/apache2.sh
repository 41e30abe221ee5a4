# apache2: the web server whose reload is a command (ExecReload=apachectl
# graceful): a GET on 127.0.0.1:8080 (a port of its own, beside nginx's),
# and a redirect of a configuration that "systemctl reload" brings in.
# No data of its own to keep.

apache2_layer() {
        printf 'Listen 8080\n' >"$TMP/ports.conf"
        printf '<VirtualHost *:8080>\n\tDocumentRoot /var/www/html\n</VirtualHost>\n' >"$TMP/000-default.conf"
        # the packages' own conffiles, already there: dpkg keeps them
        # (--force-confold)
        e2e_file "$TMP/ports.conf" /etc/apache2/ports.conf
        e2e_file "$TMP/000-default.conf" /etc/apache2/sites-available/000-default.conf
}

# apache2_generation N: the configuration's redirect says N (read at the
# next reload)
apache2_generation() {
        c sh -c "echo 'Redirect /e2e-reload http://e2e.test/generation-$1' >/etc/apache2/conf-enabled/e2e-reload.conf"
}

# where /e2e-reload redirects to
apache2_redirect() {
        c curl -sS -m 5 -o /dev/null -w '%{redirect_url}' http://127.0.0.1:8080/e2e-reload
}

apache2_checks() {
        service apache2 apache2.service
        t "apache2.service: HTTP GET / answers" grep -q 'Apache2 Debian Default Page' <<<"$(retry http_get 8080)"
        apache2_generation 1
        t_eq "apache2.service: systemctl reload" "$(reload apache2.service)" reloaded
        t_eq "apache2.service: ... and the reloaded configuration answers" \
                "$(sleep 1; retry apache2_redirect)" http://e2e.test/generation-1
        # apachectl start needs /run/lock, which /var/lock points to
        convert_service apache2.service apache2
        check_active apache2
        t "sandbox@apache2: HTTP GET / answers" \
                grep -q 'Apache2 Debian Default Page' <<<"$(retry http_get 8080)"
        check_read_only apache2
        apache2_generation 2
        check_reload apache2 "and the reloaded configuration answers" apache2_redirect http://e2e.test/generation-2
        restart apache2
        t "sandbox@apache2: answers after a restart" \
                grep -q 'Apache2 Debian Default Page' <<<"$(retry http_get 8080)"
}
