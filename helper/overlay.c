/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The /etc and /var overlays. Most of a start's time in them goes to the
 * file system of the state directories (overlayfs makes its work
 * directory anew at every mount), none to anything of the new
 * namespaces: so the helper's first process, which would only wait,
 * makes them while process 1 builds the root, /tmp, /run, /dev and
 * /proc. Made with fsopen() and fsmount() they are attached nowhere, not
 * in the host's mount table even for a moment; process 1 receives them
 * and moves them onto the new root's /etc and /var.
 *
 * overlayfs takes a private clone of each layer's mount
 * (clone_private_mount()), which before Linux 6.15 refuses, EINVAL, a
 * mount outside the caller's mount namespace: a capped state's upper and
 * work directories, in the image's ext4 mounted detached, are taken only
 * since. On an older kernel a short-lived child makes the overlays in a
 * copy of the host's mount namespace, made private first, with the ext4
 * attached there (overlays_attached()); nothing of it reaches the host's
 * table, and the copy goes with the child.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idmap.h"
#include "log.h"
#include "mount-util.h"
#include "overlay.h"
#include "quantities.h"
#include "rootless.h"
#include "state-image.h"
#include "state.h"

/* The layers of /DIR with its upper and work dirs below state, an fd of
 * the directory path (STATE_ROOT/NAME, or the root of its image) */
static int layers_below(int root, int state, const char *path, const char *dir, OverlayLayers *ret) {
        const char *sub_upper[] = { dir, "upper", NULL }, *sub_work[] = { dir, "work", NULL };
        _cleanup_close_ int lower = -EBADF, upper = -EBADF, work = -EBADF;
        char target[16], what[32];

        snprintf(target, sizeof(target), "/%s", dir);
        snprintf(what, sizeof(what), "%s=overlay", dir);
        upper = state_dir_below(state, path, sub_upper);
        if (upper < 0)
                return upper;
        work = state_dir_below(state, path, sub_work);
        if (work < 0)
                return work;
        lower = open_in_root(root, target, CREATE_NONE, what);
        if (lower < 0)
                return log_error_errno(lower, "%s: the root has no %s: %m", what, target);
        /* <user-namespace mode="private"/>: seen through the service's
         * map, or not at all */
        if (idmap_get() >= 0) {
                int mnt = idmap_clone(lower, "", target, false, 0, true, what);

                if (mnt < 0)
                        return mnt;
                close(lower);
                lower = mnt;
        }
        if (state_dir_take_attributes(upper, lower, what) < 0)
                return -EPERM;
        if (rootless_active() && rootless_overlay_dirs(upper, lower, what) < 0)
                return -EPERM;
        *ret = (OverlayLayers) { TAKE_FD(lower), TAKE_FD(upper), TAKE_FD(work) };
        return 0;
}

int overlay_layers_open(int root, const char *state_root, const char *name, const char *dir, OverlayLayers *ret) {
        _cleanup_close_ int state = -EBADF;
        char path[PATH_MAX];

        /* STATE_ROOT/NAME walked once, for its subdirectories */
        state = state_dir_open(state_root, name, NULL);
        if (state < 0)
                return state;
        snprintf(path, sizeof(path), "%s/%s", state_root, name);
        return layers_below(root, state, path, dir, ret);
}

void overlay_layers_done(OverlayLayers *l) {
        closep(&l->lower);
        closep(&l->upper);
        closep(&l->work);
        *l = (OverlayLayers) { -EBADF, -EBADF, -EBADF };
}

/* paths by fd, so a symlink swapped in cannot redirect them */
int overlay_mount(const OverlayLayers *l, const char *dir) {
        char lo[FD_PATH_MAX], up[FD_PATH_MAX], wo[FD_PATH_MAX], options[3 * FD_PATH_MAX + 600];

        fd_path(l->lower, lo);
        fd_path(l->upper, up);
        fd_path(l->work, wo);
        snprintf(options, sizeof(options), "lowerdir=%s,upperdir=%s,workdir=%s%s", lo, up, wo, mount_context_option());
        if (mount("overlay", lo, "overlay", MS_NOSUID | MS_NODEV, options) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: %m", dir, dir);
        return 0;
}

static int set_layer(int fs, const char *key, int fd, const char *dir) {
        char p[FD_PATH_MAX];

        fd_path(fd, p);
        if (fsconfig(fs, FSCONFIG_SET_STRING, key, p, 0) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: %s: %m", dir, dir, key);
        return 0;
}

/* The same overlay as overlay_mount()'s, as a mount fd attached nowhere;
 * -ENOSYS (not logged) where the kernel has no fsopen(). With
 * ret_refused, the kernel's refusal of the layers (EINVAL as the
 * overlay is made: a layer on a mount outside this mount namespace,
 * before Linux 6.15) sets it and is -EINVAL, not logged. */
static int overlay_detached(const OverlayLayers *l, const char *dir, bool *ret_refused) {
        _cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);
        const char *context = mount_context();
        int mnt;

        if (fs < 0 && errno == ENOSYS)
                return -ENOSYS;
        if (fs < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: %m", dir, dir);
        /* the source mount(2) would show */
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "overlay", 0) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: source: %m", dir, dir);
        if (set_layer(fs, "lowerdir", l->lower, dir) < 0 || set_layer(fs, "upperdir", l->upper, dir) < 0 ||
            set_layer(fs, "workdir", l->work, dir) < 0)
                return -EINVAL;
        /* in a user namespace overlayfs keeps its own attributes as
         * user.overlay.*: trusted.* is the host's root's */
        if (rootless_active() && fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: userxattr: %m", dir, dir);
        if (context && fsconfig(fs, FSCONFIG_SET_STRING, "context", context, 0) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: context %s: %m", dir, dir, context);
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
                if (errno == EINVAL && ret_refused) {
                        *ret_refused = true;
                        return -EINVAL;
                }
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: %m", dir, dir);
        }
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        if (mnt < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: %m", dir, dir);
        return mnt;
}

static bool overlay_read_only(int mnt) {
        struct statvfs sv;

        return fstatvfs(mnt, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

/* An overlay's unmount syncs its upper file system, and the sandbox's
 * stop waits for it; what the mounts themselves changed there (overlayfs
 * makes its work directory anew, with test files made and removed) is
 * written back now instead, while process 1 goes on and the service
 * starts, so that the stop finds only the service's own changes. Not
 * needed for any guarantee: an error here would show again there. */
static void write_back(int fd) {
        if (fd >= 0 && syncfs(fd) < 0)
                log_debug("etc and var: write back the state directories' file system: %m");
}

static const char *const dirs[2] = { "etc", "var" };

typedef struct DirMounts {
        int fd[2];
} DirMounts;

static void dir_mounts_done(DirMounts *m) {
        closep(&m->fd[0]);
        closep(&m->fd[1]);
        *m = (DirMounts) { { -EBADF, -EBADF } };
}

static int send_mounts(int sock, const DirMounts *m) {
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(m->fd))];
        } control = {};
        uint8_t have[2] = { m->fd[0] >= 0, m->fd[1] >= 0 };
        struct iovec iov = { have, sizeof(have) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        int fds[2], n = 0;

        for (size_t i = 0; i < 2; i++)
                if (m->fd[i] >= 0)
                        fds[n++] = m->fd[i];
        if (n > 0) {
                struct cmsghdr *h;

                msg.msg_control = control.buf;
                msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
                h = CMSG_FIRSTHDR(&msg);
                h->cmsg_level = SOL_SOCKET;
                h->cmsg_type = SCM_RIGHTS;
                h->cmsg_len = CMSG_LEN(n * sizeof(int));
                memcpy(CMSG_DATA(h), fds, n * sizeof(int));
        }
        if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
                if (errno == EPIPE || errno == ECONNRESET)
                        return -errno; /* process 1 stopped, and said why */
                return log_error_errno(-errno, "etc and var: hand the overlays to process 1: %m");
        }
        return 0;
}

/* The work directory overlayfs made at the last start (WORK/work), which
 * this start's mount removes and makes anew, held open: its inode, and
 * the freeing of its block, is let go only when the fd is closed (on a
 * file system mounted with discard and without a journal, freeing a
 * block waits for the device). -EBADF when there is none. */
static int hold_old_work(const OverlayLayers *l) {
        return openat(l->work, "work", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* With <state size=...>: the mount of the sandbox's state image (made
 * at the first start, from the /etc and /var kept before the cap when
 * there are any; grown when the size grew), or -errno after logging. */
static int state_image(const HelperConfig *c, const char *state_root, char *ret_path, size_t size) {
        _cleanup_close_ int state = -EBADF;
        char path[PATH_MAX];
        uint64_t bytes;

        if (parse_size(c->state_size, &bytes) < 0)
                return log_error_errno(-EINVAL, "--state-size=%s: not a size", c->state_size);
        state = state_dir_open(state_root, c->name, NULL);
        if (state < 0)
                return state;
        if (snprintf(path, sizeof(path), "%s/%s", state_root, c->name) >= (int) sizeof(path) ||
            snprintf(ret_path, size, "%s/%s:", path, STATE_IMAGE_NAME) >= (int) size)
                return log_error_errno(-ENAMETOOLONG, "state image: %s/%s: path too long", state_root, c->name);
        if (!c->state_key)
                return state_image_start(state, path, bytes, NULL);

        /* encrypted: its key from the file systemd decrypted the
         * sandbox's credential into (--state-key), wiped once the
         * mapping is open */
        StateKey key;
        StateImageCrypt crypt = { .sandbox = c->name, .key = &key };
        int mnt;

        mnt = state_key_read_option(c->state_key, &key);
        if (mnt < 0)
                return mnt;
        mnt = state_image_start(state, path, bytes, &crypt);
        state_key_wipe(&key);
        return mnt;
}

/* Whether a and b (fds) are the same file */
static bool same_file(int a, int b) {
        struct stat sa, sb;

        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* STATE_ROOT/NAME/DIR/{upper,work} opened again into ret, checked to
 * be l's */
static int reopen_upper_work(const HelperConfig *c, const char *state_root, const char *dir, const OverlayLayers *l,
                             OverlayLayers *ret) {
        const char *sub_upper[] = { dir, "upper", NULL }, *sub_work[] = { dir, "work", NULL };

        ret->upper = state_dir_open(state_root, c->name, sub_upper);
        ret->work = state_dir_open(state_root, c->name, sub_work);
        if (ret->upper < 0 || ret->work < 0)
                return -ENOENT;
        if (!same_file(ret->upper, l->upper) || !same_file(ret->work, l->work))
                return log_error_errno(-ESTALE, "%s=overlay: the state's upper or work directory is another one in a "
                                       "namespace of its own", dir);
        return 0;
}

/* The child of overlays_attached(), in a copy of the first process's
 * mount namespace; sends the overlays on sock, and exits. */
__attribute__((noreturn)) static void attached_child(const HelperConfig *c, int root, const char *state_root, int image,
                                                     const OverlayLayers l[static 2], pid_t parent, int sock) {
        _cleanup_(dir_mounts_done) DirMounts m = { { -EBADF, -EBADF } };
        _cleanup_close_ int here = -EBADF, state = -EBADF;
        const char *root_directory = c->root_directory ? c->root_directory : "/";

        /* it ends with the first process, however that ends */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                _exit(EXIT_FAILURE);
        /* first, so that nothing done here, nor this namespace's end,
         * propagates to the host's */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
                log_error_errno(-errno, "etc and var: make the mounts of a namespace of their own private: %m");
                _exit(EXIT_FAILURE);
        }
        /* the image's ext4 attached on the state directory as it is in
         * this namespace: the mount the upper and work dirs are in is
         * then this namespace's, as overlayfs wants */
        state = image < 0 ? -EBADF : state_dir_open(state_root, c->name, NULL);
        if (image >= 0 && state < 0)
                _exit(EXIT_FAILURE);
        if (image >= 0 && move_mount(image, "", state, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
                log_error_errno(-errno, "etc and var: attach the state's file system in a namespace of their own: %m");
                _exit(EXIT_FAILURE);
        }
        /* the lower dirs, too, opened again from this namespace's root:
         * the same files, or none */
        here = open(root_directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (here < 0) {
                log_error_errno(-errno, "etc and var: root %s: %m", root_directory);
                _exit(EXIT_FAILURE);
        }
        if (!same_file(here, root)) {
                log_error("etc and var: root %s is another directory in a namespace of their own", root_directory);
                _exit(EXIT_FAILURE);
        }
        for (size_t i = 0; i < 2; i++) {
                OverlayLayers layers = { -EBADF, l[i].upper, l[i].work };
                char target[16], what[32];

                if (l[i].upper < 0)
                        continue;
                snprintf(target, sizeof(target), "/%s", dirs[i]);
                snprintf(what, sizeof(what), "%s=overlay", dirs[i]);
                /* upper and work on the host's file system: opened again
                 * from this namespace, whose mounts overlayfs takes */
                if (image < 0 && reopen_upper_work(c, state_root, dirs[i], &l[i], &layers) < 0)
                        _exit(EXIT_FAILURE);
                layers.lower = open_in_root(here, target, CREATE_NONE, what);
                if (layers.lower < 0)
                        _exit(EXIT_FAILURE);
                if (!same_file(layers.lower, l[i].lower)) {
                        log_error("%s: the root's %s is another directory in a namespace of its own", what, target);
                        _exit(EXIT_FAILURE);
                }
                /* idmapped, attached here: on itself, in this namespace */
                if (idmap_get() >= 0 && (move_mount(l[i].lower, "", layers.lower, "",
                                                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0 ||
                                         (close(layers.lower), layers.lower = open_in_root(here, target, CREATE_NONE,
                                                                                          what)) < 0)) {
                        log_error_errno(layers.lower < 0 ? layers.lower : -errno, "%s: attach the idmapped %s in a "
                                        "namespace of its own: %m", what, target);
                        _exit(EXIT_FAILURE);
                }
                m.fd[i] = overlay_detached(&layers, dirs[i], NULL);
                close(layers.lower);
                if (m.fd[i] < 0)
                        _exit(EXIT_FAILURE);
        }
        _exit(send_mounts(sock, &m) < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
}

/* Where the kernel takes no layer on a detached mount: the overlays of
 * the dirs l has layers of (their upper and work dirs in image, the
 * state's ext4, mounted detached) made by a short-lived child in a copy
 * of this mount namespace, where image is attached; into m. The overlays
 * keep private clones of the ext4's mount: the image stays mounted only
 * through them once the child's namespace is gone with it. Returns 0 or
 * -errno after logging. */
static int overlays_attached(const HelperConfig *c, int root, const char *state_root, int image,
                             const OverlayLayers l[static 2], DirMounts *m) {
        _cleanup_close_ int mine = -EBADF, theirs = -EBADF;
        pid_t parent = getpid(), pid;
        int pair[2], fds[2], status, r;

        log_debug("etc and var: the kernel takes no overlay layer on a detached mount; made in a mount "
                  "namespace of their own");
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
                return log_error_errno(-errno, "etc and var: socketpair: %m");
        mine = pair[0];
        theirs = pair[1];
        pid = (pid_t) syscall(SYS_clone, (unsigned long) (CLONE_NEWNS | SIGCHLD), NULL, NULL, NULL, 0);
        if (pid < 0)
                return log_error_errno(-errno, "etc and var: a mount namespace of their own: clone: %m");
        if (pid == 0) {
                close(TAKE_FD(mine));
                attached_child(c, root, state_root, image, l, parent, theirs);
        }
        close(TAKE_FD(theirs));
        r = overlays_receive(mine, fds);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        status = -1; /* a failure, below */
                        break;
                }
        if (r == -ECANCELED && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_FAILURE)
                return r; /* the child said why */
        if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != EXIT_SUCCESS) {
                if (r >= 0) {
                        closep(&fds[0]);
                        closep(&fds[1]);
                }
                return log_error_errno(-ECHILD, "etc and var: the process making them in a namespace of their own "
                                       "failed (status %d)", status);
        }
        m->fd[0] = fds[0];
        m->fd[1] = fds[1];
        return 0;
}

static void layers_done(OverlayLayers (*l)[2]) {
        overlay_layers_done(&(*l)[0]);
        overlay_layers_done(&(*l)[1]);
}

int overlays_send(const HelperConfig *c, int root, const char *state_root, int sock, StepTimer *t) {
        const char *modes[2] = { c->etc ? c->etc : "overlay", c->var ? c->var : "overlay" };
        _cleanup_(dir_mounts_done) DirMounts m = { { -EBADF, -EBADF } }, old = { { -EBADF, -EBADF } };
        _cleanup_(layers_done) OverlayLayers l[2] = { { -EBADF, -EBADF, -EBADF }, { -EBADF, -EBADF, -EBADF } };
        _cleanup_close_ int state_fs = -EBADF, image = -EBADF;
        char image_path[PATH_MAX] = "";
        bool refused = false;
        int r;

        if (c->state_size) {
                step_begin(t, "state-image");
                image = state_image(c, state_root, image_path, sizeof(image_path));
                if (image < 0)
                        return image;
        }
        for (size_t i = 0; i < 2; i++) {
                if (!streq(modes[i], "overlay"))
                        continue;
                step_begin(t, dirs[i]);
                if (image >= 0)
                        r = layers_below(root, image, image_path, dirs[i], &l[i]);
                else
                        r = overlay_layers_open(root, state_root, c->name, dirs[i], &l[i]);
                if (r < 0)
                        return r;
                old.fd[i] = hold_old_work(&l[i]);
                /* once refused, made with the others below */
                if (refused || ((image >= 0 || idmap_get() >= 0) && (refused = step_fault_overlays_attached())))
                        continue;
                r = overlay_detached(&l[i], dirs[i], image >= 0 || idmap_get() >= 0 ? &refused : NULL);
                if (refused)
                        continue;
                if (r == -ENOSYS && image >= 0)
                        return log_error_errno(r, "%s=overlay: the kernel has no fsopen(), which <state size=...> "
                                               "needs", dirs[i]);
                if (r == -ENOSYS) {
                        /* process 1 mounts them all, in place */
                        dir_mounts_done(&m);
                        break;
                }
                if (r < 0)
                        return r;
                m.fd[i] = r;
        }
        if (refused) {
                /* all of them there: none holds the layers meanwhile */
                dir_mounts_done(&m);
                r = overlays_attached(c, root, state_root, image, l, &m);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < 2; i++) {
                if (m.fd[i] < 0)
                        continue;
                /* overlayfs mounts read-only when it cannot make its work
                 * directory (a full file system): a capped sandbox, which
                 * keeps a reserve for it, does not start with less */
                if (image >= 0 && overlay_read_only(m.fd[i]))
                        return log_error_errno(-EROFS, "%s=overlay: the overlay on /%s could only be made read-only "
                                               "(no room for its work directory in the state's file system?)",
                                               dirs[i], dirs[i]);
                if (state_fs < 0)
                        state_fs = openat(l[i].upper, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (image >= 0)
                state_image_reserve(image, image_path);
        step_begin(t, NULL);
        r = send_mounts(sock, &m);
        if (r < 0)
                return r;
        /* process 1 has them: none stays open out here; the old work
         * directories go now, while process 1 goes on, and the write-back
         * takes their removal too */
        dir_mounts_done(&m);
        dir_mounts_done(&old);
        write_back(state_fs);
        /* the overlays hold the image's file system now, and it its
         * loop device: both go with the sandbox's last mount */
        return 0;
}

/* the fds a message carried, into m; returns how many (more are closed) */
static size_t take_fds(struct msghdr *msg, DirMounts *m) {
        size_t n = 0;

        for (struct cmsghdr *h = CMSG_FIRSTHDR(msg); h; h = CMSG_NXTHDR(msg, h)) {
                if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS)
                        continue;
                for (size_t i = 0; i < (h->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
                        int fd;

                        memcpy(&fd, CMSG_DATA(h) + i * sizeof(int), sizeof(int));
                        if (n < ELEMENTSOF(m->fd))
                                m->fd[n] = fd;
                        else
                                close(fd);
                        n++;
                }
        }
        return n;
}

int overlays_receive(int sock, int ret[static 2]) {
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(2 * sizeof(int))];
        } control;
        uint8_t have[2];
        struct iovec iov = { have, sizeof(have) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf) };
        _cleanup_(dir_mounts_done) DirMounts m = { { -EBADF, -EBADF } };
        size_t n, used = 0;
        ssize_t k;

        do
                k = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return log_error_errno(-errno, "etc and var: receive the overlays: %m");
        n = take_fds(&msg, &m);
        if (k == 0)
                return -ECANCELED; /* the first process failed, and said why */
        if (k != sizeof(have) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || n != (size_t) (!!have[0] + !!have[1]))
                return log_error_errno(-EPROTO, "etc and var: the overlays received are not the ones sent");
        /* in the order of the directories that have one */
        for (size_t i = 0; i < 2; i++) {
                ret[i] = -EBADF;
                if (have[i]) {
                        ret[i] = TAKE_FD(m.fd[used]);
                        used++;
                }
        }
        return 0;
}
