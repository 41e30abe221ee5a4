/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/* the largest environment file read */
#define ENV_FILE_MAX (1U << 20)

/*
 * Parses text as systemd parses an EnvironmentFile= (systemd.exec(5);
 * the rules of systemd 252, which Debian 12 has):
 *   - "KEY=VALUE" lines; whitespace around KEY and before VALUE, and at
 *     the end of an unquoted VALUE, is dropped;
 *   - lines that start with "#" or ";" are comments; a "\" at the end of
 *     a comment line makes the next line part of the comment;
 *   - 'single' quotes keep everything; in "double" quotes, "\" takes
 *     away the meaning of \ " ` $ and is kept before any other
 *     character; outside quotes, "\" keeps the next character as it is;
 *     "\" at the end of a line joins the next one (in any of these);
 *   - quoted and unquoted parts of a value are joined;
 *   - a line without "=" is ignored; so is a name that is not a valid
 *     variable name ("export NAME=..." among them) and a value that is
 *     not valid UTF-8;
 *   - the text ends at its first NUL byte.
 * Each variable found replaces one of the same name in *env ("NAME=VALUE"
 * entries), or is appended. Returns the number of lines ignored, or
 * -ENOMEM.
 */
int env_file_parse(const char *text, char ***env);

/* Reads the regular file at path, of at most ENV_FILE_MAX bytes
 * (read_regular_file()), into *env with env_file_parse(). Optional: a
 * missing file is 0 and nothing. A file that is not root's, or that its
 * group or others can write, is -EPERM: whoever can write it decides the
 * service's environment. Does not log; the number of lines ignored, or
 * -errno. */
int env_file_load(const char *path, bool optional, char ***env);
