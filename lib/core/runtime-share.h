/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A runtime directory shared with the host (<runtime-directory
 * share="host">, the helper's --shared-runtime-dir): /run/NAME on the
 * host, bound at the same path into the sandbox. Which NAMEs may be one,
 * for validate and the helper alike (runtime-share.c). */

#include <stdbool.h>

/* What the messages that refuse a name say is allowed. */
#define SHARED_RUNTIME_NAME_RULE                                                                                       \
        "a plain name directly below /run (letters, digits, \"_\", \".\", \"-\", \"@\", \"+\", starting with a "        \
        "letter or digit, at most 64 characters), not one of the system's own (systemd, sandbox, dbus, user, lock, "     \
        "credentials, ...)"

/* NULL when name may be shared, else why not (a phrase for a message):
 * a path ("/", ".."), a name of the system's own directories of /run
 * (the service manager's, the sandboxes', D-Bus's, the users', the locks,
 * the credentials, ...), or bad characters. */
const char *shared_runtime_name_refused(const char *name);
