/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The record of the sandboxes' MCS categories, STATE_ROOT/.selinux-mcs:
 * one "NAME cA,cB" line per sandbox of <selinux mcs="dynamic"/>, a < b <
 * 1024, no pair twice. The helper adds a sandbox's line at its first
 * start (helper/selinux-mcs.c) and reads it at each; sandboxctl delete
 * removes it once the sandbox's state is gone, so that the pair is free
 * again. Every reader and writer holds an exclusive flock(2) on the
 * record while it reads and writes; a rewrite writes a new file and
 * renames it over the record, and one who locked the replaced file sees
 * so and locks the new one. The record is trusted only as a regular file
 * of root's that no one else can write, of at most 4 MiB, below a state
 * root that state_root_walk() opened.
 */

#include <stdbool.h>

#define MCS_RECORD ".selinux-mcs"
#define MCS_CATEGORIES 1024U

/* The pair of sandbox name, in *ret_a and *ret_b, from the record below
 * the state root root (shown: its path, for messages). With add, a pair
 * not taken is added for it when it has none: the first free one from a
 * hash of the name, the same on every host; the record is made when
 * missing. Returns 0; 1 when the pair was added; -ENOENT, not logged,
 * when there is no record or no line for name (without add); another
 * -errno after logging. */
int mcs_record_pair(int root, const char *shown, const char *name, bool add, unsigned *ret_a, unsigned *ret_b);

/* Removes the line of sandbox name from the record below root, if there
 * is one; the caller holds the sandbox's lock and has removed its state.
 * Returns 1 when a line was removed (its pair in *ret_a, *ret_b), 0 when
 * there was none or no record; -errno after logging: the record is then
 * as it was. */
int mcs_record_release(int root, const char *shown, const char *name, unsigned *ret_a, unsigned *ret_b);
