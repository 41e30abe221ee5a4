/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* What the sandbox's process 1 lets go of before the service runs (see
 * init.c): every file descriptor but standard error and the n in keep
 * (-EBADF for none), so that nothing of the host's stays reachable
 * through /proc/1/fd or pidfd_getfd(). Returns 0 or -errno after logging. */
int init_close_fds(const int *keep, size_t n);

/* Loads the system call filter of process 1, built in at build time
 * (init-filter-export.c): the calls it makes while it waits (READY=1
 * with --forking is a write() on a socket connected before). Needs
 * no_new_privs. Returns 0 or -errno after logging. */
int init_filter_load(void);
