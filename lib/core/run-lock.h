/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The lock that keeps a second instance of a sandbox from starting,
 * /run/sandbox/NAME/lock: the helper takes it and writes its PID in it;
 * sandboxctl and the helper's --join read it. The one place that knows
 * its path, its contents and how a holder is told. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* /run/sandbox/NAME/: the runtime directory, with the lock a running
 * helper holds and its PID in it */
#define RUNTIME_ROOT "/run/sandbox"
#define LOCK_HOLDER_MAX 32
/* How long a start, and sandboxctl's commands, wait for the lock of a
 * sandbox that has ended while its keeper takes its mounts down */
#define LOCK_ENDING_WAIT_MS 5000

/* Where instance_lock() makes the runtime directories: RUNTIME_ROOT, or
 * for an unprivileged run the caller's own (sandbox-helper(8),
 * --runtime-root), which must exist. root is kept, not copied. */
void run_lock_set_root(const char *root);

/* Makes /run/sandbox/NAME (the sandbox's runtime directory, returned in
 * rundir) and takes the lock in it that keeps a second instance of NAME
 * from starting, waiting for a sandbox of that name that has ended
 * (lock_note()) up to LOCK_ENDING_WAIT_MS. Returns the lock's fd (O_CLOEXEC; held until every copy
 * is closed) or -errno after logging. */
int instance_lock(const char *name, char *rundir, size_t size);

/* The note beside the lock, in the runtime directory rundir, that the
 * sandbox has ended and that only its keeper still holds the lock, until
 * its mounts are down (helper/shared-dirs.c): opened, and emptied, by the
 * helper once it holds the lock. Returns the fd or -errno after logging. */
int lock_note_open(const char *rundir);

/* Writes the note on fd (nothing when fd is negative): keeper holds a
 * copy of the lock of the sandbox whose helper is helper, and with
 * ending, the sandbox has ended. A start, or sandboxctl, that finds the
 * lock held waits then for keeper, up to LOCK_ENDING_WAIT_MS, where it
 * would refuse a sandbox that runs; so it does without ending when the
 * helper named has ended (killed). */
void lock_note(int fd, pid_t helper, pid_t keeper, bool ending);

/* The helper's PID as the lock file fd holds it, into holder ("" when it
 * does not hold a number). */
void lock_holder_read(int fd, char holder[static LOCK_HOLDER_MAX]);

/* The helper's PID that holder names; 0 when it names none. */
pid_t lock_holder_pid(const char holder[static LOCK_HOLDER_MAX]);

/* Tries the lock of sandbox NAME on a fresh open of
 * /run/sandbox/NAME/lock, creating nothing, waiting for a sandbox that
 * has ended as instance_lock() does. Returns 0 when it is free
 * (*ret_lock then holds it, or is -EBADF when there is no lock file),
 * -EBUSY when the sandbox runs (holder: the helper's PID as the lock
 * file says, or ""), another -errno after logging. */
int sandbox_lock_try(const char *name, int *ret_lock, char holder[static LOCK_HOLDER_MAX]);

/* Whether sandbox NAME runs, without taking its lock (a sandbox that
 * starts meanwhile would find it taken): by the kernel's list of locks,
 * after waiting for a sandbox that has ended as instance_lock() does.
 * Returns 1 when the lock is held (holder: as for sandbox_lock_try()),
 * 0 when not or when there is no lock file, -errno after logging. */
int sandbox_lock_held(const char *name, char holder[static LOCK_HOLDER_MAX]);

/* Whether each of the n sandboxes names runs, into held[i], by one read
 * of the kernel's list of locks and without waiting: a held lock counts,
 * whether its sandbox runs or has ended and its keeper still holds it.
 * For a caller that holds a lock of its own meanwhile (net-lease.c),
 * which sandbox_lock_held()'s wait for an ending sandbox would hold up.
 * run_root: the runtime root, NULL for RUNTIME_ROOT. A lock file that
 * cannot be opened is taken for held (logged). Returns 0, or -errno after
 * logging when the list cannot be read. */
int sandbox_locks_held_now(const char *run_root, const char *const *names, size_t n, bool *held);
