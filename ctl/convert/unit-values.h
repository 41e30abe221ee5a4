/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The values of a unit file's lines as systemd reads them, for
 * unit-files.c: times, sizes, booleans, capabilities and signals. A value
 * systemd ignores leaves what the line before it set.
 */

#include <stdbool.h>
#include <stdint.h>

/* A time span in microseconds ("infinity": UINT64_MAX); fallback when v
 * is no number. */
uint64_t unit_parse_usec(const char *v, uint64_t fallback);

/* MemoryMax= and the like into *field. */
void unit_set_bytes(uint64_t *field, const char *v);

/* 1, 0, or -EINVAL. */
int unit_parse_boolean(const char *v);
bool unit_parse_bool(const char *v);
/* *b, unless v is no boolean; returns 0. */
int unit_set_bool(bool *b, const char *v);

/* The capabilities named in words, a first "~" left out. */
uint64_t unit_parse_caps(char **words);

/* "SIGTERM", "TERM" or a number. */
int32_t unit_signal_number(const char *v);
