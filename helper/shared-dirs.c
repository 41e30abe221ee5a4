/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A runtime directory shared with the host: /run/NAME on the host, for
 * the host's clients to find the service's sockets where they always
 * did (/run/postgresql/.s.PGSQL.5432). It is the one host path the
 * service writes, so it is made and removed by fd, never through a
 * symbolic link or into another mount, and taken only when it is a
 * directory of /run's own file system that root or the service's user
 * already owns (systemd-tmpfiles and RuntimeDirectory= make it so).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper-options.h"
#include "identity.h"
#include "bridge.h"
#include "log.h"
#include "state-dir.h"
#include "mount-util.h"
#include "paths.h"
#include "quantities.h"
#include "run-lock.h"
#include "shared-dirs.h"
#include "state-image.h"
#include "strv.h"

#define SHARED_DIRS_MAX 32
/* deeper than this, what the service left is left too: a bound walk */
#define REMOVE_DEPTH_MAX 64

/* what shared_dirs_make() made, for process 1 (a copy of this memory) to
 * bind that very directory and no other */
static struct {
        dev_t dev;
        ino_t ino;
} made[SHARED_DIRS_MAX];

/* The id of the mount fd is on, or 0 where the kernel does not say
 * (before Linux 5.8): a bind mount of /run's own file system has the
 * same device as /run, and only this tells it apart. */
static uint64_t mount_id(int fd) {
        struct statx sx;

        if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0 || !(sx.stx_mask & STATX_MNT_ID))
                return 0;
        return sx.stx_mnt_id;
}

typedef struct SharedDir {
        char name[80];
        unsigned mode;
        /* the owner the profile gives, as numbers (identity_resolve_names());
         * -1: the service's */
        long long uid, gid;
} SharedDir;

/* options.c has checked NAME:MODE or NAME:MODE:USER:GROUP, and
 * identity_resolve_names() made USER and GROUP numbers */
static int split(const char *spec, SharedDir *d) {
        char *f[4] = {};
        uint64_t v = 0;
        int r = 0;

        *d = (SharedDir) { .mode = 0755, .uid = -1, .gid = -1 };
        if (helper_spec_split(spec, 4, f) < 0 && helper_spec_split(spec, 2, f) < 0)
                return log_error_errno(-EINVAL, "shared runtime directory %s: not NAME:MODE[:USER:GROUP]", spec);
        /* a mode, user or group that does not read is not replaced by
         * the default: the directory would be another's, or open wider */
        if ((size_t) snprintf(d->name, sizeof(d->name), "%s", f[0]) >= sizeof(d->name) || parse_mode(f[1], &d->mode) < 0)
                r = -EINVAL;
        if (r >= 0 && f[2] && *f[2]) {
                if (parse_uint_range(f[2], 0, 0xfffffffe, &v) < 0)
                        r = -EINVAL;
                d->uid = (long long) v;
        }
        if (r >= 0 && f[3] && *f[3]) {
                if (parse_uint_range(f[3], 0, 0xfffffffe, &v) < 0)
                        r = -EINVAL;
                d->gid = (long long) v;
        }
        for (size_t i = 0; i < ELEMENTSOF(f); i++)
                free(f[i]);
        if (r < 0)
                return log_error_errno(r, "shared runtime directory %s: its name, mode, user or group does not read", spec);
        return 0;
}

static int service_ids(const HelperConfig *c, uid_t *uid, gid_t *gid) {
        uint64_t u = 0, g;

        /* numbers by now: identity_resolve_names() looked the names up
         * in the host's /etc */
        if (c->user && parse_uint_range(c->user, 0, 0xfffffffe, &u) < 0)
                return -EINVAL;
        g = u;
        if (c->group && parse_uint_range(c->group, 0, 0xfffffffe, &g) < 0)
                return -EINVAL;
        /* as the host sees them: in the service's own user namespace,
         * the range's */
        *uid = (uid_t) (u + c->userns_base);
        *gid = (gid_t) (g + c->userns_base);
        return 0;
}

static int open_run(struct stat *st, int flags) {
        int run = open("/run", flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

        if (run < 0 || fstat(run, st) < 0) {
                int r = log_error_errno(-errno, "shared runtime directories: /run: %m");

                if (run >= 0)
                        close(run);
                return r;
        }
        return run;
}

/* Root inside may make device nodes and set-ID files (CAP_MKNOD,
 * CAP_FSETID) in the shared directory. The sandbox's bind of it is
 * nodev and nosuid, but the host sees them through its own /run: that
 * mount has to refuse them too, as systemd mounts it. */
static int check_run_flags(int run) {
        struct statvfs sv;

        if (fstatvfs(run, &sv) < 0)
                return log_error_errno(-errno, "shared runtime directories: /run: %m");
        if ((sv.f_flag & (ST_NODEV | ST_NOSUID)) != (ST_NODEV | ST_NOSUID))
                return log_error_errno(-EPERM, "shared runtime directories: the host's /run is mounted without "
                                       "nodev or nosuid, so a device node or set-user-ID file the service makes "
                                       "there would work on the host: refusing to share it");
        return 0;
}

/* What the profile puts inside a shared directory would be made in the
 * host's: mount points, masks, a runtime directory of the sandbox's own.
 * The state root inside it would be the service's to write. */
static int check_inside(const HelperConfig *c, size_t i, const char *name, const char *state_root) {
        char path[96];
        size_t n = strlen(name);

        snprintf(path, sizeof(path), "/run/%s", name);
        for (size_t k = 0; k < c->n_mounts; k++)
                if (path_is_at_or_below(c->mounts[k].target, path))
                        return log_error_errno(-EINVAL, "shared runtime directory %s: the mount on %s is inside it; "
                                               "nothing may be mounted in the host's directory", path, c->mounts[k].target);
        STRV_FOREACH(m, c->masks)
                if (path_is_at_or_below(*m, path))
                        return log_error_errno(-EINVAL, "shared runtime directory %s: the mask %s is inside it", path, *m);
        STRV_FOREACH(d, c->runtime_dirs)
                if (strncmp(*d, name, n) == 0 && ((*d)[n] == ':' || (*d)[n] == '/'))
                        return log_error_errno(-EINVAL, "shared runtime directory %s: --runtime-dir=%s is inside it",
                                               path, *d);
        for (size_t j = 0; j < i; j++)
                if (strncmp(c->shared_runtime_dirs[j], name, n) == 0 && c->shared_runtime_dirs[j][n] == ':')
                        return log_error_errno(-EINVAL, "shared runtime directory %s: given twice", path);
        if (path_is_at_or_below(state_root, path))
                return log_error_errno(-EINVAL, "shared runtime directory %s: the state root %s is inside it", path,
                                       state_root);
        return 0;
}

static int make_one(int run, const struct stat *run_st, size_t i, const char *name, unsigned mode, uid_t uid, gid_t gid) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        if (mkdirat(run, name, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "shared runtime directory /run/%s: %m", name);
        fd = openat(run, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
                return log_error_errno(-ENOTDIR, "shared runtime directory /run/%s: is there, and is not a directory "
                                       "(a symbolic link or another file): refusing it", name);
        if (fd < 0 || fstat(fd, &st) < 0)
                return log_error_errno(-errno, "shared runtime directory /run/%s: %m", name);
        if (st.st_dev != run_st->st_dev || mount_id(fd) != mount_id(run))
                return log_error_errno(-EXDEV, "shared runtime directory /run/%s: is another mount, not a directory "
                                       "of /run: refusing it", name);
        if (st.st_uid != 0 && st.st_uid != uid)
                return log_error_errno(-EPERM, "shared runtime directory /run/%s: belongs to uid %u, neither root nor "
                                       "the user it is for (%u): refusing it", name, (unsigned) st.st_uid, (unsigned) uid);
        if (fchown(fd, uid, gid) < 0 || fchmod(fd, mode) < 0)
                return log_error_errno(-errno, "shared runtime directory /run/%s: %m", name);
        made[i].dev = st.st_dev;
        made[i].ino = st.st_ino;
        return 0;
}

int shared_dirs_make(const HelperConfig *c, const char *state_root) {
        _cleanup_close_ int run = -EBADF;
        struct stat st;
        uid_t uid;
        gid_t gid;
        int r = 0;

        if (!c->shared_runtime_dirs)
                return 0;
        if (strv_length(c->shared_runtime_dirs) > SHARED_DIRS_MAX)
                return log_error_errno(-E2BIG, "shared runtime directories: more than %d", SHARED_DIRS_MAX);
        if (service_ids(c, &uid, &gid) < 0)
                return log_error_errno(-EINVAL, "shared runtime directories: the user or group was not resolved");
        run = open_run(&st, O_RDONLY);
        if (run < 0)
                return run;
        r = check_run_flags(run);
        if (r < 0)
                return r;
        for (size_t i = 0; r >= 0 && c->shared_runtime_dirs[i]; i++) {
                SharedDir d;

                r = split(c->shared_runtime_dirs[i], &d);
                if (r >= 0)
                        r = check_inside(c, i, d.name, state_root);
                if (r >= 0)
                        r = make_one(run, &st, i, d.name, d.mode, d.uid >= 0 ? (uid_t) (d.uid + c->userns_base) : uid,
                                     d.gid >= 0 ? (gid_t) (d.gid + c->userns_base) : gid);
        }
        if (r < 0)
                shared_dirs_remove(c);
        return r;
}

int shared_dirs_bind(const HelperConfig *c, int root) {
        _cleanup_close_ int run = -EBADF;
        struct stat st;

        if (!c->shared_runtime_dirs)
                return 0;
        /* this process's /run is still the host's: the new root is not
         * entered yet */
        run = open_run(&st, O_PATH);
        if (run < 0)
                return run;
        for (size_t i = 0; c->shared_runtime_dirs[i]; i++) {
                _cleanup_close_ int fd = -EBADF;
                char path[96];
                SharedDir d;
                int r;

                r = split(c->shared_runtime_dirs[i], &d);
                if (r < 0)
                        return r;
                snprintf(path, sizeof(path), "/run/%s", d.name);
                fd = openat(run, d.name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 || fstat(fd, &st) < 0)
                        return log_error_errno(-errno, "shared runtime directory %s: %m", path);
                if (st.st_dev != made[i].dev || st.st_ino != made[i].ino)
                        return log_error_errno(-ESTALE, "shared runtime directory %s: is no longer the directory made "
                                               "for the sandbox: refusing it", path);
                /* sockets need no executables nor devices */
                r = bind_fd_in_root(root, fd, path, path, MS_NOSUID | MS_NODEV | MS_NOEXEC, "shared runtime directory");
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Empties dir (an O_RDONLY fd of a directory on dev), never following a
 * symbolic link nor entering another mount; what it cannot remove stays. */
static void remove_below(int dir, dev_t dev, unsigned depth) {
        _cleanup_closedir_ DIR *d = NULL;
        int copy = fcntl(dir, F_DUPFD_CLOEXEC, 3);
        uint64_t mnt = mount_id(dir);
        struct dirent *de;

        if (copy < 0 || !(d = fdopendir(copy))) {
                if (copy >= 0)
                        close(copy);
                return;
        }
        while ((de = readdir(d))) {
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dir, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = -EBADF;

                        if (st.st_dev != dev || depth >= REMOVE_DEPTH_MAX)
                                continue;
                        sub = openat(dir, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0 || fstat(sub, &st) < 0 || st.st_dev != dev || mount_id(sub) != mnt)
                                continue;
                        remove_below(sub, dev, depth + 1);
                        (void) unlinkat(dir, de->d_name, AT_REMOVEDIR);
                } else
                        (void) unlinkat(dir, de->d_name, 0);
        }
}

void shared_dirs_remove(const HelperConfig *c) {
        _cleanup_close_ int run = -EBADF;
        struct stat run_st;

        if (!c->shared_runtime_dirs)
                return;
        run = open_run(&run_st, O_RDONLY);
        if (run < 0)
                return;
        for (size_t i = 0; c->shared_runtime_dirs[i]; i++) {
                _cleanup_close_ int fd = -EBADF;
                struct stat st;
                SharedDir d;

                /* only what this sandbox made or took */
                if (!made[i].ino)
                        continue;
                if (split(c->shared_runtime_dirs[i], &d) < 0)
                        continue;
                fd = openat(run, d.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != made[i].dev || st.st_ino != made[i].ino ||
                    mount_id(fd) != mount_id(run))
                        continue;
                remove_below(fd, st.st_dev, 0);
                if (unlinkat(run, d.name, AT_REMOVEDIR) < 0)
                        log_warning_errno(-errno, "shared runtime directory /run/%s: not removed: %m", d.name);
                made[i].ino = 0;
        }
}

/* STATE_ROOT/NAME/state.img, read only to find its loop device: never
 * made here (a start that failed before the image leaves none) */
static void image_wait_released(const HelperConfig *c) {
        _cleanup_close_ int state = -EBADF, image = -EBADF;
        char path[PATH_MAX], shown[PATH_MAX];

        if ((size_t) snprintf(path, sizeof(path), "%s/%s", c->state_root, c->name) >= sizeof(path) ||
            (size_t) snprintf(shown, sizeof(shown), "%s/%s", path, STATE_IMAGE_NAME) >= sizeof(shown))
                return;
        state = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (state < 0)
                return;
        image = state_image_open(state, shown);
        if (image >= 0)
                (void) state_image_wait_released(image, shown);
}

/* The keeper, once the sandbox is built: every other file of the
 * helper's closed (but the pidfd of process 1, 3, its end of the pipe the
 * helper waits on, 4, a copy of the run lock, 5, the sandbox's mount
 * namespace, 6, and the lock's note, 7); every signal blocked: a stop
 * signal to the whole unit must not leave the directories behind, and it
 * ends by itself once they are gone. Once process 1 has ended, whatever
 * ended it, the note says so (the helper may have been killed), the
 * directories go, then the mount namespace: its last reference is this
 * one, so its mounts, the overlays among them, are taken down here, by
 * this close(), which the kernel finishes before the call returns, and
 * not by process 1's exit, which the helper waits for. Only then does
 * this process end and free the lock: a next start never meets the old
 * overlays, and the helper need not wait for their unmounting to report
 * the service's end. With wait_mounts, the helper waits for them all the
 * same (done is closed after them). */
static _Noreturn void keeper_run(const HelperConfig *c, const int fds[5], pid_t helper, bool wait_mounts) {
        struct pollfd p = { .fd = 3, .events = POLLIN };
        sigset_t all;
        int copy[5];

        sigfillset(&all);
        (void) sigprocmask(SIG_BLOCK, &all, NULL);
        for (int i = 0; i < 5; i++)
                if ((copy[i] = fcntl(fds[i], F_DUPFD, 10)) < 0)
                        _exit(EXIT_FAILURE);
        for (int i = 0; i < 5; i++)
                if (dup2(copy[i], 3 + i) < 0)
                        _exit(EXIT_FAILURE);
        if (close_range(8, ~0U, 0) < 0)
                _exit(EXIT_FAILURE);
        /* what ps and the unit's process list show it as */
        (void) prctl(PR_SET_NAME, "sandbox-lock", 0, 0, 0);
        /* CAP_NET_ADMIN for sandbox-network, which it runs for a bridged
         * sandbox: no_new_privs keeps its capabilities to these */
        if (capabilities_set((UINT64_C(1) << CAP_DAC_OVERRIDE) | (UINT64_C(1) << CAP_FOWNER) |
                                     (network_is_bridge(c) ? UINT64_C(1) << CAP_NET_ADMIN : 0), 0) < 0 ||
            prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                _exit(EXIT_FAILURE);
        while (poll(&p, 1, -1) < 0 && errno == EINTR)
                ;
        lock_note(7, helper, getpid(), true);
        shared_dirs_remove(c);
        if (network_is_bridge(c))
                (void) bridge_teardown(c->name, c->state_root ? c->state_root : STATE_ROOT_DEFAULT, c->debug);
        if (!wait_mounts)
                close(4);
        close(6);
        /* the image's ext4 goes a moment after the overlays, from a work
         * queue of the kernel's (overlayfs holds it by a mount of its
         * own): the lock stays held until its bytes are all in the image,
         * for a next start, a clone and a copy made after "systemctl
         * stop" alike */
        if (c->state_size)
                image_wait_released(c);
        _exit(EXIT_SUCCESS);
}

pid_t shared_dirs_keeper(const HelperConfig *c, pid_t init, int lock, int mntns, int note, bool wait_mounts,
                         int *ret_done) {
        _cleanup_close_ int pidfd = -EBADF, done_w = -EBADF;
        const pid_t helper = getpid();
        int done[2];
        pid_t pid;

        /* taken while init is this process's unreaped child: its PID
         * cannot name another process yet */
        pidfd = (int) syscall(SYS_pidfd_open, init, 0);
        if (pidfd < 0)
                return log_error_errno(-errno, "run lock: watch process 1: %m");
        if (pipe2(done, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "run lock: %m");
        done_w = done[1];
        /* a sibling of the helper's, not its child (CLONE_PARENT): process
         * 1 stays the helper's only child, which joining a sandbox looks
         * for, with one fork instead of two; the helper's parent reaps it */
        pid = (pid_t) syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL, NULL);
        if (pid == 0) {
                close(done[0]);
                keeper_run(c, (const int[5]) { pidfd, done_w, lock, mntns, note }, helper, wait_mounts);
        }
        if (pid < 0) {
                close(done[0]);
                return log_error_errno(-errno, "run lock: start its keeper: clone: %m");
        }
        *ret_done = done[0];
        return pid;
}

void shared_dirs_keeper_wait(int fd) {
        if (fd < 0)
                return;
        /* EOF: the keeper has removed the directories, or ended (or
         * never started) */
        while (read(fd, &(char) { 0 }, 1) < 0 && errno == EINTR)
                ;
        close(fd);
}
