/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Idmapped mounts for <user-namespace mode="private"/>: the host's files
 * as the service sees them, through the map of its user namespace
 * (0 BASE 65536), so that a file the host's root owns is root's in the
 * sandbox too, and what the service makes there as root lands as the
 * host's root, where the mount is writable at all. Only a mount that is
 * not attached yet takes an idmapping (mount_setattr(MOUNT_ATTR_IDMAP)),
 * and only on a file system that allows one: the root is made mount by
 * mount from clones of the host's, each idmapped where it can be.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idmap.h"
#include "log.h"
#include "mount-util.h"
#include "mountinfo.h"
#include "strv.h"

static int idmap_fd = -EBADF;

void idmap_set(int userns) {
        idmap_fd = userns;
}

int idmap_get(void) {
        return idmap_fd;
}

/* the attributes asked for, with the idmapping where the file system
 * takes one: 1 idmapped, 0 not (EINVAL: the file system allows none,
 * or the mount is not detached) */
static int set_attributes(int mnt, uint64_t attr, bool recursive) {
        struct mount_attr a = { .attr_set = attr | MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) idmap_fd };
        unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);

        if (mount_setattr(mnt, "", flags, &a, sizeof(a)) == 0)
                return 1;
        if (errno != EINVAL)
                return -errno;
        a = (struct mount_attr) { .attr_set = attr };
        if (attr && mount_setattr(mnt, "", flags, &a, sizeof(a)) < 0)
                return -errno;
        return 0;
}

int idmap_clone(int dfd, const char *path, const char *shown, bool recursive, uint64_t attr, bool required,
                const char *what) {
        _cleanup_close_ int mnt = -EBADF;
        int r;

        if (!shown)
                shown = *path ? path : "the directory";
        mnt = open_tree(dfd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0) |
                        (*path ? 0 : AT_EMPTY_PATH));
        if (mnt < 0)
                return log_error_errno(-errno, "%s: clone the mount of %s: %m", what, shown);
        r = set_attributes(mnt, attr, recursive);
        if (r < 0)
                return log_error_errno(r, "%s: %s: %m", what, shown);
        if (r == 0 && required)
                return log_error_errno(-EOPNOTSUPP, "%s: %s is on a file system that cannot be idmapped, which "
                                       "<user-namespace mode=\"private\"/> needs for it (ext4, xfs, btrfs, and tmpfs "
                                       "since Linux 6.3 can; overlayfs, NFS and FUSE cannot)", what, shown);
        if (r == 0)
                log_debug("%s: %s cannot be idmapped: its files are the overflow ID's (65534) in the sandbox", what,
                          shown);
        return TAKE_FD(mnt);
}

int idmap_in_place(int root, const char *target, const char *what) {
        _cleanup_close_ int top = -EBADF, mnt = -EBADF, again = -EBADF;
        char p[FD_PATH_MAX];

        top = open_in_root(root, target, CREATE_NONE, what);
        if (top < 0)
                return top;
        mnt = idmap_clone(top, "", target, false, 0, false, what);
        if (mnt < 0)
                return mnt;
        /* the clone holds the file system: the mount it was made from
         * goes, and the clone takes its place */
        fd_path(top, p);
        if (umount2(p, MNT_DETACH) < 0)
                return log_error_errno(-errno, "%s: detach %s: %m", what, target);
        again = open_in_root(root, target, CREATE_NONE, what);
        if (again < 0)
                return again;
        if (move_mount(mnt, "", again, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return log_error_errno(-errno, "%s: mount the idmapped %s: %m", what, target);
        return 0;
}

/* where the sandbox mounts its own, so that nothing of the host's there
 * is cloned only to be hidden: /proc, /sys, /dev, /run and /tmp */
static bool replaced(const char *rel) {
        static const char *const dirs[] = { "/proc", "/sys", "/dev", "/run", "/tmp" };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                size_t n = strlen(dirs[i]);

                if (strncmp(rel, dirs[i], n) == 0 && (rel[n] == 0 || rel[n] == '/'))
                        return true;
        }
        return false;
}

/* the part of mount_point below source ("/" for source itself), or NULL */
static const char *below(const char *mount_point, const char *source) {
        size_t n = strlen(source);

        if (streq(source, "/"))
                return mount_point;
        if (strncmp(mount_point, source, n) != 0 || (mount_point[n] != 0 && mount_point[n] != '/'))
                return NULL;
        return mount_point[n] ? mount_point + n : "/";
}

int idmap_root(const char *source, const char *target, uint64_t attr) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        _cleanup_strv_free_ char **done = NULL;
        _cleanup_close_ int root = -EBADF;
        MountInfo m;
        int r;

        /* the root itself: the mount source is in, idmapped or refused */
        r = idmap_clone(AT_FDCWD, source, NULL, false, attr, true, "root");
        if (r < 0)
                return r;
        {
                _cleanup_close_ int mnt = r;

                if (move_mount(mnt, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                        return log_error_errno(-errno, "root: mount the idmapped %s on %s: %m", source, target);
        }
        root = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return log_error_errno(-errno, "root: open %s: %m", target);
        /* then every mount below it, parents first as mountinfo lists
         * them; a path mounted on again is cloned once, as its top */
        while ((r = mountinfo_next(&f, &m)) > 0) {
                _cleanup_close_ int mnt = -EBADF, dst = -EBADF;
                const char *rel = below(m.mount_point, source);

                if (!rel || streq(rel, "/") || replaced(rel) || strv_contains(done, m.mount_point))
                        continue;
                if (strv_append(&done, m.mount_point) < 0)
                        return log_oom();
                mnt = open_tree(AT_FDCWD, m.mount_point, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                /* hidden by a mount on a directory above it */
                if (mnt < 0 && errno == ENOENT)
                        continue;
                if (mnt < 0)
                        return log_error_errno(-errno, "root: clone the mount of %s: %m", m.mount_point);
                r = set_attributes(mnt, attr, false);
                if (r < 0)
                        return log_error_errno(r, "root: %s: %m", m.mount_point);
                if (r == 0)
                        log_debug("root: %s (%s) cannot be idmapped: its files are the overflow ID's (65534) in the "
                                  "sandbox", m.mount_point, m.fstype);
                dst = open_in_root(root, rel, CREATE_NONE, "root");
                if (dst == -ENOENT)
                        continue;
                if (dst < 0)
                        return dst;
                if (move_mount(mnt, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                        return log_error_errno(-errno, "root: mount %s in the new root: %m", m.mount_point);
        }
        if (r < 0)
                return log_error_errno(r, "root: read the mount table: %m");
        return 0;
}

int idmap_bind(int root, int src, const char *source, const char *target, unsigned long flags, const char *what) {
        _cleanup_close_ int mnt = -EBADF, dst = -EBADF, top = -EBADF;
        struct stat st;

        if (fstat(src, &st) < 0)
                return log_error_errno(-errno, "%s: source %s: %m", what, source);
        /* a device bound on purpose keeps its node usable (bind_fd_in_root()) */
        if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
                flags &= ~MS_NODEV;
        mnt = idmap_clone(src, "", source, true, 0, false, what);
        if (mnt < 0)
                return mnt;
        dst = open_in_root(root, target, S_ISDIR(st.st_mode) ? CREATE_DIR : CREATE_FILE, what);
        if (dst < 0)
                return dst;
        if (move_mount(mnt, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return log_error_errno(-errno, "%s: bind %s on %s: %m", what, source, target);
        top = open_in_root(root, target, CREATE_NONE, what);
        if (top < 0)
                return log_error_errno(top, "%s: open %s in the sandbox: %m", what, target);
        return mount_add_flags(top, flags, target);
}

int idmap_check_root(const char *source) {
        _cleanup_close_ int mnt = idmap_clone(AT_FDCWD, source, NULL, false, 0, true, "root");

        return mnt < 0 ? mnt : 0;
}
