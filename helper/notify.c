/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "log.h"
#include "notify.h"

/* NOTIFY_SOCKET as an address: a path, or "@" for the abstract
 * namespace, whose name starts with a NUL byte instead. Returns its
 * length, or -EINVAL. */
static int notify_address(const char *s, struct sockaddr_un *ret) {
        size_t n = strlen(s);

        if ((s[0] != '/' && s[0] != '@') || n < 2 || n > sizeof(ret->sun_path) - (s[0] == '/'))
                return -EINVAL;
        *ret = (struct sockaddr_un) { .sun_family = AF_UNIX };
        memcpy(ret->sun_path, s, n);
        if (s[0] == '@')
                ret->sun_path[0] = 0;
        /* a path's terminating NUL is part of its address, as sd_notify() sends it */
        return (int) (offsetof(struct sockaddr_un, sun_path) + n + (s[0] == '/'));
}

int notify_socket_open(void) {
        const char *s = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa;
        int fd;

        if (!s)
                return -EBADF;
        if (notify_address(s, &sa) < 0) {
                log_error("NOTIFY_SOCKET=%s: not a socket address (an absolute path, or \"@\" and a name)", s);
                return -EINVAL;
        }
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return log_error_errno(-errno, "NOTIFY_SOCKET: socket: %m");
        return fd;
}

int notify_ready(int fd) {
        static const char ready[] = "READY=1";
        const char *s = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa;
        int n;

        if (fd < 0 || !s)
                return 0;
        n = notify_address(s, &sa);
        if (n < 0)
                return log_error_errno(n, "NOTIFY_SOCKET=%s: %m", s);
        if (sendto(fd, ready, strlen(ready), MSG_NOSIGNAL, (struct sockaddr *) &sa, (socklen_t) n) < 0)
                return log_error_errno(-errno, "NOTIFY_SOCKET=%s: send READY=1: %m", s);
        log_debug("the command exited 0: READY=1 sent to %s", s);
        return 0;
}
