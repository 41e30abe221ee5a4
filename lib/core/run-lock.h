/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Makes /run/sandbox/NAME (the sandbox's runtime directory, returned in
 * rundir) and takes the lock in it that keeps a second instance of NAME
 * from starting. Returns the lock's fd (O_CLOEXEC; held until every copy
 * is closed) or -errno after logging. */
int instance_lock(const char *name, char *rundir, size_t size);
