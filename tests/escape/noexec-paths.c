/* What <no-exec-path> and <exec-path> leave executable, one step per
 * argument:
 *   exec:PATH    execve() of PATH in a child ("ok" when it ran)
 *   mmap:PATH    mmap(PROT_EXEC) of the file PATH
 *   noexec:PATH  whether the mount PATH lies on is noexec ("yes", "no")
 *   opts         each mount's point and its per-mount options but noexec
 *   undo:PATH    remount, mount_setattr(2) and a new bind, each trying to
 *                make PATH's mount executable again, then exec-after:PATH
 *   sleep        waits to be killed
 * Run with the argument "ran" alone, it exits 0 at once. */
#include "probe.h"
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <sys/wait.h>

static void try_exec(const char *key, const char *path) {
        int pipefd[2], e = 0, status;
        pid_t pid;

        if (pipe2(pipefd, O_CLOEXEC) < 0) {
                say(key, "pipe-%s", probe_errname(errno));
                return;
        }
        pid = fork();
        if (pid == 0) {
                char *argv[] = { (char *) path, "ran", NULL };

                close(pipefd[0]);
                execve(path, argv, (char *[]) { NULL });
                e = errno;
                (void) !write(pipefd[1], &e, sizeof(e));
                _exit(127);
        }
        close(pipefd[1]);
        if (read(pipefd[0], &e, sizeof(e)) == sizeof(e)) {
                errno = e;
                step(key, -1);
        } else if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0)
                step(key, 0);
        else
                say(key, "status-%d", status);
        close(pipefd[0]);
        waitpid(pid, NULL, 0);
}

static void try_mmap(const char *key, const char *path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        void *p;

        if (fd < 0) {
                step(key, -1);
                return;
        }
        p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
        step(key, p == MAP_FAILED ? -1 : 0);
        if (p != MAP_FAILED)
                munmap(p, 4096);
        close(fd);
}

static void noexec(const char *key, const char *path) {
        struct statvfs sv;

        if (statvfs(path, &sv) < 0)
                step(key, -1);
        else
                say(key, "%s", sv.f_flag & ST_NOEXEC ? "yes" : "no");
}

/* "opts:POINT OPTIONS", noexec left out of OPTIONS */
static void opts(void) {
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096], point[4096], options[1024];

        if (!f) {
                step("opts", -1);
                return;
        }
        while (fgets(line, sizeof(line), f))
                if (sscanf(line, "%*u %*u %*s %*s %4095s %1023s", point, options) == 2) {
                        char out[1024] = "";

                        for (char *o = strtok(options, ","); o; o = strtok(NULL, ","))
                                if (strcmp(o, "noexec") != 0)
                                        snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", *out ? "," : "", o);
                        printf("opts:%s %s\n", point, out);
                }
        fclose(f);
}

static void undo(const char *path) {
        struct mount_attr attr = { .attr_clr = MOUNT_ATTR_NOEXEC };
        char key[4200];
        int tree;

        stepf(mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL), "remount-bind:%s", path);
        stepf(mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_REC, NULL), "remount-root:%s", path);
        stepf(mount_setattr(AT_FDCWD, path, 0, &attr, sizeof(attr)), "setattr:%s", path);
        stepf(mount_setattr(AT_FDCWD, "/", AT_RECURSIVE, &attr, sizeof(attr)), "setattr-root:%s", path);
        stepf(mount(path, "/tmp", NULL, MS_BIND, NULL), "bind:%s", path);
        tree = (int) syscall(SYS_open_tree, AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        stepf(tree, "open-tree:%s", path);
        if (tree >= 0) {
                stepf(mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)), "setattr-tree:%s", path);
                stepf((long) syscall(SYS_move_mount, tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH),
                      "move-mount:%s", path);
                close(tree);
        }
        snprintf(key, sizeof(key), "exec-after:%s", path);
        try_exec(key, path);
}

int main(int argc, char **argv) {
        if (argc == 2 && strcmp(argv[1], "ran") == 0)
                return 0;
        for (int i = 1; i < argc; i++) {
                const char *a = argv[i], *v = strchr(a, ':');

                if (strncmp(a, "exec:", 5) == 0)
                        try_exec(a, v + 1);
                else if (strncmp(a, "mmap:", 5) == 0)
                        try_mmap(a, v + 1);
                else if (strncmp(a, "noexec:", 7) == 0)
                        noexec(a, v + 1);
                else if (strcmp(a, "opts") == 0)
                        opts();
                else if (strncmp(a, "undo:", 5) == 0)
                        undo(v + 1);
                else if (strcmp(a, "sleep") == 0)
                        pause();
        }
        return 0;
}
