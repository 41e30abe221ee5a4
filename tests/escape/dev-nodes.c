/* Open the host's device nodes that a minimal /dev does not have: raw
 * memory, I/O ports, the kernel log, loop and FUSE control, the disk
 * (argv[1..]: more names). */
#include "probe.h"

int main(int argc, char **argv) {
        static const char *const nodes[] = {
                "/dev/mem", "/dev/kmem", "/dev/port", "/dev/kmsg", "/dev/loop-control", "/dev/loop0",
                "/dev/fuse", "/dev/btrfs-control", "/dev/console", "/dev/cpu_dma_latency", "/dev/autofs",
        };

        for (size_t i = 0; i < sizeof(nodes) / sizeof(*nodes); i++)
                stepf(open(nodes[i], O_RDWR | O_CLOEXEC), "open:%s", nodes[i]);
        for (int i = 1; i < argc; i++)
                stepf(open(argv[i], O_RDWR | O_CLOEXEC), "open:%s", argv[i]);
        return 0;
}
