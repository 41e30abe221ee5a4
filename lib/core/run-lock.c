/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The run lock: taken by the helper, read by sandboxctl and --join (run-lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "quantities.h"
#include "run-lock.h"

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

void lock_holder_read(int fd, char holder[static LOCK_HOLDER_MAX]) {
        ssize_t k = pread(fd, holder, LOCK_HOLDER_MAX - 1, 0);

        holder[k > 0 ? k : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        if (holder[strspn(holder, "0123456789")] != 0)
                holder[0] = 0;
}

pid_t lock_holder_pid(const char holder[static LOCK_HOLDER_MAX]) {
        uint64_t pid;

        return parse_uint_range(holder, 1, INT32_MAX, &pid) < 0 ? 0 : (pid_t) pid;
}

/* /run/sandbox/NAME/lock, opened step by step so that none of it is
 * made or followed: 1 and *ret_fd, 0 when there is none, or -errno
 * after logging. holder is emptied. */
static int lock_open(const char *name, char holder[static LOCK_HOLDER_MAX], int *ret_fd) {
        _cleanup_close_ int run = -EBADF, dir = -EBADF;
        int fd = -EBADF;

        holder[0] = 0;

        run = open(RUNTIME_ROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (run >= 0)
                dir = openat(run, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir >= 0)
                fd = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno != ENOENT)
                return log_error_errno(-errno, "lock %s/%s/lock: %m%s", RUNTIME_ROOT, name, log_root_hint(-errno));
        *ret_fd = fd;
        return fd >= 0;
}

int sandbox_lock_try(const char *name, int *ret_lock, char holder[static LOCK_HOLDER_MAX]) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        *ret_lock = -EBADF;
        r = lock_open(name, holder, &fd);
        if (r <= 0)
                return r;
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno != EWOULDBLOCK)
                        return log_error_errno(-errno, "lock %s/%s/lock: %m", RUNTIME_ROOT, name);
                lock_holder_read(fd, holder);
                return -EBUSY;
        }
        *ret_lock = TAKE_FD(fd);
        return 0;
}

/* Whether /proc/locks has a flock() lock (not a waiter for one) on the
 * file st describes: 1, 0, or -errno. Its lines are
 * "ID: FLOCK ADVISORY WRITE PID MAJ:MIN:INODE START END", the device
 * numbers in hex. */
static int flock_listed(const struct stat *st) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        char want[64];
        size_t size = 0;

        snprintf(want, sizeof(want), " %02x:%02x:%llu ", major(st->st_dev), minor(st->st_dev),
                 (unsigned long long) st->st_ino);
        f = fopen("/proc/locks", "re");
        if (!f)
                return -errno;
        while (getline(&line, &size, f) > 0)
                if (strstr(line, " FLOCK ") && !strstr(line, " -> ") && strstr(line, want))
                        return 1;
        return ferror(f) ? -EIO : 0;
}

int sandbox_lock_held(const char *name, char holder[static LOCK_HOLDER_MAX]) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        r = lock_open(name, holder, &fd);
        if (r <= 0)
                return r;
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "lock %s/%s/lock: %m", RUNTIME_ROOT, name);
        r = flock_listed(&st);
        if (r < 0)
                return log_error_errno(r, "lock %s/%s/lock: read /proc/locks: %m", RUNTIME_ROOT, name);
        if (r > 0)
                lock_holder_read(fd, holder);
        return r;
}
