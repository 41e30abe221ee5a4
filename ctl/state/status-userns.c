/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "fileio.h"
#include "json.h"
#include "log.h"
#include "macro.h"
#include "proc-file.h"
#include "proc-tree.h"
#include "run-lock.h"
#include "regular-file.h"
#include "status-userns.h"
#include "userns-range.h"

/* a map of ours has at most 340 lines; more is not shown */
#define MAP_TEXT_MAX 4096
/* "BASE SIZE STATE\n": two numbers below 2^32 and a word */
#define RANGE_RECORD_MAX 64

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

int status_userns_range(int state, StatusRange *ret) {
        UsernsRecord rec;
        int r;

        r = userns_record_read(state, &rec);
        if (r < 0)
                return r;
        *ret = (StatusRange) { .base = rec.base, .size = rec.size, .shifting = rec.state == USERNS_SHIFTING };
        return 0;
}

int status_userns_running(const char *name, char **ret) {
        char holder[LOCK_HOLDER_MAX];
        pid_t helper, init, service;
        int r;

        *ret = NULL;
        r = sandbox_lock_held(name, holder);
        if (r <= 0)
                return r < 0 ? r : -ESRCH;
        helper = lock_holder_pid(holder);
        init = helper > 0 ? sandbox_init_find(helper) : 0;
        service = init > 0 ? proc_oldest_child(init) : 0;
        if (service <= 0)
                return -ESRCH;
        return status_userns(service, ret);
}

/* The part of status_userns()'s text after "NAME " up to ";" or its
 * end, as a JSON string: "0 1879048192 65536, ..." */
static void json_append_map(Buffer *b, const char *maps, const char *name) {
        const char *p = maps ? strstr(maps, name) : NULL;
        _cleanup_free_ char *one = NULL;

        if (!p) {
                buffer_append(b, "null");
                return;
        }
        p += strlen(name) + (p[strlen(name)] == ' ');
        one = strndup(p, strcspn(p, ";"));
        if (!one) {
                b->oom = true;
                return;
        }
        json_append_string(b, one);
}

/* A range as a running service's uid_map shows it: one line "0 BASE
 * SIZE" mapping root to another ID than the host's root; identity maps
 * root to itself */
static bool range_of_maps(const char *maps, StatusRange *ret) {
        unsigned in, base, size;
        int end = 0;

        if (!maps || sscanf(maps, "uid_map %u %u %u;%n", &in, &base, &size, &end) != 3 || end == 0)
                return false;
        if (in != 0 || base == 0)
                return false;
        *ret = (StatusRange) { .base = base, .size = size };
        return true;
}

void status_userns_json(Buffer *b, const StatusRange *range, const char *maps) {
        StatusRange running;

        buffer_append(b, "\"user_namespace\": ");
        if (!range && !maps) {
                buffer_append(b, "null");
                return;
        }
        /* what runs, whatever the record says; the record while it does
         * not run (or for a state root that is not the default one) */
        if (range_of_maps(maps, &running))
                range = &running;
        if (range)
                buffer_printf(b, "{\"mode\": \"private\", \"base\": %" PRIu32 ", \"size\": %" PRIu32, range->base,
                              range->size);
        else
                buffer_append(b, "{\"mode\": \"identity\"");
        buffer_append(b, ", \"uid_map\": ");
        json_append_map(b, maps, "uid_map");
        buffer_append(b, ", \"gid_map\": ");
        json_append_map(b, maps, "gid_map");
        buffer_append_char(b, '}');
}
