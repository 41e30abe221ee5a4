/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"
#include "state.h"

#define OVERLAYFS_MAGIC 0x794c7630

/* One step down: name below dir, made when missing and create is set. */
static int step_down(int dir, const char *name, const char *shown, bool create) {
        struct stat st;
        int fd;

        fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT && create) {
                if (mkdirat(dir, name, 0700) < 0 && errno != EEXIST)
                        return log_error_errno(-errno, "state directory %s: cannot create it: %m", shown);
                fd = openat(dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0) {
                if (errno == ENOTDIR || errno == ELOOP)
                        return log_error_errno(-ENOTDIR, "state directory %s: is a symbolic link or not a directory; "
                                               "refusing to use it (remove it to start afresh)", shown);
                return log_error_errno(-errno, "state directory %s: %m", shown);
        }
        if (fstat(fd, &st) < 0) {
                int r = -errno;
                close(fd);
                return log_error_errno(r, "state directory %s: %m", shown);
        }
        if (st.st_uid != 0 || (create && (st.st_mode & (S_IWGRP | S_IWOTH)))) {
                close(fd);
                return log_error_errno(-EPERM, "state directory %s: owned by uid %u with mode %04o; it must be owned by "
                                       "root and writable only by root", shown, (unsigned) st.st_uid,
                                       (unsigned) (st.st_mode & 07777));
        }
        return fd;
}

int state_dir_open(const char *state_root, const char *name, const char *const *subs) {
        char shown[PATH_MAX];
        size_t n = 0;
        int fd, r;

        if (state_root[0] != '/' || strlen(state_root) >= sizeof(shown))
                return log_error_errno(-EINVAL, "state root %s: must be an absolute path", state_root);

        fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "open /: %m");
        shown[0] = 0;
        /* the state root's own components: existing, root-owned, no symlinks;
         * the last one is made when missing (a fresh /var/lib/sandbox) */
        for (const char *c = state_root;;) {
                char comp[NAME_MAX + 1];
                bool last;

                r = path_next_component(&c, comp, &last);
                if (r == 0)
                        break;
                if (r < 0) {
                        close(fd);
                        return log_error_errno(r, "state root %s: %m", state_root);
                }
                n += (size_t) snprintf(shown + n, sizeof(shown) - n, "/%s", comp);
                r = step_down(fd, comp, shown, last);
                close(fd);
                if (r < 0)
                        return r;
                fd = r;
        }

        n += (size_t) snprintf(shown + n, n < sizeof(shown) ? sizeof(shown) - n : 0, "/%s", name);
        r = step_down(fd, name, shown, true);
        close(fd);
        if (r < 0)
                return r;
        fd = r;
        r = state_dir_below(fd, shown, subs);
        close(fd);
        return r;
}

int state_dir_below(int dir, const char *path, const char *const *subs) {
        char shown[PATH_MAX];
        size_t n = (size_t) snprintf(shown, sizeof(shown), "%s", path);
        struct statfs sf;
        int fd = dup(dir), r;

        if (fd < 0)
                return log_error_errno(-errno, "state directory %s: %m", path);
        for (const char *const *s = subs; s && *s; s++) {
                n += (size_t) snprintf(shown + n, n < sizeof(shown) ? sizeof(shown) - n : 0, "/%s", *s);
                r = step_down(fd, *s, shown, true);
                close(fd);
                if (r < 0)
                        return r;
                fd = r;
        }

        /* overlayfs cannot take its upper and work dirs from an overlay */
        if (fstatfs(fd, &sf) == 0 && sf.f_type == OVERLAYFS_MAGIC) {
                close(fd);
                return log_error_errno(-EOPNOTSUPP, "state directory %s is on an overlay file system, which cannot hold "
                                       "overlay upper directories; use --state-root= on another file system (ext4, xfs, tmpfs)",
                                       shown);
        }
        return fd;
}
