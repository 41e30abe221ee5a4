/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/ioctl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "log.h"
#include "macro.h"
#include "seccomp-args.h"
#include "seccomp-rules.h"

/* The numbers of ioctls whose headers are the kernel's own (ext4, XFS,
 * F2FS) or newer than the C library's: the structures only for their
 * sizes, which are part of each number. */
struct ext4_new_group_input_abi {
        uint32_t group;
        uint64_t block_bitmap, inode_bitmap, inode_table;
        uint32_t blocks_count;
        uint16_t reserved_blocks, unused;
};
struct ext4_fsuuid_abi {
        uint32_t fsu_len, fsu_flags;
};
struct xfs_growfs_data_abi {
        uint64_t newblocks;
        uint32_t imaxpct;
};
struct xfs_growfs_log_abi {
        uint32_t newblocks, isint;
};
struct xfs_growfs_rt_abi {
        uint64_t newblocks;
        uint32_t extsize;
};
struct xfs_fsop_resblks_abi {
        uint64_t resblks, resblks_avail;
};

/* EXT4_IOC_SHUTDOWN, XFS_IOC_GOINGDOWN, F2FS_IOC_SHUTDOWN and btrfs's:
 * one number */
#ifndef FS_IOC_SHUTDOWN
#define FS_IOC_SHUTDOWN _IOR('X', 125, uint32_t)
#endif

/* Each acts on a whole file system, and many do not look at the mount's
 * read-only flag: through a read-only bind of the host's / they freeze,
 * shut down or discard the host's. A service has no business with any. */
static const unsigned long fs_admin_ioctls[] = {
        FIFREEZE,
        FITHAW,
        FITRIM,
        FS_IOC_SHUTDOWN,
        FS_IOC_SETFSLABEL,                          /* also BTRFS_IOC_SET_FSLABEL */
        FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS,     /* every user's fscrypt keys */
        _IOW('f', 7, unsigned long),                /* EXT4_IOC_GROUP_EXTEND */
        _IOW('f', 8, struct ext4_new_group_input_abi), /* EXT4_IOC_GROUP_ADD */
        _IOW('f', 16, uint64_t),                    /* EXT4_IOC_RESIZE_FS */
        _IO('f', 17),                               /* EXT4_IOC_SWAP_BOOT (the boot loader inode) */
        _IOW('f', 43, uint32_t),                    /* EXT4_IOC_CHECKPOINT (discards the journal) */
        _IOW('f', 44, struct ext4_fsuuid_abi),      /* EXT4_IOC_SETFSUUID */
        _IOW('X', 110, struct xfs_growfs_data_abi), /* XFS_IOC_FSGROWFSDATA */
        _IOW('X', 111, struct xfs_growfs_log_abi),  /* XFS_IOC_FSGROWFSLOG */
        _IOW('X', 112, struct xfs_growfs_rt_abi),   /* XFS_IOC_FSGROWFSRT */
        _IOWR('X', 114, struct xfs_fsop_resblks_abi), /* XFS_IOC_SET_RESBLKS */
        _IOW(0xf5, 16, uint64_t),                   /* F2FS_IOC_RESIZE_FS */
        BTRFS_IOC_RESIZE,
        BTRFS_IOC_ADD_DEV,
        BTRFS_IOC_RM_DEV,
        BTRFS_IOC_RM_DEV_V2,
        BTRFS_IOC_SCRUB,
        BTRFS_IOC_SCRUB_CANCEL,
        BTRFS_IOC_DEV_REPLACE,
        BTRFS_IOC_BALANCE_V2,
        BTRFS_IOC_BALANCE_CTL,
        BTRFS_IOC_QUOTA_CTL,
        BTRFS_IOC_QUOTA_RESCAN,
        BTRFS_IOC_SET_FEATURES,
};

/* A terminal passed in from outside is the admin's: TIOCSTI types into
 * it, TIOCLINUX pastes a console selection into it, TIOCCONS takes the
 * console's output. */
static const unsigned long tty_inject_ioctls[] = {
        TIOCSTI,
        TIOCLINUX,
        TIOCCONS,
};

/* The calls that take a mode for a new file or a file's new mode: the
 * argument with the mode, and the one with open()'s flags (-1: none) */
static const struct {
        const char *name;
        int flags_arg;
        unsigned mode_arg;
} mode_calls[] = {
        { "chmod", -1, 1 },   { "fchmod", -1, 1 }, { "fchmodat", -1, 2 }, { "fchmodat2", -1, 2 },
        { "mknod", -1, 1 },   { "mknodat", -1, 2 }, { "creat", -1, 1 },
        { "open", 1, 2 },     { "openat", 2, 3 },
};

int seccomp_arg_rule_add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
                         const struct scmp_arg_cmp *cmp) {
        int nr = seccomp_syscall_number(name);
        int r;

        if (nr == __NR_SCMP_ERROR)
                return log_error_errno(-EINVAL, "seccomp: unknown system call %s", name);
        /* a call this architecture does not have (a negative number) needs no rule */
        r = seccomp_rule_add_array(ctx, action, nr, n, cmp);
        if (r < 0)
                return log_error_errno(r, "seccomp: the argument rule for %s: %m", name);
        return 0;
}

/* ioctl() takes its request as an int in the kernel: only the low 32
 * bits count, whatever a caller's sign extension put above them */
static int add_ioctls(scmp_filter_ctx ctx, uint32_t action, const unsigned long *reqs, size_t n) {
        for (size_t i = 0; i < n; i++) {
                const struct scmp_arg_cmp cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, UINT32_MAX, (uint32_t) reqs[i]);
                int r = seccomp_arg_rule_add(ctx, action, "ioctl", 1, &cmp);

                if (r < 0)
                        return r;
        }
        return 0;
}

/* No file may be made set-user-ID or set-group-ID: it would keep the bit
 * on the host, where another mount of the same directory honours it.
 * open(), openat() and creat() only when they create (O_CREAT, or
 * O_TMPFILE, whose file can be linked in later); mkdir() takes no
 * S_ISUID and inherits S_ISGID from the parent, which is a chmod()'s. */
static int add_setid(scmp_filter_ctx ctx, uint32_t action, seccomp_has_rule_t has_rule, void *userdata) {
        static const unsigned bits[] = { S_ISUID, S_ISGID };
        static const unsigned creating[] = { O_CREAT, O_TMPFILE };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(mode_calls); i++) {
                if (has_rule(userdata, mode_calls[i].name))
                        continue;
                for (size_t b = 0; b < ELEMENTSOF(bits); b++) {
                        struct scmp_arg_cmp cmp[2] = {
                                SCMP_CMP(mode_calls[i].mode_arg, SCMP_CMP_MASKED_EQ, bits[b], bits[b]),
                        };

                        if (mode_calls[i].flags_arg < 0) {
                                r = seccomp_arg_rule_add(ctx, action, mode_calls[i].name, 1, cmp);
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        for (size_t f = 0; f < ELEMENTSOF(creating); f++) {
                                cmp[1] = SCMP_CMP((unsigned) mode_calls[i].flags_arg, SCMP_CMP_MASKED_EQ,
                                                  creating[f], creating[f]);
                                r = seccomp_arg_rule_add(ctx, action, mode_calls[i].name, 2, cmp);
                                if (r < 0)
                                        return r;
                        }
                }
        }
        /* openat2() has its mode in a structure, which a filter cannot
         * read: ENOSYS, so that the C library and the helper's own code
         * fall back to openat(), whose mode it can */
        if (!has_rule(userdata, "openat2"))
                return seccomp_arg_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL);
        return 0;
}

/* socket(2) of an address family: AF_VSOCK reaches the hypervisor and
 * other guests whatever the sandbox's network namespace; AF_ALG is the
 * kernel's crypto API, a surface of its own. The family is an int. */
static int add_family(scmp_filter_ctx ctx, uint32_t action, int family) {
        const struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, UINT32_MAX, (uint32_t) family);

        return seccomp_arg_rule_add(ctx, action, "socket", 1, &cmp);
}

int seccomp_args_add(scmp_filter_ctx ctx, const char *name, uint32_t action, seccomp_has_rule_t has_rule,
                     void *userdata) {
        if (streq(name, "@setid"))
                return add_setid(ctx, action, has_rule, userdata);
        if (streq(name, "@af-alg") || streq(name, "@af-vsock"))
                return has_rule(userdata, "socket") ? 0 :
                        add_family(ctx, action, streq(name, "@af-alg") ? AF_ALG : AF_VSOCK);
        /* the ioctl sets: an allow or deny of ioctl itself replaces them */
        if (has_rule(userdata, "ioctl"))
                return 0;
        if (streq(name, "@fs-admin"))
                return add_ioctls(ctx, action, fs_admin_ioctls, ELEMENTSOF(fs_admin_ioctls));
        if (streq(name, "@tty-inject"))
                return add_ioctls(ctx, action, tty_inject_ioctls, ELEMENTSOF(tty_inject_ioctls));
        return log_error_errno(-EINVAL, "seccomp: no argument rules for %s", name);
}
