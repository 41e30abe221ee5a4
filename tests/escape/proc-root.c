/* Reach the host through /proc/PID/root (argv[1]: "1" or "self"): write
 * the read-only root and /etc through it, and climb above it with "..".
 * argv[2] is a unique token for the file names, argv[3] a file that
 * exists only on the host. */
#include "probe.h"

int main(int argc, char **argv) {
        char path[4096], link[4096];
        ssize_t n;

        if (argc < 4)
                return 2;
        snprintf(path, sizeof(path), "/proc/%s/root", argv[1]);
        n = readlink(path, link, sizeof(link) - 1);
        if (n >= 0) {
                link[n] = 0;
                say("root-link", "%s", link);
        } else
                step("root-link", -1);
        snprintf(path, sizeof(path), "/proc/%s/root/usr/escape-%s", argv[1], argv[2]);
        step("create-usr", open_write(path, O_CREAT | O_EXCL));
        /* /etc is writable here, but an overlay: the host's /etc must not change */
        snprintf(path, sizeof(path), "/proc/%s/root/etc/escape-%s", argv[1], argv[2]);
        step("create-etc", open_write(path, O_CREAT | O_EXCL));
        snprintf(path, sizeof(path), "/proc/%s/root/../../../..%s", argv[1], argv[3]);
        step("host-marker", access(path, F_OK));
        return 0;
}
