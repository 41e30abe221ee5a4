/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "state-dir.h"

int state_step_down(int dir, const char *name, const char *shown, StateOpen flags) {
        const int mode = (flags & STATE_PATH ? O_PATH : O_RDONLY) | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        fd = openat(dir, name, mode);
        if (fd < 0 && errno == ENOENT && (flags & STATE_CREATE)) {
                if (mkdirat(dir, name, 0700) < 0 && errno != EEXIST)
                        return log_error_errno(-errno, "state directory %s: cannot create it: %m%s", shown,
                                               log_root_hint(-errno));
                fd = openat(dir, name, mode);
        }
        if (fd < 0) {
                if (errno == ENOENT)
                        return -ENOENT;
                if (errno == ENOTDIR || errno == ELOOP)
                        return log_error_errno(-ENOTDIR, "state directory %s: is a symbolic link or not a directory; "
                                               "refusing to use it (remove it to start afresh)", shown);
                return log_error_errno(-errno, "state directory %s: %m%s", shown, log_root_hint(-errno));
        }
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "state directory %s: %m", shown);
        if (st.st_uid != 0 || ((flags & STATE_CREATE) && (st.st_mode & (S_IWGRP | S_IWOTH))))
                return log_error_errno(-EPERM, "state directory %s: owned by uid %u with mode %04o; it must be owned by "
                                       "root and writable only by root", shown, (unsigned) st.st_uid,
                                       (unsigned) (st.st_mode & 07777));
        return TAKE_FD(fd);
}

int state_root_walk(const char *state_root, StateOpen flags) {
        _cleanup_close_ int fd = -EBADF;
        char shown[PATH_MAX] = "";
        size_t n = 0;
        int r;

        if (state_root[0] != '/' || strlen(state_root) >= sizeof(shown))
                return log_error_errno(-EINVAL, "state root %s: must be an absolute path", state_root);
        fd = open("/", (flags & STATE_PATH ? O_PATH : O_RDONLY) | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "open /: %m");
        for (const char *c = state_root;;) {
                char comp[NAME_MAX + 1];
                bool last;

                r = path_next_component(&c, comp, &last);
                if (r == 0)
                        break;
                if (r < 0)
                        return log_error_errno(r, "state root %s: %m", state_root);
                n += (size_t) snprintf(shown + n, sizeof(shown) - n, "/%s", comp);
                /* the last component is made when missing (a fresh
                 * /var/lib/sandbox), the ones above must be there */
                r = state_step_down(fd, comp, shown, last ? flags : flags & ~STATE_CREATE);
                if (r < 0)
                        return r;
                close(fd);
                fd = r;
        }
        return TAKE_FD(fd);
}

void lock_holder_read(int fd, char holder[static LOCK_HOLDER_MAX]) {
        ssize_t k = pread(fd, holder, LOCK_HOLDER_MAX - 1, 0);

        holder[k > 0 ? k : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        if (holder[strspn(holder, "0123456789")] != 0)
                holder[0] = 0;
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
