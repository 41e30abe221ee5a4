/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sandbox's file system, built in the helper's own mount namespace
 * (nothing here is ever seen by the host) and entered with pivot_root():
 * the host's / read-only on every submount, /etc and /var by their mode
 * (overlays the helper's first process made, overlay.c), fresh /tmp,
 * /run, /dev and /proc, the profile's mounts, then masks.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bind-masks.h"
#include "credentials.h"
#include "devices.h"
#include "exec-paths.h"
#include "helper-config.h"
#include "idmap.h"
#include "interfaces-mount.h"
#include "bridge.h"
#include "log.h"
#include "resolv-bind.h"
#include "masks.h"
#include "mount-util.h"
#include "notify.h"
#include "overlay.h"
#include "plan.h"
#include "rootfs-sys.h"
#include "rootfs.h"
#include "rootless.h"
#include "shared-dirs.h"
#include "state.h"
#include "state-dir.h"
#include "strv.h"
#include "tmpfs-size.h"

/* What a fresh /proc must not let change: at least the OCI runtime's
 * default read-only paths (runc's); what it must not show is masks.c's. */
static const char *const proc_readonly[] = {
        "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
};
static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

typedef struct Build {
        const HelperConfig *c;
        const char *rundir;
        const char *state_root;
        int root;               /* O_PATH fd of the new root */
        int notify;             /* the relay's socket, to bind in /run; or -EBADF */
        int overlays;           /* where the helper outside sends the overlays of /etc and /var */
        bool api_dirs_first;    /* /tmp, /run, /dev and /proc before /etc and /var */
        unsigned interfaces;    /* of c->interfaces, what the host had and is in */
        Masks masks;
} Build;

static int readonly_in_root(Build *b, const char *path) {
        _cleanup_close_ int fd = open_in_root(b->root, path, CREATE_NONE, "read-only");
        char p[FD_PATH_MAX];

        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return log_error_errno(fd, "read-only %s: %m", path);
        fd_path(fd, p);
        if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0)
                return log_error_errno(-errno, "read-only %s: bind: %m", path);
        return rootfs_made_readonly(b->root, path);
}

/* A tmpfs of kind on target, never without a size: size, or the kind's
 * fixed default */
static int tmpfs_sized(Build *b, const char *target, const char *mode, TmpfsKind kind, const char *size, const char *what) {
        char limits[96], options[192];

        if (tmpfs_limits(kind, size, limits, sizeof(limits)) < 0)
                return log_error_errno(-EINVAL, "%s: size \"%s\" is not a size", what, size);
        /* in a user namespace of the service's, its root's, as the host's
         * root's are in the host's */
        if (b->c->userns_base)
                snprintf(options, sizeof(options), "mode=%s,%s,uid=%u,gid=%u", mode, limits, b->c->userns_base,
                         b->c->userns_base);
        else
                snprintf(options, sizeof(options), "mode=%s,%s", mode, limits);
        return tmpfs_in_root(b->root, target, MS_NOSUID | MS_NODEV, options, what);
}

/* /DIR by its mode, in place */
static int mount_dir_mode(Build *b, const char *dir, const char *mode) {
        char target[16], what[32];

        snprintf(target, sizeof(target), "/%s", dir);
        snprintf(what, sizeof(what), "%s=%s", dir, mode);
        if (streq(mode, "host"))
                return 0; /* the read-only view the root already gives */
        if (streq(mode, "tmpfs"))
                return streq(dir, "etc") ? tmpfs_sized(b, target, "0755", TMPFS_ETC, b->c->etc_size, what)
                                         : tmpfs_sized(b, target, "0755", TMPFS_VAR, b->c->var_size, what);
        if (streq(mode, "overlay")) {
                _cleanup_(overlay_layers_done) OverlayLayers l = { -EBADF, -EBADF, -EBADF };
                int r = overlay_layers_open(b->root, b->state_root, b->c->name, dir, &l);

                return r < 0 ? r : overlay_mount(&l, dir);
        }

        const char *sub_dir[] = { dir, NULL }, *sub_private[] = { "private", NULL };
        _cleanup_close_ int state = -EBADF, data = -EBADF, lower = -EBADF, top = -EBADF;
        char path[PATH_MAX], d[FD_PATH_MAX], l[FD_PATH_MAX];

        /* STATE_ROOT/NAME/DIR/private, bound on /DIR */
        state = state_dir_open(b->state_root, b->c->name, sub_dir);
        if (state < 0)
                return state;
        snprintf(path, sizeof(path), "%s/%s/%s", b->state_root, b->c->name, dir);
        data = state_dir_below(state, path, sub_private);
        if (data < 0)
                return data;
        lower = open_in_root(b->root, target, CREATE_DIR, what);
        if (lower < 0)
                return lower;
        if (state_dir_take_attributes(data, lower, what) < 0)
                return -EPERM;
        fd_path(data, d);
        fd_path(lower, l);
        if (mount(d, l, NULL, MS_BIND, NULL) < 0)
                return log_error_errno(-errno, "%s: bind the state directory on %s: %m", what, target);
        /* the bind has the flags of the state root's mount, the host's:
         * no device node or set-ID file made there may work */
        top = open_in_root(b->root, target, CREATE_NONE, what);
        if (top < 0)
                return log_error_errno(top, "%s: open %s in the sandbox: %m", what, target);
        return mount_add_flags(top, MS_NOSUID | MS_NODEV, target);
}

/* An overlay the first process made, moved onto /DIR */
static int move_into_root(Build *b, int mnt, const char *dir) {
        _cleanup_close_ int target = -EBADF;
        char path[16];

        snprintf(path, sizeof(path), "/%s", dir);
        target = open_in_root(b->root, path, CREATE_NONE, dir);
        if (target < 0)
                return log_error_errno(target, "%s=overlay: the root has no %s: %m", dir, path);
        if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return log_error_errno(-errno, "%s=overlay: move the overlay onto %s: %m", dir, path);
        return 0;
}

/* /etc and /var: what the first process made moved into place, the rest
 * mounted here */
static int mount_etc_var(Build *b, int overlays) {
        const char *const dirs[2] = { "etc", "var" };
        const char *modes[2] = { b->c->etc ? b->c->etc : "overlay", b->c->var ? b->c->var : "overlay" };
        _cleanup_close_ int etc = -EBADF, var = -EBADF;
        int fds[2], r;

        r = overlays_receive(overlays, fds);
        if (r < 0)
                return r;
        etc = fds[0];
        var = fds[1];
        for (size_t i = 0; i < 2 && r >= 0; i++)
                r = fds[i] >= 0 ? move_into_root(b, fds[i], dirs[i]) : mount_dir_mode(b, dirs[i], modes[i]);
        return r;
}

static int add_block_devices(Build *b) {
        char dir[PATH_MAX];
        bool prepared = false;
        int r;

        for (size_t i = 0; i < b->c->n_mounts; i++) {
                const HelperMount *m = &b->c->mounts[i];

                if (m->kind != HELPER_MOUNT_BLOCK)
                        continue;
                if (!prepared) {
                        r = block_devices_prepare(b->rundir, dir, sizeof(dir));
                        if (r < 0)
                                return r;
                        prepared = true;
                }
                r = block_device_add(b->root, dir, m->tag, m->source, m->readonly, b->c->userns_base);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int mount_dev(Build *b) {
        _cleanup_close_ int dev = -EBADF, pts = -EBADF;
        char p[FD_PATH_MAX];
        int r;

        /* without nodev, for the nodes made here; read-only at the end,
         * so no other can be made */
        r = tmpfs_in_root(b->root, "/dev", MS_NOSUID | MS_NOEXEC, "mode=0755,size=64k,nr_inodes=1k", "dev");
        if (r < 0)
                return r;
        dev = open_in_root(b->root, "/dev", CREATE_NONE, "dev");
        if (dev < 0)
                return log_error_errno(dev, "dev: %m");
        for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
                char host[32];
                struct stat st;

                /* nodes of the sandbox's own with the host's numbers, not
                 * the host's nodes bound in: what the service does to them
                 * (mode, times) stays in the sandbox, and a node costs no
                 * mount */
                snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i]);
                if (stat(host, &st) < 0)
                        return log_error_errno(-errno, "dev: %s: %m", host);
                if (!S_ISCHR(st.st_mode))
                        return log_error_errno(-ENODEV, "dev: %s on the host is not a character device", host);
                if (rootless_active()) {
                        r = rootless_dev_node(dev, dev_nodes[i], host);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (mknodat(dev, dev_nodes[i], S_IFCHR | 0600, st.st_rdev) < 0 ||
                    fchmodat(dev, dev_nodes[i], 0666, 0) < 0)
                        return log_error_errno(-errno, "dev: make %s: %m", host);
        }
        pts = open_in_root(b->root, "/dev/pts", CREATE_DIR, "dev");
        if (pts < 0)
                return pts;
        fd_path(pts, p);
        if (mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") < 0)
                return log_error_errno(-errno, "dev: devpts on /dev/pts: %m");
        r = tmpfs_sized(b, "/dev/shm", "1777", TMPFS_SHM, b->c->shm_size, "dev");
        if (r < 0)
                return r;

        r = add_block_devices(b);
        if (r < 0)
                return r;

        static const char *const links[][2] = {
                { "ptmx", "pts/ptmx" }, { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
                { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
        };
        for (size_t i = 0; i < ELEMENTSOF(links); i++)
                if (symlinkat(links[i][1], dev, links[i][0]) < 0)
                        return log_error_errno(-errno, "dev: symlink /dev/%s: %m", links[i][0]);
        r = interfaces_dev(dev, b->interfaces);
        if (r < 0)
                return r;
        /* nothing more may be created in /dev; pts and shm stay writable */
        fd_path(dev, p);
        if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL) < 0)
                return log_error_errno(-errno, "dev: make /dev read-only: %m");
        return 0;
}

static int mount_proc(Build *b) {
        _cleanup_close_ int proc = open_in_root(b->root, "/proc", CREATE_DIR, "proc");
        char p[FD_PATH_MAX];
        int r;

        if (proc < 0)
                return proc;
        fd_path(proc, p);
        /* the host's /proc under it stays hidden: nothing can reach it */
        if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                  b->c->proc_subset && streq(b->c->proc_subset, "pid") ? "subset=pid" : NULL) < 0)
                return log_error_errno(-errno, "proc: mount /proc: %m");
        r = masks_proc(&b->masks);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(proc_readonly); i++) {
                r = readonly_in_root(b, proc_readonly[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

const char *const rootfs_mount_kinds[] = {
        [HELPER_MOUNT_BIND] = "bind", [HELPER_MOUNT_TMPFS] = "tmpfs",
        [HELPER_MOUNT_IMAGE] = "image", [HELPER_MOUNT_BLOCK] = "block",
};

static size_t depth(const char *path) {
        size_t n = 0;

        for (; *path; path++)
                n += *path == '/';
        return n;
}

static int by_depth(const void *a, const void *b) {
        const HelperMount *x = *(const HelperMount *const *) a, *y = *(const HelperMount *const *) b;
        size_t dx = depth(x->target), dy = depth(y->target);

        /* qsort() is not stable: at equal depth, the command line's order */
        if (dx != dy)
                return dx < dy ? -1 : 1;
        return x < y ? -1 : x > y;
}

const HelperMount **rootfs_mount_order(const HelperConfig *c) {
        const HelperMount **order = calloc(c->n_mounts, sizeof(*order));

        if (!order)
                return NULL;
        for (size_t i = 0; i < c->n_mounts; i++)
                order[i] = &c->mounts[i];
        /* a parent before what is mounted below it, else in the given order */
        qsort(order, c->n_mounts, sizeof(*order), by_depth);
        return order;
}

static int mount_profile(Build *b, StepTimer *t) {
        const HelperConfig *c = b->c;
        _cleanup_free_ const HelperMount **order = NULL;
        _cleanup_(host_hidden_done) HostHidden hidden = {};
        int r = 0;

        if (c->n_mounts == 0)
                return 0;
        r = host_hidden_collect(&hidden, c, b->state_root);
        if (r < 0)
                return r;
        order = rootfs_mount_order(c);
        if (!order)
                return log_oom();

        for (size_t i = 0; i < c->n_mounts && r >= 0; i++) {
                const HelperMount *m = order[i];
                char what[64];

                step_begin(t, rootfs_mount_kinds[m->kind]);
                switch (m->kind) {
                case HELPER_MOUNT_BIND:
                        snprintf(what, sizeof(what), "--bind%s", m->readonly ? "-ro" : "");
                        /* never a set-ID file or a device node of the
                         * host's, nor one made there, unless a device is
                         * bound on purpose (bind_in_root()) */
                        r = bind_masked(&b->masks, &hidden, m, MS_NOSUID | MS_NODEV | (m->readonly ? MS_RDONLY : 0),
                                        what);
                        break;
                case HELPER_MOUNT_TMPFS:
                        r = tmpfs_sized(b, m->target, *m->mode ? m->mode : "0755", TMPFS_MOUNT,
                                        *m->size ? m->size : NULL, "--tmpfs");
                        break;
                case HELPER_MOUNT_IMAGE:
                        r = image_mount(b->root, m->source, m->target, m->readonly);
                        if (r >= 0 && idmap_get() >= 0)
                                r = idmap_in_place(b->root, m->target, "--image");
                        break;
                case HELPER_MOUNT_BLOCK:
                        break; /* in /dev, before it was made read-only */
                }
        }
        return r;
}

static int mount_masks(Build *b) {
        int r;

        r = masks_default(&b->masks);
        if (r < 0)
                return r;
        STRV_FOREACH(m, b->c->masks) {
                r = mask_path(&b->masks, *m);
                if (r < 0)
                        return r;
        }
        /* every sandbox's state: not this one's business, not even read;
         * the default state root too, when this sandbox was given another */
        r = mask_path(&b->masks, b->state_root);
        if (r >= 0 && !streq(b->state_root, STATE_ROOT_DEFAULT))
                r = mask_path(&b->masks, STATE_ROOT_DEFAULT);
        return r;
}

/* The service's notification socket, the relay's (notify-relay.h), in
 * the fresh /run before anything else is mounted there: nothing of the
 * host's, whatever the environment says, is bound in for it. */
static int make_notify_socket(Build *b) {
        _cleanup_close_ int run = -EBADF;

        if (b->notify < 0)
                return 0;
        run = open_in_root(b->root, "/run", CREATE_NONE, "notification socket");
        if (run < 0)
                return run;
        return notify_socket_bind(run, b->notify);
}

static int enter_root(Build *b) {
        if (fchdir(b->root) < 0)
                return log_error_errno(-errno, "pivot_root: enter the new root: %m");
        /* the old root ends up stacked below the new one: detach it */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return log_error_errno(-errno, "pivot_root: %m");
        if (umount2(".", MNT_DETACH) < 0)
                return log_error_errno(-errno, "pivot_root: detach the old root: %m");
        if (chdir("/") < 0)
                return log_error_errno(-errno, "pivot_root: %m");
        return 0;
}

/* /etc and /var come last when nothing else can land in them: in a root
 * directory of the profile's, /tmp, /run, /dev or /proc could be a
 * symlink to below /etc or /var, and then they are mounted first, as an
 * overlay mounted later would hide what was mounted there. */
static bool api_dirs_are_dirs(int root) {
        static const char *const dirs[] = { "tmp", "run", "dev", "proc" };
        struct stat st;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                if (fstatat(root, dirs[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
                        return false;
        return true;
}

static int step_propagation(void *state, StepTimer *t) {
        (void) state;
        (void) t;
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return log_error_errno(-errno, "make / private: %m");
        return 0;
}

static int step_root(void *state, StepTimer *t) {
        Build *b = state;
        const HelperConfig *c = b->c;
        char root[PATH_MAX];
        int r;

        (void) t;
        snprintf(root, sizeof(root), "%s/root", b->rundir);
        if (mkdir(root, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "create %s: %m", root);
        /* nodev: a node of the host's file systems would be a way to
         * their disks; not nosuid, which would also take their file
         * capabilities from the host's programs (no_new_privs does that
         * unless the profile allows new privileges) */
        if (idmap_get() >= 0)
                r = idmap_root(c->root_directory ? c->root_directory : "/", root, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV);
        else {
                r = mount_logged(c->root_directory ? c->root_directory : "/", root, NULL, MS_BIND | MS_REC, NULL);
                if (r >= 0)
                        r = make_readonly_recursive(root, MS_NODEV);
        }
        if (r < 0)
                return r;
        b->root = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (b->root < 0)
                return log_error_errno(-errno, "open %s: %m", root);
        b->masks.root = b->root;
        r = masks_prepare(&b->masks, b->rundir);
        if (r < 0)
                return r;
        /* meanwhile the first process makes the overlays: what process 1
         * waits for them is "join" */
        b->api_dirs_first = api_dirs_are_dirs(b->root);
        return 0;
}

/* /etc and /var before /tmp, /run, /dev and /proc when one of these is
 * not a directory in the root; printing the plan, the root directory as
 * it is on the host tells */
static bool api_dirs_first(const HelperConfig *c, const void *state) {
        _cleanup_close_ int root = -EBADF;

        if (state)
                return ((const Build *) state)->api_dirs_first;
        root = open(c->root_directory ? c->root_directory : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        return root < 0 || api_dirs_are_dirs(root);
}

static bool etc_var_first(const HelperConfig *c, const void *state) {
        return !api_dirs_first(c, state);
}

static int step_join(void *state, StepTimer *t) {
        Build *b = state;

        (void) t;
        return mount_etc_var(b, b->overlays);
}

static int step_tmpfs(void *state, StepTimer *t) {
        Build *b = state;
        int r;

        (void) t;
        r = tmpfs_sized(b, "/tmp", "1777", TMPFS_TMP, b->c->tmp_size, "tmp");
        if (r < 0)
                return r;
        r = tmpfs_sized(b, "/run", "0755", TMPFS_RUN, b->c->run_size, "run");
        if (r < 0)
                return r;
        return make_notify_socket(b);
}

static int step_interfaces(void *state, StepTimer *t) {
        Build *b = state;
        int r;

        (void) t;
        r = interfaces_run(b->root, b->c);
        if (r < 0)
                return r;
        b->interfaces = (unsigned) r;
        return credentials_copy(b->root, b->c);
}

static int step_dev(void *state, StepTimer *t) {
        (void) t;
        return mount_dev(state);
}

static int step_proc(void *state, StepTimer *t) {
        Build *b = state;
        int r;

        (void) t;
        r = mount_proc(b);
        if (r < 0)
                return r;
        /* an unprivileged run mounts a sysfs only in a network namespace
         * of its own: the host's /sys stays, read-only */
        if (!rootless_active() || (b->c->network && !streq(b->c->network, "host"))) {
                r = rootfs_mount_sys(b->root, b->rundir, b->c->network && !streq(b->c->network, "host"));
                if (r < 0)
                        return r;
        }
        r = rootfs_mount_cgroup(b->root);
        if (r < 0)
                return r;
        return masks_sys(&b->masks);
}

static bool has_shared_dirs(const HelperConfig *c, const void *state) {
        (void) state;
        return c->shared_runtime_dirs;
}

static int step_shared_dirs(void *state, StepTimer *t) {
        Build *b = state;

        (void) t;
        return shared_dirs_bind(b->c, b->root);
}

static int step_mask_home(void *state, StepTimer *t) {
        (void) t;
        return masks_home_mount(&((Build *) state)->masks);
}

static int step_mounts(void *state, StepTimer *t) {
        return mount_profile(state, t);
}

static int step_masks(void *state, StepTimer *t) {
        Build *b = state;
        int r;

        (void) t;
        r = masks_home_seal(&b->masks);
        if (r < 0)
                return r;
        return mount_masks(b);
}

static bool is_bridged(const HelperConfig *c, const void *state) {
        (void) state;
        return network_is_bridge(c);
}

static int step_resolv_conf(void *state, StepTimer *t) {
        (void) t;
        return resolv_conf_bind(((Build *) state)->root, ((Build *) state)->rundir);
}

static bool has_exec_paths(const HelperConfig *c, const void *state) {
        (void) state;
        return c->no_exec_paths || c->exec_paths;
}

/* last: every mount it decides on is in */
static int step_no_exec(void *state, StepTimer *t) {
        Build *b = state;

        (void) t;
        return exec_paths_apply(b->root, b->c);
}

static int step_pivot_root(void *state, StepTimer *t) {
        (void) t;
        return enter_root(state);
}

const Step rootfs_steps[] = {
        { "propagation", NULL, step_propagation, plan_propagation },
        { "root", NULL, step_root, plan_root },
        { "join", etc_var_first, step_join, plan_join },
        { "tmpfs", NULL, step_tmpfs, plan_tmpfs },
        { "interfaces", NULL, step_interfaces, plan_interfaces },
        { "dev", NULL, step_dev, plan_dev },
        { "proc", NULL, step_proc, plan_proc },
        { "shared_dirs", has_shared_dirs, step_shared_dirs, plan_shared_dirs },
        { "join", api_dirs_first, step_join, plan_join },
        { "mask", NULL, step_mask_home, plan_mask_home },
        { NULL, NULL, step_mounts, plan_mounts },
        { "resolv.conf", is_bridged, step_resolv_conf, plan_resolv_conf },
        { "mask", NULL, step_masks, plan_masks },
        { "no-exec", has_exec_paths, step_no_exec, plan_no_exec },
        { "pivot_root", NULL, step_pivot_root, plan_pivot_root },
};
const size_t n_rootfs_steps = ELEMENTSOF(rootfs_steps);

int rootfs_build(const HelperConfig *c, const char *rundir, const char *state_root, int overlays, int notify,
                 StepTimer *t) {
        Build b = {
                .c = c, .rundir = rundir, .state_root = state_root, .overlays = overlays,
                .root = -EBADF, .notify = notify, .masks = MASKS_INIT(-EBADF),
        };
        int r;

        r = steps_run(STEPS(rootfs_steps), c, &b, t);
        masks_done(&b.masks);
        closep(&b.root);
        return r;
}
