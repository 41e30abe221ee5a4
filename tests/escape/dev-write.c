/* Change the host's /dev through the sandbox's device nodes: the nodes
 * in the sandbox's /dev are the host's inodes, so new times or modes
 * set here would be the host's. argv[1]: a unique token. */
#include "probe.h"
#include <sys/time.h>

int main(int argc, char **argv) {
        const struct timespec old[2] = { { 12345, 0 }, { 12345, 0 } };
        char path[256];

        snprintf(path, sizeof(path), "/dev/escape-%s", argc > 1 ? argv[1] : "x");
        step("create-in-dev", open_write(path, O_CREAT | O_EXCL));
        step("utimens-null", utimensat(AT_FDCWD, "/dev/null", old, 0));
        step("chmod-null", chmod("/dev/null", 0666));
        step("chown-null", chown("/dev/null", 0, 0));
        step("rename-null", rename("/dev/null", "/dev/escape-null"));
        step("unlink-zero", unlink("/dev/zero"));
        step("utimens-tty", utimensat(AT_FDCWD, "/dev/tty", old, 0));
        return 0;
}
