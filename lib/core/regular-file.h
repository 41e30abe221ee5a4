/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The whole contents of the regular file at path (symbolic links
 * followed), NUL-terminated, into *ret; its length into *ret_size when
 * not NULL. Anything but a regular file (a FIFO, a device such as
 * /dev/zero, a directory) is -EBADFD, opened without blocking and never
 * read; a file of more than max bytes is -EFBIG; a read error is its
 * -errno, never taken for the end of the file. The file's status into
 * *ret_stat when not NULL. */
/* Whether st is a regular file of root's that no one else can write:
 * what a record root keeps for itself (the MCS pairs, the leases) must
 * be to be believed. */
bool stat_is_root_only_file(const struct stat *st);

int read_regular_file(const char *path, size_t max, char **ret, size_t *ret_size, struct stat *ret_stat);
