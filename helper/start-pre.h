/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"

/* The --exec-start-pre commands, run by the service's process once it
 * is confined as the service and before it executes the service: each
 * as its child, to its end, in order. Returns 0 when the service may
 * start, else the status to exit with (the failed command's, after
 * logging). */
int run_start_pre(const HelperConfig *c, char **env);
