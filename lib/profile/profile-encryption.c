/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <state encryption="luks2">: the sandbox's state file system encrypted
 * (lib/core/state-key.h, docs/encrypted-state.md). */
#include <string.h>

#include "profile-parse.h"
#include "state-key.h"

void profile_parse_state_encryption(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *e = attr(n, "encryption");

        if (!e)
                return;
        /* another value was refused by the schema */
        if (streq(e, "luks2") || streq(e, "none"))
                c->profile->state_encrypted = streq(e, "luks2");
}

/* Fail closed: a profile that asks for encryption the sandbox could not
 * give is refused, never run with its state in the clear. */
unsigned profile_check_state_encryption(const Profile *p, Diagnostics *d) {
        const Origin o = p->state_origin;

        /* the schema asks for size= with it: encrypted state is always
         * on the sandbox's own file system */
        if (!p->state_encrypted || !p->state_size)
                return 0;
        if (!state_crypt_supported()) {
                diag_add(d, o.file, o.line, "<state>: encryption \"luks2\" needs libcryptsetup, which this build of "
                         "sandbox does not have (meson setup -Dcryptsetup=enabled); refusing to keep the state in the "
                         "clear");
                return 1;
        }
        return 0;
}
