/* What each path given shows: EACCES (or another errno) when it cannot
 * be opened, "empty" when it opens and has nothing (a directory with no
 * entry, a file that reads 0 bytes), "content" otherwise. A masked path
 * is unreadable, or empty with CAP_DAC_OVERRIDE. */
#include "probe.h"
#include <dirent.h>

int main(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++) {
                int fd = open(argv[i], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
                char key[4200], buf[64];
                struct stat st;

                snprintf(key, sizeof(key), "read:%s", argv[i]);
                if (fd < 0 || fstat(fd, &st) < 0) {
                        step(key, -1);
                        if (fd >= 0)
                                close(fd);
                        continue;
                }
                if (S_ISDIR(st.st_mode)) {
                        DIR *d = fdopendir(fd);
                        int n = 0;

                        for (struct dirent *e; d && (e = readdir(d));)
                                n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
                        if (d)
                                closedir(d);
                        say(key, n ? "content" : "empty");
                        continue;
                }
                ssize_t n = read(fd, buf, sizeof(buf));
                close(fd);
                if (n < 0)
                        step(key, -1);
                else
                        say(key, n ? "content" : "empty");
        }
        return 0;
}
