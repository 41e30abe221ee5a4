/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How much each tmpfs given holds, seen from inside: its size and inodes
 * by statfs(2) and by its options in /proc/self/mountinfo; then it is
 * filled with data until a write fails, and with empty files until a
 * create fails, and emptied again (the memory is given back before the
 * next one is filled). Each fill stops at its size and inodes plus a
 * margin, so that an unbounded tmpfs is reported, not filled. With
 * --no-fill first, only the sizes.
 *
 *     size:PATH BYTES        inodes:PATH N        (statfs)
 *     mount-size:PATH SIZE   mount-inodes:PATH N  (mountinfo; "none")
 *     written:PATH BYTES     write:PATH ERRNO|none
 *     files:PATH N           create:PATH ERRNO|none
 */
#include "probe.h"

#include <stdbool.h>
#include <sys/statfs.h>

#define MARGIN (16 * 1024 * 1024)

static void say_path(const char *what, const char *path, unsigned long long v) {
        printf("%s:%s %llu\n", what, path, v);
}

/* an option of the last mount on path, from mountinfo's super options */
static void mount_option(const char *path, const char *name, char *buf, size_t size) {
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096];

        snprintf(buf, size, "none");
        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                char mount[4096], opts[2048];
                const char *dash = strstr(line, " - "), *o;

                if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mount) != 1 || strcmp(mount, path) != 0 ||
                    sscanf(dash + 3, "%*s %*s %2047s", opts) != 1)
                        continue;
                snprintf(buf, size, "none");
                for (o = opts; o; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL)
                        if (strncmp(o, name, strlen(name)) == 0 && o[strlen(name)] == '=') {
                                snprintf(buf, size, "%.*s", (int) strcspn(o + strlen(name) + 1, ","), o + strlen(name) + 1);
                                break;
                        }
        }
        fclose(f);
}

static void fill(const char *path, bool fill_it) {
        static char chunk[64 * 1024];
        char file[4096], value[64];
        struct statfs s;
        unsigned long long size, inodes, written = 0, files = 0;
        int fd, err = 0;

        if (statfs(path, &s) < 0) {
                stepf(-1, "size:%s", path);
                return;
        }
        size = (unsigned long long) s.f_blocks * s.f_bsize;
        inodes = s.f_files;
        say_path("size", path, size);
        say_path("inodes", path, inodes);
        mount_option(path, "size", value, sizeof(value));
        printf("mount-size:%s %s\n", path, value);
        mount_option(path, "nr_inodes", value, sizeof(value));
        printf("mount-inodes:%s %s\n", path, value);
        if (!fill_it)
                return;

        snprintf(file, sizeof(file), "%s/fill-%d", path, (int) getpid());
        fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
                stepf(-1, "write:%s", path);
                return;
        }
        memset(chunk, 'x', sizeof(chunk));
        while (written < size + MARGIN) {
                ssize_t n = write(fd, chunk, sizeof(chunk));

                if (n <= 0) {
                        err = n < 0 ? errno : ENOSPC;
                        break;
                }
                written += (unsigned long long) n;
        }
        close(fd);
        unlink(file);
        say_path("written", path, written);
        printf("write:%s %s\n", path, err ? probe_errname(err) : "none");

        err = 0;
        while (files < inodes + 1024) {
                snprintf(file, sizeof(file), "%s/i-%d-%llu", path, (int) getpid(), files);
                fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (fd < 0) {
                        err = errno;
                        break;
                }
                close(fd);
                files++;
        }
        for (unsigned long long i = 0; i < files; i++) {
                snprintf(file, sizeof(file), "%s/i-%d-%llu", path, (int) getpid(), i);
                unlink(file);
        }
        say_path("files", path, files);
        printf("create:%s %s\n", path, err ? probe_errname(err) : "none");
        fflush(stdout);
}

int main(int argc, char *argv[]) {
        bool fill_it = !(argc > 1 && strcmp(argv[1], "--no-fill") == 0);

        for (int i = fill_it ? 1 : 2; i < argc; i++)
                fill(argv[i], fill_it);
        return 0;
}
