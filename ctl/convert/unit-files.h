/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "unit-props.h"

/* unit's settings read from its unit file and drop-ins on disk, for when
 * no systemd manager can be asked: along $SYSTEMD_UNIT_PATH (colon-
 * separated) or systemd's own directories, the first fragment of the
 * name (or of its template) and every drop-in *.conf of UNIT.d/ (and of
 * the template's), a file name's first place winning, in the order of
 * their names. What the manager would add (its defaults, generators,
 * specifiers beyond %i %I %n %N %p %P %%) is not there. *ret_source is
 * the fragment's path (NULL when none). Logs; 0 or -errno. */
int unit_props_from_files(const char *unit, UnitProps *ret, char **ret_source, size_t *ret_dropins);
