/* File-system-wide ioctls through a read-only mount: FIFREEZE, FITHAW,
 * FITRIM, the shutdown ("goingdown") ioctl of ext4, XFS, F2FS and btrfs,
 * the label, ext4's journal checkpoint. None looks at the mount's
 * read-only flag. fs-freeze DIR: DIR is a read-only mount of a file
 * system the host writes to. A freeze that got through is thawed. */
#include "probe.h"
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>

#ifndef FS_IOC_SHUTDOWN
#define FS_IOC_SHUTDOWN _IOR('X', 125, uint32_t)
#endif
#define EXT4_IOC_CHECKPOINT _IOW('f', 43, uint32_t)
/* FSOP_GOINGDOWN_NOSYNC */
#define GOINGDOWN_NOSYNC 2

int main(int argc, char *argv[]) {
        struct fstrim_range range = { .len = UINT64_MAX };
        char label[FSLABEL_MAX] = "escape";
        uint32_t how = GOINGDOWN_NOSYNC, checkpoint = 0;
        int fd, frozen;

        if (argc < 2)
                return 2;
        fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (step("open", fd) < 0)
                return 0;
        frozen = step("fifreeze", ioctl(fd, FIFREEZE, 0)) == 0;
        /* the kernel takes the request as an int: bits above 32 are
         * ignored by it, and must be by the filter */
        frozen |= step("fifreeze-high-bits", syscall(SYS_ioctl, fd, 0xffffffff00000000UL | FIFREEZE, 0)) == 0;
        step("fithaw", ioctl(fd, FITHAW, 0));
        step("fitrim", ioctl(fd, FITRIM, &range));
        step("fs-ioc-setfslabel", ioctl(fd, FS_IOC_SETFSLABEL, label));
        step("ext4-ioc-checkpoint", ioctl(fd, EXT4_IOC_CHECKPOINT, &checkpoint));
        step("fs-ioc-shutdown", ioctl(fd, FS_IOC_SHUTDOWN, &how));
        /* the host must not stay frozen, whatever happened above */
        while (frozen && ioctl(fd, FITHAW, 0) == 0)
                ;
        return 0;
}
