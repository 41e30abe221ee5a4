/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* The user namespace of the sandbox's service (<user-namespace>), for
 * "sandboxctl status": *ret NULL when it is the host's own, else its
 * maps as "uid_map IN OUT COUNT, ...; gid_map ...". 0, -ESRCH once the
 * process has ended, or another -errno; not logged. */
int status_userns(pid_t service, char **ret);
