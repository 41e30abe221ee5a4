/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"

static bool buffer_reserve(Buffer *b, size_t extra) {
        size_t want;
        char *d;

        if (b->oom)
                return false;
        if (b->len + extra + 1 <= b->size)
                return true;
        want = (b->len + extra + 1) * 2;
        if (want < 256)
                want = 256;
        d = realloc(b->data, want);
        if (!d) {
                b->oom = true;
                return false;
        }
        b->data = d;
        b->size = want;
        return true;
}

void buffer_append_n(Buffer *b, const char *s, size_t n) {
        if (!buffer_reserve(b, n))
                return;
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = 0;
}

void buffer_append(Buffer *b, const char *s) {
        buffer_append_n(b, s, strlen(s));
}

void buffer_append_char(Buffer *b, char c) {
        buffer_append_n(b, &c, 1);
}

void buffer_printf(Buffer *b, const char *fmt, ...) {
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0 || !buffer_reserve(b, (size_t) n)) {
                b->oom = true;
                return;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t) n;
}

char *buffer_steal(Buffer *b) {
        char *r;

        if (b->oom) {
                buffer_done(b);
                return NULL;
        }
        if (!b->data) {
                if (!buffer_reserve(b, 0))
                        return NULL;
                b->data[0] = 0;
        }
        r = b->data;
        *b = (Buffer) {};
        return r;
}

void buffer_done(Buffer *b) {
        free(b->data);
        *b = (Buffer) {};
}

void buffer_append_xml(Buffer *b, const char *s) {
        for (; *s; s++)
                switch (*s) {
                case '&': buffer_append(b, "&amp;"); break;
                case '<': buffer_append(b, "&lt;"); break;
                case '>': buffer_append(b, "&gt;"); break;
                case '"': buffer_append(b, "&quot;"); break;
                default: buffer_append_char(b, *s);
                }
}
