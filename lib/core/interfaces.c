/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "interfaces.h"
#include "macro.h"

static const char *const names[] = { "run-lock", "journal", "dev-log", "dbus" };

const char *interface_to_string(Interface i) {
        for (size_t k = 0; k < ELEMENTSOF(names); k++)
                if (i == 1u << k)
                        return names[k];
        return NULL;
}

Interface interface_from_string(const char *s) {
        for (size_t k = 0; k < ELEMENTSOF(names); k++)
                if (streq(s, names[k]))
                        return (Interface) (1u << k);
        return 0;
}

void interfaces_format(unsigned set, char *buf, size_t size) {
        size_t n = 0;

        snprintf(buf, size, "none");
        for (size_t k = 0; k < ELEMENTSOF(names) && n < size; k++)
                if (set & (1u << k))
                        n += (size_t) snprintf(buf + n, size - n, "%s%s", n ? "," : "", names[k]);
}

int interfaces_parse(const char *s, unsigned *ret) {
        unsigned set = 0;
        char name[16];

        if (streq(s, "none")) {
                *ret = 0;
                return 0;
        }
        for (const char *p = s;;) {
                size_t len = strcspn(p, ",");
                Interface i;

                if (len == 0 || len >= sizeof(name))
                        return -EINVAL;
                memcpy(name, p, len);
                name[len] = 0;
                i = interface_from_string(name);
                if (i == 0 || (set & i))
                        return -EINVAL;
                set |= i;
                if (!p[len])
                        break;
                p += len + 1;
        }
        *ret = set;
        return 0;
}
