/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "buffer.h"
#include "unit-props.h"

/*
 * What a converted profile makes of the unit's PrivateUsers= and
 * DynamicUser=, and of convert's --user-namespace=identity|private
 * (convert-userns.c):
 *
 *  - PrivateUsers=yes is <user-namespace mode="identity"/> unless the
 *    option says private: that is what it means to systemd;
 *  - DynamicUser=yes is <user-namespace mode="private"/>: its user is
 *    none of the host's, and identity maps only the host's own IDs, so
 *    identity is refused for it unless a user of that name is in the
 *    host's /etc/passwd (systemd then uses that one). Without one, the
 *    service runs as a numeric ID inside its namespace, never root:
 *    the owner of the directories systemd made for it below
 *    /var/lib/private, /var/cache/private and /var/log/private, which
 *    are bound writable where systemd binds them, on a tmpfs that shows
 *    nothing else of those directories; or 61184 without any;
 *  - a unit with neither takes the mode the option gives, if any.
 */

#define CONVERT_DYNAMIC_ID_FIRST 61184u /* systemd's dynamic users */
#define CONVERT_DYNAMIC_ID_LAST 65519u

typedef enum ConvertUserns {
        CONVERT_USERNS_NONE,
        CONVERT_USERNS_IDENTITY,
        CONVERT_USERNS_PRIVATE,
} ConvertUserns;

typedef struct ConvertUsers {
        ConvertUserns mode;
        char *user, *group;  /* for <exec>, NULL: the unit's User= and Group= */
        bool dynamic;        /* a dynamic user: a numeric ID, not root */
        char **private_dirs; /* "/var/lib/private", ...: a tmpfs each */
        char **binds;        /* "/var/lib/private/NAME", ...: bound writable at itself */
} ConvertUsers;

/* option: "identity", "private" or NULL. Decides the above, a note for
 * each choice; refuses (logged, -EINVAL) identity for a dynamic user, and
 * a state, cache or logs directory of a dynamic user that is not as
 * systemd makes it. 0, -EINVAL or -ENOMEM. */
int convert_users(const UnitProps *u, const char *option, ConvertUsers *ret, char ***notes);
void convert_users_done(ConvertUsers *c);

/* <user-namespace mode=.../> at the top level, nothing for none */
void convert_users_element(Buffer *b, const ConvertUsers *c);
/* the tmpfs and the binds of a dynamic user's directories, in <filesystem> */
void convert_users_filesystem(Buffer *b, const ConvertUsers *c);
