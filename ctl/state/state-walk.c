/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "buffer.h"
#include "json.h"
#include "log.h"
#include "state-walk.h"
#include "state.h"
#include "strv.h"

#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

struct DirFrame {
        int fd; /* -EBADF while closed */
        dev_t dev;
        ino_t ino;
};

int dir_stack_push(DirStack *s, int fd) {
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0) {
                r = -errno;
                close(fd);
                return r;
        }
        if (s->n == s->allocated) {
                size_t k = s->allocated ? s->allocated * 2 : 16;
                struct DirFrame *t = realloc(s->frames, k * sizeof(*t));

                if (!t) {
                        close(fd);
                        return -ENOMEM;
                }
                s->frames = t;
                s->allocated = k;
        }
        s->frames[s->n++] = (struct DirFrame) { .fd = fd, .dev = st.st_dev, .ino = st.st_ino };
        if (s->n > STATE_WALK_OPEN_MAX) {
                struct DirFrame *old = &s->frames[s->n - 1 - STATE_WALK_OPEN_MAX];

                closep(&old->fd);
                old->fd = -EBADF;
        }
        return 0;
}

int dir_stack_top(const DirStack *s) {
        return s->n > 0 ? s->frames[s->n - 1].fd : -EBADF;
}

size_t dir_stack_depth(const DirStack *s) {
        return s->n;
}

/* Opens name below dir as the directory listed (st), or -ESTALE. */
static int open_dir_checked(int dir, const char *name, struct stat *st) {
        _cleanup_close_ int fd = -EBADF;
        struct stat now;

        fd = openat(dir, name, DIR_OPEN_FLAGS);
        if (fd < 0)
                return errno == ENOTDIR || errno == ELOOP ? -ESTALE : -errno;
        if (fstat(fd, &now) < 0)
                return -errno;
        if (!S_ISDIR(now.st_mode) || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
                return -ESTALE;
        *st = now;
        return TAKE_FD(fd);
}

int dir_stack_parent(DirStack *s) {
        struct DirFrame *p;
        struct stat st;
        int fd;

        if (s->n < 2)
                return -EBADF;
        p = &s->frames[s->n - 2];
        if (p->fd >= 0)
                return p->fd;
        /* the directory it was, or the walk would go on somewhere else */
        st = (struct stat) { .st_dev = p->dev, .st_ino = p->ino };
        fd = open_dir_checked(s->frames[s->n - 1].fd, "..", &st);
        if (fd < 0)
                return fd == -ENOENT ? -ESTALE : fd;
        p->fd = fd;
        return fd;
}

int dir_stack_pop(DirStack *s) {
        int r = 0;

        if (s->n == 0)
                return 0;
        if (s->n >= 2)
                r = dir_stack_parent(s);
        closep(&s->frames[--s->n].fd);
        return r < 0 ? r : 0;
}

void dir_stack_done(DirStack *s) {
        for (size_t i = 0; i < s->n; i++)
                closep(&s->frames[i].fd);
        free(s->frames);
        *s = (DirStack) {};
}

const char *state_type_name(mode_t mode) {
        switch (mode & S_IFMT) {
        case S_IFREG:
                return "regular file";
        case S_IFDIR:
                return "directory";
        case S_IFLNK:
                return "symbolic link";
        case S_IFIFO:
                return "fifo";
        case S_IFSOCK:
                return "socket";
        case S_IFCHR:
                return "character device";
        case S_IFBLK:
                return "block device";
        }
        return "unknown";
}

/* A message line holds about 1800 bytes: a path deep in a tree is shown
 * by its start and its end. */
#define SHOWN_HEAD 160
#define SHOWN_TAIL 320

char *state_path_shown(const char *path) {
        _cleanup_buffer_ Buffer b = {};
        size_t n = strlen(path);

        if (n <= SHOWN_HEAD + SHOWN_TAIL)
                escaped_append(&b, path, n);
        else {
                escaped_append(&b, path, SHOWN_HEAD);
                buffer_printf(&b, "[... %zu bytes ...]", n - SHOWN_HEAD - SHOWN_TAIL);
                escaped_append(&b, path + n - SHOWN_TAIL, SHOWN_TAIL);
        }
        if (!b.data)
                buffer_append(&b, "");
        return buffer_steal(&b);
}

int state_log_error(int error, const char *verb, const char *path, const char *what) {
        _cleanup_free_ char *p = state_path_shown(path);

        if (error == -ENOMEM)
                return log_oom();
        if (error == -ESTALE)
                return log_error_errno(error, "%s %s: %s%schanged while being read (replaced or moved); refusing to go on",
                                       verb, p ? p : "?", what ? what : "", what ? ": " : "");
        return log_error_errno(error, "%s %s: %s%s%m", verb, p ? p : "?", what ? what : "", what ? ": " : "");
}

int state_entry_open(const StateEntry *e) {
        _cleanup_close_ int path = -EBADF, fd = -EBADF;
        char proc[64];
        struct stat st;

        /* O_PATH: a device or FIFO put here meanwhile is not opened */
        path = openat(e->dir, e->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (path < 0)
                return -errno;
        if (fstat(path, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_dev != e->st.st_dev || st.st_ino != e->st.st_ino)
                return -ESTALE;
        /* the inode checked, whatever the name now is */
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path);
        fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || st.st_dev != e->st.st_dev || st.st_ino != e->st.st_ino)
                return -ESTALE;
        return TAKE_FD(fd);
}

ssize_t state_entry_readlink(const StateEntry *e, char *buf, size_t size) {
        ssize_t k = readlinkat(e->dir, e->name, buf, size);

        if (k < 0)
                return -errno;
        if ((size_t) k >= size)
                return -ENAMETOOLONG;
        buf[k] = 0;
        return k;
}

typedef struct WalkFrame {
        char **names;     /* its entries, listed when it was entered */
        size_t next;      /* the next of them */
        size_t path_len;  /* of its own path */
        const char *name; /* in the directory above */
        struct stat st;
} WalkFrame;

typedef struct Walk {
        const char *verb;
        dev_t dev; /* of the directory the walk starts in */
        DirStack dirs;
        WalkFrame *frames;
        size_t n, allocated;
        char *path;
        size_t path_len, path_size;
        StateWalkFunc f;
        void *userdata;
} Walk;

static void walk_done(Walk *w) {
        for (size_t i = 0; i < w->n; i++)
                strv_free(w->frames[i].names);
        free(w->frames);
        free(w->path);
        dir_stack_done(&w->dirs);
}

/* The path up to len bytes, then "/name" when name is given. */
static int path_set(Walk *w, size_t len, const char *name) {
        size_t need = len + (name ? strlen(name) + 1 : 0) + 1;

        if (need > w->path_size) {
                size_t k = need * 2;
                char *t = realloc(w->path, k);

                if (!t)
                        return log_oom();
                w->path = t;
                w->path_size = k;
        }
        w->path_len = len;
        if (name) {
                /* none before the top, nor after a "/" of its own */
                if (len > 0 && !(len == 1 && w->path[0] == '/'))
                        w->path[w->path_len++] = '/';
                memcpy(w->path + w->path_len, name, strlen(name));
                w->path_len += strlen(name);
        }
        w->path[w->path_len] = 0;
        return 0;
}

static void stat_from_statx(struct stat *st, const struct statx *sx) {
        *st = (struct stat) {
                .st_dev = makedev(sx->stx_dev_major, sx->stx_dev_minor),
                .st_ino = sx->stx_ino,
                .st_mode = sx->stx_mode,
                .st_nlink = sx->stx_nlink,
                .st_uid = sx->stx_uid,
                .st_gid = sx->stx_gid,
                .st_rdev = makedev(sx->stx_rdev_major, sx->stx_rdev_minor),
                .st_size = (off_t) sx->stx_size,
                .st_blksize = (blksize_t) sx->stx_blksize,
                .st_blocks = (blkcnt_t) sx->stx_blocks,
                .st_atim = { .tv_sec = sx->stx_atime.tv_sec, .tv_nsec = sx->stx_atime.tv_nsec },
                .st_mtim = { .tv_sec = sx->stx_mtime.tv_sec, .tv_nsec = sx->stx_mtime.tv_nsec },
                .st_ctim = { .tv_sec = sx->stx_ctime.tv_sec, .tv_nsec = sx->stx_ctime.tv_nsec },
        };
}

/* e's stat, as listed: 0, -ENOENT when it vanished (not logged), or
 * -errno after logging. */
static int look(Walk *w, StateEntry *e) {
        struct statx sx;

        if (statx(e->dir, e->name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_BASIC_STATS, &sx) < 0)
                return errno == ENOENT ? -ENOENT : state_log_error(-errno, w->verb, w->path, "stat");
        stat_from_statx(&e->st, &sx);
        e->other_mount = e->st.st_dev != w->dev;
#ifdef STATX_ATTR_MOUNT_ROOT
        /* the same file system mounted once more (a bind mount) */
        if ((sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) && (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
                e->other_mount = true;
#endif
        return 0;
}

/* The directory e: opened, handed to f, listed and pushed. */
static int enter(Walk *w, StateEntry *e) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_strv_free_ char **names = NULL;
        int r;

        fd = open_dir_checked(e->dir, e->name, &e->st);
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return state_log_error(fd, w->verb, w->path, "open");
        e->event = STATE_ENTER;
        e->fd = fd;
        r = w->f(e, w->userdata);
        if (r < 0)
                return r;
        r = dir_names(fd, &names);
        if (r < 0)
                return state_log_error(r, w->verb, w->path, "read the directory");
        if (w->n == w->allocated) {
                size_t k = w->allocated ? w->allocated * 2 : 16;
                WalkFrame *t = realloc(w->frames, k * sizeof(*t));

                if (!t)
                        return log_oom();
                w->frames = t;
                w->allocated = k;
        }
        r = dir_stack_push(&w->dirs, TAKE_FD(fd));
        if (r < 0)
                return state_log_error(r, w->verb, w->path, "open");
        w->frames[w->n++] = (WalkFrame) {
                .names = TAKE_PTR(names), .path_len = w->path_len, .name = e->name, .st = e->st,
        };
        return 0;
}

/* The deepest directory, all of it walked: handed to f, and dropped. */
static int leave(Walk *w, int top_dir) {
        WalkFrame *t = &w->frames[w->n - 1];
        StateEntry e = {
                .event = STATE_LEAVE, .name = t->name, .st = t->st, .names = t->names, .depth = w->n - 1,
                .fd = dir_stack_top(&w->dirs), .dir = top_dir,
        };
        int r;

        r = path_set(w, t->path_len, NULL);
        if (r < 0)
                return r;
        e.path = w->path;
        if (w->n > 1) {
                e.dir = dir_stack_parent(&w->dirs);
                if (e.dir < 0)
                        return state_log_error(e.dir, w->verb, w->path, "open the directory it is in");
        }
        r = w->f(&e, w->userdata);
        strv_free(t->names);
        w->n--;
        (void) dir_stack_pop(&w->dirs); /* the one below is open already */
        return r;
}

int state_walk(int dir, const char *name, const char *shown, const char *verb, StateWalkFunc f, void *userdata) {
        _cleanup_(walk_done) Walk w = { .verb = verb, .f = f, .userdata = userdata };
        StateEntry e = { .dir = dir, .name = name, .fd = -EBADF };
        struct stat st;
        int r;

        if (fstat(dir, &st) < 0)
                return state_log_error(-errno, verb, shown, NULL);
        w.dev = st.st_dev;
        r = path_set(&w, 0, shown);
        if (r < 0)
                return r;
        e.path = w.path;

        r = look(&w, &e);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        if (!S_ISDIR(e.st.st_mode) || e.other_mount) {
                e.event = STATE_ENTRY;
                return f(&e, userdata);
        }
        r = enter(&w, &e);
        if (r < 0)
                return r;

        while (w.n > 0) {
                WalkFrame *t = &w.frames[w.n - 1];

                if (!t->names[t->next]) {
                        r = leave(&w, dir);
                        if (r < 0)
                                return r;
                        continue;
                }
                StateEntry c = { .dir = dir_stack_top(&w.dirs), .name = t->names[t->next++], .depth = w.n, .fd = -EBADF };

                r = path_set(&w, t->path_len, c.name);
                if (r < 0)
                        return r;
                c.path = w.path;
                r = look(&w, &c);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return r;
                if (S_ISDIR(c.st.st_mode) && !c.other_mount)
                        r = enter(&w, &c);
                else {
                        c.event = STATE_ENTRY;
                        r = w.f(&c, w.userdata);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}
