/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "macro.h"
#include "quantities.h"

static int parse_digits(const char **p, uint64_t *ret) {
        uint64_t v = 0;
        const char *s = *p;

        if (!(*s >= '0' && *s <= '9'))
                return -EINVAL;
        for (; *s >= '0' && *s <= '9'; s++) {
                if (v > (UINT64_MAX - 9) / 10)
                        return -ERANGE;
                v = v * 10 + (uint64_t) (*s - '0');
        }
        *p = s;
        *ret = v;
        return 0;
}

int parse_size(const char *s, uint64_t *ret_bytes) {
        static const char suffixes[] = "KMGT";
        const char *p = s, *k;
        uint64_t v, factor = 1;
        int r;

        r = parse_digits(&p, &v);
        if (r < 0)
                return r;
        if (*p) {
                if (p[1] || !(k = strchr(suffixes, *p)))
                        return -EINVAL;
                for (const char *i = suffixes; i <= k; i++)
                        factor *= 1024;
        }
        if (v == 0)
                return -EINVAL;
        if (v > UINT64_MAX / factor)
                return -ERANGE;
        *ret_bytes = v * factor;
        return 0;
}

int parse_percent(const char *s, unsigned *ret) {
        const char *p = s;
        uint64_t v;
        int r;

        r = parse_digits(&p, &v);
        if (r < 0)
                return r;
        if (!streq(p, "%"))
                return -EINVAL;
        if (v < 1 || v > 100000)
                return -ERANGE;
        *ret = (unsigned) v;
        return 0;
}

int parse_uint_range(const char *s, uint64_t min, uint64_t max, uint64_t *ret) {
        const char *p = s;
        uint64_t v;
        int r;

        r = parse_digits(&p, &v);
        if (r < 0)
                return r;
        if (*p)
                return -EINVAL;
        if (v < min || v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}

int parse_timespan(const char *s) {
        /* the units systemd.time(7) lists for time spans */
        static const char *const units[] = {
                "usec", "us", "\xce\xbcs", "\xc2\xb5s", "msec", "ms", "seconds", "second", "sec", "s",
                "minutes", "minute", "min", "m", "hours", "hour", "hr", "h", "days", "day", "d",
                "weeks", "week", "w", "months", "month", "M", "years", "year", "y",
        };
        const char *p = s;
        int parts = 0;

        if (streq(s, "infinity"))
                return 0;
        for (;;) {
                uint64_t v;
                size_t n;
                bool known;

                p += strspn(p, " ");
                if (!*p)
                        break;
                if (parse_digits(&p, &v) < 0)
                        return -EINVAL;
                if (*p == '.') {
                        p++;
                        if (parse_digits(&p, &v) < 0)
                                return -EINVAL;
                }
                p += strspn(p, " ");
                /* a unit runs to the next digit or space ("55s500ms") */
                n = strcspn(p, " 0123456789");
                known = n == 0;
                for (size_t i = 0; i < ELEMENTSOF(units) && !known; i++)
                        known = strlen(units[i]) == n && strncmp(p, units[i], n) == 0;
                if (!known)
                        return -EINVAL;
                p += n;
                parts++;
        }
        return parts > 0 ? 0 : -EINVAL;
}

int parse_mode(const char *s, unsigned *ret) {
        unsigned v = 0;

        if (!*s || strlen(s) > 5)
                return -EINVAL;
        for (; *s; s++) {
                if (*s < '0' || *s > '7')
                        return -EINVAL;
                v = v * 8 + (unsigned) (*s - '0');
        }
        if (v > 07777)
                return -ERANGE;
        *ret = v;
        return 0;
}
