/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "proc-file.h"

/* what is read of /proc/PID/stat: the fields used come first */
#define STAT_READ_MAX 1024

static int proc_open(pid_t pid, const char *name) {
        char path[PATH_MAX];
        int fd;

        if ((size_t) snprintf(path, sizeof(path), "/proc/%d/%s", (int) pid, name) >= sizeof(path))
                return -ENAMETOOLONG;
        fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

ssize_t proc_read_into(pid_t pid, const char *name, char *buf, size_t size) {
        _cleanup_close_ int fd = proc_open(pid, name);

        return fd < 0 ? fd : read_fd_into(fd, buf, size);
}

int proc_read_whole(pid_t pid, const char *name, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        ssize_t k;

        fd = proc_open(pid, name);
        if (fd < 0)
                return fd;
        buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        k = read_fd_into(fd, buf, max + 1);
        if (k < 0)
                return (int) k;
        /* as much as fits: perhaps not all of it */
        if ((size_t) k == max)
                return -EFBIG;
        *ret = TAKE_PTR(buf);
        *ret_size = (size_t) k;
        return 0;
}

const char *proc_status_field(const char *status, const char *key) {
        size_t k = strlen(key);

        for (const char *l = status; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                if (strncmp(l, key, k) == 0 && l[k] == ':')
                        return l + k + 1 + strspn(l + k + 1, " \t");
        return NULL;
}

pid_t proc_status_pid(const char *status, const char *key) {
        const char *v = proc_status_field(status, key);
        long pid = v ? strtol(v, NULL, 10) : 0;

        return pid > 0 && pid <= INT_MAX ? (pid_t) pid : 0;
}

int proc_status_nspid(const char *status, pid_t *ret_inner, unsigned *ret_levels) {
        const char *v = proc_status_field(status, "NSpid");
        unsigned levels = 0;
        long pid = 0;

        if (!v)
                return -ENOENT;
        /* "HOST-PID\t...\tINNERMOST-PID" */
        for (const char *p = v; *p && *p != '\n';) {
                char *end;

                errno = 0;
                pid = strtol(p, &end, 10);
                if (end == p || errno != 0 || pid <= 0 || pid > INT_MAX || (*end && !strchr("\t\n", *end)))
                        return -EINVAL;
                levels++;
                p = end + (*end == '\t');
        }
        if (levels == 0)
                return -EINVAL;
        *ret_inner = (pid_t) pid;
        *ret_levels = levels;
        return 0;
}

int proc_stat_parse_parent_start(const char *stat, pid_t *ret_parent, uint64_t *ret_start) {
        const char *p = strrchr(stat, ')');
        long parent = 0;
        uint64_t start = 0;

        /* fields 4 and 22, counted from the end of the command's name
         * (the last ")"), which may hold any character */
        for (int field = 3; p && field <= 22; field++) {
                p = strchr(p, ' ');
                if (!p)
                        break;
                p++;
                if (field == 4)
                        parent = strtol(p, NULL, 10);
                else if (field == 22)
                        start = strtoull(p, NULL, 10);
        }
        if (!p || parent <= 0 || parent > INT_MAX)
                return -EINVAL;
        *ret_parent = (pid_t) parent;
        *ret_start = start;
        return 0;
}

int proc_stat_parent_start(pid_t pid, pid_t *ret_parent, uint64_t *ret_start) {
        char stat[STAT_READ_MAX];
        ssize_t n;

        n = proc_read_into(pid, "stat", stat, sizeof(stat));
        if (n < 0)
                return (int) n;
        return proc_stat_parse_parent_start(stat, ret_parent, ret_start);
}
