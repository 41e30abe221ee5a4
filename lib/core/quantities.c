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
                uint64_t d = (uint64_t) (*s - '0');

                if (v > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
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

#define USEC_PER_SEC UINT64_C(1000000)

/* systemd keeps a time span in 64-bit microseconds and refuses one that
 * does not fit, so a span is summed the same way here: the unit file would
 * otherwise lose the setting at load time. */
int parse_timespan(const char *s) {
        /* the units systemd.time(7) lists, with their length */
        static const struct {
                const char *name;
                uint64_t usec;
        } units[] = {
                { "usec", 1 }, { "us", 1 }, { "\xce\xbcs", 1 }, { "\xc2\xb5s", 1 },
                { "msec", 1000 }, { "ms", 1000 },
                { "seconds", USEC_PER_SEC }, { "second", USEC_PER_SEC }, { "sec", USEC_PER_SEC }, { "s", USEC_PER_SEC },
                { "minutes", 60 * USEC_PER_SEC }, { "minute", 60 * USEC_PER_SEC }, { "min", 60 * USEC_PER_SEC },
                { "m", 60 * USEC_PER_SEC },
                { "hours", 3600 * USEC_PER_SEC }, { "hour", 3600 * USEC_PER_SEC }, { "hr", 3600 * USEC_PER_SEC },
                { "h", 3600 * USEC_PER_SEC },
                { "days", 86400 * USEC_PER_SEC }, { "day", 86400 * USEC_PER_SEC }, { "d", 86400 * USEC_PER_SEC },
                { "weeks", 604800 * USEC_PER_SEC }, { "week", 604800 * USEC_PER_SEC }, { "w", 604800 * USEC_PER_SEC },
                { "months", 2629800 * USEC_PER_SEC }, { "month", 2629800 * USEC_PER_SEC }, { "M", 2629800 * USEC_PER_SEC },
                { "years", 31557600 * USEC_PER_SEC }, { "year", 31557600 * USEC_PER_SEC }, { "y", 31557600 * USEC_PER_SEC },
        };
        const char *p = s;
        uint64_t total = 0;
        int parts = 0, r;

        if (streq(s, "infinity"))
                return 0;
        for (;;) {
                uint64_t v, frac = 0, frac_scale = 1, factor = USEC_PER_SEC, fraction, add;
                size_t n;
                bool known;

                p += strspn(p, " ");
                if (!*p)
                        break;
                /* systemd takes ".5s" as half a second */
                if (p[0] == '.' && p[1] >= '0' && p[1] <= '9')
                        v = 0;
                else {
                        r = parse_digits(&p, &v);
                        if (r < 0)
                                return r;
                }
                if (*p == '.') {
                        p++;
                        if (!(*p >= '0' && *p <= '9'))
                                return -EINVAL;
                        /* nine digits are finer than a microsecond of any unit but years */
                        for (; *p >= '0' && *p <= '9'; p++)
                                if (frac_scale < UINT64_C(1000000000)) {
                                        frac = frac * 10 + (uint64_t) (*p - '0');
                                        frac_scale *= 10;
                                }
                }
                p += strspn(p, " ");
                /* a unit runs to the next digit or space ("55s500ms") */
                n = strcspn(p, " 0123456789");
                known = n == 0;
                for (size_t i = 0; i < ELEMENTSOF(units) && !known; i++)
                        if (strlen(units[i].name) == n && strncmp(p, units[i].name, n) == 0) {
                                known = true;
                                factor = units[i].usec;
                        }
                if (!known)
                        return -EINVAL;
                p += n;
                parts++;

                /* the same bounds as systemd: each number fits a signed 64-bit
                 * integer, each part and the sum stay below "infinity" */
                if (v > INT64_MAX || v >= UINT64_MAX / factor)
                        return -ERANGE;
                /* frac < frac_scale <= 10^9: neither product can overflow */
                fraction = factor / frac_scale * frac + factor % frac_scale * frac / frac_scale;
                add = v * factor + fraction;
                if (add < fraction || total >= UINT64_MAX - add)
                        return -ERANGE;
                total += add;
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
