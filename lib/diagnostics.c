/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diagnostics.h"

void diag_add(Diagnostics *d, const char *file, unsigned line, const char *fmt, ...) {
        Diagnostic *t;
        char *msg = NULL, *f;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
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

void diagnostics_sort(Diagnostics *d) {
        /* insertion sort: stable, and lists are short */
        for (size_t i = 1; i < d->n; i++) {
                Diagnostic x = d->items[i];
                size_t j = i;

                while (j > 0 && streq(d->items[j - 1].file, x.file) && d->items[j - 1].line > x.line) {
                        d->items[j] = d->items[j - 1];
                        j--;
                }
                d->items[j] = x;
        }
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
