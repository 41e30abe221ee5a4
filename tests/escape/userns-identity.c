/* The service's user namespace under <user-namespace mode="identity"/>,
 * from inside: each argument one step.
 *   maps           uid_map, gid_map ("INSIDE-OUTSIDE-COUNT", "," between
 *                  lines), and the namespace's inode (userns)
 *   stat:PATH      owner and group of PATH as seen here, and a read of it
 *   write:PATH     a file made at PATH
 *   kill:PID       signal 0, then SIGTERM, to PID
 *   bind:PORT      a TCP socket bound to 127.0.0.1:PORT
 *   unshare        a nested user namespace, by unshare() and clone() */
#include "probe.h"
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

static void map(const char *file) {
        char path[64], line[256], out[4096] = "";
        unsigned a, b, n;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/self/%s", file);
        f = fopen(path, "re");
        if (!f) {
                step(file, -1);
                return;
        }
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "%u %u %u", &a, &b, &n) == 3)
                        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%u-%u-%u", *out ? "," : "", a, b, n);
        fclose(f);
        say(file, "%s", *out ? out : "empty");
}

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i];
                struct stat st;

                if (strcmp(a, "maps") == 0) {
                        map("uid_map");
                        map("gid_map");
                        if (stat("/proc/self/ns/user", &st) < 0)
                                step("userns", -1);
                        else
                                say("userns", "%llu", (unsigned long long) st.st_ino);
                } else if (strncmp(a, "stat:", 5) == 0) {
                        if (stat(a + 5, &st) < 0)
                                step("owner", -1);
                        else
                                say("owner", "%u:%u", (unsigned) st.st_uid, (unsigned) st.st_gid);
                        {
                                int fd = open(a + 5, O_RDONLY | O_CLOEXEC);
                                step("read", fd);
                                if (fd >= 0)
                                        close(fd);
                        }
                } else if (strncmp(a, "write:", 6) == 0) {
                        int fd = open(a + 6, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                        step("write", fd);
                        if (fd >= 0)
                                close(fd);
                } else if (strncmp(a, "kill:", 5) == 0) {
                        pid_t pid = (pid_t) atol(a + 5);
                        step("kill-0", kill(pid, 0));
                        step("kill-term", kill(pid, SIGTERM));
                } else if (strncmp(a, "bind:", 5) == 0) {
                        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t) atoi(a + 5)),
                                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
                        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                        if (fd < 0)
                                step("bind-low", -1);
                        else
                                step("bind-low", bind(fd, (struct sockaddr *) &sa, sizeof(sa)));
                        if (fd >= 0)
                                close(fd);
                } else if (strcmp(a, "unshare") == 0) {
                        long pid;

                        step("unshare-user", unshare(CLONE_NEWUSER));
                        pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
                        if (pid == 0)
                                _exit(0);
                        if (pid > 0)
                                waitpid((pid_t) pid, NULL, 0);
                        step("clone-user", pid);
                } else {
                        say("unknown", "%s", a);
                        return 2;
                }
        }
        return 0;
}
