/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * --unprivileged: sandboxctl run by a user who is not root
 * (sandboxctl(1)). sandboxctl makes a user namespace in which root is
 * the caller and 1..N the IDs /etc/subuid and /etc/subgid delegate to
 * them (newuidmap and newgidmap, set-ID programs of their own), and
 * executes the helper in it as that root: no set-ID, no privilege on
 * the host. The helper builds the same sandbox, in namespaces owned by
 * that one, with what the kernel allows there: what needs the host's
 * root is refused with the command line (options.c), before anything
 * is made.
 */

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "helper-config.h"

/* At the start of an unprivileged run, before anything is made: refused
 * (-EPERM) unless this process is root of a user namespace whose root is
 * not the host's (the kernel's view, /proc/self/uid_map); then a mount
 * namespace of the helper's own, private, in which it may mount, and the
 * runtime and state roots the caller's. Logs. */
int rootless_enter(const HelperConfig *c);

/* Whether rootless_enter() has run: this is an unprivileged run */
bool rootless_active(void);

/* The owner the state's top directories take for a lower directory of
 * owner uid: the caller (0) for the host's root, which the namespace
 * does not map (the overflow ID); uid otherwise. */
uid_t rootless_state_owner(uid_t uid);

/* Whether st, not owned by root here, is the host's root's as an
 * unprivileged run can tell: owned by the overflow ID (an owner the
 * namespace does not map), and writable by no group or other unless
 * sticky. For the host's paths the helper takes from root's directories
 * (the journal's sockets): another user's file shows the same, but
 * could only be there if root's directories let them make it. false
 * in a run as root. */
bool rootless_host_root(const struct stat *st);

/* The directories of an overlay's lower dir, two levels down (at most
 * ROOTLESS_DIRS_MAX of them), made in its upper dir where missing: the
 * caller's, with the lower's mode. overlayfs cannot copy up a directory
 * whose owner the namespace does not map (the host's root's: EOVERFLOW),
 * so without them nothing could be made in /var/lib or /etc/NAME. The
 * upper dir is the service's: nothing there is followed. Logs. */
#define ROOTLESS_DIRS_MAX 4096u
int rootless_overlay_dirs(int upper, int lower, const char *what);

/* /dev/NAME of the sandbox, where mknod() is not allowed: an empty file
 * in dev (an fd of the sandbox's /dev) with the host's node host bound
 * on it. Logs. */
int rootless_dev_node(int dev, const char *name, const char *host);
