/* Abstract unix sockets, which live in the network namespace, so that
 * with the host network the host's answer from inside a sandbox (the
 * containerd CVE-2020-15257 class):
 *
 *     abstract-unix listen NAME   (on the host) a stream socket @NAME and
 *                                 a datagram socket @NAME-dgram; prints
 *                                 "listening" once both are bound, then
 *                                 accepts and closes connections until
 *                                 killed
 *     abstract-unix connect NAME  connect to @NAME, send to @NAME-dgram
 *     abstract-unix own NAME      a socket @NAME of the probe's own, in a
 *                                 child: the parent connects to it
 */
#include "probe.h"
#include <signal.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

static socklen_t address(struct sockaddr_un *a, const char *name, const char *suffix) {
        int n;

        memset(a, 0, sizeof(*a));
        a->sun_family = AF_UNIX;
        /* sun_path[0] stays 0: an abstract name, not a path */
        n = snprintf(a->sun_path + 1, sizeof(a->sun_path) - 1, "escape-%s%s", name, suffix);
        return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + (size_t) n);
}

static int bound(int type, const char *name, const char *suffix) {
        struct sockaddr_un a;
        socklen_t len = address(&a, name, suffix);
        int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

        if (fd < 0 || bind(fd, (struct sockaddr *) &a, len) < 0 || (type == SOCK_STREAM && listen(fd, 16) < 0))
                return -1;
        return fd;
}

static long connect_to(const char *name) {
        struct sockaddr_un a;
        socklen_t len = address(&a, name, "");
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        long r;

        if (fd < 0)
                return -1;
        r = connect(fd, (struct sockaddr *) &a, len);
        close(fd);
        return r;
}

static long send_to(const char *name) {
        struct sockaddr_un a;
        socklen_t len = address(&a, name, "-dgram");
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        long r;

        if (fd < 0)
                return -1;
        r = sendto(fd, "x", 1, 0, (struct sockaddr *) &a, len);
        close(fd);
        return r;
}

int main(int argc, char **argv) {
        if (argc < 3)
                return 2;
        if (strcmp(argv[1], "listen") == 0) {
                int s = bound(SOCK_STREAM, argv[2], ""), d = bound(SOCK_DGRAM, argv[2], "-dgram");

                if (s < 0 || d < 0) {
                        perror("abstract-unix: bind");
                        return 1;
                }
                say("listening", "%s", argv[2]);
                for (;;) {
                        int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);

                        if (c >= 0)
                                close(c);
                }
        }
        if (strcmp(argv[1], "connect") == 0) {
                step("connect-stream", connect_to(argv[2]));
                step("send-dgram", send_to(argv[2]));
                return 0;
        }
        if (strcmp(argv[1], "own") == 0) {
                int ready[2], s;
                pid_t child;
                char c;

                if (pipe(ready) < 0)
                        return 1;
                child = fork();
                if (child == 0) {
                        s = bound(SOCK_STREAM, argv[2], "");
                        if (s < 0)
                                _exit(1);
                        (void) write(ready[1], "r", 1);
                        for (;;) {
                                int k = accept4(s, NULL, NULL, SOCK_CLOEXEC);

                                if (k >= 0)
                                        close(k);
                        }
                }
                close(ready[1]);
                if (child < 0 || read(ready[0], &c, 1) != 1) {
                        say("own-listen", "failed");
                        return 0;
                }
                step("connect-own", connect_to(argv[2]));
                kill(child, SIGKILL);
                waitpid(child, NULL, 0);
                return 0;
        }
        return 2;
}
