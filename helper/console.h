/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The sandbox's own terminal. When any of the helper's standard fds is
 * a terminal, that terminal stays on the host: the service or command
 * gets, in its place, a pty of the sandbox's own devpts, whose master
 * is sent to the helper outside, which relays (pty-relay.h). */

#include <stdbool.h>
#include <sys/types.h>

typedef struct Console {
        unsigned terminals; /* bit N: fd N was a terminal */
        int host;           /* socket end of the helper outside: the master arrives here */
        int sandbox;        /* socket end of the process that makes the pty */
        dev_t host_pts;     /* the devpts of the caller's terminal, which the pty must not come from */
} Console;

#define CONSOLE_NONE ((Console) { .host = -EBADF, .sandbox = -EBADF })

/* On the host, before any namespace: which of fds 0, 1, 2 are terminals,
 * and for those, the socket pair. Returns 0 (con->terminals 0: nothing
 * to do) or -errno after logging. */
int console_prepare(Console *con);
void console_done(Console *con);

/* In the sandbox's mount namespace, before the service's or command's
 * process exists: a new pty from /dev/pts/ptmx, checked to be a devpts
 * ptmx other than the host's; its master sent to the host end and
 * closed here, its peer put in place of every fd that was a terminal,
 * with the terminal's window size.
 * Returns 0 or -errno after logging. */
int console_make(Console *con);

/* The pty among fds 0, 1, 2 to the service's user and group, as a
 * login's terminal is: opened again by its name (tty(1)). While this
 * process may still chown. Nothing when none is a terminal. Returns 0
 * or -errno after logging. */
int console_own(uid_t uid, gid_t gid);

/* In a session new and without a controlling terminal (setsid()): the
 * pty among fds 0, 1, 2 becomes it. Nothing when none is a terminal.
 * Returns 0 or -errno after logging. */
int console_take(void);

/* On the host: the master console_make() sent, or -errno after logging
 * (-EPIPE: the sandbox ended before it sent one). */
int console_receive(Console *con);
