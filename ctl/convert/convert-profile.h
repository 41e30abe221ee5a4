/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* where convert --enable points a socket unit that starts the converted
 * service at its sandbox: DIR/UNIT.socket.d/NAME, with Service= */
#define SOCKET_DROPIN_DIR "/etc/systemd/system"
#define SOCKET_DROPIN_NAME "sandbox.conf"

#include <stdbool.h>

#include "unit-props.h"

/* Refuses, with one line on stderr, a unit a sandbox cannot run as the
 * unit says (not loaded, masked, a oneshot, started by a socket with
 * Accept=yes, ...): -EINVAL. */
int convert_check(const UnitProps *u);

/* The profile of sandbox name that runs u's service: its command, user,
 * environment, type and restart, its writable paths (in the /etc and /var
 * overlays or bound), capabilities, network and resources. Capabilities
 * that reach past the sandbox (capabilities.h) are left out, or with
 * keep_unsafe kept in keep-unsafe=. Every setting of u without a profile
 * equivalent, and every such capability, is one line of *ret_notes, and
 * also in a comment at the top of the profile. A setting that confines
 * and that the profile cannot carry refuses the conversion
 * (convert-widen.h), unless accept_widening. user_namespace: convert's
 * --user-namespace=, "identity", "private" or NULL (convert-userns.h).
 * Returns 0, -ENOMEM, or
 * -EINVAL or -EPERM after saying why. */
int convert_profile(const UnitProps *u, const char *name, const char *user_namespace, bool keep_unsafe,
                    bool accept_widening, char **ret_text, char ***ret_notes);
