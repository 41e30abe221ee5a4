/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
