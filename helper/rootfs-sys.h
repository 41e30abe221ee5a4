/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* The mount just made on path below root (an O_PATH fd of the new root),
 * opened anew, made read-only with all below it. Logs; 0 or -errno. */
int rootfs_made_readonly(int root, const char *path);

/* A sysfs of the sandbox's own on /sys, read-only, with the host's
 * cgroup hierarchies moved below it; made under RUNDIR/sys and moved in.
 * own_net: the sandbox has a network namespace of its own. Nothing to do
 * where root has no /sys. Logs; 0 or -errno. */
int rootfs_mount_sys(int root, const char *rundir, bool own_net);

/* Where the host has cgroup2 on /sys/fs/cgroup, a read-only cgroup2 of
 * the sandbox's cgroup namespace there instead. Logs; 0 or -errno. */
int rootfs_mount_cgroup(int root);
