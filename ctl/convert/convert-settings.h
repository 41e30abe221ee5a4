/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "buffer.h"
#include "unit-props.h"

/* The <unit-setting> elements of what u sets that passes through
 * (lib/profile/unit-settings.c), into b: its dependencies on other units but
 * systemd's defaults, its resource limits where they differ from the
 * manager's, UMask=, KillSignal=, WatchdogSec=, SyslogIdentifier=,
 * OOMScoreAdjust=, Nice=, MemoryHigh=, CPUWeight=, IO*Max= and
 * credentials. A value validate would refuse is a note
 * instead. 0 or -ENOMEM. */
int convert_unit_settings(Buffer *b, const UnitProps *u, char ***notes);

/* Whether "NAME=VALUE" of u->confining is carried by a <unit-setting>. */
bool convert_carried(const char *setting);
