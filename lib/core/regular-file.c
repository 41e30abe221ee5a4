/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "regular-file.h"

int read_regular_file(const char *path, size_t max, char **ret, size_t *ret_size, struct stat *ret_stat) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        ssize_t n;

        /* O_NONBLOCK: opening a FIFO must not wait for a writer */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((uint64_t) st.st_size > max)
                return -EFBIG;
        buf = malloc(max + 2);
        if (!buf)
                return -ENOMEM;
        /* one byte more than max, to tell a file that grew */
        n = read_fd_into(fd, buf, max + 2);
        if (n < 0)
                return (int) n;
        if ((size_t) n > max)
                return -EFBIG;
        if (ret_size)
                *ret_size = (size_t) n;
        if (ret_stat)
                *ret_stat = st;
        *ret = TAKE_PTR(buf);
        return 0;
}

bool stat_is_root_only_file(const struct stat *st) {
        return S_ISREG(st->st_mode) && st->st_uid == 0 && !(st->st_mode & (S_IWGRP | S_IWOTH));
}
