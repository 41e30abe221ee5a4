/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "mount-util.h"
#include "mountinfo.h"
#include "paths.h"
#include "rootless.h"

static char context[480], context_option[512];

void mount_set_context(const char *c) {
        snprintf(context, sizeof(context), "%s", c ? c : "");
        if (c)
                snprintf(context_option, sizeof(context_option), ",context=\"%s\"", c);
        else
                context_option[0] = 0;
}

const char *mount_context(void) {
        return context[0] ? context : NULL;
}

const char *mount_context_option(void) {
        return context_option;
}

void fd_path(int fd, char buf[static FD_PATH_MAX]) {
        snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
}

int fd_real_path(int fd, char buf[static PATH_MAX]) {
        char p[FD_PATH_MAX];
        ssize_t k;

        fd_path(fd, p);
        k = readlink(p, buf, PATH_MAX - 1);
        if (k < 0)
                return -errno;
        buf[k] = 0;
        /* not a path of this tree: a file of another namespace, or gone */
        if (buf[0] != '/' || strstr(buf, " (deleted)"))
                return -EXDEV;
        return 0;
}

int mount_logged(const char *source, const char *target, const char *type, unsigned long flags, const char *data) {
        if (mount(source, target, type, flags, data) < 0)
                return log_error_errno(-errno, "mount %s on %s%s%s: %m", type ? type : source ? source : "(none)", target,
                                       data ? " with " : "", data ? data : "");
        return 0;
}

static unsigned long statvfs_to_mount_flags(unsigned long f) {
        unsigned long r = 0;

        if (f & ST_NOSUID)
                r |= MS_NOSUID;
        if (f & ST_NODEV)
                r |= MS_NODEV;
        if (f & ST_NOEXEC)
                r |= MS_NOEXEC;
        if (f & ST_NOATIME)
                r |= MS_NOATIME;
        if (f & ST_NODIRATIME)
                r |= MS_NODIRATIME;
        if (f & ST_RELATIME)
                r |= MS_RELATIME;
        return r;
}

/* Which of the wanted MS_RDONLY, MS_NOSUID, MS_NODEV and MS_NOEXEC the
 * mount that statvfs() described lacks: what did not stick. */
static unsigned long mount_flags_missing(const struct statvfs *sv, unsigned long wanted) {
        unsigned long have = statvfs_to_mount_flags(sv->f_flag) | (sv->f_flag & ST_RDONLY ? MS_RDONLY : 0);

        return wanted & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC) & ~have;
}

/* For kernels before 5.12: remount each mount at or below path, keeping
 * the flags it has (a bind remount sets them all at once, so a flag left
 * out would be cleared: the host's noexec, say), with flags added. */
static int add_flags_walk(const char *path, unsigned long flags) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        size_t n = strlen(path);
        MountInfo m;
        int r;

        while ((r = mountinfo_next(&f, &m)) > 0) {
                const char *target = m.mount_point;
                struct statvfs sv;
                unsigned long keep;

                if (strncmp(target, path, n) != 0 || (target[n] != 0 && target[n] != '/' && n > 1))
                        continue;
                if (statvfs(target, &sv) < 0) {
                        /* gone since the table was read: nothing to reach */
                        if (errno == ENOENT)
                                continue;
                        return log_error_errno(-errno, "set the flags of %s: %m", target);
                }
                keep = statvfs_to_mount_flags(sv.f_flag) | (sv.f_flag & ST_RDONLY ? MS_RDONLY : 0);
                if (mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | keep | flags, NULL) < 0 || statvfs(target, &sv) < 0)
                        return log_error_errno(-errno, "set the flags of %s: %m", target);
                if (mount_flags_missing(&sv, flags))
                        return log_error_errno(-EPERM, "set the flags of %s: they did not stick", target);
        }
        if (r < 0)
                return log_error_errno(r, "read /proc/self/mountinfo: %m");
        return 0;
}

static uint64_t mount_attr_of(unsigned long flags) {
        return (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
               (flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0) | (flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
}

int mount_add_flags(int fd, unsigned long flags, const char *shown) {
        struct mount_attr attr = { .attr_set = mount_attr_of(flags) };
        char p[FD_PATH_MAX], real[PATH_MAX];
        struct statvfs sv;
        ssize_t k;

        /* only set, never cleared: whatever the mounts had stays */
        if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
                int r;

                if (errno != ENOSYS)
                        return log_error_errno(-errno, "set the flags of %s: %m", shown);
                fd_path(fd, p);
                k = readlink(p, real, sizeof(real) - 1);
                if (k < 0)
                        return log_error_errno(-errno, "set the flags of %s: %m", shown);
                real[k] = 0;
                r = add_flags_walk(real, flags);
                if (r < 0)
                        return r;
        }
        /* a flag that did not stick would be a mount with less than was
         * asked for */
        if (fstatvfs(fd, &sv) < 0)
                return log_error_errno(-errno, "set the flags of %s: %m", shown);
        if (mount_flags_missing(&sv, flags))
                return log_error_errno(-EPERM, "set the flags of %s: they did not stick", shown);
        return 0;
}

int mount_clear_noexec(int fd, const char *shown) {
        struct mount_attr attr = { .attr_clr = MOUNT_ATTR_NOEXEC };
        struct statvfs sv;

        /* this mount alone, and nothing but noexec */
        if (mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0) {
                char p[FD_PATH_MAX];
                unsigned long keep;

                if (errno != ENOSYS)
                        return log_error_errno(-errno, "allow executing on %s: %m", shown);
                /* a bind remount sets every flag at once: the ones it has
                 * but noexec */
                if (fstatvfs(fd, &sv) < 0)
                        return log_error_errno(-errno, "allow executing on %s: %m", shown);
                keep = (statvfs_to_mount_flags(sv.f_flag) | (sv.f_flag & ST_RDONLY ? MS_RDONLY : 0)) & ~MS_NOEXEC;
                fd_path(fd, p);
                if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | keep, NULL) < 0)
                        return log_error_errno(-errno, "allow executing on %s: %m", shown);
        }
        if (fstatvfs(fd, &sv) < 0)
                return log_error_errno(-errno, "allow executing on %s: %m", shown);
        if (sv.f_flag & ST_NOEXEC)
                return log_error_errno(-EPERM, "allow executing on %s: it is still noexec", shown);
        return 0;
}

int make_readonly_recursive(const char *path, unsigned long flags) {
        _cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);

        if (fd < 0)
                return log_error_errno(-errno, "make %s read-only: %m", path);
        return mount_add_flags(fd, MS_RDONLY | flags, path);
}

#define SYMLINKS_MAX 40

static bool same_inode(int a, const struct stat *b) {
        struct stat st;

        return fstat(a, &st) == 0 && st.st_dev == b->st_dev && st.st_ino == b->st_ino;
}

/* What openat2(RESOLVE_IN_ROOT) does, one component at a time with
 * O_NOFOLLOW: a symlink's target is resolved again from root when
 * absolute, ".." stops at root, and a magic link of /proc is read as the
 * path it shows, never followed. For where openat2() is refused: kernels
 * before 5.6, and systemd's RestrictSUIDSGID=, whose filter cannot see
 * openat2()'s flags and so answers ENOSYS to every call. */
static int walk_in_root(int root, const char *path) {
        _cleanup_close_ int cur = fcntl(root, F_DUPFD_CLOEXEC, 3);
        char rest[2 * PATH_MAX], target[PATH_MAX], name[NAME_MAX + 1];
        struct stat top;
        unsigned links = 0;
        const char *c;
        bool last;
        int r;

        if (cur < 0 || fstat(root, &top) < 0)
                return -errno;
        if (strlen(path) >= sizeof(rest))
                return -ENAMETOOLONG;
        strcpy(rest, path);
        c = rest;
        while ((r = path_next_component(&c, name, &last)) > 0) {
                _cleanup_close_ int next = -EBADF;
                struct stat st;

                if (streq(name, "."))
                        continue;
                if (streq(name, "..")) {
                        if (same_inode(cur, &top))
                                continue;
                        next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (next < 0)
                                return -errno;
                        close(cur);
                        cur = TAKE_FD(next);
                        continue;
                }
                next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 || fstat(next, &st) < 0)
                        return -errno;
                if (!S_ISLNK(st.st_mode)) {
                        close(cur);
                        cur = TAKE_FD(next);
                        continue;
                }
                ssize_t k = readlinkat(next, "", target, sizeof(target) - 1);
                if (k < 0)
                        return -errno;
                target[k] = 0;
                if (++links > SYMLINKS_MAX)
                        return -ELOOP;
                /* the target, then what was left after the link */
                if ((size_t) k + 1 + strlen(c) >= sizeof(rest))
                        return -ENAMETOOLONG;
                memmove(rest + k + 1, c, strlen(c) + 1);
                memcpy(rest, target, (size_t) k);
                rest[k] = '/';
                c = rest;
                if (target[0] == '/') {
                        close(cur);
                        cur = fcntl(root, F_DUPFD_CLOEXEC, 3);
                        if (cur < 0)
                                return -errno;
                }
        }
        if (r < 0)
                return r;
        return TAKE_FD(cur);
}

static int openat2_in_root(int root, const char *path) {
        struct open_how how = {
                .flags = O_PATH | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        static bool refused;
        int fd;

        if (refused)
                return walk_in_root(root, path);
        /* a path relative to root: openat2() takes "/x" as root's "/x" too,
         * but "" would name root itself only with AT_EMPTY_PATH */
        for (unsigned i = 0;; i++) {
                fd = (int) syscall(SYS_openat2, root, *path ? path : ".", &how, sizeof(how));
                /* EAGAIN: a rename or mount anywhere on the machine
                 * while a ".." was resolved (a symlink's, here), which
                 * the kernel then cannot vouch for; it says to try
                 * again. Mounts elsewhere are common: a few times, then
                 * the walk, which resolves the same way without that
                 * check. */
                if (fd >= 0 || errno != EAGAIN)
                        break;
                if (i == 16)
                        return walk_in_root(root, path);
        }
        if (fd < 0 && errno == ENOSYS) {
                refused = true;
                return walk_in_root(root, path);
        }
        return fd < 0 ? -errno : fd;
}

int open_in_root(int root, const char *path, CreateMode create, const char *what) {
        char prefix[PATH_MAX];
        int fd;

        fd = openat2_in_root(root, path);
        if (fd != -ENOENT || create == CREATE_NONE) {
                if (fd < 0 && create != CREATE_NONE)
                        log_error_errno(fd, "%s: open %s in the sandbox: %m", what, path);
                return fd;
        }
        if (strlen(path) >= sizeof(prefix))
                return log_error_errno(-ENAMETOOLONG, "%s: %s: %m", what, path);

        /* make the missing components one at a time, each below the
         * directory already resolved inside root */
        for (const char *c = path;;) {
                _cleanup_close_ int parent = -EBADF;
                char name[NAME_MAX + 1];
                size_t len = (size_t) (c - path);
                bool last;
                int r;

                memcpy(prefix, path, len);
                prefix[len] = 0;
                r = path_next_component(&c, name, &last);
                if (r == 0)
                        break;
                if (r < 0)
                        return log_error_errno(r, "%s: %s: %m", what, path);
                parent = openat2_in_root(root, prefix);
                if (parent < 0)
                        return log_error_errno(parent, "%s: open %s in the sandbox: %m", what, *prefix ? prefix : "/");
                if (last && create == CREATE_FILE) {
                        r = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
                        if (r < 0 && errno != EEXIST)
                                return log_error_errno(-errno, "%s: create %s in the sandbox: %m", what, path);
                        if (r >= 0)
                                close(r);
                } else if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
                        return log_error_errno(-errno, "%s: create %s in the sandbox: %m", what, path);
        }
        fd = openat2_in_root(root, path);
        if (fd < 0)
                return log_error_errno(fd, "%s: open %s in the sandbox: %m", what, path);
        return fd;
}

/* A device bound on purpose: a device node itself, as a bind of a file
 * holds no other node. Not a directory, even read-only and below /dev:
 * a read-only mount does not keep a device node from being opened for
 * writing (only nodev does), and a bind of /dev would give the service
 * every disk of the host's. */
static bool bound_device(const struct stat *st) {
        return S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode);
}

int bind_in_root(int root, const char *source, const char *target, unsigned long flags, const char *what) {
        /* the source is the host's: an admin's path, resolved as such */
        _cleanup_close_ int src = open(source, O_PATH | O_CLOEXEC);

        if (src < 0)
                return log_error_errno(-errno, "%s: source %s: %m", what, source);
        return bind_fd_in_root(root, src, source, target, flags, what);
}

int bind_fd_in_root(int root, int src, const char *source, const char *target, unsigned long flags, const char *what) {
        _cleanup_close_ int dst = -EBADF, top = -EBADF;
        char s[FD_PATH_MAX], d[FD_PATH_MAX];
        struct stat st;

        if (fstat(src, &st) < 0)
                return log_error_errno(-errno, "%s: source %s: %m", what, source);
        if (bound_device(&st))
                flags &= ~MS_NODEV;
        dst = open_in_root(root, target, S_ISDIR(st.st_mode) ? CREATE_DIR : CREATE_FILE, what);
        if (dst < 0)
                return dst;
        fd_path(src, s);
        fd_path(dst, d);
        if (mount(s, d, NULL, MS_BIND | MS_REC, NULL) < 0)
                return log_error_errno(-errno, "%s: bind %s on %s: %m", what, source, target);
        /* a bind has the flags of the source's mount, the host's: the
         * sandbox's are added on every submount. dst still names what
         * lies under the new mount: open the mount */
        top = open_in_root(root, target, CREATE_NONE, what);
        if (top < 0)
                return log_error_errno(top, "%s: open %s in the sandbox: %m", what, target);
        return mount_add_flags(top, flags, target);
}

int tmpfs_in_root(int root, const char *target, unsigned long flags, const char *options, const char *what) {
        _cleanup_close_ int dst = open_in_root(root, target, CREATE_DIR, what);
        char d[FD_PATH_MAX], all[1024];

        if (dst < 0)
                return dst;
        fd_path(dst, d);
        snprintf(all, sizeof(all), "%s%s", options, context_option);
        if (mount("tmpfs", d, "tmpfs", flags, all) < 0)
                return log_error_errno(-errno, "%s: tmpfs on %s with %s: %m", what, target, all);
        return 0;
}

int open_host_file(const char *path, mode_t type) {
        _cleanup_close_ int dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        char part[NAME_MAX + 1];
        const char *p = path;
        bool last = false;
        int r;

        if (dir < 0)
                return -errno;
        while ((r = path_next_component(&p, part, &last)) > 0) {
                int next = openat(dir, part, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                struct stat st;

                if (next < 0)
                        return -errno;
                close(dir);
                dir = next;
                if (fstat(dir, &st) < 0)
                        return -errno;
                if (st.st_uid != 0 && !rootless_host_root(&st))
                        return -EPERM;
                if (last && (st.st_mode & S_IFMT) == type)
                        return TAKE_FD(dir);
                if (last && !S_ISLNK(st.st_mode))
                        return type == S_IFSOCK ? -ENOTSOCK : -ENOTDIR;
                if (!S_ISDIR(st.st_mode))
                        return S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
        }
        return r < 0 ? r : -EINVAL;
}
