/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which runtime directories a converted service shares with the host
 * (convert-rundir.h): clients of the original found its sockets in
 * /run/NAME on the host, and keep finding them there. The sources are
 * what the unit says, what its package's tmpfiles.d says, and what the
 * running original does; each one shared is noted with its source.
 */
#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert-rundir.h"
#include "macro.h"
#include "names.h"
#include "quantities.h"
#include "regular-file.h"
#include "runtime-share.h"
#include "strv.h"
#include "trusted-dirs.h"

#define TMPFILES_FILE_MAX (1U << 20)
#define NET_UNIX_MAX (16U << 20)
#define CGROUP_FILE_MAX 4096U
#define INODES_MAX 65536U

typedef struct RunDir {
        char name[72];
        unsigned mode;
        /* "": the service's */
        char user[72], group[72];
} RunDir;

typedef struct RunDirs {
        RunDir *items;
        size_t n;
} RunDirs;

static bool have(const RunDirs *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].name, name))
                        return true;
        return false;
}

/* the first source of a directory gives its mode and owner (NULL: the
 * service's) */
static int add(RunDirs *l, const char *name, unsigned mode, const char *user, const char *group) {
        RunDir *t;

        if (have(l, name))
                return 0;
        t = realloc(l->items, (l->n + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        l->items = t;
        t += l->n++;
        *t = (RunDir) { .mode = mode & 07777 };
        snprintf(t->name, sizeof(t->name), "%s", name);
        snprintf(t->user, sizeof(t->user), "%s", user ? user : "");
        snprintf(t->group, sizeof(t->group), "%s", group ? group : "");
        return 1;
}

/* NAME of "/run/NAME" or "/var/run/NAME" (with what follows it when
 * below is set: "/run/NAME/..."), NAME one that may be shared */
static bool run_child(const char *path, bool below, char name[static 72]) {
        const char *p = path, *end;
        size_t n;

        if (strncmp(p, "/var/run/", 9) == 0)
                p += 4;
        if (strncmp(p, "/run/", 5) != 0)
                return false;
        p += 5;
        end = strchr(p, '/');
        if (below ? !end || !end[1] : !!end)
                return false;
        n = end ? (size_t) (end - p) : strlen(p);
        if (n == 0 || n >= 72)
                return false;
        memcpy(name, p, n);
        name[n] = 0;
        return !shared_runtime_name_refused(name);
}

static bool path_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("_.-@+", c));
}

/* s names dir, or something below it ("/run/x" in "--pid=/run/x/x.pid"
 * but not in "/run/xy") */
static bool names_dir(const char *s, const char *dir) {
        size_t n = strlen(dir);

        for (const char *p = s; s && (p = strstr(p, dir)); p += n)
                if (!path_char(p[n]) && (p == s || !path_char(p[-1])))
                        return true;
        return false;
}

static bool commands_name(const UnitCommands *c, const char *dir) {
        for (size_t i = 0; i < c->n; i++)
                STRV_FOREACH(a, c->items[i].argv)
                        if (names_dir(*a, dir))
                                return true;
        return false;
}

static bool unit_names(const UnitProps *u, const char *name) {
        const UnitCommands *cmds[] = { &u->exec_start, &u->exec_start_pre, &u->exec_start_post, &u->exec_reload,
                                       &u->exec_stop, &u->exec_stop_post };
        char run[80], var_run[84];

        snprintf(run, sizeof(run), "/run/%s", name);
        snprintf(var_run, sizeof(var_run), "/var/run/%s", name);
        if (u->pid_file && (names_dir(u->pid_file, run) || names_dir(u->pid_file, var_run)))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(cmds); i++)
                if (commands_name(cmds[i], run) || commands_name(cmds[i], var_run))
                        return true;
        STRV_FOREACH(e, u->environment)
                if (names_dir(*e, run) || names_dir(*e, var_run))
                        return true;
        STRV_FOREACH(p, u->read_write_paths)
                if (names_dir(*p, run) || names_dir(*p, var_run))
                        return true;
        return false;
}

static bool runs_as_root(const UnitProps *u) {
        return !u->user || !*u->user || streq(u->user, "root") || streq(u->user, "0");
}

/* ---- RuntimeDirectory= ---- */

static int from_unit(RunDirs *l, char ***own, const UnitProps *u, char ***notes) {
        STRV_FOREACH(d, u->runtime_directory) {
                const char *why = shared_runtime_name_refused(*d);
                int r;

                if (why) {
                        if (strv_append(own, *d) < 0)
                                return -ENOMEM;
                        continue;
                }
                r = add(l, *d, u->runtime_directory_mode, NULL, NULL);
                if (r < 0 || (r > 0 && strv_appendf(notes, "RuntimeDirectory=%s: shared with the host at /run/%s, the "
                                                    "service's user's, mode %04o, removed when the sandbox stops", *d, *d,
                                                    (unsigned) (u->runtime_directory_mode & 07777)) < 0))
                        return -ENOMEM;
        }
        return 0;
}

/* A RuntimeDirectory= that cannot be shared: the sandbox's own, made
 * there as systemd would; inside one that is shared, the service's to
 * make in the host's directory. */
static int own_dirs(Buffer *b, const RunDirs *l, char **own, const UnitProps *u, char ***notes) {
        STRV_FOREACH(d, own) {
                char first[72];
                size_t n = strcspn(*d, "/");

                snprintf(first, sizeof(first), "%.*s", (int) (n < sizeof(first) - 1 ? n : sizeof(first) - 1), *d);
                if ((*d)[n] == '/' && have(l, first)) {
                        if (strv_appendf(notes, "RuntimeDirectory=%s: inside /run/%s, which is shared with the host: not "
                                         "made by the sandbox; the service makes it there", *d, first) < 0)
                                return -ENOMEM;
                        continue;
                }
                buffer_append(b, "    <runtime-directory name=\"");
                buffer_append_xml(b, *d);
                buffer_printf(b, "\" mode=\"%04o\"/>\n", (unsigned) (u->runtime_directory_mode & 07777));
                if (strv_appendf(notes, "RuntimeDirectory=%s: the sandbox's own /run/%s, not shared with the host (%s)", *d,
                                 *d, shared_runtime_name_refused(*d)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* ---- tmpfiles.d ---- */

static int by_base(const void *a, const void *b) {
        const char *x = *(const char *const *) a, *y = *(const char *const *) b;

        return strcmp(strrchr(x, '/') + 1, strrchr(y, '/') + 1);
}

/* every *.conf, a name in an earlier directory hiding it in later ones,
 * in the order of their names */
static int tmpfiles_list(char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL, **files = NULL;

        if (convert_search_dirs("SANDBOX_TMPFILES_PATH", TMPFILES_PATH_DEFAULT, &dirs) < 0)
                return -ENOMEM;
        STRV_FOREACH(d, dirs) {
                _cleanup_closedir_ DIR *dir = opendir(*d);
                struct dirent *de;

                while (dir && (de = readdir(dir))) {
                        size_t n = strlen(de->d_name);
                        bool hidden = false;

                        if (n <= 5 || !streq(de->d_name + n - 5, ".conf") || de->d_name[0] == '.')
                                continue;
                        STRV_FOREACH(f, files)
                                hidden = hidden || streq(strrchr(*f, '/') + 1, de->d_name);
                        if (!hidden && strv_appendf(&files, "%s/%s", *d, de->d_name) < 0)
                                return -ENOMEM;
                }
        }
        if (files)
                qsort(files, strv_length(files), sizeof(char *), by_base);
        *ret = TAKE_PTR(files);
        return 0;
}

static int tmpfiles_line(RunDirs *l, const UnitProps *u, const char *file, unsigned line, char *text, char ***notes) {
        char *f[5] = {}, *save = NULL, name[72];
        const char *why, *user, *group;
        unsigned mode = 0755;
        size_t k = 0;
        int r;

        for (char *t = strtok_r(text, " \t", &save); t && k < ELEMENTSOF(f); t = strtok_r(NULL, " \t", &save))
                f[k++] = t;
        /* a directory made ("d", or "D", emptied at boot), with its modifiers */
        if (k < 2 || (f[0][0] != 'd' && f[0][0] != 'D') || strspn(f[0] + 1, "!-=~^+") != strlen(f[0] + 1))
                return 0;
        if (!run_child(f[1], false, name))
                return 0;
        if (k >= 3 && !streq(f[2], "-")) {
                const char *m = f[2] + strspn(f[2], "~:");

                if (parse_mode(m, &mode) < 0)
                        return 0;
        }
        if (!runs_as_root(u) && k >= 4 && streq(f[3], u->user))
                why = "its user is the unit's User=";
        else if (unit_names(u, name))
                why = "the unit names that path";
        else
                return 0;
        /* the owner tmpfiles.d gives, where it is not the service's user:
         * the service may be root and switch to that user, as
         * pg_ctlcluster does for postgres */
        user = k >= 4 && !streq(f[3], "-") && !streq(f[3], runs_as_root(u) ? "root" : u->user) ? f[3] : NULL;
        group = k >= 5 && !streq(f[4], "-") && (user || (u->group && !streq(f[4], u->group))) ? f[4] : NULL;
        /* a name a profile could not carry: the line is not one of ours */
        if ((user && !user_name_is_valid(user)) || (group && !user_name_is_valid(group)))
                return 0;
        r = add(l, name, mode, user, group);
        if (r <= 0)
                return r;
        if (strv_appendf(notes, "%s:%u: %s %s %s %s: /run/%s shared with the host (%s), %s%s%s, mode %04o, removed when "
                         "the sandbox stops", file, line, f[0], f[1], k >= 3 ? f[2] : "-", k >= 4 ? f[3] : "-", name, why,
                         user ? "owned by " : "the service's user's", user ? user : "", user ? " as tmpfiles.d says" : "",
                         mode) < 0)
                return -ENOMEM;
        return 0;
}

static int from_tmpfiles(RunDirs *l, const UnitProps *u, char ***notes) {
        _cleanup_strv_free_ char **files = NULL;

        if (tmpfiles_list(&files) < 0)
                return -ENOMEM;
        STRV_FOREACH(f, files) {
                _cleanup_free_ char *text = NULL;
                unsigned n = 0;
                int r;

                /* one unreadable, too large or odd file is not the unit's */
                if (read_regular_file(*f, TMPFILES_FILE_MAX, &text, NULL, NULL) < 0)
                        continue;
                for (char *line = text, *next; line; line = next) {
                        next = strchr(line, '\n');
                        if (next)
                                *next++ = 0;
                        n++;
                        line += strspn(line, " \t");
                        if (*line == '#' || *line == 0)
                                continue;
                        r = tmpfiles_line(l, u, *f, n, line, notes);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* ---- the running original's sockets ---- */

typedef struct Inodes {
        unsigned long *v;
        size_t n;
} Inodes;

/* whether /proc/PID/cgroup puts PID in the unit's cgroup, or below it */
static bool in_unit(const char *pid, const char *unit) {
        _cleanup_free_ char *text = NULL;
        char path[300];

        snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
        if (read_regular_file(path, CGROUP_FILE_MAX, &text, NULL, NULL) < 0)
                return false;
        for (char *line = text, *next; line; line = next) {
                char *p = strchr(line, ':');

                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                p = p ? strchr(p + 1, ':') : NULL;
                while (p) {
                        size_t n;

                        p++;
                        n = strcspn(p, "/");
                        if (n == strlen(unit) && strncmp(p, unit, n) == 0)
                                return true;
                        p = strchr(p, '/');
                }
        }
        return false;
}

static int socket_inodes(const char *pid, Inodes *s) {
        char path[300];
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        snprintf(path, sizeof(path), "/proc/%s/fd", pid);
        d = opendir(path);
        while (d && (de = readdir(d))) {
                char target[64];
                unsigned long ino;
                ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
                unsigned long *t;

                if (n <= 0)
                        continue;
                target[n] = 0;
                if (sscanf(target, "socket:[%lu]", &ino) != 1 || s->n >= INODES_MAX)
                        continue;
                t = realloc(s->v, (s->n + 1) * sizeof(*t));
                if (!t)
                        return -ENOMEM;
                s->v = t;
                s->v[s->n++] = ino;
        }
        return 0;
}

static bool has_inode(const Inodes *s, unsigned long ino) {
        for (size_t i = 0; i < s->n; i++)
                if (s->v[i] == ino)
                        return true;
        return false;
}

/* The owner of the directory as it is, by name in the host's /etc (a
 * number where it has none); "" when it is the service's user's */
static int dir_owner(const UnitProps *u, const struct stat *st, char user[static 72], char group[static 72]) {
        struct passwd *pw = getpwuid(st->st_uid);
        struct group *gr = getgrgid(st->st_gid);

        if (pw)
                snprintf(user, 72, "%s", pw->pw_name);
        else
                snprintf(user, 72, "%u", (unsigned) st->st_uid);
        if (gr)
                snprintf(group, 72, "%s", gr->gr_name);
        else
                snprintf(group, 72, "%u", (unsigned) st->st_gid);
        if (streq(user, runs_as_root(u) ? "root" : u->user) || !user_name_is_valid(user) || !user_name_is_valid(group))
                user[0] = group[0] = 0;
        return 0;
}

#define SO_ACCEPTCON_FLAG 0x10000UL
#define UNIX_DGRAM 2U

/* the unix sockets of s that listen (or, datagram, are bound) below
 * /run/NAME/, as pid's network namespace lists them */
static int listening_below_run(RunDirs *l, const UnitProps *u, const char *pid, const Inodes *s, char ***notes) {
        _cleanup_free_ char *text = NULL;
        char path[300];

        snprintf(path, sizeof(path), "/proc/%s/net/unix", pid);
        if (read_regular_file(path, NET_UNIX_MAX, &text, NULL, NULL) < 0)
                return 0;
        for (char *line = strchr(text, '\n'), *next; line && *++line; line = next) {
                unsigned long flags, ino;
                unsigned type, st;
                int off = -1;
                char name[72], dir[80], user[72], group[72];
                struct stat ds;
                int r;

                next = strchr(line, '\n');
                if (next)
                        *next = 0;
                if (sscanf(line, "%*s %*s %*s %lx %x %x %lu %n", &flags, &type, &st, &ino, &off) < 4 || off < 0)
                        goto next_line;
                if (!has_inode(s, ino) || (!(flags & SO_ACCEPTCON_FLAG) && type != UNIX_DGRAM))
                        goto next_line;
                if (!run_child(line + off, true, name))
                        goto next_line;
                snprintf(dir, sizeof(dir), "/run/%s", name);
                if (stat(dir, &ds) < 0)
                        goto next_line;
                r = dir_owner(u, &ds, user, group);
                if (r >= 0)
                        r = add(l, name, ds.st_mode, *user ? user : NULL, *user ? group : NULL);
                if (r < 0 || (r > 0 && strv_appendf(notes, "the running service listens on %s: /run/%s shared with the host, "
                                                    "%s%s, with the mode it has now, removed when the sandbox stops",
                                                    line + off, name, *user ? "owned by " : "the service's user's",
                                                    user) < 0))
                        return -ENOMEM;
        next_line:
                if (next)
                        *next = '\n';
        }
        return 0;
}

static int from_sockets(RunDirs *l, const UnitProps *u, char ***notes) {
        _cleanup_closedir_ DIR *proc = NULL;
        struct dirent *de;
        int r = 0;

        if (!u->id || !u->active_state || !streq(u->active_state, "active"))
                return 0;
        STRV_FOREACH(t, u->triggered_by) {
                size_t n = strlen(*t);

                if (n > 7 && streq(*t + n - 7, ".socket"))
                        return strv_appendf(notes, "%s is activated by %s: the sockets it listens on are that unit's, on "
                                            "the host, and none of their directories is shared", u->id, *t) < 0 ? -ENOMEM : 0;
        }
        proc = opendir("/proc");
        while (proc && r >= 0 && (de = readdir(proc))) {
                Inodes s = {};

                if (strspn(de->d_name, "0123456789") != strlen(de->d_name) || !in_unit(de->d_name, u->id))
                        continue;
                r = socket_inodes(de->d_name, &s);
                if (r >= 0 && s.n > 0)
                        r = listening_below_run(l, u, de->d_name, &s, notes);
                free(s.v);
        }
        return r;
}

int convert_runtime_dirs(Buffer *b, const UnitProps *u, char ***notes) {
        _cleanup_strv_free_ char **own = NULL;
        RunDirs l = {};
        int r;

        r = from_unit(&l, &own, u, notes);
        if (r >= 0)
                r = from_tmpfiles(&l, u, notes);
        if (r >= 0)
                r = from_sockets(&l, u, notes);
        if (r >= 0)
                r = own_dirs(b, &l, own, u, notes);
        for (size_t i = 0; r >= 0 && i < l.n; i++) {
                const RunDir *d = &l.items[i];

                buffer_printf(b, "    <runtime-directory name=\"%s\" mode=\"%04o\" share=\"host\"", d->name, d->mode);
                if (*d->user)
                        buffer_printf(b, " user=\"%s\"", d->user);
                if (*d->group)
                        buffer_printf(b, " group=\"%s\"", d->group);
                buffer_append(b, "/>\n");
        }
        free(l.items);
        return r;
}
