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
/* The policy's context for containers' "process" or "file": from its
 * lxc_contexts, else libvirt's virtual_domain_context or
 * virtual_image_context (their first line), the first that the loaded
 * policy knows. 0 or -errno. */
int selinux_container_context(const char *key, char *buf, size_t size);
/* user:role:type of context at level (malloc'ed), or NULL. */
char *selinux_context_at_level(const char *context, const char *level);

bool apparmor_enabled(void);
int apparmor_change_on_exec(const char *profile);
