/* Regain capabilities through a set-user-ID root program: copy this
 * program into every writable place of the sandbox, make it setuid root
 * and run it; it reports its capability sets ("report" mode). */
#include "probe.h"
#include <sys/wait.h>

static void report(const char *where) {
        static const char *const fields[] = { "CapEff", "CapPrm", "CapBnd", "CapAmb", "NoNewPrivs" };
        char line[256], key[128];
        FILE *f = fopen("/proc/self/status", "re");

        while (f && fgets(line, sizeof(line), f))
                for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
                        if (!strncmp(line, fields[i], strlen(fields[i])) && line[strlen(fields[i])] == ':') {
                                snprintf(key, sizeof(key), "%s:%s", fields[i], where);
                                line[strcspn(line, "\n")] = 0;
                                say(key, "%s", line + strlen(fields[i]) + 2);
                        }
        if (f)
                fclose(f);
}

static int copy(const char *to) {
        char buf[65536];
        ssize_t n;
        int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;

        if (in < 0)
                return -1;
        out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        if (out < 0) {
                close(in);
                return -1;
        }
        while ((n = read(in, buf, sizeof(buf))) > 0)
                if (write(out, buf, (size_t) n) != n) {
                        n = -1;
                        break;
                }
        close(in);
        close(out);
        return n < 0 ? -1 : 0;
}

int main(int argc, char **argv) {
        static const char *const dirs[] = { "/tmp", "/dev/shm", "/run", "/var/tmp", "/etc" };
        char to[256];

        if (argc > 2 && !strcmp(argv[1], "report")) {
                report(argv[2]);
                return 0;
        }
        report("before");
        for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
                pid_t pid;

                snprintf(to, sizeof(to), "%s/escape-setuid", dirs[i]);
                if (stepf(copy(to), "copy:%s", dirs[i]) < 0)
                        continue;
                stepf(chown(to, 0, 0), "chown:%s", dirs[i]);
                stepf(chmod(to, 04755), "chmod-setuid:%s", dirs[i]);
                fflush(stdout);
                pid = fork();
                if (pid == 0) {
                        execl(to, to, "report", dirs[i], (char *) NULL);
                        stepf(-1, "exec:%s", dirs[i]);
                        _exit(127);
                }
                waitpid(pid, NULL, 0);
                unlink(to);
        }
        return 0;
}
