/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared by the escape probes. A probe makes one escape attempt, in one or
 * more steps, and prints one line per step on standard output:
 *
 *     STEP RESULT
 *
 * RESULT is the errno name of the failed call (EPERM, EROFS, ...), "ok"
 * when the call succeeded, or a value the step reports (a capability mask,
 * "same", ...). The test script, not the probe, decides which results are
 * a refusal: the expectations stay in one readable place.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static inline const char *probe_errname(int e) {
        const char *n = strerrorname_np(e);
        return n ? n : "EUNKNOWN";
}

/* step KEY R: report a call's return value; errno is read when r < 0 */
static inline long step(const char *key, long r) {
        int e = errno;

        if (r < 0)
                printf("%s %s\n", key, probe_errname(e));
        else
                printf("%s ok\n", key);
        fflush(stdout);
        errno = e;
        return r;
}

/* stepf KEY-FORMAT... R: step() with a formatted key */
static inline long stepf(long r, const char *fmt, ...) {
        char key[512];
        va_list ap;
        int e = errno;

        va_start(ap, fmt);
        vsnprintf(key, sizeof(key), fmt, ap);
        va_end(ap);
        errno = e;
        return step(key, r);
}

/* say KEY VALUE: report a value rather than a call's outcome */
static inline void say(const char *key, const char *fmt, ...) {
        va_list ap;

        printf("%s ", key);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        fflush(stdout);
}

/* open_write PATH: try to open PATH for writing, close it again */
static inline long open_write(const char *path, int extra) {
        int fd = open(path, O_WRONLY | O_CLOEXEC | extra, 0644);

        if (fd >= 0)
                close(fd);
        return fd;
}
