/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "landlock.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

/* The C library's headers may predate the kernel's newer rights. */
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

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

static int add_path(int ruleset, const char *path, uint64_t access) {
        struct landlock_path_beneath_attr rule = { .allowed_access = access };
        _cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);
        struct stat st;

        if (fd < 0 || fstat(fd, &st) < 0)
                return log_error_errno(-errno, "landlock: %s: %m", path);
        if (!S_ISDIR(st.st_mode))
                rule.allowed_access &= ACCESS_FILE;
        rule.parent_fd = fd;
        if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) < 0)
                return log_error_errno(-errno, "landlock: the rule for %s: %m", path);
        return 0;
}

int landlock_apply(const HelperConfig *c) {
        struct landlock_ruleset_attr attr = {};
        _cleanup_close_ int ruleset = -EBADF;
        int abi, r;

        if (!c->landlock_ro && !c->landlock_rw)
                return 0;
        abi = (int) syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        if (abi < 0) {
                r = -errno;
                const char *why = r == -EOPNOTSUPP ? "is disabled in this kernel (lsm= on its command line)"
                                                   : "is not in this kernel (Linux 5.13 or later has it)";
                if (c->landlock_optional) {
                        log_info("landlock: Landlock %s; <landlock optional=\"yes\">: the service runs without its rules", why);
                        return 0;
                }
                return log_error_errno(r, "landlock: Landlock %s, and the profile asks for Landlock rules: "
                                       "not starting with less confinement (optional=\"yes\" would start without)", why);
        }
        attr.handled_access_fs = handled_access(abi);
        ruleset = (int) syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
        if (ruleset < 0)
                return log_error_errno(-errno, "landlock: create the rule set: %m");
        STRV_FOREACH(p, c->landlock_ro) {
                r = add_path(ruleset, *p, ACCESS_READ);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(p, c->landlock_rw) {
                r = add_path(ruleset, *p, attr.handled_access_fs);
                if (r < 0)
                        return r;
        }
        if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
                return log_error_errno(-errno, "landlock: restrict the service: %m");
        log_debug("landlock: ABI %d, %zu read-only and %zu read-write paths", abi,
                  strv_length(c->landlock_ro), strv_length(c->landlock_rw));
        return abi < 3;
}
