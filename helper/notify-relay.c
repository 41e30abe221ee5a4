/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "identity.h"
#include "log.h"
#include "macro.h"
#include "notify-relay.h"
#include "notify.h"
#include "proc-file.h"

/* linux/nsfs.h of Linux 6.10: a PID as the PID namespace of the fd sees
 * it; ESRCH when it is not in there */
#ifndef NS_GET_TGID_IN_PIDNS
#define NS_GET_TGID_IN_PIDNS _IOR(0xb7, 0x9, int)
#endif

/* systemd reads no more of a message (PIPE_BUF) */
#define MESSAGE_MAX 4096
/* descriptors taken with one message: a barrier's pipe, or what the
 * file descriptor store is given at once */
#define FDS_MAX 16
/* messages relayed a second; more wait, and so does their sender once
 * the socket's queue is full */
#define MESSAGES_PER_SECOND 256
/* how long a message waits for room in systemd's queue before it is
 * dropped: the relay's thread waits, the helper's waiting does not */
#define SEND_TRIES 100
#define SEND_RETRY_NS (10 * 1000 * 1000L)
#define RELAY_STACK_SIZE (128 * 1024)

typedef enum Verdict {
        DROP,
        RELAY,
        BARRIER,
        STORE, /* the file descriptor store: with --fd-store only */
} Verdict;

typedef struct Message {
        char out[MESSAGE_MAX + 1];
        size_t out_len;
        bool barrier, store;
        int fds[FDS_MAX];
        size_t n_fds;
} Message;

static bool is_number(const char *v) {
        size_t n = strspn(v, "0123456789");

        return n > 0 && n <= 20 && v[n] == 0;
}

static bool is_bus_error(const char *v) {
        size_t n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.");

        return n > 0 && n <= 255 && v[n] == 0;
}

/* no control character: systemctl shows STATUS= on the admin's terminal */
static bool is_text(const char *v) {
        for (; *v; v++)
                if ((unsigned char) *v < ' ' || *v == 0x7f)
                        return false;
        return true;
}

/* as systemd's fdname_is_valid(): printable ASCII but ":", at most 255 */
static bool is_fd_name(const char *v) {
        size_t n = 0;

        for (; v[n]; n++)
                if (v[n] < ' ' || v[n] > '~' || v[n] == ':')
                        return false;
        return n <= 255;
}

/* What a service may tell systemd through the sandbox; MAINPID above
 * all may not (it would make systemd signal any process of the host). */
static Verdict classify(const char *key, const char *v) {
        if (streq(key, "READY") || streq(key, "RELOADING") || streq(key, "STOPPING"))
                return streq(v, "1") ? RELAY : DROP;
        if (streq(key, "STATUS"))
                return is_text(v) ? RELAY : DROP;
        if (streq(key, "WATCHDOG"))
                return streq(v, "1") || streq(v, "trigger") ? RELAY : DROP;
        if (streq(key, "MONOTONIC_USEC") || streq(key, "WATCHDOG_USEC") || streq(key, "EXTEND_TIMEOUT_USEC") ||
            streq(key, "ERRNO"))
                return is_number(v) ? RELAY : DROP;
        if (streq(key, "BUSERROR"))
                return is_bus_error(v) ? RELAY : DROP;
        if (streq(key, "BARRIER"))
                return streq(v, "1") ? BARRIER : DROP;
        if (streq(key, "FDSTORE") || streq(key, "FDSTOREREMOVE"))
                return streq(v, "1") ? STORE : DROP;
        if (streq(key, "FDNAME"))
                return is_fd_name(v) ? STORE : DROP;
        if (streq(key, "FDPOLL"))
                return streq(v, "0") ? STORE : DROP;
        return DROP;
}

static void dropped(const NotifyRelay *r, const char *line) {
        static bool mainpid_said, store_said;

        if (strncmp(line, "MAINPID=", 8) == 0 && !mainpid_said) {
                mainpid_said = true;
                log_warning("notification relay: the service sent MAINPID=, which a sandbox does not pass on: "
                            "systemd's main process stays the helper");
        } else if (strncmp(line, "FD", 2) == 0 && !r->fd_store && !store_said) {
                store_said = true;
                log_warning("notification relay: the service uses the file descriptor store, which its profile "
                            "does not allow (<service fd-store=\"N\">): not passed on");
        }
        log_debug("notification relay: dropped %.64s", line);
}

/* lines joined by "\n", as sd_notify() writes them; never longer than
 * what was received */
static void append(Message *m, const char *line, size_t n) {
        if (m->out_len > 0)
                m->out[m->out_len++] = '\n';
        memcpy(m->out + m->out_len, line, n);
        m->out_len += n;
}

/* Keeps the lines that may go on, in m->out. buf is NUL-terminated at
 * n and has no other NUL. */
static void filter(const NotifyRelay *r, char *buf, Message *m) {
        char *line = buf;

        while (line && *line) {
                char *end = strchr(line, '\n'), *eq;
                size_t n;
                Verdict v;

                if (end)
                        *end = 0;
                n = strlen(line);
                eq = strchr(line, '=');
                if (eq) {
                        *eq = 0;
                        v = classify(line, eq + 1);
                        *eq = '=';
                } else
                        v = DROP;
                if (v == STORE && !r->fd_store)
                        v = DROP;
                if (v == RELAY || v == STORE)
                        append(m, line, n);
                if (v == STORE && strncmp(line, "FDSTORE=", 8) == 0)
                        m->store = true;
                if (v == BARRIER)
                        m->barrier = true;
                if (v == DROP && n > 0)
                        dropped(r, line);
                line = end ? end + 1 : NULL;
        }
}

static int send_out(const NotifyRelay *r, const char *p, size_t n, const int *fds, size_t n_fds) {
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int) * FDS_MAX)];
        } control = {};
        struct iovec iov = { .iov_base = (void *) p, .iov_len = n };
        struct msghdr mh = {
                .msg_name = (void *) &r->dest, .msg_namelen = r->dest_len,
                .msg_iov = &iov, .msg_iovlen = 1,
        };

        if (n_fds > 0) {
                struct cmsghdr *c;

                mh.msg_control = control.buf;
                mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
                memcpy(CMSG_DATA(c), fds, sizeof(int) * n_fds);
        }
        /* never blocks on systemd: a full queue is tried again for a
         * while, then the message is dropped */
        for (unsigned i = 0;; i++) {
                if (sendmsg(r->out, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
                        return 0;
                if (errno != EAGAIN || i >= SEND_TRIES)
                        return log_errno(LOG_LEVEL_DEBUG, -errno, "notification relay: to systemd: %m");
                (void) nanosleep(&(struct timespec) { .tv_nsec = SEND_RETRY_NS }, NULL);
        }
}

/* pid's parent, from /proc/PID/stat (readable to all, unlike
 * /proc/PID/ns/); 0 when it cannot be read */
static pid_t parent_of(pid_t pid) {
        uint64_t start;
        pid_t parent;

        return proc_stat_parent_start(pid, &parent, &start) < 0 ? 0 : parent;
}

/* A process of this sandbox: one its PID namespace has a PID for. Where
 * the kernel cannot say (before Linux 6.10), a descendant of process 1:
 * whatever the service starts, and what it orphans, which process 1
 * reaps (a joined command, which has no NOTIFY_SOCKET, is not). A sender
 * that has ended already cannot be told from one outside and is refused
 * too, as systemd refuses a notification it cannot attribute:
 * sd_notify_barrier() waits until its messages are read. Process 1 is
 * the exception: its PID is this process's child's until the helper
 * reaps it, and its READY=1 (--ready-on-exec) is relayed even when it
 * has ended since (notify_relay_flush()). */
static bool from_sandbox(const NotifyRelay *r, pid_t pid) {
        if (pid <= 0)
                return false;
        if (pid == r->init)
                return true;
        if (ioctl(r->pidns, NS_GET_TGID_IN_PIDNS, (unsigned long) pid) > 0)
                return true;
        if (errno != ENOTTY)
                return false;
        for (unsigned depth = 0; pid > 1 && depth < 4096; depth++) {
                if (pid == r->init)
                        return true;
                pid = parent_of(pid);
        }
        return false;
}

static bool is_pipe(int fd) {
        struct stat st;

        return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Relays the message waiting on the socket, if any; false when there
 * was none. */
static bool relay_one(const NotifyRelay *r) {
        static char buf[MESSAGE_MAX + 1];
        static Message m;
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * FDS_MAX)];
        } control;
        struct iovec iov = { .iov_base = buf, .iov_len = MESSAGE_MAX };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                             .msg_controllen = sizeof(control.buf) };
        const struct ucred *cred = NULL;
        ssize_t n;

        n = recvmsg(r->sandbox, &mh, MSG_CMSG_CLOEXEC | MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0)
                return false;
        m = (Message) {};
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                if (c->cmsg_level != SOL_SOCKET)
                        continue;
                if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len == CMSG_LEN(sizeof(struct ucred)))
                        cred = (const struct ucred *) CMSG_DATA(c);
                else if (c->cmsg_type == SCM_RIGHTS) {
                        size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

                        for (size_t i = 0; i < k; i++) {
                                int fd;

                                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                                if (m.n_fds < FDS_MAX)
                                        m.fds[m.n_fds++] = fd;
                                else
                                        close(fd);
                        }
                }
        }
        if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
                log_debug("notification relay: a message longer than %d bytes or with more than %d descriptors, dropped",
                          MESSAGE_MAX, FDS_MAX);
        else if (!cred || !from_sandbox(r, cred->pid))
                log_debug("notification relay: a message from PID %d, not a process of this sandbox, dropped",
                          cred ? (int) cred->pid : 0);
        else if (memchr(buf, 0, (size_t) n))
                log_debug("notification relay: a message with a NUL byte, dropped");
        else {
                buf[n] = 0;
                filter(r, buf, &m);
                if (m.out_len > 0)
                        (void) send_out(r, m.out, m.out_len, m.store ? m.fds : NULL, m.store ? m.n_fds : 0);
                /* sd_notify_barrier(): a pipe systemd closes once it has
                 * read every message before it; passed on after them */
                if (m.barrier && !m.store && m.n_fds == 1 && is_pipe(m.fds[0]))
                        (void) send_out(r, "BARRIER=1", 9, m.fds, 1);
        }
        for (size_t i = 0; i < m.n_fds; i++)
                close(m.fds[i]);
        return true;
}

/* one message at a time, by the relay's thread or, at the end, by
 * notify_relay_flush(): in the order they were sent */
static pthread_mutex_t relaying = PTHREAD_MUTEX_INITIALIZER;

static void *relay(void *userdata) {
        const NotifyRelay *r = userdata;
        struct timespec window = {}, now;
        unsigned count = 0;
        bool said = false;
        int e;

        /* what the sandbox sends is read with no capability at all, not
         * even the waiting thread's CAP_KILL (capabilities are a
         * thread's own); failing that, nothing is relayed */
        e = capabilities_set(0, 0);
        if (e < 0) {
                log_error_errno(e, "notification relay: drop every capability: %m");
                return NULL;
        }
        for (;;) {
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (now.tv_sec != window.tv_sec) {
                        window = now;
                        count = 0;
                } else if (count >= MESSAGES_PER_SECOND) {
                        struct timespec next = { .tv_sec = window.tv_sec + 1 };

                        if (!said)
                                log_warning("notification relay: more than %d messages a second; the rest wait",
                                            MESSAGES_PER_SECOND);
                        said = true;
                        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
                                ;
                        continue;
                }
                if (poll(&(struct pollfd) { .fd = r->sandbox, .events = POLLIN }, 1, -1) < 0)
                        continue;
                count++;
                pthread_mutex_lock(&relaying);
                (void) relay_one(r);
                pthread_mutex_unlock(&relaying);
        }
        return NULL;
}

int notify_relay_prepare(NotifyRelay *r, bool fd_store) {
        const char *s = getenv("NOTIFY_SOCKET");
        int n;

        r->fd_store = fd_store;
        if (!s)
                return 0;
        n = notify_destination(s, &r->dest);
        if (n < 0)
                return n;
        r->dest_len = (socklen_t) n;
        r->out = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (r->out < 0)
                return log_error_errno(-errno, "notification relay: socket: %m");
        r->sandbox = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (r->sandbox < 0 || setsockopt(r->sandbox, SOL_SOCKET, SO_PASSCRED, &(int) { 1 }, sizeof(int)) < 0)
                return log_error_errno(-errno, "notification relay: socket: %m");
        if (setenv("NOTIFY_SOCKET", NOTIFY_SANDBOX_SOCKET, 1) < 0)
                return log_oom();
        return 0;
}

int notify_relay_attach(NotifyRelay *r, pid_t init) {
        char path[64];

        if (r->sandbox < 0)
                return 0;
        r->init = init;
        snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int) init);
        r->pidns = open(path, O_RDONLY | O_CLOEXEC);
        if (r->pidns < 0)
                return log_error_errno(-errno, "notification relay: the sandbox's PID namespace: %m");
        return 0;
}

int notify_relay_start(NotifyRelay *r) {
        pthread_attr_t attr;
        sigset_t all, old;
        pthread_t t;
        int e;

        if (r->sandbox < 0)
                return 0;
        /* the signals stay the waiting thread's */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        e = pthread_attr_init(&attr);
        if (e == 0)
                e = pthread_attr_setstacksize(&attr, RELAY_STACK_SIZE);
        if (e == 0)
                e = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (e == 0)
                e = pthread_create(&t, &attr, relay, r);
        pthread_attr_destroy(&attr);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (e != 0)
                return log_error_errno(-e, "notification relay: %m");
        return 0;
}

void notify_relay_flush(NotifyRelay *r) {
        if (r->sandbox < 0)
                return;
        /* read with no capability, as the relay's thread reads; nothing
         * is left to signal */
        if (capabilities_set(0, 0) < 0)
                return;
        pthread_mutex_lock(&relaying);
        while (relay_one(r))
                ;
        pthread_mutex_unlock(&relaying);
}

void notify_relay_done(NotifyRelay *r) {
        closep(&r->sandbox);
        closep(&r->out);
        closep(&r->pidns);
}
