/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "macro.h"
#include "system-calls.h"

/* execve() itself; exit() and exit_group() for its failure and for the
 * end of a thread; rt_sigreturn() and sigreturn() for a signal handled
 * in between, as systemd allows them to any SystemCallFilter=
 * allow-list */
const char *const system_calls_always_allowed[] = {
        "execve", "exit", "exit_group", "rt_sigreturn", "sigreturn", NULL,
};

bool system_call_always_allowed(const char *name) {
        for (const char *const *a = system_calls_always_allowed; *a; a++)
                if (streq(*a, name))
                        return true;
        return false;
}

bool system_call_name_is_valid(const char *name) {
        size_t n = strlen(name);

        return n > 0 && n < 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

bool system_calls_spec_is_valid(const char *spec) {
        bool deny = spec[0] == '~';
        const char *p = spec + deny;

        if (!*p)
                return false;
        while (*p) {
                size_t n = strcspn(p, ",");
                char name[64];

                if (n == 0 || n >= sizeof(name))
                        return false;
                memcpy(name, p, n);
                name[n] = 0;
                if (!system_call_name_is_valid(name) || (deny && system_call_always_allowed(name)))
                        return false;
                p += n;
                if (*p == ',' && !*++p)
                        return false;
        }
        return true;
}
