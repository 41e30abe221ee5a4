/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "netlink.h"

#define SYSCTL_VALUE_MAX 4096

static bool sysctl_key_is_valid(const char *key) {
        if (isempty(key) || strlen(key) > 256 || key[0] == '/' || strstr(key, "..") || strstr(key, "//"))
                return false;
        return strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") == strlen(key);
}

int net_sysctl_set(const char *key, const char *value) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        char old[SYSCTL_VALUE_MAX + 1];
        size_t len = strlen(value), n = 0;
        ssize_t k;

        if (!sysctl_key_is_valid(key) || len == 0 || len > SYSCTL_VALUE_MAX)
                return log_error_errno(-EINVAL, "network: not a sysctl: %s", key);
        if (asprintf(&path, "/proc/sys/%s", key) < 0)
                return log_oom();

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return log_error_errno(-errno, "network: open %s: %m", path);
        while (n < SYSCTL_VALUE_MAX) {
                k = read(fd, old + n, SYSCTL_VALUE_MAX - n);
                if (k < 0)
                        return log_error_errno(-errno, "network: read %s: %m", path);
                if (k == 0)
                        break;
                n += (size_t) k;
        }
        old[n] = 0;
        if (n > 0 && old[n - 1] == '\n')
                old[--n] = 0;
        if (streq(old, value))
                return 0;
        closep(&fd);

        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return log_error_errno(-errno, "network: open %s: %m", path);
        k = write(fd, value, len);
        if (k < 0)
                return log_error_errno(-errno, "network: write %s to %s: %m", value, path);
        if ((size_t) k != len)
                return log_error_errno(-EIO, "network: write %s to %s: short write", value, path);
        return 0;
}
