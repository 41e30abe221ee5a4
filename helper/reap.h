/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Waiting for a child while passing signals on to it: what the helper's
 * two resident processes do once the service runs. */

#include <signal.h>
#include <sys/types.h>
#include <time.h>

/* Exit statuses of the helper itself, after env(1) and the container
 * tools: the sandbox could not be built, the command could not be
 * executed, the command was not found. */
#define EXIT_SETUP 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

/* The signals passed on to the service, and SIGCHLD; blocked, so that
 * they are taken with sigwaitinfo(). */
void reap_signal_set(sigset_t *set);

/* A wait status as an exit status: 128+N after signal N. */
int reap_exit_status(int status);

/* Reaps every child that ends (as PID 1, orphans included) and passes
 * the forwarded signals on to child, until child ends; returns its exit
 * status, or 128+N when signal N ended it; -errno when waiting failed. */
int wait_forwarding(pid_t child, const sigset_t *set);

/* Every process of a PID namespace, as its PID 1 reaches them: kill(-1)
 * from there spares only PID 1 itself. */
#define REAP_ALL ((pid_t) -1)

typedef struct Reaping {
        pid_t until;     /* the child whose end ends the waiting; REAP_ALL: until no child is left */
        pid_t signal_to; /* where the forwarded signals go: a PID, or REAP_ALL */
        int last_status; /* of the last child reaped, as returned below */
} Reaping;

/* What wait_forwarding() does, for the processes w names, or -EAGAIN
 * when timeout (NULL: none) passes without a signal. Returns
 * the exit status of w->until, or (REAP_ALL) of the last child reaped,
 * w->last_status when none is left to reap at all; -EAGAIN when timeout
 * passes without a signal; -errno when waiting failed. */
int reap_forwarding_for(Reaping *w, const sigset_t *set, const struct timespec *timeout);
