/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The measuring end of bench/network.sh, which compiles it; three
 * commands:
 *
 *   net-bench time ERRFILE -- COMMAND...
 *       runs COMMAND once (stdout to /dev/null, stderr to ERRFILE) and
 *       prints the time from before fork() to after waitpid() on
 *       CLOCK_MONOTONIC, in microseconds; exits 2 and prints the
 *       command's status if it did not exit 0.
 *   net-bench sink ADDRESS PORT COUNT
 *       listens on ADDRESS:PORT (IPv4 or IPv6), prints "ready", and
 *       serves COUNT connections one after another: each is read to its
 *       end and answered with the number of bytes read (8 bytes, network
 *       order), then closed.
 *   net-bench send ADDRESS PORT BYTES [WAIT]
 *       connects to ADDRESS:PORT, trying again for WAIT seconds (default
 *       10) while the connection is refused or unreachable (the sink
 *       may still be starting), writes BYTES bytes, ends its half of the
 *       connection and reads the sink's count; prints "BYTES SECONDS",
 *       the time from the connection to the sink's answer, once the
 *       count is BYTES.
 *
 * The copy is write() and read() of 256 KiB buffers on both ends: the
 * same work over loopback and through a port forward, so that the ratio
 * of the two is the network path's.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BUFFER (256 * 1024)

static char buffer[BUFFER];

static double now(void) {
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return t.tv_sec + t.tv_nsec / 1e9;
}

static int parse_address(const char *address, const char *port, struct sockaddr_storage *ss, socklen_t *len) {
        struct sockaddr_in *in = (struct sockaddr_in *) ss;
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) ss;
        char *end;
        unsigned long p;

        errno = 0;
        p = strtoul(port, &end, 10);
        if (errno != 0 || *end != '\0' || p == 0 || p > 65535) {
                fprintf(stderr, "%s: not a port\n", port);
                return -1;
        }
        memset(ss, 0, sizeof(*ss));
        if (inet_pton(AF_INET, address, &in->sin_addr) == 1) {
                in->sin_family = AF_INET;
                in->sin_port = htons(p);
                *len = sizeof(*in);
        } else if (inet_pton(AF_INET6, address, &in6->sin6_addr) == 1) {
                in6->sin6_family = AF_INET6;
                in6->sin6_port = htons(p);
                *len = sizeof(*in6);
        } else {
                fprintf(stderr, "%s: not an IPv4 or IPv6 address\n", address);
                return -1;
        }
        return 0;
}

static int parse_count(const char *s, unsigned long long *ret) {
        char *end;

        errno = 0;
        *ret = strtoull(s, &end, 10);
        if (errno != 0 || *end != '\0' || *ret == 0) {
                fprintf(stderr, "%s: not a positive number\n", s);
                return -1;
        }
        return 0;
}

static int write_all(int fd, const void *p, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                p = (const char *) p + k;
                n -= k;
        }
        return 0;
}

static int run_time(int argc, char **argv) {
        double t0, t1;
        int status, fd;
        pid_t pid;

        if (argc < 4 || strcmp(argv[1], "--") != 0)
                return fprintf(stderr, "usage: net-bench time ERRFILE -- COMMAND...\n"), 1;
        fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return perror(argv[0]), 1;
        t0 = now();
        pid = fork();
        if (pid < 0)
                return perror("fork"), 1;
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY);

                dup2(null, 1);
                dup2(fd, 2);
                execv(argv[2], argv + 2);
                dprintf(2, "exec %s failed: %m\n", argv[2]);
                _exit(127);
        }
        if (waitpid(pid, &status, 0) < 0)
                return perror("waitpid"), 1;
        t1 = now();
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                if (WIFEXITED(status))
                        printf("exit status %d\n", WEXITSTATUS(status));
                else
                        printf("killed by signal %d\n", WTERMSIG(status));
                return 2;
        }
        printf("%.1f\n", (t1 - t0) * 1e6);
        return 0;
}

static int run_sink(int argc, char **argv) {
        struct sockaddr_storage ss;
        unsigned long long count;
        socklen_t len;
        int fd, one = 1;

        if (argc != 3)
                return fprintf(stderr, "usage: net-bench sink ADDRESS PORT COUNT\n"), 1;
        if (parse_address(argv[0], argv[1], &ss, &len) < 0 || parse_count(argv[2], &count) < 0)
                return 1;
        fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return perror("socket"), 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, (struct sockaddr *) &ss, len) < 0)
                return fprintf(stderr, "bind %s port %s: %m\n", argv[0], argv[1]), 1;
        if (listen(fd, 4) < 0)
                return perror("listen"), 1;
        printf("ready\n");
        fflush(stdout);
        for (unsigned long long i = 0; i < count;) {
                uint64_t total = 0, wire;
                int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);

                if (c < 0) {
                        if (errno == EINTR || errno == ECONNABORTED)
                                continue;
                        return perror("accept"), 1;
                }
                for (;;) {
                        ssize_t k = read(c, buffer, sizeof(buffer));

                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0) {
                                perror("read");
                                break;
                        }
                        if (k == 0)
                                break;
                        total += k;
                }
                wire = htobe64(total);
                if (write_all(c, &wire, sizeof(wire)) < 0)
                        perror("write");
                close(c);
                i++;
        }
        close(fd);
        return 0;
}

static int run_send(int argc, char **argv) {
        unsigned long long bytes, wait_s = 10, left;
        struct sockaddr_storage ss;
        uint64_t wire;
        double t0, t1, deadline;
        socklen_t len;
        size_t got = 0;
        int fd;

        if (argc != 3 && argc != 4)
                return fprintf(stderr, "usage: net-bench send ADDRESS PORT BYTES [WAIT]\n"), 1;
        if (parse_address(argv[0], argv[1], &ss, &len) < 0 || parse_count(argv[2], &bytes) < 0 ||
            (argc == 4 && parse_count(argv[3], &wait_s) < 0))
                return 1;
        memset(buffer, 0x5a, sizeof(buffer));
        deadline = now() + wait_s;
        for (;;) {
                fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
                if (fd < 0)
                        return perror("socket"), 1;
                if (connect(fd, (struct sockaddr *) &ss, len) == 0)
                        break;
                if ((errno != ECONNREFUSED && errno != ENETUNREACH && errno != EHOSTUNREACH &&
                     errno != ETIMEDOUT) ||
                    now() > deadline)
                        return fprintf(stderr, "connect %s port %s: %m\n", argv[0], argv[1]), 1;
                close(fd);
                usleep(10000);
        }
        t0 = now();
        for (left = bytes; left > 0;) {
                size_t n = left < sizeof(buffer) ? left : sizeof(buffer);

                if (write_all(fd, buffer, n) < 0)
                        return perror("write"), 1;
                left -= n;
        }
        if (shutdown(fd, SHUT_WR) < 0)
                return perror("shutdown"), 1;
        while (got < sizeof(wire)) {
                ssize_t k = read(fd, (char *) &wire + got, sizeof(wire) - got);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return fprintf(stderr, "no count from the sink: %s\n", k < 0 ? strerror(errno) : "end of stream"), 1;
                got += k;
        }
        t1 = now();
        if (be64toh(wire) != bytes)
                return fprintf(stderr, "the sink read %llu bytes of %llu\n", (unsigned long long) be64toh(wire), bytes), 1;
        printf("%llu %.6f\n", bytes, t1 - t0);
        return 0;
}

int main(int argc, char **argv) {
        if (argc >= 2 && strcmp(argv[1], "time") == 0)
                return run_time(argc - 2, argv + 2);
        if (argc >= 2 && strcmp(argv[1], "sink") == 0)
                return run_sink(argc - 2, argv + 2);
        if (argc >= 2 && strcmp(argv[1], "send") == 0)
                return run_send(argc - 2, argv + 2);
        fprintf(stderr, "usage: net-bench time|sink|send ...\n");
        return 1;
}
