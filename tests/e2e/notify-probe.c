/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A Type=notify service for the end-to-end tests: says READY=1 with
 * sd_notify() after a moment (so that "systemctl start" is seen to wait
 * for it), then waits for SIGTERM and exits 0. Its argument picks what
 * else it does:
 *
 *   crash          dies of SIGSEGV instead of ever getting ready
 *   mainpid PID    after READY=1, says MAINPID=PID (another unit's process)
 *   watchdog       pings the watchdog (WATCHDOG=1) while
 *                  sd_watchdog_enabled() says so, until SIGUSR1
 *   reload         on SIGHUP: RELOADING=1 with MONOTONIC_USEC=, then
 *                  READY=1 and STATUS=reloaded N
 *   store          says how many descriptors it was given back from the
 *                  file descriptor store, and their names; given none,
 *                  stores a pipe's end as "kept" (FDPOLL=0: its other
 *                  end is gone with the process) and exits 1 (for
 *                  Restart=on-failure to start it again) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

static unsigned long long monotonic_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (unsigned long long) ts.tv_sec * 1000000ULL + (unsigned long long) ts.tv_nsec / 1000;
}

int main(int argc, char *argv[]) {
        const char *mode = argc > 1 ? argv[1] : "";
        uint64_t watchdog = 0;
        int reloads = 0;
        sigset_t set;

        if (strcmp(mode, "crash") == 0) {
                usleep(200 * 1000);
                raise(SIGSEGV);
        }
        if (strcmp(mode, "store") == 0) {
                char **names = NULL;
                int n = sd_listen_fds_with_names(0, &names), p[2];

                printf("notify-probe: given back %d stored descriptors named %s\n", n, n > 0 ? names[0] : "-");
                fflush(stdout);
                if (n == 0) {
                        if (pipe(p) < 0 || sd_pid_notify_with_fds(0, 0, "FDSTORE=1\nFDNAME=kept\nFDPOLL=0", &p[0], 1) <= 0)
                                return 2;
                        /* still running when the relay reads it */
                        usleep(300 * 1000);
                        return 1;
                }
        }
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        usleep(500 * 1000);
        printf("notify-probe: ready as PID %d\n", (int) getpid());
        fflush(stdout);
        if (sd_notify(0, "READY=1\nSTATUS=serving") <= 0)
                return 1;
        if (strcmp(mode, "mainpid") == 0 && argc > 2) {
                if (sd_notifyf(0, "MAINPID=%s", argv[2]) <= 0)
                        return 1;
                printf("notify-probe: said MAINPID=%s\n", argv[2]);
                fflush(stdout);
        }
        if (strcmp(mode, "watchdog") == 0) {
                if (sd_watchdog_enabled(0, &watchdog) <= 0)
                        return 1;
                printf("notify-probe: watchdog every %llu us\n", (unsigned long long) watchdog);
                fflush(stdout);
        }
        for (;;) {
                struct timespec timeout = { .tv_sec = (time_t) (watchdog / 4 / 1000000),
                                            .tv_nsec = (long) (watchdog / 4 % 1000000) * 1000 };
                int sig = watchdog ? sigtimedwait(&set, NULL, &timeout) : sigwaitinfo(&set, NULL);

                if (sig < 0 && watchdog) {
                        sd_notify(0, "WATCHDOG=1");
                        continue;
                }
                if (sig == SIGTERM)
                        break;
                if (sig == SIGUSR1) {
                        printf("notify-probe: SIGUSR1, no more watchdog pings\n");
                        fflush(stdout);
                        watchdog = 0;
                }
                if (sig == SIGHUP && strcmp(mode, "reload") == 0) {
                        sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu", monotonic_usec());
                        usleep(200 * 1000);
                        sd_notifyf(0, "READY=1\nSTATUS=reloaded %d", ++reloads);
                }
        }
        printf("notify-probe: SIGTERM, exiting\n");
        return 0;
}
