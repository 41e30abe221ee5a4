/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/*
 * A word of a command line expanded from an environment as systemd
 * expands ExecStart= at each start (systemd.service(5), "Command
 * lines"), for <arg expand="yes">, which the generated unit leaves to
 * systemd and "sandboxctl run" expands itself:
 *   - a word that is "$NAME" alone becomes the value's words, split at
 *     whitespace, quotes taken off and a backslash keeping the next
 *     character; none when NAME is unset or not a valid name;
 *   - elsewhere "${NAME}" becomes the value, or nothing when unset, and
 *     "$$" a "$"; any other "$" stays, "${NAME:-...}" among them.
 * env has "NAME=VALUE" entries, the last of a name winning.
 */

int exec_expand_word(const char *word, char * const *env, char ***out);

/* The same with the values from lookup: for the n bytes of name it sets
 * *ret_value (NULL: unset) and returns 0, or returns < 0, which ends the
 * expansion with that error. */
typedef int (*ExecExpandLookup)(const char *name, size_t n, const char **ret_value, void *userdata);
int exec_expand_word_with(const char *word, ExecExpandLookup lookup, void *userdata, char ***out);

/* The value of the first n bytes of name in env ("NAME=VALUE" entries,
 * the last of a name winning), or NULL. */
const char *env_get(char * const *env, const char *name, size_t n);

/* The words of a value, as systemd splits "$NAME" alone in a command
 * line: at whitespace, quotes taken off, a backslash keeping the next
 * character; appended to *out. */
int env_value_words(const char *v, char ***out);
