/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <limits.h>
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

/* Walks a path component by component: copies the next one into name and
 * moves *p past it. Returns 1 (with *last true when no other follows), 0
 * when there is none left, or -ENAMETOOLONG. */
int path_next_component(const char **p, char name[static NAME_MAX + 1], bool *last);

/* systemd's default PATH for services, which sandboxes get too */
#define SERVICE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* cmd, when it has a "/", as it is; else the first executable cmd in
 * the absolute directories of the colon-separated search (as execvp()
 * would find it). Returns 0, -ENOENT or -ENOMEM. */
int path_search(const char *search, const char *cmd, char **ret);
