/* pivot_root(2) to swap the sandbox's root for another, the way the
 * helper itself enters it. */
#include "probe.h"

int main(void) {
        mkdir("/tmp/new", 0755);
        mkdir("/tmp/new/old", 0755);
        step("pivot-root-tmp", syscall(SYS_pivot_root, "/tmp/new", "/tmp/new/old"));
        step("chdir-root", chdir("/"));
        step("pivot-root-dot", syscall(SYS_pivot_root, ".", "."));
        return 0;
}
