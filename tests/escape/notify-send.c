/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * notify-send [--to=PATH] MESSAGE...: sends each MESSAGE as one datagram
 * to $NOTIFY_SOCKET (or PATH), as sd_notify(3) would; "\n" in a MESSAGE
 * is a line break. A MESSAGE starting with "+fd:" goes with a pipe's
 * write end (as sd_notify_barrier() and the file descriptor store send
 * one); "+barrier" is sd_notify_barrier(): BARRIER=1 with a pipe, then
 * whether systemd's side closed it within 5 s. "+sleep:MS" waits.
 * "+repeat:N:MESSAGE" sends MESSAGE N times, as fast as it can.
 *
 *     env NOTIFY_SOCKET-VALUE     what the service was given
 *     watchdog-pid self|other|unset
 *     watchdog-usec VALUE|unset
 *     send-N ok|ERRNO             each message
 *     barrier ok|ETIMEDOUT|ERRNO
 */
#include "probe.h"

#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

static int send_one(const char *to, const char *text, int fd) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char buf[8192];
        size_t n = 0;
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov;
        struct msghdr mh = { .msg_name = &sa, .msg_iov = &iov, .msg_iovlen = 1 };
        int s, r;

        for (const char *p = text; *p && n < sizeof(buf) - 1; p++) {
                if (p[0] == '\\' && p[1] == 'n') {
                        buf[n++] = '\n';
                        p++;
                } else
                        buf[n++] = *p;
        }
        iov = (struct iovec) { .iov_base = buf, .iov_len = n };
        strncpy(sa.sun_path, to, sizeof(sa.sun_path) - 1);
        if (to[0] == '@')
                sa.sun_path[0] = 0;
        mh.msg_namelen = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + strlen(to) + (to[0] == '/'));
        if (fd >= 0) {
                struct cmsghdr *c;

                mh.msg_control = control.buf;
                mh.msg_controllen = sizeof(control.buf);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                return -1;
        r = (int) sendmsg(s, &mh, MSG_NOSIGNAL);
        close(s);
        return r;
}

int main(int argc, char *argv[]) {
        const char *to = getenv("NOTIFY_SOCKET");
        char key[32];
        int i = 1;

        const char *wpid = getenv("WATCHDOG_PID"), *wusec = getenv("WATCHDOG_USEC");

        printf("env %s\n", to ? to : "unset");
        printf("watchdog-pid %s\n", !wpid ? "unset" : atoi(wpid) == (int) getpid() ? "self" : "other");
        printf("watchdog-usec %s\n", wusec ? wusec : "unset");
        if (argc > 1 && strncmp(argv[1], "--to=", 5) == 0)
                to = argv[i++] + 5;
        if (!to)
                return 1;
        for (int k = 1; i < argc; i++, k++) {
                int p[2] = { -1, -1 };

                snprintf(key, sizeof(key), "send-%d", k);
                if (strncmp(argv[i], "+sleep:", 7) == 0) {
                        struct timespec ts = { .tv_sec = atoi(argv[i] + 7) / 1000,
                                               .tv_nsec = (atoi(argv[i] + 7) % 1000) * 1000000L };
                        nanosleep(&ts, NULL);
                        continue;
                }
                if (strncmp(argv[i], "+repeat:", 8) == 0) {
                        char *text = strchr(argv[i] + 8, ':');
                        int n = atoi(argv[i] + 8), sent = 0;

                        for (int j = 0; text && j < n; j++)
                                if (send_one(to, text + 1, -1) >= 0)
                                        sent++;
                        printf("%s %s\n", key, text && sent == n ? "ok" : "short");
                        continue;
                }
                if (strcmp(argv[i], "+barrier") == 0) {
                        struct pollfd pfd;
                        int r;

                        if (pipe2(p, O_CLOEXEC) < 0 || send_one(to, "BARRIER=1", p[1]) < 0) {
                                step("barrier", -1);
                                continue;
                        }
                        close(p[1]);
                        pfd = (struct pollfd) { .fd = p[0], .events = POLLIN };
                        r = poll(&pfd, 1, 5000);
                        if (r == 0)
                                printf("barrier ETIMEDOUT\n");
                        else
                                step("barrier", r < 0 ? -1 : 0);
                        close(p[0]);
                        continue;
                }
                if (strncmp(argv[i], "+fd:", 4) == 0 && pipe2(p, O_CLOEXEC) < 0) {
                        step(key, -1);
                        continue;
                }
                step(key, send_one(to, p[1] >= 0 ? argv[i] + 4 : argv[i], p[1]));
                if (p[0] >= 0) {
                        close(p[0]);
                        close(p[1]);
                }
        }
        fflush(stdout);
        return 0;
}
