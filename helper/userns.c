/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

/* The short-lived child that holds the namespaces until they are open:
 * it waits for the pipe's end and exits. It only ever reads. */
_Noreturn static void hold_namespaces(int fd) {
        char c;

        while (read(fd, &c, 1) < 0 && errno == EINTR)
                ;
        _exit(EXIT_SUCCESS);
}

static int write_range(pid_t pid, const char *file, uint32_t base, uint32_t size) {
        _cleanup_close_ int fd = -EBADF;
        char path[64], text[64];
        int n;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, file);
        n = snprintf(text, sizeof(text), "0 %" PRIu32 " %" PRIu32 "\n", base, size);
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        if (write(fd, text, (size_t) n) != n)
                return log_error_errno(errno > 0 ? -errno : -EIO, "user namespace: write %s: %m", path);
        return 0;
}

static int open_ns(pid_t pid, const char *which, int type) {
        char path[64];
        int fd;

        snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int) pid, which);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", path);
        if (ioctl(fd, NS_GET_NSTYPE) != type) {
                close(fd);
                return log_error_errno(-EBADF, "user namespace: %s is not the namespace made", path);
        }
        return fd;
}

int userns_make_private(uint32_t base, uint32_t size, bool with_net, int *ret_userns, int *ret_netns) {
        _cleanup_close_ int user = -EBADF, net = -EBADF;
        int pipefd[2], status, r;
        unsigned long flags = CLONE_NEWUSER | (with_net ? CLONE_NEWNET : 0);
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "user namespace: %m");
        /* one clone for both: the network namespace is made in the new
         * user namespace, and so belongs to it */
        pid = (pid_t) syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
        if (pid == 0) {
                close(pipefd[1]);
                hold_namespaces(pipefd[0]);
        }
        r = -errno;
        close(pipefd[0]);
        if (pid < 0) {
                close(pipefd[1]);
                return log_error_errno(r, "user namespace: %m (the kernel refused one: user.max_user_namespaces, or a "
                                       "security module's policy)");
        }
        r = write_range(pid, "uid_map", base, size);
        if (r >= 0)
                r = write_range(pid, "gid_map", base, size);
        if (r >= 0)
                r = user = open_ns(pid, "user", CLONE_NEWUSER);
        if (r >= 0 && with_net)
                r = net = open_ns(pid, "net", CLONE_NEWNET);
        close(pipefd[1]);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        break;
        if (r < 0)
                return r;
        *ret_userns = TAKE_FD(user);
        if (ret_netns)
                *ret_netns = TAKE_FD(net);
        return 0;
}
