/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <exec-start-pre>: commands that prepare the service's files in the
 * sandbox before it starts. They run from the service's own process,
 * after it has taken every step of the service's confinement (identity,
 * capabilities, no_new_privs, Landlock, seccomp; the exec label waits
 * for each execve()), and before it executes the service: a command
 * gets nothing the service would not have. Process 1 is confined
 * already (init.c's confine_init()) and waits meanwhile.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "profile-filter.h"
#include "reap.h"
#include "start-pre.h"

/* env without what only the service's own process is given: as
 * systemd's control processes under NotifyAccess=main, a command before
 * the service cannot say READY=1 for it, nor feed its watchdog */
static char **control_env(char **env) {
        size_t n = 0, k = 0;
        char **out;

        while (env[n])
                n++;
        out = calloc(n + 1, sizeof(char *));
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++)
                if (strncmp(env[i], "NOTIFY_SOCKET=", 14) != 0 && strncmp(env[i], "WATCHDOG_", 9) != 0)
                        out[k++] = env[i];
        return out;
}

static int run_one(const HelperHook *h, char **env, bool filter_asked) {
        int status;
        pid_t pid;

        log_debug("execute %s (exec-start-pre)", h->argv[0]);
        pid = fork();
        if (pid < 0)
                return log_error_errno(-errno, "exec-start-pre %s: fork: %m", h->argv[0]), EXIT_SETUP;
        if (pid == 0) {
                char **cenv = control_env(env);
                int e;

                if (!cenv)
                        _exit(EXIT_SETUP);
                /* the profile's filter, as the service's: the last step */
                e = profile_filter_load(filter_asked);
                if (e < 0) {
                        log_error_errno(e, "exec-start-pre: load the profile's system call filter: %m");
                        _exit(EXIT_SETUP);
                }
                execve(h->argv[0], h->argv, cenv);
                /* errno as execve() left it: logging may change it */
                e = errno;
                log_error_errno(-e, "exec-start-pre: execute %s: %m", h->argv[0]);
                _exit(e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
        }
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(-errno, "exec-start-pre %s: wait: %m", h->argv[0]), EXIT_SETUP;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        if (h->ignore_failure) {
                if (WIFSIGNALED(status))
                        log_info("exec-start-pre %s killed by signal %d, ignored as the profile says", h->argv[0],
                                 WTERMSIG(status));
                else
                        log_info("exec-start-pre %s exited with status %d, ignored as the profile says", h->argv[0],
                                 WEXITSTATUS(status));
                return 0;
        }
        if (WIFSIGNALED(status)) {
                log_error("exec-start-pre %s: killed by signal %d; the service does not start", h->argv[0], WTERMSIG(status));
                return 128 + WTERMSIG(status);
        }
        log_error("exec-start-pre %s: exited with status %d; the service does not start", h->argv[0], WEXITSTATUS(status));
        return WEXITSTATUS(status);
}

int run_start_pre(const HelperConfig *c, char **env) {
        int r;

        if (c->n_start_pre == 0)
                return 0;
        /* this process's memory is process 1's (init.c): a command, as
         * the same user, must not trace it or read it through /proc.
         * The flag is the memory's, which process 1 has cleared already;
         * cleared here too for the sanitizer builds, where this process
         * is a fork with memory of its own */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return log_error_errno(-errno, "exec-start-pre: not dumpable: %m"), EXIT_SETUP;
        for (size_t i = 0; i < c->n_start_pre; i++) {
                r = run_one(&c->start_pre[i], env, c->system_calls != NULL);
                if (r != 0)
                        return r;
        }
        return 0;
}
