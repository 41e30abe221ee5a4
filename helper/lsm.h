/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* libselinux and libapparmor, loaded only when a profile asks for a label
 * or profile: linked in, they would cost every start (libselinux looks at
 * /proc and /etc/selinux as it loads, and brings pcre2). Where the
 * library cannot be loaded, the LSM counts as not enabled. */

#include <stdbool.h>

bool selinux_enabled(void);
/* Returns 0 or -errno. */
int selinux_set_exec_label(const char *label);
/* The policy's lxc_contexts file, or NULL. */
const char *selinux_lxc_contexts(void);

bool apparmor_enabled(void);
int apparmor_change_on_exec(const char *profile);
