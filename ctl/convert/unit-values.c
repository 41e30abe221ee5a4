/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "capability-names.h"
#include "macro.h"
#include "quantities.h"
#include "strv.h"
#include "unit-values.h"

#define USEC_PER_SEC UINT64_C(1000000)

uint64_t unit_parse_usec(const char *v, uint64_t fallback) {
        char *end;
        double x, usec;

        if (streq(v, "infinity"))
                return UINT64_MAX;
        x = strtod(v, &end);
        if (end == v)
                return fallback;
        end += strspn(end, " ");
        if (streq(end, "ms"))
                usec = x * 1000;
        else if (streq(end, "min") || streq(end, "m"))
                usec = x * 60 * USEC_PER_SEC;
        else if (streq(end, "h"))
                usec = x * 3600 * USEC_PER_SEC;
        else
                usec = x * USEC_PER_SEC;
        /* a negative time, NaN or one past 2^64 us systemd refuses, and
         * the line before it stays; converting one to an integer would
         * be undefined */
        if (!(usec >= 0) || usec >= 18446744073709551616.0)
                return fallback;
        return (uint64_t) usec;
}

/* MemoryMax= as systemd reads it: bytes (lib's parse_size()), "infinity",
 * 0, or a whole percentage of the memory; a value it refuses leaves the
 * line before it */
void unit_set_bytes(uint64_t *field, const char *v) {
        uint64_t x;
        unsigned pct;
        long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);

        if (!*v || streq(v, "infinity"))
                *field = UINT64_MAX;
        else if (streq(v, "0"))
                *field = 0;
        else if (parse_size(v, &x) >= 0)
                *field = x;
        else if (parse_percent(v, &pct) >= 0 && pct <= 100 && pages > 0 && page > 0)
                *field = (uint64_t) pages * (uint64_t) page / 100 * pct;
}

/* a boolean as systemd reads one: 1, 0, or -EINVAL for a value it
 * ignores (the line before it stays) */
int unit_parse_boolean(const char *v) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" }, *const no[] = { "0", "no", "n", "false", "f", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

bool unit_parse_bool(const char *v) {
        return unit_parse_boolean(v) > 0;
}

/* a boolean setting: an invalid value leaves it as it was */
int unit_set_bool(bool *b, const char *v) {
        int r = unit_parse_boolean(v);

        if (r >= 0)
                *b = r;
        return 0;
}

/* the capabilities named (a first "~" is the caller's) */
uint64_t unit_parse_caps(char **words) {
        uint64_t mask = 0;

        STRV_FOREACH(w, words) {
                int cap = capability_from_any_name(*w + (w == words && **w == '~'));

                if (cap >= 0)
                        mask |= UINT64_C(1) << cap;
        }
        return mask;
}

/* "SIGINT", "INT" or a number; 0 for what is none of them */
int32_t unit_signal_number(const char *v) {
        const char *name = strncmp(v, "SIG", 3) == 0 ? v + 3 : v;

        for (int i = 1; i < 32; i++)
                if (sigabbrev_np(i) && streq(sigabbrev_np(i), name))
                        return i;
        return (int32_t) strtol(v, NULL, 10);
}
