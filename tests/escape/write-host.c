/* Create files on the host's file systems, which are bound read-only:
 * every argument is a path to create. */
#include "probe.h"

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++)
                stepf(open_write(argv[i], O_CREAT | O_EXCL), "create:%s", argv[i]);
        return 0;
}
