/* io_uring: its operations (openat, connect, ...) are done by the kernel
 * without a system call a filter would see, and it has been a steady
 * source of kernel bugs. The calls on no ring at all: the filter's EPERM
 * comes before the kernel's EBADF or EFAULT. */
#include "probe.h"
#include <linux/io_uring.h>

int main(void) {
        struct io_uring_params p = { 0 };
        long fd = syscall(SYS_io_uring_setup, 8, &p);

        step("io-uring-setup", fd);
        step("io-uring-enter", syscall(SYS_io_uring_enter, fd >= 0 ? fd : -1, 0, 0, 0, NULL, 0));
        step("io-uring-register", syscall(SYS_io_uring_register, fd >= 0 ? fd : -1, IORING_REGISTER_PROBE, NULL, 0));
        if (fd >= 0)
                close((int) fd);
        return 0;
}
