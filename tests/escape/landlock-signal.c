/* Reach the sandbox's process 1, which is outside the service's
 * Landlock domain, and the service's own processes, which are inside:
 *
 *     landlock-signal [term]
 *
 * signals to process 1 ("term": SIGTERM too, which ends the sandbox
 * when nothing refuses it), its root, its open files and ptrace; then a
 * signal to a child and to the probe's own process group. */
#include "probe.h"
#include <dirent.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
        int status;
        pid_t child;
        DIR *d;

        step("kill-init-0", kill(1, 0));
        if (argc > 1 && strcmp(argv[1], "term") == 0)
                step("kill-init-term", kill(1, SIGTERM));
        step("open-root-init", open("/proc/1/root/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        /* the numbers may be listed; what they stand for, not opened */
        d = opendir("/proc/1/fd");
        if (!d)
                step("open-fd-init:list", -1);
        for (struct dirent *e; d && (e = readdir(d));) {
                char path[300];
                int fd;

                if (e->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/proc/1/fd/%s", e->d_name);
                fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                stepf(fd, "open-fd-init:%s", e->d_name);
                if (fd >= 0)
                        close(fd);
        }
        if (d)
                closedir(d);
        /* seized without stopping it: the probe's exit detaches it */
        step("ptrace-seize-init", ptrace(PTRACE_SEIZE, 1, NULL, NULL));

        child = fork();
        if (child == 0) {
                pause();
                _exit(0);
        }
        step("kill-child", kill(child, SIGTERM));
        if (child > 0 && waitpid(child, &status, 0) == child)
                say("child-ended-by", "%s", WIFSIGNALED(status) ? sigabbrev_np(WTERMSIG(status)) : "exit");
        /* the service leads a session and process group of its own */
        signal(SIGUSR1, SIG_IGN);
        step("kill-own-group", kill(0, SIGUSR1));
        return 0;
}
