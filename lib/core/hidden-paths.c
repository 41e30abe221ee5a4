/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "hidden-paths.h"
#include "macro.h"
#include "paths.h"

/* password hashes, where the host keeps them and their copies (the
 * sandbox's /var has the host's as its lower layer) */
const char *const host_secret_paths[] = {
        "/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/gshadow-", "/etc/security/opasswd",
        "/var/backups/shadow.bak", "/var/backups/gshadow.bak",
};
const size_t host_secret_paths_n = ELEMENTSOF(host_secret_paths);

const char *const host_kernel_trees[] = { "/proc", "/sys" };
const size_t host_kernel_trees_n = ELEMENTSOF(host_kernel_trees);

/* the sockets of /run and /tmp answer to uid 0 whatever the mount's
 * flags say (systemd's private socket, a root tmux), /dev holds the
 * host's shared memory and terminals */
const char *const host_hidden_dirs[] = { "/root", "/home", "/tmp", "/run", "/dev" };
const size_t host_hidden_dirs_n = ELEMENTSOF(host_hidden_dirs);

bool ssh_key_name(const char *name) {
        size_t n = strlen(name);

        return n > 4 && strcmp(name + n - 4, "_key") == 0;
}

/* a component below HOST_SSH_DIR named as a key */
static bool in_ssh_key(const char *source) {
        const char *c = source + strlen(HOST_SSH_DIR);

        if (!path_is_at_or_below(source, HOST_SSH_DIR))
                return false;
        while (*c) {
                char name[256];
                size_t k;

                c += strspn(c, "/");
                k = strcspn(c, "/");
                if (k == 0)
                        break;
                if (k < sizeof(name)) {
                        memcpy(name, c, k);
                        name[k] = 0;
                        if (ssh_key_name(name))
                                return true;
                }
                c += k;
        }
        return false;
}

const char *bind_source_hidden(const char *source, const char *state_root, const char **ret_path) {
        for (size_t i = 0; i < host_secret_paths_n; i++)
                if (path_is_at_or_below(source, host_secret_paths[i])) {
                        *ret_path = host_secret_paths[i];
                        return "which the sandbox always masks";
                }
        for (size_t i = 0; i < host_kernel_trees_n; i++)
                if (path_is_at_or_below(source, host_kernel_trees[i])) {
                        *ret_path = host_kernel_trees[i];
                        return "the host's kernel interfaces, of which the sandbox has its own";
                }
        if (in_ssh_key(source)) {
                *ret_path = HOST_SSH_DIR;
                return "whose private keys the sandbox always masks";
        }
        if (state_root && path_is_at_or_below(source, state_root)) {
                *ret_path = state_root;
                return "the sandboxes' state, which the sandbox always masks";
        }
        return NULL;
}

const char *path_holds_hidden(const char *dir, const char *state_root, const char **ret_path) {
        for (size_t i = 0; i < host_secret_paths_n; i++)
                if (path_is_at_or_below(host_secret_paths[i], dir)) {
                        *ret_path = host_secret_paths[i];
                        return "which the sandbox always masks";
                }
        for (size_t i = 0; i < host_kernel_trees_n; i++)
                if (path_is_at_or_below(host_kernel_trees[i], dir)) {
                        *ret_path = host_kernel_trees[i];
                        return "the host's kernel interfaces, of which the sandbox has its own";
                }
        if (path_is_at_or_below(HOST_SSH_DIR, dir)) {
                *ret_path = HOST_SSH_DIR;
                return "whose private keys the sandbox always masks";
        }
        if (state_root && path_is_at_or_below(state_root, dir)) {
                *ret_path = state_root;
                return "the sandboxes' state, which the sandbox always masks";
        }
        return NULL;
}
