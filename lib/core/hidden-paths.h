/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What of the host the sandbox never shows, in one place for the helper,
 * which masks it, and for validate, which refuses a <bind> whose source
 * lies in it (hidden-paths.c). */

#include <stdbool.h>
#include <stddef.h>

/* Password hashes and their copies: always masked. */
extern const char *const host_secret_paths[];
extern const size_t host_secret_paths_n;

/* The host's kernel interfaces, of which the sandbox has its own: never
 * a bind's source, and masked where a bind of a parent would show them. */
extern const char *const host_kernel_trees[];
extern const size_t host_kernel_trees_n;

/* Directories the sandbox has fresh or masked ones of (/root, /home,
 * /tmp, /run, /dev): a bind may name a path in them on purpose, but a
 * bind of a parent does not bring the host's back. */
extern const char *const host_hidden_dirs[];
extern const size_t host_hidden_dirs_n;

/* Where the host's SSH keys are; every private key below it is masked. */
#define HOST_SSH_DIR "/etc/ssh"

/* A name that is an SSH key's by itself: "*_key". */
bool ssh_key_name(const char *name);

/* Why no bind may have source (an absolute path, as given or resolved):
 * returns a phrase for a message and the hidden path it lies in
 * (*ret_path), or NULL. state_root is the sandboxes' state. The
 * profile's own masks are the caller's to add. */
const char *bind_source_hidden(const char *source, const char *state_root, const char **ret_path);

/* Why nothing may read every file below dir as root for the service
 * (systemd's LoadCredential= of a directory): dir is at or above a path
 * bind_source_hidden() names, which is returned in *ret_path; or NULL.
 * A bind of such a directory is masked inside instead. */
const char *path_holds_hidden(const char *dir, const char *state_root, const char **ret_path);
