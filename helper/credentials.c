/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The unit's credentials (LoadCredential=, SetCredential=) inside: systemd
 * puts them in /run/credentials/UNIT, read-only, on a ramfs or tmpfs of
 * their own, and names that in $CREDENTIALS_DIRECTORY. The sandbox's /run
 * is fresh, so they are copied, at the same path, into a sized tmpfs of
 * the sandbox's, owned by the service's user as systemd would chown them
 * for a unit with User=, and made read-only. The environment only says
 * that there are credentials: the path is this unit's, and no other is
 * read. The state's key is not among them (copied()).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "credentials.h"
#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "mount-util.h"
#include "quantities.h"
#include "state-key.h"

/* systemd's own bound on one credential, and on all of a unit's */
#define CREDENTIALS_SIZE_MAX (1024U * 1024U)
#define CREDENTIALS_MAX 256U

static int parse_id(const char *s, unsigned *ret) {
        uint64_t v;
        int r;

        if (!s) {
                *ret = 0;
                return 0;
        }
        r = parse_uint_range(s, 0, UINT32_MAX - 1, &v);
        if (r < 0)
                return r;
        *ret = (unsigned) v;
        return 0;
}

/* one regular file of src into dst, as uid:gid, 0400 */
static int copy_one(int src, int dst, const char *name, unsigned uid, unsigned gid, size_t *total) {
        _cleanup_close_ int in = -EBADF, out = -EBADF;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        ssize_t n;

        in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (in < 0)
                return log_error_errno(-errno, "credentials: %s: %m", name);
        if (fstat(in, &st) < 0)
                return log_error_errno(-errno, "credentials: %s: %m", name);
        if (!S_ISREG(st.st_mode))
                return log_error_errno(-EBADF, "credentials: %s is not a regular file", name);
        if ((size_t) st.st_size > CREDENTIALS_SIZE_MAX - *total)
                return log_error_errno(-EFBIG, "credentials: more than %u bytes in all", CREDENTIALS_SIZE_MAX);
        buf = malloc((size_t) st.st_size + 1);
        if (!buf)
                return log_oom();
        n = read_fd_into(in, buf, (size_t) st.st_size + 1);
        if (n < 0)
                return log_error_errno((int) n, "credentials: read %s: %m", name);
        if (n != st.st_size)
                return log_error_errno(-EIO, "credentials: %s changed while read", name);
        *total += (size_t) n;
        out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
        if (out < 0)
                return log_error_errno(-errno, "credentials: create %s: %m", name);
        for (ssize_t done = 0, k; done < n; done += k) {
                k = write(out, buf + done, (size_t) (n - done));
                if (k < 0)
                        return log_error_errno(-errno, "credentials: write %s: %m", name);
        }
        if (fchown(out, uid, gid) < 0)
                return log_error_errno(-errno, "credentials: %s: %m", name);
        return 0;
}

/* The state's key (<state encryption="luks2">, --state-key) is the
 * helper's, read outside: it never enters the sandbox, where the
 * service could read its own state's image without the host. */
static bool copied(const char *name) {
        return !streq(name, ".") && !streq(name, "..") && !streq(name, STATE_KEY_CREDENTIAL);
}

/* how many of d's entries are to be copied (1 for any), or -errno after
 * logging */
static int credentials_to_copy(DIR *d, const char *path) {
        struct dirent *de;

        while ((errno = 0, de = readdir(d)))
                if (copied(de->d_name))
                        return 1;
        if (errno != 0)
                return log_error_errno(-errno, "credentials: %s: %m", path);
        return 0;
}

int credentials_copy(int root, const HelperConfig *c) {
        const char *env = getenv("CREDENTIALS_DIRECTORY");
        _cleanup_close_ int host = -EBADF, src = -EBADF, top = -EBADF, dst = -EBADF;
        _cleanup_closedir_ DIR *d = NULL;
        char unit[256], path[320], options[128], p[FD_PATH_MAX];
        unsigned uid, gid, n = 0;
        size_t total = 0;
        struct statfs sfs;
        struct stat st;
        struct dirent *de;
        int r;

        if (!env)
                return 0;
        snprintf(unit, sizeof(unit), "sandbox@%s.service", c->name);
        snprintf(path, sizeof(path), "/run/credentials/%s", unit);
        if (!streq(env, path))
                return log_error_errno(-EPERM, "credentials: CREDENTIALS_DIRECTORY=%s is not this unit's, %s", env, path);
        /* every component root's, none a symbolic link */
        host = open_host_file(path, S_IFDIR);
        if (host < 0)
                return log_error_errno(host, "credentials: %s: %m", path);
        src = openat(host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (src < 0)
                return log_error_errno(-errno, "credentials: %s: %m", path);
        if (fstatfs(src, &sfs) < 0 || fstat(src, &st) < 0)
                return log_error_errno(-errno, "credentials: %s: %m", path);
        /* as systemd makes it: its own ramfs or tmpfs, root's, writable by
         * no one else */
        if ((sfs.f_type != RAMFS_MAGIC && sfs.f_type != TMPFS_MAGIC) || st.st_uid != 0 || (st.st_mode & 0022))
                return log_error_errno(-EPERM, "credentials: %s is not a directory of systemd's (a ramfs or tmpfs, "
                                       "root's, writable by root only)", path);
        if (parse_id(c->user, &uid) < 0 || parse_id(c->group, &gid) < 0)
                return log_error_errno(-EINVAL, "credentials: the service's user and group are not numbers");
        if (!c->user)
                gid = 0;
        /* the user as the host sees it: in the service's own user
         * namespace, the range's */
        uid += c->userns_base;
        gid += c->userns_base;

        d = fdopendir(TAKE_FD(src));
        if (!d)
                return log_error_errno(-errno, "credentials: %s: %m", path);
        r = credentials_to_copy(d, path);
        if (r < 0)
                return r;
        if (r == 0) {
                /* none but the key: the service has none, as systemd
                 * tells a unit without credentials */
                unsetenv("CREDENTIALS_DIRECTORY");
                return 0;
        }

        snprintf(options, sizeof(options), "mode=0500,uid=%u,gid=%u,size=%u,nr_inodes=%u", uid, gid,
                 CREDENTIALS_SIZE_MAX + 64U * 1024U, CREDENTIALS_MAX + 1);
        r = tmpfs_in_root(root, path, MS_NOSUID | MS_NODEV | MS_NOEXEC, options, "credentials");
        if (r < 0)
                return r;
        top = open_in_root(root, path, CREATE_NONE, "credentials");
        if (top < 0)
                return top;
        fd_path(top, p);
        dst = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dst < 0)
                return log_error_errno(-errno, "credentials: %s in the sandbox: %m", path);

        rewinddir(d);
        while ((errno = 0, de = readdir(d))) {
                if (!copied(de->d_name))
                        continue;
                if (++n > CREDENTIALS_MAX)
                        return log_error_errno(-E2BIG, "credentials: more than %u in %s", CREDENTIALS_MAX, path);
                r = copy_one(dirfd(d), dst, de->d_name, uid, gid, &total);
                if (r < 0)
                        return r;
        }
        if (errno != 0)
                return log_error_errno(-errno, "credentials: %s: %m", path);
        /* read-only from here, as systemd's */
        return mount_add_flags(top, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, path);
}
