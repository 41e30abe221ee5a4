/* Make device nodes for the host's disk (the device of the root file
 * system) and for kernel memory, then open the disk; and open the
 * disk's own node in /dev. */
#include "probe.h"
#include <limits.h>
#include <sys/sysmacros.h>

int main(void) {
        struct stat st;
        char path[PATH_MAX + 8], link[PATH_MAX], *base;
        ssize_t n;

        if (stat("/", &st) < 0)
                return 2;
        say("root-device", "%u:%u", major(st.st_dev), minor(st.st_dev));
        step("mknod-disk", mknod("/tmp/disk", S_IFBLK | 0600, st.st_dev));
        step("open-disk-node", open("/tmp/disk", O_RDWR | O_CLOEXEC));
        step("mknod-mem", mknod("/tmp/mem", S_IFCHR | 0600, makedev(1, 1)));
        step("mknod-in-dev", mknod("/dev/escape-disk", S_IFBLK | 0600, st.st_dev));
        /* the disk's name, from sysfs: /dev/NAME must not be there */
        snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(st.st_dev), minor(st.st_dev));
        n = readlink(path, link, sizeof(link) - 1);
        if (n > 0) {
                link[n] = 0;
                base = strrchr(link, '/');
                snprintf(path, sizeof(path), "/dev/%s", base ? base + 1 : link);
                say("disk-name", "%s", path);
                step("open-dev-disk", open(path, O_RDWR | O_CLOEXEC));
        }
        return 0;
}
