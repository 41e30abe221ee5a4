/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "identity.h"
#include "init.h"
#include "log.h"
#include "network.h"
#include "rootfs.h"
#include "step.h"

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

void init_signal_set(sigset_t *set) {
        sigemptyset(set);
        sigaddset(set, SIGCHLD);
        for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
                sigaddset(set, forwarded[i]);
}

static int exit_status(int status) {
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return EXIT_SETUP;
}

/* Reaps every child that has ended (as PID 1, orphans are ours too);
 * returns the status of child once it is among them, else -1. */
static int reap(pid_t child) {
        int status, result = -1;
        pid_t p;

        while ((p = waitpid(-1, &status, WNOHANG)) > 0)
                if (p == child)
                        result = exit_status(status);
        return result;
}

int wait_forwarding(pid_t child, const sigset_t *set) {
        for (;;) {
                siginfo_t si;
                int r;

                r = reap(child);
                if (r >= 0)
                        return r;
                if (sigwaitinfo(set, &si) < 0) {
                        if (errno == EINTR)
                                continue;
                        log_error_errno(-errno, "wait for signals: %m");
                        return EXIT_SETUP;
                }
                if (si.si_signo != SIGCHLD)
                        (void) kill(child, si.si_signo);
        }
}

static _Noreturn void exec_service(const HelperConfig *c, const sigset_t *set) {
        extern char **environ;
        int r;

        /* the service starts with the signal state of a fresh process */
        for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
                signal(forwarded[i], SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        sigprocmask(SIG_UNBLOCK, set, NULL);

        r = lsm_arm_exec(c);
        if (r >= 0)
                r = identity_apply(c);
        if (r < 0)
                _exit(EXIT_SETUP);
        log_debug("execute %s", c->argv[0]);
        execve(c->argv[0], c->argv, environ);
        r = errno;
        log_error_errno(-r, "execute %s: %m", c->argv[0]);
        _exit(r == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set) {
        StepTimer t = {};
        pid_t service;

        step_begin(&t, "start");
        if (rootfs_build(c, rundir, state_root, &t) < 0)
                return EXIT_SETUP;
        step_begin(&t, "network");
        if (c->network && !streq(c->network, "host") && loopback_up() < 0)
                return EXIT_SETUP;
        if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0) {
                log_error_errno(-errno, "hostname %s: %m", c->hostname);
                return EXIT_SETUP;
        }
        step_begin(&t, "service");
        service = fork();
        if (service < 0) {
                log_error_errno(-errno, "start the service: %m");
                return EXIT_SETUP;
        }
        if (service == 0)
                exec_service(c, set);
        step_begin(&t, NULL);
        return wait_forwarding(service, set);
}
