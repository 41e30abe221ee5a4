/* reboot(2), with a second magic number that is wrong on purpose: the
 * capability check comes first (EPERM), with it the call stops at the
 * magic (EINVAL). */
#include "probe.h"
#include <linux/reboot.h>

int main(void) {
        step("reboot", syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0x12345678, LINUX_REBOOT_CMD_CAD_OFF, NULL));
        return 0;
}
