/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Landlock: the default domain (landlock-default.c), a read-only root
 * with writes only below the sandbox's writable mounts, and on ABI 6 and
 * later abstract unix sockets and signals scoped to the service; then,
 * stacked on it, the profile's own rules, as they always were. A
 * process under both may do only what each of them allows.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"
#include "landlock-default.h"
#include "log.h"
#include "macro.h"
#include "paths.h"
#include "strv.h"

/* The C library's headers may predate the kernel's newer rights and
 * scopes (Debian 12's stop at ABI 2). */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* struct landlock_ruleset_attr as of ABI 6. A kernel that knows only
 * its first fields takes the whole of it while the others are 0. */
typedef struct RulesetAttr {
        uint64_t handled_access_fs;
        uint64_t handled_access_net; /* ABI 4: not restricted here */
        uint64_t scoped;             /* ABI 6 */
} RulesetAttr;

#define ABI_SCOPED 6

#define ACCESS_ABI1 ((LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1)
#define ACCESS_READ (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* what applies to a file that is not a directory */
#define ACCESS_FILE (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE | \
                     LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)

static uint64_t handled_access(int abi) {
        uint64_t a = ACCESS_ABI1;

        if (abi >= 2)
                a |= LANDLOCK_ACCESS_FS_REFER;
        if (abi >= 3)
                a |= LANDLOCK_ACCESS_FS_TRUNCATE;
        if (abi >= 5)
                a |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
        return a;
}

static int add_rule(int ruleset, int fd, const char *path, uint64_t access) {
        struct landlock_path_beneath_attr rule = { .allowed_access = access, .parent_fd = fd };
        struct stat st;

        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "landlock: %s: %m", path);
        if (!S_ISDIR(st.st_mode))
                rule.allowed_access &= ACCESS_FILE;
        if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0)
                return log_error_errno(-errno, "landlock: the rule for %s: %m", path);
        return 0;
}

static int create_ruleset(const RulesetAttr *attr) {
        int fd = (int) syscall(SYS_landlock_create_ruleset, attr, sizeof(*attr), 0);

        return fd < 0 ? log_error_errno(-errno, "landlock: create the rule set: %m") : fd;
}

static int restrict_self(int ruleset) {
        if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
                return log_error_errno(-errno, "landlock: restrict the service: %m");
        return 0;
}

/* A path of the default domain, opened without following a symbolic
 * link in any component: in a sandbox that runs (--join), the service
 * may have put one in a writable directory, and a write rule must not
 * follow it elsewhere. -ELOOP for one. */
static int open_no_symlinks(const char *path) {
        _cleanup_close_ int dir = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        char name[NAME_MAX + 1];
        bool last = false;
        int r;

        if (dir < 0)
                return -errno;
        for (const char *p = path; (r = path_next_component(&p, name, &last)) > 0;) {
                struct stat st;
                int next = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

                if (next < 0)
                        return -errno;
                close(dir);
                dir = next;
                if (fstat(dir, &st) < 0)
                        return -errno;
                if (S_ISLNK(st.st_mode))
                        return -ELOOP;
        }
        return r < 0 ? r : TAKE_FD(dir);
}

typedef struct DefaultRuleset {
        int fd;
        uint64_t handled;
} DefaultRuleset;

static int add_default_rule(const char *path, LandlockGrant grant, bool follow, void *userdata) {
        const DefaultRuleset *d = userdata;
        _cleanup_close_ int fd = follow ? open(path, O_PATH | O_CLOEXEC) : open_no_symlinks(path);
        uint64_t access = ACCESS_READ;

        /* what the sandbox does not have, nothing can be written below */
        if (fd < 0 && follow)
                fd = -errno;
        if (fd == -ENOENT || fd == -ELOOP) {
                log_debug("landlock: %s: %s; no rule of the default domain for it", path,
                          fd == -ENOENT ? "not in the sandbox" : "a symbolic link");
                return 0;
        }
        if (fd < 0)
                return log_error_errno(fd, "landlock: %s: %m", path);
        if (grant == LANDLOCK_GRANT_WRITE)
                access = d->handled;
        else if (grant == LANDLOCK_GRANT_DEVICE)
                access |= LANDLOCK_ACCESS_FS_IOCTL_DEV | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
        else if (grant == LANDLOCK_GRANT_DEVICE_RO)
                access |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
        return add_rule(d->fd, fd, path, access & d->handled);
}

/* The default domain: best effort, as the mounts already make the root
 * read-only; what this kernel's ABI lacks is said at debug level. */
static int apply_default(const HelperConfig *c, int abi) {
        RulesetAttr attr = { .handled_access_fs = handled_access(abi) };
        _cleanup_close_ int ruleset = -EBADF;
        int r;

        /* A joined command's domain is a sibling of the service's, not
         * one within it: with signals scoped it could not signal the
         * service, and a reload (kill -HUP, nginx -s reload) would fail.
         * It is confined like the service otherwise. The command sees
         * only the sandbox's processes (its PID namespace); the process
         * that waits for it, outside, also in this domain, only waits and
         * forwards signals to the command. */
        if (abi >= ABI_SCOPED)
                attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | (c->joined ? 0 : LANDLOCK_SCOPE_SIGNAL);
        ruleset = create_ruleset(&attr);
        if (ruleset < 0)
                return ruleset;
        r = landlock_default_rules(c, add_default_rule, &(DefaultRuleset) { ruleset, attr.handled_access_fs });
        if (r < 0)
                return r;
        r = restrict_self(ruleset);
        if (r < 0)
                return r;
        if (abi < ABI_SCOPED)
                log_debug("landlock: ABI %d: the default domain holds for files%s, but abstract unix sockets and signals "
                          "are not scoped to the sandbox (ABI %d)", abi,
                          abi < 3 ? " but truncate(2)" : abi < 5 ? " but device ioctls" : "", ABI_SCOPED);
        else
                log_debug("landlock: ABI %d: the default domain, with abstract unix sockets and signals scoped", abi);
        return 0;
}

/* The profile's rules: exactly these paths, and nothing else. */
static int apply_rules(const HelperConfig *c, int abi) {
        RulesetAttr attr = { .handled_access_fs = handled_access(abi) };
        _cleanup_close_ int ruleset = -EBADF;
        int r;

        ruleset = create_ruleset(&attr);
        if (ruleset < 0)
                return ruleset;
        for (int rw = 0; rw < 2; rw++)
                STRV_FOREACH(p, rw ? c->landlock_rw : c->landlock_ro) {
                        _cleanup_close_ int fd = open(*p, O_PATH | O_CLOEXEC);

                        if (fd < 0)
                                return log_error_errno(-errno, "landlock: %s: %m", *p);
                        r = add_rule(ruleset, fd, *p, rw ? attr.handled_access_fs : ACCESS_READ);
                        if (r < 0)
                                return r;
                }
        r = restrict_self(ruleset);
        if (r < 0)
                return r;
        log_debug("landlock: ABI %d, %zu read-only and %zu read-write paths", abi, strv_length(c->landlock_ro),
                  strv_length(c->landlock_rw));
        return 0;
}

int landlock_apply(const HelperConfig *c) {
        const bool rules = c->landlock_ro || c->landlock_rw;
        int abi, r;

        if (!rules && c->landlock_no_default)
                return 0;
        abi = (int) syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        if (abi < 0) {
                r = -errno;
                const char *why = r == -EOPNOTSUPP ? "is disabled in this kernel (lsm= on its command line)"
                                                   : "is not in this kernel (Linux 5.13 or later has it)";
                if (rules && !c->landlock_optional)
                        return log_error_errno(r, "landlock: Landlock %s, and the profile asks for Landlock rules: "
                                               "not starting with less confinement (optional=\"yes\" would start without)", why);
                if (rules)
                        log_info("landlock: Landlock %s; <landlock optional=\"yes\">: the service runs without its rules", why);
                /* not worth a line at every start and every joined
                 * command where it is so */
                if (!c->landlock_no_default)
                        log_debug("landlock: Landlock %s; the service runs without the default domain, under its "
                                  "read-only mounts alone", why);
                return 0;
        }
        if (!c->landlock_no_default) {
                r = apply_default(c, abi);
                if (r < 0)
                        return r;
        }
        if (!rules)
                return 0;
        r = apply_rules(c, abi);
        if (r < 0)
                return r;
        return abi < 3;
}
