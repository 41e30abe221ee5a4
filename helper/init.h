/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "console.h"
#include "helper-config.h"
#include "reap.h"

/* The umask the helper was started with (the unit's UMask=), which the
 * service gets back just before it executes. */
extern mode_t service_umask;

/* With every capability but CAP_KILL dropped, waits for child as
 * wait_forwarding() does. Returns the status to exit with. */
int wait_as_init(pid_t child, const sigset_t *set);

/* What a process that only waits, reaps, forwards signals or relays a
 * terminal keeps: CAP_KILL alone, no_new_privs, not dumpable. Logs. */
int drop_to_kill_only(void);

/* PID 1 of the new PID namespace: builds the sandbox, with the overlays
 * the first process sends on overlays (overlay.h), starts the service in
 * it (closing started once it is confined, just before the service
 * executes) and stays as its init, reaping and forwarding, until it
 * ends; with --forking, until its daemon ends, its readiness sent to
 * the relay (notify.h); with the pty of console.h when the helper's
 * stdio has a terminal. relay, the notification relay's socket
 * (notify-relay.h) or -EBADF, is bound at /run/systemd/notify and
 * closed. Returns the status to exit with. */
int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set, int started,
                 int overlays, int relay, Console *console);
