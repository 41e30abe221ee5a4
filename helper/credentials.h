/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"

/* With $CREDENTIALS_DIRECTORY set by systemd (exactly
 * /run/credentials/sandbox@NAME.service, a ramfs or tmpfs of root's):
 * its files copied to the same path in the sandbox's fresh /run (root,
 * an O_PATH fd of the new root), on a sized tmpfs, read-only, the
 * service's user's. Without it, nothing. Logs what failed; 0 or -errno. */
int credentials_copy(int root, const HelperConfig *c);
