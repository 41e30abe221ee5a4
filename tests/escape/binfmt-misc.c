/* Register a binfmt_misc interpreter: the kernel would run it, as root
 * on the host, for every matching file anyone executes. Mount
 * binfmt_misc where it belongs and elsewhere, then write the register
 * file. argv[1] is a unique token for the entry's name. */
#include "probe.h"
#include <sys/mount.h>

int main(int argc, char **argv) {
        const char *token = argc > 1 ? argv[1] : "x";
        char rule[256];
        int fd;

        step("mount-proc-binfmt", mount("binfmt_misc", "/proc/sys/fs/binfmt_misc", "binfmt_misc", 0, NULL));
        mkdir("/tmp/binfmt", 0755);
        step("mount-tmp-binfmt", mount("binfmt_misc", "/tmp/binfmt", "binfmt_misc", 0, NULL));
        snprintf(rule, sizeof(rule), ":escape-%s:E::escape%s::/tmp/interp:", token, token);
        fd = open("/proc/sys/fs/binfmt_misc/register", O_WRONLY | O_CLOEXEC);
        step("open-register", fd);
        if (fd >= 0)
                step("register", write(fd, rule, strlen(rule)));
        return 0;
}
