/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "dir-trust.h"
#include "log.h"
#include "macro.h"
#include "strv.h"
#include "trusted-dirs.h"

int convert_search_dirs(const char *var, const char *dflt, char ***ret) {
        const char *e = getenv(var);
        _cleanup_strv_free_ char **l = NULL, **kept = NULL;

        if (!e || !*e)
                return strv_split(dflt, ":", ret);
        if (strv_split(e, ":", &l) < 0)
                return -ENOMEM;
        STRV_FOREACH(d, l) {
                _cleanup_free_ char *why = NULL;
                int fd;

                if (!**d)
                        continue;
                fd = dir_open_trusted(*d, false, &why);
                if (fd >= 0) {
                        close(fd);
                        if (strv_append(&kept, *d) < 0)
                                return -ENOMEM;
                } else if (fd == -ENOMEM)
                        return -ENOMEM;
                else if (fd != -ENOENT && fd != -ENOTDIR)
                        log_warning("convert: %s: the directory %.*s is skipped: %s", var, 4096, *d,
                                    why ?: "cannot be checked");
        }
        if (!kept && !(kept = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(kept);
        return 0;
}
