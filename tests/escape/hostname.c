/* Rename the host: sethostname(2) and setdomainname(2), and the same
 * through /proc/sys/kernel. argv[1] is the name to set. */
#include "probe.h"

int main(int argc, char **argv) {
        const char *name = argc > 1 ? argv[1] : "escape";

        step("sethostname", sethostname(name, strlen(name)));
        step("setdomainname", setdomainname(name, strlen(name)));
        step("proc-hostname", open_write("/proc/sys/kernel/hostname", 0));
        step("proc-domainname", open_write("/proc/sys/kernel/domainname", 0));
        return 0;
}
