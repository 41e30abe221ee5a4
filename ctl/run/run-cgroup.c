/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sandboxctl run without systemd: a cgroup of its own with the limits. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "mountinfo.h"
#include "run-limits.h"

#define CGROUP_ROOT "/sys/fs/cgroup"

/* whether word is one of the words of list, separated by any of seps */
static bool word_in(const char *list, const char *word, const char *seps) {
        size_t n = strlen(word);

        for (const char *p = list; *p;) {
                size_t k = strcspn(p, seps);

                if (k == n && strncmp(p, word, n) == 0)
                        return true;
                p += k;
                p += strspn(p, seps);
        }
        return false;
}

static int write_value(const char *dir, const char *file, const char *value) {
        char path[PATH_MAX];
        _cleanup_close_ int fd = -EBADF;
        size_t n = strlen(value);

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        ssize_t k = write(fd, value, n);
        if (k < 0)
                return -errno;
        return (size_t) k == n ? 0 : -EIO;
}

/* a small file of the cgroup file system, NUL-terminated, bounded */
static int read_value(const char *dir, const char *file, char *buf, size_t size) {
        char path[PATH_MAX];
        _cleanup_close_ int fd = -EBADF;
        ssize_t n;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -errno;
        n = read(fd, buf, size - 1);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        return 0;
}

static int set_limit(const char *dir, const char *file, const char *fmt, uint64_t v) {
        char value[64];
        int r;

        snprintf(value, sizeof(value), fmt, v);
        r = write_value(dir, file, value);
        if (r < 0)
                return log_error_errno(r, "%s/%s: cannot set %s: %m", dir, file, value);
        return 0;
}

/* The cgroup2 mount, unified or hybrid, or NULL. */
static const char *cgroup2_mount(void) {
        static const char *const candidates[] = { CGROUP_ROOT, CGROUP_ROOT "/unified" };
        struct statfs s;

        for (size_t i = 0; i < ELEMENTSOF(candidates); i++)
                if (statfs(candidates[i], &s) == 0 && s.f_type == CGROUP2_SUPER_MAGIC)
                        return candidates[i];
        return NULL;
}

/* The mount point of the cgroup v1 hierarchy with controller, from
 * /proc/self/mountinfo; -ENOENT without one. */
static int cgroup1_mount(const char *controller, char *buf, size_t size) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        MountInfo m;
        int r;

        while ((r = mountinfo_next(&f, &m)) > 0)
                /* a mount point the kernel escapes (a space or the like): not one of ours */
                if (streq(m.fstype, "cgroup") && word_in(m.super_options, controller, ",") &&
                    !strpbrk(m.mount_point, " \t\n\\")) {
                        snprintf(buf, size, "%s", m.mount_point);
                        return 0;
                }
        return r < 0 ? r : -ENOENT;
}

static int add_dir(RunCgroup *c, const char *parent, const char *leaf) {
        char *d;

        for (size_t i = 0; i < c->n; i++)
                if (strncmp(c->dirs[i], parent, strlen(parent)) == 0 && c->dirs[i][strlen(parent)] == '/')
                        return 0; /* co-mounted with a controller already had */
        if (c->n >= RUN_CGROUPS_MAX)
                return -E2BIG;
        if (asprintf(&d, "%s/%s", parent, leaf) < 0)
                return log_oom();
        if (mkdir(d, 0755) < 0) {
                int r = log_error_errno(-errno, "cgroup %s: %m", d);
                free(d);
                return r;
        }
        c->dirs[c->n++] = d;
        return 1;
}

static int set_limits_v2(const char *dir, const RunLimits *l, const char *controllers) {
        int r = 0;

        if (l->memory_max != UINT64_MAX)
                r = set_limit(dir, "memory.max", "%" PRIu64, l->memory_max);
        if (r >= 0 && l->tasks_max != UINT64_MAX)
                r = set_limit(dir, "pids.max", "%" PRIu64, l->tasks_max);
        if (r >= 0 && l->cpu_quota_usec != UINT64_MAX)
                r = set_limit(dir, "cpu.max", "%" PRIu64 " 1000000", l->cpu_quota_usec);
        if (r >= 0 && l->io_weight != 0) {
                if (word_in(controllers, "io", " \n"))
                        r = set_limit(dir, "io.weight", "default %" PRIu64, l->io_weight);
                else
                        log_warning("io-weight is not applied: cgroup2 has no io controller here");
        }
        return r;
}

/* on cgroup2, where the controllers are enabled at its root; 0 when one
 * is missing there */
static int make_v2(const char *leaf, const RunLimits *l, RunCgroup *c, char *missing, size_t size) {
        static const char *const needed[] = { "memory", "pids", "cpu" };
        const bool wanted[] = { l->memory_max != UINT64_MAX, l->tasks_max != UINT64_MAX, l->cpu_quota_usec != UINT64_MAX };
        const char *mount = cgroup2_mount();
        char controllers[512];
        int r;

        if (!mount)
                return 0;
        r = add_dir(c, mount, leaf);
        if (r < 0)
                return r;
        /* what a child of the root gets: the root's subtree_control */
        r = read_value(c->dirs[0], "cgroup.controllers", controllers, sizeof(controllers));
        if (r < 0)
                return log_error_errno(r, "%s/cgroup.controllers: %m", c->dirs[0]);
        for (size_t i = 0; i < ELEMENTSOF(needed); i++)
                if (wanted[i] && !word_in(controllers, needed[i], " \n")) {
                        snprintf(missing, size, "%s", needed[i]);
                        (void) rmdir(c->dirs[0]);
                        free(c->dirs[0]);
                        c->n = 0;
                        return 0;
                }
        r = set_limits_v2(c->dirs[0], l, controllers);
        return r < 0 ? r : 1;
}

static int make_v1(const char *leaf, const RunLimits *l, RunCgroup *c) {
        static const char *const controllers[] = { "memory", "pids", "cpu" };
        const bool wanted[] = { l->memory_max != UINT64_MAX, l->tasks_max != UINT64_MAX, l->cpu_quota_usec != UINT64_MAX };
        char mount[PATH_MAX], dir[PATH_MAX + 256];
        int r;

        for (size_t i = 0; i < ELEMENTSOF(controllers); i++) {
                if (!wanted[i])
                        continue;
                r = cgroup1_mount(controllers[i], mount, sizeof(mount));
                if (r == -ENOENT) {
                        log_error("no cgroup hierarchy here has the %s controller: cgroup2 has not got it enabled "
                                  "at its root (cgroup.subtree_control), and no cgroup v1 hierarchy is mounted with it",
                                  controllers[i]);
                        return -EOPNOTSUPP;
                }
                if (r < 0)
                        return log_error_errno(r, "/proc/self/mountinfo: %m");
                r = add_dir(c, mount, leaf);
                if (r < 0)
                        return r;
                snprintf(dir, sizeof(dir), "%s/%s", mount, leaf);
                if (i == 0)
                        r = set_limit(dir, "memory.limit_in_bytes", "%" PRIu64, l->memory_max);
                else if (i == 1)
                        r = set_limit(dir, "pids.max", "%" PRIu64, l->tasks_max);
                else {
                        r = set_limit(dir, "cpu.cfs_period_us", "%" PRIu64, 100000);
                        if (r >= 0)
                                r = set_limit(dir, "cpu.cfs_quota_us", "%" PRIu64, l->cpu_quota_usec / 10);
                }
                if (r < 0)
                        return r;
        }
        if (l->io_weight != 0)
                log_warning("io-weight is not applied: there is no cgroup2 io controller here");
        return 0;
}

int run_cgroup_make(const char *name, const RunLimits *l, RunCgroup *ret) {
        RunCgroup c = {};
        char leaf[128], missing[16] = "";
        int r;

        snprintf(leaf, sizeof(leaf), "sandbox-run-%s-%d", name, (int) getpid());
        r = make_v2(leaf, l, &c, missing, sizeof(missing));
        if (r == 0) {
                if (*missing)
                        log_debug("cgroup2 has no %s controller enabled: the cgroup v1 hierarchies", missing);
                r = make_v1(leaf, l, &c);
        }
        if (r < 0) {
                run_cgroup_remove(&c);
                return r;
        }
        *ret = c;
        return 0;
}

int run_cgroup_enter(const RunCgroup *c, pid_t pid) {
        char value[32];
        int r;

        snprintf(value, sizeof(value), "%d", (int) pid);
        for (size_t i = 0; i < c->n; i++) {
                r = write_value(c->dirs[i], "cgroup.procs", value);
                if (r < 0)
                        return log_error_errno(r, "%s/cgroup.procs: cannot move PID %d in: %m", c->dirs[i], (int) pid);
        }
        return 0;
}

/* what is left of the run in dir: the sandbox's processes after the
 * helper ended, killed; they are ours, and in no other cgroup's way.
 * Where cgroup2 has cgroup.kill, the kernel kills the cgroup's own
 * processes; a list of PIDs read first could name one that ended and
 * whose PID another process outside got since. */
static void kill_left(const char *dir) {
        char procs[4096];

        if (write_value(dir, "cgroup.kill", "1") == 0)
                return;
        if (read_value(dir, "cgroup.procs", procs, sizeof(procs)) < 0)
                return;
        for (char *p = procs, *end; *p; p = end) {
                long pid = strtol(p, &end, 10);

                if (end == p)
                        break;
                if (pid > 1)
                        (void) kill((pid_t) pid, SIGKILL);
        }
}

void run_cgroup_remove(RunCgroup *c) {
        const struct timespec tick = { 0, 10 * 1000 * 1000 };

        for (size_t i = 0; i < c->n; i++) {
                int tries = 0, r;

                /* a pid namespace takes a moment to empty after its init */
                while ((r = rmdir(c->dirs[i]) < 0 ? -errno : 0) == -EBUSY && tries < 500) {
                        if (++tries % 100 == 0)
                                kill_left(c->dirs[i]);
                        nanosleep(&tick, NULL);
                }
                if (r < 0 && r != -ENOENT)
                        log_warning_errno(r, "cgroup %s: cannot remove it: %m", c->dirs[i]);
                free(c->dirs[i]);
        }
        *c = (RunCgroup) {};
}
