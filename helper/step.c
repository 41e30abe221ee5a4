/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "quantities.h"
#include "step.h"

#if FAULT_INJECTION
/* SANDBOX_FAULT as step_fault_setup() found it; written once, before the
 * first fork, and only read after */
static struct {
        char process[16], step[32];
        unsigned k;
        bool stop;
        bool skip;  /* for a step that asks step_fault_skip() only */
        bool overlays_attached; /* SANDBOX_FAULT_OVERLAYS=attached */
} fault;

/* SANDBOX_FAULT_OVERLAYS, beside SANDBOX_FAULT (so that the fault walk
 * runs through it too): read and unset as it is, and as inert for
 * anyone but root */
static int overlays_setup(void) {
        const char *e = getenv("SANDBOX_FAULT_OVERLAYS");

        if (!e)
                return 0;
        if (getuid() == 0) {
                if (!streq(e, "attached"))
                        return log_error_errno(-EINVAL, "SANDBOX_FAULT_OVERLAYS=%s: not \"attached\"", e);
                fault.overlays_attached = true;
        }
        unsetenv("SANDBOX_FAULT_OVERLAYS");
        return 0;
}

int step_fault_setup(void) {
        const char *e = getenv("SANDBOX_FAULT");
        char buf[96], *step, *action, *hash;
        uint64_t k = 1;

        if (overlays_setup() < 0)
                return -EINVAL;
        if (!e)
                return 0;
        /* a test's switch: inert for anyone but root, as a service's
         * environment passed on by a user must never stop a helper */
        if (getuid() != 0) {
                unsetenv("SANDBOX_FAULT");
                return 0;
        }
        if (strlen(e) >= sizeof(buf))
                goto invalid;
        strcpy(buf, e);
        step = strchr(buf, ':');
        action = step ? strchr(step + 1, ':') : NULL;
        if (!action)
                goto invalid;
        *step++ = 0;
        *action++ = 0;
        hash = strchr(step, '#');
        if (hash) {
                *hash++ = 0;
                if (parse_uint_range(hash, 1, 1000, &k) < 0)
                        goto invalid;
        }
        if (!strstr(",helper,init,service,join,", buf) || strchr(buf, ',') || !*buf || !*step ||
            strlen(buf) >= sizeof(fault.process) || strlen(step) >= sizeof(fault.step) ||
            (strcmp(action, "stop") != 0 && strcmp(action, "kill") != 0 && strcmp(action, "skip") != 0))
                goto invalid;
        strcpy(fault.process, buf);
        strcpy(fault.step, step);
        fault.k = (unsigned) k;
        fault.stop = streq(action, "stop");
        fault.skip = streq(action, "skip");
        unsetenv("SANDBOX_FAULT");
        return 0;
invalid:
        return log_error_errno(-EINVAL, "SANDBOX_FAULT=%s: not PROCESS:STEP[#K]:stop|kill|skip, PROCESS one of helper, "
                               "init, service, join", e);
}

/* The fault asked for, as t's walk begins step name. Its message says
 * which, for the test that waits for it. */
static void fault_maybe(StepTimer *t, const char *name) {
        if (!*fault.process || fault.skip || !t->process || !streq(t->process, fault.process) ||
            !streq(name, fault.step) || ++t->hits != fault.k)
                return;
        log_info("fault injection: %s stops at step %s#%u (%s)", t->process, name, fault.k,
                 fault.stop ? "stop" : "kill");
        if (!fault.stop) {
                (void) kill(getpid(), SIGKILL);
                /* process 1 of a PID namespace does not end by its own
                 * signal: it ends as the killed would */
                _exit(128 + SIGKILL);
        }
        (void) kill(getpid(), SIGSTOP);
        /* process 1 does not stop by its own signal: it waits for the
         * one from outside; another goes on once continued */
        while (getpid() == 1)
                pause();
}

bool step_fault_skip(StepTimer *t, const char *name) {
        if (!fault.skip || !t->process || !streq(t->process, fault.process) || !streq(name, fault.step) ||
            ++t->hits != fault.k)
                return false;
        log_info("fault injection: %s skips step %s#%u", t->process, name, fault.k);
        return true;
}

bool step_fault_overlays_attached(void) {
        return fault.overlays_attached;
}
#else
int step_fault_setup(void) {
        return 0;
}

bool step_fault_skip(_unused_ StepTimer *t, _unused_ const char *name) {
        return false;
}

bool step_fault_overlays_attached(void) {
        return false;
}
#endif

void step_begin(StepTimer *t, const char *name) {
        struct timespec now;

#if FAULT_INJECTION
        if (name)
                fault_maybe(t, name);
#endif
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
