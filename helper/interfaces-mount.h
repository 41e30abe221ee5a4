/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The system's standard interfaces inside the sandbox (interfaces.h's
 * set, --interfaces): /run/lock, the journal's sockets, /dev/log and the
 * system bus's socket. Each socket is the host's, bound on its own at
 * the same path, read-only: the service can connect to it, never
 * replace it, and nothing else of the host's /run comes with it. */

#include "helper-config.h"

/* In the sandbox's fresh /run (root: an O_PATH fd of the new root), before
 * the profile's mounts: what c->interfaces asks for, of what the host
 * has. A socket the host lacks is left out, with a debug message (a
 * warning for D-Bus). D-Bus for a service that is root, or keeps
 * CAP_SETUID, is refused (-EPERM). Returns the set of what was made, or
 * -errno after logging. */
int interfaces_run(int root, const HelperConfig *c);

/* In the sandbox's /dev (dev: an O_PATH fd), before it is made read-only:
 * /dev/log, a symbolic link to the journal's dev-log socket, when made
 * (interfaces_run()'s set) says that socket is in. Returns 0 or -errno
 * after logging. */
int interfaces_dev(int dev, unsigned made);
