/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* --debug: each set-up step logged as it ends, with how long it took. */

#include <time.h>

typedef struct StepTimer {
        const char *name;       /* the step under way, NULL before the first */
        struct timespec start;
} StepTimer;

/* Ends the step under way (logging its duration) and starts the next;
 * NULL ends the last one. */
void step_begin(StepTimer *t, const char *name);
