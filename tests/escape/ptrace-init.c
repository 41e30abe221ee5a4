/* The sandbox's process 1 is the helper's resident process, which keeps
 * the capabilities it set the sandbox up with: trace it, write its
 * memory, take its descriptors, use its working directory, root and
 * open files. */
#include "probe.h"
#include <dirent.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

int main(void) {
        char buf[64];
        struct iovec local = { buf, sizeof(buf) }, remote = { (void *) 0x400000, sizeof(buf) };
        struct dirent *e;
        long pidfd;
        DIR *d;

        if (getpid() == 1) {
                say("init", "self");
                return 0;
        }
        step("ptrace-attach", ptrace(PTRACE_ATTACH, 1, NULL, NULL));
        step("ptrace-seize", ptrace(PTRACE_SEIZE, 1, NULL, NULL));
        step("open-mem", open("/proc/1/mem", O_RDWR | O_CLOEXEC));
        step("vm-writev", process_vm_writev(1, &local, 1, &remote, 1, 0));
        step("open-environ", open("/proc/1/environ", O_RDONLY | O_CLOEXEC));
        /* a pidfd needs no permission; taking a descriptor with it does */
        pidfd = syscall(SYS_pidfd_open, 1, 0);
        step("pidfd-open", pidfd);
        if (pidfd >= 0)
                step("pidfd-getfd", syscall(SYS_pidfd_getfd, pidfd, 0, 0));
        step("open-cwd", open("/proc/1/cwd/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        step("open-root", open("/proc/1/root/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        /* the numbers may be listed (the directory is root's); what must
         * not work is opening what they stand for */
        d = opendir("/proc/1/fd");
        if (!d)
                step("open-fd:list", -1);
        while (d && (e = readdir(d))) {
                char path[300];

                if (e->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/proc/1/fd/%s", e->d_name);
                stepf(open(path, O_RDONLY | O_CLOEXEC), "open-fd:%s", e->d_name);
        }
        if (d)
                closedir(d);
        return 0;
}
