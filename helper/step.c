/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "step.h"

void step_begin(StepTimer *t, const char *name) {
        struct timespec now;

        if (!log_debug_enabled())
                return;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (t->name)
                log_debug("step %s: %.3f ms", t->name,
                          (double) (now.tv_sec - t->start.tv_sec) * 1e3 + (double) (now.tv_nsec - t->start.tv_nsec) / 1e6);
        t->name = name;
        t->start = now;
}

void plan_line(Plan *p, const char *name, const char *format, ...) {
        va_list ap;

        printf("%2u. %-12s ", ++p->n, name);
        va_start(ap, format);
        vprintf(format, ap);
        va_end(ap);
        putchar('\n');
}

int steps_run(const Step *steps, size_t n, const HelperConfig *c, void *state, StepTimer *t) {
        for (size_t i = 0; i < n; i++) {
                const Step *s = &steps[i];
                int r;

                if (s->when && !s->when(c, state))
                        continue;
                if (s->name)
                        step_begin(t, s->name);
                r = s->run(state, t);
                if (r < 0)
                        return r;
        }
        return 0;
}

void steps_plan(const Step *steps, size_t n, const HelperConfig *c, Plan *p) {
        for (size_t i = 0; i < n; i++) {
                const Step *s = &steps[i];

                if (s->when && !s->when(c, NULL))
                        continue;
                if (s->plan)
                        s->plan(c, p);
        }
}
