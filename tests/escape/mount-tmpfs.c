/* Mount a tmpfs, over a directory of the read-only root and over a
 * directory of the sandbox's own /tmp; and make a new mount namespace to
 * mount in. */
#include "probe.h"
#include <sched.h>
#include <sys/mount.h>

int main(void) {
        mkdir("/tmp/mnt", 0755);
        step("tmpfs-on-usr", mount("tmpfs", "/usr", "tmpfs", 0, "size=1M"));
        step("tmpfs-on-tmp", mount("tmpfs", "/tmp/mnt", "tmpfs", 0, "size=1M"));
        step("unshare-mount-ns", unshare(CLONE_NEWNS));
        return 0;
}
