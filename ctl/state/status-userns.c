/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "macro.h"
#include "proc-file.h"
#include "status-userns.h"

/* a map of ours has at most 340 lines; more is not shown */
#define MAP_TEXT_MAX 4096

static int append_map(Buffer *b, pid_t pid, const char *file) {
        char text[MAP_TEXT_MAX];
        unsigned in, out, count;
        bool first = true;
        ssize_t n;

        n = proc_read_into(pid, file, text, sizeof(text));
        if (n < 0)
                return (int) n;
        buffer_printf(b, "%s", file);
        for (char *line = text, *end; *line; line = end) {
                end = line + strcspn(line, "\n");
                if (*end)
                        *end++ = 0;
                if (sscanf(line, "%u %u %u", &in, &out, &count) != 3)
                        continue;
                buffer_printf(b, "%s %u %u %u", first ? "" : ",", in, out, count);
                first = false;
        }
        return 0;
}

int status_userns(pid_t service, char **ret) {
        _cleanup_buffer_ Buffer b = {};
        struct stat own, st;
        char path[64];
        int r;

        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int) service);
        if (stat(path, &st) < 0 || stat("/proc/self/ns/user", &own) < 0)
                return errno == ENOENT ? -ESRCH : -errno;
        if (st.st_dev == own.st_dev && st.st_ino == own.st_ino) {
                *ret = NULL;
                return 0;
        }
        r = append_map(&b, service, "uid_map");
        buffer_append(&b, "; ");
        if (r >= 0)
                r = append_map(&b, service, "gid_map");
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        if (b.oom)
                return -ENOMEM;
        *ret = TAKE_PTR(b.data);
        return 0;
}
