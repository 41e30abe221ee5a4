/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "macro.h"
#include "quantities.h"
#include "run-limits.h"

/* the profile's values were checked when it was loaded: a failure here
 * is a value that the checks and this disagree about, refused */
int run_limits_from_profile(const Profile *p, RunLimits *ret) {
        RunLimits l = { UINT64_MAX, UINT64_MAX, UINT64_MAX, 0 };
        unsigned pct;
        int r;

        if (p->memory_max && !streq(p->memory_max, "infinity") && (r = parse_size(p->memory_max, &l.memory_max)) < 0)
                return r;
        if (p->tasks_max && !streq(p->tasks_max, "infinity") &&
            (r = parse_uint_range(p->tasks_max, 1, UINT32_MAX, &l.tasks_max)) < 0)
                return r;
        if (p->cpu_quota) {
                r = parse_percent(p->cpu_quota, &pct);
                if (r < 0)
                        return r;
                l.cpu_quota_usec = (uint64_t) pct * 10000; /* 1% of one CPU: 10 ms a second */
        }
        if (p->io_weight && (r = parse_uint_range(p->io_weight, 1, 10000, &l.io_weight)) < 0)
                return r;
        *ret = l;
        return 0;
}

bool run_limits_any(const RunLimits *l) {
        return l->memory_max != UINT64_MAX || l->tasks_max != UINT64_MAX || l->cpu_quota_usec != UINT64_MAX ||
                l->io_weight != 0;
}
