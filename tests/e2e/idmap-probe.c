/* idmap-probe [-r] BASE SRC DST: an idmapped read-only copy of the mount
 * at SRC (with -r, of every mount below it too) on DST, with a user
 * namespace whose maps are "0 BASE 65536", as the helper idmaps a private
 * user namespace's root, /etc and /var. Prints "SRC ok", or "SRC STEP
 * ERRNO-NAME" and exits 1. For tests/e2e: whether the e2e container's
 * file systems can be idmapped (an overlay cannot: EINVAL). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *src, const char *step)
{
        printf("%s %s %s\n", src, step, strerrorname_np(errno) ?: "?");
        return 1;
}

static int write_map(pid_t pid, const char *file, const char *map)
{
        char path[64];
        int fd, r;

        snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        r = write(fd, map, strlen(map)) == (ssize_t)strlen(map) ? 0 : -1;
        close(fd);
        return r;
}

/* an fd of a new user namespace mapped "0 base 65536": a child's, which
 * unshares and waits until the maps are written and the fd is open */
static int make_userns(unsigned long base)
{
        char map[64], path[64];
        int go[2], fd = -1;
        pid_t pid;

        if (pipe2(go, O_CLOEXEC) < 0)
                return -1;
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                char c;

                close(go[1]);
                if (unshare(CLONE_NEWUSER) < 0)
                        _exit(1);
                /* the parent closes its end once done */
                (void)!read(go[0], &c, 1);
                _exit(0);
        }
        close(go[0]);
        snprintf(map, sizeof map, "0 %lu 65536", base);
        snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
        /* the child has unshared once its user namespace differs */
        for (int i = 0; i < 1000; i++) {
                char a[64] = "", b[64] = "";
                if (readlink(path, a, sizeof a - 1) > 0 && readlink("/proc/self/ns/user", b, sizeof b - 1) > 0 &&
                    strcmp(a, b) != 0)
                        break;
                usleep(1000);
        }
        if (write_map(pid, "uid_map", map) == 0 && write_map(pid, "gid_map", map) == 0)
                fd = open(path, O_RDONLY | O_CLOEXEC);
        int saved = errno;
        close(go[1]);
        waitpid(pid, NULL, 0);
        errno = saved;
        return fd;
}

int main(int argc, char **argv)
{
        unsigned rec = 0;
        int ns, tree;

        if (argc > 1 && strcmp(argv[1], "-r") == 0) {
                rec = AT_RECURSIVE;
                argv++;
                argc--;
        }
        if (argc != 4) {
                fprintf(stderr, "usage: idmap-probe [-r] BASE SRC DST\n");
                return 2;
        }
        ns = make_userns(strtoul(argv[1], NULL, 10));
        if (ns < 0)
                return fail(argv[2], "userns");
        tree = syscall(SYS_open_tree, AT_FDCWD, argv[2], OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec);
        if (tree < 0)
                return fail(argv[2], "open_tree");
        struct mount_attr attr = {
                .attr_set = MOUNT_ATTR_IDMAP | MOUNT_ATTR_RDONLY,
                .userns_fd = ns,
        };
        if (syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | rec, &attr, sizeof attr) < 0)
                return fail(argv[2], "mount_setattr");
        if (syscall(SYS_move_mount, tree, "", AT_FDCWD, argv[3], MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return fail(argv[2], "move_mount");
        printf("%s ok\n", argv[2]);
        return 0;
}
