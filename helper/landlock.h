/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"

/* Restricts the service with Landlock: unless landlock_no_default, the
 * default domain (landlock-default.h: read everywhere, write below the
 * sandbox's writable mounts; abstract unix sockets and signals scoped to
 * the service where the ABI has scopes), best effort where the kernel
 * lacks Landlock; then the profile's rules, when it has any, stacked on
 * it: read-only paths may be read and executed, read-write ones anything
 * the kernel's Landlock ABI can restrict, and nothing else. Without
 * Landlock in the kernel the rules are an error, unless
 * landlock_optional. Paths are the sandbox's, so this runs after every
 * mount. Needs no_new_privs or CAP_SYS_ADMIN. Returns 1 when the rules
 * hold but for truncate(2), which Landlock restricts from ABI 3 on (the
 * caller's filter refuses it then), else 0. */
int landlock_apply(const HelperConfig *c);
