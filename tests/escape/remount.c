/* Remount a read-only mount point read-write (argv[1], default "/"), by
 * the old mount(2) call and by mount_setattr(2), then write under it. */
#include "probe.h"
#include <sys/mount.h>

int main(int argc, char **argv) {
        const char *target = argc > 1 ? argv[1] : "/";
        struct mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY };
        char file[4096];

        step("remount-bind-rw", mount(NULL, target, NULL, MS_REMOUNT | MS_BIND, NULL));
        step("remount-rw", mount(NULL, target, NULL, MS_REMOUNT, NULL));
        step("setattr-rw", mount_setattr(AT_FDCWD, target, AT_RECURSIVE, &attr, sizeof(attr)));
        /* whatever the calls said, the mount must still refuse writes
         * where it did before; argv[2] names a file to write, or to
         * create when there is none */
        if (argc > 2) {
                snprintf(file, sizeof(file), "%s", argv[2]);
                step("write-after", open_write(file, access(file, F_OK) == 0 ? 0 : O_CREAT | O_EXCL));
        }
        return 0;
}
