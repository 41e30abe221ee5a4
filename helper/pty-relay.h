/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>
#include <sys/types.h>

/* On the host: relays between the admin's terminal (the helper's fds 0,
 * 1, 2 that are terminals, in raw mode meanwhile) and master, the
 * sandbox's pty, until child ends; passes the signals of set on to
 * child as wait_forwarding() does, but for SIGWINCH, which copies the
 * terminal's window size to the pty. The terminal's modes are restored
 * on every way out. Returns child's exit status (128+N after signal
 * N), or EXIT_SETUP after logging. Closes master. */
int pty_relay(int master, pid_t child, const sigset_t *set);
