/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Runtime directories shared with the host (--shared-runtime-dir): the
 * host's /run/NAME, made as systemd's RuntimeDirectory= makes it, bound
 * at the same path into the sandbox, and removed once the sandbox has
 * ended (shared-dirs.c). Each function logs its own failure. */

#include <stdbool.h>
#include <sys/types.h>

#include "helper-config.h"

/* In the helper's first process, on the host, under the instance lock
 * and before the namespaces: each /run/NAME made (or taken, when it is a
 * directory of /run's own file system that root or the service's user
 * owns), then the service's user's and group's with its mode. Refused
 * when it is anything else, when the profile mounts, masks or makes a
 * runtime directory inside it, or when state_root lies in it. Returns 0
 * or -errno, having removed what it made. */
int shared_dirs_make(const HelperConfig *c, const char *state_root);

/* In process 1, once the sandbox's /run is mounted and before the
 * profile's mounts: each one, the very directory shared_dirs_make() made,
 * bound on /run/NAME of the root (root, an O_PATH fd), writable, nosuid,
 * nodev, noexec. */
int shared_dirs_bind(const HelperConfig *c, int root);

/* Removes every shared directory and what is in it, without following
 * a symbolic link or entering another mount. Needs root's capabilities:
 * called before the helper drops them. */
void shared_dirs_remove(const HelperConfig *c);

/* Starts the run lock's keeper (sandbox-lock): the process that holds a
 * copy of the run lock (lock) and the sandbox's mount namespace (mntns,
 * an fd of process 1's) until process 1 (init) has ended, whatever ends
 * it; then writes the lock's note (note, lock_note()), removes the
 * shared directories, lets go of the namespace, which takes its mounts
 * down, and ends, freeing the lock. So the lock outlives the sandbox's
 * mounts even when the helper is killed, and process 1's end, which the
 * helper waits for, does not wait for their unmounting. It keeps
 * CAP_DAC_OVERRIDE and CAP_FOWNER alone, and no_new_privs; it is not a
 * child of this process. Returns its PID, with *ret_done a file
 * descriptor for shared_dirs_keeper_wait(), or -errno after logging. */
pid_t shared_dirs_keeper(const HelperConfig *c, pid_t init, int lock, int mntns, int note, bool wait_mounts,
                         int *ret_done);
/* Waits until the keeper has removed the shared directories, and with
 * wait_mounts taken the mounts down too (or has ended), and closes fd
 * (any negative fd: nothing to wait for). */
void shared_dirs_keeper_wait(int fd);
