/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Syntax of the names a profile uses. Each returns true when valid. */

#include <stdbool.h>

#define SANDBOX_NAME_MAX 64
/* What the messages that refuse a sandbox or tag name say is allowed. */
#define NAME_CHARS_RULE "letters, digits, \"_\", \".\", \"-\", starting with a letter or digit"
#define NAME_RULE NAME_CHARS_RULE ", at most 64 characters"
#define SANDBOX_NAME_RULE NAME_RULE ", not \"profiles\""

/* A profile's name, as <include> names one: [A-Za-z0-9][A-Za-z0-9_.-]*,
 * at most 64 characters. */
bool profile_name_is_valid(const char *s);

/* A sandbox name: a profile name, so that sandbox@NAME.service,
 * /var/lib/sandbox/NAME and /run/sandbox/NAME are all well-formed
 * without escaping, but "profiles": /run/sandbox/profiles is where
 * runtime profiles are searched. */
bool sandbox_name_is_valid(const char *s);

/* A unit name such as "multi-user.target" or "sandbox@web.service". */
bool unit_name_is_valid(const char *s);

/* A host name: dot-separated labels of [A-Za-z0-9-], at most 64 bytes. */
bool hostname_is_valid(const char *s);

/* A user or group: a POSIX-style name or a decimal id. */
bool user_name_is_valid(const char *s);

/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
bool env_name_is_valid(const char *s);

/* A variable systemd or the sandbox sets for a service and gives a
 * meaning to (systemd.exec(5), "Environment Variables Set or Propagated
 * by the Service Manager"; sandbox-helper(8)), which a profile may not
 * set: sockets, PIDs, the watchdog, credentials, directories. */
bool env_name_is_reserved(const char *s);

/* A block device tag (a file name under /dev/disk/by-tag). */
bool tag_is_valid(const char *s);

/* Printable text without control characters (valid UTF-8 is assumed). */
bool text_is_printable(const char *s);
