/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SELinux and AppArmor as the helper needs them, through the kernel's
 * interfaces (lsm.c). In a build without the support of one, it counts as
 * not enabled. */

#include <stdbool.h>
#include <stddef.h>

bool selinux_enabled(void);
/* Returns 0 or -errno. */
int selinux_set_exec_label(const char *label);
/* Writes the path of the policy's lxc_contexts file into path; 0 or
 * -errno. */
int selinux_lxc_contexts(char *path, size_t size);

bool apparmor_enabled(void);
int apparmor_change_on_exec(const char *profile);
