/* Load a kernel module, from memory and from a file. The image is not a
 * module: the capability check comes first, so a refusal says EPERM;
 * with the capability the kernel would reject the image instead. */
#include "probe.h"

int main(void) {
        static const char junk[128] = "\177ELF not a module";
        int fd;

        step("init-module", syscall(SYS_init_module, junk, sizeof(junk), ""));
        fd = open("/tmp/escape.ko", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0 && write(fd, junk, sizeof(junk)) == (ssize_t) sizeof(junk)) {
                close(fd);
                fd = open("/tmp/escape.ko", O_RDONLY | O_CLOEXEC);
        }
        if (fd < 0)
                fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        step("finit-module", syscall(SYS_finit_module, fd, "", 0));
        return 0;
}
