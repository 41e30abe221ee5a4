/* Write where the mounts would let the service, but the Landlock domain
 * does not: below a path the profile's rules narrow to read-only, and
 * through descriptors that lead out of the sandbox's tree (a directory
 * of the host's handed in as standard input, standard output reopened
 * through /proc); mount anything; and the writes a service makes as a
 * matter of course, which must work. Arguments:
 *
 *     landlock-write NAME DIR...
 *
 * NAME: a file name to make; each DIR: a directory to make it in. */
#include "probe.h"
#include <sys/mount.h>

int main(int argc, char **argv) {
        struct stat st;
        int fd;

        if (argc < 2)
                return 2;
        for (int i = 2; i < argc; i++) {
                char path[4096];

                snprintf(path, sizeof(path), "%s/%s", argv[i], argv[1]);
                stepf(open_write(path, O_CREAT | O_EXCL), "create:%s", argv[i]);
        }
        if (fstat(0, &st) == 0 && S_ISDIR(st.st_mode)) {
                fd = openat(0, argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
                step("create-in-stdin-dir", fd);
                if (fd >= 0)
                        close(fd);
        } else
                say("create-in-stdin-dir", "not-a-directory");
        if (fstat(1, &st) == 0 && S_ISREG(st.st_mode))
                step("reopen-stdout", open_write("/proc/self/fd/1", O_APPEND));
        else
                say("reopen-stdout", "not-a-file");
        step("mount-tmpfs", mount("escape", "/tmp", "tmpfs", 0, "size=1M"));
        step("write-proc-self-comm", open_write("/proc/self/comm", O_TRUNC));
        step("write-proc-self-oom", open_write("/proc/self/oom_score_adj", 0));
        step("write-dev-null", open_write("/dev/null", O_TRUNC));
        step("write-dev-shm", open_write("/dev/shm/escape-probe", O_CREAT));
        step("write-tmp", open_write("/tmp/escape-probe", O_CREAT));
        return 0;
}
