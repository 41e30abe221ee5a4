/* CVE-2019-5736: overwrite the binary of a privileged process through
 * /proc/PID/exe: the sandbox's process 1 (the helper's) and the helper's
 * files by their host paths (the arguments); also this probe's own
 * binary. */
#include "probe.h"

int main(int argc, char **argv) {
        char path[64];
        int fd;

        step("self-exe", open_write("/proc/self/exe", 0));
        if (getpid() != 1) {
                step("init-exe", open_write("/proc/1/exe", 0));
                fd = open("/proc/1/exe", O_PATH | O_CLOEXEC);
                step("init-exe-path", fd);
                if (fd >= 0) {
                        /* reopen through the O_PATH descriptor, as the exploit does */
                        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                        step("init-exe-reopen", open_write(path, 0));
                }
        } else
                say("init", "self");
        for (int i = 1; i < argc; i++) {
                stepf(open_write(argv[i], 0), "binary:%s", argv[i]);
                stepf(open_write(argv[i], O_TRUNC), "binary-trunc:%s", argv[i]);
        }
        return 0;
}
