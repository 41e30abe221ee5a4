/* Mount another proc (one without the masks and read-only parts), and a
 * sysfs and devtmpfs (the host's devices). */
#include "probe.h"
#include <sys/mount.h>

int main(void) {
        mkdir("/tmp/proc", 0755);
        mkdir("/tmp/sys", 0755);
        mkdir("/tmp/dev", 0755);
        step("proc", mount("proc", "/tmp/proc", "proc", 0, NULL));
        step("sysfs", mount("sysfs", "/tmp/sys", "sysfs", 0, NULL));
        step("devtmpfs", mount("devtmpfs", "/tmp/dev", "devtmpfs", 0, NULL));
        return 0;
}
