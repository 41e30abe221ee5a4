/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* Reads fd until its end, or until buf holds size - 1 bytes, whichever
 * comes first, and NUL-terminates what it read. Returns the number of
 * bytes read, or -errno. */
ssize_t read_fd_into(int fd, char *buf, size_t size);
