/* Changes to each path given: its mode set to what it is ("chmod"), and
 * a file opened for writing ("write"; nothing is written). Either needs
 * a writable mount first: a read-only path answers EROFS. (A new entry
 * in a directory would not show it: /proc says ENOENT first.) */
#include "probe.h"

int main(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++) {
                struct stat st;

                if (stat(argv[i], &st) < 0) {
                        stepf(-1, "chmod:%s", argv[i]);
                        continue;
                }
                stepf(chmod(argv[i], st.st_mode & 07777), "chmod:%s", argv[i]);
                if (S_ISREG(st.st_mode))
                        stepf(open_write(argv[i], O_NONBLOCK | O_NOCTTY), "write:%s", argv[i]);
        }
        return 0;
}
