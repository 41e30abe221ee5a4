/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The helper's set-up as ordered tables of steps, one per process: the
 * helper on the host (main.c), process 1 of the sandbox (rootfs.c, then
 * init.c) and the service's process (init.c, identity.c). The helper
 * walks them to build the sandbox; --dry-run walks the same tables to
 * print the plan, and --debug logs each step as the walk ends it, so the
 * plan's order is the order the steps are taken in.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "helper-config.h"
#include "macro.h"

/* --debug: each set-up step logged as it ends, with how long it took. */
typedef struct StepTimer {
        const char *name;       /* the step under way, NULL before the first */
        struct timespec start;
        /* whose walk: "helper", "init", "service" or "join", for the
         * fault-injection hook (step_fault_setup()); NULL: none */
        const char *process;
        unsigned hits;          /* steps of the faulted name begun so far */
} StepTimer;

/* Ends the step under way (logging its duration) and starts the next;
 * NULL ends the last one. */
void step_begin(StepTimer *t, const char *name);

/* Fault injection (docs/reliability.md), compiled in only with the
 * build option fault-injection, and then honoured only when the real
 * user is root: SANDBOX_FAULT=PROCESS:STEP[#K]:ACTION stops (SIGSTOP;
 * process 1, which cannot stop itself, waits for ever) or kills
 * (SIGKILL) PROCESS as the K-th step named STEP of its walk (default
 * 1) begins. The variable is read and unset here, before anything is
 * made, so that the service never sees it. Returns 0 (also when it is
 * not honoured: then it is inert), or -EINVAL after logging when it is
 * honoured but malformed (the helper then refuses to start). */
int step_fault_setup(void);

/* For a step that is never to be left out, to show that what follows
 * refuses to go on without it: whether SANDBOX_FAULT=PROCESS:name[#K]:skip
 * asks t's walk to skip it this time (logged). Only the steps that ask
 * can be skipped: filter-prepare (identity.c). Always false without
 * fault injection. */
bool step_fault_skip(StepTimer *t, const char *name);

/* Whether SANDBOX_FAULT_OVERLAYS=attached (read by step_fault_setup(),
 * under the same conditions) asks the overlays on a capped state to be
 * made as where the kernel takes no layer on a detached mount (before
 * Linux 6.15; overlay.c), so that a test runs that path on any kernel.
 * Always false without fault injection. */
bool step_fault_overlays_attached(void);

/* The plan --dry-run prints: numbered lines, "NN. NAME DETAIL". */
typedef struct Plan {
        unsigned n;
} Plan;

void plan_line(Plan *p, const char *name, const char *format, ...) _printf_(3, 4);

typedef struct Step Step;

struct Step {
        /* the step's name in the plan and in --debug's log; NULL for a
         * step that names its parts itself (step_begin() for each, and
         * plan lines under those names), or for one that is only glue
         * between named steps and prints nothing */
        const char *name;
        /* whether the configuration asks for it; NULL: always. state is
         * the walk's, or NULL when the plan is printed: a condition that
         * depends on what the walk found so far reads it from there, and
         * from the host's file system when printing */
        bool (*when)(const HelperConfig *c, const void *state);
        /* does it: 0, or -errno once logged; state is the walk's */
        int (*run)(void *state, StepTimer *t);
        /* prints its lines; NULL for glue. A step that walks a table of
         * its own, with a state of its own, prints that table here */
        void (*plan)(const HelperConfig *c, Plan *p);
};

#define STEPS(table) (table), ELEMENTSOF(table)

/* Takes each step whose condition holds, in order, until one fails.
 * Returns 0 or the failing step's -errno. The last step stays under
 * way: the caller ends it. */
int steps_run(const Step *steps, size_t n, const HelperConfig *c, void *state, StepTimer *t);

/* Prints each step whose condition holds, in order. */
void steps_plan(const Step *steps, size_t n, const HelperConfig *c, Plan *p);
