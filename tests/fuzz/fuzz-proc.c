/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The shared readers of /proc: the bytes as a mountinfo file, read line
 * by line by mountinfo_next() from a file opened as it opens one, and
 * as a status and a stat text, read back through read_fd_into() with
 * the bound the callers use and given to the field parsers. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "fuzz-util.h"
#include "macro.h"
#include "mountinfo.h"
#include "proc-file.h"

/* what proc_stat_parent_start() and the status readers read at most */
#define TEXT_MAX 4096

static void mountinfo(const char *path) {
        _cleanup_(mountinfo_close) MountInfoFile m = {};
        MountInfo mi;
        size_t sum = 0;

        m.f = fopen(path, "re");
        if (!m.f)
                return;
        while (mountinfo_next(&m, &mi) > 0)
                /* every field is read, as the callers read them */
                sum += strlen(mi.mount_point) + strlen(mi.options) + strlen(mi.fstype) + strlen(mi.source) +
                       strlen(mi.super_options) + mi.read_only + (size_t) mi.id;
        (void) sum;
}

static void texts(const char *path) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        char text[TEXT_MAX];
        pid_t pid, inner;
        uint64_t start;
        unsigned levels;

        if (fd < 0 || read_fd_into(fd, text, sizeof(text)) < 0)
                return;
        (void) proc_stat_parse_parent_start(text, &pid, &start);
        (void) proc_status_pid(text, "PPid");
        (void) proc_status_pid(text, "Tgid");
        (void) proc_status_field(text, "Uid");
        (void) proc_status_nspid(text, &inner, &levels);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *path = fuzz_write("mountinfo", data, size);

        if (!path)
                abort();
        mountinfo(path);
        texts(path);
        return 0;
}
