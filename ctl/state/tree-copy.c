/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A copy of a state directory that an overlay can use as it used the
 * original: owners, modes, timestamps and extended attributes (the
 * overlay's own trusted.overlay.* among them) are kept, and so are
 * whiteouts (character devices 0:0), fifos, sockets and symbolic links,
 * which are copied, never followed nor opened. Other device nodes are
 * left out. Hard links become separate copies; the holes of a sparse
 * file stay holes. The source is walked with state_walk(), to any depth.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "log.h"
#include "state-walk.h"
#include "state.h"

typedef struct Node {
        int from_dir, to_dir;
        const char *from_name, *to_name;
        const char *shown; /* the source's path, for messages */
        struct stat st;
} Node;

static int copy_error(const Node *n, int error, const char *what) {
        return state_log_error(error, "copy", n->shown, what);
}

static int xattr_error(const Node *n, int error, const char *verb, const char *name) {
        _cleanup_free_ char *what = NULL, *shown = state_path_shown(name);

        if (!shown || asprintf(&what, "%s extended attribute %s", verb, shown) < 0)
                return log_oom();
        return copy_error(n, error, what);
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
                        return xattr_error(n, -errno, "read", a);
                if ((size_t) k > value_size) {
                        free(value);
                        value = malloc((size_t) k);
                        if (!value)
                                return log_oom();
                        value_size = (size_t) k;
                }
                k = follow ? getxattr(from, a, value, value_size) : lgetxattr(from, a, value, value_size);
                if (k < 0)
                        return xattr_error(n, -errno, "read", a);
                if ((follow ? setxattr(to, a, value, (size_t) k, 0) : lsetxattr(to, a, value, (size_t) k, 0)) < 0)
                        return xattr_error(n, -errno, "set", a);
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

static off_t off_min(off_t a, off_t b) {
        return a < b ? a : b;
}

/* [off, end) of from into to at the same offsets */
static int copy_range(const Node *n, int from, int to, off_t off, off_t end) {
        static char buf[65536];
        bool ranges = true;

        while (off < end) {
                off_t in = off, out = off;
                ssize_t k;

                if (ranges) {
                        k = copy_file_range(from, &in, to, &out, (size_t) off_min(end - off, SSIZE_MAX), 0);
                        if (k < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) {
                                ranges = false;
                                continue;
                        }
                        if (k < 0)
                                return copy_error(n, -errno, "copy the content");
                        if (k == 0)
                                return 0; /* shorter than it was */
                        off += k;
                        continue;
                }
                k = pread(from, buf, (size_t) off_min(end - off, (off_t) sizeof(buf)), off);
                if (k < 0)
                        return copy_error(n, -errno, "read");
                if (k == 0)
                        return 0;
                for (ssize_t done = 0; done < k;) {
                        ssize_t m = pwrite(to, buf + done, (size_t) (k - done), off + done);

                        if (m < 0)
                                return copy_error(n, -errno, "write");
                        done += m;
                }
                off += k;
        }
        return 0;
}

/* The data of from, extent by extent, and its size: the holes of a
 * sparse file stay holes (copy_file_range() alone writes them out as
 * zeros, so that a service's file of a terabyte of nothing would fill
 * the host's disk on a clone). */
static int copy_bytes(const Node *n, int from, int to) {
        struct stat st;
        off_t pos = 0;

        if (fstat(from, &st) < 0)
                return copy_error(n, -errno, "read the status of");
        while (pos < st.st_size) {
                off_t data = lseek(from, pos, SEEK_DATA), hole;
                int r;

                if (data < 0 && errno == ENXIO)
                        break; /* a hole to the end */
                if (data < 0)
                        data = pos, hole = st.st_size; /* no holes known here */
                else {
                        hole = lseek(from, data, SEEK_HOLE);
                        if (hole < 0)
                                hole = st.st_size;
                }
                r = copy_range(n, from, to, data, off_min(hole, st.st_size));
                if (r < 0)
                        return r;
                pos = hole > data ? hole : data + 1;
        }
        if (ftruncate(to, st.st_size) < 0)
                return copy_error(n, -errno, "set the size of");
        return 0;
}

static int copy_regular(const Node *n, const StateEntry *e) {
        _cleanup_close_ int from = -EBADF, to = -EBADF;
        int r;

        from = state_entry_open(e);
        if (from < 0)
                return copy_error(n, from, "open");
        to = openat(n->to_dir, n->to_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (to < 0)
                return copy_error(n, -errno, "create the copy");
        r = copy_bytes(n, from, to);
        if (r < 0)
                return r;
        return finish_fd(n, from, to);
}

static int copy_symlink(const Node *n, const StateEntry *e) {
        char target[PATH_MAX];
        ssize_t k;

        k = state_entry_readlink(e, target, sizeof(target));
        if (k < 0)
                return copy_error(n, (int) k, "read the symbolic link");
        if (symlinkat(target, n->to_dir, n->to_name) < 0)
                return copy_error(n, -errno, "create the copy");
        return finish_at(n, false);
}

static int copy_node(const Node *n) {
        if (mknodat(n->to_dir, n->to_name, (n->st.st_mode & S_IFMT) | 0600, n->st.st_rdev) < 0)
                return copy_error(n, -errno, "create the copy");
        return finish_at(n, true);
}

/* A device node is never made on the host from what a service left: the
 * overlays are nodev, so it served the sandbox nothing, and outside one
 * it would give access to the device. */
static int skip_device(const StateEntry *e) {
        _cleanup_free_ char *p = state_path_shown(e->path);

        if (!p)
                return log_oom();
        log_warning("copy %s: a %s (%u:%u), not copied: device nodes made in a sandbox are left out", p,
                    state_type_name(e->st.st_mode), major(e->st.st_rdev), minor(e->st.st_rdev));
        return 0;
}

typedef struct Copy {
        int to_dir;          /* where the copy of the top goes */
        const char *to_name;
        DirStack to;         /* the copy's directories, as deep as the walk is */
} Copy;

static int copy_entry(const StateEntry *e, void *userdata) {
        Copy *c = userdata;
        Node n = {
                .from_dir = e->dir, .from_name = e->name, .st = e->st, .shown = e->path,
                .to_dir = e->depth == 0 ? c->to_dir : dir_stack_top(&c->to),
                .to_name = e->depth == 0 ? c->to_name : e->name,
        };
        _cleanup_close_ int to = -EBADF;
        int r;

        if (e->other_mount)
                return copy_error(&n, -EBUSY, "another file system is mounted there; refusing to copy it (unmount it "
                                  "first)");
        switch (e->event) {
        case STATE_ENTER:
                if (mkdirat(n.to_dir, n.to_name, 0700) < 0)
                        return copy_error(&n, -errno, "create the copy");
                to = openat(n.to_dir, n.to_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (to < 0)
                        return copy_error(&n, -errno, "open the copy");
                r = dir_stack_push(&c->to, TAKE_FD(to));
                return r < 0 ? copy_error(&n, r, "open the copy") : 0;
        case STATE_LEAVE:
                /* last: every entry made in it moved its times */
                r = finish_fd(&n, e->fd, dir_stack_top(&c->to));
                if (r < 0)
                        return r;
                r = dir_stack_pop(&c->to);
                return r < 0 ? copy_error(&n, r, "open the copy of the directory it is in") : 0;
        case STATE_ENTRY:
                break;
        }
        switch (e->st.st_mode & S_IFMT) {
        case S_IFREG:
                return copy_regular(&n, e);
        case S_IFLNK:
                return copy_symlink(&n, e);
        case S_IFCHR:
        case S_IFBLK:
                if (S_ISCHR(e->st.st_mode) && e->st.st_rdev == makedev(0, 0))
                        return copy_node(&n); /* a whiteout */
                return skip_device(e);
        default:
                /* fifos and sockets: nothing but the node */
                return copy_node(&n);
        }
}

int tree_copy(int from_dir, const char *from_name, int to_dir, const char *to_name, const char *shown) {
        Copy c = { .to_dir = to_dir, .to_name = to_name };
        int r;

        r = state_walk(from_dir, from_name, shown, "copy", copy_entry, &c);
        dir_stack_done(&c.to);
        return r;
}
