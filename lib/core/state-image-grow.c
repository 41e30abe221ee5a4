/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A capped state whose profile's size grew: the image file is made
 * larger first (sparse), then its ext4. Offline where nothing has it
 * mounted, with resize2fs, which needs no capability beyond writing the
 * device; online where a superblock of it is alive (a previous instance
 * whose teardown has not ended), with the ioctl resize2fs itself uses on
 * a mounted file system.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "log.h"
#include "state-image.h"

/* <linux/ext4.h> is not installed everywhere; the number is the ABI */
#ifndef EXT4_IOC_RESIZE_FS
#define EXT4_IOC_RESIZE_FS _IOW('f', 16, uint64_t)
#endif

#define EXT4_VALID_FS 0x0001
#define EXT4_ERROR_FS 0x0002
#define EXT4_INCOMPAT_RECOVER 0x0004
#define EXT4_INCOMPAT_64BIT 0x0080

typedef struct Super {
        uint64_t blocks, block_size;
        bool clean; /* unmounted cleanly, without errors, no journal to replay */
} Super;

/* The ext4 superblock as the image holds it (a grow is written there at
 * once, through the loop device and the image's page cache). */
static int read_super(int image, Super *ret) {
        uint8_t sb[1024];
        uint32_t lo, hi = 0, log_size, incompat;
        uint16_t state, magic;

        if (pread(image, sb, sizeof(sb), 1024) != (ssize_t) sizeof(sb))
                return -EIO;
        memcpy(&magic, sb + 0x38, 2);
        if (le16toh(magic) != 0xEF53)
                return -EMEDIUMTYPE;
        memcpy(&lo, sb + 0x04, 4);
        memcpy(&log_size, sb + 0x18, 4);
        memcpy(&state, sb + 0x3A, 2);
        memcpy(&incompat, sb + 0x60, 4);
        if (le32toh(incompat) & EXT4_INCOMPAT_64BIT)
                memcpy(&hi, sb + 0x150, 4);
        if (le32toh(log_size) > 6)
                return -EMEDIUMTYPE;
        *ret = (Super) {
                .blocks = (uint64_t) le32toh(hi) << 32 | le32toh(lo),
                .block_size = UINT64_C(1024) << le32toh(log_size),
                .clean = (le16toh(state) & (EXT4_VALID_FS | EXT4_ERROR_FS)) == EXT4_VALID_FS &&
                         !(le32toh(incompat) & EXT4_INCOMPAT_RECOVER),
        };
        return 0;
}

int state_image_grow_offline(int image, const char *dev, bool alone, uint64_t size, const char *shown) {
        static const char *const resize2fs[] = { "/usr/sbin/resize2fs", "/sbin/resize2fs", NULL };
        /* -f: a clean file system whose last check is older than its last
         * mount is grown all the same; one not clean is not grown here */
        char *argv[] = { (char *) "resize2fs", (char *) "-f", (char *) dev, NULL };
        Super sb;
        int r;

        r = read_super(image, &sb);
        if (r < 0)
                return log_error_errno(r, "state image %s: read its superblock: %m", shown);
        if (size / sb.block_size <= sb.blocks || !alone || !sb.clean)
                return 0;
        r = state_image_exec(resize2fs, argv, shown);
        if (r < 0)
                return r;
        log_info("state image %s: grown from %llu to %llu bytes", shown,
                 (unsigned long long) (sb.blocks * sb.block_size), (unsigned long long) size);
        return 1;
}

int state_image_grow_online(int image, int mnt, uint64_t size, const char *shown) {
        _cleanup_close_ int dir = -EBADF;
        uint64_t want;
        Super sb;
        int r;

        r = read_super(image, &sb);
        if (r < 0)
                return log_error_errno(r, "state image %s: read its superblock: %m", shown);
        want = size / sb.block_size;
        if (want <= sb.blocks)
                return 0;
        dir = openat(mnt, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return log_error_errno(-errno, "state image %s: %m", shown);
        if (ioctl(dir, EXT4_IOC_RESIZE_FS, &want) < 0)
                return log_error_errno(-errno, "state image %s: grow its file system to %llu bytes: %m%s", shown,
                                       (unsigned long long) size, errno == EPERM ? " (it takes CAP_SYS_RESOURCE)" : "");
        log_info("state image %s: grown from %llu to %llu bytes, online", shown,
                 (unsigned long long) (sb.blocks * sb.block_size), (unsigned long long) (want * sb.block_size));
        return 0;
}
