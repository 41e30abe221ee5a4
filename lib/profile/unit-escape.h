/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Writing values into unit files so that systemd's parser gives back
 * exactly what was meant (systemd.syntax(7), systemd.service(5)
 * "Command lines"): "%" is a specifier, "$" an environment reference in
 * command lines, backslash escapes and quotes are interpreted, and a lone
 * ";" separates commands.
 */

#include "buffer.h"

typedef enum UnitQuote {
        UNIT_QUOTE_EXEC,        /* a word of ExecStart=: "$" is doubled too */
        UNIT_QUOTE_WORD,        /* a quoted word of a setting such as Environment= */
        UNIT_QUOTE_EXEC_EXPAND, /* a word of ExecStart= whose "$" systemd is to expand at start */
} UnitQuote;

/* Appends s as one word, quoted when it needs to be. */
void unit_append_word(Buffer *b, const char *s, UnitQuote how);

/* Appends free text (a Description=): "%" doubled, control characters
 * and a leading space removed. */
void unit_append_text(Buffer *b, const char *s);
