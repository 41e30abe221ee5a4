/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "proc-file.h"
#include "proc-tree.h"
#include "quantities.h"

/* a process's status: what is read of it comes first */
#define STATUS_READ_MAX 8192
/* the children listed: a longer list is cut at a PID */
#define CHILDREN_READ_MAX 4096

/* Calls visit on each child of parent as the kernel lists them, or,
 * where it keeps no such list (CONFIG_PROC_CHILDREN), on every process,
 * until it returns true. visit makes sure of the parent itself: a PID
 * may also have been reused since it was listed. */
static void proc_children_visit(pid_t parent, bool (*visit)(pid_t pid, void *userdata), void *userdata) {
        _cleanup_closedir_ DIR *d = NULL;
        char name[64], children[CHILDREN_READ_MAX], *last;
        struct dirent *de;
        ssize_t n;

        snprintf(name, sizeof(name), "task/%d/children", (int) parent);
        n = proc_read_into(parent, name, children, sizeof(children));
        if (n >= 0) {
                /* a longer list: the number cut off at the end is no PID */
                if ((size_t) n == sizeof(children) - 1 && (last = strrchr(children, ' ')))
                        *last = 0;
                for (char *c = children, *end; *c; c = end) {
                        long pid = strtol(c, &end, 10);

                        if (end == c || (pid > 0 && pid <= INT32_MAX && visit((pid_t) pid, userdata)))
                                break;
                }
                return;
        }
        d = opendir("/proc");
        while (d && (de = readdir(d))) {
                uint64_t pid;

                if (parse_uint_range(de->d_name, 1, INT32_MAX, &pid) >= 0 && visit((pid_t) pid, userdata))
                        break;
        }
}

typedef struct ChildSearch {
        pid_t parent;
        pid_t found;    /* 0: none (yet) */
        uint64_t start; /* the found one's start time */
} ChildSearch;

static bool is_sandbox_init(pid_t pid, void *userdata) {
        ChildSearch *search = userdata;
        char status[STATUS_READ_MAX];
        unsigned levels;
        pid_t inner;

        if (proc_read_into(pid, "status", status, sizeof(status)) < 0 ||
            proc_status_pid(status, "PPid") != search->parent ||
            proc_status_nspid(status, &inner, &levels) < 0 || levels < 2 || inner != 1)
                return false;
        search->found = pid;
        return true;
}

pid_t sandbox_init_find(pid_t helper) {
        ChildSearch search = { .parent = helper };

        proc_children_visit(helper, is_sandbox_init, &search);
        return search.found;
}

static bool keep_oldest_child(pid_t pid, void *userdata) {
        ChildSearch *search = userdata;
        uint64_t start;
        pid_t parent;

        if (proc_stat_parent_start(pid, &parent, &start) < 0 || parent != search->parent)
                return false;
        if (!search->found || start < search->start || (start == search->start && pid < search->found)) {
                search->found = pid;
                search->start = start;
        }
        return false;
}

pid_t proc_oldest_child(pid_t parent) {
        ChildSearch search = { .parent = parent };

        proc_children_visit(parent, keep_oldest_child, &search);
        return search.found;
}
