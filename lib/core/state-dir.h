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

#define STATE_ROOT_DEFAULT "/var/lib/sandbox"
/* /run/sandbox/NAME/: the runtime directory, with the lock a running
 * helper holds and its PID in it */
#define RUNTIME_ROOT "/run/sandbox"
#define LOCK_HOLDER_MAX 32

typedef enum StateOpen {
        /* make a missing directory (0700), and refuse one that group or
         * others can write */
        STATE_CREATE = 1 << 0,
        /* an O_PATH fd (enough to open below it) rather than O_RDONLY */
        STATE_PATH = 1 << 1,
} StateOpen;

/* name below dir, as the header says; shown is its path, for messages.
 * Returns the fd; -ENOENT (not logged) when it is missing and not to be
 * made; another -errno after logging. */
int state_step_down(int dir, const char *name, const char *shown, StateOpen flags);

/* STATE_ROOT (absolute) opened from / the same way, each component with
 * state_step_down(); flags apply to the last component only (the others
 * must exist). */
int state_root_walk(const char *state_root, StateOpen flags);

/* The helper's PID as the lock file fd holds it, into holder ("" when it
 * does not hold a number). */
void lock_holder_read(int fd, char holder[static LOCK_HOLDER_MAX]);

/* Tries the lock of sandbox NAME on a fresh open of
 * /run/sandbox/NAME/lock, creating nothing. Returns 0 when it is free
 * (*ret_lock then holds it, or is -EBADF when there is no lock file),
 * -EBUSY when the sandbox runs (holder: the helper's PID as the lock
 * file says, or ""), another -errno after logging. */
int sandbox_lock_try(const char *name, int *ret_lock, char holder[static LOCK_HOLDER_MAX]);

/* Whether sandbox NAME runs, without taking its lock (a sandbox that
 * starts meanwhile would find it taken): by the kernel's list of locks.
 * Returns 1 when the lock is held (holder: as for sandbox_lock_try()),
 * 0 when not or when there is no lock file, -errno after logging. */
int sandbox_lock_held(const char *name, char holder[static LOCK_HOLDER_MAX]);
