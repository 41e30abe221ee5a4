/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int profile_find(char * const *dirs, const char *name, char **ret_path) {
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *p = NULL;
                struct stat st;

                if (asprintf(&p, "%s/%s%s", *d, name, PROFILE_SUFFIX) < 0)
                        return -ENOMEM;
                /* lstat: a symlink is found (and refused when loaded) rather
                 * than silently skipped in favour of a later directory */
                if (lstat(p, &st) == 0) {
                        *ret_path = TAKE_PTR(p);
                        return 0;
                }
        }
        return -ENOENT;
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

int profile_enumerate(char * const *dirs, ProfileEntry **ret, size_t *ret_n) {
        ProfileEntry *e = NULL;
        size_t n = 0;
        int r = 0;

        STRV_FOREACH(d, dirs) {
                DIR *dir = opendir(*d);
                struct dirent *de;

                if (!dir) {
                        if (errno == ENOENT || errno == ENOTDIR)
                                continue;
                        r = -errno;
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
