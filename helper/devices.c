/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Images and block devices: an image file is attached to a loop device
 * that clears itself when its mount goes (with the sandbox's mount
 * namespace); a block device appears in the sandbox's /dev under its own
 * name, with /dev/disk/by-tag/TAG pointing at it, so the service uses the
 * tag whatever the host calls the disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "devices.h"
#include "log.h"
#include "mount-util.h"

/* Returns the attached loop device's fd, its name in dev. */
static int loop_attach(const char *image, bool readonly, char *dev, size_t size) {
        _cleanup_close_ int ctl = -EBADF, file = -EBADF;
        struct loop_config config = {
                .info.lo_flags = LO_FLAGS_AUTOCLEAR | (readonly ? LO_FLAGS_READ_ONLY : 0),
        };

        file = open(image, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY);
        if (file < 0)
                return log_error_errno(-errno, "--image: %s: %m", image);
        ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
        if (ctl < 0)
                return log_error_errno(-errno, "--image: %s: open /dev/loop-control: %m", image);
        config.fd = (unsigned) file;
        /* another program may take the free device first: try again */
        for (unsigned tries = 0; tries < 16; tries++) {
                _cleanup_close_ int loop = -EBADF;
                int n = ioctl(ctl, LOOP_CTL_GET_FREE);

                if (n < 0)
                        return log_error_errno(-errno, "--image: %s: no free loop device: %m", image);
                snprintf(dev, size, "/dev/loop%d", n);
                loop = open(dev, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
                if (loop < 0)
                        return log_error_errno(-errno, "--image: %s: open %s: %m", image, dev);
                /* the caller keeps it open until mounted: with AUTOCLEAR
                 * the last close before then would detach it */
                if (ioctl(loop, LOOP_CONFIGURE, &config) == 0)
                        return TAKE_FD(loop);
                if (errno != EBUSY)
                        return log_error_errno(-errno, "--image: %s: attach to %s: %m", image, dev);
        }
        return log_error_errno(-EBUSY, "--image: %s: every free loop device was taken first", image);
}

/* As mount(8) does without a type: each block file system the kernel has
 * (/proc/filesystems), until one takes the device; the others refuse a
 * superblock that is not theirs. -ENOENT when none does. */
static int mount_any_type(const char *dev, const char *target, unsigned long flags, char *type, size_t size) {
        _cleanup_fclose_ FILE *f = fopen("/proc/filesystems", "re");
        char line[128];

        if (!f)
                return -errno;
        while (fgets(line, sizeof(line), f)) {
                char *name = line + strspn(line, "\t");

                if (strncmp(line, "nodev", 5) == 0)
                        continue;
                name[strcspn(name, "\n")] = 0;
                if (!*name)
                        continue;
                snprintf(type, size, "%s", name);
                if (mount(dev, target, type, flags, NULL) == 0)
                        return 0;
                /* wrong type: EINVAL; a superblock it cannot read: others */
                if (errno != EINVAL && errno != ENOTBLK && errno != ENODEV && errno != EIO && errno != EUCLEAN &&
                    errno != ENOEXEC && errno != EBADMSG)
                        return -errno;
        }
        snprintf(type, size, "unknown");
        return -ENOENT;
}

int image_mount(int root, const char *image, const char *target, bool readonly) {
        _cleanup_close_ int dst = -EBADF, loop = -EBADF;
        char dev[64], type[64], d[FD_PATH_MAX];
        int r;

        loop = loop_attach(image, readonly, dev, sizeof(dev));
        if (loop < 0)
                return loop;
        dst = open_in_root(root, target, CREATE_DIR, "--image");
        if (dst < 0)
                return dst;
        fd_path(dst, d);
        r = mount_any_type(dev, d, MS_NOSUID | MS_NODEV | (readonly ? MS_RDONLY : 0), type, sizeof(type));
        if (r == -ENOENT)
                return log_error_errno(-EINVAL, "--image: %s: no file system this kernel can mount is in it", image);
        if (r < 0)
                return log_error_errno(r, "--image: mount %s (%s on %s) on %s: %m", image, type, dev, target);
        log_debug("--image: %s is %s, on %s", image, type, dev);
        return 0;
}

int block_devices_prepare(const char *rundir, char *dir, size_t size) {
        snprintf(dir, size, "%s/devices", rundir);
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "--block: create %s: %m", dir);
        /* the one tmpfs here that may hold device nodes: the nodes made
         * for the sandbox, with modes of their own */
        return mount_logged("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0700,size=4k");
}

int block_device_add(int root, const char *dir, const char *tag, const char *device, bool readonly, unsigned owner) {
        _cleanup_close_ int bytag = -EBADF;
        _cleanup_free_ char *real = NULL;
        const char *base;
        char node[4200], in_root[300], link[300];
        struct stat st;
        int r;

        /* by the kernel's name: /dev/disk/by-id/... are links */
        real = realpath(device, NULL);
        if (!real || stat(real, &st) < 0)
                return log_error_errno(-errno, "--block: %s: %m", device);
        if (!S_ISBLK(st.st_mode))
                return log_error_errno(-ENOTBLK, "--block: %s is not a block device", device);
        base = strrchr(real, '/') + 1;
        snprintf(node, sizeof(node), "%s/%s", dir, base);
        /* read-only: a node root can open only for reading, unless the
         * service keeps CAP_DAC_OVERRIDE */
        if (mknod(node, S_IFBLK | (readonly ? 0440 : 0660), st.st_rdev) < 0) {
                struct stat had;

                if (errno != EEXIST || stat(node, &had) < 0)
                        return log_error_errno(-errno, "--block: make a node for %s: %m", device);
                /* one node per device: a second tag must agree on read-only */
                if ((had.st_mode & 0777) != (readonly ? 0440 : 0660))
                        return log_error_errno(-EINVAL, "--block: %s is given both read-only and writable", real);
                snprintf(link, sizeof(link), "../../%s", base);
                goto link;
        }
        if (chmod(node, readonly ? 0440 : 0660) < 0)
                return log_error_errno(-errno, "--block: %s: %m", node);
        /* root's in the sandbox: in a user namespace of its own, its range's */
        if (owner && chown(node, owner, owner) < 0)
                return log_error_errno(-errno, "--block: %s: %m", node);
        snprintf(in_root, sizeof(in_root), "/dev/%s", base);
        /* the node itself keeps working: a bind of a device node keeps
         * nodes usable, and holds no other */
        r = bind_in_root(root, node, in_root, MS_NOSUID | MS_NOEXEC | (readonly ? MS_RDONLY : 0), "--block");
        if (r < 0)
                return r;
link:
        bytag = open_in_root(root, "/dev/disk/by-tag", CREATE_DIR, "--block");
        if (bytag < 0)
                return bytag;
        snprintf(link, sizeof(link), "../../%s", base);
        if (symlinkat(link, bytag, tag) < 0)
                return log_error_errno(-errno, "--block: link /dev/disk/by-tag/%s: %m", tag);
        log_debug("block device %s (%u:%u) as /dev/disk/by-tag/%s", device, major(st.st_rdev), minor(st.st_rdev), tag);
        return 0;
}
