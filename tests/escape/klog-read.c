/* The kernel log through syslog(2): the host's messages and kernel
 * addresses. Its size, the unread count, then a read that leaves the
 * log as it is. */
#include "probe.h"
#include <sys/klog.h>

int main(void) {
        static char buf[4096];

        step("syslog-size", klogctl(10, NULL, 0));
        step("syslog-unread", klogctl(9, NULL, 0));
        step("syslog-read-all", klogctl(3, buf, sizeof(buf)));
        return 0;
}
