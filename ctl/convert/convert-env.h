/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "unit-props.h"

/* Refuses (-EPERM, logged) a unit with Environment= whose fragment or a
 * drop-in is not readable by every user: the values would land in a
 * profile every user can read. */
int convert_check_environment(const UnitProps *u);

/* Whether systemd's expansion of an ExecStart= word must wait for the
 * start: it names a variable that the unit's Environment= does not set,
 * or the unit has an EnvironmentFile=, which is read at each start and
 * may set it over Environment=. Such a word goes into the profile as it
 * is, with expand="yes", never with a value from the file. */
bool convert_word_at_start(const UnitProps *u, const char *w);

/* An ExecStart= word as systemd expands it at start from env (the unit's
 * Environment=), appended to *out; a variable env does not set is
 * -EINVAL, logged, naming it (convert_word_at_start() says when). */
int convert_expand_word(char * const *env, const char *id, const char *w, char ***out);
