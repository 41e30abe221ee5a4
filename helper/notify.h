/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The notification sockets (sd_notify(3)): systemd's, named by
 * NOTIFY_SOCKET and checked before anything is sent to it, and the
 * sandbox's own, which the service is given instead and which the helper
 * outside relays from (notify-relay.c). Plain AF_UNIX datagrams: the
 * helper links no libsystemd. */

#include <sys/socket.h>
#include <sys/un.h>

/* Where the service finds its notification socket, in its own /run. */
#define NOTIFY_SANDBOX_DIR "systemd"
#define NOTIFY_SANDBOX_SOCKET "/run/systemd/notify"

/* NOTIFY_SOCKET as the destination of the relay: an abstract address
 * ("@" and a name), or a socket at an absolute, normalised path below
 * /run/systemd/, each component checked without following a symbolic
 * link. Anything else, a file or directory of the host's above all, is
 * refused: -EINVAL or -errno, after logging. Returns the address's
 * length. */
int notify_destination(const char *s, struct sockaddr_un *ret);

/* In process 1: binds sock, the relay's socket, at
 * /run/systemd/notify below root's run (an O_PATH fd of the sandbox's
 * fresh /run), writable by every user of the sandbox. */
int notify_socket_bind(int run, int sock);

/* In process 1, inside the new root: a socket connected to the
 * sandbox's notification socket, for READY=1 with --forking, sent with
 * write() (nothing process 1's filter has to allow an address for).
 * Returns it, or -errno after logging. */
int notify_socket_connect(void);

/* Sends READY=1 on fd; nothing when fd is negative. Returns 0 or -errno
 * after logging. */
int notify_ready(int fd);
