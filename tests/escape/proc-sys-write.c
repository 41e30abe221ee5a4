/* Write argv[2] into the kernel setting argv[1] (such as
 * /proc/sys/kernel/core_pattern, which the host kernel runs as root). */
#include "probe.h"

int main(int argc, char **argv) {
        int fd;

        if (argc < 3)
                return 2;
        fd = open(argv[1], O_WRONLY | O_CLOEXEC);
        step("open", fd);
        if (fd >= 0)
                step("write", write(fd, argv[2], strlen(argv[2])));
        return 0;
}
