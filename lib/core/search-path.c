/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dir-trust.h"
#include "paths.h"
#include "search-path.h"
#include "strv.h"

int profile_search_path(char ***ret) {
        const char *e = getenv("SANDBOX_PROFILE_PATH");
        _cleanup_strv_free_ char **l = NULL;
        int r;

        r = strv_split(e ? e : PROFILE_SEARCH_PATH_DEFAULT, ":", &l);
        if (r < 0)
                return r;
        /* absolute, as they end up in SourcePath= and the helper's options */
        for (char **d = l; *d; d++) {
                char *a;

                r = path_make_absolute(*d, &a);
                if (r < 0)
                        return r;
                free(*d);
                *d = a;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

char *profile_name_from_path(const char *path) {
        const char *base = strrchr(path, '/');
        size_t n, k = strlen(PROFILE_SUFFIX);

        base = base ? base + 1 : path;
        n = strlen(base);
        if (n <= k || strcmp(base + n - k, PROFILE_SUFFIX) != 0)
                return NULL;
        return strndup(base, n - k);
}

/* The directory d, opened for reading once checked (dir-trust.h);
 * -ENOENT when it does not exist; another -errno when it is skipped,
 * after noting why in *skipped. */
static int open_search_dir(const char *d, char ***skipped) {
        _cleanup_free_ char *why = NULL;
        int fd;

        fd = dir_open_trusted(d, false, &why);
        if (fd >= 0)
                return fd;
        if (fd == -ENOENT || fd == -ENOTDIR)
                return -ENOENT;
        if (fd == -ENOMEM)
                return fd;
        if (skipped) {
                char *m;

                if (asprintf(&m, "%s: skipped: %s", d, why ? why : strerror(-fd)) < 0 || strv_consume(skipped, m) < 0)
                        return -ENOMEM;
        }
        return fd;
}

int profile_find_noting(char * const *dirs, const char *name, char **ret_path, char ***skipped) {
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *p = NULL, *file = NULL;
                _cleanup_close_ int fd = -EBADF;
                struct stat st;

                fd = open_search_dir(*d, skipped);
                if (fd == -ENOMEM)
                        return fd;
                if (fd < 0)
                        continue;
                if (asprintf(&file, "%s%s", name, PROFILE_SUFFIX) < 0 || asprintf(&p, "%s/%s", *d, file) < 0)
                        return -ENOMEM;
                /* no follow: a symlink is found (and refused when loaded)
                 * rather than silently skipped in favour of a later directory */
                if (fstatat(fd, file, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                        *ret_path = TAKE_PTR(p);
                        return 0;
                }
        }
        return -ENOENT;
}

int profile_find(char * const *dirs, const char *name, char **ret_path) {
        return profile_find_noting(dirs, name, ret_path, NULL);
}

static int entry_compare(const void *a, const void *b) {
        return strcmp(((const ProfileEntry *) a)->name, ((const ProfileEntry *) b)->name);
}

static bool entries_have(ProfileEntry *e, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(e[i].name, name))
                        return true;
        return false;
}

int profile_enumerate(char * const *dirs, ProfileEntry **ret, size_t *ret_n, char ***skipped) {
        ProfileEntry *e = NULL;
        size_t n = 0;
        int r = 0;

        STRV_FOREACH(d, dirs) {
                struct dirent *de;
                DIR *dir;
                int fd;

                fd = open_search_dir(*d, skipped);
                if (fd == -ENOMEM) {
                        r = fd;
                        goto fail;
                }
                if (fd < 0)
                        continue;
                dir = fdopendir(fd);
                if (!dir) {
                        r = -errno;
                        close(fd);
                        goto fail;
                }
                while ((de = readdir(dir))) {
                        _cleanup_free_ char *name = NULL, *path = NULL;
                        ProfileEntry *t;

                        if (de->d_type == DT_DIR || de->d_name[0] == '.')
                                continue;
                        name = profile_name_from_path(de->d_name);
                        if (!name || entries_have(e, n, name))
                                continue;
                        if (asprintf(&path, "%s/%s", *d, de->d_name) < 0)
                                path = NULL;
                        t = path ? realloc(e, (n + 1) * sizeof(*e)) : NULL;
                        if (!t) {
                                closedir(dir);
                                r = -ENOMEM;
                                goto fail;
                        }
                        e = t;
                        e[n++] = (ProfileEntry) { TAKE_PTR(name), TAKE_PTR(path) };
                }
                closedir(dir);
        }
        if (n > 0)
                qsort(e, n, sizeof(*e), entry_compare);
        *ret = e;
        *ret_n = n;
        return 0;
fail:
        profile_entries_free(e, n);
        return r;
}

void profile_entries_free(ProfileEntry *e, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(e[i].name);
                free(e[i].path);
        }
        free(e);
}
