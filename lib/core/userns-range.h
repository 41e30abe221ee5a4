/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The host IDs of sandboxes of <user-namespace mode="private"/>: each has
 * a range of USERNS_RANGE_SIZE UIDs and GIDs (the same numbers), BASE up
 * to BASE+65535, that its IDs 0..65535 are on the host. BASE is a
 * multiple of 65536 in [USERNS_POOL_FIRST, USERNS_POOL_END): clear of
 * systemd's dynamic users, of the container range nspawn -U picks from
 * (0x00080000-0x6FFFFFFF), of systemd's foreign UID range
 * (0x7FFE0000-0x7FFEFFFF), of every ID >= 2^31, and, checked at each
 * allocation, of every range /etc/subuid or /etc/subgid delegates.
 *
 * The record STATE_ROOT/NAME/userns, one line "BASE SIZE STATE\n" (STATE
 * "ready" or "shifting": a shift of the state's files under way, done
 * again at the next start), keeps a sandbox's range for as long as its
 * state exists; it goes with the state. It is written whole (a file of
 * its own, synced, renamed over it) and believed only as a regular file
 * of root's that no one else can write, not a symbolic link, with a BASE
 * of the pool. Ranges are taken under the lock STATE_ROOT/.userns.lock
 * (flock(2)), after reading the record of every state below STATE_ROOT:
 * two states never hold the same range.
 */

#include <stdint.h>

#define USERNS_RANGE_SIZE 65536u
#define USERNS_POOL_FIRST 0x70000000u
#define USERNS_POOL_END   0x7FFE0000u   /* not included */
#define USERNS_RECORD     "userns"      /* in STATE_ROOT/NAME */
#define USERNS_LOCK       ".userns.lock" /* in STATE_ROOT */
#define USERNS_SUBUID     "/etc/subuid"
#define USERNS_SUBGID     "/etc/subgid"

typedef enum { USERNS_READY, USERNS_SHIFTING } UsernsState;
typedef struct UsernsRecord { uint32_t base, size; UsernsState state; } UsernsRecord;

/* state: an fd of STATE_ROOT/NAME. 0 and *ret; -ENOENT: none;
 * -EBADMSG: not a record of ours (logged with the path) */
int userns_record_read(int state, UsernsRecord *ret);
int userns_record_write(int state, const UsernsRecord *r);
int userns_record_remove(int state);

/* Under STATE_ROOT/.userns.lock: a record there is returned as is;
 * otherwise a free slot is taken and written with state `initial`.
 * Logs; -ENOSPC when the pool is full. */
int userns_range_acquire(const char *state_root, const char *name, int state,
                         UsernsState initial, UsernsRecord *ret);

/* Whether [base, base+size) overlaps a line of /etc/subuid or /etc/subgid
 * (paths as arguments, for tests): 1, 0, or -errno after logging. A
 * missing file delegates nothing; a line that is not "NAME:START:COUNT"
 * is left out (logged at debug level). */
int userns_range_delegated(const char *subuid, const char *subgid, uint32_t base, uint32_t size);

/* Where ranges are taken from: slots of USERNS_RANGE_SIZE from first
 * (included) to end (not included), both multiples of the size and
 * inside the pool above, and the delegation files to stay clear of. */
typedef struct UsernsPool {
        uint32_t first, end;
        const char *subuid, *subgid;
} UsernsPool;

#define USERNS_POOL_DEFAULT \
        ((UsernsPool) { USERNS_POOL_FIRST, USERNS_POOL_END, USERNS_SUBUID, USERNS_SUBGID })

/* The allocation lock below the state root root (shown: its path, for
 * messages), made 0600 when missing, held: its fd (closing it lets go),
 * or -errno after logging. For a caller that must keep others from
 * allocating past userns_range_acquire_locked(), until the record it
 * wrote is where the others look for it (sandboxctl clone). */
int userns_range_lock(int root, const char *shown);

/* userns_range_acquire() under the lock the caller holds, with root an
 * fd of the state root and the pool given; name is the sandbox the
 * record is for (its hash gives the first slot tried). */
int userns_range_acquire_locked(int root, const char *shown, const char *name, int state, UsernsState initial,
                                const UsernsPool *pool, UsernsRecord *ret);

const char *userns_state_to_string(UsernsState s);
