/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The owners of a tree moved from one range of IDs to another
 * (userns-shift.h). */
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "userns-shift.h"

/* The extended attributes' layouts as the kernel gives and takes them
 * (linux/capability.h, linux/posix_acl_xattr.h), little-endian: a file
 * capability, "magic" (revision and flags), {permitted, inheritable}
 * once (revision 1) or twice (2, 3), and with revision 3 the UID of the
 * root of the namespaces it works in; an ACL, a version (2) and entries
 * {tag, perm, id}. */
#define CAP_XATTR "security.capability"
#define CAP_REVISION_MASK 0xFF000000u
#define CAP_REVISION_1 0x01000000u
#define CAP_REVISION_2 0x02000000u
#define CAP_REVISION_3 0x03000000u
#define CAP_SIZE_1 12
#define CAP_SIZE_2 20
#define CAP_SIZE_3 24
#define ACL_XATTR_ACCESS "system.posix_acl_access"
#define ACL_XATTR_DEFAULT "system.posix_acl_default"
#define ACL_XATTR_VERSION 2
#define ACL_TAG_USER 0x02
#define ACL_TAG_GROUP 0x08
#define ACL_XATTR_MAX 65536 /* XATTR_SIZE_MAX */

/* How many directories of the walk are held open at most: one above them
 * is opened again as ".." of its child when the walk climbs back. */
#define OPEN_MAX 32

typedef struct Shift {
        uint32_t from, to, size;
} Shift;

/* id as it is to be: 0 and *ret, or -ERANGE when it is in neither range */
static int shift_id(const Shift *s, uint32_t id, uint32_t *ret) {
        if (id - s->from < s->size)
                *ret = s->to + (id - s->from);
        else if (id - s->to < s->size)
                *ret = id;
        else
                return -ERANGE;
        return 0;
}

static uint32_t get_le32(const uint8_t *p) {
        uint32_t v;

        memcpy(&v, p, sizeof(v));
        return le32toh(v);
}

static void put_le32(uint8_t *p, uint32_t v) {
        v = htole32(v);
        memcpy(p, &v, sizeof(v));
}

typedef struct Xattr {
        uint8_t value[ACL_XATTR_MAX];
        ssize_t size;  /* -1: none */
        bool changed;
} Xattr;

/* The attribute name of the file at p (/proc/self/fd/N) into x (size -1
 * when it has none). */
static int xattr_get(const char *p, const char *name, Xattr *x) {
        x->changed = false;
        x->size = getxattr(p, name, x->value, sizeof(x->value));
        if (x->size >= 0)
                return 0;
        x->size = -1;
        return errno == ENODATA || errno == EOPNOTSUPP ? 0 : -errno;
}

/* The ACL x with its named users and groups shifted. */
static int acl_shift(const Shift *s, Xattr *x, const char *path, const char *name) {
        if (x->size < 0)
                return 0;
        if (x->size < 4 || (x->size - 4) % 8 != 0 || get_le32(x->value) != ACL_XATTR_VERSION)
                return log_error_errno(-EBADMSG, "user namespace: %s: %s is not an ACL of version %d; not shifted",
                                       path, name, ACL_XATTR_VERSION);
        for (ssize_t o = 4; o < x->size; o += 8) {
                uint16_t tag = (uint16_t) (x->value[o] | x->value[o + 1] << 8);
                uint32_t id = get_le32(x->value + o + 4), now;

                if (tag != ACL_TAG_USER && tag != ACL_TAG_GROUP)
                        continue;
                if (shift_id(s, id, &now) < 0)
                        return log_error_errno(-ERANGE, "user namespace: %s: its ACL (%s) names %s %u, outside "
                                               "%u-%u and %u-%u; nothing of it changed", path, name,
                                               tag == ACL_TAG_USER ? "user" : "group", id, s->from,
                                               s->from + s->size - 1, s->to, s->to + s->size - 1);
                if (now != id) {
                        put_le32(x->value + o + 4, now);
                        x->changed = true;
                }
        }
        return 0;
}

/* The file capability x with the root it works for shifted: revision 1
 * and 2 are root's of the initial namespace (ID 0), 3 names it; the new
 * one is revision 2 for ID 0, else 3. */
static int cap_shift(const Shift *s, Xattr *x, const char *path) {
        uint32_t magic, rev, root = 0, now;
        uint8_t v[CAP_SIZE_3] = {};

        if (x->size < 0)
                return 0;
        magic = x->size >= 4 ? get_le32(x->value) : 0;
        rev = magic & CAP_REVISION_MASK;
        if (!((rev == CAP_REVISION_1 && x->size == CAP_SIZE_1) || (rev == CAP_REVISION_2 && x->size == CAP_SIZE_2) ||
              (rev == CAP_REVISION_3 && x->size == CAP_SIZE_3)))
                return log_error_errno(-EBADMSG, "user namespace: %s: %s is not a file capability the kernel "
                                       "writes; not shifted", path, CAP_XATTR);
        if (rev == CAP_REVISION_3)
                root = get_le32(x->value + CAP_SIZE_2);
        if (shift_id(s, root, &now) < 0)
                return log_error_errno(-ERANGE, "user namespace: %s: its file capabilities are for the root of UID "
                                       "%u, outside %u-%u and %u-%u; nothing of it changed", path, root, s->from,
                                       s->from + s->size - 1, s->to, s->to + s->size - 1);
        if (now == root)
                return 0;
        memcpy(v, x->value, (size_t) (rev == CAP_REVISION_1 ? CAP_SIZE_1 : CAP_SIZE_2));
        put_le32(v, (magic & ~CAP_REVISION_MASK) | (now == 0 ? CAP_REVISION_2 : CAP_REVISION_3));
        if (now != 0)
                put_le32(v + CAP_SIZE_2, now);
        memcpy(x->value, v, sizeof(v));
        x->size = now == 0 ? CAP_SIZE_2 : CAP_SIZE_3;
        x->changed = true;
        return 0;
}

typedef struct FileXattrs {
        Xattr access, def, cap;
} FileXattrs;

/* The flags of the regular file or directory at p (/proc/self/fd/N)
 * into *flags, and when they are in the way of a change, cleared, with
 * *ret_fd the fd to set them again on; none: *ret_fd stays -EBADF. */
static int flags_clear(const char *p, const struct stat *st, int *ret_fd, int *flags) {
        _cleanup_close_ int fd = -EBADF;
        int f;

        /* p is the link to the very file: not O_NOFOLLOW */
        fd = open(p, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (S_ISDIR(st->st_mode) ? O_DIRECTORY : 0));
        if (fd < 0)
                return -errno;
        if (ioctl(fd, FS_IOC_GETFLAGS, flags) < 0)
                return errno == ENOTTY || errno == EOPNOTSUPP || errno == EINVAL ? 0 : -errno;
        if (!(*flags & (FS_IMMUTABLE_FL | FS_APPEND_FL)))
                return 0;
        f = *flags & ~(FS_IMMUTABLE_FL | FS_APPEND_FL);
        if (ioctl(fd, FS_IOC_SETFLAGS, &f) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        return 1;
}

/* The changes shift_file() found, made: owner, ACLs, file capabilities,
 * and the set-ID bits chown cleared. Returns 1 or -errno after logging. */
static int shift_apply(int fd, const struct stat *st, const char *p, const char *path, uint32_t uid, uint32_t gid,
                       bool chown_it, const FileXattrs *xa) {
        struct stat now;

        if (chown_it && fchownat(fd, "", uid, gid, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
                return log_error_errno(-errno, "user namespace: %s: change its owner to %u:%u: %m", path, uid, gid);
        if (S_ISLNK(st->st_mode))
                return 1;
        if (xa->access.changed && setxattr(p, ACL_XATTR_ACCESS, xa->access.value, (size_t) xa->access.size, 0) < 0)
                return log_error_errno(-errno, "user namespace: %s: write its ACL: %m", path);
        if (xa->def.changed && setxattr(p, ACL_XATTR_DEFAULT, xa->def.value, (size_t) xa->def.size, 0) < 0)
                return log_error_errno(-errno, "user namespace: %s: write its default ACL: %m", path);
        /* a change of owner drops the capabilities: written again */
        if ((xa->cap.changed || (chown_it && xa->cap.size >= 0)) &&
            setxattr(p, CAP_XATTR, xa->cap.value, (size_t) xa->cap.size, 0) < 0)
                return log_error_errno(-errno, "user namespace: %s: write its file capabilities: %m", path);
        /* and its set-ID bits */
        if (fstat(fd, &now) < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        if ((now.st_mode & 07777) != (st->st_mode & 07777) && chmod(p, st->st_mode & 07777) < 0)
                return log_error_errno(-errno, "user namespace: %s: set its mode %04o again: %m", path,
                                       (unsigned) (st->st_mode & 07777));
        return 1;
}

/* The file fd (O_PATH, or a directory's) with status st, shifted: 1 when
 * it changed, 0 when it was as it is to be. Everything is read and
 * checked before the first change. */
static int shift_file(const Shift *s, int fd, const struct stat *st, const char *path, FileXattrs *xa) {
        char p[64];
        uint32_t uid, gid;
        bool chown_it;
        int r;

        if (shift_id(s, st->st_uid, &uid) < 0 || shift_id(s, st->st_gid, &gid) < 0)
                return log_error_errno(-ERANGE, "user namespace: %s: owned by UID %u, GID %u, outside %u-%u and "
                                       "%u-%u; not shifted", path, (unsigned) st->st_uid, (unsigned) st->st_gid,
                                       s->from, s->from + s->size - 1, s->to, s->to + s->size - 1);
        chown_it = uid != st->st_uid || gid != st->st_gid;
        xa->access.size = xa->def.size = xa->cap.size = -1;
        xa->access.changed = xa->def.changed = xa->cap.changed = false;
        snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
        /* a symbolic link has none of them; the kernel keeps file
         * capabilities on regular files alone */
        if (!S_ISLNK(st->st_mode)) {
                r = xattr_get(p, ACL_XATTR_ACCESS, &xa->access);
                if (r >= 0 && S_ISDIR(st->st_mode))
                        r = xattr_get(p, ACL_XATTR_DEFAULT, &xa->def);
                if (r >= 0 && S_ISREG(st->st_mode))
                        r = xattr_get(p, CAP_XATTR, &xa->cap);
                if (r < 0)
                        return log_error_errno(r, "user namespace: %s: read its extended attributes: %m", path);
                r = acl_shift(s, &xa->access, path, ACL_XATTR_ACCESS);
                if (r >= 0)
                        r = acl_shift(s, &xa->def, path, ACL_XATTR_DEFAULT);
                if (r >= 0)
                        r = cap_shift(s, &xa->cap, path);
                if (r < 0)
                        return r;
        }
        if (!chown_it && !xa->access.changed && !xa->def.changed && !xa->cap.changed)
                return 0;

        /* an immutable or append-only file (chattr +i, +a: a service with
         * CAP_LINUX_IMMUTABLE may have set them) takes no change: the
         * flags are cleared for it and set again after */
        _cleanup_close_ int ffd = -EBADF;
        int flags = 0;

        if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode)) {
                r = flags_clear(p, st, &ffd, &flags);
                if (r < 0)
                        return log_error_errno(r, "user namespace: %s: clear its immutable or append-only flag: %m",
                                               path);
        }
        r = shift_apply(fd, st, p, path, uid, gid, chown_it, xa);
        if (ffd >= 0 && ioctl(ffd, FS_IOC_SETFLAGS, &flags) < 0 && r >= 0)
                r = log_error_errno(-errno, "user namespace: %s: set its immutable or append-only flag again: %m",
                                    path);
        return r;
}

typedef struct Frame {
        int fd;             /* -EBADF once closed, as one of the deeper ones */
        dev_t dev;
        ino_t ino;
        char **names;
        size_t n, next;
        char *path;
} Frame;

typedef struct Walk {
        Frame *frames;
        size_t n, allocated;
} Walk;

static void fd_close(int *fd) {
        if (*fd >= 0)
                close(*fd);
        *fd = -EBADF;
}

static void frame_done(Frame *f) {
        fd_close(&f->fd);
        for (size_t i = 0; i < f->n; i++)
                free(f->names[i]);
        free(f->names);
        free(f->path);
}

static void walk_done(Walk *w) {
        for (size_t i = 0; i < w->n; i++)
                frame_done(&w->frames[i]);
        free(w->frames);
}

/* The names in directory fd, but "." and "..". */
static int list_names(int fd, char ***ret, size_t *ret_n) {
        _cleanup_closedir_ DIR *d = NULL;
        char **names = NULL;
        size_t n = 0, allocated = 0;
        struct dirent *de;
        int dfd, r = 0;

        dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return -errno;
        d = fdopendir(dfd);
        if (!d) {
                close(dfd);
                return -errno;
        }
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (n == allocated) {
                        char **t = reallocarray(names, allocated ? allocated * 2 : 16, sizeof(char *));

                        if (!t) {
                                r = -ENOMEM;
                                break;
                        }
                        names = t;
                        allocated = allocated ? allocated * 2 : 16;
                }
                names[n] = strdup(de->d_name);
                if (!names[n]) {
                        r = -ENOMEM;
                        break;
                }
                n++;
        }
        if (r == 0 && errno != 0)
                r = -errno;
        if (r < 0) {
                for (size_t i = 0; i < n; i++)
                        free(names[i]);
                free(names);
                return r;
        }
        *ret = names;
        *ret_n = n;
        return 0;
}

/* Pushes directory fd (taken over), with path (taken over); closes the
 * one OPEN_MAX above it. */
static int walk_push(Walk *w, int fd, const struct stat *st, char *path) {
        Frame f = { .fd = fd, .dev = st->st_dev, .ino = st->st_ino, .path = path };
        int r;

        r = list_names(fd, &f.names, &f.n);
        if (r < 0) {
                frame_done(&f);
                return r;
        }
        if (w->n == w->allocated) {
                size_t k = w->allocated ? w->allocated * 2 : 16;
                Frame *t = reallocarray(w->frames, k, sizeof(Frame));

                if (!t) {
                        frame_done(&f);
                        return -ENOMEM;
                }
                w->frames = t;
                w->allocated = k;
        }
        w->frames[w->n++] = f;
        if (w->n > OPEN_MAX)
                fd_close(&w->frames[w->n - 1 - OPEN_MAX].fd);
        return 0;
}

/* Drops the top frame; the one below is open again, as ".." of it, and
 * must be the directory it was. */
static int walk_pop(Walk *w) {
        Frame *top = &w->frames[w->n - 1], *below = w->n > 1 ? &w->frames[w->n - 2] : NULL;
        int r = 0;

        if (below && below->fd < 0) {
                struct stat st;

                below->fd = openat(top->fd, "..", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (below->fd < 0)
                        r = log_error_errno(-errno, "user namespace: %s: open it again: %m", below->path);
                else if (fstat(below->fd, &st) < 0)
                        r = log_error_errno(-errno, "user namespace: %s: %m", below->path);
                else if (st.st_dev != below->dev || st.st_ino != below->ino)
                        r = log_error_errno(-ESTALE, "user namespace: %s was moved while its files were shifted",
                                            below->path);
        }
        frame_done(top);
        w->n--;
        return r;
}

/* The entry name of the top frame: shifted, and pushed when it is a
 * directory. Returns 1 when it changed, 0, or -errno after logging. */
static int walk_entry(Walk *w, const Shift *s, dev_t dev, const char *name, FileXattrs *xa) {
        Frame *f = &w->frames[w->n - 1];
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *path = NULL;
        struct stat st;
        int r, changed;

        if (asprintf(&path, "%s/%s", f->path, name) < 0)
                return log_oom();
        fd = openat(f->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return 0;
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        /* another file system mounted there: its files are not the state's */
        if (st.st_dev != dev) {
                log_debug("user namespace: %s is a mount point; not entered", path);
                return 0;
        }
        changed = shift_file(s, fd, &st, path, xa);
        if (changed < 0 || !S_ISDIR(st.st_mode))
                return changed;
        {
                int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

                if (dfd < 0)
                        return log_error_errno(-errno, "user namespace: %s: %m", path);
                r = walk_push(w, dfd, &st, TAKE_PTR(path));
        }
        if (r < 0)
                return log_error_errno(r, "user namespace: %s/%s: list it: %m", w->frames[w->n - 1].path, name);
        return changed;
}

int userns_shift_tree(int dir, const char *path, uint32_t from, uint32_t to, uint32_t size) {
        _cleanup_free_ FileXattrs *xa = malloc(sizeof(FileXattrs));
        const Shift s = { from, to, size };
        Walk w = {};
        struct stat st;
        int fd, r;
        long changed = 0;

        if (!xa)
                return log_oom();
        if (size == 0 || (uint64_t) from + size > UINT32_MAX || (uint64_t) to + size > UINT32_MAX ||
            (from != to && from < to + size && to < from + size))
                return log_error_errno(-EINVAL, "user namespace: %u-%u to %u: not two ranges of IDs apart", from,
                                       from + size - 1, to);
        if (fstat(dir, &st) < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        if (!S_ISDIR(st.st_mode))
                return log_error_errno(-ENOTDIR, "user namespace: %s: not a directory", path);
        r = shift_file(&s, dir, &st, path, xa);
        if (r < 0)
                return r;
        changed += r;

        fd = fcntl(dir, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        {
                char *p = strdup(path);

                r = p ? walk_push(&w, fd, &st, p) : (close(fd), -ENOMEM);
        }
        if (r < 0)
                return log_error_errno(r, "user namespace: %s: list it: %m", path);
        while (w.n > 0) {
                Frame *f = &w.frames[w.n - 1];

                if (f->next == f->n) {
                        r = walk_pop(&w);
                } else {
                        const char *name = f->names[f->next++];

                        r = walk_entry(&w, &s, st.st_dev, name, xa);
                        if (r > 0)
                                changed++;
                }
                if (r < 0)
                        break;
        }
        walk_done(&w);
        if (r < 0)
                return r;
        return changed > INT32_MAX ? INT32_MAX : (int) changed;
}

int userns_shift_state(int state, const char *shown, uint32_t from, uint32_t to, uint32_t size) {
        static const char *const dirs[] = USERNS_SHIFT_DIRS;
        long changed = 0;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_close_ int parent = -EBADF, fd = -EBADF;
                char path[PATH_MAX], top[8];
                const char *slash = strchr(dirs[i], '/');
                int r;

                snprintf(top, sizeof(top), "%.*s", (int) (slash - dirs[i]), dirs[i]);
                snprintf(path, sizeof(path), "%s/%s", shown, dirs[i]);
                parent = openat(state, top, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (parent >= 0)
                        fd = openat(parent, slash + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 && errno == ENOENT)
                        continue;
                if (fd < 0 && (errno == ENOTDIR || errno == ELOOP))
                        return log_error_errno(-ENOTDIR, "user namespace: %s is not a directory, or a symbolic link; "
                                               "not shifted", path);
                if (fd < 0)
                        return log_error_errno(-errno, "user namespace: %s: %m", path);
                r = userns_shift_tree(fd, path, from, to, size);
                if (r < 0)
                        return r;
                changed += r;
        }
        return changed > INT32_MAX ? INT32_MAX : (int) changed;
}
