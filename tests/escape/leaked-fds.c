/* File descriptors the helper left open (CVE-2024-21626): one to a host
 * directory leads out of the sandbox with openat(fd, ".."). Lists every
 * descriptor beyond 0, 1 and 2 and climbs from it. */
#include "probe.h"
#include <dirent.h>

int main(void) {
        DIR *d = opendir("/proc/self/fd");
        struct dirent *e;
        int leaked = 0;

        while (d && (e = readdir(d))) {
                char path[64], target[4096];
                int fd = atoi(e->d_name);
                ssize_t n;

                if (e->d_name[0] == '.' || fd <= 2 || fd == dirfd(d))
                        continue;
                leaked++;
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                n = readlink(path, target, sizeof(target) - 1);
                target[n < 0 ? 0 : n] = 0;
                say("leaked-fd", "%d %s", fd, target);
                stepf(openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC), "climb:%d", fd);
        }
        if (d)
                closedir(d);
        say("leaked", "%d", leaked);
        return 0;
}
