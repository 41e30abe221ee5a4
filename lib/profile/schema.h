/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Structural validation of a profile document against profiles/sandbox.rng
 * (built into the programs). Two passes use the one schema: a walk that
 * reads the element and attribute rules out of the grammar and reports
 * every violation with a message an administrator can act on, and
 * libxml2's RELAX NG validator as the authority behind it. The schema is
 * compiled once per process.
 */

#include <libxml/tree.h>

#include "diagnostics.h"

/* Checks doc; adds a diagnostic for every problem. Returns the number of
 * problems found (0 when valid), or -errno when the schema itself could
 * not be compiled. */
int schema_check(xmlDocPtr doc, const char *file, Diagnostics *diags);

/* Frees the compiled schema (for leak checkers at exit). */
void schema_release(void);
