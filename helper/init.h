/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "helper-config.h"
#include "reap.h"

/* An fd of sandbox-reaper, found beside the helper's binary, or -errno. */
int reaper_open(void);

/* Waits for child as wait_forwarding() does: by becoming sandbox-reaper
 * (reaper, when >= 0), whose memory is a fraction of the helper's, or
 * else in this process. Returns the status to exit with. */
int wait_as_reaper(int reaper, pid_t child, const sigset_t *set);

/* PID 1 of the new PID namespace: builds the sandbox, starts the service
 * in it (then closes started) and stays as its init (reaping and
 * forwarding, as reaper when >= 0) until it ends. Returns the status to
 * exit with. */
int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set, int reaper,
                 int started);
