/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "log.h"
#include "mountinfo.h"
#include "paths.h"
#include "state-walk.h"
#include "state.h"
#include "strv.h"

int state_root_absolute(const char *state_root, char **ret) {
        _cleanup_free_ char *a = NULL;
        int r;

        r = path_make_absolute(state_root, &a);
        if (r < 0)
                return log_error_errno(r, "state root %s: %m", state_root);
        /* mount points are compared by path: the path must be the one walked */
        if (!path_is_normalized_absolute(a))
                return log_error_errno(-EINVAL, "state root %s: must be a path without \"..\" or control characters",
                                       state_root);
        *ret = TAKE_PTR(a);
        return 0;
}

int mount_below(const char *path, char **ret_mount) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        MountInfo m;
        int r;

        while ((r = mountinfo_next(&f, &m)) > 0)
                if (path_is_at_or_below(m.mount_point, path)) {
                        *ret_mount = strdup(m.mount_point);
                        return *ret_mount ? 1 : log_oom();
                }
        if (r < 0)
                return log_error_errno(r, "read /proc/self/mountinfo: %m");
        return 0;
}

static int names_compare(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

int dir_names(int dir, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0, allocated = 0;
        struct dirent *de;
        DIR *d;
        int fd, r = 0;

        fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        d = fdopendir(fd);
        if (!d) {
                r = -errno;
                close(fd);
                return r;
        }
        for (;;) {
                errno = 0;
                de = readdir(d);
                if (!de) {
                        r = errno ? -errno : 0;
                        break;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (n + 2 > allocated) {
                        size_t k = allocated ? allocated * 2 : 16;
                        char **t = realloc(names, k * sizeof(char *));

                        if (!t) {
                                r = -ENOMEM;
                                break;
                        }
                        names = t;
                        allocated = k;
                }
                names[n] = strdup(de->d_name);
                if (!names[n]) {
                        r = -ENOMEM;
                        break;
                }
                names[++n] = NULL;
        }
        closedir(d);
        if (r < 0)
                return r;
        if (!names) {
                names = calloc(1, sizeof(char *));
                if (!names)
                        return -ENOMEM;
        }
        qsort(names, n, sizeof(char *), names_compare);
        *ret = TAKE_PTR(names);
        return 0;
}

char *path_join2(const char *dir, const char *name) {
        char *p;

        if (asprintf(&p, "%s/%s", streq(dir, "/") ? "" : dir, name) < 0)
                return NULL;
        return p;
}

/* The disk space counted so far; inodes with more than one name are
 * kept aside, to be counted once at the end. */
typedef struct Usage {
        uint64_t bytes;
        struct Linked {
                ino_t ino;
                uint64_t bytes;
        } *linked;
        size_t n_linked, allocated;
} Usage;

static int usage_count(Usage *u, const struct stat *st) {
        uint64_t bytes = (uint64_t) st->st_blocks * 512;

        if (S_ISDIR(st->st_mode) || st->st_nlink <= 1) {
                u->bytes += bytes;
                return 0;
        }
        if (u->n_linked == u->allocated) {
                size_t k = u->allocated ? u->allocated * 2 : 16;
                struct Linked *t = realloc(u->linked, k * sizeof(*t));

                if (!t)
                        return log_oom();
                u->linked = t;
                u->allocated = k;
        }
        u->linked[u->n_linked++] = (struct Linked) { st->st_ino, bytes };
        return 0;
}

static int linked_compare(const void *a, const void *b) {
        ino_t x = ((const struct Linked *) a)->ino, y = ((const struct Linked *) b)->ino;

        return x < y ? -1 : x > y;
}

static int usage_entry(const StateEntry *e, void *userdata) {
        /* another file system mounted in the state is no part of it */
        if (e->event == STATE_LEAVE || e->other_mount)
                return 0;
        return usage_count(userdata, &e->st);
}

int tree_disk_usage(int fd, const char *shown, uint64_t *ret_bytes) {
        Usage u = {};
        int r;

        r = state_walk(fd, ".", shown, "size of", usage_entry, &u);
        if (r >= 0 && u.n_linked > 0) {
                qsort(u.linked, u.n_linked, sizeof(*u.linked), linked_compare);
                for (size_t i = 0; i < u.n_linked; i++)
                        if (i == 0 || u.linked[i].ino != u.linked[i - 1].ino)
                                u.bytes += u.linked[i].bytes;
        }
        free(u.linked);
        if (r < 0)
                return r;
        *ret_bytes = u.bytes;
        return 0;
}
