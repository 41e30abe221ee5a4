/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sandbox's /sys and /sys/fs/cgroup, mounts of its own in place of
 * the host's, which the recursive bind of the host's root brought in.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>

#include "log.h"
#include "mount-util.h"
#include "rootfs-sys.h"

/* The mount just made on path, opened anew (an fd taken before it is of
 * what lies below), made read-only with all below it. */
int rootfs_made_readonly(int root, const char *path) {
        _cleanup_close_ int fd = open_in_root(root, path, CREATE_NONE, "read-only");
        char p[FD_PATH_MAX];

        if (fd < 0)
                return log_error_errno(fd, "read-only %s: %m", path);
        fd_path(fd, p);
        return make_readonly_recursive(p, 0);
}

/* Detaches what is mounted on path in the new root, with what is below
 * it, and opens the mount point: the kernel refuses a file system on a
 * mount point of its own superblock (EBUSY), so the host's view goes
 * first. EINVAL: nothing was mounted there (a root of the profile's own). */
static int detach_in_root(int root, const char *path, const char *what) {
        _cleanup_close_ int fd = open_in_root(root, path, CREATE_NONE, what);
        char p[FD_PATH_MAX];

        if (fd < 0)
                return log_error_errno(fd, "%s: %s: %m", what, path);
        fd_path(fd, p);
        if (umount2(p, MNT_DETACH) < 0 && errno != EINVAL)
                return log_error_errno(-errno, "%s: unmount the host's %s: %m", what, path);
        close(TAKE_FD(fd));
        fd = open_in_root(root, path, CREATE_NONE, what);
        if (fd < 0)
                return log_error_errno(fd, "%s: %s: %m", what, path);
        return TAKE_FD(fd);
}

/* The sandbox's /sys is a sysfs mount of its own: it shows the network
 * namespace's interfaces, and none of the file systems the host mounts
 * below its /sys (debugfs, tracefs, securityfs, efivarfs, pstore, bpf,
 * configfs), which the recursive bind of the host's root carries in,
 * read-only but readable: the kernel's internals, trace buffers, firmware
 * variables. The host's cgroup hierarchies are moved in below it,
 * read-only like the rest. The new sysfs is made beside the root and
 * moved in: in the host's network namespace it is the host's superblock,
 * which the kernel refuses to mount on a mount point of its own (EBUSY). */
int rootfs_mount_sys(int root, const char *rundir, bool own_net) {
        _cleanup_close_ int sys = open_in_root(root, "/sys", CREATE_NONE, "sys");
        _cleanup_close_ int cgroup = -EBADF, fresh = -EBADF;
        char p[FD_PATH_MAX], g[FD_PATH_MAX], dir[PATH_MAX], sub[PATH_MAX + 16];
        int r;

        /* a root of the profile's own may have no /sys at all */
        if (sys == -ENOENT)
                return 0;
        if (sys < 0)
                return log_error_errno(sys, "sys: %m");
        snprintf(dir, sizeof(dir), "%s/sys", rundir);
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "sys: create %s: %m", dir);
        /* a new network namespace's sysfs is a superblock of its own, so
         * it can be read-only from the start; the host's says EBUSY to
         * that, and is made read-only as a mount */
        r = mount_logged("sysfs", dir, "sysfs", (own_net ? MS_RDONLY : 0) | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        if (r >= 0 && !own_net)
                r = mount_logged(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        if (r < 0)
                return r;
        /* the cgroup hierarchies are moved over, not copied: they are
         * read-only already, as the whole root; EINVAL, not a mount */
        cgroup = open_in_root(root, "/sys/fs/cgroup", CREATE_NONE, "sys");
        snprintf(sub, sizeof(sub), "%s/fs/cgroup", dir);
        if (cgroup >= 0) {
                fd_path(cgroup, g);
                if (mount(g, sub, NULL, MS_MOVE, NULL) < 0 && errno != EINVAL)
                        return log_error_errno(-errno, "sys: move /sys/fs/cgroup: %m");
        }
        fresh = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fresh < 0)
                return log_error_errno(-errno, "sys: open %s: %m", dir);
        close(TAKE_FD(sys));
        sys = detach_in_root(root, "/sys", "sys");
        if (sys < 0)
                return sys;
        fd_path(fresh, g);
        fd_path(sys, p);
        if (mount(g, p, NULL, MS_MOVE, NULL) < 0)
                return log_error_errno(-errno, "sys: move the sandbox's sysfs to /sys: %m");
        (void) rmdir(dir);
        return 0;
}

/* Where the host has systemd's unified layout (cgroup2 on
 * /sys/fs/cgroup), the sandbox's /sys/fs/cgroup is a cgroup2 mount of
 * its own cgroup namespace, whose root is the cgroup the helper ran in
 * at the clone: the unit's. The service sees its own limits (memory.max,
 * pids.max), usage and processes, and nothing of the host's tree.
 * Read-only, as the rest of /sys. Until the pivot, "/" is the host's. */
int rootfs_mount_cgroup(int root) {
        _cleanup_close_ int fd = -EBADF;
        struct statfs s;
        char p[FD_PATH_MAX];

        if (statfs("/sys/fs/cgroup", &s) < 0 || s.f_type != CGROUP2_SUPER_MAGIC)
                return 0;
        fd = detach_in_root(root, "/sys/fs/cgroup", "sys");
        if (fd < 0)
                return fd;
        fd_path(fd, p);
        /* read-only as a mount: as a superblock flag, it would be the
         * host's too (EBUSY) */
        if (mount("cgroup2", p, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
                return log_error_errno(-errno, "sys: mount the sandbox's cgroup2 on /sys/fs/cgroup: %m");
        return rootfs_made_readonly(root, "/sys/fs/cgroup");
}
