/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "mountinfo.h"
#include "quantities.h"

static int mountinfo_open(MountInfoFile *m) {
        char path[64];

        if (m->pid > 0)
                snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int) m->pid);
        else
                snprintf(path, sizeof(path), "/proc/self/mountinfo");
        m->f = fopen(path, "re");
        return m->f ? 0 : -errno;
}

void mountinfo_close(MountInfoFile *m) {
        if (m->f)
                fclose(m->f);
        free(m->line);
        m->f = NULL;
        m->line = NULL;
}

/* "\040" and the like, as mountinfo escapes a path, made the path
 * again, in place */
static void mountinfo_unescape(char *s) {
        char *w = s;

        for (const char *r = s; *r;) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
                    r[3] <= '7') {
                        *w++ = (char) (((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
                        r += 4;
                } else
                        *w++ = *r++;
        }
        *w = 0;
}

/* The field at *p, ended at a single space in place; NULL past the last. */
static char *next_field(char **p) {
        char *s = *p, *e;

        if (!s)
                return NULL;
        e = strchr(s, ' ');
        if (e)
                *e++ = 0;
        *p = e;
        return s;
}

static bool options_say_ro(const char *options) {
        return strncmp(options, "ro", 2) == 0 && (options[2] == 0 || options[2] == ',');
}

/* The next line into m->line, of MOUNTINFO_LINE_MAX + 2 bytes: a line
 * longer than the bound is refused once the buffer is full, never read
 * whole. 1, 0 at the end, -errno. */
static int read_line(MountInfoFile *m) {
        char *line = m->line;

        if (!line) {
                line = m->line = malloc(MOUNTINFO_LINE_MAX + 2);
                if (!line)
                        return -ENOMEM;
        }
        /* fgets() ends what it read with a NUL: at the last byte only
         * when it read MOUNTINFO_LINE_MAX + 1 bytes, one more than a line
         * (its newline counted) may have */
        line[MOUNTINFO_LINE_MAX + 1] = 1;
        errno = 0;
        if (!fgets(line, MOUNTINFO_LINE_MAX + 2, m->f))
                return ferror(m->f) ? (errno ? -errno : -EIO) : 0;
        if (line[MOUNTINFO_LINE_MAX + 1] == 0)
                return -EBADMSG;
        return 1;
}

int mountinfo_next(MountInfoFile *m, MountInfo *ret) {
        int r;

        if (!m->f && (r = mountinfo_open(m)) < 0)
                return r;
        for (;;) {
                char *p, *f[6], *sep, *fstype, *source, *super;
                uint64_t id;
                size_t n;

                r = read_line(m);
                if (r <= 0)
                        return r;
                if (++m->lines > MOUNTINFO_LINES_MAX)
                        return -E2BIG;
                p = m->line;
                p[strcspn(p, "\n")] = 0;
                /* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS */
                for (n = 0; n < ELEMENTSOF(f) && (f[n] = next_field(&p)); n++)
                        ;
                if (n < ELEMENTSOF(f) || parse_uint_range(f[0], 0, UINT64_MAX, &id) < 0)
                        continue;
                do
                        sep = next_field(&p);
                while (sep && !streq(sep, "-"));
                fstype = next_field(&p);
                source = next_field(&p);
                super = next_field(&p);
                if (!super)
                        continue;
                mountinfo_unescape(f[4]);
                mountinfo_unescape(fstype);
                *ret = (MountInfo) {
                        .id = id,
                        .mount_point = f[4],
                        .options = f[5],
                        .fstype = fstype,
                        .source = source,
                        .super_options = super,
                        .read_only = options_say_ro(f[5]) || options_say_ro(super),
                };
                return 1;
        }
}
