/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "buffer.h"
#include "unit-props.h"

/* NoExecPaths= and ExecPaths= of u (in u->confining: their entries
 * joined by spaces, each "PATH" or "-PATH") as <no-exec-path> and
 * <exec-path> elements of <filesystem>, into b, with a note each. Only
 * when both can be carried whole: every entry an absolute, normalised
 * path, with no specifier, quote or "+", and no path in both; else
 * nothing is written and convert_widening() refuses them. 0 or -ENOMEM. */
int convert_exec_paths(Buffer *b, const UnitProps *u, char ***notes);

/* Whether setting ("NoExecPaths=..." or "ExecPaths=...") is carried by
 * convert_exec_paths() */
bool convert_exec_paths_carried(const UnitProps *u, const char *setting);
