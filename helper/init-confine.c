/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "init-confine.h"
#include "init-filter-program.h"
#include "log.h"
#include "macro.h"
#include "quantities.h"

static bool kept(int fd, const int *keep, size_t n) {
        if (fd == STDERR_FILENO)
                return true;
        for (size_t i = 0; i < n; i++)
                if (keep[i] == fd)
                        return true;
        return false;
}

/* One by one as /proc/self/fd lists them, where close_range() (Linux
 * 5.9) is missing. */
static int close_listed(const int *keep, size_t n) {
        _cleanup_closedir_ DIR *d = opendir("/proc/self/fd");
        struct dirent *de;

        if (!d)
                return -errno;
        while ((errno = 0, de = readdir(d))) {
                uint64_t fd;

                if (parse_uint_range(de->d_name, 0, INT_MAX, &fd) < 0 || (int) fd == dirfd(d) ||
                    kept((int) fd, keep, n))
                        continue;
                close((int) fd);
        }
        return errno ? -errno : 0;
}

int init_close_fds(const int *keep, size_t n) {
        unsigned from = 0;
        int r;

        /* the gaps between the descriptors kept, lowest first */
        for (;;) {
                unsigned next = UINT_MAX;

                for (size_t i = 0; i < n; i++)
                        if (keep[i] >= 0 && (unsigned) keep[i] >= from && (unsigned) keep[i] < next)
                                next = (unsigned) keep[i];
                if (next > STDERR_FILENO && from <= STDERR_FILENO)
                        next = STDERR_FILENO;
                if (next > from && close_range(from, next - 1, 0) < 0)
                        break;
                if (next == UINT_MAX)
                        return 0;
                from = next + 1;
        }
        if (errno != ENOSYS && errno != EINVAL)
                return log_error_errno(-errno, "process 1: close its file descriptors: %m");
        r = close_listed(keep, n);
        if (r < 0)
                return log_error_errno(r, "process 1: close its file descriptors: %m");
        return 0;
}

int init_filter_load(void) {
        const struct sock_fprog program = {
                .len = ELEMENTSOF(init_filter_program),
                .filter = (struct sock_filter *) init_filter_program,
        };

        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0)
                return log_error_errno(-errno, "seccomp: load process 1's filter: %m");
        return 0;
}
