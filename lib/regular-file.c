/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"
#include "regular-file.h"

int read_regular_file(const char *path, size_t max, char **ret, size_t *ret_size, struct stat *ret_stat) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t got = 0;

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
        while (got <= max) {
                ssize_t k = read(fd, buf + got, max + 1 - got);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                got += (size_t) k;
        }
        if (got > max)
                return -EFBIG;
        buf[got] = 0;
        if (ret_size)
                *ret_size = got;
        if (ret_stat)
                *ret_stat = st;
        *ret = TAKE_PTR(buf);
        return 0;
}
