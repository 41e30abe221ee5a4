/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the ranges of host IDs of sandboxes with a user namespace
 * of their own (lib/core/userns-range.c): the record written and read
 * back, records that are not as written refused (a symbolic link, other
 * owners, bad lines), a name's range the same at every allocation, 200
 * names with 200 ranges apart, slots that /etc/subuid or /etc/subgid
 * lines (test files) delegate skipped, a pool of three slots full
 * (-ENOSPC) until a record goes, and 32 processes taking ranges at once
 * from a pool of 32 under the lock, each its own (without the lock
 * they collide). Everything is below a temporary
 * directory, removed after; the host's /etc/subuid and /etc/subgid are
 * only read. Needs root (the records must be root's); prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "userns-range.h"
#include "tap.h"

#define N_MANY 200

static char dir[4096];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f) {
        (void) st, (void) flag, (void) f;
        return remove(path);
}

/* A directory of the test's own, 0700, opened. */
static int make_dir(const char *path) {
        int fd;

        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                abort();
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                abort();
        return fd;
}

static void write_file(const char *path, const char *text, size_t n) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        if (fd < 0 || write(fd, text, n) != (ssize_t) n)
                abort();
        close(fd);
}

/* A state root of its own below the test's directory, and its path. */
static int state_root(const char *name, char path[static 4200]) {
        snprintf(path, 4200, "%s/%s", dir, name);
        return make_dir(path);
}

/* STATE_ROOT/NAME made and opened. */
static int state_of(int root, const char *name) {
        int fd;

        if (mkdirat(root, name, 0700) < 0 && errno != EEXIST)
                abort();
        fd = openat(root, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                abort();
        return fd;
}

static void test_record(void) {
        char root_path[4200], text[128] = "";
        int root = state_root("record", root_path), state = state_of(root, "web"), fd, e;
        UsernsRecord w = { 0x70010000u, USERNS_RANGE_SIZE, USERNS_SHIFTING }, r = {};
        struct stat st;
        ssize_t k;

        check(userns_record_read(state, &r) == -ENOENT, "no record: -ENOENT");
        check(userns_record_write(state, &w) == 0, "a record is written");
        e = userns_record_read(state, &r);
        check(e == 0 && r.base == w.base && r.size == w.size && r.state == USERNS_SHIFTING,
              "and read back: %u %u %s", r.base, r.size, userns_state_to_string(r.state));
        fd = openat(state, USERNS_RECORD, O_RDONLY | O_CLOEXEC);
        k = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
        if (fd >= 0)
                close(fd);
        check(k > 0 && streq(text, "1879113728 65536 shifting\n"), "it is one line, BASE SIZE STATE: \"%.*s\"",
              (int) strcspn(text, "\n"), text);
        e = fstatat(state, USERNS_RECORD, &st, 0);
        check(e == 0 && st.st_uid == 0 && (st.st_mode & 07777) == 0644,
              "root's, 0644 (%04o)", (unsigned) (st.st_mode & 07777));
        check(faccessat(state, ".userns.new", F_OK, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT,
              "no temporary file is left");
        w.state = USERNS_READY;
        check(userns_record_write(state, &w) == 0 && userns_record_read(state, &r) == 0 && r.state == USERNS_READY,
              "rewritten ready, read ready");
        w.base = 0x1000;
        check(userns_record_write(state, &w) == -EINVAL, "a range outside the pool is not written");
        check(userns_record_remove(state) == 0 && userns_record_read(state, &r) == -ENOENT, "removed: -ENOENT");
        check(userns_record_remove(state) == 0, "removing none is no error");
        {
                int opath = openat(root, "web", O_PATH | O_DIRECTORY | O_CLOEXEC);

                w.base = 0x70020000u;
                e = userns_record_write(opath, &w);
                if (e == 0)
                        e = userns_record_read(opath, &r);
                check(e == 0 && r.base == w.base, "through an O_PATH fd of the state, as the helper opens it: "
                      "written and read (%d)", e);
                check(userns_record_remove(opath) == 0 && userns_record_read(opath, &r) == -ENOENT,
                      "and removed");
                close(opath);
        }
        close(state);
        close(root);
}

static void test_record_refused(void) {
        static const struct {
                const char *text;
                size_t n;
                const char *why;
        } bad[] = {
                { "", 0, "empty" },
                { "1879048192 65536 ready", 22, "no newline" },
                { "1879048192 65536 ready\n\n", 24, "two lines" },
                { "01879048192 65536 ready\n", 24, "a leading zero" },
                { "+1879048192 65536 ready\n", 24, "a sign" },
                { "1879048192  65536 ready\n", 24, "two spaces" },
                { "1879048192 65536 Ready\n", 23, "another state word" },
                { "1879048192 65536 ready x\n", 25, "a fourth word" },
                { "0 65536 ready\n", 14, "BASE 0" },
                { "1879048191 65536 ready\n", 23, "BASE below the pool" },
                { "1879048193 65536 ready\n", 23, "BASE not a multiple of 65536" },
                { "2147352576 65536 ready\n", 23, "BASE at the pool's end" },
                { "4294901760 65536 ready\n", 23, "BASE above 2^31" },
                { "1879048192 65535 ready\n", 23, "SIZE not 65536" },
                { "1879048192 131072 ready\n", 24, "SIZE 131072" },
                { "1879048192 65536\0ready\n", 23, "a NUL byte" },
                { "18790481920000000000000 65536 ready\n", 36, "BASE out of 64 bits" },
                { "1879048192 65536 ready\n                                                                  ", 89,
                  "more than 64 bytes" },
        };
        char root_path[4200], path[4400];
        int root = state_root("refused", root_path), state = state_of(root, "web");
        UsernsRecord r;

        snprintf(path, sizeof(path), "%s/web/%s", root_path, USERNS_RECORD);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                write_file(path, bad[i].text, bad[i].n);
                check(userns_record_read(state, &r) == -EBADMSG, "a record with %s: -EBADMSG", bad[i].why);
        }
        write_file(path, "1879048192 65536 ready\n", 23);
        check(userns_record_read(state, &r) == 0 && r.base == 0x70000000u, "the same as written: read");
        check(chown(path, 1000, 0) == 0 && userns_record_read(state, &r) == -EBADMSG,
              "owned by UID 1000: -EBADMSG");
        check(chown(path, 0, 0) == 0 && chmod(path, 0664) == 0 && userns_record_read(state, &r) == -EBADMSG,
              "writable by its group: -EBADMSG");
        unlink(path);
        check(mkdirat(state, USERNS_RECORD, 0700) == 0 && userns_record_read(state, &r) == -EBADMSG,
              "a directory: -EBADMSG");
        rmdir(path);

        /* a link to a record that would be believed */
        char target[4400];

        snprintf(target, sizeof(target), "%s/elsewhere", root_path);
        write_file(target, "1879048192 65536 ready\n", 23);
        check(symlink(target, path) == 0 && userns_record_read(state, &r) == -EBADMSG,
              "a symbolic link to a good record: -EBADMSG");
        check(userns_record_write(state, &(UsernsRecord) { 0x70000000u, USERNS_RANGE_SIZE, USERNS_READY }) == 0,
              "a write replaces the link");
        {
                struct stat st, t;

                check(lstat(path, &st) == 0 && S_ISREG(st.st_mode) && stat(target, &t) == 0 && t.st_size == 23,
                      "with a file of its own, the link's target untouched");
        }
        close(state);
        close(root);
}

static const UsernsPool *test_pool(UsernsPool *p, uint32_t first, uint32_t end, const char *subuid,
                                   const char *subgid) {
        *p = (UsernsPool) { first, end, subuid, subgid };
        return p;
}

static void test_stable_and_many(void) {
        static UsernsRecord got[N_MANY];
        char root_path[4200], name[32], none[4400];
        int root = state_root("many", root_path), state, lock, e;
        UsernsRecord r, again;
        UsernsPool pool;
        bool distinct = true, in_pool = true, clear = true;
        struct stat st;

        snprintf(none, sizeof(none), "%s/none", dir);
        /* the public call: the lock, the host's /etc/subuid and /etc/subgid */
        state = state_of(root, "web");
        e = userns_range_acquire(root_path, "web", state, USERNS_SHIFTING, &r);
        check(e == 0 && r.state == USERNS_SHIFTING,
              "web gets a range: %u, recorded shifting", r.base);
        e = fstatat(root, USERNS_LOCK, &st, AT_SYMLINK_NOFOLLOW);
        check(e == 0 && S_ISREG(st.st_mode) &&
                      (st.st_mode & 07777) == 0600 && st.st_uid == 0,
              "the lock %s is made, root's, 0600 (%04o)", USERNS_LOCK, (unsigned) (st.st_mode & 07777));
        e = userns_range_acquire(root_path, "web", state, USERNS_READY, &again);
        check(e == 0 && again.base == r.base &&
                      again.state == USERNS_SHIFTING,
              "asked again: the record as it is (%u, shifting)", again.base);
        e = userns_record_remove(state);
        if (e == 0)
                e = userns_range_acquire(root_path, "web", state, USERNS_READY, &again);
        check(e == 0 && again.base == r.base,
              "its record removed, web gets the same range again (%u)", again.base);
        userns_record_remove(state);
        close(state);

        lock = userns_range_lock(root, root_path);
        check(lock >= 0, "the lock is taken");
        for (int i = 0; i < N_MANY; i++) {
                snprintf(name, sizeof(name), "sandbox-%d", i);
                state = state_of(root, name);
                if (userns_range_acquire_locked(root, root_path, name, state, USERNS_READY,
                                                test_pool(&pool, USERNS_POOL_FIRST, USERNS_POOL_END, none, none),
                                                &got[i]) < 0)
                        got[i].base = 0;
                close(state);
                if (got[i].base < USERNS_POOL_FIRST || got[i].base >= USERNS_POOL_END || got[i].base % 65536 ||
                    got[i].size != 65536)
                        in_pool = false;
                for (int j = 0; j < i; j++)
                        if (got[j].base == got[i].base)
                                distinct = false;
                if (userns_range_delegated(USERNS_SUBUID, USERNS_SUBGID, got[i].base, got[i].size) != 0)
                        clear = false;
        }
        check(in_pool, "%d names: every range in the pool, a multiple of 65536, 65536 IDs", N_MANY);
        check(distinct, "%d names: %d ranges apart", N_MANY, N_MANY);
        check(clear, "none delegated in the host's %s or %s", USERNS_SUBUID, USERNS_SUBGID);
        /* a name's own directory is not another's: its record is returned */
        state = state_of(root, "sandbox-7");
        check(userns_range_acquire_locked(root, root_path, "sandbox-7", state, USERNS_READY, &pool, &r) == 0 &&
                      r.base == got[7].base,
              "a state with a record keeps its range among %d", N_MANY);
        close(state);
        close(lock);

        state = state_of(root, "bad");
        {
                char path[4400];

                snprintf(path, sizeof(path), "%s/bad/%s", root_path, USERNS_RECORD);
                write_file(path, "garbage\n", 8);
                int fresh = state_of(root, "fresh");

                check(userns_range_acquire(root_path, "fresh", fresh, USERNS_READY, &r) == -EBADMSG &&
                              faccessat(fresh, USERNS_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) < 0,
                      "another state's record that cannot be read: nothing taken (-EBADMSG)");
                unlink(path);
                close(fresh);
        }
        close(state);
        close(root);
}

static void test_delegated(void) {
        char subuid[4400], subgid[4400], none[4400], root_path[4200];
        int root = state_root("delegated", root_path), state;
        UsernsRecord first, r;
        UsernsPool pool;
        char text[512];
        int n, e;

        snprintf(subuid, sizeof(subuid), "%s/subuid", dir);
        snprintf(subgid, sizeof(subgid), "%s/subgid", dir);
        snprintf(none, sizeof(none), "%s/none", dir);

        check(userns_range_delegated(none, none, 0x70000000u, 65536) == 0, "no files: nothing delegated");
        n = snprintf(text, sizeof(text), "alice:100000:65536\n1001:1879048292:1 \r\n");
        write_file(subuid, text, (size_t) n);
        check(userns_range_delegated(subuid, none, 0x70000000u, 65536) == 1,
              "a line of a numeric name inside the range, spaces and a carriage return after it: delegated");
        check(userns_range_delegated(subuid, none, 0x70010000u, 65536) == 0, "the next range: not");
        check(userns_range_delegated(subuid, none, 65536, 65536) == 1, "a range alice's starts in: delegated");
        check(userns_range_delegated(subuid, none, 100000 + 65536, 65536) == 0, "one starting at its end: not");
        check(userns_range_delegated(subuid, none, 0, 65536) == 0, "one ending before it starts: not (0-65535)");
        n = snprintf(text, sizeof(text),
                     "bob:1879048192\n:1879048192:65536\nbob:x:1\nbob:1879048192:\nbob:-1:5\n"
                     "bob:1879048192:65536junk\nbob:1879048192:0\n\n");
        write_file(subgid, text, (size_t) n);
        check(userns_range_delegated(none, subgid, 0x70000000u, 65536) == 0,
              "lines that are not NAME:START:COUNT, and a count of 0, delegate nothing");
        write_file(subgid, "carol:1879113828:1", 18);
        check(userns_range_delegated(none, subgid, 0x70010000u, 65536) == 1,
              "a last line without its newline, in the group file: delegated");

        /* the first choice of "skipper", and then with it delegated */
        state = state_of(root, "skipper");
        e = userns_range_acquire_locked(root, root_path, "skipper", state, USERNS_READY,
                                        test_pool(&pool, USERNS_POOL_FIRST, USERNS_POOL_END, none, none), &first);
        check(e == 0,
              "skipper's first choice: %u", first.base);
        userns_record_remove(state);
        n = snprintf(text, sizeof(text), "skipper:%u:%u\n", first.base + 65535, 1);
        write_file(subuid, text, (size_t) n);
        n = snprintf(text, sizeof(text), "someone:%u:%u\n", first.base + 65536, 10);
        write_file(subgid, text, (size_t) n);
        e = userns_range_acquire_locked(root, root_path, "skipper", state, USERNS_READY,
                                        test_pool(&pool, USERNS_POOL_FIRST, USERNS_POOL_END, subuid, subgid), &r);
        check(e == 0 &&
                      r.base == (first.base + 2 * 65536 >= USERNS_POOL_END
                                         ? USERNS_POOL_FIRST + (first.base + 2 * 65536 - USERNS_POOL_END)
                                         : first.base + 2 * 65536),
              "its last ID delegated in the UID file, the next slot's first in the GID file: both skipped (%u)",
              r.base);
        close(state);
        close(root);
}

static void test_full(void) {
        static const char *const names[] = { "one", "two", "three", "four" };
        char root_path[4200], none[4400];
        int root = state_root("full", root_path), states[4];
        UsernsRecord got[4];
        UsernsPool pool;
        int r;

        snprintf(none, sizeof(none), "%s/none", dir);
        test_pool(&pool, 0x70000000u, 0x70030000u, none, none);
        for (int i = 0; i < 4; i++)
                states[i] = state_of(root, names[i]);
        /* a directory starting with a dot is no sandbox's state */
        {
                int hidden = state_of(root, ".one.clone-1");

                check(userns_record_write(hidden, &(UsernsRecord) { 0x70000000u, USERNS_RANGE_SIZE, USERNS_READY }) ==
                              0,
                      "a hidden directory holds a record of 0x70000000");
                close(hidden);
        }
        for (int i = 0; i < 3; i++) {
                r = userns_range_acquire_locked(root, root_path, names[i], states[i], USERNS_READY, &pool, &got[i]);
                check(r == 0, "a pool of 3: %s gets %u", names[i], got[i].base);
        }
        check(got[0].base != got[1].base && got[1].base != got[2].base && got[0].base != got[2].base &&
                      (got[0].base == 0x70000000u || got[1].base == 0x70000000u || got[2].base == 0x70000000u),
              "three ranges apart, 0x70000000 among them: the hidden directory's record does not count");
        r = userns_range_acquire_locked(root, root_path, names[3], states[3], USERNS_READY, &pool, &got[3]);
        check(r == -ENOSPC, "a fourth: -ENOSPC (%d)", r);
        check(faccessat(states[3], USERNS_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) < 0, "and no record written");
        userns_record_remove(states[1]);
        r = userns_range_acquire_locked(root, root_path, names[3], states[3], USERNS_READY, &pool, &got[3]);
        check(r == 0 && got[3].base == got[1].base,
              "two's record removed: four gets its range (%u)", got[3].base);
        test_pool(&pool, 0x60000000u, 0x70000000u, none, none);
        check(userns_range_acquire_locked(root, root_path, "five", states[3], USERNS_READY, &pool, &got[3]) == -EINVAL,
              "a pool outside 0x70000000-0x7FFDFFFF is refused");
        for (int i = 0; i < 4; i++)
                close(states[i]);
        close(root);
}

/* Many takers at once, each under the lock as the helper and clone take
 * it, from a pool as small as they are many: each its own slot. */
#define N_AT_ONCE 32

static void test_at_once(void) {
        char root_path[4200], none[4400], name[32];
        int root = state_root("at-once", root_path), fds[2], go[2];
        uint32_t got[N_AT_ONCE];
        bool distinct = true, all = true;
        pid_t pids[N_AT_ONCE];

        snprintf(none, sizeof(none), "%s/none", dir);
        /* all started before any takes: they wait for go's end */
        if (pipe(fds) < 0 || pipe(go) < 0)
                abort();
        for (int i = 0; i < N_AT_ONCE; i++) {
                pids[i] = fork();
                if (pids[i] < 0)
                        abort();
                if (pids[i] == 0) {
                        UsernsPool pool = { 0x70000000u, 0x70000000u + N_AT_ONCE * 65536u, none, none };
                        UsernsRecord r = {};
                        int state, lock;

                        char c;

                        close(fds[0]);
                        close(go[1]);
                        snprintf(name, sizeof(name), "at-once-%d", i);
                        state = state_of(root, name);
                        if (read(go[0], &c, 1) != 0)
                                _exit(1);
                        lock = userns_range_lock(root, root_path);
                        if (lock < 0 || userns_range_acquire_locked(root, root_path, name, state, USERNS_READY, &pool,
                                                                    &r) < 0)
                                r.base = 0;
                        if (write(fds[1], &r.base, sizeof(r.base)) != sizeof(r.base))
                                _exit(1);
                        _exit(0);
                }
        }
        close(fds[1]);
        close(go[0]);
        close(go[1]);
        for (int i = 0; i < N_AT_ONCE; i++) {
                if (read(fds[0], &got[i], sizeof(got[i])) != sizeof(got[i]))
                        got[i] = 0;
                if (got[i] == 0)
                        all = false;
                for (int j = 0; j < i; j++)
                        if (got[j] == got[i])
                                distinct = false;
        }
        for (int i = 0; i < N_AT_ONCE; i++)
                waitpid(pids[i], NULL, 0);
        close(fds[0]);
        check(all && distinct, "%d takers at once, a pool of %d: each gets a range, all apart", N_AT_ONCE, N_AT_ONCE);
        close(root);
}

int main(void) {
        const char *tmp = getenv("TMPDIR");

        if (geteuid() != 0) {
                printf("1..0 # SKIP the records must be root's: run as root\n");
                return 77;
        }
        snprintf(dir, sizeof(dir), "%s/test-userns-range.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
                perror(dir);
                return EXIT_FAILURE;
        }
        log_set_program("test-userns-range");

        test_record();
        test_record_refused();
        test_stable_and_many();
        test_delegated();
        test_full();
        test_at_once();

        if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
                check(false, "its temporary directory %s is removed", dir);
        printf("1..%u\n", tap_n);
        return tap_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
