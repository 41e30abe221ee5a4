/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"

#include "names.h"
#include "paths.h"
#include "strv.h"

bool path_is_normalized_absolute(const char *p) {
        size_t n = strlen(p);

        if (n == 0 || n > SANDBOX_PATH_MAX || p[0] != '/' || !text_is_printable(p))
                return false;
        if (n == 1)
                return true;
        if (p[n - 1] == '/')
                return false;
        for (const char *c = p + 1;;) {
                size_t k = strcspn(c, "/");

                if (k == 0 || (k == 1 && c[0] == '.') || (k == 2 && c[0] == '.' && c[1] == '.'))
                        return false;
                if (!c[k])
                        return true;
                c += k + 1;
        }
}

bool path_is_at_or_below(const char *path, const char *prefix) {
        size_t n = strlen(prefix);

        if (strcmp(prefix, "/") == 0)
                return path[0] == '/';
        return strncmp(path, prefix, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* Lexical only: "//" and "/./" become "/", a trailing "/" or "/." goes;
 * ".." stays, since dropping it would be wrong across a symlink. */
static void path_simplify(char *p) {
        char *w = p;

        for (const char *r = p; *r;) {
                if (*r == '/') {
                        r += strspn(r, "/");
                        while (r[0] == '.' && (r[1] == '/' || r[1] == 0))
                                r += 1 + strspn(r + 1, "/");
                        if (w == p || *r)
                                *w++ = '/';
                        continue;
                }
                *w++ = *r++;
        }
        *w = 0;
}

int path_make_absolute(const char *p, char **ret) {
        _cleanup_free_ char *cwd = NULL;
        char *r = NULL;

        if (p[0] == '/')
                r = strdup(p);
        else {
                cwd = getcwd(NULL, 0);
                if (!cwd)
                        return -errno;
                if (asprintf(&r, "%s/%s", cwd, p) < 0)
                        r = NULL;
        }
        if (!r)
                return -ENOMEM;
        path_simplify(r);
        *ret = r;
        return 0;
}

int path_next_component(const char **p, char name[static NAME_MAX + 1], bool *last) {
        const char *c = *p + strspn(*p, "/"), *next;

        if (!*c)
                return 0;
        next = c + strcspn(c, "/");
        if ((size_t) (next - c) > NAME_MAX)
                return -ENAMETOOLONG;
        memcpy(name, c, (size_t) (next - c));
        name[next - c] = 0;
        *last = next[strspn(next, "/")] == 0;
        *p = next;
        return 1;
}

int path_search(const char *search, const char *cmd, char **ret) {
        _cleanup_strv_free_ char **dirs = NULL;

        if (strchr(cmd, '/'))
                return (*ret = strdup(cmd)) ? 0 : -ENOMEM;
        if (strv_split(search, ":", &dirs) < 0)
                return -ENOMEM;
        STRV_FOREACH(d, dirs) {
                char *p;

                if (**d != '/')
                        continue;
                if (asprintf(&p, "%s/%s", *d, cmd) < 0)
                        return -ENOMEM;
                if (access(p, X_OK) == 0) {
                        *ret = p;
                        return 0;
                }
                free(p);
        }
        return -ENOENT;
}
