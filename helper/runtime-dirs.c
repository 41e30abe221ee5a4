/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "runtime-dirs.h"
#include "strv.h"

/* /run/NAME for each --runtime-dir=NAME:MODE, as systemd's
 * RuntimeDirectory= makes it: the directories above it root's, itself
 * the service's user's and group's with MODE. Walked by fd, without
 * following a symbolic link and without leaving /run's tmpfs: a profile's
 * bind below /run must not have its source, the host's, chowned. */
static int make_runtime_dir(int run, const struct stat *run_st, const char *spec, const Identity *id, unsigned base) {
        const char *colon = strrchr(spec, ':');
        unsigned mode = (unsigned) strtoul(colon + 1, NULL, 8);
        _cleanup_free_ char *name = strndup(spec, (size_t) (colon - spec));
        _cleanup_close_ int dir = fcntl(run, F_DUPFD_CLOEXEC, 3);
        char part[NAME_MAX + 1];
        const char *p = name;
        bool last = false;
        int r;

        if (!name || dir < 0)
                return log_oom();
        while ((r = path_next_component(&p, part, &last)) > 0) {
                struct stat st;
                int next;

                if (mkdirat(dir, part, last ? 0700 : 0755) < 0 && errno != EEXIST)
                        return log_error_errno(-errno, "runtime directory /run/%s: %m", name);
                next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return log_error_errno(-errno, "runtime directory /run/%s: %s: %m", name, part);
                close(dir);
                dir = next;
                if (fstat(dir, &st) < 0)
                        return log_error_errno(-errno, "runtime directory /run/%s: %m", name);
                if (st.st_dev != run_st->st_dev)
                        return log_error_errno(-EXDEV, "runtime directory /run/%s: %s is another mount, not the "
                                               "sandbox's /run", name, part);
        }
        if (r < 0)
                return log_error_errno(r, "runtime directory /run/%s: %m", name);
        if (fchown(dir, base + id->uid, base + id->gid) < 0 || fchmod(dir, mode) < 0)
                return log_error_errno(-errno, "runtime directory /run/%s: %m", name);
        return 0;
}

int make_runtime_dirs(const HelperConfig *c, const Identity *id) {
        _cleanup_close_ int run = -EBADF;
        struct stat st;
        int r;

        if (!c->runtime_dirs)
                return 0;
        run = open("/run", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (run < 0 || fstat(run, &st) < 0)
                return log_error_errno(-errno, "runtime directories: /run: %m");
        STRV_FOREACH(d, c->runtime_dirs) {
                r = make_runtime_dir(run, &st, *d, id, c->userns_base);
                if (r < 0)
                        return r;
        }
        return 0;
}
