/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "spawn.h"
#include "macro.h"
#include "quantities.h"
#include "state-key.h"

/* where a LUKS or file system header would be: LUKS2's binary header
 * and its JSON area start at 0, ext4's superblock at 1024, xfs's at 0 */
#define STATE_HEADER_BYTES (64 * 1024)

bool state_crypt_supported(void) {
        return HAVE_LIBCRYPTSETUP;
}

void state_key_wipe(StateKey *k) {
        explicit_bzero(k->bytes, sizeof(k->bytes));
        k->size = 0;
}

int state_key_read_fd(int fd, const char *shown, StateKey *ret) {
        size_t n = 0;

        ret->size = 0;
        /* one byte more than the largest key, to tell one too long */
        while (n <= STATE_KEY_MAX) {
                unsigned char extra;
                ssize_t k = n < STATE_KEY_MAX ? read(fd, ret->bytes + n, STATE_KEY_MAX - n) : read(fd, &extra, 1);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        int e = -errno;
                        state_key_wipe(ret);
                        return log_error_errno(e, "state key %s: %m", shown);
                }
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        if (n < STATE_KEY_MIN || n > STATE_KEY_MAX) {
                state_key_wipe(ret);
                return log_error_errno(-EBADMSG, "state key %s: %s; a key has %d to %d bytes", shown,
                                       n < STATE_KEY_MIN ? "too short" : "too long", STATE_KEY_MIN, STATE_KEY_MAX);
        }
        ret->size = n;
        return 0;
}

int state_key_read(int dir, const char *path, StateKey *ret) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        ret->size = 0;
        /* O_NONBLOCK: a FIFO put there is refused below, not waited on */
        fd = openat(dir, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return log_error_errno(-errno, "state key %s: %m", path);
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "state key %s: %m", path);
        if (!S_ISREG(st.st_mode))
                return log_error_errno(-EBADFD, "state key %s: not a regular file", path);
        if (st.st_size < STATE_KEY_MIN || st.st_size > STATE_KEY_MAX)
                return log_error_errno(-EBADMSG, "state key %s: %lld bytes; a key has %d to %d", path,
                                       (long long) st.st_size, STATE_KEY_MIN, STATE_KEY_MAX);
        return state_key_read_fd(fd, path, ret);
}

int state_key_generate(StateKey *ret) {
        size_t n = 0;

        while (n < STATE_KEY_SIZE) {
                ssize_t k = getrandom(ret->bytes + n, STATE_KEY_SIZE - n, 0);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return log_error_errno(-errno, "state key: random bytes: %m");
                n += (size_t) k;
        }
        ret->size = n;
        return 0;
}

/* the N of "loopN", digits only */
static bool loop_number_is_valid(const char *n) {
        if (!*n || strlen(n) > 10)
                return false;
        for (; *n; n++)
                if (*n < '0' || *n > '9')
                        return false;
        return true;
}

/* the N of a loop device's path "/dev/loopN", or NULL */
static const char *startswith_loop(const char *device) {
        static const char prefix[] = "/dev/loop";

        if (strncmp(device, prefix, sizeof(prefix) - 1) != 0 || !loop_number_is_valid(device + sizeof(prefix) - 1))
                return NULL;
        return device + sizeof(prefix) - 1;
}

int state_crypt_name(const char *sandbox, const char *device, char *buf, size_t size) {
        const char *loop = startswith_loop(device);

        if (!sandbox_name_is_valid(sandbox) || !loop)
                return -EINVAL;
        if ((size_t) snprintf(buf, size, STATE_CRYPT_PREFIX "%s@loop%s", sandbox, loop) >= size)
                return -ENAMETOOLONG;
        return 0;
}

bool state_crypt_name_is_valid(const char *name) {
        size_t n = strlen(STATE_CRYPT_PREFIX);
        const char *at = strrchr(name, '@');
        char sandbox[SANDBOX_NAME_MAX + 1];

        if (strncmp(name, STATE_CRYPT_PREFIX, n) != 0 || !at || at < name + n ||
            (size_t) (at - name - n) > SANDBOX_NAME_MAX || strncmp(at, "@loop", 5) != 0 ||
            !loop_number_is_valid(at + 5))
                return false;
        memcpy(sandbox, name + n, (size_t) (at - name - n));
        sandbox[at - name - n] = 0;
        return sandbox_name_is_valid(sandbox);
}

static int read_header(const char *device, unsigned char *buf, size_t size) {
        _cleanup_close_ int fd = open(device, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        size_t n = 0;

        if (fd < 0)
                return log_error_errno(-errno, "state device %s: %m", device);
        while (n < size) {
                ssize_t k = pread(fd, buf + n, size - n, (off_t) n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return log_error_errno(-errno, "state device %s: read: %m", device);
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        memset(buf + n, 0, size - n);
        return 0;
}

/* read here, without libcryptsetup, so that any build tells an encrypted
 * state from one in the clear */
int state_crypt_is_luks(const char *device) {
        static const unsigned char magic[] = { 'L', 'U', 'K', 'S', 0xba, 0xbe, 0x00, 0x02 };
        unsigned char h[sizeof(magic)];
        int r;

        r = read_header(device, h, sizeof(h));
        if (r < 0)
                return r;
        return memcmp(h, magic, sizeof(magic)) == 0;
}

int state_crypt_is_blank(const char *device) {
        _cleanup_free_ unsigned char *h = malloc(STATE_HEADER_BYTES);
        int r;

        if (!h)
                return log_error_errno(-ENOMEM, "state device %s: %m", device);
        r = read_header(device, h, STATE_HEADER_BYTES);
        if (r < 0)
                return r;
        for (size_t i = 0; i < STATE_HEADER_BYTES; i++)
                if (h[i] != 0)
                        return 0;
        return 1;
}

/* The block device's fd and whether it was formatted, from the one
 * message sandbox-state-crypt sends: "f" or "o", and the fd. */
static int receive_device(int sock, bool *ret_formatted) {
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        char what = 0;
        struct iovec iov = { &what, 1 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                              .msg_controllen = sizeof(control.buf) };
        int fd = -EBADF;
        ssize_t n;

        do
                n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h))
                if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS &&
                    h->cmsg_len == CMSG_LEN(sizeof(int)) && fd < 0)
                        memcpy(&fd, CMSG_DATA(h), sizeof(int));
        if (n != 1 || fd < 0 || (what != 'f' && what != 'o') || (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC))) {
                if (fd >= 0)
                        close(fd);
                return -EBADMSG; /* it failed, and said why */
        }
        *ret_formatted = what == 'f';
        return fd;
}

/* Runs sandbox-state-crypt with argv; the key on its stdin when key is
 * given, and its stdout the socket sock. Returns its exit status as
 * -errno (it exits with the errno of its failure, logged). */
static const char *const clean_env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };

static int run_tool(const char *const *argv, const StateKey *key, int sock) {
        _cleanup_close_ int in = -EBADF, out = -EBADF;
        int pipefd[2], status;
        pid_t pid;

        if (key) {
                if (pipe2(pipefd, O_CLOEXEC) < 0)
                        return log_error_errno(-errno, "%s: pipe: %m", argv[0]);
                in = pipefd[0];
                out = pipefd[1];
        }
        /* not the caller's environment: libcryptsetup and libdevmapper
         * read theirs from it */
        pid = spawn_program(SANDBOX_STATE_CRYPT_PATH, (char *const *) argv, (char *const *) clean_env, in, sock,
                            EOPNOTSUPP);
        if (pid < 0)
                return pid;
        close(in);
        in = -EBADF;
        if (key) {
                /* at most STATE_KEY_MAX bytes: less than a pipe holds */
                ssize_t n = write(out, key->bytes, key->size);
                (void) n; /* a short write fails the program's read */
                close(out);
                out = -EBADF;
        }
        if (spawn_wait(pid, &status) < 0)
                return log_error_errno(-errno, "%s: wait: %m", argv[0]);
        if (WIFEXITED(status))
                return -WEXITSTATUS(status);
        return log_error_errno(-EIO, "%s: killed by signal %d", argv[0], WTERMSIG(status));
}

int state_crypt_attach(const char *device, const char *sandbox, const StateKey *key, bool *ret_formatted) {
        char name[STATE_CRYPT_NAME_MAX];
        int sock[2], r, fd;

        if (!state_crypt_supported())
                return log_error_errno(-EOPNOTSUPP, "sandbox %s: encrypted state needs libcryptsetup, which this "
                                       "build of sandbox does not have", sandbox);
        r = state_crypt_name(sandbox, device, name, sizeof(name));
        if (r < 0)
                return log_error_errno(r, "sandbox %s: no mapping name for %s: %m", sandbox, device);
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sock) < 0)
                return log_error_errno(-errno, "sandbox %s: socket: %m", sandbox);

        const char *argv[] = { "sandbox-state-crypt", log_debug_enabled() ? "--debug" : "--quiet", "open", device,
                               name, NULL };
        r = run_tool(argv, key, sock[1]);
        close(sock[1]);
        if (r < 0) {
                close(sock[0]);
                return r == -EOPNOTSUPP ? log_error_errno(r, "sandbox %s: %s is missing: encrypted state needs it",
                                                          sandbox, SANDBOX_STATE_CRYPT_PATH) : r;
        }
        fd = receive_device(sock[0], ret_formatted);
        close(sock[0]);
        if (fd < 0)
                return log_error_errno(fd, "sandbox %s: %s gave no device: %m", sandbox, SANDBOX_STATE_CRYPT_PATH);
        return fd;
}

int state_key_read_option(const char *value, StateKey *ret) {
        static const char prefix[] = "/proc/self/fd/";
        const char *n = strncmp(value, prefix, sizeof(prefix) - 1) == 0 ? value + sizeof(prefix) - 1 : NULL;
        uint64_t fd;
        struct stat st;
        int r;

        if (!n)
                return state_key_read(AT_FDCWD, value, ret);
        /* an fd sandboxctl run passed (a memfd): read and closed here,
         * so that nothing after holds it */
        ret->size = 0;
        if (parse_uint_range(n, 3, INT_MAX, &fd) < 0)
                return log_error_errno(-EBADF, "state key %s: not an fd", value);
        if (fstat((int) fd, &st) < 0)
                return log_error_errno(-errno, "state key %s: %m", value);
        if (!S_ISREG(st.st_mode)) {
                close((int) fd);
                return log_error_errno(-EBADFD, "state key %s: not a regular file", value);
        }
        r = lseek((int) fd, 0, SEEK_SET) < 0 ? log_error_errno(-errno, "state key %s: %m", value)
                                                 : state_key_read_fd((int) fd, value, ret);
        close((int) fd);
        return r;
}
