/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The run lock: taken by the helper, read by sandboxctl and --join (run-lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "buffer.h"
#include "log.h"
#include "quantities.h"
#include "run-lock.h"

/* /run/sandbox/NAME/ending: "HELPER KEEPER keeper" once the keeper
 * KEEPER of the sandbox whose helper is HELPER runs, "HELPER KEEPER
 * ending" once the sandbox has ended, while the keeper holds the lock
 * until its mounts are down. Beside the lock file, not in it: the lock
 * file holds the helper's PID alone, as its readers expect. A note left
 * by an earlier instance names another helper than the lock file, and is
 * not believed. */
#define LOCK_NOTE "ending"

int lock_note_open(const char *rundir) {
        char path[4200];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", rundir, LOCK_NOTE);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "lock: open %s: %m", path);
        return fd;
}

void lock_note(int fd, pid_t helper, pid_t keeper, bool ending) {
        char note[48];
        /* both the same length: the one overwrites the other whole */
        int len = snprintf(note, sizeof(note), "%d %d %s\n", (int) helper, (int) keeper, ending ? "ending" : "keeper");

        if (fd >= 0 && pwrite(fd, note, (size_t) len, 0) != len)
                log_debug("lock: note the sandbox's keeper: %m");
}

/* The keeper's PID when the note in dir (the sandbox's runtime
 * directory) says that the sandbox whose helper holds lock (the lock
 * file, by its PID) has ended, or names its keeper while that helper has
 * ended (killed: process 1 is being killed with it, and the keeper will
 * note the end once process 1 is gone); else 0. A helper's PID taken by
 * another process meanwhile reads as a sandbox that runs: the safe
 * side. */
static pid_t lock_ending_keeper(int lock, int dir) {
        _cleanup_close_ int fd = -EBADF;
        char holder[LOCK_HOLDER_MAX], buf[48], word[8];
        int helper, keeper;
        ssize_t k;

        lock_holder_read(lock, holder);
        if (!lock_holder_pid(holder))
                return 0;
        fd = openat(dir, LOCK_NOTE, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        k = read(fd, buf, sizeof(buf) - 1);
        if (k <= 0)
                return 0;
        buf[k] = 0;
        if (sscanf(buf, "%d %d %7s", &helper, &keeper, word) != 3 || helper != lock_holder_pid(holder) || keeper <= 0)
                return 0;
        if (streq(word, "ending") || (streq(word, "keeper") && kill(helper, 0) < 0 && errno == ESRCH))
                return keeper;
        return 0;
}

static int64_t now_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until keeper has ended, or until deadline: on its pidfd. Where
 * the keeper has ended already (one waited for before, or gone: a next
 * holder of the lock may be about to write its PID, or the helper named
 * is about to end) or the kernel has no pidfd, a millisecond, so that
 * the caller's loop never spins. */
static void keeper_wait(pid_t keeper, pid_t *waited, int64_t deadline) {
        struct pollfd p = { .fd = keeper == *waited ? -EBADF : (int) syscall(SYS_pidfd_open, keeper, 0),
                            .events = POLLIN };
        int64_t left = deadline - now_ms();

        *waited = keeper;
        if (left <= 0)
                return;
        (void) poll(p.fd >= 0 ? &p : NULL, p.fd >= 0, p.fd >= 0 ? (int) left : 1);
        if (p.fd >= 0)
                close(p.fd);
}

/* flock() of fd, exclusive. A sandbox that has ended holds its lock
 * until its keeper has taken its mounts down, a moment after its helper
 * has ended: that is waited for, up to LOCK_ENDING_WAIT_MS. A sandbox
 * that runs is not: -EBUSY at once. dir is the sandbox's runtime
 * directory. Returns 0, -EBUSY (*ending says whether the holder was a
 * sandbox that had ended) or -errno. */
static int lock_take(int fd, int dir, bool *ending) {
        const int64_t deadline = now_ms() + LOCK_ENDING_WAIT_MS;
        pid_t waited = 0;

        *ending = false;
        for (;;) {
                pid_t keeper;

                if (flock(fd, LOCK_EX | LOCK_NB) == 0)
                        return 0;
                if (errno != EWOULDBLOCK)
                        return -errno;
                keeper = lock_ending_keeper(fd, dir);
                *ending = keeper > 0;
                if (keeper <= 0 || now_ms() >= deadline)
                        return -EBUSY;
                keeper_wait(keeper, &waited, deadline);
        }
}

static const char *runtime_root = RUNTIME_ROOT;

void run_lock_set_root(const char *root) {
        runtime_root = root ? root : RUNTIME_ROOT;
}

int instance_lock(const char *name, char *rundir, size_t size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_close_ int dir = -EBADF;
        char path[4200], holder[LOCK_HOLDER_MAX] = "";
        struct stat st;
        bool ending = false;
        int r = 0;

        if (mkdir(runtime_root, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "lock: create %s: %m", runtime_root);
        snprintf(rundir, size, "%s/%s", runtime_root, name);
        if (mkdir(rundir, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "lock: create %s: %m", rundir);
        /* root's directory, not something put there to be followed */
        if (lstat(rundir, &st) < 0)
                return log_error_errno(-errno, "lock: %s: %m", rundir);
        if (!S_ISDIR(st.st_mode) || st.st_uid != 0)
                return log_error_errno(-EPERM, "lock: %s is not a directory owned by root", rundir);

        snprintf(path, sizeof(path), "%s/lock", rundir);
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "lock: open %s: %m", path);
        /* the runtime directory is opened only when the lock is taken:
         * for the note of a sandbox that has ended */
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                dir = errno == EWOULDBLOCK ? open(rundir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -EBADF;
                r = dir >= 0 ? lock_take(fd, dir, &ending) : -EBUSY;
        }
        if (r < 0 && r != -EBUSY)
                return log_error_errno(r, "lock: %s: %m", path);
        if (r < 0 && ending)
                return log_error_errno(-EBUSY, "lock: sandbox %s has ended, but its mounts are still being taken "
                                       "down after %d s (lock %s); not started", name, LOCK_ENDING_WAIT_MS / 1000,
                                       path);
        if (r < 0) {
                lock_holder_read(fd, holder);
                return log_error_errno(-EBUSY, "lock: sandbox %s is already running (%s%s%slock %s); "
                                       "one instance per name", name, *holder ? "helper PID " : "", holder,
                                       *holder ? ", " : "", path);
        }
        char pid[16];
        int len = snprintf(pid, sizeof(pid), "%d\n", (int) getpid());
        /* truncated only when an older, longer PID would show past the
         * new one: on a journalling /run a truncation costs a transaction */
        if (pwrite(fd, pid, (size_t) len, 0) != len ||
            (fstat(fd, &st) == 0 && st.st_size > len && ftruncate(fd, len) < 0))
                log_debug("lock: note the PID in %s: %m", path);
        return TAKE_FD(fd);
}

void lock_holder_read(int fd, char holder[static LOCK_HOLDER_MAX]) {
        ssize_t k = pread(fd, holder, LOCK_HOLDER_MAX - 1, 0);

        holder[k > 0 ? k : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        if (holder[strspn(holder, "0123456789")] != 0)
                holder[0] = 0;
}

pid_t lock_holder_pid(const char holder[static LOCK_HOLDER_MAX]) {
        uint64_t pid;

        return parse_uint_range(holder, 1, INT32_MAX, &pid) < 0 ? 0 : (pid_t) pid;
}

/* /run/sandbox/NAME/lock, opened step by step so that none of it is
 * made or followed: 1 and *ret_fd (with *ret_dir, the directory), 0 when
 * there is none, or -errno after logging. holder is emptied. */
static int lock_open_below(const char *root, const char *name, char holder[static LOCK_HOLDER_MAX], int *ret_fd,
                           int *ret_dir) {
        _cleanup_close_ int run = -EBADF, dir = -EBADF;
        int fd = -EBADF;

        holder[0] = 0;

        run = open(root, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (run >= 0)
                dir = openat(run, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir >= 0)
                fd = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno != ENOENT)
                return log_error_errno(-errno, "lock %s/%s/lock: %m%s", root, name, log_root_hint(-errno));
        *ret_fd = fd;
        *ret_dir = fd >= 0 ? TAKE_FD(dir) : -EBADF;
        return fd >= 0;
}

static int lock_open(const char *name, char holder[static LOCK_HOLDER_MAX], int *ret_fd, int *ret_dir) {
        return lock_open_below(RUNTIME_ROOT, name, holder, ret_fd, ret_dir);
}

int sandbox_lock_try(const char *name, int *ret_lock, char holder[static LOCK_HOLDER_MAX]) {
        _cleanup_close_ int fd = -EBADF, dir = -EBADF;
        bool ending;
        int r;

        *ret_lock = -EBADF;
        r = lock_open(name, holder, &fd, &dir);
        if (r <= 0)
                return r;
        r = lock_take(fd, dir, &ending);
        if (r < 0 && r != -EBUSY)
                return log_error_errno(r, "lock %s/%s/lock: %m", RUNTIME_ROOT, name);
        if (r < 0) {
                lock_holder_read(fd, holder);
                return -EBUSY;
        }
        *ret_lock = TAKE_FD(fd);
        return 0;
}

typedef struct FileId {
        dev_t dev;
        ino_t ino;
} FileId;

static int file_id_compare(const void *a, const void *b) {
        const FileId *x = a, *y = b;

        if (x->dev != y->dev)
                return x->dev < y->dev ? -1 : 1;
        return x->ino < y->ino ? -1 : x->ino > y->ino ? 1 : 0;
}

/* The files /proc/locks lists a flock() lock on (not a waiter for one),
 * sorted. */
/* /proc/locks, to its end. The kernel lists it a page at a time, each
 * page under its lock, by position: a lock held throughout can be left
 * out of one reading, when one listed before it is dropped between two
 * pages. */
static int proc_locks_read(Buffer *b) {
        _cleanup_close_ int fd = open("/proc/locks", O_RDONLY | O_CLOEXEC);
        char page[8192];
        ssize_t k;

        if (fd < 0)
                return -errno;
        while ((k = read(fd, page, sizeof(page))) > 0)
                buffer_append_n(b, page, (size_t) k);
        if (k < 0)
                return -errno;
        return b->oom ? -ENOMEM : 0;
}

static int flocks_list(FileId **ret, size_t *ret_n) {
        _cleanup_buffer_ Buffer b = {};
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ FileId *ids = NULL;
        size_t n = 0, allocated = 0;
        int r;

        /* read twice, and every lock either reading lists is held: one
         * held throughout is left out of both only if locks are dropped
         * just so, twice */
        r = proc_locks_read(&b);
        if (r >= 0)
                r = proc_locks_read(&b);
        if (r < 0)
                return r;
        text = buffer_steal(&b);
        if (!text)
                return -ENOMEM;
        for (char *line = text, *end; *line; line = end) {
                unsigned maj, min;
                unsigned long long ino;

                end = strchrnul(line, '\n');
                if (*end)
                        *end++ = 0;
                if (!strstr(line, " FLOCK ") || strstr(line, " -> "))
                        continue;
                /* "ID: FLOCK ADVISORY WRITE PID MAJ:MIN:INODE START END" */
                if (sscanf(line, "%*u: %*s %*s %*s %*d %x:%x:%llu", &maj, &min, &ino) != 3)
                        continue;
                if (n == allocated) {
                        FileId *t = reallocarray(ids, allocated ? allocated * 2 : 64, sizeof(FileId));

                        if (!t)
                                return -ENOMEM;
                        ids = t;
                        allocated = allocated ? allocated * 2 : 64;
                }
                ids[n++] = (FileId) { makedev(maj, min), (ino_t) ino };
        }
        if (n > 0)
                qsort(ids, n, sizeof(FileId), file_id_compare);
        *ret = TAKE_PTR(ids);
        *ret_n = n;
        return 0;
}

/* Whether /proc/locks has a flock() lock (not a waiter for one) on the
 * file st describes: 1, 0, or -errno. */
static int flock_listed(const struct stat *st) {
        _cleanup_free_ FileId *ids = NULL;
        FileId id = { st->st_dev, st->st_ino };
        size_t n = 0;
        int r;

        r = flocks_list(&ids, &n);
        if (r < 0)
                return r;
        return n > 0 && bsearch(&id, ids, n, sizeof(FileId), file_id_compare);
}

int sandbox_lock_held(const char *name, char holder[static LOCK_HOLDER_MAX]) {
        _cleanup_close_ int fd = -EBADF, dir = -EBADF;
        const int64_t deadline = now_ms() + LOCK_ENDING_WAIT_MS;
        struct stat st;
        pid_t keeper, waited = 0;
        int r;

        r = lock_open(name, holder, &fd, &dir);
        if (r <= 0)
                return r;
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "lock %s/%s/lock: %m", RUNTIME_ROOT, name);
        /* a sandbox that has ended is waited for, as by lock_take() */
        while ((r = flock_listed(&st)) > 0 && (keeper = lock_ending_keeper(fd, dir)) > 0 && now_ms() < deadline)
                keeper_wait(keeper, &waited, deadline);
        if (r < 0)
                return log_error_errno(r, "lock %s/%s/lock: read /proc/locks: %m", RUNTIME_ROOT, name);
        if (r > 0)
                lock_holder_read(fd, holder);
        return r;
}

int sandbox_locks_held_now(const char *run_root, const char *const *names, size_t n, bool *held) {
        _cleanup_free_ FileId *ids = NULL;
        size_t n_ids = 0;
        int r;

        r = flocks_list(&ids, &n_ids);
        if (r < 0)
                return log_error_errno(r, "lock: read /proc/locks: %m");
        for (size_t i = 0; i < n; i++) {
                _cleanup_close_ int fd = -EBADF, dir = -EBADF;
                char holder[LOCK_HOLDER_MAX];
                struct stat st;
                FileId id;

                r = lock_open_below(run_root ?: RUNTIME_ROOT, names[i], holder, &fd, &dir);
                /* a lock that cannot be told is taken for held: the
                 * safe side (logged) */
                held[i] = r != 0;
                if (r <= 0)
                        continue;
                if (fstat(fd, &st) < 0) {
                        log_error_errno(-errno, "lock %s/%s/lock: %m", run_root ?: RUNTIME_ROOT, names[i]);
                        continue;
                }
                id = (FileId) { st.st_dev, st.st_ino };
                held[i] = n_ids > 0 && bsearch(&id, ids, n_ids, sizeof(FileId), file_id_compare);
        }
        return 0;
}
