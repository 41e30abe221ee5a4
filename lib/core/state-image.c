/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "spawn.h"
#include "state-image.h"

/* <linux/ext4.h> is not installed everywhere; the number is the ABI */
#ifndef EXT4_IOC_RESIZE_FS
#define EXT4_IOC_RESIZE_FS _IOW('f', 16, uint64_t)
#endif

/* How often a free loop device another process took first is asked for
 * again before the start fails. */
#define LOOP_ATTACH_TRIES 16

/* The loop device bound to the image (st), opened O_RDONLY, its number into
 * *ret_n: the fd, -ENOENT when there is none. A device being torn down
 * (ENXIO at open or at LOOP_GET_STATUS64) is not one: its superblock is
 * gone already. With writable, a read-only one (sandboxctl's) is not one
 * either: its superblock, if any, never writes, and the writer makes its
 * own. */
static int loop_find(const struct stat *st, bool writable, int *ret_n) {
        _cleanup_close_ int sys = open("/sys/block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;
        int found = -ENOENT;

        if (sys < 0)
                return -ENOENT; /* no sysfs: no loop device to find either */
        d = fdopendir(sys);
        if (!d)
                return -errno;
        sys = -EBADF;
        for (struct dirent *e; found < 0 && (e = readdir(d));) {
                struct loop_info64 info = {};
                char path[64], bound[300];
                int n, fd;

                if (sscanf(e->d_name, "loop%d", &n) != 1 || n < 0)
                        continue;
                /* loop/ is there only while the device is bound */
                snprintf(bound, sizeof(bound), "%s/loop", e->d_name);
                if (faccessat(dirfd(d), bound, F_OK, 0) < 0)
                        continue;
                snprintf(path, sizeof(path), "/dev/loop%d", n);
                /* enough to ask, and to hold it until it is mounted */
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
                if (fd < 0)
                        continue;
                if (ioctl(fd, LOOP_GET_STATUS64, &info) == 0 && info.lo_inode == st->st_ino &&
                    info.lo_device == (uint64_t) st->st_dev && !(writable && (info.lo_flags & LO_FLAGS_READ_ONLY))) {
                        *ret_n = n;
                        found = fd;
                } else
                        close(fd);
        }
        closedir(d);
        return found;
}

/* A free loop device bound to image_fd, with LO_FLAGS_AUTOCLEAR (and
 * LO_FLAGS_READ_ONLY with read_only): the fd of the device, its number
 * into *ret_n. */
static int loop_attach(int image_fd, bool read_only, const char *shown, int *ret_n) {
        _cleanup_close_ int control = open("/dev/loop-control", O_RDWR | O_CLOEXEC | O_NOCTTY);

        if (control < 0)
                return log_error_errno(-errno, "state image %s: /dev/loop-control: %m%s", shown, log_root_hint(-errno));
        for (int try = 0; try < LOOP_ATTACH_TRIES; try++) {
                struct loop_config config = {
                        .fd = (uint32_t) image_fd,
                        .info.lo_flags = LO_FLAGS_AUTOCLEAR | (read_only ? LO_FLAGS_READ_ONLY : 0),
                };
                _cleanup_close_ int fd = -EBADF;
                char path[64];
                int n = ioctl(control, LOOP_CTL_GET_FREE);

                if (n < 0)
                        return log_error_errno(-errno, "state image %s: no free loop device: %m", shown);
                snprintf(path, sizeof(path), "/dev/loop%d", n);
                fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
                if (fd < 0 && errno == ENOENT)
                        continue; /* the node appears a moment after the device */
                if (fd < 0)
                        return log_error_errno(-errno, "state image %s: %s: %m", shown, path);
                if (ioctl(fd, LOOP_CONFIGURE, &config) < 0) {
                        if (errno == EBUSY)
                                continue; /* another process took it first */
                        return log_error_errno(-errno, "state image %s: bind %s to it: %m", shown, path);
                }
                *ret_n = n;
                return TAKE_FD(fd);
        }
        return log_error_errno(-EBUSY, "state image %s: no loop device stayed free to bind it to", shown);
}

/* state_image_device(), and whether the device was bound now: then no
 * writable superblock of the image is alive. */
static int device_open(int image_fd, StateImageFlags flags, const char *shown, char *ret_dev, size_t size,
                       bool *ret_fresh) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        uint64_t bytes;
        bool fresh = false;
        int n = -1;

        if (fstat(image_fd, &st) < 0)
                return log_error_errno(-errno, "state image %s: %m", shown);
        /* one process at a time between looking for the image's loop
         * device and binding one: two would make two superblocks */
        if (flock(image_fd, LOCK_EX) < 0)
                return log_error_errno(-errno, "state image %s: lock: %m", shown);
        fd = loop_find(&st, !(flags & STATE_IMAGE_READ_ONLY), &n);
        if (fd >= 0) {
                /* bound before the image grew: it takes the file's size */
                if (ioctl(fd, BLKGETSIZE64, &bytes) == 0 && bytes < (uint64_t) st.st_size &&
                    ioctl(fd, LOOP_SET_CAPACITY, 0) < 0) {
                        int r = log_error_errno(-errno, "state image %s: grow /dev/loop%d: %m", shown, n);

                        closep(&fd);
                        fd = r;
                }
        } else {
                fd = loop_attach(image_fd, flags & STATE_IMAGE_READ_ONLY, shown, &n);
                fresh = true;
        }
        (void) flock(image_fd, LOCK_UN);
        if (fd < 0)
                return fd;
        snprintf(ret_dev, size, "/dev/loop%d", n);
        if (ret_fresh)
                *ret_fresh = fresh;
        return TAKE_FD(fd);
}

/* the longest wait for a loop device of the image to go: the kernel puts
 * a superblock that an overlay held last from a work queue, a moment
 * after the sandbox's mount namespace is gone (and its lock free) */
#define RELEASE_WAIT_USEC (5 * 1000 * 1000)
#define RELEASE_POLL_USEC (10 * 1000)

int state_image_wait_released(int image_fd, const char *shown) {
        struct stat st;

        if (fstat(image_fd, &st) < 0)
                return log_error_errno(-errno, "state image %s: %m", shown);
        for (unsigned waited = 0;; waited += RELEASE_POLL_USEC) {
                int n = -1, fd = loop_find(&st, true, &n);

                if (fd == -ENOENT)
                        return 0;
                if (fd < 0)
                        return log_error_errno(fd, "state image %s: look for its loop device: %m", shown);
                close(fd);
                if (waited >= RELEASE_WAIT_USEC)
                        return log_error_errno(-EBUSY, "state image %s: still in use by /dev/loop%d after %u s", shown,
                                               n, RELEASE_WAIT_USEC / 1000000);
                usleep(RELEASE_POLL_USEC);
        }
}

int state_image_device(int image_fd, StateImageFlags flags, const char *shown, char *ret_dev, size_t size) {
        return device_open(image_fd, flags, shown, ret_dev, size, NULL);
}

int state_image_exec(const char *const programs[], char *const argv[], const char *shown) {
        char *envp[] = { (char *) "PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *) "LC_ALL=C", NULL };
        const char *program = NULL;
        _cleanup_close_ int null = -EBADF;
        int status;
        pid_t pid;

        for (size_t i = 0; programs[i] && !program; i++)
                if (access(programs[i], X_OK) == 0)
                        program = programs[i];
        if (!program)
                return log_error_errno(-ENOENT, "state image %s: %s is not installed in %s or %s", shown, argv[0],
                                       programs[0], programs[1] ? programs[1] : programs[0]);
        /* the environment is not the helper's: MKE2FS_CONFIG and the
         * like would decide the file system */
        null = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null < 0)
                return log_error_errno(-errno, "state image %s: /dev/null: %m", shown);
        pid = spawn_program(program, argv, envp, null, null, 127);
        if (pid < 0)
                return pid;
        if (spawn_wait(pid, &status) < 0)
                return log_error_errno(-errno, "state image %s: wait for %s: %m", shown, argv[0]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(-EIO, "state image %s: %s failed (status %d)", shown, argv[0],
                                       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return 0;
}

int state_image_mkfs(const char *dev, const char *from, StateImageFlags flags, const char *shown) {
        static const char *const mkfs[] = { "/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4", NULL };
        /* -m 0: the whole size is the service's, none kept for root;
         * lazy_*_init: the image is a new sparse file, zeros already, so
         * that the journal and inode tables are not written out whole */
        char *argv[] = { (char *) "mkfs.ext4", (char *) "-q", (char *) "-F", (char *) "-m", (char *) "0",
                         (char *) "-E", (char *) "lazy_itable_init=1,lazy_journal_init=1", (char *) dev, NULL,
                         NULL, NULL };

        /* a LUKS2 mapping reads garbage where nothing was written: its
         * inode tables and journal are made whole */
        if (flags & STATE_IMAGE_ENCRYPTED)
                argv[6] = (char *) "lazy_itable_init=0,lazy_journal_init=0";
        if (from) {
                /* -d: the tree's files, owners, modes, times, extended
                 * attributes, device nodes (the overlays' whiteouts) */
                argv[7] = (char *) "-d";
                argv[8] = (char *) from;
                argv[9] = (char *) dev;
        }
        return state_image_exec(mkfs, argv, shown);
}

/* Whether dev is a read-only device: then its file system is mounted
 * read-only as a superblock, without replaying its journal (which would
 * write); else a read-only mount shares the writer's superblock. */
static bool device_read_only(const char *dev) {
        _cleanup_close_ int fd = open(dev, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        int ro = 0;

        return fd >= 0 && ioctl(fd, BLKROGET, &ro) == 0 && ro;
}

int state_image_mount(const char *dev, StateImageFlags flags, const char *shown) {
        _cleanup_close_ int fs = fsopen("ext4", FSOPEN_CLOEXEC);
        unsigned attr = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
        int mnt;

        if (fs < 0 && errno == ENOSYS)
                return -ENOSYS;
        if (fs < 0)
                return log_error_errno(-errno, "state image %s: ext4: %m", shown);
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", dev, 0) < 0)
                return log_error_errno(-errno, "state image %s: ext4 on %s: %m", shown, dev);
        if ((flags & STATE_IMAGE_READ_ONLY) && device_read_only(dev)) {
                if (fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0 ||
                    fsconfig(fs, FSCONFIG_SET_FLAG, "norecovery", NULL, 0) < 0)
                        return log_error_errno(-errno, "state image %s: ext4 on %s, read-only: %m", shown, dev);
        } else if (!(flags & STATE_IMAGE_ENCRYPTED) && fsconfig(fs, FSCONFIG_SET_FLAG, "noinit_itable", NULL, 0) < 0)
                /* the inode tables of a sparse image read as zeros: the
                 * kernel's zeroing them would only take the host's disk */
                return log_error_errno(-errno, "state image %s: ext4 on %s: noinit_itable: %m", shown, dev);
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return log_error_errno(-errno, "state image %s: mount the ext4 on %s: %m", shown, dev);
        if (flags & STATE_IMAGE_READ_ONLY)
                attr |= MOUNT_ATTR_RDONLY;
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, attr);
        if (mnt < 0)
                return log_error_errno(-errno, "state image %s: mount the ext4 on %s: %m", shown, dev);
        return mnt;
}

int state_image_open(int state, const char *shown) {
        _cleanup_close_ int fd = openat(state, STATE_IMAGE_NAME, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        struct stat st;

        if (fd < 0 && errno == ENOENT)
                return -ENOENT;
        if (fd < 0 && errno == ELOOP)
                return log_error_errno(-ELOOP, "state image %s: is a symbolic link; refusing to use it", shown);
        if (fd < 0)
                return log_error_errno(-errno, "state image %s: %m%s", shown, log_root_hint(-errno));
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "state image %s: %m", shown);
        if (!S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 0077))
                return log_error_errno(-EPERM, "state image %s: not a regular file owned by root and readable by root "
                                       "alone; refusing to use it", shown);
        return TAKE_FD(fd);
}

void state_image_reserve(int mnt, const char *shown) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(mnt, STATE_IMAGE_RESERVE_NAME, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                log_debug("state image %s: reserve: %m", shown);
                return;
        }
        /* as much of it as there is room for: the overlays are made */
        for (off_t n = STATE_IMAGE_RESERVE; n >= 4096; n /= 2)
                if (fallocate(fd, 0, 0, n) == 0)
                        return;
        log_debug("state image %s: no room for a reserve: %m", shown);
}

int state_image_usage(int fd, uint64_t *ret_used, uint64_t *ret_size) {
        struct statfs sf;

        if (fstatfs(fd, &sf) < 0)
                return -errno;
        *ret_size = (uint64_t) sf.f_blocks * (uint64_t) sf.f_bsize;
        *ret_used = (uint64_t) (sf.f_blocks - sf.f_bfree) * (uint64_t) sf.f_bsize;
        return 0;
}

/* The mount of the image's file system from image_fd, made at need. */
static int image_mount(int image_fd, StateImageFlags flags, const char *shown, const StateImageCrypt *crypt) {
        _cleanup_close_ int dev = -EBADF;
        char path[STATE_IMAGE_DEVICE_MAX];
        bool formatted;
        int mnt;

        dev = state_image_device(image_fd, flags, shown, path, sizeof(path));
        if (dev < 0)
                return dev;
        dev = state_image_crypt_device(TAKE_FD(dev), shown, crypt, path, sizeof(path), &formatted);
        if (dev < 0)
                return dev;
        /* a LUKS2 header over a blank image, its file system never made:
         * only an image made by image_create() is renamed into place */
        if (formatted)
                return log_error_errno(-EMEDIUMTYPE, "state image %s: was blank", shown);
        mnt = state_image_mount(path, flags | (crypt ? STATE_IMAGE_ENCRYPTED : 0), shown);
        if (mnt == -ENOSYS)
                return log_error_errno(-ENOSYS, "state image %s: the kernel has no fsopen(), which a sandbox with "
                                       "<state size=...> needs", shown);
        /* the mount holds the device now: closing it here leaves the loop
         * device to the mount alone, and autoclear to its end */
        return mnt;
}

int state_image_mount_at(int state, const char *shown, StateImageFlags flags, const StateImageCrypt *crypt) {
        _cleanup_close_ int image = state_image_open(state, shown);

        if (image < 0)
                return image;
        return image_mount(image, flags, shown, crypt);
}

/* A new image, made under STATE_IMAGE_NEW_NAME (what an interrupted
 * attempt left there goes first) and renamed to STATE_IMAGE_NAME once it
 * holds an ext4: its fd. */
static int image_create(int state, const char *shown, uint64_t size, const char *from, const StateImageCrypt *crypt) {
        _cleanup_close_ int fd = -EBADF, dev = -EBADF;
        char path[STATE_IMAGE_DEVICE_MAX];
        bool formatted;
        int r;

        if (unlinkat(state, STATE_IMAGE_NEW_NAME, 0) < 0 && errno != ENOENT)
                return log_error_errno(-errno, "state image %s: remove the unfinished %s: %m", shown,
                                       STATE_IMAGE_NEW_NAME);
        fd = openat(state, STATE_IMAGE_NEW_NAME, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "state image %s: create: %m", shown);
        /* sparse: the host's disk is taken as the service writes */
        if (ftruncate(fd, (off_t) size) < 0)
                r = log_error_errno(-errno, "state image %s: size it: %m", shown);
        else {
                dev = state_image_device(fd, 0, shown, path, sizeof(path));
                if (dev >= 0)
                        dev = state_image_crypt_device(TAKE_FD(dev), shown, crypt, path, sizeof(path), &formatted);
                r = dev < 0 ? dev : state_image_mkfs(path, from, crypt ? STATE_IMAGE_ENCRYPTED : 0, shown);
        }
        if (r >= 0 && fsync(fd) < 0)
                r = log_error_errno(-errno, "state image %s: %m", shown);
        if (r >= 0 && renameat(state, STATE_IMAGE_NEW_NAME, state, STATE_IMAGE_NAME) < 0)
                r = log_error_errno(-errno, "state image %s: %m", shown);
        if (r < 0) {
                (void) unlinkat(state, STATE_IMAGE_NEW_NAME, 0);
                return r;
        }
        return TAKE_FD(fd);
}

int state_image_prepare(int state, const char *shown, uint64_t size, const char *from, const StateImageCrypt *crypt) {
        _cleanup_close_ int image = -EBADF, dev = -EBADF, mnt = -EBADF;
        char path[STATE_IMAGE_DEVICE_MAX];
        bool formatted;
        struct stat st;
        bool fresh = false;
        int r;

        image = state_image_open(state, shown);
        if (image == -ENOENT)
                image = image_create(state, shown, size, from, crypt);
        if (image < 0)
                return image;
        if (fstat(image, &st) < 0)
                return log_error_errno(-errno, "state image %s: %m", shown);
        if ((uint64_t) st.st_size > size)
                return log_error_errno(-EFBIG, "state image %s: holds %llu bytes, more than the profile's <state size=...> "
                                       "of %llu; it is not shrunk (the service's files might not fit): give the size it "
                                       "has or more, or delete the sandbox's state (sandboxctl delete) to start afresh",
                                       shown, (unsigned long long) st.st_size, (unsigned long long) size);
        /* its LUKS2 mapping would have to grow with it, online */
        if (crypt && (uint64_t) st.st_size < size)
                return log_error_errno(-EOPNOTSUPP, "state image %s: holds %llu bytes, less than the profile's <state "
                                       "size=...> of %llu, and an encrypted state is not grown: give the size it has, "
                                       "or delete the sandbox's state (sandboxctl delete) to start afresh", shown,
                                       (unsigned long long) st.st_size, (unsigned long long) size);
        /* grown offline when no superblock of it is alive: the previous
         * instance's may still be going (then it is grown online) */
        if ((uint64_t) st.st_size < size)
                (void) state_image_wait_released(image, shown);
        if ((uint64_t) st.st_size < size && ftruncate(image, (off_t) size) < 0)
                return log_error_errno(-errno, "state image %s: grow it to %llu bytes: %m", shown,
                                       (unsigned long long) size);
        dev = device_open(image, 0, shown, path, sizeof(path), &fresh);
        if (dev < 0)
                return dev;
        dev = state_image_crypt_device(TAKE_FD(dev), shown, crypt, path, sizeof(path), &formatted);
        if (dev < 0)
                return dev;
        if (formatted)
                return log_error_errno(-EMEDIUMTYPE, "state image %s: was blank", shown);
        /* a file system grows offline when no superblock of it is alive,
         * else online once mounted; an encrypted one is never grown
         * (its size was checked above), and its superblock is not in
         * the image's bytes */
        r = crypt ? 0 : state_image_grow_offline(image, path, fresh, size, shown);
        if (r < 0)
                return r;
        mnt = state_image_mount(path, crypt ? STATE_IMAGE_ENCRYPTED : 0, shown);
        if (mnt == -ENOSYS)
                return log_error_errno(-ENOSYS, "state image %s: the kernel has no fsopen(), which a sandbox with "
                                       "<state size=...> needs", shown);
        if (mnt < 0)
                return mnt;
        closep(&dev);
        r = crypt ? 0 : state_image_grow_online(image, mnt, size, shown);
        if (r < 0)
                return r;
        /* the room the overlays' work directories are made in, even when
         * the service filled the rest */
        if (unlinkat(mnt, STATE_IMAGE_RESERVE_NAME, 0) < 0 && errno != ENOENT)
                return log_error_errno(-errno, "state image %s: free its reserve: %m", shown);
        return TAKE_FD(mnt);
}
