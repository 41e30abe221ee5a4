/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The processes of a running sandbox, found from its helper's PID (the
 * run lock's holder, run-lock.h): the sandbox's PID 1, and the service's
 * process among PID 1's children. For the helper's --join and sandboxctl
 * status alike. What is found is a PID as /proc listed it: a caller that
 * acts on it holds it with a pidfd and checks it again (join.c). Nothing
 * here logs. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* PID 1 of the sandbox helper runs: its child that is PID 1 of a PID
 * namespace of its own (its innermost PID is 1, and it has another).
 * 0 when there is none (starting, or stopping). */
pid_t sandbox_init_find(pid_t helper);

/* The oldest child of parent, by start time (the lower PID of two
 * started in the same tick): for the sandbox's PID 1, the service's
 * process, which it starts first (for a forking service, the daemon its
 * command left); the others are orphans PID 1 adopted later. 0 when
 * parent has none. */
pid_t proc_oldest_child(pid_t parent);
