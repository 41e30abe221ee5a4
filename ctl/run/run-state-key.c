/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helper-options.h"
#include "log.h"
#include "macro.h"
#include "run-state-key.h"
#include "state-dir.h"
#include "state-key.h"
#include "strv.h"

int run_state_key(const Profile *p, const char *state_root, char ***argv) {
        _cleanup_close_ int root = -EBADF, state = -EBADF, fd = -EBADF;
        char shown[PATH_MAX], value[64];
        StateKey key;
        ssize_t w;
        int r;

        if (!p->state_encrypted)
                return 0;
        if (!state_root)
                state_root = STATE_ROOT_DEFAULT;
        if (state_root[0] != '/')
                return log_error_errno(-EINVAL, "%s: --state-root=%s: an encrypted state needs an absolute path", p->name,
                                       state_root);
        snprintf(shown, sizeof(shown), "%s/%s", state_root, p->name);
        root = state_root_walk(state_root, STATE_CREATE | STATE_PATH);
        if (root == -ENOENT)
                return log_error_errno(root, "state root %s: a directory above it is missing", state_root);
        if (root < 0)
                return root;
        state = state_step_down(root, p->name, shown, STATE_CREATE | STATE_PATH);
        if (state < 0)
                return state;
        r = state_key_credential_make(state, shown);
        if (r < 0)
                return r;
        r = state_key_from_credential(state, shown, &key);
        if (r < 0)
                return r;
        /* no MFD_CLOEXEC: the helper this process becomes reads it */
        fd = memfd_create("sandbox-state-key", 0);
        if (fd < 0) {
                state_key_wipe(&key);
                return log_error_errno(-errno, "%s: memfd: %m", shown);
        }
        w = write(fd, key.bytes, key.size);
        r = w == (ssize_t) key.size ? 0 : -EIO;
        state_key_wipe(&key);
        if (r < 0)
                return log_error_errno(r, "%s: the key's memfd: %m", shown);
        snprintf(value, sizeof(value), "/proc/self/fd/%d", fd);
        if (strv_consume(argv, helper_option_arg(HELPER_OPT_STATE_KEY, value)) < 0)
                return log_oom();
        TAKE_FD(fd);
        return 0;
}
