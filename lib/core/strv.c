/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

size_t strv_length(char * const *l) {
        size_t n = 0;

        while (l && l[n])
                n++;
        return n;
}

char **strv_free(char **l) {
        for (size_t i = 0; l && l[i]; i++)
                free(l[i]);
        free(l);
        return NULL;
}

bool strv_contains(char * const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

int strv_consume(char ***l, char *s) {
        size_t n = strv_length(*l);
        char **t;

        if (!s)
                return -ENOMEM;
        t = realloc(*l, (n + 2) * sizeof(char *));
        if (!t) {
                free(s);
                return -ENOMEM;
        }
        t[n] = s;
        t[n + 1] = NULL;
        *l = t;
        return 0;
}

int strv_append(char ***l, const char *s) {
        return strv_consume(l, strdup(s));
}

int strv_appendf(char ***l, const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? -ENOMEM : strv_consume(l, s);
}

/* one allocation for all of other, not one for each of its strings
 * after counting l again: linear in the lengths of both */
int strv_extend(char ***l, char * const *other) {
        size_t n = strv_length(*l), m = strv_length(other);
        char **t;

        if (m == 0)
                return 0;
        t = reallocarray(*l, n + m + 1, sizeof(char *));
        if (!t)
                return -ENOMEM;
        *l = t;
        for (size_t i = 0; i < m; i++) {
                t[n + i + 1] = NULL;
                t[n + i] = strdup(other[i]);
                if (!t[n + i])
                        return -ENOMEM;
        }
        return 0;
}

int strv_split(const char *s, const char *separators, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (const char *p = s; *p;) {
                size_t n;

                p += strspn(p, separators);
                n = strcspn(p, separators);
                if (n == 0)
                        break;
                if (strv_consume(&l, strndup(p, n)) < 0)
                        return -ENOMEM;
                p += n;
        }
        if (!l) {
                l = calloc(1, sizeof(char *));
                if (!l)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

char *strv_join(char * const *l, const char *separator) {
        size_t n = 1, k = strlen(separator);
        char *r, *p;

        STRV_FOREACH(i, l)
                n += strlen(*i) + k;
        r = p = malloc(n);
        if (!r)
                return NULL;
        *p = 0;
        STRV_FOREACH(i, l) {
                if (i != l)
                        p = stpcpy(p, separator);
                p = stpcpy(p, *i);
        }
        return r;
}
