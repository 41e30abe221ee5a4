/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NULL-terminated string vectors. */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

size_t strv_length(char * const *l);
char **strv_free(char **l);
bool strv_contains(char * const *l, const char *s);
/* Appends a copy of s; returns 0 or -ENOMEM. */
int strv_append(char ***l, const char *s);
/* Appends s itself, taking ownership (freed on failure too). */
int strv_consume(char ***l, char *s);
/* Appends the text fmt formats; returns 0 or -ENOMEM. */
int strv_appendf(char ***l, const char *fmt, ...) _printf_(2, 3);
/* Appends copies of every element of other. */
int strv_extend(char ***l, char * const *other);
/* Splits at any of the separator characters, dropping empty words. */
int strv_split(const char *s, const char *separators, char ***ret);
char *strv_join(char * const *l, const char *separator);

static inline void strv_freep(char ***l) {
        strv_free(*l);
}
#define _cleanup_strv_free_ _cleanup_(strv_freep)

#define STRV_FOREACH(s, l) for (char * const *s = (l); s && *s; s++)
