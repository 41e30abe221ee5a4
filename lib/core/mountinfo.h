/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* /proc/PID/mountinfo, line by line, with a bound on each line and on
 * their number: the one parser of it, for the helper (masks, exec paths,
 * cgroups to join) and sandboxctl (status, state, run). Nothing here
 * logs. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* The longest line read: the kernel writes each of its paths (up to
 * PATH_MAX) with some characters escaped to four. */
#define MOUNTINFO_LINE_MAX (64 * 1024)
/* the most lines read */
#define MOUNTINFO_LINES_MAX 100000

/* A line, its fields pointing into it: valid until the next one. */
typedef struct MountInfo {
        uint64_t id;
        char *mount_point;   /* octal escapes undone */
        char *options;       /* the mount's own: "rw,nosuid,nodev" */
        char *fstype;        /* octal escapes undone */
        char *source;        /* as the kernel writes it */
        char *super_options; /* the file system's */
        bool read_only;      /* the mount, or its file system, is "ro" */
} MountInfo;

/* /proc/PID/mountinfo, or /proc/self/mountinfo for pid 0, opened by the
 * first mountinfo_next(): MountInfoFile f = { .pid = PID }, with
 * _cleanup_(mountinfo_close). */
typedef struct MountInfoFile {
        pid_t pid;
        FILE *f;
        char *line;
        size_t lines;
} MountInfoFile;

void mountinfo_close(MountInfoFile *m);

/* The next mount: 1 and *ret, 0 at the end, -errno: the open's (-ENOENT
 * for a process that has ended), -EBADMSG for a line longer than
 * MOUNTINFO_LINE_MAX, -E2BIG past MOUNTINFO_LINES_MAX lines. Lines
 * without the fields are skipped. */
int mountinfo_next(MountInfoFile *m, MountInfo *ret);
