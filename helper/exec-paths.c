/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * NoExecPaths= and ExecPaths= as mount flags. Every path is first made a
 * mount point (a recursive bind onto itself: what was mounted or masked
 * below it stays so), so that noexec covers exactly what lies below it.
 * Then, from /proc/self/mountinfo read once, each mount's flag is
 * decided by the longest path of the profile its mount point lies
 * below: noexec is set recursively below every no-exec path, and taken
 * off again, one mount at a time, on the mounts below a longer exec path
 * that were not noexec before any of this. A mount hidden under another
 * one at the same point cannot be told apart from it by path and keeps
 * noexec.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec-paths.h"
#include "log.h"
#include "macro.h"
#include "mount-util.h"
#include "mountinfo.h"
#include "paths.h"
#include "strv.h"

#define EXEC_PATHS_MAX 256

typedef struct ExecPath {
        const char *spec;       /* as given: "PATH" or "-PATH" */
        bool exec;
        char real[PATH_MAX];    /* where it resolved, as this namespace shows it */
} ExecPath;

typedef struct MountEntry {
        uint64_t id;
        bool noexec;            /* before any path was applied */
        const ExecPath *rule;   /* the longest path it lies below; NULL: none */
        char *point;            /* as this namespace shows it */
} MountEntry;

static const char *kind_of(const ExecPath *e) {
        return e->exec ? "exec path" : "no-exec path";
}

static uint64_t mount_id_of(int fd) {
        struct statx sx;

        if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0 || !(sx.stx_mask & STATX_MNT_ID))
                return 0;
        return sx.stx_mnt_id;
}

/* The path inside root, as a mount point of its own; false in *skip for
 * an optional one the root lacks. */
static int make_mount_point(int root, const char *root_real, ExecPath *e, bool *skip) {
        const char *path = e->spec + (e->spec[0] == '-');
        _cleanup_close_ int fd = -EBADF, parent = -EBADF, top = -EBADF;
        uint64_t id, parent_id;
        char p[FD_PATH_MAX];
        int r;

        *skip = false;
        fd = open_in_root(root, path, CREATE_NONE, kind_of(e));
        if ((fd == -ENOENT || fd == -ENOTDIR) && e->spec[0] == '-') {
                (void) log_errno(LOG_LEVEL_DEBUG, fd, "%s %s: not in the sandbox (%m), optional: left out", kind_of(e), path);
                *skip = true;
                return 0;
        }
        if (fd < 0)
                return log_error_errno(fd, "%s %s: %m", kind_of(e), path);
        parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0 && errno == ENOTDIR) {
                /* a file: its directory is the one it was found in */
                r = fd_real_path(fd, e->real);
                if (r < 0)
                        return log_error_errno(r, "%s %s: %m", kind_of(e), path);
                *strrchr(e->real, '/') = 0;
                parent = open(*e->real ? e->real : "/", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (parent < 0)
                return log_error_errno(-errno, "%s %s: %m", kind_of(e), path);
        id = mount_id_of(fd);
        parent_id = mount_id_of(parent);
        if (id == 0 || parent_id == 0)
                return log_error_errno(-EOPNOTSUPP, "%s %s: the kernel does not tell a mount's id (Linux 5.8 does): %m",
                                       kind_of(e), path);
        if (id == parent_id) {
                fd_path(fd, p);
                if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
                        return log_error_errno(-errno, "%s %s: bind it onto itself: %m", kind_of(e), path);
        }
        /* fd still names what lies under the bind */
        top = open_in_root(root, path, CREATE_NONE, kind_of(e));
        if (top < 0)
                return log_error_errno(top, "%s %s: %m", kind_of(e), path);
        r = fd_real_path(top, e->real);
        if (r < 0)
                return log_error_errno(r, "%s %s: %m", kind_of(e), path);
        if (!path_is_at_or_below(e->real, root_real))
                return log_error_errno(-EXDEV, "%s %s: resolved to %s, outside the sandbox's root", kind_of(e), path,
                                       e->real);
        return 0;
}

static size_t path_length(const ExecPath *e) {
        return strlen(e->real);
}

static int by_length(const void *a, const void *b) {
        size_t x = path_length(a), y = path_length(b);

        return x < y ? -1 : x > y;
}

static int by_given_length(const void *a, const void *b) {
        const ExecPath *x = a, *y = b;
        size_t lx = strlen(x->spec + (x->spec[0] == '-')), ly = strlen(y->spec + (y->spec[0] == '-'));

        return lx < ly ? -1 : lx > ly;
}

/* "noexec" among a mountinfo line's per-mount options */
static bool has_noexec(const char *options) {
        size_t n = strcspn(options, " ");

        for (const char *o = options; o < options + n;) {
                size_t k = strcspn(o, ", ");

                if (k == 6 && strncmp(o, "noexec", 6) == 0)
                        return true;
                o += k + (o[k] == ',');
                if (k == 0)
                        break;
        }
        return false;
}

typedef struct Mounts {
        MountEntry *e;
        size_t n;
} Mounts;

static void mounts_done(Mounts *m) {
        for (size_t i = 0; i < m->n; i++)
                free(m->e[i].point);
        free(m->e);
}

/* Every mount at or below root_real, each with the rule it falls under:
 * paths sorted shortest first, so the last one it lies below is the
 * longest */
static int mounts_read(const char *root_real, const ExecPath *paths, size_t n_paths, Mounts *m) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        MountInfo mi;
        int r;

        while ((r = mountinfo_next(&f, &mi)) > 0) {
                const ExecPath *rule = NULL;
                MountEntry *t;

                if (!path_is_at_or_below(mi.mount_point, root_real))
                        continue;
                for (size_t i = 0; i < n_paths; i++)
                        if (path_is_at_or_below(mi.mount_point, paths[i].real))
                                rule = &paths[i];
                if (!rule)
                        continue;
                t = realloc(m->e, (m->n + 1) * sizeof(*t));
                if (!t)
                        return log_oom();
                m->e = t;
                m->e[m->n] = (MountEntry) { mi.id, has_noexec(mi.options), rule, strdup(mi.mount_point) };
                if (!m->e[m->n++].point)
                        return log_oom();
        }
        if (r == -E2BIG)
                return log_error_errno(r, "no-exec paths: more than %d mounts", MOUNTINFO_LINES_MAX);
        if (r < 0)
                return log_error_errno(r, "no-exec paths: read /proc/self/mountinfo: %m");
        return 0;
}

/* noexec off the mount at point again, when that is still the mount e
 * read there; one hidden under another keeps it */
static int clear_noexec(int root, const char *root_real, const MountEntry *e) {
        const char *inside = e->point + (streq(root_real, "/") ? 0 : strlen(root_real));
        _cleanup_close_ int fd = open_in_root(root, *inside ? inside : "/", CREATE_NONE, "exec path");

        if (fd < 0)
                return log_error_errno(fd, "exec path %s: the mount on %s: %m", e->rule->spec, inside);
        if (mount_id_of(fd) != e->id) {
                log_debug("exec path %s: the mount %" PRIu64 " on %s is hidden: it stays noexec", e->rule->spec, e->id,
                          inside);
                return 0;
        }
        return mount_clear_noexec(fd, inside);
}

int exec_paths_apply(int root, const HelperConfig *c) {
        size_t n_given = strv_length(c->no_exec_paths) + strv_length(c->exec_paths), n = 0;
        _cleanup_free_ ExecPath *paths = NULL;
        _cleanup_(mounts_done) Mounts mounts = {};
        char root_real[PATH_MAX];
        int r;

        if (n_given == 0)
                return 0;
        if (n_given > EXEC_PATHS_MAX)
                return log_error_errno(-E2BIG, "no-exec paths: more than %d paths", EXEC_PATHS_MAX);
        paths = calloc(n_given, sizeof(*paths));
        if (!paths)
                return log_oom();
        r = fd_real_path(root, root_real);
        if (r < 0)
                return log_error_errno(r, "no-exec paths: the sandbox's root: %m");

        STRV_FOREACH(s, c->no_exec_paths)
                paths[n++] = (ExecPath) { .spec = *s, .exec = false };
        STRV_FOREACH(s, c->exec_paths)
                paths[n++] = (ExecPath) { .spec = *s, .exec = true };
        /* each as a mount point, a parent before what is below it (as
         * given: a bind of a parent would carry a child's along anyway) */
        qsort(paths, n, sizeof(*paths), by_given_length);
        n = 0;
        for (size_t i = 0; i < n_given; i++) {
                bool skip;

                r = make_mount_point(root, root_real, &paths[i], &skip);
                if (r < 0)
                        return r;
                if (!skip)
                        paths[n++] = paths[i];
        }
        /* and as they resolved, for the longest path a mount lies below */
        qsort(paths, n, sizeof(*paths), by_length);
        for (size_t i = 0; i + 1 < n; i++)
                for (size_t j = i + 1; j < n && path_length(&paths[j]) == path_length(&paths[i]); j++)
                        if (streq(paths[i].real, paths[j].real) && paths[i].exec != paths[j].exec)
                                return log_error_errno(-EINVAL, "no-exec path %s and exec path %s: both are %s",
                                                       paths[i].exec ? paths[j].spec : paths[i].spec,
                                                       paths[i].exec ? paths[i].spec : paths[j].spec, paths[i].real);

        /* what was noexec before, read before anything is set */
        r = mounts_read(root_real, paths, n, &mounts);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                _cleanup_close_ int fd = -EBADF;

                if (paths[i].exec)
                        continue;
                fd = open_in_root(root, paths[i].real + (streq(root_real, "/") ? 0 : strlen(root_real)), CREATE_NONE,
                                  "no-exec path");
                if (fd < 0)
                        return log_error_errno(fd, "no-exec path %s: %m", paths[i].spec);
                r = mount_add_flags(fd, MS_NOEXEC, paths[i].spec);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < mounts.n; i++)
                if (mounts.e[i].rule->exec && !mounts.e[i].noexec) {
                        r = clear_noexec(root, root_real, &mounts.e[i]);
                        if (r < 0)
                                return r;
                }
        return 0;
}
