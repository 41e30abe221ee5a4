/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <cap-ng.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buffer.h"
#include "capability-names.h"

int capability_from_name(const char *name) {
        int cap;

        if (strncmp(name, "CAP_", 4) != 0 || !name[4])
                return -EINVAL;
        for (const char *p = name + 4; *p; p++)
                if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
                        return -EINVAL;
        cap = capng_name_to_capability(name + 4);
        return cap >= 0 && cap < 64 ? cap : -EINVAL;
}

int capability_from_any_name(const char *name) {
        char buf[CAPABILITY_NAME_MAX];

        if ((size_t) snprintf(buf, sizeof(buf), "%s%s", strncasecmp(name, "CAP_", 4) == 0 ? "" : "CAP_", name) >=
            sizeof(buf))
                return -EINVAL;
        for (char *p = buf; *p; p++)
                *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        return capability_from_name(buf);
}

int capability_to_name(unsigned cap, char buf[static CAPABILITY_NAME_MAX]) {
        const char *n = cap < 64 ? capng_capability_to_name(cap) : NULL;

        if (!n || (size_t) snprintf(buf, CAPABILITY_NAME_MAX, "CAP_%s", n) >= CAPABILITY_NAME_MAX)
                return -EINVAL;
        for (char *p = buf + 4; *p; p++)
                *p = (char) (*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        return 0;
}

char *capabilities_names(uint64_t mask) {
        _cleanup_buffer_ Buffer b = {};
        bool first = true;

        for (unsigned i = 0; i < 64; i++) {
                char name[CAPABILITY_NAME_MAX];

                if (!(mask & (UINT64_C(1) << i)) || capability_to_name(i, name) < 0)
                        continue;
                buffer_printf(&b, "%s%s", first ? "" : " ", name);
                first = false;
        }
        return buffer_steal(&b);
}
