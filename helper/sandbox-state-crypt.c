/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-state-crypt: the LUKS2 work of a sandbox's encrypted state, run
 * by sandbox-helper and sandboxctl (lib/core/state-key.h says why it is a
 * program of its own: libcryptsetup, which the static helper cannot
 * link).
 *
 *   sandbox-state-crypt --debug|--quiet open DEVICE NAME
 *       the key on stdin; opens DEVICE (formatting it first when it is
 *       blank) as the mapping NAME, and sends "f" (formatted) or "o" with
 *       the mapping's fd, already marked for deferred removal, on stdout,
 *       a socket;
 *   sandbox-state-crypt --debug|--quiet close NAME
 *       removes the mapping NAME now.
 *
 * It exits 0, or with the errno of its failure, which it logged.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "state-crypt.h"

static int send_device(int fd, bool formatted) {
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        char what = formatted ? 'f' : 'o';
        struct iovec iov = { &what, 1 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                              .msg_controllen = sizeof(control.buf) };
        struct cmsghdr *h = CMSG_FIRSTHDR(&msg);

        h->cmsg_level = SOL_SOCKET;
        h->cmsg_type = SCM_RIGHTS;
        h->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(h), &fd, sizeof(int));
        if (sendmsg(STDOUT_FILENO, &msg, MSG_NOSIGNAL) < 0)
                return log_error_errno(-errno, "send the mapping: %m");
        return 0;
}

static int run(int argc, char **argv) {
        struct stat st;
        int r;

        if (argc < 3 || (strcmp(argv[1], "--debug") != 0 && strcmp(argv[1], "--quiet") != 0))
                return log_error_errno(-EINVAL, "usage: sandbox-state-crypt --debug|--quiet open DEVICE NAME | close NAME");
        log_set_debug(strcmp(argv[1], "--debug") == 0);
        if (geteuid() != 0)
                return log_error_errno(-EPERM, "only root opens a sandbox's state");

        if (argc == 4 && strcmp(argv[2], "close") == 0) {
                if (!state_crypt_name_is_valid(argv[3]))
                        return log_error_errno(-EINVAL, "%s: not a mapping of sandbox state", argv[3]);
                return state_crypt_close(argv[3]);
        }
        if (argc == 5 && strcmp(argv[2], "open") == 0) {
                _cleanup_close_ int fd = -EBADF;
                StateKey key;
                bool formatted = false;

                if (argv[3][0] != '/')
                        return log_error_errno(-EINVAL, "%s: not an absolute path", argv[3]);
                if (!state_crypt_name_is_valid(argv[4]))
                        return log_error_errno(-EINVAL, "%s: not a mapping of sandbox state", argv[4]);
                if (fstat(STDOUT_FILENO, &st) < 0 || !S_ISSOCK(st.st_mode))
                        return log_error_errno(-ENOTSOCK, "its output is not a socket");
                r = state_key_read_fd(STDIN_FILENO, "(standard input)", &key);
                if (r < 0)
                        return r;
                fd = state_crypt_setup(argv[3], argv[4], &key, &formatted);
                state_key_wipe(&key);
                if (fd < 0)
                        return fd;
                return send_device(fd, formatted);
        }
        return log_error_errno(-EINVAL, "usage: sandbox-state-crypt --debug|--quiet open DEVICE NAME | close NAME");
}

int main(int argc, char **argv) {
        int r;

        log_set_program("sandbox-state-crypt");
        r = run(argc, argv);
        return r < 0 ? (-r > 255 ? EIO : -r) : 0;
}
