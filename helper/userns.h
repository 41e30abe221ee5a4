/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * <user-namespace mode="identity"/>, systemd's PrivateUsers=yes: the
 * service runs in a user namespace of its own, a child of the host's, in
 * which root, the service's user, its group and its supplementary groups
 * map to themselves and every other ID of the host is unmapped (the
 * overflow ID, 65534). The sandbox is built before, as real root; the
 * service's process is made in the namespace (init.c), and its maps are
 * written by process 1, which is still privileged in the host's. A
 * command joined to the sandbox enters the same namespace, last (join.c).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "identity.h"

/* Writes /proc/PID/uid_map and gid_map of the process pid, which is in a
 * new user namespace with no map yet: id's user and groups and root, to
 * themselves. setgroups stays allowed (the writer is privileged): the
 * service's process sets its supplementary groups there. Logs. */
int userns_write_maps(pid_t pid, const Identity *id);

/* An fd (O_CLOEXEC) of the user namespace of /proc/PID/ns/user, checked
 * to be a child of this process's own. Logs. */
int userns_open_child(pid_t pid);

/* <user-namespace mode="private"/>: a user namespace whose uid_map and
 * gid_map are "0 base size", made by a short-lived child before any
 * other namespace of the sandbox's, and with_net a network namespace
 * made in it (so belonging to it: the service's capabilities over its
 * network are real there). Its fds (O_CLOEXEC) into *ret_userns and
 * *ret_netns; the idmapped mounts take the first, the service's process
 * joins it. Logs. */
int userns_make_private(uint32_t base, uint32_t size, bool with_net, int *ret_userns, int *ret_netns);
