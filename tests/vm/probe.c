/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the VM tests run inside a sandbox to see what it may do. Each
 * command prints one line: "ok", or the name of the error the system
 * call failed with (EACCES is what AppArmor and SELinux answer, EPERM
 * what a missing capability gives), and exits 0; 2 on bad usage.
 *
 *   probe read PATH        open and read PATH
 *   probe write PATH       create or truncate PATH, and write to it
 *   probe mount DIR        mount a tmpfs on DIR
 *   probe ptrace           attach to a child of its own
 *   probe peek             read a child of its own's /proc/PID/environ
 *   probe raw              open an IPv4 raw socket (ICMP)
 *   probe packet           open a packet socket
 *   probe hog              touch memory, 1 MiB at a time, until killed
 *                          (prints "survived N MiB" after 2 GiB)
 *   probe forks N          forks up to N children that wait, prints
 *                          "forked K" and, when a fork failed, its
 *                          error; then waits (the children with it)
 *   probe each "CMD ARG"...  runs each of the commands above but the
 *                          last two, printing "CMD ARG: RESULT" for
 *                          each; then waits until killed (for a
 *                          service that reports what it may do)
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/if_ether.h>

static int result(int r) {
        const char *name = r < 0 ? strerrorname_np(errno) : NULL;

        printf("%s\n", r >= 0 ? "ok" : name ? name : "error");
        return 0;
}

static int do_read(const char *path) {
        char buf[64];
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
                return result(-1);
        close(fd);
        return result(0);
}

static int do_write(const char *path) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        if (fd < 0 || write(fd, "probe\n", 6) != 6)
                return result(-1);
        close(fd);
        return result(0);
}

/* a child that waits to be looked at, and dies with its parent */
static pid_t waiting_child(void) {
        pid_t pid = fork();

        if (pid == 0) {
                for (;;)
                        pause();
        }
        if (pid > 0)
                usleep(100 * 1000); /* until it has left fork() */
        return pid;
}

static void end_child(pid_t pid) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static int do_ptrace(void) {
        pid_t pid = waiting_child();
        long r;
        int e;

        if (pid < 0)
                return result(-1);
        r = ptrace(PTRACE_ATTACH, pid, NULL, NULL);
        e = errno;
        end_child(pid);
        errno = e;
        return result(r < 0 ? -1 : 0);
}

static int do_peek(void) {
        char path[64];
        pid_t pid = waiting_child();
        int e, r;

        if (pid < 0)
                return result(-1);
        snprintf(path, sizeof(path), "/proc/%d/environ", (int) pid);
        r = open(path, O_RDONLY | O_CLOEXEC);
        e = errno;
        if (r >= 0)
                close(r);
        end_child(pid);
        errno = e;
        return result(r < 0 ? -1 : 0);
}

static int do_socket(int domain, int type, int protocol) {
        int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

        if (fd >= 0)
                close(fd);
        return result(fd);
}

static int do_hog(void) {
        const size_t chunk = 1 << 20;
        size_t mib;

        for (mib = 1; mib <= 2048; mib++) {
                char *p = malloc(chunk);

                if (!p)
                        return result(-1);
                memset(p, (int) mib, chunk);
                if (mib % 16 == 0) {
                        printf("touched %zu MiB\n", mib);
                        fflush(stdout);
                }
        }
        printf("survived %zu MiB\n", mib - 1);
        return 0;
}

static _Noreturn void do_forks(long n) {
        long k;
        int e = 0;

        for (k = 0; k < n; k++) {
                pid_t pid = fork();

                if (pid == 0) {
                        for (;;)
                                pause();
                }
                if (pid < 0) {
                        e = errno;
                        break;
                }
        }
        printf("forked %ld%s%s\n", k, e ? " " : "", e ? strerrorname_np(e) : "");
        fflush(stdout);
        for (;;)
                pause();
}

static int run(int argc, char **argv);

static _Noreturn void do_each(int argc, char **argv) {
        for (int i = 0; i < argc; i++) {
                char line[256], *words[4] = { "probe" };
                int n = 1;

                snprintf(line, sizeof(line), "%s", argv[i]);
                for (char *w = strtok(line, " "); w && n < 4; w = strtok(NULL, " "))
                        words[n++] = w;
                printf("%s: ", argv[i]);
                fflush(stdout);
                if (n == 1 || strcmp(words[1], "hog") == 0 || strcmp(words[1], "forks") == 0 ||
                    strcmp(words[1], "each") == 0 || run(n, words) != 0)
                        printf("bad command\n");
                fflush(stdout);
        }
        for (;;)
                pause();
}

int main(int argc, char **argv) {
        if (argc > 1 && strcmp(argv[1], "each") == 0)
                do_each(argc - 2, argv + 2);
        return run(argc, argv);
}

static int run(int argc, char **argv) {
        const char *cmd = argc > 1 ? argv[1] : "";

        if (argc == 3 && strcmp(cmd, "read") == 0)
                return do_read(argv[2]);
        if (argc == 3 && strcmp(cmd, "write") == 0)
                return do_write(argv[2]);
        if (argc == 3 && strcmp(cmd, "mount") == 0)
                return result(mount("probe", argv[2], "tmpfs", 0, NULL));
        if (argc == 2 && strcmp(cmd, "ptrace") == 0)
                return do_ptrace();
        if (argc == 2 && strcmp(cmd, "peek") == 0)
                return do_peek();
        if (argc == 2 && strcmp(cmd, "raw") == 0)
                return do_socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        if (argc == 2 && strcmp(cmd, "packet") == 0)
                return do_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
        if (argc == 2 && strcmp(cmd, "hog") == 0)
                return do_hog();
        if (argc == 3 && strcmp(cmd, "forks") == 0)
                do_forks(strtol(argv[2], NULL, 10));
        fprintf(stderr, "usage: probe read|write|mount|ptrace|peek|raw|packet|hog|forks|each ...\n");
        return 2;
}
