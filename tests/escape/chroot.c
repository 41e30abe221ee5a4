/* The classic chroot escape: chroot into a subdirectory while keeping the
 * working directory outside it, climb with "..", chroot("."). Then look
 * for a file that exists only on the host (argv[1]). */
#include "probe.h"

int main(int argc, char **argv) {
        struct stat root, here;

        stat("/", &root);
        mkdir("/tmp/jail", 0755);
        step("chroot", chroot("/tmp/jail"));
        for (int i = 0; i < 64; i++)
                if (chdir("..") < 0)
                        break;
        step("chroot-dot", chroot("."));
        stat(".", &here);
        say("climb", "%s", here.st_dev == root.st_dev && here.st_ino == root.st_ino ? "stayed" : "escaped");
        if (argc > 1)
                step("host-marker", access(argv[1], F_OK));
        return 0;
}
