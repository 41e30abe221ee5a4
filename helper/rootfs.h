/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"
#include "step.h"

/* Builds the sandbox's file system in the calling process's mount
 * namespace (which must be its own) under RUNDIR/root, with the /etc and
 * /var overlays received on overlays (overlays_send()), and pivots into
 * it, walking rootfs_steps. Logs what failed; returns 0 or -errno. */
int rootfs_build(const HelperConfig *c, const char *rundir, const char *state_root, int overlays, int notify,
                 StepTimer *t);

/* Process 1's steps from its mount namespace to pivot_root(), in order. */
extern const Step rootfs_steps[];
extern const size_t n_rootfs_steps;

/* The step names of the command line's mounts, by kind. */
extern const char *const rootfs_mount_kinds[];

/* The command line's mounts in the order they are mounted: a parent
 * before what is below it, else in the given order. malloc'd; NULL when
 * out of memory. */
const HelperMount **rootfs_mount_order(const HelperConfig *c);
