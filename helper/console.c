/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sandbox's own terminal, the sandbox's half. An admin's terminal
 * handed to a sandbox is a way out of it: TIOCSTI (allowed to a holder
 * of CAP_SYS_ADMIN even outside its session) pushes input into the
 * admin's shell, and a service that can open /proc/PID/fd/0 of a joined
 * command reopens the terminal after the command has ended. So the
 * terminal never enters: the sandbox gets a pty of its own devpts, made
 * in its mount namespace, and only its master leaves, to the helper
 * outside, which relays between it and the admin's terminal. The way
 * container runtimes pass a console back (a socket and SCM_RIGHTS).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/openat2.h>

#include <linux/magic.h>

#include "console.h"
#include "log.h"
#include "macro.h"

/* the device and inode number every devpts gives its ptmx */
#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTMX_INO 2

int console_prepare(Console *con) {
        int pair[2];
        struct stat st;

        *con = CONSOLE_NONE;
        for (int fd = 0; fd < 3; fd++)
                if (isatty(fd)) {
                        con->terminals |= 1U << fd;
                        /* the devpts of the caller's own terminal, which
                         * the sandbox's must not be */
                        if (fstat(fd, &st) < 0)
                                return log_error_errno(-errno, "terminal: fd %d: %m", fd);
                        con->host_pts = st.st_dev;
                }
        if (!con->terminals)
                return 0;
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
                return log_error_errno(-errno, "terminal: socket pair: %m");
        con->host = pair[0];
        con->sandbox = pair[1];
        return 0;
}

void console_done(Console *con) {
        closep(&con->host);
        closep(&con->sandbox);
}

/* /dev/pts/ptmx of the devpts mounted there, and nothing else: a
 * service that could mount over /dev/pts, or replace it, must not get
 * a terminal of its choosing (or the host's) passed to the admin, nor
 * have a joining process, still root, open a device of its choosing:
 * the directory is checked to be a devpts before anything in it is
 * opened, and ptmx is opened in it without crossing a mount or a link. */
static int open_ptmx(const Console *con) {
        _cleanup_close_ int dir = open("/dev/pts", O_PATH | O_DIRECTORY | O_CLOEXEC), fd = -EBADF;
        struct open_how how = {
                .flags = O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC,
                .resolve = RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
        };
        struct statfs sfs;
        struct stat st;

        if (dir < 0 || fstatfs(dir, &sfs) < 0)
                return log_error_errno(-errno, "terminal: the sandbox's /dev/pts: %m");
        if (sfs.f_type != DEVPTS_SUPER_MAGIC)
                return log_error_errno(-EPERM, "terminal: the sandbox's /dev/pts is not a devpts");
        fd = (int) syscall(SYS_openat2, dir, "ptmx", &how, sizeof(how));
        /* openat2() before Linux 5.6: the devpts is checked above, and
         * O_NOFOLLOW keeps its last component */
        if (fd < 0 && errno == ENOSYS)
                fd = openat(dir, "ptmx", how.flags);
        if (fd < 0)
                return log_error_errno(-errno, "terminal: open the sandbox's /dev/pts/ptmx: %m");
        if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
                return log_error_errno(-errno, "terminal: /dev/pts/ptmx: %m");
        if (sfs.f_type != DEVPTS_SUPER_MAGIC || !S_ISCHR(st.st_mode) || st.st_ino != PTMX_INO ||
            st.st_rdev != makedev(PTMX_MAJOR, PTMX_MINOR))
                return log_error_errno(-EPERM, "terminal: the sandbox's /dev/pts/ptmx is not a devpts ptmx");
        if (st.st_dev == con->host_pts)
                return log_error_errno(-EPERM, "terminal: the sandbox's /dev/pts is the host's");
        return TAKE_FD(fd);
}

static int send_fd(int sock, int fd) {
        union {
                struct cmsghdr header;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = { .iov_base = (char[]) { 'm' }, .iov_len = 1 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof(control) };
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
        while (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
                if (errno != EINTR)
                        return -errno;
        return 0;
}

int console_make(Console *con) {
        _cleanup_close_ int master = -EBADF, peer = -EBADF;
        int r;

        if (!con->terminals)
                return 0;
        master = open_ptmx(con);
        if (master < 0)
                return master;
        if (ioctl(master, TIOCSPTLCK, &(int) { 0 }) < 0)
                return log_error_errno(-errno, "terminal: unlock the pty: %m");
        /* the peer of this very master, not a path looked up again */
        peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (peer < 0)
                return log_error_errno(-errno, "terminal: open the pty's peer: %m");
        /* the admin's window size from the start, before anything
         * in the sandbox asks: the relay follows its changes */
        for (int fd = 0; fd < 3; fd++) {
                struct winsize ws;

                if ((con->terminals & (1U << fd)) && ioctl(fd, TIOCGWINSZ, &ws) == 0) {
                        (void) ioctl(master, TIOCSWINSZ, &ws);
                        break;
                }
        }
        r = send_fd(con->sandbox, master);
        if (r < 0)
                return log_error_errno(r, "terminal: pass the pty on: %m");
        closep(&con->sandbox);
        /* the admin's terminal leaves this process's fds here */
        for (int fd = 0; fd < 3; fd++)
                if ((con->terminals & (1U << fd)) && dup2(peer, fd) < 0)
                        return log_error_errno(-errno, "terminal: the pty as fd %d: %m", fd);
        return 0;
}

/* the first of fds 0, 1, 2 that is a terminal: after console_make(), the pty */
static int pty_fd(void) {
        for (int fd = 0; fd < 3; fd++)
                if (isatty(fd))
                        return fd;
        return -EBADF;
}

int console_own(uid_t uid, gid_t gid) {
        int fd = pty_fd();

        if (fd >= 0 && fchown(fd, uid, gid) < 0)
                return log_error_errno(-errno, "terminal: the pty to user %u: %m", (unsigned) uid);
        return 0;
}

int console_take(void) {
        int fd = pty_fd();

        if (fd >= 0 && ioctl(fd, TIOCSCTTY, 0) < 0)
                return log_error_errno(-errno, "terminal: make the pty the controlling terminal: %m");
        return 0;
}

int console_receive(Console *con) {
        union {
                struct cmsghdr header;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        char byte;
        struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof(control) };
        struct cmsghdr *c;
        ssize_t n;
        int fd;

        closep(&con->sandbox);
        while ((n = recvmsg(con->host, &msg, MSG_CMSG_CLOEXEC)) < 0)
                if (errno != EINTR)
                        return log_error_errno(-errno, "terminal: receive the sandbox's pty: %m");
        closep(&con->host);
        c = CMSG_FIRSTHDR(&msg);
        if (n == 0 || !c)
                return -EPIPE; /* the sandbox ended first, and said why */
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)) ||
            (msg.msg_flags & MSG_CTRUNC))
                return log_error_errno(-EBADMSG, "terminal: unexpected message instead of the pty");
        memcpy(&fd, CMSG_DATA(c), sizeof(int));
        return fd;
}
