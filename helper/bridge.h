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

/* sandbox-network setup, for process 1 init; the sandbox's resolv.conf
 * written in rundir. Returns 0 or -errno (sandbox-network said why). */
int bridge_setup(const HelperConfig *c, pid_t init, const char *state_root, const char *rundir);

/* sandbox-network teardown: what the sandbox's lease names is taken
 * down. Returns 0 or -errno. */
int bridge_teardown(const char *name, bool debug);
