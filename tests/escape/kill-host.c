/* Signal and trace a host process by its host PID (argv[1]): it must be
 * invisible (ESRCH) and survive a kill of everything the probe may
 * signal. */
#include "probe.h"
#include <signal.h>
#include <sys/ptrace.h>

int main(int argc, char **argv) {
        char path[64];
        pid_t pid;

        if (argc < 2)
                return 2;
        pid = (pid_t) atol(argv[1]);
        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        step("proc-entry", access(path, F_OK));
        step("kill-0", kill(pid, 0));
        step("kill-term", kill(pid, SIGTERM));
        step("kill-kill", kill(pid, SIGKILL));
        step("ptrace-attach", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
        step("ptrace-seize", ptrace(PTRACE_SEIZE, pid, NULL, NULL));
        step("pidfd-open", syscall(SYS_pidfd_open, pid, 0));
        /* everything this process may signal: only the sandbox's own */
        signal(SIGTERM, SIG_IGN);
        step("kill-all", kill(-1, SIGKILL));
        return 0;
}
