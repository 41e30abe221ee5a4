/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"
#include "step.h"

/* Builds the sandbox's file system in the calling process's mount
 * namespace (which must be its own) under RUNDIR/root, with the /etc and
 * /var overlays received on overlays (overlays_send()), and pivots into
 * it. Logs what failed; returns 0 or -errno. */
int rootfs_build(const HelperConfig *c, const char *rundir, const char *state_root, int overlays, int notify,
                 StepTimer *t);
