/* Read the masked secrets (the arguments: /etc/shadow, ...), directly
 * and through /proc/self/root, and make the mask readable (it belongs to
 * root). A mask that opens must give no byte. */
#include "probe.h"

int main(int argc, char **argv) {
        char path[4096], buf[4096];

        for (int i = 1; i < argc; i++) {
                for (int via = 0; via < 2; via++) {
                        int fd;

                        snprintf(path, sizeof(path), "%s%s", via ? "/proc/self/root" : "", argv[i]);
                        fd = open(path, O_RDONLY | O_CLOEXEC);
                        stepf(fd, "open:%s", path);
                        if (fd >= 0) {
                                stepf(read(fd, buf, sizeof(buf)), "read:%s", path);
                                close(fd);
                        }
                }
                stepf(chmod(argv[i], 0644), "chmod:%s", argv[i]);
        }
        return 0;
}
