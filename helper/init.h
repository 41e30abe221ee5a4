/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>
#include <sys/types.h>

#include "helper-config.h"

/* Exit statuses of the helper itself, after env(1) and the container
 * tools: the sandbox could not be built, the command could not be
 * executed, the command was not found. */
#define EXIT_SETUP 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

/* The signals passed on to the service, and SIGCHLD; blocked in the
 * helper so that it takes them with sigwaitinfo(). */
void init_signal_set(sigset_t *set);

/* Waits for child, passing the forwarded signals on to it; returns its
 * exit status, or 128+N when signal N ended it. */
int wait_forwarding(pid_t child, const sigset_t *set);

/* PID 1 of the new PID namespace: builds the sandbox, starts the service
 * in it and stays as its init (reaping and forwarding) until it ends.
 * Returns the status to exit with. */
int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set);
