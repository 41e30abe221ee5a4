/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"

pid_t spawn_program(const char *program, char *const argv[], char *const envp[], int in, int out, int failed_status) {
        pid_t pid = fork();
        sigset_t none;

        if (pid < 0)
                return log_error_errno(-errno, "%s: fork: %m", program);
        if (pid > 0)
                return pid;
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void) signal(sig, SIG_DFL);
        if ((in >= 0 && dup2(in, STDIN_FILENO) < 0) || (out >= 0 && dup2(out, STDOUT_FILENO) < 0)) {
                log_error_errno(-errno, "%s: standard input or output: %m", program);
                _exit(failed_status);
        }
        execve(program, argv, envp);
        log_error_errno(-errno, "execute %s: %m", program);
        _exit(failed_status);
}

int spawn_wait(pid_t pid, int *ret_status) {
        while (waitpid(pid, ret_status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return 0;
}
