/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Under a profile's own system call filter (<system-calls>): which calls
 * pass. With "kill" as its argument it says "before", makes call 500,
 * which no libseccomp names yet (the filters answer ENOSYS), and then
 * mkdirat(), which a filter without errno= answers by killing the
 * process: no "after" follows.
 */
#include "probe.h"

#include <sched.h>
#include <sys/mount.h>
#include <sys/utsname.h>

int main(int argc, char *argv[]) {
        struct utsname u;

        if (argc > 1 && strcmp(argv[1], "kill") == 0) {
                say("before", "ok");
                step("newer", syscall(500));
                step("after", syscall(SYS_mkdirat, AT_FDCWD, "/tmp/sc-filter-kill", 0700));
                return 0;
        }
        step("uname", uname(&u));
        step("mkdir", syscall(SYS_mkdirat, AT_FDCWD, "/tmp/sc-filter-dir", 0700));
        step("symlink", syscall(SYS_symlinkat, "target", AT_FDCWD, "/tmp/sc-filter-link"));
        step("open-create", open_write("/tmp/sc-filter-file", O_CREAT));
        step("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
        step("unshare-user", unshare(CLONE_NEWUSER));
        return 0;
}
