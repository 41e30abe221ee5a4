/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"

/* Restricts the service to the profile's Landlock paths, when it has
 * any: read-only ones may be read and executed, read-write ones anything
 * the kernel's Landlock ABI can restrict. Paths are the sandbox's, so
 * this runs after every mount. Needs no_new_privs or CAP_SYS_ADMIN.
 * Without Landlock in the kernel: an error, unless landlock_optional.
 * Returns 1 when the rules hold but for truncate(2), which Landlock
 * restricts from ABI 3 on (the caller's filter refuses it then), else 0. */
int landlock_apply(const HelperConfig *c);
