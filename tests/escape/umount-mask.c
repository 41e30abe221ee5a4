/* Unmount what hides or protects something: the mask over /etc/shadow,
 * the read-only /proc/sys, /sys and the sandbox's /proc; then read the
 * secret again. */
#include "probe.h"
#include <sys/mount.h>

int main(void) {
        step("umount-shadow-mask", umount2("/etc/shadow", MNT_DETACH));
        step("umount-proc-sys", umount2("/proc/sys", MNT_DETACH));
        step("umount-sys", umount2("/sys", MNT_DETACH));
        step("umount-proc", umount2("/proc", MNT_DETACH));
        step("read-shadow-after", open("/etc/shadow", O_RDONLY | O_CLOEXEC));
        return 0;
}
