/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "mount-util.h"
#include "rootless.h"
#include "state-dir.h"
#include "state.h"

#define OVERLAYFS_MAGIC 0x794c7630

int state_dir_open(const char *state_root, const char *name, const char *const *subs) {
        _cleanup_close_ int root = -EBADF, fd = -EBADF;
        char shown[PATH_MAX];

        root = state_root_walk(state_root, STATE_CREATE | STATE_PATH);
        if (root == -ENOENT)
                return log_error_errno(root, "state root %s: a directory above it is missing", state_root);
        if (root < 0)
                return root;
        snprintf(shown, sizeof(shown), "%s/%s", state_root, name);
        fd = state_step_down(root, name, shown, STATE_CREATE | STATE_PATH);
        if (fd < 0)
                return fd;
        return state_dir_below(fd, shown, subs);
}

/* the sandbox's root on the host, owner of the dirs the service owns:
 * BASE in a user namespace of its own, else root */
static uid_t state_owner;

void state_dir_set_owner(uid_t base) {
        state_owner = base;
}

int state_dir_below(int dir, const char *path, const char *const *subs) {
        _cleanup_close_ int fd = fcntl(dir, F_DUPFD_CLOEXEC, 3);
        char shown[PATH_MAX];
        size_t n = (size_t) snprintf(shown, sizeof(shown), "%s", path);
        struct statfs sf;

        if (fd < 0)
                return log_error_errno(-errno, "state directory %s: %m", path);
        for (const char *const *s = subs; s && *s; s++) {
                int r;

                n += (size_t) snprintf(shown + n, n < sizeof(shown) ? sizeof(shown) - n : 0, "/%s", *s);
                r = state_step_down_owned(fd, *s, shown, STATE_CREATE | STATE_PATH, state_owner);
                if (r < 0)
                        return r;
                close(fd);
                fd = r;
        }

        /* overlayfs cannot take its upper and work dirs from an overlay */
        if (fstatfs(fd, &sf) == 0 && sf.f_type == OVERLAYFS_MAGIC)
                return log_error_errno(-EOPNOTSUPP, "state directory %s is on an overlay file system, which cannot hold "
                                       "overlay upper directories; use --state-root= on another file system (ext4, xfs, tmpfs)",
                                       shown);
        return TAKE_FD(fd);
}

int state_dir_take_attributes(int dir, int from, const char *what) {
        char p[FD_PATH_MAX];
        struct stat st, now;

        if (fstat(from, &st) < 0 || fstat(dir, &now) < 0)
                return log_error_errno(-errno, "%s: %m", what);
        st.st_uid = rootless_state_owner(st.st_uid);
        st.st_gid = (gid_t) rootless_state_owner((uid_t) st.st_gid);
        /* as at every start but the first: a change would change the
         * directory's ctime, a metadata write to the state file system
         * for nothing */
        if (now.st_uid == st.st_uid && now.st_gid == st.st_gid && (now.st_mode & 07777) == (st.st_mode & 01777))
                return 0;
        fd_path(dir, p);
        if (chown(p, st.st_uid, st.st_gid) < 0 || chmod(p, st.st_mode & 01777) < 0)
                return log_error_errno(-errno, "%s: set owner and mode of the state directory: %m", what);
        return 0;
}
