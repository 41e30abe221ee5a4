/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* For "sandboxctl status": the use of a capped sandbox's state image
 * (<state size=...>) below state, an fd of STATE_ROOT/NAME (its path
 * state_path, for messages): what is used of its file system and its
 * size, in bytes. While the sandbox runs (init, its PID 1, or 0) from its
 * /var or /etc overlay through /proc/PID/root (an overlay reports its
 * upper file system's figures), else from the image mounted read-only,
 * detached, for the moment. 0; -ENOENT (not logged) when there is no
 * image; another -errno after logging. */
int status_disk(int state, const char *state_path, pid_t init, uint64_t *ret_used, uint64_t *ret_size);
