/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ranges of host IDs of sandboxes with a user namespace of their own,
 * and their records (userns-range.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#include "names.h"
#include "regular-file.h"
#include "state-dir.h"
#include "userns-range.h"

/* "4294967295 4294967295 shifting\n" and some */
#define RECORD_MAX 64
#define RECORD_NEW "." USERNS_RECORD ".new"
/* /etc/subuid lists a line per user given subordinate IDs */
#define DELEGATION_MAX (16U << 20)

const char *userns_state_to_string(UsernsState s) {
        return s == USERNS_SHIFTING ? "shifting" : "ready";
}

/* The path of fd, for messages: what /proc says, or a placeholder. */
static const char *fd_shown(int fd, char *buf, size_t size) {
        char link[64];
        ssize_t k;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        k = readlink(link, buf, size - 1);
        if (k <= 0)
                return "(a sandbox's state)";
        buf[k] = 0;
        return buf;
}

/* The directory fd itself synced: the rename or removal in it made to
 * last. fd may be O_PATH (as the helper opens a state), which fsync()
 * refuses. */
static int dir_sync(int fd) {
        _cleanup_close_ int d = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (d < 0 || fsync(d) < 0)
                return -errno;
        return 0;
}

/* Whether r is a range of the whole pool: what a record may hold. */
static bool record_valid(const UsernsRecord *r) {
        return r->size == USERNS_RANGE_SIZE && r->base % USERNS_RANGE_SIZE == 0 && r->base >= USERNS_POOL_FIRST &&
               r->base < USERNS_POOL_END;
}

static int record_parse(const char *text, UsernsRecord *ret) {
        char canonical[RECORD_MAX + 1], word[16];
        unsigned long long base, size;
        UsernsRecord r;

        /* exactly as written: no other spaces, signs or zeros */
        if (sscanf(text, "%llu %llu %15s", &base, &size, word) != 3 || base > UINT32_MAX || size > UINT32_MAX)
                return -EBADMSG;
        if (streq(word, "ready"))
                r.state = USERNS_READY;
        else if (streq(word, "shifting"))
                r.state = USERNS_SHIFTING;
        else
                return -EBADMSG;
        r.base = (uint32_t) base;
        r.size = (uint32_t) size;
        snprintf(canonical, sizeof(canonical), "%u %u %s\n", r.base, r.size, userns_state_to_string(r.state));
        if (!streq(canonical, text) || !record_valid(&r))
                return -EBADMSG;
        *ret = r;
        return 0;
}

int userns_record_read(int state, UsernsRecord *ret) {
        _cleanup_close_ int fd = -EBADF;
        char text[RECORD_MAX + 1], shown[PATH_MAX];
        struct stat st;
        ssize_t k;

        fd = openat(state, USERNS_RECORD, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return -ENOENT;
        if (fd < 0 && errno == ELOOP)
                return log_error_errno(-EBADMSG, "user namespace: %s/%s is a symbolic link; not used",
                                       fd_shown(state, shown, sizeof(shown)), USERNS_RECORD);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s/%s: %m", fd_shown(state, shown, sizeof(shown)), USERNS_RECORD);
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "user namespace: %s/%s: %m", fd_shown(state, shown, sizeof(shown)), USERNS_RECORD);
        if (!stat_is_root_only_file(&st))
                return log_error_errno(-EBADMSG, "user namespace: %s/%s is not a regular file of root's that only "
                                       "root can write; not used", fd_shown(state, shown, sizeof(shown)), USERNS_RECORD);
        if (st.st_size > RECORD_MAX)
                return log_error_errno(-EBADMSG, "user namespace: %s/%s is larger than %d bytes; not used",
                                       fd_shown(state, shown, sizeof(shown)), USERNS_RECORD, RECORD_MAX);
        k = read_fd_into(fd, text, sizeof(text));
        if (k < 0)
                return log_error_errno((int) k, "user namespace: read %s/%s: %m", fd_shown(state, shown, sizeof(shown)),
                                       USERNS_RECORD);
        if (strlen(text) != (size_t) k || record_parse(text, ret) < 0)
                return log_error_errno(-EBADMSG, "user namespace: %s/%s is not \"BASE %u ready|shifting\" with a "
                                       "BASE of 0x%x-0x%x, a multiple of %u; not used", fd_shown(state, shown, sizeof(shown)),
                                       USERNS_RECORD, USERNS_RANGE_SIZE, USERNS_POOL_FIRST, USERNS_POOL_END - 1,
                                       USERNS_RANGE_SIZE);
        return 0;
}

int userns_record_write(int state, const UsernsRecord *r) {
        _cleanup_close_ int fd = -EBADF;
        char text[RECORD_MAX + 1], shown[PATH_MAX];
        size_t n, done = 0;
        int e = 0;

        if (!record_valid(r))
                return log_error_errno(-EINVAL, "user namespace: %u+%u is not a range of the pool; not recorded",
                                       r->base, r->size);
        n = (size_t) snprintf(text, sizeof(text), "%u %u %s\n", r->base, r->size, userns_state_to_string(r->state));
        (void) unlinkat(state, RECORD_NEW, 0);
        fd = openat(state, RECORD_NEW, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: create %s/%s: %m", fd_shown(state, shown, sizeof(shown)),
                                       RECORD_NEW);
        /* not the umask's */
        if (fchmod(fd, 0644) < 0)
                e = -errno;
        while (e >= 0 && done < n) {
                ssize_t k = write(fd, text + done, n - done);

                if (k <= 0)
                        e = k < 0 ? -errno : -EIO;
                else
                        done += (size_t) k;
        }
        if (e >= 0 && fsync(fd) < 0)
                e = -errno;
        if (e >= 0 && renameat(state, RECORD_NEW, state, USERNS_RECORD) < 0)
                e = -errno;
        if (e < 0) {
                (void) unlinkat(state, RECORD_NEW, 0);
                return log_error_errno(e, "user namespace: write %s/%s: %m", fd_shown(state, shown, sizeof(shown)), USERNS_RECORD);
        }
        /* the rename itself, before anything is owned by the range */
        e = dir_sync(state);
        if (e < 0)
                return log_error_errno(e, "user namespace: sync %s: %m", fd_shown(state, shown, sizeof(shown)));
        return 0;
}

int userns_record_remove(int state) {
        char shown[PATH_MAX];
        int r;

        if (unlinkat(state, USERNS_RECORD, 0) < 0 && errno != ENOENT)
                return log_error_errno(-errno, "user namespace: remove %s/%s: %m", fd_shown(state, shown, sizeof(shown)),
                                       USERNS_RECORD);
        (void) unlinkat(state, RECORD_NEW, 0);
        r = dir_sync(state);
        if (r < 0)
                return log_error_errno(r, "user namespace: sync %s: %m", fd_shown(state, shown, sizeof(shown)));
        return 0;
}

typedef struct Delegations {
        struct { uint64_t start, count; } *items;
        size_t n;
} Delegations;

static void delegations_done(Delegations *d) {
        free(d->items);
}

/* Every line NAME:START:COUNT of the delegation file path (the name a
 * user's or a number) into *d; other lines are left out. */
static int delegations_load(const char *path, Delegations *d) {
        _cleanup_free_ char *text = NULL;
        unsigned line_no = 0;
        size_t n;
        int r;

        r = read_regular_file(path, DELEGATION_MAX, &text, &n, NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_error_errno(r, "user namespace: read %s: %m; no range is taken while what it delegates is "
                                       "not known", path);
        for (char *l = text, *end; l < text + n; l = end + 1) {
                unsigned long long start, count;
                char *colon, *p;

                end = memchr(l, '\n', n - (size_t) (l - text));
                if (!end)
                        end = text + n;
                *end = 0;
                line_no++;
                /* spaces at its end, or a carriage return, are no reason to miss a range */
                for (char *t = end; t > l && strchr(" \t\r", t[-1]); t--)
                        t[-1] = 0;
                if (!*l)
                        continue;
                colon = strchr(l, ':');
                p = colon ? colon + 1 : NULL;
                errno = 0;
                if (!p || colon == l || *p < '0' || *p > '9' || (start = strtoull(p, &p, 10), errno) || *p != ':' ||
                    p[1] < '0' || p[1] > '9' || (count = strtoull(p + 1, &p, 10), errno) || *p ||
                    start > UINT32_MAX || count > (1ULL << 32)) {
                        log_debug("user namespace: %s:%u is not NAME:START:COUNT; left out", path, line_no);
                        continue;
                }
                if (count == 0)
                        continue;
                if (d->n % 64 == 0) {
                        void *t = reallocarray(d->items, d->n + 64, sizeof(*d->items));

                        if (!t)
                                return log_oom();
                        d->items = t;
                }
                d->items[d->n].start = start;
                d->items[d->n].count = count;
                d->n++;
        }
        return 0;
}

static bool delegations_overlap(const Delegations *d, uint64_t base, uint64_t size) {
        for (size_t i = 0; i < d->n; i++)
                if (d->items[i].start < base + size && base < d->items[i].start + d->items[i].count)
                        return true;
        return false;
}

/* both files' lines into one list */
static int delegations_load_both(const char *subuid, const char *subgid, Delegations *d) {
        int r = delegations_load(subuid, d);

        return r < 0 ? r : delegations_load(subgid, d);
}

int userns_range_delegated(const char *subuid, const char *subgid, uint32_t base, uint32_t size) {
        _cleanup_(delegations_done) Delegations d = {};
        int r = delegations_load_both(subuid, subgid, &d);

        return r < 0 ? r : delegations_overlap(&d, base, size);
}

int userns_range_lock(int root, const char *shown) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        fd = openat(root, USERNS_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s/%s: %m%s", shown, USERNS_LOCK,
                                       log_root_hint(-errno));
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "user namespace: %s/%s: %m", shown, USERNS_LOCK);
        if (!stat_is_root_only_file(&st))
                return log_error_errno(-EPERM, "user namespace: %s/%s is not a regular file of root's that only root "
                                       "can write; not used", shown, USERNS_LOCK);
        if (flock(fd, LOCK_EX) < 0)
                return log_error_errno(-errno, "user namespace: lock %s/%s: %m", shown, USERNS_LOCK);
        return TAKE_FD(fd);
}

/* FNV-1a: the same name gives the same first choice on every host */
static uint32_t name_hash(const char *s) {
        uint32_t h = 2166136261U;

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 16777619U;
        return h;
}

/* Marks the slot of every record below root but name's in used (slots
 * from pool->first). A record that cannot be read holds a range that is
 * not known: nothing is taken then. */
static int slots_scan(int root, const char *shown, const char *name, const UsernsPool *pool, uint8_t *used) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int fd;

        fd = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "user namespace: %s: %m", shown);
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return log_error_errno(-errno, "user namespace: %s: %m", shown);
        }
        while ((errno = 0, de = readdir(d))) {
                _cleanup_close_ int state = -EBADF;
                UsernsRecord rec;
                int r;

                /* the lock, the MCS record, a clone being made */
                if (de->d_name[0] == '.' || streq(de->d_name, name))
                        continue;
                state = openat(root, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (state < 0 && (errno == ENOTDIR || errno == ELOOP || errno == ENOENT))
                        continue;
                if (state < 0)
                        return log_error_errno(-errno, "user namespace: %s/%s: %m", shown, de->d_name);
                r = userns_record_read(state, &rec);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return log_error_errno(r, "user namespace: the range of %s/%s is not known; no range is "
                                               "taken while it is not", shown, de->d_name);
                if (rec.base >= pool->first && rec.base < pool->end)
                        used[(rec.base - pool->first) / USERNS_RANGE_SIZE] = 1;
        }
        if (errno != 0)
                return log_error_errno(-errno, "user namespace: read %s: %m", shown);
        return 0;
}

int userns_range_acquire_locked(int root, const char *shown, const char *name, int state, UsernsState initial,
                                const UsernsPool *pool, UsernsRecord *ret) {
        _cleanup_(delegations_done) Delegations delegated = {};
        _cleanup_free_ uint8_t *used = NULL;
        uint32_t slots, first;
        int r;

        if (pool->first < USERNS_POOL_FIRST || pool->end > USERNS_POOL_END || pool->first >= pool->end ||
            pool->first % USERNS_RANGE_SIZE || pool->end % USERNS_RANGE_SIZE)
                return log_error_errno(-EINVAL, "user namespace: 0x%x-0x%x is not a part of the pool", pool->first,
                                       pool->end);
        r = userns_record_read(state, ret);
        if (r != -ENOENT)
                return r;

        slots = (pool->end - pool->first) / USERNS_RANGE_SIZE;
        used = calloc(slots, 1);
        if (!used)
                return log_oom();
        r = slots_scan(root, shown, name, pool, used);
        if (r < 0)
                return r;
        /* read at each allocation: a range delegated since is not taken */
        r = delegations_load_both(pool->subuid, pool->subgid, &delegated);
        if (r < 0)
                return r;
        first = name_hash(name) % slots;
        for (uint32_t i = 0; i < slots; i++) {
                uint32_t slot = (first + i) % slots;
                UsernsRecord rec = {
                        .base = pool->first + slot * USERNS_RANGE_SIZE,
                        .size = USERNS_RANGE_SIZE,
                        .state = initial,
                };

                if (used[slot])
                        continue;
                if (delegations_overlap(&delegated, rec.base, rec.size)) {
                        log_debug("user namespace: %u-%u is delegated in %s or %s; skipped", rec.base,
                                  rec.base + rec.size - 1, pool->subuid, pool->subgid);
                        continue;
                }
                r = userns_record_write(state, &rec);
                if (r < 0)
                        return r;
                *ret = rec;
                return 0;
        }
        return log_error_errno(-ENOSPC, "user namespace: every range of host IDs 0x%x-0x%x is taken by another "
                               "sandbox's state or delegated in %s or %s; delete the state of a sandbox no longer "
                               "used", pool->first, pool->end - 1, pool->subuid, pool->subgid);
}

int userns_range_acquire(const char *state_root, const char *name, int state, UsernsState initial,
                         UsernsRecord *ret) {
        _cleanup_close_ int root = -EBADF, lock = -EBADF;

        if (!sandbox_name_is_valid(name))
                return log_error_errno(-EINVAL, "user namespace: \"%s\" is not a sandbox name", name);
        root = state_root_walk(state_root, 0);
        if (root < 0)
                return root == -ENOENT ? log_error_errno(root, "user namespace: %s: %m", state_root) : root;
        lock = userns_range_lock(root, state_root);
        if (lock < 0)
                return lock;
        return userns_range_acquire_locked(root, state_root, name, state, initial, &USERNS_POOL_DEFAULT, ret);
}
