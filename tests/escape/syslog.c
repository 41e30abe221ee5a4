/* Read the kernel log (host addresses, other tenants' messages). */
#include "probe.h"
#include <sys/klog.h>

int main(void) {
        static char buf[4096];

        step("syslog-read-all", klogctl(3, buf, sizeof(buf)));
        step("syslog-size", klogctl(10, NULL, 0));
        return 0;
}
