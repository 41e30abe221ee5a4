/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to the profile model: from one file's XML tree to Profile. */

#include <libxml/tree.h>

#include "profile.h"

typedef struct ParseContext {
        Profile *profile;
        Diagnostics *diags;
        const char *file; /* a string in profile->files */
        unsigned problems;
} ParseContext;

/* Applies every setting of one file (all children of <sandbox> except
 * <include>) on top of what the profile already holds, checking each
 * value. Robust to documents the schema refused: what is missing or
 * malformed there was reported already and is skipped here. */
void profile_parse_settings(ParseContext *c, xmlNodePtr root);

/* Checks that look at the merged profile as a whole (one mount per
 * target, nothing over a mask, something to run). complete is false when
 * problems were found already, so that missing pieces are not reported
 * twice. Returns the number of problems added. */
unsigned profile_check(Profile *p, Diagnostics *diags, bool complete);
