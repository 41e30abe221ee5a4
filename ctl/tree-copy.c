/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A copy of a state directory that an overlay can use as it used the
 * original: owners, modes, timestamps and extended attributes (the
 * overlay's own trusted.overlay.* among them) are kept, and so are
 * whiteouts (character devices 0:0) and symbolic links, which are copied,
 * never followed. Hard links become separate copies.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "log.h"
#include "state.h"
#include "strv.h"

typedef struct Node {
        int from_dir, to_dir;
        const char *from_name, *to_name;
        const char *shown; /* the source's path, for messages */
        struct stat st;
} Node;

static int copy_error(const Node *n, int error, const char *what) {
        return log_error_errno(error, "copy %s: %s: %m", n->shown, what);
}

/* Copies every extended attribute from one /proc/self/fd path to
 * another: "/proc/self/fd/N" for an open file (follow), or
 * "/proc/self/fd/DIR/NAME" for a symbolic link or device node, which
 * cannot be opened for it (no follow). */
static int copy_xattrs(const Node *n, const char *from, const char *to, bool follow) {
        _cleanup_free_ char *list = NULL, *value = NULL;
        ssize_t size, k;
        size_t value_size = 0;

        size = follow ? listxattr(from, NULL, 0) : llistxattr(from, NULL, 0);
        if (size < 0)
                return errno == ENOTSUP ? 0 : copy_error(n, -errno, "list extended attributes");
        if (size == 0)
                return 0;
        list = malloc((size_t) size);
        if (!list)
                return log_oom();
        size = follow ? listxattr(from, list, (size_t) size) : llistxattr(from, list, (size_t) size);
        if (size < 0)
                return copy_error(n, -errno, "list extended attributes");

        for (const char *a = list; a < list + size; a += strlen(a) + 1) {
                k = follow ? getxattr(from, a, NULL, 0) : lgetxattr(from, a, NULL, 0);
                if (k < 0)
                        return log_error_errno(-errno, "copy %s: read extended attribute %s: %m", n->shown, a);
                if ((size_t) k > value_size) {
                        free(value);
                        value = malloc((size_t) k);
                        if (!value)
                                return log_oom();
                        value_size = (size_t) k;
                }
                k = follow ? getxattr(from, a, value, value_size) : lgetxattr(from, a, value, value_size);
                if (k < 0)
                        return log_error_errno(-errno, "copy %s: read extended attribute %s: %m", n->shown, a);
                if ((follow ? setxattr(to, a, value, (size_t) k, 0) : lsetxattr(to, a, value, (size_t) k, 0)) < 0)
                        return log_error_errno(-errno, "copy %s: set extended attribute %s: %m", n->shown, a);
        }
        return 0;
}

static int copy_xattrs_fd(const Node *n, int from, int to) {
        char a[64], b[64];

        snprintf(a, sizeof(a), "/proc/self/fd/%d", from);
        snprintf(b, sizeof(b), "/proc/self/fd/%d", to);
        return copy_xattrs(n, a, b, true);
}

static int copy_xattrs_at(const Node *n) {
        _cleanup_free_ char *a = NULL, *b = NULL;

        if (asprintf(&a, "/proc/self/fd/%d/%s", n->from_dir, n->from_name) < 0 ||
            asprintf(&b, "/proc/self/fd/%d/%s", n->to_dir, n->to_name) < 0)
                return log_oom();
        return copy_xattrs(n, a, b, false);
}

/* Owner, mode, extended attributes and times of an open copy, in this
 * order: a change of owner clears set-id bits and file capabilities, and
 * every change but the last moves the times. */
static int finish_fd(const Node *n, int from, int to) {
        int r;

        if (fchown(to, n->st.st_uid, n->st.st_gid) < 0)
                return copy_error(n, -errno, "set the owner");
        if (fchmod(to, n->st.st_mode & 07777) < 0)
                return copy_error(n, -errno, "set the mode");
        r = copy_xattrs_fd(n, from, to);
        if (r < 0)
                return r;
        if (futimens(to, (const struct timespec[]) { n->st.st_atim, n->st.st_mtim }) < 0)
                return copy_error(n, -errno, "set the times");
        return 0;
}

static int finish_at(const Node *n, bool chmod) {
        int r;

        if (fchownat(n->to_dir, n->to_name, n->st.st_uid, n->st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return copy_error(n, -errno, "set the owner");
        /* a node just made in the copy, which nobody else can reach yet */
        if (chmod && fchmodat(n->to_dir, n->to_name, n->st.st_mode & 07777, 0) < 0)
                return copy_error(n, -errno, "set the mode");
        r = copy_xattrs_at(n);
        if (r < 0)
                return r;
        if (utimensat(n->to_dir, n->to_name, (const struct timespec[]) { n->st.st_atim, n->st.st_mtim },
                      AT_SYMLINK_NOFOLLOW) < 0)
                return copy_error(n, -errno, "set the times");
        return 0;
}

static int copy_bytes(const Node *n, int from, int to) {
        static char buf[65536];
        bool ranges = true;

        for (;;) {
                ssize_t k;

                if (ranges) {
                        k = copy_file_range(from, NULL, to, NULL, SSIZE_MAX, 0);
                        if (k < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
                                ranges = false;
                                continue;
                        }
                        if (k < 0)
                                return copy_error(n, -errno, "copy the content");
                        if (k == 0)
                                return 0;
                        continue;
                }
                k = read(from, buf, sizeof(buf));
                if (k < 0)
                        return copy_error(n, -errno, "read");
                if (k == 0)
                        return 0;
                for (ssize_t done = 0; done < k;) {
                        ssize_t m = write(to, buf + done, (size_t) (k - done));

                        if (m < 0)
                                return copy_error(n, -errno, "write");
                        done += m;
                }
        }
}

static int copy_regular(const Node *n) {
        _cleanup_close_ int from = -EBADF, to = -EBADF;
        struct stat st;
        int r;

        from = openat(n->from_dir, n->from_name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (from < 0)
                return copy_error(n, -errno, "open");
        if (fstat(from, &st) < 0 || !S_ISREG(st.st_mode))
                return copy_error(n, -EAGAIN, "changed while being copied");
        to = openat(n->to_dir, n->to_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (to < 0)
                return copy_error(n, -errno, "create the copy");
        r = copy_bytes(n, from, to);
        if (r < 0)
                return r;
        return finish_fd(n, from, to);
}

static int copy_symlink(const Node *n) {
        char target[PATH_MAX];
        ssize_t k;

        k = readlinkat(n->from_dir, n->from_name, target, sizeof(target));
        if (k < 0)
                return copy_error(n, -errno, "read the symbolic link");
        if ((size_t) k >= sizeof(target))
                return copy_error(n, -ENAMETOOLONG, "read the symbolic link");
        target[k] = 0;
        if (symlinkat(target, n->to_dir, n->to_name) < 0)
                return copy_error(n, -errno, "create the copy");
        return finish_at(n, false);
}

static int copy_node(const Node *n) {
        if (mknodat(n->to_dir, n->to_name, (n->st.st_mode & S_IFMT) | 0600, n->st.st_rdev) < 0)
                return copy_error(n, -errno, "create the copy");
        return finish_at(n, true);
}

static int copy_at(int from_dir, const char *from_name, int to_dir, const char *to_name, const char *shown, dev_t dev,
                   unsigned depth);

static int copy_directory(const Node *n, dev_t dev, unsigned depth) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int from = -EBADF, to = -EBADF;
        int r;

        if (depth >= STATE_DEPTH_MAX)
                return log_error_errno(-ELOOP, "copy %s: more than %d directories deep; refusing to go on", n->shown,
                                       STATE_DEPTH_MAX);
        from = openat(n->from_dir, n->from_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (from < 0)
                return copy_error(n, -errno, "open");
        r = dir_is_other_mount(from, dev);
        if (r < 0)
                return copy_error(n, r, "stat");
        if (r > 0)
                return log_error_errno(-EBUSY, "copy %s: another file system is mounted there; refusing to copy it "
                                       "(unmount it first)", n->shown);
        if (mkdirat(n->to_dir, n->to_name, 0700) < 0)
                return copy_error(n, -errno, "create the copy");
        to = openat(n->to_dir, n->to_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (to < 0)
                return copy_error(n, -errno, "open the copy");
        r = dir_names(from, &names);
        if (r < 0)
                return copy_error(n, r, "read the directory");
        STRV_FOREACH(c, names) {
                _cleanup_free_ char *child = path_join2(n->shown, *c);

                if (!child)
                        return log_oom();
                r = copy_at(from, *c, to, *c, child, dev, depth + 1);
                if (r < 0)
                        return r;
        }
        return finish_fd(n, from, to);
}

static int copy_at(int from_dir, const char *from_name, int to_dir, const char *to_name, const char *shown, dev_t dev,
                   unsigned depth) {
        Node n = { .from_dir = from_dir, .to_dir = to_dir, .from_name = from_name, .to_name = to_name, .shown = shown };

        if (fstatat(from_dir, from_name, &n.st, AT_SYMLINK_NOFOLLOW) < 0)
                return copy_error(&n, -errno, "stat");
        switch (n.st.st_mode & S_IFMT) {
        case S_IFDIR:
                return copy_directory(&n, dev, depth);
        case S_IFREG:
                return copy_regular(&n);
        case S_IFLNK:
                return copy_symlink(&n);
        default:
                /* whiteouts (0:0) and any other device, fifo or socket */
                return copy_node(&n);
        }
}

int tree_copy(int from_dir, const char *from_name, int to_dir, const char *to_name, const char *shown) {
        struct stat st;

        if (fstat(from_dir, &st) < 0)
                return log_error_errno(-errno, "copy %s: %m", shown);
        return copy_at(from_dir, from_name, to_dir, to_name, shown, st.st_dev, 0);
}
