/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cgroups a command joined to a sandbox enters: those of the
 * sandbox's process 1, wherever this mount namespace has their
 * hierarchies mounted.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

#include <linux/magic.h>

#include "join-cgroups.h"
#include "log.h"
#include "macro.h"
#include "mountinfo.h"
#include "strv.h"

/* The cgroup file system a line of /proc/PID/cgroup names, where
 * systemd mounts it: "0::" the unified one, "N:name=X:" and
 * "N:CONTROLLERS:" the legacy ones. -ENOENT when it is not mounted here:
 * the kernel lists every hierarchy, also those only another mount
 * namespace (a container's host) has, and those no manager here uses. */
static int cgroup_mount(const char *hierarchy, char *buf, size_t size) {
        struct statfs sfs;

        if (!*hierarchy) {
                snprintf(buf, size, "/sys/fs/cgroup");
                if (statfs(buf, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC)
                        return 0;
                snprintf(buf, size, "/sys/fs/cgroup/unified");
        } else {
                if (strncmp(hierarchy, "name=", 5) == 0)
                        hierarchy += 5;
                if (!*hierarchy || strchr(hierarchy, '/') || streq(hierarchy, "..") || streq(hierarchy, "."))
                        return -EINVAL;
                snprintf(buf, size, "/sys/fs/cgroup/%s", hierarchy);
        }
        if (statfs(buf, &sfs) < 0)
                return -errno;
        if (sfs.f_type != (*hierarchy ? CGROUP_SUPER_MAGIC : CGROUP2_SUPER_MAGIC))
                return -ENOENT;
        return 0;
}

/* Whether this mount namespace has the hierarchy mounted anywhere: a
 * cgroup2 file system for "", a cgroup one whose options name every
 * controller (or "name=X") of the list. 1, 0, or -errno. */
static int cgroup_hierarchy_mounted(const char *hierarchy) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        MountInfo m;
        int r;

        while ((r = mountinfo_next(&f, &m)) > 0) {
                _cleanup_strv_free_ char **want = NULL, **have = NULL;
                bool all = true;

                if (!*hierarchy) {
                        if (streq(m.fstype, "cgroup2"))
                                return 1;
                        continue;
                }
                if (!streq(m.fstype, "cgroup"))
                        continue;
                if (strv_split(hierarchy, ",", &want) < 0 || strv_split(m.super_options, ",", &have) < 0)
                        return -ENOMEM;
                STRV_FOREACH(w, want)
                        all = all && strv_contains(have, *w);
                if (all)
                        return 1;
        }
        return r;
}

/* cgroup.procs of every cgroup the sandbox's init is in, opened here,
 * in this cgroup namespace: the command writes itself into them before
 * it enters the sandbox's. The sandbox's limits are its limits too. */
int join_cgroups_open(const char *name, pid_t init, char *text, int *fds, size_t max, size_t *n) {
        int r;

        for (char *l = text, *next; l && *l; l = next) {
                char mount[PATH_MAX], path[PATH_MAX + 64], *hierarchy, *cgroup;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                hierarchy = strchr(l, ':');
                cgroup = hierarchy ? strchr(hierarchy + 1, ':') : NULL;
                if (!cgroup || cgroup[1] != '/' || strstr(cgroup, "/.."))
                        return log_error_errno(-EINVAL, "join: sandbox %s: unexpected line in /proc/%d/cgroup: %s",
                                               name, (int) init, l);
                *cgroup++ = 0;
                hierarchy++;
                if (*n == max)
                        return log_error_errno(-E2BIG, "join: sandbox %s: more than %zu cgroup hierarchies", name, max);
                r = cgroup_mount(hierarchy, mount, sizeof(mount));
                /* not mounted where systemd mounts it: if nowhere here,
                 * nobody here puts limits on it; if elsewhere, joining
                 * without it would leave the command out of limits */
                if (r == -ENOENT && (r = cgroup_hierarchy_mounted(hierarchy)) == 0) {
                        log_debug("join: the cgroup hierarchy \"%s\" is not mounted here", hierarchy);
                        continue;
                }
                if (r > 0)
                        return log_error_errno(-EXDEV, "join: sandbox %s: the cgroup hierarchy \"%s\" is mounted, but not "
                                               "at %s; not joining without it", name, hierarchy, mount);
                if (r < 0)
                        return log_error_errno(r, "join: sandbox %s: the cgroup hierarchy \"%s\": %m",
                                               name, hierarchy);
                snprintf(path, sizeof(path), "%s%s/cgroup.procs", mount, streq(cgroup, "/") ? "" : cgroup);
                fds[*n] = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
                if (fds[*n] < 0)
                        return log_error_errno(-errno, "join: sandbox %s: open %s: %m", name, path);
                (*n)++;
        }
        return 0;
}
