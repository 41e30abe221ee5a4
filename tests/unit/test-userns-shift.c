/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the walk that moves a tree's owners from one range of IDs
 * to another (lib/core/userns-shift.c), on a tree the test makes as root
 * in a temporary directory: regular files, directories, a symbolic link
 * (not followed), a FIFO, an overlay whiteout (character device 0:0), a
 * hard link, directories deeper than the walk holds open; set-ID bits
 * kept through chown; named users and groups of ACLs, and the root of
 * file capabilities (revision 3, and 2), shifted; owners, ACLs and file
 * capabilities outside both ranges refused with ERANGE, that file
 * unchanged (its ctime too); a second walk changes nothing; a tmpfs
 * mounted below (in the test's own mount namespace) is not entered.
 * Everything is removed after; prints TAP.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "log.h"
#include "userns-shift.h"
#include "tap.h"

#define BASE 0x70000000u
#define SIZE 65536u
#define DEEP 80

static char dir[4096];
static unsigned n_files;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f) {
        (void) st, (void) flag, (void) f;
        return remove(path);
}

static void must(bool ok, const char *what) {
        if (!ok) {
                printf("Bail out! set-up: %s: %s\n", what, strerror(errno));
                exit(EXIT_FAILURE);
        }
}

static int tree(const char *name, char path[static 4200]) {
        int fd;

        snprintf(path, 4200, "%s/%s", dir, name);
        must(mkdir(path, 0755) == 0, path);
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        must(fd >= 0, path);
        n_files = 1;
        return fd;
}

static void file_at(int at, const char *name, uid_t uid, gid_t gid, mode_t mode) {
        int fd = openat(at, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

        must(fd >= 0 && write(fd, "x", 1) == 1 && fchown(fd, uid, gid) == 0 && fchmod(fd, mode) == 0, name);
        close(fd);
        n_files++;
}

static void dir_at(int at, const char *name, uid_t uid, gid_t gid, mode_t mode) {
        must(mkdirat(at, name, 0700) == 0 && fchownat(at, name, uid, gid, AT_SYMLINK_NOFOLLOW) == 0 &&
                     fchmodat(at, name, mode, 0) == 0,
             name);
        n_files++;
}

static struct stat stat_at(int at, const char *name) {
        struct stat st = {};

        if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                st.st_mode = 0;
        return st;
}

static bool owned(int at, const char *name, uid_t uid, gid_t gid) {
        struct stat st = stat_at(at, name);

        if (st.st_uid != uid || st.st_gid != gid)
                diag("%s: %u:%u, not %u:%u", name, (unsigned) st.st_uid, (unsigned) st.st_gid, (unsigned) uid,
                     (unsigned) gid);
        return st.st_mode && st.st_uid == uid && st.st_gid == gid;
}

static void put32(uint8_t *p, uint32_t v) {
        v = htole32(v);
        memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p) {
        uint32_t v;

        memcpy(&v, p, 4);
        return le32toh(v);
}

/* an ACL with a named user and a named group */
static size_t acl_value(uint8_t v[static 52], uint32_t user, uint32_t group) {
        static const struct {
                uint16_t tag, perm;
        } e[] = { { 0x01, 6 }, { 0x02, 4 }, { 0x04, 4 }, { 0x08, 4 }, { 0x10, 4 }, { 0x20, 0 } };

        put32(v, 2);
        for (size_t i = 0; i < 6; i++) {
                uint8_t *p = v + 4 + 8 * i;

                p[0] = (uint8_t) e[i].tag;
                p[1] = (uint8_t) (e[i].tag >> 8);
                p[2] = (uint8_t) e[i].perm;
                p[3] = 0;
                put32(p + 4, e[i].tag == 0x02 ? user : e[i].tag == 0x08 ? group : UINT32_MAX);
        }
        return 52;
}

static bool acl_is(int at, const char *name, const char *xattr, uint32_t user, uint32_t group) {
        char p[4400];
        uint8_t v[128];
        ssize_t k;

        snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", at, name);
        k = getxattr(p, xattr, v, sizeof(v));
        if (k != 52) {
                diag("%s: %s is %zd bytes", name, xattr, k);
                return false;
        }
        if (get32(v + 4 + 8 + 4) != user || get32(v + 4 + 24 + 4) != group)
                diag("%s: %s names user %u, group %u", name, xattr, get32(v + 16), get32(v + 32));
        return get32(v + 4 + 8 + 4) == user && get32(v + 4 + 24 + 4) == group;
}

static bool set_acl(int at, const char *name, const char *xattr, uint32_t user, uint32_t group) {
        char p[4400];
        uint8_t v[52];

        snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", at, name);
        return setxattr(p, xattr, v, acl_value(v, user, group), 0) == 0;
}

/* CAP_NET_BIND_SERVICE permitted and effective; revision 3 with root, or 2 */
static bool set_cap(int at, const char *name, int rev, uint32_t root) {
        uint8_t v[24] = {};
        char p[4400];

        snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", at, name);
        put32(v, (rev == 3 ? 0x03000000u : 0x02000000u) | 1);
        put32(v + 4, 1u << 10);
        if (rev == 3)
                put32(v + 20, root);
        return setxattr(p, "security.capability", v, rev == 3 ? 24 : 20, 0) == 0;
}

/* the file capability's revision and root (0 for revision 2) */
static bool cap_is(int at, const char *name, int rev, uint32_t root) {
        uint8_t v[24];
        char p[4400];
        ssize_t k;
        int got;

        snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", at, name);
        k = getxattr(p, "security.capability", v, sizeof(v));
        if (k < 4) {
                diag("%s: no file capability (%zd)", name, k);
                return false;
        }
        got = (int) (get32(v) >> 24);
        if (got != rev || (k == 24 && get32(v + 20) != root) || get32(v + 4) != 1u << 10 || !(get32(v) & 1))
                diag("%s: a file capability of revision %d, %zd bytes, root %u", name, got, k,
                     k == 24 ? get32(v + 20) : 0);
        return got == rev && k == (rev == 3 ? 24 : 20) && (rev != 3 || get32(v + 20) == root) &&
               get32(v + 4) == 1u << 10 && (get32(v) & 1);
}

static bool same_stat(const struct stat *a, const struct stat *b) {
        return a->st_uid == b->st_uid && a->st_gid == b->st_gid && a->st_mode == b->st_mode &&
               a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void test_shift(void) {
        static const struct {
                const char *name;
                uid_t uid;
                gid_t gid;
        } owners[] = {
                { "file", 10, 20 }, { "suid", 0, 0 }, { "sgid-dir", 3, 3 }, { "dir", 5, 6 }, { "dir/inner", 7, 8 },
                { "link", 9, 9 }, { "fifo", 11, 12 }, { "whiteout", 0, 0 }, { "acl", 1000, 1000 },
                { "cap3", 0, 0 }, { "cap2", 0, 0 }, { "hard", 10, 20 },
        };
        char path[4200], name[4 * DEEP];
        int top = tree("shift", path), r;
        struct stat passwd, passwd_after, st;
        bool good, xattrs;

        file_at(top, "file", 10, 20, 0640);
        file_at(top, "suid", 0, 0, 06755);
        dir_at(top, "sgid-dir", 3, 3, 02775);
        dir_at(top, "dir", 5, 6, 0750);
        file_at(top, "dir/inner", 7, 8, 0644);
        must(symlinkat("/etc/passwd", top, "link") == 0 && fchownat(top, "link", 9, 9, AT_SYMLINK_NOFOLLOW) == 0,
             "link");
        must(mkfifoat(top, "fifo", 0600) == 0 && fchownat(top, "fifo", 11, 12, AT_SYMLINK_NOFOLLOW) == 0, "fifo");
        must(mknodat(top, "whiteout", S_IFCHR | 0, makedev(0, 0)) == 0, "whiteout");
        file_at(top, "acl", 1000, 1000, 0640);
        file_at(top, "cap3", 0, 0, 0755);
        file_at(top, "cap2", 0, 0, 0755);
        must(linkat(top, "file", top, "hard", 0) == 0, "hard");
        n_files += 3; /* link, fifo, whiteout; the hard link is "file" */
        /* deeper than the directories the walk holds open */
        name[0] = 0;
        for (int i = 0; i < DEEP; i++) {
                strcat(name, i ? "/d" : "d");
                dir_at(top, name, (uid_t) i, (gid_t) i, 0755);
        }
        strcat(name, "/leaf");
        file_at(top, name, 13, 13, 0644);
        must(stat("/etc/passwd", &passwd) == 0, "/etc/passwd");

        xattrs = set_acl(top, "acl", "system.posix_acl_access", 1001, 1002) &&
                 set_acl(top, "dir", "system.posix_acl_default", 2001, 2002) && set_cap(top, "cap3", 3, 100) &&
                 set_cap(top, "cap2", 2, 0);
        if (!xattrs)
                diag("%s: no ACLs or file capabilities here (%s): their checks are skipped", dir, strerror(errno));

        r = userns_shift_tree(top, path, 0, BASE, SIZE);
        check(r == (int) n_files, "0 to %u: every file changed once (%d of %u)", BASE, r, n_files);
        good = true;
        for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
                good = owned(top, owners[i].name, BASE + owners[i].uid, BASE + owners[i].gid) && good;
        good = owned(top, ".", BASE, BASE) && owned(top, name, BASE + 13, BASE + 13) && good;
        check(good, "every owner is BASE+ID: files, directories, the link, the FIFO, the whiteout, the top, a file "
              "%d deep", DEEP);
        name[0] = 0;
        for (int i = 0; i < DEEP && good; i++) {
                strcat(name, i ? "/d" : "d");
                good = owned(top, name, BASE + (uid_t) i, BASE + (gid_t) i);
        }
        check(good, "each of the %d directories one below the other, its own owner", DEEP);
        check((stat_at(top, "suid").st_mode & 07777) == 06755, "set-user-ID and set-group-ID kept through chown (%04o)",
              (unsigned) (stat_at(top, "suid").st_mode & 07777));
        check((stat_at(top, "sgid-dir").st_mode & 07777) == 02775, "a set-group-ID directory kept (%04o)",
              (unsigned) (stat_at(top, "sgid-dir").st_mode & 07777));
        {
                char target[64] = "";
                ssize_t k = readlinkat(top, "link", target, sizeof(target) - 1);

                must(stat("/etc/passwd", &passwd_after) == 0, "/etc/passwd");
                check(k == 11 && S_ISLNK(stat_at(top, "link").st_mode) && same_stat(&passwd, &passwd_after),
                      "the link is the link still, its target untouched (%u:%u)", (unsigned) passwd_after.st_uid,
                      (unsigned) passwd_after.st_gid);
        }
        st = stat_at(top, "whiteout");
        check(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0), "the whiteout is a whiteout still");
        if (xattrs) {
                check(acl_is(top, "acl", "system.posix_acl_access", BASE + 1001, BASE + 1002),
                      "the ACL's named user and group shifted");
                check(acl_is(top, "dir", "system.posix_acl_default", BASE + 2001, BASE + 2002),
                      "a directory's default ACL shifted");
                check(cap_is(top, "cap3", 3, BASE + 100), "a file capability of root 100: of root BASE+100, kept "
                      "through chown");
                check(cap_is(top, "cap2", 3, BASE), "one of revision 2 (the host's root): revision 3, of root BASE");
        } else
                for (int i = 0; i < 4; i++)
                        check(true, "ACLs and file capabilities # SKIP the file system has none");

        r = userns_shift_tree(top, path, 0, BASE, SIZE);
        check(r == 0, "a second walk changes nothing (%d)", r);

        r = userns_shift_tree(top, path, BASE, 0, SIZE);
        check(r == (int) n_files, "back from BASE to 0: every file changed once (%d)", r);
        good = true;
        for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++)
                good = owned(top, owners[i].name, owners[i].uid, owners[i].gid) && good;
        check(good && owned(top, ".", 0, 0), "every owner as it was");
        check((stat_at(top, "suid").st_mode & 07777) == 06755, "set-ID bits kept");
        if (xattrs) {
                check(acl_is(top, "acl", "system.posix_acl_access", 1001, 1002) &&
                              acl_is(top, "dir", "system.posix_acl_default", 2001, 2002),
                      "the ACLs as they were");
                check(cap_is(top, "cap3", 3, 100) && cap_is(top, "cap2", 2, 0),
                      "the file capabilities: root 100, and of the host's root, revision 2");
        } else
                for (int i = 0; i < 2; i++)
                        check(true, "ACLs and file capabilities # SKIP the file system has none");
        /* as a walk cut short leaves it: some files shifted, some not */
        must(fchownat(top, "dir/inner", 65536 + 7, 65536 + 8, 0) == 0 && fchownat(top, "fifo", 65536 + 11, 65536 + 12,
                                                                                  AT_SYMLINK_NOFOLLOW) == 0,
             "half-shifted");
        r = userns_shift_tree(top, path, 0, 65536, SIZE);
        check(r == (int) n_files - 2, "to the next range, 65536, two files there already: the others (%d)", r);
        check(owned(top, "file", 65536 + 10, 65536 + 20), "file is 65546:65556");
        close(top);
}

/* A tree of one file to be refused, made by f, and what is left of it. */
static void refused(const char *what, void (*f)(int top), bool needs_xattrs) {
        char path[4200];
        int top = tree(what, path), r;
        struct stat before, after;

        file_at(top, "a", 0, 0, 0644);
        f(top);
        if (needs_xattrs && errno == EOPNOTSUPP) {
                check(true, "%s # SKIP the file system has no ACLs or file capabilities", what);
                close(top);
                return;
        }
        before = stat_at(top, "bad");
        r = userns_shift_tree(top, path, 0, BASE, SIZE);
        after = stat_at(top, "bad");
        check(r == -ERANGE && same_stat(&before, &after), "%s: -ERANGE (%d), the file unchanged, its ctime too", what,
              r);
        close(top);
}

static void bad_uid(int top) {
        file_at(top, "bad", 200000, 0, 04755);
        errno = 0;
}

static void bad_gid(int top) {
        file_at(top, "bad", 5, 200000, 02755);
        errno = 0;
}

static void bad_acl(int top) {
        file_at(top, "bad", 0, 0, 0644);
        errno = 0;
        (void) set_acl(top, "bad", "system.posix_acl_access", 300000, 5);
}

static void bad_cap(int top) {
        file_at(top, "bad", 0, 0, 0755);
        errno = 0;
        (void) set_cap(top, "bad", 3, 300000);
}

static void test_refused(void) {
        char path[4200];
        int top, r;

        refused("an owner outside both ranges", bad_uid, false);
        refused("a group outside both ranges", bad_gid, false);
        refused("an ACL naming a user outside both ranges", bad_acl, true);
        refused("a file capability of a root outside both ranges", bad_cap, true);

        top = tree("ranges", path);
        r = userns_shift_tree(top, path, 0, 1000, SIZE);
        check(r == -EINVAL && owned(top, ".", 0, 0), "ranges that overlap: -EINVAL, nothing changed");
        r = userns_shift_tree(top, path, 0, UINT32_MAX - 100, SIZE);
        check(r == -EINVAL, "a range past 2^32: -EINVAL");
        close(top);
}

static int flags_of(int at, const char *name, int set) {
        char p[4400];
        int fd, flags = -1;

        snprintf(p, sizeof(p), "/proc/self/fd/%d/%s", at, name);
        fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -1;
        if (set >= 0 ? ioctl(fd, FS_IOC_SETFLAGS, &set) < 0 : ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
                flags = -1;
        else if (set >= 0)
                flags = set;
        close(fd);
        return flags;
}

/* Immutable and append-only files: shifted, and as they were after. */
static void test_immutable(void) {
        char path[4200];
        int top = tree("immutable", path), r, fi, fa;

        file_at(top, "frozen", 5, 5, 04755);
        dir_at(top, "append", 6, 6, 0755);
        file_at(top, "append/f", 7, 7, 0644);
        fi = flags_of(top, "frozen", -1);
        fa = flags_of(top, "append", -1);
        if (fi < 0 || fa < 0 || flags_of(top, "frozen", fi | FS_IMMUTABLE_FL) < 0 ||
            flags_of(top, "append", fa | FS_APPEND_FL) < 0) {
                check(true, "immutable and append-only files # SKIP no chattr here: %s", strerror(errno));
                close(top);
                return;
        }
        r = userns_shift_tree(top, path, 0, BASE, SIZE);
        check(r == 4 && owned(top, "frozen", BASE + 5, BASE + 5) && owned(top, "append", BASE + 6, BASE + 6) &&
                      owned(top, "append/f", BASE + 7, BASE + 7) && (stat_at(top, "frozen").st_mode & 07777) == 04755,
              "an immutable file and an append-only directory: shifted (%d), set-user-ID kept", r);
        check(flags_of(top, "frozen", -1) == (fi | FS_IMMUTABLE_FL) && flags_of(top, "append", -1) == (fa | FS_APPEND_FL),
              "and immutable and append-only again after");
        flags_of(top, "frozen", fi);
        flags_of(top, "append", fa);
        close(top);
}

/* A state's upper dirs and private copies, not its work dirs. */
static void test_state(void) {
        char path[4200];
        int top = tree("state", path), r;

        dir_at(top, "etc", 0, 0, 0700);
        dir_at(top, "etc/upper", 0, 0, 0755);
        file_at(top, "etc/upper/f", 5, 5, 0644);
        dir_at(top, "etc/work", 0, 0, 0700);
        dir_at(top, "etc/work/work", 0, 0, 0700);
        dir_at(top, "var", 0, 0, 0700);
        dir_at(top, "var/private", 0, 0, 0755);
        file_at(top, "var/private/g", 7, 7, 0644);
        file_at(top, "network", 0, 0, 0644);
        /* as the helper opens a state: O_PATH */
        {
                int opath = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);

                must(opath >= 0, path);
                r = userns_shift_state(opath, path, 0, BASE, SIZE);
                close(opath);
        }
        check(r == 4 && owned(top, "etc/upper", BASE, BASE) && owned(top, "etc/upper/f", BASE + 5, BASE + 5) &&
                      owned(top, "var/private/g", BASE + 7, BASE + 7) && owned(top, "etc/work/work", 0, 0) &&
                      owned(top, "etc", 0, 0) && owned(top, ".", 0, 0) && owned(top, "network", 0, 0),
              "a state (an O_PATH fd): its upper dir and private copy shifted (%d), the work dir, the state's "
              "own files not", r);
        must(mkdirat(top, "elsewhere", 0755) == 0 && symlinkat("../elsewhere", top, "var/upper") == 0, "link");
        r = userns_shift_state(top, path, 0, BASE, SIZE);
        check(r == -ENOTDIR && owned(top, "elsewhere", 0, 0), "an upper dir that is a symbolic link: -ENOTDIR, "
              "not followed");
        close(top);
}

/* A tmpfs mounted below, in a mount namespace of the test's own. */
static void test_mount(void) {
        char path[4200], mnt[4300];
        int top, r, m;

        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
                check(true, "a mount point below is not entered # SKIP no mount namespace of its own: %s",
                      strerror(errno));
                return;
        }
        /* opened in the namespace the tmpfs is mounted in */
        top = tree("mount", path);
        file_at(top, "a", 0, 0, 0644);
        dir_at(top, "mnt", 0, 0, 0755);
        snprintf(mnt, sizeof(mnt), "%s/mnt", path);
        must(mount("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") == 0, mnt);
        m = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        must(m >= 0, mnt);
        file_at(m, "inside", 0, 0, 0644);
        r = userns_shift_tree(top, path, 0, BASE, SIZE);
        check(r == 2 && owned(top, "a", BASE, BASE) && owned(m, ".", 0, 0) && owned(m, "inside", 0, 0),
              "a tmpfs mounted below: neither it nor what is in it changed (%d changed: the top and a)", r);
        close(m);
        must(umount2(mnt, MNT_DETACH) == 0, mnt);
        close(top);
}

int main(void) {
        const char *tmp = getenv("TMPDIR");

        if (geteuid() != 0) {
                printf("1..0 # SKIP chown needs root: run as root\n");
                return 77;
        }
        umask(022);
        snprintf(dir, sizeof(dir), "%s/test-userns-shift.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
                perror(dir);
                return EXIT_FAILURE;
        }
        log_set_program("test-userns-shift");

        test_shift();
        test_refused();
        test_immutable();
        test_state();
        test_mount();

        if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
                check(false, "its temporary directory %s is removed", dir);
        printf("1..%u\n", tap_n);
        return tap_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
