/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A bounded fork bomb: forks until fork() fails, or MAX (argv[1], else
 * 100) children run, each waiting on a pipe; reports how many it got and
 * how the next failed, then lets them all exit and waits for each.
 *
 *     forks N
 *     fork-error ERRNO|none
 *     reaped N
 */
#include "probe.h"

#include <sys/wait.h>

int main(int argc, char *argv[]) {
        int max = argc > 1 ? atoi(argv[1]) : 100, n = 0, err = 0, reaped = 0, p[2];
        pid_t *pids;

        if (max < 1 || max > 10000 || pipe2(p, O_CLOEXEC) < 0 || !(pids = calloc((size_t) max, sizeof(*pids))))
                return 2;
        for (; n < max; n++) {
                pid_t pid = fork();
                char c;

                if (pid < 0) {
                        err = errno;
                        break;
                }
                if (pid == 0) {
                        close(p[1]);
                        (void) !read(p[0], &c, 1); /* until the parent closes its end */
                        _exit(0);
                }
                pids[n] = pid;
        }
        say("forks", "%d", n);
        say("fork-error", "%s", err ? probe_errname(err) : "none");
        close(p[1]);
        for (int i = 0; i < n; i++)
                if (waitpid(pids[i], NULL, 0) == pids[i])
                        reaped++;
        say("reaped", "%d", reaped);
        return 0;
}
