/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The removal of a sandbox's state (tree_remove(), state.h): the deepest
 * entries first, each with unlinkat() below the descriptor of its own
 * directory, so that every step leaves a tree, only smaller, that the
 * next "sandboxctl delete" walks and removes as it would the whole. No
 * mark is left anywhere. A service with CAP_LINUX_IMMUTABLE may have made
 * files immutable or append-only, which root cannot remove either: the
 * flags are cleared on the way, a directory's before its entries are
 * removed, a file's when its removal is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "state-walk.h"
#include "state.h"

/* file_getattr(2) and file_setattr(2), Linux 6.17: the flags of any
 * inode by name, which also reach those that cannot be opened for an
 * ioctl (device nodes, fifos, sockets, symbolic links) */
#if !defined(__NR_file_getattr) && !defined(__alpha__) && !defined(__mips__)
#define __NR_file_getattr 468
#define __NR_file_setattr 469
#endif
/* struct file_attr of <linux/fs.h> from 6.17 on, its first version */
struct file_attr_v0 {
        uint64_t fa_xflags;
        uint32_t fa_extsize, fa_nextents, fa_projid, fa_cowextsize;
};

#define FLAGS_IN_THE_WAY (FS_IMMUTABLE_FL | FS_APPEND_FL)

/* Clears the immutable and append-only flags of the open file fd: 1 when
 * it had one, 0 when not (or the file system has no such flags), -errno. */
static int clear_flags_fd(int fd) {
        int flags;

        if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
                return errno == ENOTTY || errno == EOPNOTSUPP || errno == EINVAL ? 0 : -errno;
        if (!(flags & FLAGS_IN_THE_WAY))
                return 0;
        flags &= ~FLAGS_IN_THE_WAY;
        if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
                return -errno;
        return 1;
}

/* The same for an entry that is not opened: by name. */
static int clear_flags_at(int dir, const char *name) {
#ifdef __NR_file_getattr
        struct file_attr_v0 a = {};

        if (syscall(__NR_file_getattr, dir, name, &a, sizeof(a), AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOSYS || errno == EOPNOTSUPP || errno == ENOTTY || errno == EINVAL ? 0 : -errno;
        if (!(a.fa_xflags & (FS_XFLAG_IMMUTABLE | FS_XFLAG_APPEND)))
                return 0;
        a.fa_xflags &= ~(uint64_t) (FS_XFLAG_IMMUTABLE | FS_XFLAG_APPEND);
        if (syscall(__NR_file_setattr, dir, name, &a, sizeof(a), AT_SYMLINK_NOFOLLOW) < 0)
                return -errno;
        return 1;
#else
        return 0;
#endif
}

/* Clears the flags of the non-directory e: 1 when there were some. */
static int clear_entry_flags(const StateEntry *e) {
        _cleanup_close_ int fd = -EBADF;

        if (!S_ISREG(e->st.st_mode))
                return clear_flags_at(e->dir, e->name);
        fd = state_entry_open(e);
        if (fd < 0)
                return fd == -ENOENT ? 0 : fd;
        return clear_flags_fd(fd);
}

static int remove_entry(const StateEntry *e, _unused_ void *userdata) {
        int r;

        if (e->other_mount)
                return state_log_error(-EBUSY, "delete", e->path, "another file system is mounted there; refusing to "
                                       "delete into it (unmount it first)");
        switch (e->event) {
        case STATE_ENTER:
                /* its entries cannot be removed while it is immutable or
                 * append-only, nor it itself */
                r = clear_flags_fd(e->fd);
                return r < 0 ? state_log_error(r, "delete", e->path, "clear its immutable or append-only flag") : 0;
        case STATE_LEAVE:
                if (unlinkat(e->dir, e->name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                        return state_log_error(-errno, "delete", e->path, NULL);
                return 0;
        case STATE_ENTRY:
                break;
        }
        if (unlinkat(e->dir, e->name, 0) == 0 || errno == ENOENT)
                return 0;
        if (errno != EPERM)
                return state_log_error(-errno, "delete", e->path, NULL);
        r = clear_entry_flags(e);
        if (r < 0)
                return state_log_error(r, "delete", e->path, "it cannot be removed, and its immutable or append-only "
                                       "flag (chattr +i, +a) could not be cleared");
        if (r == 0)
                return state_log_error(-EPERM, "delete", e->path, NULL);
        if (unlinkat(e->dir, e->name, 0) < 0 && errno != ENOENT)
                return state_log_error(-errno, "delete", e->path, "with its immutable and append-only flags cleared");
        return 0;
}

int tree_remove(int dir, const char *name, const char *shown) {
        return state_walk(dir, name, shown, "delete", remove_entry, NULL);
}
