/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "mount-util.h"
#include "proc-file.h"
#include "quantities.h"
#include "rootless.h"
#include "run-lock.h"
#include "state-dir.h"

/* the kernel's overflow ID when /proc does not say */
#define OVERFLOW_ID_DEFAULT 65534u

static bool active;
static uid_t overflow = OVERFLOW_ID_DEFAULT;

bool rootless_active(void) {
        return active;
}

uid_t rootless_state_owner(uid_t uid) {
        return active && uid == overflow ? 0 : uid;
}

/* "0 OUTSIDE COUNT": where this namespace's root is on the host */
static int root_outside(uid_t *ret) {
        char map[4096];
        ssize_t n;

        n = proc_read_into(getpid(), "uid_map", map, sizeof(map));
        if (n < 0)
                return log_error_errno((int) n, "--unprivileged: /proc/self/uid_map: %m");
        for (char *line = map; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : line + strlen(line)) {
                uint32_t inside, outside, count;

                if (sscanf(line, "%" SCNu32 " %" SCNu32 " %" SCNu32, &inside, &outside, &count) == 3 && inside == 0 &&
                    count > 0) {
                        *ret = outside;
                        return 0;
                }
        }
        return log_error_errno(-EPERM, "--unprivileged: root is not mapped in this user namespace");
}

static void read_overflow(void) {
        char buf[32] = "";
        uint64_t v;
        FILE *f = fopen("/proc/sys/kernel/overflowuid", "re");

        if (!f)
                return;
        if (fgets(buf, sizeof(buf), f) && (buf[strcspn(buf, "\n")] = 0, parse_uint_range(buf, 0, UINT32_MAX - 1, &v) >= 0))
                overflow = (uid_t) v;
        fclose(f);
}

int rootless_enter(const HelperConfig *c) {
        uid_t outside;
        int r;

        /* the kernel's view, not the caller's word: in the host's user
         * namespace root maps to itself (0 0 4294967295) */
        r = root_outside(&outside);
        if (r < 0)
                return r;
        if (outside == 0) {
                log_error("--unprivileged: this process's root is the host's root; the option is for sandboxctl run "
                          "by a user who is not root, in a user namespace of the caller's");
                return -EPERM;
        }
        if (geteuid() != 0 || getegid() != 0) {
                log_error("--unprivileged: the helper must run as root of its user namespace (UID %u there)",
                          (unsigned) geteuid());
                return -EPERM;
        }
        read_overflow();
        /* the overlays are made here, by this process: mounts need a
         * mount namespace that this user namespace owns; nothing made
         * in it reaches the host's */
        if (unshare(CLONE_NEWNS) < 0)
                return log_error_errno(-errno, "--unprivileged: a mount namespace of the helper's own: %m");
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return log_error_errno(-errno, "--unprivileged: make the mounts of the helper's namespace private: %m");
        run_lock_set_root(c->runtime_root);
        state_root_trust_unmapped(overflow);
        active = true;
        log_debug("--unprivileged: root here is UID %u on the host; the overflow ID is %u", (unsigned) outside,
                  (unsigned) overflow);
        return 0;
}

bool rootless_host_root(const struct stat *st) {
        return active && st->st_uid == overflow &&
               (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

static int overlay_dirs(int upper, int lower, unsigned depth, unsigned *left, const char *what) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd;

        fd = openat(lower, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return 0; /* not readable by the caller: nothing of it */
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return log_error_errno(-errno, "%s: read the lower directory: %m", what);
        }
        while ((errno = 0, de = readdir(d)) && *left > 0) {
                _cleanup_close_ int up = -EBADF, low = -EBADF;
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, "..") ||
                    (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                        continue;
                (*left)--;
                if (mkdirat(upper, de->d_name, 0700) == 0) {
                        if (fchmodat(upper, de->d_name, st.st_mode & 07777, 0) < 0)
                                return log_error_errno(-errno, "%s: mode of the upper directory %s: %m", what,
                                                       de->d_name);
                } else if (errno != EEXIST)
                        return log_error_errno(-errno, "%s: make the upper directory %s: %m", what, de->d_name);
                if (depth <= 1)
                        continue;
                /* what the service left there (a whiteout, a link) is
                 * not gone into */
                up = openat(upper, de->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                low = openat(dirfd(d), de->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (up < 0 || low < 0)
                        continue;
                if (overlay_dirs(up, low, depth - 1, left, what) < 0)
                        return -EIO;
        }
        return 0;
}

int rootless_overlay_dirs(int upper, int lower, const char *what) {
        unsigned left = ROOTLESS_DIRS_MAX;
        int r;

        r = overlay_dirs(upper, lower, 2, &left, what);
        if (r >= 0 && left == 0)
                log_debug("%s: the first %u directories of the host's made in the upper directory, no more",
                          what, ROOTLESS_DIRS_MAX);
        return r;
}

int rootless_dev_node(int dev, const char *name, const char *host) {
        _cleanup_close_ int fd = -EBADF;
        char p[FD_PATH_MAX];

        fd = openat(dev, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0)
                return log_error_errno(-errno, "dev: make /dev/%s: %m", name);
        fd_path(fd, p);
        if (mount(host, p, NULL, MS_BIND, NULL) < 0)
                return log_error_errno(-errno, "dev: bind %s on /dev/%s: %m", host, name);
        return 0;
}
