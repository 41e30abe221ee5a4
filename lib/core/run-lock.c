/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run-lock.h"
#include "log.h"
#include "state-dir.h"


int instance_lock(const char *name, char *rundir, size_t size) {
        _cleanup_close_ int fd = -EBADF;
        char path[4200], holder[LOCK_HOLDER_MAX] = "";
        struct stat st;

        if (mkdir(RUNTIME_ROOT, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "lock: create %s: %m", RUNTIME_ROOT);
        snprintf(rundir, size, "%s/%s", RUNTIME_ROOT, name);
        if (mkdir(rundir, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "lock: create %s: %m", rundir);
        /* root's directory, not something put there to be followed */
        if (lstat(rundir, &st) < 0)
                return log_error_errno(-errno, "lock: %s: %m", rundir);
        if (!S_ISDIR(st.st_mode) || st.st_uid != 0)
                return log_error_errno(-EPERM, "lock: %s is not a directory owned by root", rundir);

        snprintf(path, sizeof(path), "%s/lock", rundir);
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "lock: open %s: %m", path);
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno != EWOULDBLOCK)
                        return log_error_errno(-errno, "lock: %s: %m", path);
                lock_holder_read(fd, holder);
                return log_error_errno(-EBUSY, "lock: sandbox %s is already running (%s%s%slock %s); "
                                       "one instance per name", name, *holder ? "helper PID " : "", holder,
                                       *holder ? ", " : "", path);
        }
        char pid[16];
        int len = snprintf(pid, sizeof(pid), "%d\n", (int) getpid());
        /* truncated only when an older, longer PID would show past the
         * new one: on a journalling /run a truncation costs a transaction */
        if (pwrite(fd, pid, (size_t) len, 0) != len ||
            (fstat(fd, &st) == 0 && st.st_size > len && ftruncate(fd, len) < 0))
                log_debug("lock: note the PID in %s: %m", path);
        return TAKE_FD(fd);
}
