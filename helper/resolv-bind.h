/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* The resolv.conf sandbox-network wrote for a bridged sandbox (in its
 * runtime directory rundir), bound read-only on the sandbox's
 * /etc/resolv.conf: on the file itself, or where its link leads (the
 * sandbox's own /run, for systemd-resolved's stub-resolv.conf). */
int resolv_conf_bind(int root, const char *rundir);

#define RESOLV_CONF_NAME "resolv.conf"
