/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * notify-listen PATH: stands in for systemd's notification socket, on
 * the host: binds a datagram socket at PATH with SO_PASSCRED and prints
 * each message with its sender's credentials and the descriptors that
 * came with it (closed at once, as systemd closes a barrier's), line
 * breaks as "|":
 *
 *     msg PID UID NFDS TEXT
 *
 * until a message "END" or 60 s. Not a probe run in a sandbox: the
 * test's view from outside.
 */
#include "probe.h"

#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

int main(int argc, char *argv[]) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int s;

        if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path))
                return 2;
        strcpy(sa.sun_path, argv[1]);
        s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0 || setsockopt(s, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int)) < 0 ||
            bind(s, (struct sockaddr *) &sa, sizeof(sa)) < 0 || chmod(argv[1], 0666) < 0) {
                perror("notify-listen");
                return 1;
        }
        for (;;) {
                char buf[8192];
                union {
                        struct cmsghdr h;
                        char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * 64)];
                } control;
                struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
                struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                                     .msg_controllen = sizeof(control.buf) };
                struct pollfd pfd = { .fd = s, .events = POLLIN };
                struct ucred cred = { 0, -1, -1 };
                int nfds = 0;
                ssize_t n;

                if (poll(&pfd, 1, 60000) <= 0)
                        return 1;
                n = recvmsg(s, &mh, MSG_CMSG_CLOEXEC);
                if (n < 0)
                        return 1;
                buf[n] = 0;
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS)
                                memcpy(&cred, CMSG_DATA(c), sizeof(cred));
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                                int k = (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

                                for (int i = 0; i < k; i++) {
                                        int fd;

                                        memcpy(&fd, CMSG_DATA(c) + (size_t) i * sizeof(int), sizeof(int));
                                        close(fd);
                                        nfds++;
                                }
                        }
                }
                if (strcmp(buf, "END") == 0)
                        return 0;
                for (char *p = buf; *p; p++)
                        if (*p == '\n')
                                *p = '|';
                printf("msg %d %d %d %s\n", (int) cred.pid, (int) cred.uid, nfds, buf);
                fflush(stdout);
        }
}
