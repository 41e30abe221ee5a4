/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* READY=1 to systemd's notification socket (NOTIFY_SOCKET, see
 * sd_notify(3)), from PID 1 of a sandbox whose command forks its daemon
 * (--forking). Plain AF_UNIX datagrams: the helper links no libsystemd. */

/* A socket to send the notification on, made before the sandbox's own
 * network namespace exists: an abstract address ("@...") is looked up
 * in the namespace of the socket, the host's where systemd listens; a
 * path is looked up when the message is sent, in the sandbox, where
 * rootfs.c binds the socket in. Returns the socket (O_CLOEXEC), -EBADF
 * when NOTIFY_SOCKET is not set (nothing to notify), or -errno after
 * logging. */
int notify_socket_open(void);

/* Sends READY=1 on fd to NOTIFY_SOCKET; nothing when fd is negative.
 * Returns 0 or -errno after logging. */
int notify_ready(int fd);
