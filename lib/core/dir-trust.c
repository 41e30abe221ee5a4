/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dir-trust.h"
#include "macro.h"
#include "paths.h"

#define SYMLINKS_MAX 40 /* as the kernel's own lookup */

#define TRUST_RULE "a profile directory and every directory above it must be owned by root and writable by no one else"

static bool owner_trusted(uid_t uid) {
        return uid == 0 || uid == geteuid();
}

/* A directory above the one asked for may be sticky and writable by
 * others: they can add entries but not replace one that is not theirs,
 * and what they add is not trusted for its owner. */
static int check_dir(const struct stat *st, const char *at, bool last, char **why) {
        if (!owner_trusted(st->st_uid)) {
                (void) asprintf(why, "directory %s is owned by uid %u; " TRUST_RULE, at, (unsigned) st->st_uid);
                return -EPERM;
        }
        if ((st->st_mode & (S_IWGRP | S_IWOTH)) && (last || !(st->st_mode & S_ISVTX))) {
                (void) asprintf(why, "directory %s is writable by %s (mode %04o); " TRUST_RULE, at,
                                (st->st_mode & S_IWOTH) ? "others" : "its group", (unsigned) (st->st_mode & 07777));
                return -EPERM;
        }
        return 0;
}

static int fail_errno(int r, const char *at, char **why) {
        (void) asprintf(why, "cannot open directory %s: %s", at, strerror(-r));
        return r;
}

/* at without its last component, for ".." */
static void at_up(char *at) {
        char *slash = strrchr(at, '/');

        if (slash && slash != at)
                *slash = 0;
        else
                at[1] = 0;
}

static int at_down(char **at, const char *name) {
        char *n;

        if (asprintf(&n, "%s%s%s", *at, streq(*at, "/") ? "" : "/", name) < 0)
                return -ENOMEM;
        free(*at);
        *at = n;
        return 0;
}

int dir_open_trusted(const char *path, bool sticky_ok, char **ret_why) {
        _cleanup_free_ char *todo = NULL, *at = NULL;
        _cleanup_close_ int cur = -EBADF;
        unsigned symlinks = 0;
        struct stat st;
        size_t pos = 0;
        int r, fd;

        *ret_why = NULL;
        r = path_make_absolute(path, &todo);
        if (r < 0)
                return r;
        at = strdup("/");
        if (!at)
                return -ENOMEM;
        cur = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cur < 0 || fstat(cur, &st) < 0)
                return fail_errno(-errno, at, ret_why);

        for (;;) {
                _cleanup_close_ int next = -EBADF;
                char name[NAME_MAX + 1];
                size_t len;

                /* todo + pos is what is left to walk, below cur */
                while (todo[pos] == '/')
                        pos++;
                r = check_dir(&st, at, todo[pos] == 0 && !sticky_ok, ret_why);
                if (r < 0)
                        return r;
                if (todo[pos] == 0)
                        break;
                len = strcspn(todo + pos, "/");
                if (len > NAME_MAX)
                        return fail_errno(-ENAMETOOLONG, at, ret_why);
                memcpy(name, todo + pos, len);
                name[len] = 0;
                pos += len;
                if (streq(name, "."))
                        continue;

                next = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 || fstat(next, &st) < 0) {
                        r = -errno;
                        (void) at_down(&at, name);
                        return fail_errno(r, at, ret_why);
                }
                if (S_ISLNK(st.st_mode)) {
                        _cleanup_free_ char *target = NULL, *rest = NULL;
                        ssize_t k;

                        if (!owner_trusted(st.st_uid)) {
                                (void) asprintf(ret_why, "symbolic link %s%s%s is owned by uid %u; " TRUST_RULE,
                                                at, streq(at, "/") ? "" : "/", name, (unsigned) st.st_uid);
                                return -EPERM;
                        }
                        if (++symlinks > SYMLINKS_MAX)
                                return fail_errno(-ELOOP, at, ret_why);
                        target = malloc(PATH_MAX);
                        if (!target)
                                return -ENOMEM;
                        k = readlinkat(next, "", target, PATH_MAX);
                        if (k < 0 || k >= PATH_MAX)
                                return fail_errno(k < 0 ? -errno : -ENAMETOOLONG, at, ret_why);
                        target[k] = 0;
                        if (asprintf(&rest, "%s/%s", target, todo + pos) < 0)
                                return -ENOMEM;
                        free(todo);
                        todo = TAKE_PTR(rest);
                        pos = 0;
                        if (todo[0] == '/') {
                                closep(&cur);
                                cur = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                                if (cur < 0 || fstat(cur, &st) < 0)
                                        return fail_errno(-errno, "/", ret_why);
                                strcpy(at, "/");
                        } else if (fstat(cur, &st) < 0)
                                return fail_errno(-errno, at, ret_why);
                        continue;
                }
                if (!S_ISDIR(st.st_mode)) {
                        (void) at_down(&at, name);
                        return fail_errno(-ENOTDIR, at, ret_why);
                }
                if (streq(name, ".."))
                        at_up(at);
                else if (at_down(&at, name) < 0)
                        return -ENOMEM;
                closep(&cur);
                cur = TAKE_FD(next);
        }

        fd = openat(cur, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return fail_errno(-errno, at, ret_why);
        /* what is read is what was checked */
        struct stat again;
        if (fstat(fd, &again) < 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino) {
                close(fd);
                return fail_errno(-ESTALE, at, ret_why);
        }
        return fd;
}
