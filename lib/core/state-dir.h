/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Where a sandbox keeps its files outside its profile, and how they are
 * reached. Its state STATE_ROOT/NAME/ (the overlay upper and work dirs
 * of its /etc and /var) is written by the sandboxed service itself, so
 * nothing in it is trusted: every component is opened below the previous
 * one with O_NOFOLLOW and must be a directory owned by root. Shared by
 * the helper, which makes the state, and sandboxctl, which reads, copies
 * and removes it. */

#include <stdbool.h>
#include <sys/types.h>

#include "run-lock.h"

#define STATE_ROOT_DEFAULT "/var/lib/sandbox"

typedef enum StateOpen {
        /* make a missing directory (0700), and refuse one that group or
         * others can write */
        STATE_CREATE = 1 << 0,
        /* an O_PATH fd (enough to open below it) rather than O_RDONLY */
        STATE_PATH = 1 << 1,
        /* a directory above the state root (state_root_walk() sets it) */
        STATE_ABOVE = 1 << 2,
} StateOpen;

/* In the user namespace of an unprivileged run (sandboxctl run by a user
 * who is not root) the host's root is not mapped: the directories above
 * the state root that it owns show as the overflow ID. Once this is
 * called, a directory above the state root owned by overflow, and
 * writable by no group or other unless sticky (as /tmp), is taken for
 * the host root's; the state root and all below it must still be the
 * namespace's root's, the caller. sandboxctl checked the same path with
 * the host's owners before (an ID the namespace does not map shows as
 * overflow too), and only root or the caller could have changed it
 * since. */
void state_root_trust_unmapped(uid_t overflow);

/* name below dir, as the header says; shown is its path, for messages.
 * Returns the fd; -ENOENT (not logged) when it is missing and not to be
 * made; another -errno after logging. */
int state_step_down(int dir, const char *name, const char *shown, StateOpen flags);

/* state_step_down() for a directory the sandbox's root owns in a state
 * with a range of host IDs of its own (userns-range.h), an overlay's upper
 * dir: owned by root, or by also (BASE, the sandbox's root on the host). */
int state_step_down_owned(int dir, const char *name, const char *shown, StateOpen flags, uid_t also);

/* STATE_ROOT (absolute) opened from / the same way, each component with
 * state_step_down(); flags apply to the last component only (the others
 * must exist). */
int state_root_walk(const char *state_root, StateOpen flags);
