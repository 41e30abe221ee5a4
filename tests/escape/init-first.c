/* The service's first look at the sandbox's process 1, as soon as it
 * executes (the test runs this probe as the service's command itself):
 * process 1 must be confined already, with its filter loaded, its
 * capabilities dropped and its descriptors closed, or a service that
 * may trace it could reach it before. */
#include "probe.h"
#include <dirent.h>

int main(void) {
        char buf[4096], *p;
        int fd = open("/proc/1/status", O_RDONLY | O_CLOEXEC), n = 0;
        ssize_t k = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        struct dirent *e;
        DIR *d;

        /* but standard error, and sockets (the one to the service's
         * process, which process 1 closes as it sees the service
         * executed: no file to open anew) */
        d = opendir("/proc/1/fd");
        while (d && (e = readdir(d))) {
                char path[300], target[256];
                ssize_t t;

                if (e->d_name[0] == '.' || strcmp(e->d_name, "2") == 0)
                        continue;
                snprintf(path, sizeof(path), "/proc/1/fd/%s", e->d_name);
                t = readlink(path, target, sizeof(target) - 1);
                /* listed, then closed before it was read: that socket */
                if (t < 0 && errno == ENOENT)
                        continue;
                target[t < 0 ? 0 : t] = 0;
                if (strncmp(target, "socket:", 7) == 0)
                        continue;
                say("first-fd", "%s %s", e->d_name, target);
                n++;
        }
        if (k <= 0) {
                step("first-status", -1);
                return 0;
        }
        buf[k] = 0;
        for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n"))
                if (strncmp(p, "Seccomp:", 8) == 0 || strncmp(p, "CapEff:", 7) == 0 ||
                    strncmp(p, "NoNewPrivs:", 11) == 0) {
                        char key[32], value[64];

                        if (sscanf(p, "%31s %63s", key, value) == 2)
                                say(key, "%s", value);
                }
        if (d)
                say("first-fds-other", "%d", n);
        else
                step("first-fds-other", -1);
        return 0;
}
