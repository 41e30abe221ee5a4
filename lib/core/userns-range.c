/* temporary */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "userns-range.h"

int userns_record_read(int state, UsernsRecord *ret) {
        char buf[128], st[16];
        int fd = openat(state, USERNS_RECORD, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n;
        if (fd < 0)
                return -errno;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n < 0)
                return -errno;
        buf[n] = 0;
        if (sscanf(buf, "%u %u %15s", &ret->base, &ret->size, st) != 3)
                return -EBADMSG;
        ret->state = strcmp(st, "ready") ? USERNS_SHIFTING : USERNS_READY;
        return 0;
}

int userns_record_write(int state, const UsernsRecord *r) {
        char buf[128];
        int fd = openat(state, USERNS_RECORD ".new", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        int n;
        if (fd < 0)
                return -errno;
        n = snprintf(buf, sizeof(buf), "%u %u %s\n", r->base, r->size, r->state == USERNS_READY ? "ready" : "shifting");
        if (write(fd, buf, (size_t) n) != n) {
                close(fd);
                return -EIO;
        }
        fsync(fd);
        close(fd);
        return renameat(state, USERNS_RECORD ".new", state, USERNS_RECORD) < 0 ? -errno : 0;
}

int userns_record_remove(int state) {
        return unlinkat(state, USERNS_RECORD, 0) < 0 && errno != ENOENT ? -errno : 0;
}

int userns_range_acquire(const char *state_root, const char *name, int state, UsernsState initial, UsernsRecord *ret) {
        uint32_t h = 5381;
        (void) state_root;
        if (userns_record_read(state, ret) == 0)
                return 0;
        for (const char *p = name; *p; p++)
                h = h * 33 + (unsigned char) *p;
        *ret = (UsernsRecord) { USERNS_POOL_FIRST + (h % 4094) * USERNS_RANGE_SIZE, USERNS_RANGE_SIZE, initial };
        return userns_record_write(state, ret);
}
