/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Output of strings that come from outside (paths, mount points): as
 * JSON strings, or as one line of text. */

#include <stdio.h>

#include "buffer.h"

/* Appends s as a JSON string literal, or null for NULL. */
void json_append_string(Buffer *b, const char *s);

/* Appends path as a JSON string literal, or null for NULL; a byte that is not UTF-8
 * becomes U+FFFD (JSON strings are Unicode). */
void json_append_path(Buffer *b, const char *path);

/* Writes s to f as one line: control characters (C0, DEL, C1), bytes that
 * are not UTF-8, and "\" as C escapes ("\n", "\t", "\\", "\ooo"), so
 * that nothing in s acts on a terminal. */
void print_escaped(const char *s, FILE *f);
/* The same, the first n bytes of s, appended to b. */
void escaped_append(Buffer *b, const char *s, size_t n);
