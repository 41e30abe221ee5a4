/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <unistd.h>

#include "fileio.h"

ssize_t read_fd_into(int fd, char *buf, size_t size) {
        size_t got = 0;

        if (size == 0)
                return -EINVAL;
        while (got < size - 1) {
                ssize_t k = read(fd, buf + got, size - 1 - got);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                got += (size_t) k;
        }
        buf[got] = 0;
        return (ssize_t) got;
}
