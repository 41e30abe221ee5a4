/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "mount-util.h"
#include "notify.h"
#include "paths.h"

#define NOTIFY_DESTINATION_DIR "/run/systemd"

static int address_of(const char *s, struct sockaddr_un *ret) {
        size_t n = strlen(s);

        if (n < 2 || n > sizeof(ret->sun_path) - (s[0] == '/'))
                return -EINVAL;
        *ret = (struct sockaddr_un) { .sun_family = AF_UNIX };
        memcpy(ret->sun_path, s, n);
        if (s[0] == '@')
                ret->sun_path[0] = 0;
        /* a path's terminating NUL is part of its address, as sd_notify() sends it */
        return (int) (offsetof(struct sockaddr_un, sun_path) + n + (s[0] == '/'));
}

int notify_destination(const char *s, struct sockaddr_un *ret) {
        _cleanup_close_ int fd = -EBADF;
        int n;

        if (s[0] == '@') {
                n = address_of(s, ret);
                if (n < 0)
                        log_error("NOTIFY_SOCKET: an abstract address of 1 to %zu bytes is systemd's; refusing to start",
                                  sizeof(ret->sun_path) - 1);
                return n;
        }
        if (!path_is_normalized_absolute(s) || !path_is_at_or_below(s, NOTIFY_DESTINATION_DIR) ||
            streq(s, NOTIFY_DESTINATION_DIR)) {
                log_error("NOTIFY_SOCKET=%s is not systemd's notification socket: that is a socket below "
                          NOTIFY_DESTINATION_DIR "/ (a normalised path) or an abstract address; refusing to start", s);
                return -EINVAL;
        }
        n = address_of(s, ret);
        if (n < 0) {
                log_error("NOTIFY_SOCKET=%s: too long for a socket address; refusing to start", s);
                return n;
        }
        fd = open_host_file(s, S_IFSOCK);
        if (fd == -ENOTSOCK)
                log_error("NOTIFY_SOCKET=%s is not a socket; refusing to start", s);
        else if (fd == -ELOOP)
                log_error("NOTIFY_SOCKET=%s: a component is a symbolic link, which is not followed; refusing to start", s);
        else if (fd == -EPERM)
                log_error("NOTIFY_SOCKET=%s: a component is not root's; refusing to start", s);
        else if (fd < 0)
                log_error_errno(fd, "NOTIFY_SOCKET=%s: %m; refusing to start", s);
        return fd < 0 ? fd : n;
}

int notify_socket_bind(int run, int sock) {
        _cleanup_close_ int dir = -EBADF;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char at[FD_PATH_MAX];
        struct stat st;

        if (mkdirat(run, NOTIFY_SANDBOX_DIR, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "notification socket: " NOTIFY_SANDBOX_SOCKET ": %m");
        dir = openat(run, NOTIFY_SANDBOX_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir < 0 || fstat(dir, &st) < 0)
                return log_error_errno(-errno, "notification socket: " NOTIFY_SANDBOX_SOCKET ": %m");
        /* bound through the directory's fd: the path names nothing of the host's */
        fd_path(dir, at);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", at);
        if (bind(sock, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return log_error_errno(-errno, "notification socket: bind " NOTIFY_SANDBOX_SOCKET ": %m");
        /* any user of the sandbox may notify: connecting needs write access */
        if (fchmodat(dir, "notify", 0666, 0) < 0)
                return log_error_errno(-errno, "notification socket: " NOTIFY_SANDBOX_SOCKET ": %m");
        return 0;
}

int notify_socket_connect(void) {
        static const struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = NOTIFY_SANDBOX_SOCKET };
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (fd < 0 || connect(fd, (const struct sockaddr *) &sa, sizeof(sa)) < 0)
                return log_error_errno(-errno, "notification socket: " NOTIFY_SANDBOX_SOCKET ": %m");
        return TAKE_FD(fd);
}

int notify_ready(int fd) {
        static const char ready[] = "READY=1";

        if (fd < 0)
                return 0;
        if (write(fd, ready, strlen(ready)) < 0)
                return log_error_errno(-errno, "notification socket: send READY=1: %m");
        log_debug("READY=1 sent to the helper's relay");
        return 0;
}
