/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diagnostics.h"

/* Control characters from a profile's values would break the one line a
 * problem gets, or forge lines in the kernel log: write them as escapes. */
static char *escape_controls(char *s) {
        size_t extra = 0;
        char *r, *o;

        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                extra += *p < 0x20 || *p == 0x7f ? 3 : 0;
        if (extra == 0)
                return s;
        r = o = malloc(strlen(s) + extra + 1);
        if (r) {
                for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                        if (*p < 0x20 || *p == 0x7f)
                                o += sprintf(o, "\\x%02x", *p);
                        else
                                *o++ = (char) *p;
                *o = 0;
        }
        free(s);
        return r;
}

void diag_add(Diagnostics *d, const char *file, unsigned line, const char *fmt, ...) {
        Diagnostic *t;
        char *msg = NULL, *f;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n >= 0 && !(msg = escape_controls(msg)))
                n = -1;
        f = strdup(file);
        t = n >= 0 && f ? realloc(d->items, (d->n + 1) * sizeof(*t)) : NULL;
        if (!t) {
                if (n >= 0)
                        free(msg);
                free(f);
                d->error = -ENOMEM;
                return;
        }
        d->items = t;
        d->items[d->n++] = (Diagnostic) { f, line, msg };
}

char *diag_format(const Diagnostic *item) {
        char *s;
        int n;

        if (item->line > 0)
                n = asprintf(&s, "%s:%u: %s", item->file, item->line, item->message);
        else
                n = asprintf(&s, "%s: %s", item->file, item->message);
        return n < 0 ? NULL : s;
}

void diagnostics_print(const Diagnostics *d, FILE *f) {
        for (size_t i = 0; i < d->n; i++) {
                _cleanup_free_ char *s = diag_format(&d->items[i]);

                fprintf(f, "%s\n", s ? s : d->items[i].message);
        }
        if (d->error < 0)
                fprintf(f, "(more problems may exist: out of memory while recording them)\n");
}

void diagnostics_done(Diagnostics *d) {
        for (size_t i = 0; i < d->n; i++) {
                free(d->items[i].file);
                free(d->items[i].message);
        }
        free(d->items);
        *d = (Diagnostics) {};
}

/* The position of the first problem about file: files keep the order in
 * which they first had a problem. */
static size_t file_rank(const Diagnostics *d, const char *file) {
        for (size_t i = 0; i < d->n; i++)
                if (streq(d->items[i].file, file))
                        return i;
        return d->n;
}

void diagnostics_sort(Diagnostics *d) {
        size_t *rank;

        rank = malloc((d->n ? d->n : 1) * sizeof(size_t));
        if (!rank)
                return; /* unsorted, but complete */
        for (size_t i = 0; i < d->n; i++)
                rank[i] = file_rank(d, d->items[i].file);
        /* insertion sort: stable, and lists are short */
        for (size_t i = 1; i < d->n; i++) {
                Diagnostic x = d->items[i];
                size_t xr = rank[i], j = i;

                while (j > 0 && (rank[j - 1] > xr || (rank[j - 1] == xr && d->items[j - 1].line > x.line))) {
                        d->items[j] = d->items[j - 1];
                        rank[j] = rank[j - 1];
                        j--;
                }
                d->items[j] = x;
                rank[j] = xr;
        }
        free(rank);
}

void diag_add_text(Diagnostics *d, const char *file, unsigned line, const char *prefix, const char *text, const char *suffix) {
        _cleanup_free_ char *t = strdup(text);
        size_t n;

        if (!t) {
                d->error = -ENOMEM;
                return;
        }
        /* one problem, one line */
        for (n = strlen(t); n > 0 && strchr(" \t\r\n", t[n - 1]); n--)
                t[n - 1] = 0;
        for (char *c = t; *c; c++)
                if (*c == '\n' || *c == '\r')
                        *c = ' ';
        diag_add(d, file, line, "%s%s%s", prefix, t, suffix);
}
