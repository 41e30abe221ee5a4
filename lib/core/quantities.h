/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Numbers with units as profiles write them. Each returns 0 or -EINVAL
 * (-ERANGE when the number does not fit). */

#include <stdint.h>

/* "64M": digits with an optional K, M, G or T suffix (powers of 1024);
 * must be more than zero. */
int parse_size(const char *s, uint64_t *ret_bytes);

/* "50%": a whole percentage from 1 to 100000 (1000 CPUs). */
int parse_percent(const char *s, unsigned *ret);

/* A whole number in [min, max]. */
int parse_uint_range(const char *s, uint64_t min, uint64_t max, uint64_t *ret);

/* A systemd time span (systemd.time(7)): "infinity", or numbers (with
 * an optional fraction), each with an optional unit (no unit: seconds),
 * such as "1min 30s", "55s500ms" or "90". */
int parse_timespan(const char *s);

/* An octal file mode from 0 to 07777. */
int parse_mode(const char *s, unsigned *ret);
