/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-helper: builds the sandbox its command line describes and
 * executes the service in it (sandbox-helper(8)). This version reads and
 * checks the whole command-line contract and prints the plan with
 * --dry-run; it refuses to start a service, since it cannot yet build
 * the sandbox the options ask for, and a service never runs with less
 * confinement than asked for.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "config.h"
#include "helper-config.h"
#include "log.h"
#include "search-path.h"
#include "strv.h"

static int report_missing_profile(const char *name) {
        _cleanup_strv_free_ char **dirs = NULL;
        _cleanup_free_ char *searched = NULL;

        if (profile_search_path(&dirs) >= 0)
                searched = strv_join(dirs, ", ");
        log_error("sandbox@%s.service has no profile: there is no %s%s in %s. "
                  "Create /etc/sandbox/profiles/%s%s and run \"systemctl daemon-reload\"; "
                  "\"sandboxctl list\" shows the profiles found and why any was skipped.",
                  name, name, PROFILE_SUFFIX, searched ? searched : PROFILE_SEARCH_PATH_DEFAULT, name, PROFILE_SUFFIX);
        return EXIT_FAILURE;
}

int main(int argc, char *argv[]) {
        HelperConfig c = {};
        int r;

        log_set_program("sandbox-helper");
        r = helper_parse_argv(argc, argv, &c);
        if (c.debug || getenv("SANDBOX_DEBUG"))
                log_set_debug(true);
        log_debug("command line read: sandbox %s", c.name ? c.name : "(none)");
        if (r <= 0) {
                helper_config_done(&c);
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }
        if (c.missing_profile) {
                r = report_missing_profile(c.missing_profile);
                helper_config_done(&c);
                return r;
        }
        if (c.dry_run) {
                helper_print_plan(&c);
                helper_config_done(&c);
                return EXIT_SUCCESS;
        }
        log_error("%s: building the sandbox is not implemented in this version; refusing to start the "
                  "service without it (use --dry-run to see the plan)", c.name);
        helper_config_done(&c);
        return EXIT_FAILURE;
}
