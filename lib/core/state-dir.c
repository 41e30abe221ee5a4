/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "state-dir.h"

int state_step_down(int dir, const char *name, const char *shown, StateOpen flags) {
        return state_step_down_owned(dir, name, shown, flags, 0);
}

static uid_t unmapped_owner = (uid_t) -1;

void state_root_trust_unmapped(uid_t overflow) {
        unmapped_owner = overflow;
}

/* root, or also (BASE, a sandbox's root on the host, 0: none); above the
 * state root of an unprivileged run, the overflow ID too */
static bool owner_is_trusted(const struct stat *st, StateOpen flags, uid_t also) {
        bool others = st->st_mode & (S_IWGRP | S_IWOTH);

        if (st->st_uid == 0 || (also != 0 && st->st_uid == also))
                return !(flags & STATE_CREATE) || !others;
        return (flags & STATE_ABOVE) && unmapped_owner != (uid_t) -1 && st->st_uid == unmapped_owner &&
               (!others || (st->st_mode & S_ISVTX));
}

int state_step_down_owned(int dir, const char *name, const char *shown, StateOpen flags, uid_t also) {
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
        if (!owner_is_trusted(&st, flags, also))
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
                r = state_step_down(fd, comp, shown, last ? flags : (flags & ~STATE_CREATE) | STATE_ABOVE);
                if (r < 0)
                        return r;
                close(fd);
                fd = r;
        }
        return TAKE_FD(fd);
}
