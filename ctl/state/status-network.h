/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The network of a running bridged sandbox, from its lease
 * (net-lease.h), for "sandboxctl status" and "sandboxctl list --json". */

#include <stdbool.h>

#include "buffer.h"
#include "net-lease.h"

/* The lease of sandbox name, which runs: 1 and *ret; 0 when it has
 * none (no bridged network); -errno after logging. */
int status_network_read(const char *name, NetLease *ret);

/* "    network: bridge sandbox0, eth0 10.92.0.5/16 ..." and a
 * "    forward: ..." line per forward, to stdout. */
void status_network_print(const NetLease *l);

/* "\"network\": {...}": mode the profile's network mode (NULL: not
 * known), the rest from l, or null without one (the sandbox does not
 * run, or has no bridged network). */
void status_network_json(Buffer *b, const char *mode, const NetLease *l);
