/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A sandbox's UID/GID range in its state (lib/core/userns-range.h), and
 * its state's files shifted into it or out of it (userns-state.c). */

#include <stdbool.h>

#include "helper-config.h"

/* --user-namespace=private */
bool userns_is_private(const HelperConfig *c);

/* Whether STATE_ROOT/NAME has a range recorded */
bool userns_state_has_record(const HelperConfig *c, const char *state_root);

/* Under the run lock. With --user-namespace=private: the range recorded
 * in the state, or a new one; a state made without it (files in its
 * upper or private dirs, no record) is shifted into it first, once.
 * Without: a state that has a range is shifted back out of it and the
 * record removed. Returns the range's base (> 0), 0 without the mode,
 * or -errno after logging. */
int userns_state_prepare(const HelperConfig *c, const char *state_root);
