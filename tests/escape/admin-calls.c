/* Calls a service has no use for that act on the whole host or are old
 * kernel surface: quotas of a host file system (quotactl, quotactl_fd),
 * hanging up the terminal (vhangup), a.out libraries (uselib),
 * lookup_dcookie, nfsservctl, and open_tree_attr(), the mount call of
 * Linux 6.15 that clones a tree and changes its flags at once (a
 * writable copy of the read-only /). Each where nothing breaks if it
 * gets through. admin-calls detect: only whether the kernel has
 * open_tree_attr() (ENOSYS, or another error for its bad arguments). */
#include "probe.h"
#include <stdint.h>
#include <sys/quota.h>

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
#define OPEN_TREE_CLONE_FLAG 1
#define AT_RECURSIVE_FLAG 0x8000
/* struct mount_attr, for the read-only flag cleared on the clone */
struct mount_attr_abi {
        uint64_t attr_set, attr_clr, propagation, userns_fd;
};

int main(int argc, char *argv[]) {
        struct mount_attr_abi attr = { .attr_clr = 0x1 /* MOUNT_ATTR_RDONLY */ };
        struct if_dqinfo info;
        long fd;
        int root;

        if (argc > 1 && strcmp(argv[1], "detect") == 0) {
                step("open-tree-attr-exists", syscall(SYS_open_tree_attr, -1, "", ~0U, NULL, 0));
                return 0;
        }
        root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        step("quotactl", quotactl(QCMD(Q_GETINFO, USRQUOTA), "/dev/root", 0, (caddr_t) &info));
        step("quotactl-fd", syscall(SYS_quotactl_fd, root, QCMD(Q_GETINFO, USRQUOTA), 0, &info));
        step("vhangup", vhangup());
        step("uselib", syscall(SYS_uselib, "/nonexistent-library"));
        step("lookup-dcookie", syscall(SYS_lookup_dcookie, 0, NULL, 0));
        step("nfsservctl", syscall(SYS_nfsservctl, 0, NULL, NULL));
        fd = syscall(SYS_open_tree_attr, AT_FDCWD, "/", OPEN_TREE_CLONE_FLAG | AT_RECURSIVE_FLAG | O_CLOEXEC, &attr,
                     sizeof(attr));
        step("open-tree-attr-clone-rw", fd);
        if (fd >= 0) {
                long w = openat((int) fd, "escape-open-tree-attr", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

                step("write-through-clone", w);
                if (w >= 0) {
                        close((int) w);
                        unlinkat((int) fd, "escape-open-tree-attr", 0);
                }
        }
        return 0;
}
