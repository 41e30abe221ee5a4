/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* TAP for the unit tests in C: check() prints one "ok N - ..." or "not
 * ok N - ..." line (flushed, so that a child's lines come in order),
 * diag() a "# ..." line; main() ends with printf("1..%u\n", tap_n) and
 * fails when tap_failed. */

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "macro.h"

static unsigned tap_n, tap_failed;

static inline void _printf_(2, 3) check(bool good, const char *fmt, ...) {
        va_list ap;

        tap_n++;
        if (!good)
                tap_failed++;
        printf("%s %u - ", good ? "ok" : "not ok", tap_n);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
}

static inline void _printf_(1, 2) diag(const char *fmt, ...) {
        va_list ap;

        printf("# ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
}
