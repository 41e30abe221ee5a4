/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The last steps before execve(), in the service's own process and inside
 * the new root: labels armed for the exec, then groups, user and
 * capabilities, no_new_privs, the working directory. Users and groups are
 * names in the host's /etc (or a root directory's), looked up before the
 * sandbox exists (identity_resolve_names()): never in the sandbox's own
 * /etc, which the service writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capability-names.h"
#include "config.h"
#include "fileio.h"
#include "helper-config.h"
#include "helper-options.h"
#include "identity.h"
#include "log.h"
#include "mount-util.h"
#include "plan.h"
#include "profile-filter.h"
#include "lsm.h"
#include "quantities.h"
#include "landlock.h"
#include "syscall-filter.h"
#include "strv.h"


static int parse_id(const char *s, unsigned *ret) {
        uint64_t v;

        if (parse_uint_range(s, 0, 0xfffffffe, &v) < 0)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

#define DB_SIZE_MAX (16U << 20)

/* Where names are looked up: the host's /etc, or the /etc of a root
 * directory of the profile's own, as it is on the host. Both are read
 * before the sandbox exists, never the sandbox's /etc: that is an
 * overlay whose upper layer the service writes and keeps, and a service
 * that once ran as root could give "nobody" the uid 0 there. */
typedef struct EtcSource {
        int root;          /* O_PATH fd of the root the /etc is in */
        const char *shown; /* for messages: "the host's /etc" or the path */
        char buf[PATH_MAX + 16];
} EtcSource;

static int etc_source_open(const HelperConfig *c, EtcSource *e) {
        const char *root = c->root_directory ? c->root_directory : "/";

        if (c->root_directory) {
                snprintf(e->buf, sizeof(e->buf), "%s/etc", c->root_directory);
                e->shown = e->buf;
        } else
                e->shown = "the host's /etc";
        e->root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (e->root < 0)
                return log_error_errno(-errno, "identity: open %s: %m", root);
        return 0;
}

/* /etc/passwd or /etc/group, read directly: no NSS modules, nscd or
 * directory services (and no configuration parse at every start). Read
 * whole in one go: stdio's fgetpwent() seeks once per entry. Finds the
 * first well-formed entry for name and returns its fields 3 and 4 (ids),
 * or -ESRCH. */
static int find_entry(const EtcSource *e, const char *path, const char *name, unsigned *id3, unsigned *id4) {
        /* resolved inside the root, so that a root directory's absolute
         * link leads to its own files, not the host's; opened without
         * waiting for a writer, should it be a FIFO, then refused */
        _cleanup_close_ int at = open_in_root(e->root, path, CREATE_NONE, "identity"), fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t len = strlen(name);
        char p[FD_PATH_MAX];
        struct stat st;
        ssize_t k;

        if (at < 0)
                return at;
        fd_path(at, p);
        fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 || fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((uint64_t) st.st_size > DB_SIZE_MAX)
                return -EFBIG;
        buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        /* no more than stat() said: a file that grows meanwhile is read
         * as it was */
        k = read_fd_into(fd, buf, (size_t) st.st_size + 1);
        if (k < 0)
                return (int) k;

        for (char *line = buf, *next; line; line = next) {
                char *f[4] = {};

                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                if (strncmp(line, name, len) != 0 || line[len] != ':')
                        continue;
                /* name:password:field3:field4[:...] */
                f[0] = line + len + 1;
                for (int i = 1; i < 3 && f[i - 1]; i++) {
                        f[i] = strchr(f[i - 1], ':');
                        if (f[i])
                                *f[i]++ = 0;
                }
                if (!f[1] || parse_id(f[1], id3) < 0)
                        continue;
                if (id4) {
                        if (!f[2])
                                continue;
                        f[2][strcspn(f[2], ":")] = 0;
                        if (parse_id(f[2], id4) < 0)
                                continue;
                }
                return 0;
        }
        return -ESRCH;
}

static int set_id(char **s, unsigned id) {
        char *n;

        if (asprintf(&n, "%u", id) < 0)
                return log_oom();
        free(*s);
        *s = n;
        return 0;
}

/* A group name replaced by its number */
static int group_to_id(const EtcSource *e, char **group) {
        unsigned id;
        int r;

        if (parse_id(*group, &id) == 0)
                return 0;
        r = find_entry(e, "/etc/group", *group, &id, NULL);
        if (r == -ESRCH)
                return log_error_errno(r, "identity: group \"%s\": not in %s/group (names are looked up there, "
                                       "never in the sandbox's own /etc)", *group, e->shown);
        if (r < 0)
                return log_error_errno(r, "identity: group \"%s\": cannot read %s/group: %m", *group, e->shown);
        return set_id(group, id);
}

/* The owner a shared runtime directory is given (NAME:MODE:USER:GROUP),
 * replaced by numbers: USER's own group when no GROUP is given, as for
 * the service. NAME:MODE (the service's) is left as it is. */
static int shared_dir_owner(const EtcSource *e, char **spec) {
        char *f[4] = {}, *n = NULL;
        unsigned uid = 0, gid = 0;
        bool have_gid = false;
        int r = 0;

        if (helper_spec_split(*spec, 4, f) < 0)
                return 0;
        if (*f[2] && parse_id(f[2], &uid) < 0) {
                r = find_entry(e, "/etc/passwd", f[2], &uid, &gid);
                if (r == -ESRCH)
                        r = log_error_errno(r, "shared runtime directory /run/%s: user \"%s\": not in %s/passwd", f[0],
                                            f[2], e->shown);
                else if (r < 0)
                        r = log_error_errno(r, "shared runtime directory /run/%s: user \"%s\": cannot read %s/passwd: %m",
                                            f[0], f[2], e->shown);
                have_gid = true;
        } else if (*f[2]) {
                gid = uid;
                have_gid = true;
        }
        if (r >= 0 && *f[3]) {
                r = group_to_id(e, &f[3]);
                have_gid = r >= 0 && parse_id(f[3], &gid) >= 0;
        }
        if (r >= 0) {
                char u[16] = "", g[16] = "";

                if (*f[2])
                        snprintf(u, sizeof(u), "%u", uid);
                if (have_gid)
                        snprintf(g, sizeof(g), "%u", gid);
                if (asprintf(&n, "%s:%s:%s:%s", f[0], f[1], u, g) < 0)
                        r = log_oom();
                else
                        free(*spec), *spec = n;
        }
        for (size_t i = 0; i < ELEMENTSOF(f); i++)
                free(f[i]);
        return r;
}

int identity_resolve_names(HelperConfig *c) {
        EtcSource e = { .root = -EBADF };
        unsigned uid, gid;
        int r;

        r = etc_source_open(c, &e);
        if (r < 0)
                return r;
        if (c->user && parse_id(c->user, &uid) < 0) {
                r = find_entry(&e, "/etc/passwd", c->user, &uid, &gid);
                if (r == -ESRCH)
                        r = log_error_errno(r, "identity: user \"%s\": not in %s/passwd (names are looked up there, "
                                            "never in the sandbox's own /etc)", c->user, e.shown);
                else if (r < 0)
                        r = log_error_errno(r, "identity: user \"%s\": cannot read %s/passwd: %m", c->user, e.shown);
                /* the user's own group unless one is given */
                if (r >= 0 && !c->group)
                        r = set_id(&c->group, gid);
                if (r >= 0)
                        r = set_id(&c->user, uid);
        }
        if (r >= 0 && c->group)
                r = group_to_id(&e, &c->group);
        for (size_t i = 0; r >= 0 && c->supplementary_groups && c->supplementary_groups[i]; i++)
                r = group_to_id(&e, &c->supplementary_groups[i]);
        for (size_t i = 0; r >= 0 && c->shared_runtime_dirs && c->shared_runtime_dirs[i]; i++)
                r = shared_dir_owner(&e, &c->shared_runtime_dirs[i]);
        close(e.root);
        return r;
}

/* Only numbers are left by now (identity_resolve_names()); a name here
 * would have to be looked up in the sandbox's /etc, and is refused. */
static int resolve_number(const char *what, const char *s, unsigned *ret) {
        if (parse_id(s, ret) < 0)
                return log_error_errno(-EINVAL, "identity: %s \"%s\" was not resolved on the host", what, s);
        return 0;
}

static int resolve_user(const HelperConfig *c, uid_t *uid, gid_t *gid) {
        int r;

        *uid = 0;
        *gid = 0;
        if (c->user) {
                r = resolve_number("user", c->user, uid);
                if (r < 0)
                        return r;
                *gid = *uid;
        }
        return c->group ? resolve_number("group", c->group, gid) : 0;
}

void lsm_decide(HelperConfig *c) {
        c->selinux_on = (c->selinux_label || c->selinux_mcs) && selinux_enabled();
        c->apparmor_on = c->apparmor_profile && apparmor_enabled();
}

int lsm_arm_exec(const HelperConfig *c) {
        int r = lsm_arm_selinux(c);

        return r < 0 ? r : lsm_arm_apparmor(c);
}

/* the type field of an SELinux context, as a length-counted string */
static size_t context_type(const char *context, const char **ret) {
        const char *t = context;

        for (int colons = 0; *t && colons < 2; t++)
                colons += *t == ':';
        *ret = t;
        return strcspn(t, ":");
}

/* The sandbox's files (tmpfs and overlays) are labelled as the policy's
 * container files, at the level (MCS categories) of the service's label,
 * the way container engines pair the two. */
char *selinux_mount_context(const HelperConfig *c) {
        char file[256], process[256];
        const char *level = NULL, *p = c->selinux_label, *t1, *t2;
        size_t n1, n2;

        if (!c->selinux_label || !c->selinux_on)
                return NULL;
        /* only a service in the container domain may use the container
         * files; a label of another domain keeps the files' own labels */
        if (selinux_container_context("process", process, sizeof(process)) < 0 ||
            (n1 = context_type(process, &t1)) != (n2 = context_type(c->selinux_label, &t2)) || strncmp(t1, t2, n1) != 0) {
                log_debug("selinux: %s is not the policy's container domain; the sandbox's mounts keep their default labels",
                          c->selinux_label);
                return NULL;
        }
        if (selinux_container_context("file", file, sizeof(file)) < 0) {
                log_debug("selinux: the policy has no container file context; the sandbox's mounts keep their default labels");
                return NULL;
        }
        for (int colons = 0; p && *p && colons < 3; p++)
                if (*p == ':' && ++colons == 3)
                        level = p + 1;
        /* user:role:type of the file context, level of the service */
        return level ? selinux_context_at_level(file, level) : strdup(file);
}

/* The keep-list as a mask of capability numbers; each must be known to
 * the kernel (PR_CAPBSET_READ says EINVAL for one it does not know). */
static int resolve_caps(const HelperConfig *c, uint64_t *ret, uint64_t *ret_missing) {
        uint64_t caps = 0, missing = 0;
        int have;

        STRV_FOREACH(k, c->keep_caps) {
                int cap = capability_from_name(*k);

                if (cap < 0 || (have = prctl(PR_CAPBSET_READ, (unsigned long) cap, 0, 0, 0)) < 0)
                        return log_error_errno(-EINVAL, "capabilities: %s: unknown to this system", *k);
                /* one the unit's or a container's bounding set took
                 * away cannot be given back: kept out, which only
                 * confines the service more, and said */
                if (!have)
                        missing |= UINT64_C(1) << cap;
                else
                        caps |= UINT64_C(1) << cap;
        }
        *ret = caps;
        *ret_missing = missing;
        return 0;
}

/* Every capability the kernel knows but keep, dropped from the bounding
 * set (which needs CAP_SETPCAP): PR_CAPBSET_DROP says EINVAL past the
 * last one. libcap-ng does the same, after reading /proc/PID/status
 * twice. */
static int reduce_bounding_set(uint64_t keep) {
        for (unsigned long cap = 0; cap < 64; cap++) {
                if (keep & (UINT64_C(1) << cap))
                        continue;
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
                        return errno == EINVAL ? 0 : -errno;
        }
        return 0;
}

int capabilities_set(uint64_t caps, uint64_t inheritable) {
        struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct data[2] = {
                { (uint32_t) caps, (uint32_t) caps, (uint32_t) inheritable },
                { (uint32_t) (caps >> 32), (uint32_t) (caps >> 32), (uint32_t) (inheritable >> 32) },
        };

        return syscall(SYS_capset, &header, data) < 0 ? -errno : 0;
}

int identity_resolve(const HelperConfig *c, Identity *id) {
        size_t n = strv_length(c->supplementary_groups);
        int r;

        *id = (Identity) {};
        r = resolve_caps(c, &id->caps, &id->caps_missing);
        if (r < 0)
                return r;
        r = resolve_user(c, &id->uid, &id->gid);
        if (r < 0)
                return r;
        id->groups = calloc(n + 1, sizeof(gid_t));
        if (!id->groups)
                return log_oom();
        for (; id->n_groups < n; id->n_groups++) {
                r = resolve_number("group", c->supplementary_groups[id->n_groups], &id->groups[id->n_groups]);
                if (r < 0)
                        return r;
        }
        return 0;
}

void identity_done(Identity *id) {
        free(id->groups);
        *id = (Identity) {};
}

int lsm_arm_selinux(const HelperConfig *c) {
        int r;

        if (!c->selinux_label || !c->selinux_on)
                return 0;
        r = selinux_set_exec_label(c->selinux_label);
        if (r < 0)
                return log_error_errno(r, "selinux: set the exec label %s: %m", c->selinux_label);
        return 0;
}

int lsm_arm_apparmor(const HelperConfig *c) {
        int r;

        if (!c->apparmor_profile || !c->apparmor_on)
                return 0;
        r = apparmor_change_on_exec(c->apparmor_profile);
        if (r < 0)
                return log_error_errno(r, "apparmor: change to profile %s on exec: %m", c->apparmor_profile);
        return 0;
}

typedef struct Apply {
        const HelperConfig *c;
        const Identity *id;
        bool truncate; /* Landlock cannot keep a read-only file from truncate(2) */
} Apply;

/* Landlock and the filter come last, so that the profile's rules cannot
 * refuse the helper's own calls below; both need no_new_privs there. A
 * profile that allows new privileges gets them first, while
 * CAP_SYS_ADMIN is still effective. */
static bool confine_early(const HelperConfig *c, const void *state) {
        (void) state;
        return c->allow_new_privileges;
}

static bool confine_late(const HelperConfig *c, const void *state) {
        (void) state;
        return !c->allow_new_privileges;
}

/* landlock_apply() does nothing else */
static bool landlock_asked(const HelperConfig *c) {
        return !c->landlock_no_default || c->landlock_ro || c->landlock_rw;
}

static bool landlock_early(const HelperConfig *c, const void *state) {
        return confine_early(c, state) && landlock_asked(c);
}

static bool landlock_late(const HelperConfig *c, const void *state) {
        return confine_late(c, state) && landlock_asked(c);
}

/* the profile's own filter, built here and loaded only right before
 * execve() (profile-filter.h), which refuses to go on without it: a test
 * skips this step to show so (step_fault_skip()) */
static int step_filter_prepare(void *state, StepTimer *t) {
        if (step_fault_skip(t, "filter-prepare"))
                return 0;
        return profile_filter_prepare(((Apply *) state)->c);
}

static int step_landlock(void *state, StepTimer *t) {
        Apply *a = state;
        int r;

        (void) t;
        r = landlock_apply(a->c);
        if (r < 0)
                return r;
        a->truncate = r > 0;
        return 0;
}

/* where Landlock cannot keep a read-only file from truncate(2), the
 * filter does, for every path: ftruncate() and O_TRUNC need a file
 * opened for writing, which Landlock does check */
static int step_seccomp(void *state, StepTimer *t) {
        Apply *a = state;

        (void) t;
        return seccomp_apply(a->c, a->truncate ? "truncate:EACCES" : NULL);
}

/* the bounding set first, while CAP_SETPCAP is still effective */
static int step_bounding_set(void *state, StepTimer *t) {
        Apply *a = state;
        int r;

        (void) t;
        r = reduce_bounding_set(a->id->caps);
        if (r < 0)
                return log_error_errno(r, "capabilities: reduce the bounding set: %m");
        return 0;
}

static int step_ids(void *state, StepTimer *t) {
        Apply *a = state;
        const uid_t uid = a->id->uid;
        const gid_t gid = a->id->gid;

        (void) t;
        if (setgroups(a->id->n_groups, a->id->groups) < 0)
                return log_error_errno(-errno, "identity: supplementary groups: %m");
        if (setresgid(gid, gid, gid) < 0)
                return log_error_errno(-errno, "identity: group %u: %m", (unsigned) gid);
        /* in a user namespace joined as the host's root, root too: the
         * process's IDs are the host's until set (unmapped there) */
        if (uid != 0 || a->c->userns_base) {
                /* keep the permitted set across the change of user, so the
                 * kept capabilities can be passed on as ambient */
                if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setresuid(uid, uid, uid) < 0 ||
                    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                        return log_error_errno(-errno, "identity: user %u: %m", (unsigned) uid);
        }
        return 0;
}

static int step_capabilities(void *state, StepTimer *t) {
        Apply *a = state;
        const uid_t uid = a->id->uid;
        int r;

        (void) t;
        r = capabilities_set(a->id->caps, a->id->caps);
        if (r < 0)
                return log_error_errno(r, "capabilities: reduce to the keep-list: %m");
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return log_error_errno(-errno, "capabilities: clear the ambient set: %m");
        /* the kept ones only: those the bounding set lacked are not */
        for (unsigned long cap = 0; uid != 0 && cap < 64; cap++)
                if ((a->id->caps & (UINT64_C(1) << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
                        return log_error_errno(-errno, "capabilities: make capability %lu ambient: %m", cap);
        return 0;
}

static int step_no_new_privs(void *state, StepTimer *t) {
        const HelperConfig *c = ((Apply *) state)->c;

        (void) t;
        if (!c->allow_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return log_error_errno(-errno, "no_new_privs: %m");
        if (chdir(c->workdir ? c->workdir : "/") < 0)
                return log_error_errno(-errno, "workdir %s: %m", c->workdir ? c->workdir : "/");
        return 0;
}

const Step identity_steps[] = {
        { NULL, confine_early, step_filter_prepare, NULL },
        { "landlock", landlock_early, step_landlock, plan_landlock },
        { "seccomp", confine_early, step_seccomp, plan_seccomp },
        { "capabilities", NULL, step_bounding_set, plan_bounding_set },
        { "identity", NULL, step_ids, plan_identity },
        { "capabilities", NULL, step_capabilities, plan_capabilities },
        { "no_new_privs", NULL, step_no_new_privs, plan_no_new_privs },
        { NULL, confine_late, step_filter_prepare, NULL },
        { "landlock", landlock_late, step_landlock, plan_landlock },
        { "seccomp", confine_late, step_seccomp, plan_seccomp },
};
const size_t n_identity_steps = ELEMENTSOF(identity_steps);

int identity_apply(const HelperConfig *c, const Identity *id, StepTimer *t) {
        Apply a = { c, id, false };

        return steps_run(STEPS(identity_steps), c, &a, t);
}
