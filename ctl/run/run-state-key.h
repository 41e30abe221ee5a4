/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The key of an encrypted state (<state encryption="luks2">) for
 * "sandboxctl run", which has no unit to load it: made as the state's
 * credential when it has none, as sandbox-state-key@.service would,
 * decrypted with systemd-creds, and handed to the helper in a memfd. */

#include "profile.h"

/* Appends --state-key=/proc/self/fd/N to argv for p when its state is
 * encrypted (N a memfd that survives the helper's execution, which reads
 * and closes it); nothing otherwise. state_root: --state-root as given,
 * or NULL. Returns 0 or -errno after logging. */
int run_state_key(const Profile *p, const char *state_root, char ***argv);
