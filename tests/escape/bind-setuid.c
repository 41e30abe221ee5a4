/* A set-user-ID root program made in a writable place: for each
 * directory given, this very program copied there, owned by root, mode
 * 4755 ("copy", "chmod", "mode"), then executed as nobody (65534) from
 * inside: "exec-euid" is the effective user it ran with, 65534 where
 * the mount is nosuid. The copy is left for the test to run from the
 * host. Its own (not a shell's) because a shell drops a set-user-ID
 * identity it did not ask for; run as "bind-setuid euid", or set-ID, it
 * only prints the effective user it runs as. */
#include "probe.h"
#include <grp.h>
#include <sys/sendfile.h>
#include <sys/wait.h>

static int copy_self(const char *to) {
        struct stat st;
        int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), out;
        long r = 0;

        if (in < 0 || fstat(in, &st) < 0)
                return -1;
        out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
        if (out < 0) {
                close(in);
                return -1;
        }
        for (off_t done = 0; done < st.st_size && r >= 0; done += r)
                r = sendfile(out, in, NULL, st.st_size - done);
        close(in);
        if (close(out) < 0 || r < 0)
                return -1;
        return 0;
}

/* the effective user path runs as, executed as nobody */
static void exec_as_nobody(const char *path, const char *key) {
        int pipefd[2], status;
        char buf[64] = "";
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return;
        pid = fork();
        if (pid == 0) {
                dup2(pipefd[1], 1);
                if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
                        _exit(3);
                execl(path, path, "euid", (char *) NULL);
                printf("euid %s\n", probe_errname(errno));
                _exit(4);
        }
        close(pipefd[1]);
        ssize_t n = read(pipefd[0], buf, sizeof(buf) - 1);
        close(pipefd[0]);
        waitpid(pid, &status, 0);
        buf[n > 0 ? n : 0] = 0;
        buf[strcspn(buf, "\n")] = 0;
        say(key, "%s", strncmp(buf, "euid ", 5) == 0 ? buf + 5 : "none");
}

int main(int argc, char *argv[]) {
        /* run with an identity it did not start with (its own set-ID
         * copy, by anyone on the host while the test runs), it does
         * nothing but say so */
        if ((argc == 2 && strcmp(argv[1], "euid") == 0) || geteuid() != getuid()) {
                printf("euid %u\n", (unsigned) geteuid());
                return 0;
        }
        for (int i = 1; i < argc; i++) {
                char path[4096], key[4200];
                struct stat st;

                snprintf(path, sizeof(path), "%s/escape-suid", argv[i]);
                if (stepf(copy_self(path), "copy:%s", argv[i]) < 0)
                        continue;
                stepf(chown(path, 0, 0), "chown:%s", argv[i]);
                stepf(chmod(path, 04755), "chmod:%s", argv[i]);
                if (stat(path, &st) == 0) {
                        snprintf(key, sizeof(key), "mode:%s", argv[i]);
                        say(key, "%04o", (unsigned) (st.st_mode & 07777));
                }
                snprintf(key, sizeof(key), "exec-euid:%s", argv[i]);
                exec_as_nobody(path, key);
        }
        return 0;
}
