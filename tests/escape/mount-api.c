/* The new mount API: a detached clone of / (writable copy of the tree),
 * a fresh file system context, and reconfiguring the root's superblock. */
#include "probe.h"
#include <sys/mount.h>

int main(void) {
        int fd;

        fd = open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | AT_RECURSIVE | OPEN_TREE_CLOEXEC);
        step("open-tree-clone", fd);
        if (fd >= 0) {
                struct mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY };
                step("clone-setattr-rw", mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)));
                mkdir("/tmp/tree", 0755);
                step("clone-move-mount", move_mount(fd, "", AT_FDCWD, "/tmp/tree", MOVE_MOUNT_F_EMPTY_PATH));
        }
        step("fsopen-tmpfs", fsopen("tmpfs", FSOPEN_CLOEXEC));
        fd = fspick(AT_FDCWD, "/", FSPICK_CLOEXEC);
        step("fspick-root", fd);
        return 0;
}
