/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl diff: what a sandbox changed in its /etc and /var, read from
 * the upper directories of their overlays and compared with the host's
 * files, which are the lower layer. Only the state is read: a sandbox
 * that never ran, or whose /etc and /var are tmpfs or the host's, has
 * nothing to show.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "names.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "state.h"
#include "strv.h"

typedef enum ChangeKind {
        CHANGE_ADDED = 'A',
        CHANGE_MODIFIED = 'M',
        CHANGE_DELETED = 'D',
        CHANGE_REPLACED = 'R',
} ChangeKind;

typedef struct Change {
        ChangeKind kind;
        char *path;
} Change;

/* The changes found so far, and the overlay being compared (for messages). */
typedef struct Walk {
        Change *items;
        size_t n, allocated;
        const char *top;   /* "/etc" */
        const char *upper; /* STATE_ROOT/NAME/etc/upper */
} Walk;

static const char *change_word(ChangeKind k) {
        switch (k) {
        case CHANGE_ADDED:
                return "added";
        case CHANGE_MODIFIED:
                return "modified";
        case CHANGE_DELETED:
                return "deleted";
        case CHANGE_REPLACED:
                return "replaced";
        }
        return "unknown";
}

static int walk_add(Walk *w, ChangeKind kind, const char *path) {
        if (w->n == w->allocated) {
                size_t k = w->allocated ? w->allocated * 2 : 32;
                Change *t = realloc(w->items, k * sizeof(Change));

                if (!t)
                        return log_oom();
                w->items = t;
                w->allocated = k;
        }
        w->items[w->n].path = strdup(path);
        if (!w->items[w->n].path)
                return log_oom();
        w->items[w->n++].kind = kind;
        return 0;
}

static void walk_done(Walk *w) {
        for (size_t i = 0; i < w->n; i++)
                free(w->items[i].path);
        free(w->items);
}

/* A failure to read a changed entry, named as the sandbox sees it and as
 * it is kept in the state. */
static int walk_error(const Walk *w, int error, const char *path, const char *what) {
        return log_error_errno(error, "diff %s (%s%s): %s: %m", path, w->upper, path + strlen(w->top), what);
}

static bool xattr_says(int fd, const char *name, const char *value) {
        char buf[8];
        ssize_t k = fgetxattr(fd, name, buf, sizeof(buf));

        return k == (ssize_t) strlen(value) && memcmp(buf, value, (size_t) k) == 0;
}

static bool xattr_present(int fd, const char *name) {
        return fgetxattr(fd, name, NULL, 0) >= 0;
}

/* 1 when the two regular files have the same bytes, 0 when not. */
static int same_content(int a, int b) {
        static char x[65536], y[65536];

        for (;;) {
                ssize_t k = read(a, x, sizeof(x)), m;
                size_t got = 0;

                if (k < 0)
                        return -errno;
                /* the other file in pieces of the same size, or it is shorter */
                while (got < (size_t) k) {
                        m = read(b, y + got, (size_t) k - got);
                        if (m < 0)
                                return -errno;
                        if (m == 0)
                                return 0;
                        got += (size_t) m;
                }
                if (memcmp(x, y, (size_t) k) != 0)
                        return 0;
                if (k == 0)
                        return read(b, y, 1) == 0;
        }
}

static int open_regular(int dir, const char *name) {
        struct stat st;
        int fd;

        fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -EAGAIN; /* replaced while being compared */
        }
        return fd;
}

/* Whether a non-directory entry of the upper dir differs from the host's
 * entry of the same name: 1, 0, or -errno after logging. */
static int entry_differs(const Walk *w, int upper, int host, const char *name, const struct stat *u,
                         const struct stat *h, const char *path) {
        _cleanup_close_ int fu = -EBADF, fh = -EBADF;
        int r;

        if ((u->st_mode & S_IFMT) != (h->st_mode & S_IFMT) || (u->st_mode & 07777) != (h->st_mode & 07777) ||
            u->st_uid != h->st_uid || u->st_gid != h->st_gid)
                return 1;
        if (S_ISCHR(u->st_mode) || S_ISBLK(u->st_mode))
                return u->st_rdev != h->st_rdev;
        if (S_ISLNK(u->st_mode)) {
                char a[PATH_MAX], b[PATH_MAX];
                ssize_t ka = readlinkat(upper, name, a, sizeof(a)), kb;

                if (ka < 0)
                        return walk_error(w, -errno, path, "read the symbolic link");
                kb = readlinkat(host, name, b, sizeof(b));
                if (kb < 0)
                        return walk_error(w, -errno, path, "read the host's symbolic link");
                return ka != kb || memcmp(a, b, (size_t) ka) != 0;
        }
        if (!S_ISREG(u->st_mode))
                return 0; /* fifos and sockets: nothing but their metadata */
        if (u->st_size != h->st_size)
                return 1;
        fu = open_regular(upper, name);
        if (fu < 0)
                return walk_error(w, fu, path, "open");
        /* metadata copied up alone: the content is still the host's */
        if (xattr_present(fu, "trusted.overlay.metacopy"))
                return 0;
        fh = open_regular(host, name);
        if (fh < 0)
                return walk_error(w, fh, path, "open the host's file");
        r = same_content(fu, fh);
        if (r < 0)
                return walk_error(w, r, path, "compare with the host's file");
        return !r;
}

static int walk_dir(Walk *w, int upper, int host, const char *path, bool replaced, unsigned depth);

static int name_compare(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

/* A directory of the upper dir: added, replaced (opaque: the host's
 * contents are hidden), changed in its own metadata, or only holding
 * changes further down. */
static int walk_subdir(Walk *w, int upper, int host, const char *name, const struct stat *h, bool has_host,
                       const char *path, bool replaced, unsigned depth) {
        _cleanup_close_ int fd = -EBADF, hfd = -EBADF;
        struct stat st;
        bool opaque;
        int r;

        if (depth >= STATE_DEPTH_MAX)
                return log_error_errno(-ELOOP, "diff %s: more than %d directories deep; refusing to go on", path,
                                       STATE_DEPTH_MAX);
        fd = openat(upper, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return walk_error(w, -errno, path, "open");
        opaque = xattr_says(fd, "trusted.overlay.opaque", "y");

        if (!has_host)
                r = walk_add(w, CHANGE_ADDED, path);
        else if (!S_ISDIR(h->st_mode))
                r = walk_add(w, CHANGE_MODIFIED, path);
        else if (opaque)
                r = walk_add(w, CHANGE_REPLACED, path);
        else if ((st.st_mode & 07777) != (h->st_mode & 07777) || st.st_uid != h->st_uid || st.st_gid != h->st_gid)
                r = walk_add(w, CHANGE_MODIFIED, path);
        else
                r = 0;
        if (r < 0)
                return r;

        if (has_host && S_ISDIR(h->st_mode)) {
                hfd = openat(host, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (hfd < 0)
                        return walk_error(w, -errno, path, "open the host's directory");
        }
        /* below an opaque directory the host's files never show again */
        return walk_dir(w, fd, hfd, path, replaced || opaque, depth + 1);
}

/* Compares the upper directory upper with the host's directory host
 * (-EBADF when the host has none). In a replaced directory, the host's
 * entries that the upper dir lacks are deleted too. */
static int walk_dir(Walk *w, int upper, int host, const char *path, bool replaced, unsigned depth) {
        _cleanup_strv_free_ char **names = NULL, **host_names = NULL;
        int r;

        r = dir_names(upper, &names);
        if (r < 0)
                return walk_error(w, r, path, "read the directory");
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *child = path_join2(path, *n);
                struct stat u, h = {};
                bool has_host = false;

                if (!child)
                        return log_oom();
                if (fstatat(upper, *n, &u, AT_SYMLINK_NOFOLLOW) < 0)
                        return walk_error(w, -errno, child, "stat");
                if (host >= 0) {
                        if (fstatat(host, *n, &h, AT_SYMLINK_NOFOLLOW) == 0)
                                has_host = true;
                        else if (errno != ENOENT)
                                return walk_error(w, -errno, child, "stat the host's file");
                }

                if (S_ISCHR(u.st_mode) && u.st_rdev == makedev(0, 0))
                        /* a whiteout: only a deletion while the host has the file */
                        r = has_host ? walk_add(w, CHANGE_DELETED, child) : 0;
                else if (S_ISDIR(u.st_mode))
                        r = walk_subdir(w, upper, host, *n, &h, has_host, child, replaced, depth);
                else if (!has_host)
                        r = walk_add(w, CHANGE_ADDED, child);
                else {
                        r = entry_differs(w, upper, host, *n, &u, &h, child);
                        if (r > 0)
                                r = walk_add(w, CHANGE_MODIFIED, child);
                }
                if (r < 0)
                        return r;
        }

        if (!replaced || host < 0)
                return 0;
        r = dir_names(host, &host_names);
        if (r < 0)
                return log_error_errno(r, "diff %s: read the host's directory: %m", path);
        /* both sorted by dir_names(): a lookup, not a scan, per host entry */
        size_t count = strv_length(names);
        STRV_FOREACH(n, host_names)
                if (!bsearch(n, names, count, sizeof(char *), name_compare)) {
                        _cleanup_free_ char *child = path_join2(path, *n);

                        if (!child)
                                return log_oom();
                        r = walk_add(w, CHANGE_DELETED, child);
                        if (r < 0)
                                return r;
                }
        return 0;
}

/* STATE/NAME/DIR: its overlay upper dir compared with the host's /DIR,
 * or a note on stderr about why there is nothing to compare. */
static int diff_one(Walk *w, int state, const char *state_path, const char *name, const char *dir, int host_root,
                    const Profile *p) {
        _cleanup_close_ int d = -EBADF, upper = -EBADF, host = -EBADF;
        _cleanup_free_ char *dir_path = NULL, *upper_path = NULL, *top = NULL;
        DirMode mode = p ? (streq(dir, "etc") ? p->etc_mode : p->var_mode) : DIR_OVERLAY;
        int r;

        dir_path = path_join2(state_path, dir);
        upper_path = dir_path ? path_join2(dir_path, "upper") : NULL;
        top = path_join2("/", dir);
        if (!upper_path || !top)
                return log_oom();

        d = state_step_down(state, dir, dir_path, 0);
        if (d >= 0)
                upper = state_step_down(d, "upper", upper_path, 0);
        if (d == -ENOENT || upper == -ENOENT) {
                struct stat st;

                if (d >= 0 && fstatat(d, "private", &st, AT_SYMLINK_NOFOLLOW) == 0)
                        log_info("%s: %s is kept whole in private mode (%s/private), not as changes to the host's; "
                                 "nothing to compare", name, top, dir_path);
                else if (mode == DIR_TMPFS || mode == DIR_HOST)
                        log_info("%s: %s is %s, so nothing of it is kept; nothing to compare", name, top,
                                 mode == DIR_TMPFS ? "a fresh tmpfs at every start" : "the host's own, read-only");
                return 0;
        }
        if (d < 0)
                return d;
        if (upper < 0)
                return upper;

        host = openat(host_root, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (host < 0 && errno != ENOENT)
                return log_error_errno(-errno, "diff: open the host's %s: %m", top);
        w->top = top;
        w->upper = upper_path;
        r = walk_dir(w, upper, host, top, false, 0);
        w->top = w->upper = NULL;
        return r;
}

static int change_compare(const void *a, const void *b) {
        return strcmp(((const Change *) a)->path, ((const Change *) b)->path);
}

static int print_changes(const Walk *w) {
        if (!arg_json) {
                for (size_t i = 0; i < w->n; i++) {
                        printf("%c ", (char) w->items[i].kind);
                        print_escaped(w->items[i].path, stdout);
                        putchar('\n');
                }
                return 0;
        }

        _cleanup_buffer_ Buffer b = {};

        buffer_append_char(&b, '[');
        for (size_t i = 0; i < w->n; i++) {
                buffer_append(&b, i ? ",\n {\"change\": " : "\n {\"change\": ");
                json_append_string(&b, change_word(w->items[i].kind));
                buffer_append(&b, ", \"path\": ");
                json_append_path(&b, w->items[i].path);
                buffer_append_char(&b, '}');
        }
        buffer_append(&b, w->n ? "\n]\n" : "]\n");
        if (b.oom)
                return log_oom();
        fputs(b.data, stdout);
        return 0;
}

static void help_diff(void) {
        printf("sandboxctl diff [--state-root=DIR] [--json] NAME\n\n"
               "Shows what sandbox NAME changed in its /etc and /var overlays, compared with\n"
               "the host's files: one line per path, sorted, \"A\" added, \"M\" modified,\n"
               "\"D\" deleted, \"R\" replaced (a directory whose host contents are hidden).\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --state-root=DIR    The sandboxes' state (default %s)\n"
               "     --json              Print a JSON array of {\"change\": ..., \"path\": ...}\n",
               STATE_ROOT_DEFAULT);
}

int verb_diff(int argc, char *argv[], char * const *dirs) {
        enum { ARG_STATE_ROOT = 0x100, ARG_JSON };
        static const struct option options[] = {
                { "help",       no_argument,       NULL, 'h' },
                { "state-root", required_argument, NULL, ARG_STATE_ROOT },
                { "json",       no_argument,       NULL, ARG_JSON },
                {}
        };
        _cleanup_free_ char *program = NULL, *state_root = NULL, *state_path = NULL, *profile_path = NULL;
        _cleanup_free_ char **args = NULL;
        _cleanup_close_ int root = -EBADF, state = -EBADF, host_root = -EBADF;
        _cleanup_profile_ Profile *p = NULL;
        const char *name, *root_arg = STATE_ROOT_DEFAULT;
        Walk w = {};
        int c, r;

        args = verb_args_new("diff", argc, argv, &program);
        if (!args)
                return log_oom(), EXIT_INVALID;
        while ((c = getopt_long(argc + 1, args, ":h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help_diff();
                        return EXIT_SUCCESS;
                case ARG_STATE_ROOT:
                        root_arg = optarg;
                        break;
                case ARG_JSON:
                        arg_json = true;
                        break;
                default:
                        return verb_usage_error("diff", c, args);
                }
        if (optind != argc) {
                fprintf(stderr, "sandboxctl diff: expected exactly one sandbox name; see sandboxctl diff --help\n");
                return EXIT_USAGE;
        }
        name = args[argc];
        if (verb_name_check("diff", name) != 0)
                return EXIT_INVALID;
        if (state_root_absolute(root_arg, &state_root) < 0)
                return EXIT_INVALID;
        state_path = path_join2(state_root, name);
        if (!state_path)
                return log_oom(), EXIT_INVALID;

        /* the profile, when there is one, says which root is the lower layer */
        r = profile_find(dirs, name, &profile_path);
        if (r == -ENOMEM)
                return log_oom(), EXIT_INVALID;
        if (r >= 0) {
                Diagnostics diags = {};

                r = profile_load(profile_path, dirs, &p, &diags);
                diagnostics_done(&diags);
                if (r < 0)
                        log_warning("%s: %s is not a valid profile (see sandboxctl validate %s); comparing with the "
                                    "host's own /etc and /var", name, profile_path, name);
        }

        root = state_root_walk(state_root, 0);
        if (root >= 0)
                state = state_step_down(root, name, state_path, 0);
        if (root == -ENOENT || state == -ENOENT) {
                if (!profile_path) {
                        log_error("diff: no sandbox named \"%s\": no state in %s and no profile %s%s on the search path",
                                  name, state_path, name, PROFILE_SUFFIX);
                        return EXIT_INVALID;
                }
                if (p)
                        log_info("%s: no state in %s (its profile has /etc %s, /var %s; it has not run, or keeps "
                                 "nothing); nothing to compare", name, state_path, dir_mode_to_string(p->etc_mode),
                                 dir_mode_to_string(p->var_mode));
                else
                        log_info("%s: no state in %s (it has not run, or keeps nothing); nothing to compare", name,
                                 state_path);
                return print_changes(&w) < 0 ? EXIT_INVALID : EXIT_SUCCESS;
        }
        if (root < 0 || state < 0)
                return EXIT_INVALID;

        const char *lower = p && p->root_type == ROOT_DIRECTORY ? p->root_directory : "/";
        host_root = open(lower, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (host_root < 0)
                return log_error_errno(-errno, "diff: open the sandbox's root %s: %m", lower), EXIT_INVALID;

        r = diff_one(&w, state, state_path, name, "etc", host_root, p);
        if (r >= 0)
                r = diff_one(&w, state, state_path, name, "var", host_root, p);
        if (r >= 0) {
                if (w.n > 0)
                        qsort(w.items, w.n, sizeof(Change), change_compare);
                r = print_changes(&w);
        }
        walk_done(&w);
        return r < 0 ? EXIT_INVALID : EXIT_SUCCESS;
}
