/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "dir-trust.h"
#include "log.h"
#include "macro.h"
#include "run-helper.h"

/* the value shown cut after PATH_MAX bytes (log.c escapes what acts on a
 * terminal) */
static void refuse(const char *verb, const char *value, const char *why) {
        int n = (int) strnlen(value, PATH_MAX);

        log_error("%s: SANDBOX_HELPER=%.*s%s is not used: %s (it must name an executable owned by root and "
                  "writable only by root, in directories writable only by root); refusing to run",
                  verb, n, value, value[n] ? "..." : "", why);
}

int run_helper_path(const char *verb, const char **ret) {
        const char *e = getenv("SANDBOX_HELPER"), *base;
        _cleanup_free_ char *dir = NULL, *why = NULL;
        _cleanup_close_ int dfd = -EBADF, fd = -EBADF;
        struct stat st;

        if (!e) {
                *ret = SANDBOX_HELPER_PATH;
                return 0;
        }
        base = strrchr(e, '/');
        if (e[0] != '/' || !base[1] || strlen(e) >= PATH_MAX)
                return refuse(verb, e, "not an absolute path to a file"), -EPERM;
        dir = base == e ? strdup("/") : strndup(e, base - e);
        if (!dir)
                return log_oom();
        dfd = dir_open_trusted(dir, false, &why);
        if (dfd < 0)
                return refuse(verb, e, why ?: strerror(-dfd)), -EPERM;
        fd = openat(dfd, base + 1, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return refuse(verb, e, strerror(errno)), -EPERM;
        if (fstat(fd, &st) < 0)
                return refuse(verb, e, strerror(errno)), -EPERM;
        if (!S_ISREG(st.st_mode))
                return refuse(verb, e, "not a regular file"), -EPERM;
        if (st.st_uid != 0 && st.st_uid != geteuid())
                return refuse(verb, e, "owned by another user"), -EPERM;
        if (st.st_mode & (S_IWGRP | S_IWOTH))
                return refuse(verb, e, "writable by group or others"), -EPERM;
        if (!(st.st_mode & S_IXUSR))
                return refuse(verb, e, "not executable"), -EPERM;
        *ret = e;
        return 0;
}
