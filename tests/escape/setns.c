/* Join other namespaces through /proc/PID/ns: those of the sandbox's
 * process 1 (the helper's, which keeps its capabilities), and, to see
 * that the capability check itself refuses, this process's own (but for
 * its user namespace, which nobody can join twice: EINVAL). */
#include "probe.h"
#include <sched.h>

int main(void) {
        static const char *const types[] = {
                "mnt", "pid", "pid_for_children", "net", "uts", "ipc", "cgroup", "user", "time", "time_for_children",
        };
        char path[64];

        for (int p = 0; p < 2; p++)
                for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
                        const char *who = p ? "self" : "1";
                        int fd;

                        if (p && !strcmp(types[i], "user"))
                                continue;
                        snprintf(path, sizeof(path), "/proc/%s/ns/%s", who, types[i]);
                        fd = open(path, O_RDONLY | O_CLOEXEC);
                        if (fd < 0) {
                                if (errno != ENOENT)
                                        stepf(fd, "setns:%s:%s", who, types[i]);
                                continue;
                        }
                        stepf(setns(fd, 0), "setns:%s:%s", who, types[i]);
                        close(fd);
                }
        return 0;
}
