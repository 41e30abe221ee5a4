/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A growable text buffer for rendering drop-ins, command lines and JSON.
 * An allocation failure is sticky: later appends do nothing and
 * buffer_steal() returns NULL, so callers check once at the end.
 */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

typedef struct Buffer {
        char *data;
        size_t len, size;
        bool oom;
} Buffer;

void buffer_append(Buffer *b, const char *s);
void buffer_append_n(Buffer *b, const char *s, size_t n);
void buffer_append_char(Buffer *b, char c);
void buffer_printf(Buffer *b, const char *fmt, ...) _printf_(2, 3);
/* s with &, <, > and " as XML's entities, for text and attribute values. */
void buffer_append_xml(Buffer *b, const char *s);
/* Returns the text (caller frees), or NULL after an allocation failure. */
char *buffer_steal(Buffer *b);
void buffer_done(Buffer *b);

#define _cleanup_buffer_ _cleanup_(buffer_done)
