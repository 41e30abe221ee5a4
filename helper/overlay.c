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
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"
#include "mount-util.h"
#include "overlay.h"
#include "quantities.h"
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
        if (state_dir_take_attributes(upper, lower, what) < 0)
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
 * -ENOSYS (not logged) where the kernel has no fsopen(). */
static int overlay_detached(const OverlayLayers *l, const char *dir) {
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
        if (context && fsconfig(fs, FSCONFIG_SET_STRING, "context", context, 0) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: context %s: %m", dir, dir, context);
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return log_error_errno(-errno, "%s=overlay: overlay on /%s: %m", dir, dir);
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

int overlays_send(const HelperConfig *c, int root, const char *state_root, int sock, StepTimer *t) {
        const char *modes[2] = { c->etc ? c->etc : "overlay", c->var ? c->var : "overlay" };
        _cleanup_(dir_mounts_done) DirMounts m = { { -EBADF, -EBADF } }, old = { { -EBADF, -EBADF } };
        _cleanup_close_ int state_fs = -EBADF, image = -EBADF;
        char image_path[PATH_MAX] = "";
        int r = 0;

        if (c->state_size) {
                step_begin(t, "state-image");
                image = state_image(c, state_root, image_path, sizeof(image_path));
                if (image < 0)
                        return image;
        }
        for (size_t i = 0; i < 2 && r >= 0; i++) {
                _cleanup_(overlay_layers_done) OverlayLayers l = { -EBADF, -EBADF, -EBADF };

                if (!streq(modes[i], "overlay"))
                        continue;
                step_begin(t, dirs[i]);
                if (image >= 0)
                        r = layers_below(root, image, image_path, dirs[i], &l);
                else
                        r = overlay_layers_open(root, state_root, c->name, dirs[i], &l);
                if (r < 0)
                        return r;
                old.fd[i] = hold_old_work(&l);
                r = overlay_detached(&l, dirs[i]);
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
                /* overlayfs mounts read-only when it cannot make its work
                 * directory (a full file system): a capped sandbox, which
                 * keeps a reserve for it, does not start with less */
                if (image >= 0 && overlay_read_only(m.fd[i]))
                        return log_error_errno(-EROFS, "%s=overlay: the overlay on /%s could only be made read-only "
                                               "(no room for its work directory in the state's file system?)",
                                               dirs[i], dirs[i]);
                if (state_fs < 0)
                        state_fs = openat(l.upper, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
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
