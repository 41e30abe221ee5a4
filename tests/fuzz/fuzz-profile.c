/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The profile loader: the bytes as a profile file, loaded by
 * profile_load() (XML, includes from the fuzz directory only, the
 * schema, the checks) and, when it is valid, compiled to the helper's
 * command line and the unit's drop-in, as the generator does. */
#include <stdlib.h>

#include "compile.h"
#include "diagnostics.h"
#include "fuzz-util.h"
#include "macro.h"
#include "profile.h"
#include "strv.h"

#define HELPER "/usr/libexec/sandbox/sandbox-helper"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *dropin = NULL;
        Diagnostics diags = {};
        Profile *p = NULL;
        const char *path = fuzz_write("fuzz.xml", data, size);

        if (!path)
                abort();
        if (profile_load(path, NULL, &p, &diags) == 0) {
                profile_size_warnings(p, &diags);
                (void) profile_compile_helper_argv(p, HELPER, &argv);
                (void) profile_compile_dropin(p, HELPER, &dropin);
                profile_free(p);
        }
        for (size_t i = 0; i < diags.n; i++)
                free(diag_format(&diags.items[i]));
        diagnostics_done(&diags);
        profile_load_release();
        return 0;
}
