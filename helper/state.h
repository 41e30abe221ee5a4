/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* The sandbox's persistent state, STATE_ROOT/NAME/{etc,var}/..., which
 * the service itself can change between runs (its overlay upper dirs
 * are its own /etc and /var): every component is opened with O_NOFOLLOW
 * below the previous one and must be a root-owned directory that only
 * root can write. */

/* Opens (creating 0700 where missing) STATE_ROOT/NAME/sub... and returns
 * an O_PATH fd of the last directory, or -errno after logging. subs is
 * NULL-terminated. */
int state_dir_open(const char *state_root, const char *name, const char *const *subs);

/* Owned by base too (the sandbox's root on the host, in a user namespace
 * of its own: userns-state.h), a state directory below STATE_ROOT/NAME is
 * taken; 0: by root alone. Set once, at start. */
void state_dir_set_owner(uid_t base);

/* The same below dir, an fd state_dir_open() gave for path. */
int state_dir_below(int dir, const char *path, const char *const *subs);

/* The top of an overlay shows its upper dir's owner and mode, and a bind
 * its source's: gives dir (a state directory) those of from, the host's
 * directory it stands for, or /etc would be 0700 like the state
 * directory. The state directory above it (0700) keeps others out on the
 * host. what names the step for messages. Returns 0 or -errno after
 * logging. */
int state_dir_take_attributes(int dir, int from, const char *what);
