/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "state-image.h"
#include "state.h"
#include "status-disk.h"

#define OVERLAYFS_MAGIC 0x794c7630

/* The running sandbox's overlay on /var or /etc, through its PID 1's
 * root: its figures are those of its upper dirs' file system, the
 * image's. -errno, not logged, when there is none to ask. */
static int disk_running(pid_t init, uint64_t *ret_used, uint64_t *ret_size) {
        static const char *const dirs[] = { "var", "etc" };
        _cleanup_close_ int root = -EBADF;
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/root", (int) init);
        root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return -errno;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_close_ int fd = openat(root, dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                struct statfs sf;

                if (fd >= 0 && fstatfs(fd, &sf) == 0 && sf.f_type == OVERLAYFS_MAGIC)
                        return state_image_usage(fd, ret_used, ret_size);
        }
        return -ENOENT;
}

int status_disk(int state, const char *state_path, pid_t init, uint64_t *ret_used, uint64_t *ret_size) {
        _cleanup_free_ char *shown = path_join2(state_path, STATE_IMAGE_NAME);
        _cleanup_close_ int mnt = -EBADF;
        int r;

        if (!shown)
                return log_oom();
        if (faccessat(state, STATE_IMAGE_NAME, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? -ENOENT : log_error_errno(-errno, "status: %s: %m", shown);
        if (init > 0 && disk_running(init, ret_used, ret_size) >= 0)
                return 0;
        /* encrypted, it is opened with the key of its credential, as
         * its sandbox's, NAME, the last component of state_path */
        const char *slash = strrchr(state_path, '/');
        mnt = state_image_mount_sandbox(state, slash ? slash + 1 : state_path, shown, STATE_IMAGE_READ_ONLY);
        if (mnt == -ENOENT)
                return log_error_errno(-ENOENT, "status: %s: gone meanwhile", shown);
        if (mnt < 0)
                return mnt;
        r = state_image_usage(mnt, ret_used, ret_size);
        if (r < 0)
                return log_error_errno(r, "status: %s: %m", shown);
        return 0;
}
