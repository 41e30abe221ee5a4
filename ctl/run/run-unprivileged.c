/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "helper-options.h"
#include "log.h"
#include "macro.h"
#include "paths.h"
#include "quantities.h"
#include "regular-file.h"
#include "run-unprivileged.h"
#include "strv.h"

/* /etc/subuid and /etc/subgid: a line per delegation, far below this */
#define SUBID_FILE_MAX (1024 * 1024)

/* The first line of path "NAME:START:COUNT" whose NAME is name or the
 * number id: 0; -ENOENT when none is */
static int subid_find(const char *path, const char *name, unsigned id, unsigned *ret_start, unsigned *ret_count) {
        _cleanup_free_ char *text = NULL;
        char idtext[16];
        int r;

        r = read_regular_file(path, SUBID_FILE_MAX, &text, NULL, NULL);
        if (r == -ENOENT)
                return -ENOENT;
        if (r < 0)
                return log_error_errno(r, "%s: %m", path);
        snprintf(idtext, sizeof(idtext), "%u", id);
        for (char *line = text, *next; line && *line; line = next) {
                char *start, *count;
                uint64_t s, n;

                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                start = strchr(line, ':');
                count = start ? strchr(start + 1, ':') : NULL;
                if (!count)
                        continue;
                *start++ = 0;
                *count++ = 0;
                if (!streq(line, name) && !streq(line, idtext))
                        continue;
                if (parse_uint_range(start, 1, UINT32_MAX, &s) < 0 || parse_uint_range(count, 1, UINT32_MAX, &n) < 0 ||
                    s + n - 1 > UINT32_MAX - 1)
                        return log_error_errno(-EINVAL, "%s: the line of %s is not NAME:START:COUNT", path, name);
                *ret_start = (unsigned) s;
                *ret_count = n > RUN_RANGE_MAX ? RUN_RANGE_MAX : (unsigned) n;
                return 0;
        }
        return -ENOENT;
}

/* set-ID programs of the shadow suite, looked up in the fixed PATH only */
static bool map_tools_installed(void) {
        _cleanup_free_ char *uid = NULL, *gid = NULL;

        return path_search(SERVICE_PATH, "newuidmap", &uid) >= 0 && path_search(SERVICE_PATH, "newgidmap", &gid) >= 0;
}

int run_range_read(const char *subuid, const char *subgid, RunRange *ret) {
        struct passwd *pw;
        RunRange r = { .uid = getuid(), .gid = getgid() };
        int k;

        if (!map_tools_installed()) {
                log_error("run: a user who is not root runs a sandbox with newuidmap and newgidmap, which are not "
                          "installed (in " SERVICE_PATH "); they come with the package uidmap (Debian, Ubuntu) or "
                          "shadow-utils (Fedora); or run it as root");
                return -ENOEXEC;
        }
        errno = 0;
        pw = getpwuid(r.uid);
        if (!pw)
                return log_error_errno(errno ? -errno : -ENOENT, "run: UID %u has no name in the user database", r.uid);
        k = subid_find(subuid, pw->pw_name, r.uid, &r.uid_start, &r.uid_count);
        if (k == -ENOENT)
                log_error("run: %s has no IDs of its own in %s: an unprivileged run maps them in its user "
                          "namespace; ask the administrator for them (usermod --add-subuids 100000-165535 %s)",
                          pw->pw_name, subuid, pw->pw_name);
        if (k < 0)
                return k;
        k = subid_find(subgid, pw->pw_name, r.uid, &r.gid_start, &r.gid_count);
        if (k == -ENOENT)
                log_error("run: %s has no group IDs of its own in %s: an unprivileged run maps them in its user "
                          "namespace; ask the administrator for them (usermod --add-subgids 100000-165535 %s)",
                          pw->pw_name, subgid, pw->pw_name);
        if (k < 0)
                return k;
        *ret = r;
        return 0;
}

_printf_(3, 4) static void refuse(const Profile *p, Origin o, const char *fmt, ...) {
        _cleanup_free_ char *what = NULL;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&what, fmt, ap);
        va_end(ap);
        log_error("%s:%u: %s: it needs root, and this run is a user's (UID %u); run it as root, or take it "
                  "out of the profile", o.file ? o.file : p->path, o.file ? o.line : p->line, n >= 0 ? what : fmt,
                  (unsigned) getuid());
}

/* name as the helper resolves it, in the host's database: a number, or
 * a user's or group's; mapped when it is below the range's end */
static int id_of(const char *name, bool group, unsigned *ret) {
        uint64_t v;

        if (parse_uint_range(name, 0, UINT32_MAX - 1, &v) >= 0) {
                *ret = (unsigned) v;
                return 0;
        }
        if (group) {
                struct group *g = getgrnam(name);

                if (!g)
                        return -ENOENT;
                *ret = g->gr_gid;
        } else {
                struct passwd *u = getpwnam(name);

                if (!u)
                        return -ENOENT;
                *ret = u->pw_uid;
        }
        return 0;
}

static bool id_unmapped(const char *name, bool group, const RunRange *range, unsigned *ret) {
        return id_of(name, group, ret) == 0 && *ret > (group ? range->gid_count : range->uid_count);
}

int run_unprivileged_check(const Profile *p, const RunRange *range, bool without_limits) {
        bool refused = false;
        unsigned id;

#define REFUSE(origin, ...) (refuse(p, origin, __VA_ARGS__), refused = true)
        for (size_t i = 0; i < p->n_mounts; i++) {
                const ProfileMount *m = &p->mounts[i];

                if (m->kind == MOUNT_BLOCK)
                        REFUSE(m->origin, "<block> %s: a block device's node in the sandbox, which only the host's "
                               "root may make", m->source);
                else if (m->kind == MOUNT_IMAGE)
                        REFUSE(m->origin, "<image> %s: an image is mounted from a loop device", m->source);
        }
        if (p->state_size)
                REFUSE(p->state_origin, "<state size=\"%s\">: the state's image is a loop device", p->state_size);
        if (p->state_encrypted)
                REFUSE(p->state_origin, "<state encryption=\"luks2\">: the state's encryption is device-mapper's");
        if (p->selinux_label || p->selinux_mcs)
                REFUSE(p->selinux_origin, "<selinux%s%s%s>: an SELinux label", p->selinux_mcs ? " mcs=\"dynamic\"" : "",
                       p->selinux_label ? " label=" : "", p->selinux_label ? p->selinux_label : "");
        if (p->apparmor_profile)
                REFUSE(p->apparmor_origin, "<apparmor profile=\"%s\">: an AppArmor profile is loaded and changed to by "
                       "root", p->apparmor_profile);
        if (p->network == NETWORK_BRIDGE)
                REFUSE(p->network_origin, "<network mode=\"bridge\">: the host's bridge, addresses and nftables rules");
        for (size_t i = 0; i < p->n_shared_dirs; i++)
                REFUSE(p->shared_dirs[i].origin, "<runtime-directory name=\"%s\" share=\"host\">: a directory in the "
                       "host's /run", p->shared_dirs[i].name);
        if (p->user_namespace != USERNS_NONE)
                REFUSE(p->user_namespace_origin, "<user-namespace>: a range of the host's (or the host's IDs) for the "
                       "sandbox; an unprivileged run is always in a user namespace of the caller's delegated IDs");
        if (p->user && id_unmapped(p->user, false, range, &id))
                REFUSE(p->exec_origin, "<exec user=\"%s\">: UID %u is not mapped in this run's user namespace "
                       "(0 to %u: the caller and the IDs /etc/subuid delegates)", p->user, id, range->uid_count);
        if (p->group && id_unmapped(p->group, true, range, &id))
                REFUSE(p->exec_origin, "<exec group=\"%s\">: GID %u is not mapped in this run's user namespace "
                       "(0 to %u)", p->group, id, range->gid_count);
        STRV_FOREACH(g, p->supplementary_groups)
                if (id_unmapped(*g, true, range, &id))
                        REFUSE(p->exec_origin, "supplementary group \"%s\": GID %u is not mapped in this run's user "
                               "namespace (0 to %u)", *g, id, range->gid_count);
        /* what the unit, or a cgroup of root's, would apply */
        if (p->memory_max || p->cpu_quota || p->tasks_max || p->io_weight) {
                if (without_limits)
                        log_warning("%s: running without the profile's <resources> (--without-limits)", p->name);
                else
                        REFUSE(p->resources_origin, "<resources>: cgroup limits, which the caller's session does not "
                               "let it set (pass --without-limits to run without them)");
        }
        for (size_t i = 0; i < p->n_unit_settings; i++) {
                if (without_limits)
                        log_warning("%s: running without the profile's <unit-setting>s (--without-limits)", p->name);
                else
                        REFUSE(p->unit_settings[i].origin, "<unit-setting>: it applies only to the unit (pass "
                               "--without-limits to run without it)");
                if (without_limits)
                        break;
        }
        if (p->network == NETWORK_HOST && (p->net_allow || p->net_deny)) {
                if (without_limits)
                        log_warning("%s: running without the profile's <allow> and <deny> (--without-limits)", p->name);
                else
                        REFUSE(p->network_origin, "<allow> and <deny>: the unit's IPAddressAllow= and IPAddressDeny= "
                               "(pass --without-limits to run without them)");
        }
#undef REFUSE
        return refused ? -EPERM : 0;
}

/* path, from /: every directory only root or the caller can change
 * (sticky, and root's, for one others can write, as /tmp), none a
 * symbolic link; the missing ones at its end made (0700). Logs. */
static int dir_make_checked(const char *path) {
        _cleanup_close_ int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        char shown[PATH_MAX] = "", part[NAME_MAX + 1];
        const char *c = path;
        size_t n = 0;
        bool last;
        int r;

        if (fd < 0)
                return log_error_errno(-errno, "open /: %m");
        if (path[0] != '/' || strlen(path) >= sizeof(shown))
                return log_error_errno(-EINVAL, "%s: not an absolute path", path);
        while ((r = path_next_component(&c, part, &last)) > 0) {
                _cleanup_close_ int next = -EBADF;
                struct stat st;

                n += (size_t) snprintf(shown + n, sizeof(shown) - n, "/%s", part);
                next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 && errno == ENOENT) {
                        if (mkdirat(fd, part, 0700) < 0 && errno != EEXIST)
                                return log_error_errno(-errno, "create %s: %m", shown);
                        next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                }
                if (next < 0 && (errno == ELOOP || errno == ENOTDIR))
                        return log_error_errno(-ENOTDIR, "%s: a symbolic link or not a directory", shown);
                if (next < 0)
                        return log_error_errno(-errno, "%s: %m", shown);
                if (fstat(next, &st) < 0)
                        return log_error_errno(-errno, "%s: %m", shown);
                if ((st.st_uid != 0 && st.st_uid != getuid()) ||
                    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_uid == 0 && (st.st_mode & S_ISVTX))))
                        return log_error_errno(-EPERM, "%s: owned by UID %u with mode %04o; the state and runtime "
                                               "directories of an unprivileged run must be where only root and "
                                               "the caller can change them", shown, (unsigned) st.st_uid,
                                               (unsigned) (st.st_mode & 07777));
                close(fd);
                fd = TAKE_FD(next);
        }
        return r < 0 ? log_error_errno(r, "%s: %m", path) : 0;
}

/* $VAR/sub, when VAR is set to an absolute path; else NULL */
static char *env_below(const char *var, const char *sub) {
        const char *v = getenv(var);
        char *s;

        if (!v || v[0] != '/')
                return NULL;
        return asprintf(&s, "%s/%s", v, sub) < 0 ? NULL : s;
}

int run_unprivileged_options(const char *state_root_arg, char ***argv) {
        _cleanup_free_ char *state = NULL, *runtime = NULL, *absolute = NULL;
        int r;

        if (state_root_arg)
                state = strdup(state_root_arg);
        else if (!(state = env_below("XDG_STATE_HOME", "sandbox"))) {
                const char *h = getenv("HOME");
                struct passwd *pw = h && h[0] == '/' ? NULL : getpwuid(getuid());

                if (!h || h[0] != '/')
                        h = pw ? pw->pw_dir : NULL;
                if (!h || h[0] != '/')
                        return log_error_errno(-ENOENT, "run: no home directory for the state (set HOME, "
                                               "XDG_STATE_HOME, or pass --state-root)");
                if (asprintf(&state, "%s/.local/state/sandbox", h) < 0)
                        state = NULL;
        }
        if (!state)
                return log_oom();
        runtime = env_below("XDG_RUNTIME_DIR", "sandbox");
        if (!runtime && asprintf(&runtime, "%s/.run", state) < 0)
                runtime = NULL;
        if (!runtime)
                return log_oom();
        /* the helper takes only normalized absolute paths */
        if (path_make_absolute(state, &absolute) < 0 || !path_is_normalized_absolute(absolute))
                return log_error_errno(-EINVAL, "run: state root %s: not a normalized absolute path", state);
        r = dir_make_checked(absolute);
        if (r < 0)
                return r;
        if (!path_is_normalized_absolute(runtime))
                return log_error_errno(-EINVAL, "run: runtime root %s: not a normalized absolute path", runtime);
        r = dir_make_checked(runtime);
        if (r < 0)
                return r;
        if (strv_consume(argv, helper_option_arg(HELPER_OPT_UNPRIVILEGED, NULL)) < 0 ||
            strv_consume(argv, helper_option_arg(HELPER_OPT_STATE_ROOT, absolute)) < 0 ||
            strv_consume(argv, helper_option_arg(HELPER_OPT_RUNTIME_ROOT, runtime)) < 0)
                return log_oom();
        return 0;
}

/* TOOL PID 0 ID 1 1 START COUNT, as a child; 0 when it exited 0 */
static int run_map_tool(const char *tool, pid_t pid, unsigned id, unsigned start, unsigned count) {
        _cleanup_free_ char *path = NULL;
        char a[5][16];
        pid_t child;
        int status;

        if (path_search(SERVICE_PATH, tool, &path) < 0)
                return log_error_errno(-ENOEXEC, "run: %s is not installed", tool);
        snprintf(a[0], sizeof(a[0]), "%d", (int) pid);
        snprintf(a[1], sizeof(a[1]), "%u", id);
        snprintf(a[2], sizeof(a[2]), "%u", start);
        snprintf(a[3], sizeof(a[3]), "%u", count);
        child = fork();
        if (child < 0)
                return log_error_errno(-errno, "run: fork: %m");
        if (child == 0) {
                execl(path, tool, a[0], "0", a[1], "1", "1", a[2], a[3], (char *) NULL);
                log_error_errno(-errno, "run: execute %s: %m", path);
                _exit(EXIT_FAILURE);
        }
        while (waitpid(child, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(-errno, "run: wait for %s: %m", tool);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(-EPERM, "run: %s %s 0 %s 1 1 %s %s failed (it says why, above)", tool, a[0],
                                       a[1], a[2], a[3]);
        return 0;
}

int run_unprivileged_exec(char **argv, const RunRange *range) {
        int go[2], status;
        pid_t parent = getpid(), mapper;

        if (pipe2(go, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "run: pipe: %m");
        fflush(stdout);
        fflush(stderr);
        /* the maps are written from outside the namespace, by a child,
         * once this process is in it */
        mapper = fork();
        if (mapper < 0)
                return log_error_errno(-errno, "run: fork: %m");
        if (mapper == 0) {
                char b;

                close(go[1]);
                if (read(go[0], &b, 1) != 1)
                        _exit(EXIT_FAILURE); /* the parent said why */
                if (run_map_tool("newuidmap", parent, range->uid, range->uid_start, range->uid_count) < 0 ||
                    run_map_tool("newgidmap", parent, range->gid, range->gid_start, range->gid_count) < 0)
                        _exit(EXIT_FAILURE);
                _exit(EXIT_SUCCESS);
        }
        close(go[0]);
        if (unshare(CLONE_NEWUSER) < 0) {
                int r = -errno;

                close(go[1]);
                (void) waitpid(mapper, NULL, 0);
                return log_error_errno(r, "run: a user namespace: %m (the kernel may not let users make them: "
                                       "user.max_user_namespaces, kernel.unprivileged_userns_clone, or "
                                       "kernel.apparmor_restrict_unprivileged_userns)");
        }
        if (write(go[1], "x", 1) != 1) {
                close(go[1]);
                (void) waitpid(mapper, NULL, 0);
                return log_error_errno(-errno, "run: tell the mapping process: %m");
        }
        close(go[1]);
        while (waitpid(mapper, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(-errno, "run: wait for the mapping process: %m");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -EPERM; /* it said why */
        /* root of the namespace now, the caller outside; none of the
         * caller's groups on the host goes into the sandbox */
        if (setgroups(0, NULL) < 0 || setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                return log_error_errno(-errno, "run: become root of the user namespace: %m");
        execv(argv[0], argv);
        return log_error_errno(-errno, "run: execute %s: %m", argv[0]);
}
