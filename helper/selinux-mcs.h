/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "helper-config.h"

/* For --selinux-mcs: the sandbox's own pair of MCS categories (see
 * selinux-mcs.c), and from it c->selinux_label, the policy's container
 * process context at that level. starting: the sandbox is being built,
 * so a pair is allocated if it has none yet, and its state directory is
 * labelled as the policy's container files at that level; else (joining
 * a running one) the recorded pair is only read. Logs what fails and
 * returns -errno. */
int selinux_mcs_resolve(HelperConfig *c, bool starting);
