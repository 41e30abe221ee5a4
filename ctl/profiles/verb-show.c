/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "compile.h"
#include "config.h"
#include "log.h"
#include "sandboxctl.h"
#include "verbs.h"

int verb_show(VerbArgs *a, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_free_ char *dropin = NULL;
        int r;

        if (load_profile_absolute(a->operands[0], dirs, &p) < 0)
                return EXIT_INVALID;
        r = profile_compile_dropin(p, SANDBOX_HELPER_PATH, &dropin);
        if (r < 0)
                return log_error_errno(r, "%s: cannot compile: %m", p->path), EXIT_INVALID;
        fputs(dropin, stdout);
        return 0;
}
