/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding and loading the profiles sandboxctl's commands are given. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "paths.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "strv.h"

static bool looks_like_path(const char *arg) {
        size_t n = strlen(arg), k = strlen(PROFILE_SUFFIX);

        return strchr(arg, '/') || (n > k && streq(arg + n - k, PROFILE_SUFFIX));
}

int resolve_profile(const char *arg, char * const *dirs, char **ret_path) {
        _cleanup_free_ char *searched = NULL;
        _cleanup_strv_free_ char **skipped = NULL;
        int r;

        if (looks_like_path(arg)) {
                *ret_path = strdup(arg);
                return *ret_path ? 0 : log_oom();
        }
        r = profile_find_noting(dirs, arg, ret_path, &skipped);
        STRV_FOREACH(m, skipped)
                log_warning("%s", *m);
        if (r != -ENOENT)
                return r < 0 ? log_error_errno(r, "cannot look up profile %s: %m", arg) : 0;
        searched = strv_join(dirs, ", ");
        log_error("no profile named \"%s\"; looked for %s%s in %s", arg, arg, PROFILE_SUFFIX,
                  searched && *searched ? searched : "(empty search path)");
        return -ENOENT;
}

int load_profile_verbose(const char *path, char * const *dirs, Profile **ret) {
        Diagnostics diags = {};
        int r;

        r = profile_load(path, dirs, ret, &diags);
        diagnostics_print(&diags, stderr);
        diagnostics_done(&diags);
        if (r < 0 && r != -EINVAL)
                return log_error_errno(r, "%s: cannot load: %m", path);
        return r;
}

int load_profile_absolute(const char *arg, char * const *dirs, Profile **ret) {
        _cleanup_free_ char *path = NULL, *absolute = NULL;
        int r;

        r = resolve_profile(arg, dirs, &path);
        if (r < 0)
                return r;
        /* the generator works from absolute paths; so do show and run, so
         * that what they compile is the generator's byte for byte */
        r = path_make_absolute(path, &absolute);
        if (r < 0)
                return log_error_errno(r, "%s: %m", path);
        return load_profile_verbose(absolute, dirs, ret);
}
