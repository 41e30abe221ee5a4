/* The join race (runc CVE-2016-9962): a service that watches /proc for
 * new processes, as one joined from outside appears, and tries to climb
 * out through /proc/PID/root of each to a file only the host has
 * (argv[1]), and reads the capabilities each one has. Runs until
 * SIGTERM, then reports how many new processes it saw, how many had a
 * capability it lacks, and how many led it to the host's file. */
#include "probe.h"
#include <dirent.h>
#include <signal.h>

#define PID_LIMIT (1 << 22)

static volatile sig_atomic_t stop;
static unsigned char seen[PID_LIMIT / 8];

static void on_term(int sig) {
        (void) sig;
        stop = 1;
}

static unsigned long long cap_eff(const char *pid) {
        char path[64], line[256];
        unsigned long long caps = 0;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%s/status", pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "CapEff: %llx", &caps) == 1)
                        break;
        fclose(f);
        return caps;
}

int main(int argc, char *argv[]) {
        const char *marker = argc > 1 ? argv[1] : "/nonexistent";
        unsigned long long own = cap_eff("self");
        unsigned long new_pids = 0, beyond = 0, reached = 0;
        int last_errno = 0, first = 1;
        char self[32];

        signal(SIGTERM, on_term);
        snprintf(self, sizeof(self), "%d", (int) getpid());
        while (!stop) {
                DIR *d = opendir("/proc");
                struct dirent *de;

                if (!d)
                        break;
                while (!stop && (de = readdir(d))) {
                        char path[4200];
                        long pid = strtol(de->d_name, NULL, 10);
                        int fd;

                        if (pid <= 0 || pid >= PID_LIMIT || (seen[pid / 8] & (1 << (pid % 8))))
                                continue;
                        seen[pid / 8] |= (unsigned char) (1 << (pid % 8));
                        /* those there before the watching starts are the sandbox's own */
                        if (first || strcmp(de->d_name, self) == 0)
                                continue;
                        new_pids++;
                        snprintf(path, sizeof(path), "/proc/%s/root%s", de->d_name, marker);
                        fd = open(path, O_RDONLY | O_CLOEXEC);
                        if (fd >= 0) {
                                reached++;
                                close(fd);
                        } else
                                last_errno = errno;
                        if (cap_eff(de->d_name) & ~own)
                                beyond++;
                }
                closedir(d);
                if (first) {
                        first = 0;
                        say("ready", "%d", (int) getpid());
                }
        }
        say("new-pids", "%lu", new_pids);
        say("caps-beyond", "%lu", beyond);
        say("marker-reached", "%lu", reached);
        say("marker-last", "%s", last_errno ? probe_errname(last_errno) : "none");
        return 0;
}
