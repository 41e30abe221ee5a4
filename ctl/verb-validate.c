/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>

#include "sandboxctl.h"

int verb_validate(int argc, char *argv[], char * const *dirs) {
        int ret = 0;

        if (argc < 1) {
                fprintf(stderr, "sandboxctl validate: expected one or more profile paths or names\n");
                return EXIT_USAGE;
        }
        for (int i = 0; i < argc; i++) {
                _cleanup_profile_ Profile *p = NULL;
                _cleanup_free_ char *path = NULL;

                if (resolve_profile(argv[i], dirs, &path) < 0 || load_profile_verbose(path, dirs, &p) < 0) {
                        ret = EXIT_INVALID;
                        continue;
                }
                printf("%s: valid\n", path);
        }
        return ret;
}
