/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "userns.h"

/* the kernel's limits on one map: its lines (Linux 4.15), and its text,
 * written at once, shorter than a page */
#define MAP_LINES_MAX 340
#define MAP_TEXT_MAX 4095

static bool seen(const unsigned *ids, size_t n, unsigned id) {
        for (size_t i = 0; i < n; i++)
                if (ids[i] == id)
                        return true;
        return false;
}

/* "ID ID 1" for each of ids, once: one write(), as the kernel takes a
 * map */
static int write_map(pid_t pid, const char *file, const unsigned *ids, size_t n) {
        _cleanup_close_ int fd = -EBADF;
        char path[64], text[MAP_TEXT_MAX + 1];
        unsigned done[MAP_LINES_MAX];
        size_t len = 0, k = 0;
        ssize_t written;

        for (size_t i = 0; i < n; i++) {
                int w;

                if (seen(done, k, ids[i]))
                        continue;
                w = k < MAP_LINES_MAX ? snprintf(text + len, sizeof(text) - len, "%u %u 1\n", ids[i], ids[i]) : -1;
                if (w < 0 || (size_t) w >= sizeof(text) - len)
                        return log_error_errno(-E2BIG, "user namespace: %s: too many IDs to map (the kernel takes "
                                               "at most %d lines, of %d bytes in all)", file, MAP_LINES_MAX, MAP_TEXT_MAX);
                done[k++] = ids[i];
                len += (size_t) w;
        }
        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        written = write(fd, text, len);
        if (written < 0)
                return log_error_errno(-errno, "user namespace: write %s: %m", path);
        /* a map taken in part is not the map asked for */
        if ((size_t) written != len)
                return log_error_errno(-EIO, "user namespace: write %s: short write", path);
        return 0;
}

int userns_write_maps(pid_t pid, const Identity *id) {
        _cleanup_free_ unsigned *gids = calloc(id->n_groups + 2, sizeof(unsigned));
        unsigned uids[2] = { 0, id->uid };
        int r;

        if (!gids)
                return log_oom();
        gids[0] = 0;
        gids[1] = id->gid;
        for (size_t i = 0; i < id->n_groups; i++)
                gids[i + 2] = id->groups[i];
        r = write_map(pid, "uid_map", uids, 2);
        if (r < 0)
                return r;
        return write_map(pid, "gid_map", gids, id->n_groups + 2);
}

int userns_open_child(pid_t pid) {
        _cleanup_close_ int fd = -EBADF, parent = -EBADF;
        struct stat own, st;
        char path[64];

        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        /* EPERM for the host's own: the service's is a child of it */
        parent = ioctl(fd, NS_GET_PARENT);
        if (parent < 0 || fstat(parent, &st) < 0 || stat("/proc/self/ns/user", &own) < 0)
                return log_error_errno(errno == EPERM ? -ESRCH : -errno, "user namespace: %s: not one of the sandbox's: %m",
                                       path);
        if (st.st_dev != own.st_dev || st.st_ino != own.st_ino)
                return log_error_errno(-ESRCH, "user namespace: %s: not a child of the host's", path);
        return TAKE_FD(fd);
}
