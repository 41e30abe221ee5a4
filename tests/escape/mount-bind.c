/* Bind mounts: / again somewhere writable (a second, writable view of the
 * host), the sandbox's /tmp over /usr, and a move of /tmp. */
#include "probe.h"
#include <sys/mount.h>

int main(void) {
        mkdir("/tmp/root", 0755);
        step("bind-root", mount("/", "/tmp/root", NULL, MS_BIND | MS_REC, NULL));
        step("bind-over-usr", mount("/tmp", "/usr", NULL, MS_BIND, NULL));
        step("move-tmp", mount("/tmp", "/tmp/root", NULL, MS_MOVE, NULL));
        return 0;
}
