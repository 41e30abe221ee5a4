/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Runtime directories shared with the host (--shared-runtime-dir): the
 * host's /run/NAME, made as systemd's RuntimeDirectory= makes it, bound
 * at the same path into the sandbox, and removed once the sandbox has
 * ended (shared-dirs.c). Each function logs its own failure. */

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

/* Starts the process that removes them once process 1 (init) has ended,
 * whatever ends it, keeping CAP_DAC_OVERRIDE and CAP_FOWNER alone, and
 * no_new_privs; not a child of this process. It holds a copy of the run
 * lock until then, with or without directories to remove: the lock
 * outlives the sandbox's mounts even when the helper is killed. Returns
 * a file descriptor for shared_dirs_remover_wait(), or -errno after
 * logging. */
int shared_dirs_remover(const HelperConfig *c, pid_t init, int lock);
/* Waits until that process has ended, and closes fd (any negative fd:
 * nothing to wait for). */
void shared_dirs_remover_wait(int fd);
