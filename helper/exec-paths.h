/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The profile's <no-exec-path> and <exec-path> (--no-exec-path,
 * --exec-path), applied on the finished root before pivot_root(). */

#include "helper-config.h"

/* Below a no-exec path every mount becomes noexec; below a longer exec
 * path noexec is taken off again, but only on mounts it was not on
 * before: the sandbox's own noexec mounts (/tmp, /run, /dev, /proc, /sys,
 * the masks) stay noexec. Each path is resolved inside root (an O_PATH
 * fd) and made a mount point of its own first. Nothing but noexec
 * changes. Returns 0, or -errno after logging: the start is refused. */
int exec_paths_apply(int root, const HelperConfig *c);
