/* Device nodes made in writable places of the sandbox: for each
 * directory given, a block node of the host's root disk (the device of
 * the root file system) and a character node of /dev/kmsg (1:11), each
 * opened once made, and removed again. The open is what nodev refuses
 * (EACCES); with CAP_MKNOD the mknod itself succeeds. */
#include "probe.h"
#include <sys/sysmacros.h>

static void try_node(const char *dir, const char *kind, mode_t type, dev_t dev, int flags) {
        char path[4096];

        snprintf(path, sizeof(path), "%s/escape-node-%s", dir, kind);
        if (stepf(mknod(path, type | 0600, dev), "mknod-%s:%s", kind, dir) < 0)
                return;
        int fd = open(path, flags | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        stepf(fd, "open-%s:%s", kind, dir);
        if (fd >= 0) {
                char c;
                /* a read is what the node would give */
                stepf(read(fd, &c, 1), "read-%s:%s", kind, dir);
                close(fd);
        }
        unlink(path);
}

int main(int argc, char *argv[]) {
        struct stat st;

        if (stat("/", &st) < 0)
                return 2;
        say("root-device", "%u:%u", major(st.st_dev), minor(st.st_dev));
        for (int i = 1; i < argc; i++) {
                try_node(argv[i], "blk", S_IFBLK, st.st_dev, O_RDWR);
                try_node(argv[i], "chr", S_IFCHR, makedev(1, 11), O_RDONLY);
        }
        return 0;
}
