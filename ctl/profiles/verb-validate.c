/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>

#include "capabilities.h"
#include "compile.h"
#include "log.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "strv.h"
#include "verbs.h"

/* "PATH: valid" on standard output, or every problem on standard error.
 * A valid profile that keeps a capability reaching past the sandbox (its
 * keep-unsafe=) is still valid: a warning for each, on standard error. */
static int validate_path(const char *path, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        Diagnostics warnings = {};

        if (load_profile_verbose(path, dirs, &p) < 0)
                return EXIT_INVALID;
        capability_unsafe_warnings(p, &warnings);
        profile_size_warnings(p, &warnings);
        diagnostics_print(&warnings, stderr);
        diagnostics_done(&warnings);
        printf("%s: valid\n", path);
        /* in the order of the problems on stderr, also into a journal */
        fflush(stdout);
        return 0;
}

/* Without arguments: every profile the generator reads, as "list" finds
 * them (the first of each name along the search path). */
static int validate_all(char * const *dirs) {
        _cleanup_strv_free_ char **skipped = NULL;
        ProfileEntry *entries = NULL;
        size_t n = 0;
        int r, ret = 0;

        r = profile_enumerate(dirs, &entries, &n, &skipped);
        if (r < 0)
                return log_error_errno(r, "cannot list profiles: %m"), EXIT_INVALID;
        STRV_FOREACH(m, skipped) {
                log_error("%s; its profiles are not used", *m);
                ret = EXIT_INVALID;
        }
        for (size_t i = 0; i < n; i++)
                if (validate_path(entries[i].path, dirs) != 0)
                        ret = EXIT_INVALID;
        profile_entries_free(entries, n);
        return ret;
}

int verb_validate(VerbArgs *a, char * const *dirs) {
        int ret = 0;

        if (a->n_operands < 1)
                return validate_all(dirs);
        for (size_t i = 0; i < a->n_operands; i++) {
                _cleanup_free_ char *path = NULL;

                if (resolve_profile(a->operands[i], dirs, &path) < 0 || validate_path(path, dirs) != 0)
                        ret = EXIT_INVALID;
        }
        return ret;
}
