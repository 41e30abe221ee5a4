/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iface-listen KIND:PATH...: stands in for the journal's and the system
 * bus's sockets, on the host: binds a socket at each PATH (KIND "dgram"
 * or "stream", mode 0666, as systemd makes them) and prints what
 * arrives, with the sender's PID, line breaks as "|":
 *
 *     msg NAME PID TEXT
 *
 * NAME is PATH's last component. Runs until killed, or 120 s without a
 * message. Not a probe run in a sandbox: the test's view from outside.
 */
#include "probe.h"

#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/un.h>

#define MAX_SOCKETS 8

static void print(const char *path, pid_t pid, char *buf, ssize_t n) {
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

        for (ssize_t i = 0; i < n; i++)
                if (buf[i] == '\n' || buf[i] == 0)
                        buf[i] = '|';
        printf("msg %s %d %.*s\n", name, (int) pid, (int) n, buf);
        fflush(stdout);
}

int main(int argc, char *argv[]) {
        struct pollfd p[MAX_SOCKETS];
        const char *paths[MAX_SOCKETS];
        bool stream[MAX_SOCKETS];
        int n = argc - 1;

        if (n < 1 || n > MAX_SOCKETS)
                return 2;
        for (int i = 0; i < n; i++) {
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                const char *colon = strchr(argv[i + 1], ':');
                int s;

                if (!colon || strlen(colon + 1) >= sizeof(sa.sun_path))
                        return 2;
                stream[i] = strncmp(argv[i + 1], "stream:", 7) == 0;
                paths[i] = colon + 1;
                strcpy(sa.sun_path, paths[i]);
                s = socket(AF_UNIX, (stream[i] ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
                if (s < 0 || setsockopt(s, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int)) < 0 ||
                    bind(s, (struct sockaddr *) &sa, sizeof(sa)) < 0 || chmod(paths[i], 0666) < 0 ||
                    (stream[i] && listen(s, 16) < 0)) {
                        perror("iface-listen");
                        return 1;
                }
                p[i] = (struct pollfd) { .fd = s, .events = POLLIN };
        }
        printf("listening\n");
        fflush(stdout);
        while (poll(p, (nfds_t) n, 120 * 1000) > 0) {
                for (int i = 0; i < n; i++) {
                        char buf[4096];
                        struct ucred cred = {};
                        socklen_t len = sizeof(cred);
                        ssize_t k;

                        if (!(p[i].revents & POLLIN))
                                continue;
                        if (!stream[i]) {
                                union {
                                        struct cmsghdr h;
                                        char buf[CMSG_SPACE(sizeof(struct ucred))];
                                } control;
                                struct iovec iov = { buf, sizeof(buf) };
                                struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                                                     .msg_control = &control, .msg_controllen = sizeof(control) };

                                k = recvmsg(p[i].fd, &mh, MSG_CMSG_CLOEXEC);
                                if (k < 0)
                                        continue;
                                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS)
                                                memcpy(&cred, CMSG_DATA(c), sizeof(cred));
                                print(paths[i], cred.pid, buf, k);
                                continue;
                        }
                        /* one connection at a time, read to its end: the
                         * stream's writers here write once and close */
                        int c = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
                        if (c < 0)
                                continue;
                        (void) getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len);
                        struct pollfd one = { .fd = c, .events = POLLIN };
                        size_t got = 0;
                        while (got < sizeof(buf) && poll(&one, 1, 5000) > 0 &&
                               (k = read(c, buf + got, sizeof(buf) - got)) > 0)
                                got += (size_t) k;
                        close(c);
                        print(paths[i], cred.pid, buf, (ssize_t) got);
                }
        }
        return 0;
}
