/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz-util.h"
#include "macro.h"

static char dir[PATH_MAX];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st, (void) flag, (void) ftw;
        (void) remove(path);
        return 0;
}

/* the directory holds only what the targets wrote: no mount, nothing
 * of anyone else */
static void remove_dir(void) {
        (void) nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

const char *fuzz_dir(void) {
        const char *tmp = getenv("TMPDIR");

        if (dir[0])
                return dir;
        snprintf(dir, sizeof(dir), "%s/sandbox-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
                dir[0] = 0;
                return NULL;
        }
        atexit(remove_dir);
        return dir;
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size) {
        static char path[PATH_MAX];
        _cleanup_close_ int fd = -EBADF;
        const char *d = fuzz_dir();

        if (!d || (size_t) snprintf(path, sizeof(path), "%s/%s", d, name) >= sizeof(path))
                return NULL;
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return NULL;
        for (size_t done = 0; done < size;) {
                ssize_t k = write(fd, data + done, size - done);
                if (k <= 0)
                        return NULL;
                done += (size_t) k;
        }
        return path;
}
