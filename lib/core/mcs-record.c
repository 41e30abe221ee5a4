/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "regular-file.h"
#include "mcs-record.h"
#include "names.h"

#define PAIRS (MCS_CATEGORIES * (MCS_CATEGORIES - 1) / 2)
#define RECORD_MAX (4U << 20)
#define RECORD_NEW MCS_RECORD ".new"
/* how often the record may be replaced under a process that waits for
 * its lock before that one gives up */
#define LOCK_TRIES 1000

/* pair number n (0 <= n < PAIRS) as a < b */
static void pair_of(uint32_t n, unsigned *a, unsigned *b) {
        unsigned row = 0;

        while (n >= MCS_CATEGORIES - 1 - row) {
                n -= MCS_CATEGORIES - 1 - row;
                row++;
        }
        *a = row;
        *b = row + 1 + n;
}

static uint32_t pair_number(unsigned a, unsigned b) {
        uint32_t n = 0;

        for (unsigned row = 0; row < a; row++)
                n += MCS_CATEGORIES - 1 - row;
        return n + (b - a - 1);
}

/* FNV-1a: the same name gives the same first choice on every host */
static uint32_t name_hash(const char *s) {
        uint32_t h = 2166136261U;

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 16777619U;
        return h;
}

/* The record below root, locked: the file that is the record once the
 * lock is held, as a rewrite may have renamed another over the one
 * opened. With create, opened for writing and made when missing; else
 * read-only, and -ENOENT (not logged) when there is none. */
static int record_lock(int root, const char *shown, bool create) {
        for (unsigned i = 0; i < LOCK_TRIES; i++) {
                _cleanup_close_ int fd = -EBADF;
                struct stat st, now;

                fd = openat(root, MCS_RECORD, (create ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_NONBLOCK |
                            O_NOCTTY | O_CLOEXEC, 0600);
                if (fd < 0 && errno == ENOENT && !create)
                        return -ENOENT;
                if (fd < 0)
                        return log_error_errno(-errno, "selinux: %s/%s: %m", shown, MCS_RECORD);
                if (fstat(fd, &st) < 0)
                        return log_error_errno(-errno, "selinux: %s/%s: %m", shown, MCS_RECORD);
                if (!stat_is_root_only_file(&st))
                        return log_error_errno(-EPERM, "selinux: %s/%s is not a regular file of root's that only "
                                               "root can write; not used", shown, MCS_RECORD);
                if (flock(fd, LOCK_EX) < 0)
                        return log_error_errno(-errno, "selinux: lock %s/%s: %m", shown, MCS_RECORD);
                if (fstatat(root, MCS_RECORD, &now, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno != ENOENT)
                                return log_error_errno(-errno, "selinux: %s/%s: %m", shown, MCS_RECORD);
                        continue;
                }
                if (now.st_dev == st.st_dev && now.st_ino == st.st_ino)
                        return TAKE_FD(fd);
        }
        return log_error_errno(-EBUSY, "selinux: %s/%s was replaced %d times while waiting for its lock", shown,
                               MCS_RECORD, LOCK_TRIES);
}

/* The locked record's text, NUL-terminated, of bounded size. */
static int record_read(int fd, const char *shown, char **ret, size_t *ret_size) {
        _cleanup_free_ char *text = NULL;
        struct stat st;
        ssize_t k;

        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "selinux: %s/%s: %m", shown, MCS_RECORD);
        if ((uint64_t) st.st_size > RECORD_MAX)
                return log_error_errno(-EFBIG, "selinux: %s/%s is larger than %u bytes; not used", shown, MCS_RECORD,
                                       RECORD_MAX);
        text = malloc((size_t) st.st_size + 1);
        if (!text)
                return log_oom();
        k = pread(fd, text, (size_t) st.st_size, 0);
        if (k < 0)
                return log_error_errno(-errno, "selinux: read %s/%s: %m", shown, MCS_RECORD);
        text[k] = 0;
        if (strlen(text) != (size_t) k)
                return log_error_errno(-EBADMSG, "selinux: %s/%s holds a NUL byte", shown, MCS_RECORD);
        *ret = TAKE_PTR(text);
        *ret_size = (size_t) k;
        return 0;
}

typedef struct Scan {
        const char *name;
        bool found;
        unsigned a, b;
        size_t complete;  /* the length of the complete lines */
        char *kept;       /* if not NULL: the lines of other names */
        size_t n_kept;
        uint8_t *used;    /* if not NULL: the pairs taken */
} Scan;

/* Reads every complete line of text, each "NAME cA,cB", a < b, no pair
 * twice. A last line without its newline is one whose writing was cut
 * short (the helper fails that start): it is left out. */
static int record_scan(char *text, size_t size, const char *shown, Scan *s) {
        _cleanup_free_ uint8_t *seen = calloc(PAIRS / 8 + 1, 1);

        if (!seen)
                return log_oom();
        for (char *l = text, *end; (end = memchr(l, '\n', size - (size_t) (l - text))); l = end + 1) {
                char who[256], canonical[300];
                unsigned a = 0, b = 0;
                uint32_t n;

                *end = 0;
                /* exactly as written: no other spaces, signs or zeros */
                if (sscanf(l, "%255s c%u,c%u", who, &a, &b) != 3 || a >= b || b >= MCS_CATEGORIES ||
                    !sandbox_name_is_valid(who) ||
                    (snprintf(canonical, sizeof(canonical), "%s c%u,c%u", who, a, b), !streq(canonical, l)))
                        return log_error_errno(-EBADMSG, "selinux: %s/%s: a line that is not \"NAME cA,cB\": %.64s",
                                               shown, MCS_RECORD, text_is_printable(l) ? l : "(unprintable)");
                n = pair_number(a, b);
                if (seen[n / 8] & (1U << (n % 8)))
                        return log_error_errno(-EBADMSG, "selinux: %s/%s gives the categories c%u,c%u twice; not used",
                                               shown, MCS_RECORD, a, b);
                seen[n / 8] |= (uint8_t) (1U << (n % 8));
                if (streq(who, s->name)) {
                        if (s->found)
                                return log_error_errno(-EBADMSG, "selinux: %s/%s names sandbox %s twice; not used",
                                                       shown, MCS_RECORD, who);
                        s->found = true;
                        s->a = a;
                        s->b = b;
                } else if (s->kept) {
                        s->n_kept += (size_t) sprintf(s->kept + s->n_kept, "%s\n", l);
                }
                s->complete = (size_t) (end + 1 - text);
        }
        if (s->used)
                memcpy(s->used, seen, PAIRS / 8 + 1);
        return 0;
}

int mcs_record_pair(int root, const char *shown, const char *name, bool add, unsigned *ret_a, unsigned *ret_b) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ uint8_t *used = NULL;
        Scan s = { .name = name };
        char line[512];
        unsigned a, b;
        size_t size;
        uint32_t n;
        int r, len;

        fd = record_lock(root, shown, add);
        if (fd < 0)
                return fd;
        r = record_read(fd, shown, &text, &size);
        if (r < 0)
                return r;
        used = add ? calloc(PAIRS / 8 + 1, 1) : NULL;
        if (add && !used)
                return log_oom();
        s.used = used;
        r = record_scan(text, size, shown, &s);
        if (r < 0)
                return r;
        if (s.found) {
                *ret_a = s.a;
                *ret_b = s.b;
                return 0;
        }
        if (!add)
                return -ENOENT;
        n = name_hash(name) % PAIRS;
        for (uint32_t tries = 0; used[n / 8] & (1U << (n % 8)); tries++) {
                if (tries == PAIRS)
                        return log_error_errno(-ENOSPC, "selinux: every pair of MCS categories is taken");
                n = (n + 1) % PAIRS;
        }
        pair_of(n, &a, &b);
        len = snprintf(line, sizeof(line), "%s c%u,c%u\n", name, a, b);
        /* a line cut short by an earlier writer is dropped first */
        if ((s.complete < size && ftruncate(fd, (off_t) s.complete) < 0) ||
            pwrite(fd, line, (size_t) len, (off_t) s.complete) != len || fsync(fd) < 0)
                return log_error_errno(errno ? -errno : -EIO, "selinux: record the categories in %s/%s: %m", shown,
                                       MCS_RECORD);
        *ret_a = a;
        *ret_b = b;
        return 1;
}

/* Writes text as the new record: a file of its own, renamed over it. */
static int record_replace(int root, const char *shown, const char *text, size_t n) {
        _cleanup_close_ int fd = -EBADF;
        size_t done = 0;
        int r = 0;

        (void) unlinkat(root, RECORD_NEW, 0);
        fd = openat(root, RECORD_NEW, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "selinux: create %s/%s: %m", shown, RECORD_NEW);
        while (r >= 0 && done < n) {
                ssize_t k = write(fd, text + done, n - done);

                if (k <= 0)
                        r = k < 0 ? -errno : -EIO;
                else
                        done += (size_t) k;
        }
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r >= 0 && renameat(root, RECORD_NEW, root, MCS_RECORD) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlinkat(root, RECORD_NEW, 0);
                return log_error_errno(r, "selinux: write %s/%s: %m", shown, MCS_RECORD);
        }
        /* the rename itself, before the state is said to be gone */
        (void) fsync(root);
        return 0;
}

int mcs_record_release(int root, const char *shown, const char *name, unsigned *ret_a, unsigned *ret_b) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL, *kept = NULL;
        Scan s = { .name = name };
        size_t size;
        int r;

        fd = record_lock(root, shown, false);
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        r = record_read(fd, shown, &text, &size);
        if (r < 0)
                return r;
        s.kept = kept = malloc(size + 1);
        if (!kept)
                return log_oom();
        r = record_scan(text, size, shown, &s);
        if (r < 0)
                return r;
        if (!s.found)
                return 0;
        r = record_replace(root, shown, kept, s.n_kept);
        if (r < 0)
                return r;
        *ret_a = s.a;
        *ret_b = s.b;
        return 1;
}
