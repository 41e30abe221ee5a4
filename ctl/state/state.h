/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A sandbox's files outside its profile, as diff, delete and clone see
 * them: its state STATE_ROOT/NAME/ (the overlay upper and work dirs of
 * its /etc and /var, or their private copies) and its runtime directory
 * /run/sandbox/NAME/ with the lock a running helper holds. The state is
 * written by the sandboxed service itself, so nothing in it is trusted:
 * it is walked by file descriptor with state_walk() (state-walk.h),
 * never through a symbolic link, and never into another mount.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "state-dir.h"

/* STATE_ROOT made absolute; it must then be normalized (no ".."), so
 * that it names the directory the walk opens. Logs; -EINVAL or -ENOMEM. */
int state_root_absolute(const char *state_root, char **ret);

/* STATE_ROOT (absolute, from state_root_absolute()) and NAME below it
 * are opened with state_root_walk() and state_step_down() (state-dir.h),
 * without flags: O_RDONLY, nothing made, -ENOENT not logged. */

/* The first mount point at or below path (absolute, without symbolic
 * links) in /proc/self/mountinfo: 1 and *ret_mount, 0 when there is
 * none, -errno after logging. */
int mount_below(const char *path, char **ret_mount);

/* Removes name below dir and, for a directory, all of it, the deepest
 * first, walked with state_walk() (state-walk.h): without following
 * symbolic links, to any depth, refusing to go into another mount.
 * Immutable and append-only flags in the way are cleared. What is left
 * after a failure or an interruption is a smaller tree that another
 * call removes. shown: its path, for messages (tree-remove.c). Logs;
 * returns 0 or -errno. */
int tree_remove(int dir, const char *name, const char *shown);

/* The disk space of directory fd and all that is in it, as du -x counts
 * it: allocated blocks, an inode with several names once, without
 * following symbolic links, walked with state_walk(). Another file
 * system mounted in it is left out; an entry that vanishes meanwhile too
 * (the sandbox may be running). shown: its path, for messages. Logs;
 * returns 0 or -errno. */
int tree_disk_usage(int fd, const char *shown, uint64_t *ret_bytes);

/* The names in directory fd dir but "." and "..", sorted (strcmp).
 * Returns -errno without logging. */
int dir_names(int dir, char ***ret);

/* "dir/name" (or "/name" below "/"); NULL when out of memory. */
char *path_join2(const char *dir, const char *name);

/* Copies from_name below from_dir, all of it, to to_name below to_dir,
 * which must not exist yet: owners, modes, timestamps, extended
 * attributes, whiteouts, fifos, sockets and symbolic links as they are,
 * no other device node (tree-copy.c). Walked with state_walk(), to any
 * depth; refuses to descend into another mount.
 * shown: the source's path, for messages. Logs; on failure the part
 * copied is left for the caller to remove. */
int tree_copy(int from_dir, const char *from_name, int to_dir, const char *to_name, const char *shown);
