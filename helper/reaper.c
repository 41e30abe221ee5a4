/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-reaper PID: what sandbox-helper's resident processes become
 * once the service runs, so that they hold little memory: wait for PID
 * (passing on the signals the helper forwards, reaping every other child
 * as PID 1 must) and exit with its status. Linked statically, with
 * nothing but libc. Started only by sandbox-helper, with those signals
 * already blocked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reap.h"

int main(int argc, char *argv[]) {
        sigset_t set;
        char *end;
        long pid;
        int r;

        if (argc != 2 || (errno = 0, pid = strtol(argv[1], &end, 10), errno != 0 || *end || pid <= 0)) {
                fprintf(stderr, "sandbox-reaper: started by sandbox-helper only (usage: sandbox-reaper PID)\n");
                return EXIT_SETUP;
        }
        reap_signal_set(&set);
        r = wait_forwarding((pid_t) pid, &set);
        if (r < 0) {
                fprintf(stderr, "sandbox-reaper: wait for PID %ld: %s\n", pid, strerror(-r));
                return EXIT_SETUP;
        }
        return r;
}
