/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capabilities.h"
#include "buffer.h"
#include "compile.h"
#include "diagnostics.h"
#include "json.h"
#include "log.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "strv.h"
#include "verbs.h"

/* [{"file": ..., "line": ..., "message": ...}, ...]: line null for a
 * problem about the whole file */
static void json_append_diagnostics(Buffer *b, const Diagnostics *d) {
        buffer_append_char(b, '[');
        for (size_t i = 0; i < d->n; i++) {
                buffer_append(b, i ? ", {\"file\": " : "{\"file\": ");
                json_append_path(b, d->items[i].file);
                if (d->items[i].line > 0)
                        buffer_printf(b, ", \"line\": %u, \"message\": ", d->items[i].line);
                else
                        buffer_append(b, ", \"line\": null, \"message\": ");
                json_append_path(b, d->items[i].message);
                buffer_append_char(b, '}');
        }
        buffer_append_char(b, ']');
}

/* "PATH: valid" on standard output, or every problem on standard error.
 * A valid profile that keeps a capability reaching past the sandbox (its
 * keep-unsafe=) is still valid: a warning for each, on standard error.
 * With json, the same as one object appended to it instead. */
static int validate_path(const char *path, char * const *dirs, Buffer *json) {
        _cleanup_profile_ Profile *p = NULL;
        Diagnostics problems = {}, warnings = {};
        int r;

        if (!json) {
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

        r = profile_load(path, dirs, &p, &problems);
        if (r < 0 && r != -EINVAL)
                diag_add(&problems, path, 0, "cannot load: %s", strerror(-r));
        if (r >= 0) {
                capability_unsafe_warnings(p, &warnings);
                profile_size_warnings(p, &warnings);
        }
        if (problems.error < 0 || warnings.error < 0)
                r = log_oom();
        buffer_append(json, json->len > 1 ? ",\n {\"file\": " : "\n {\"file\": ");
        json_append_path(json, path);
        buffer_printf(json, ", \"valid\": %s, \"problems\": ", r >= 0 ? "true" : "false");
        json_append_diagnostics(json, &problems);
        buffer_append(json, ", \"warnings\": ");
        json_append_diagnostics(json, &warnings);
        buffer_append_char(json, '}');
        diagnostics_done(&problems);
        diagnostics_done(&warnings);
        return r >= 0 ? 0 : EXIT_INVALID;
}

/* Without arguments: every profile the generator reads, as "list" finds
 * them (the first of each name along the search path). */
static int validate_all(char * const *dirs, Buffer *json) {
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
                if (validate_path(entries[i].path, dirs, json) != 0)
                        ret = EXIT_INVALID;
        profile_entries_free(entries, n);
        return ret;
}

int verb_validate(VerbArgs *a, char * const *dirs) {
        _cleanup_buffer_ Buffer json = {};
        Buffer *j = arg_json ? &json : NULL;
        int ret = 0;

        /* --json: an array of one object per profile */
        if (j)
                buffer_append_char(j, '[');
        if (a->n_operands < 1)
                ret = validate_all(dirs, j);
        for (size_t i = 0; i < a->n_operands; i++) {
                _cleanup_free_ char *path = NULL;

                if (resolve_profile(a->operands[i], dirs, &path) < 0 || validate_path(path, dirs, j) != 0)
                        ret = EXIT_INVALID;
        }
        if (j) {
                buffer_append(j, j->len > 1 ? "\n]\n" : "]\n");
                if (j->oom)
                        return log_oom(), EXIT_INVALID;
                fputs(j->data, stdout);
        }
        return ret;
}
