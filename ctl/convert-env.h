/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "unit-props.h"

/* Refuses (-EPERM, logged) a unit with Environment= whose fragment or a
 * drop-in is not readable by every user: the values would land in a
 * profile every user can read. */
int convert_check_environment(const UnitProps *u);

/* An ExecStart= word as systemd expands it at start from env (the unit's
 * Environment=), appended to *out; a variable env does not set is
 * -EINVAL, logged, naming it. */
int convert_expand_word(char * const *env, const char *id, const char *w, char ***out);
