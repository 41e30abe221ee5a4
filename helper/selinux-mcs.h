/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "helper-config.h"

/* For --selinux-mcs: the sandbox's own pair of MCS categories (see
 * selinux-mcs.c), and from it c->selinux_label, the policy's container
 * process context at that level. With label_state, the sandbox's state
 * directory is labelled as the policy's container files at that level.
 * Logs what fails and returns -errno. */
int selinux_mcs_resolve(HelperConfig *c, const char *state_root, bool label_state);
