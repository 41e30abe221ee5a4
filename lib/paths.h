/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#define SANDBOX_PATH_MAX 4095

/* Absolute, no empty, "." or ".." components, no trailing slash (but "/"),
 * no control characters, at most PATH_MAX-1 bytes. */
bool path_is_normalized_absolute(const char *p);

/* True when path equals prefix or lies beneath it, component-wise. */
bool path_is_at_or_below(const char *path, const char *prefix);

/* p joined to the working directory unless absolute, with "//", "/./" and
 * a trailing "/" removed (not resolved: symlinks and ".." stay). */
int path_make_absolute(const char *p, char **ret);
