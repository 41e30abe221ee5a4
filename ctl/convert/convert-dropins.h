/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "unit-props.h"

/*
 * The drop-ins "sandboxctl convert --enable" writes beside the original
 * unit's files, in /etc/systemd/system, each whole or not at all, as
 * root's: one per socket that starts the unit (its Service= is the
 * sandbox), and one for the unit itself, whose name then stands in for
 * the sandbox. Each says how to undo it.
 */

/* The sockets' drop-ins; their removal, for a roll-back. */
int socket_dropins_write(const UnitProps *u, const char *sandbox);
void socket_dropins_remove(const UnitProps *u);

/* The unit's own name starts, stops and restarts the sandbox, and runs
 * nothing of its own: units that need it, and admins who name it, get
 * the sandbox. It is written, not started: it is active only once
 * something started it. */
int stand_in_write(const UnitProps *u, const char *sandbox);
/* Whether systemd, after a reload, runs nothing of the unit's own under
 * its name: /bin/true alone. Logs what it found otherwise. */
int stand_in_check(sd_bus *bus, const char *unit);
void stand_in_remove(const UnitProps *u);
