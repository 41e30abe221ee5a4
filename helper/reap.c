/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <sys/wait.h>

#include "reap.h"

static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

void reap_signal_set(sigset_t *set) {
        sigemptyset(set);
        sigaddset(set, SIGCHLD);
        for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
                sigaddset(set, forwarded[i]);
}

int reap_exit_status(int status) {
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return EXIT_SETUP;
}

int wait_forwarding(pid_t child, const sigset_t *set) {
        Reaping w = { .until = child, .signal_to = child };

        return reap_forwarding_for(&w, set, NULL);
}

int reap_forwarding_for(Reaping *w, const sigset_t *set, const struct timespec *timeout) {
        for (;;) {
                siginfo_t si;
                int status;
                pid_t p;

                while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
                        w->last_status = reap_exit_status(status);
                        if (p == w->until)
                                return w->last_status;
                }
                if (p < 0 && errno == ECHILD && w->until == REAP_ALL)
                        return w->last_status;
                if (p < 0 && errno != ECHILD && errno != EINTR)
                        return -errno;
                if (sigtimedwait(set, &si, timeout) < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (si.si_signo != SIGCHLD)
                        (void) kill(w->signal_to, si.si_signo);
        }
}
