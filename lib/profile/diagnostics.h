/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Problems found in a profile, each with the file and line it is about.
 * The profile model collects all of them rather than stopping at the
 * first, and never prints: the program decides where they go.
 */

#include <stddef.h>
#include <stdio.h>

#include "macro.h"

typedef struct Diagnostic {
        char *file;
        unsigned line; /* 0 when the problem is about the whole file */
        char *message;
} Diagnostic;

typedef struct Diagnostics {
        Diagnostic *items;
        size_t n;
        /* set when an allocation failed while recording: the list is
         * incomplete, and the profile must be treated as invalid */
        int error;
} Diagnostics;

void diag_add(Diagnostics *d, const char *file, unsigned line, const char *fmt, ...) _printf_(4, 5);
/* Adds prefix + text + suffix, with text (another library's message)
 * folded onto one line. */
void diag_add_text(Diagnostics *d, const char *file, unsigned line, const char *prefix, const char *text, const char *suffix);
/* "FILE:LINE: MESSAGE" (or "FILE: MESSAGE" without a line), no newline. */
char *diag_format(const Diagnostic *item);
/* Orders each file's run of problems by line, keeping the file order. */
void diagnostics_sort(Diagnostics *d);
void diagnostics_print(const Diagnostics *d, FILE *f);
void diagnostics_done(Diagnostics *d);
