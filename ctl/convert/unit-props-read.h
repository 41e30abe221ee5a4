/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The readers of unit-props.c: one property's value of the manager's
 * types, from inside its variant, into a field of UnitProps. Each returns
 * 0 or -errno.
 */

#include <systemd/sd-bus.h>

#include "convert-widen.h"
#include "unit-props.h"

int read_commands(sd_bus_message *m, UnitCommands *ret);
int read_env_files(sd_bus_message *m, char ***ret);
int read_binds(sd_bus_message *m, UnitBinds *ret);
int read_list(sd_bus_message *m, char ***ret);
int read_addresses(sd_bus_message *m, char ***ret);
int read_pairs(sd_bus_message *m, char ***ret);
int read_credentials(sd_bus_message *m, char ***ret);
int read_label(sd_bus_message *m, char **ret);
/* c's value, entered from its variant, as "NAME=VALUE" into u->confining
 * when it is set */
int read_confining(sd_bus_message *m, const ConfiningSetting *c, UnitProps *u);
