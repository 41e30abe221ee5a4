/* Tracing another process, reading and writing its memory, taking its
 * descriptors: in the sandbox these reach only its own processes, but
 * ptrace has been a way out of many (CVE-2019-13272, and code injected
 * into a process that holds what the service should not), and with
 * CAP_SYS_PTRACE nothing but the filter stands in the way. A child of
 * the probe's own is the target; kcmp() stays allowed. */
#include "probe.h"
#include <linux/kcmp.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>

static char secret[16] = "child";

int main(void) {
        char buf[16];
        struct iovec local = { buf, sizeof(buf) }, remote = { secret, sizeof(secret) };
        pid_t child = fork();
        long pidfd;

        if (child == 0) {
                pause();
                _exit(0);
        }
        if (step("fork", child) < 0)
                return 0;
        if (step("ptrace-attach", ptrace(PTRACE_ATTACH, child, 0, 0)) == 0) {
                /* detached once it is stopped, so that the seize is a try of its own */
                waitpid(child, NULL, 0);
                ptrace(PTRACE_DETACH, child, 0, 0);
        }
        if (step("ptrace-seize", ptrace(PTRACE_SEIZE, child, 0, 0)) == 0)
                ptrace(PTRACE_DETACH, child, 0, 0);
        step("process-vm-readv", process_vm_readv(child, &local, 1, &remote, 1, 0));
        step("process-vm-writev", process_vm_writev(child, &local, 1, &remote, 1, 0));
        pidfd = syscall(SYS_pidfd_open, child, 0);
        step("pidfd-open", pidfd);
        step("pidfd-getfd", syscall(SYS_pidfd_getfd, pidfd, 1, 0));
        step("kcmp-file", syscall(SYS_kcmp, getpid(), child, KCMP_FILE, 1, 1));
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
        return 0;
}
