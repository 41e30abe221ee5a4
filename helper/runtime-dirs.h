/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"
#include "identity.h"

/* --runtime-dir: each /run/NAME made in the sandbox's /run, the
 * service's user's and group's with its MODE. Logs what failed. */
int make_runtime_dirs(const HelperConfig *c, const Identity *id);
