/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * <network mode="bridge">, from the helper: it runs sandbox-network
 * (helper/sandbox-network.c), the program that links libmnl and
 * libnftables, which this static one cannot, to make the sandbox's
 * network once process 1 is in its namespaces, and from the lock's keeper
 * to take it down once process 1 has ended.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "helper-config.h"

bool network_is_bridge(const HelperConfig *c);

/* sandbox-network setup, for process 1 init (the lease names keeper, the
 * run lock's keeper, as what it lives with), started: it runs while
 * process 1 builds the root. The sandbox's resolv.conf is made empty in
 * rundir first, for process 1 to bind; sandbox-network fills it in.
 * Returns its PID, or -errno after logging. */
pid_t bridge_setup_start(const HelperConfig *c, pid_t init, pid_t keeper, const char *state_root, const char *rundir);
/* Waits for it: 0 once the network is made, or -errno (sandbox-network
 * said why). */
int bridge_setup_wait(pid_t pid);

/* sandbox-network teardown: what the sandbox's lease names is taken
 * down. Returns 0 or -errno. */
int bridge_teardown(const char *name, const char *state_root, bool debug);
