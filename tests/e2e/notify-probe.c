/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A Type=notify service for the end-to-end tests: says READY=1 with
 * sd_notify() after a moment (so that "systemctl start" is seen to wait
 * for it), then waits for SIGTERM and exits 0. With "crash" as its
 * argument it dies of SIGSEGV instead of ever getting ready. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

int main(int argc, char *argv[]) {
        sigset_t set;
        int sig;

        if (argc > 1 && strcmp(argv[1], "crash") == 0) {
                usleep(200 * 1000);
                raise(SIGSEGV);
        }
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, NULL);
        usleep(500 * 1000);
        printf("notify-probe: ready as PID %d\n", (int) getpid());
        fflush(stdout);
        if (sd_notify(0, "READY=1\nSTATUS=serving") <= 0)
                return 1;
        sigwait(&set, &sig);
        printf("notify-probe: SIGTERM, exiting\n");
        return 0;
}
