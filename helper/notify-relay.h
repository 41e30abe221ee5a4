/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The sandbox speaks to systemd only through the helper: the service's
 * NOTIFY_SOCKET names a socket in its own /run, and the helper outside,
 * the unit's main process (NotifyAccess=main), reads it and passes on
 * what a service may say, as its own message: readiness, status,
 * reloading, stopping, the watchdog, errors, more time to start; the
 * file descriptor store only when the profile allows it (--fd-store);
 * never MAINPID. sandbox-helper(8), "The notification relay". */

#include <stdbool.h>
#include <sys/types.h>
#include <sys/un.h>

typedef struct NotifyRelay {
        int sandbox;  /* bound at /run/systemd/notify by process 1 */
        int out;      /* to systemd's socket */
        int pidns;    /* the sandbox's PID namespace: the senders allowed */
        pid_t init;   /* its process 1 */
        struct sockaddr_un dest;
        socklen_t dest_len;
        bool fd_store;
} NotifyRelay;

#define NOTIFY_RELAY_NONE ((NotifyRelay) { .sandbox = -EBADF, .out = -EBADF, .pidns = -EBADF })

/* Before the sandbox exists: checks NOTIFY_SOCKET (notify_destination())
 * and makes both sockets; the service's NOTIFY_SOCKET then names the
 * sandbox's. Without NOTIFY_SOCKET there is nothing to relay and
 * r->sandbox stays negative. Returns 0, or -errno after logging. */
int notify_relay_prepare(NotifyRelay *r, bool fd_store);

/* Once process 1 (init) exists, while this process may still look at
 * it: its PID namespace, which every sender must be in. */
int notify_relay_attach(NotifyRelay *r, pid_t init);

/* Relays from now on, in a thread of this process of its own, with the
 * process's privileges as they are now (none but CAP_KILL). */
int notify_relay_start(NotifyRelay *r);

/* Once the sandbox has ended: relays, in this thread, whatever is still
 * waiting on the socket, so that what the sandbox said before it ended
 * (READY=1 from a service that exits at once, above all) reaches systemd
 * before the helper's exit does. Drops this thread's capabilities. */
void notify_relay_flush(NotifyRelay *r);

void notify_relay_done(NotifyRelay *r);
