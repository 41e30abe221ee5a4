/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The owners of a sandbox's state moved from one range of host IDs to
 * another (userns-shift.c): old state given to a sandbox's range the
 * first time it has one, given back when it no longer does, and a clone
 * given the range of its own. The state is written by the service, so
 * the walk trusts nothing in it: it goes down by file descriptor
 * (openat(), O_NOFOLLOW), holds only the deepest directories open and
 * checks one it opens again as ".." to be the one it left, never follows
 * a symbolic link, never opens a device node or FIFO (O_PATH), and never
 * enters another mount.
 */

#include <stdint.h>

/* Every file at and below dir (an O_DIRECTORY fd; path is for messages):
 * an owner (UID and GID apart) in [from, from+size) becomes to+(id-from);
 * one already in [to, to+size) stays; any other fails with -ERANGE,
 * logged with its path, before anything else is changed in that file.
 * Never follows a symlink, never leaves dir's file system; set-ID bits
 * that chown clears are put back; security.capability (v3 rootid) and
 * POSIX ACL entries are shifted the same way. Idempotent: a walk cut
 * short is done again from the start. Returns the number of files
 * changed, or -errno. */
int userns_shift_tree(int dir, const char *path, uint32_t from, uint32_t to, uint32_t size);

/* The directories below a sandbox's state (STATE_ROOT/NAME, or the root
 * of its image) whose files the service owns: its overlays' upper dirs
 * and its private copies. The work dirs are the kernel's. */
#define USERNS_SHIFT_DIRS { "etc/upper", "etc/private", "var/upper", "var/private" }

/* userns_shift_tree() on each of USERNS_SHIFT_DIRS below state (shown:
 * its path, for messages) that is there, opened without following a
 * link. Returns the number of files changed in all, or -errno after
 * logging. */
int userns_shift_state(int state, const char *shown, uint32_t from, uint32_t to, uint32_t size);
