/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl diff: what a sandbox changed in its /etc and /var, read from
 * the upper directories of their overlays and compared with the host's
 * files, which are the lower layer. Only the state is read: a sandbox
 * that never ran, or whose /etc and /var are tmpfs or the host's, has
 * nothing to show. A state with a range of host IDs of its own
 * (userns-range.h) has its files owned by BASE+ID on disk, where the
 * sandbox sees ID: its owners are compared as the sandbox sees them.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "state-image.h"
#include "state-walk.h"
#include "state.h"
#include "verbs.h"
#include "strv.h"
#include "userns-range.h"

typedef enum ChangeKind {
        CHANGE_ADDED = 'A',
        CHANGE_MODIFIED = 'M',
        CHANGE_DELETED = 'D',
        CHANGE_REPLACED = 'R',
} ChangeKind;

typedef struct Change {
        ChangeKind kind;
        char *path;
        mode_t type; /* a device node, fifo or socket: its type, else 0 */
        dev_t rdev;
} Change;

/* The changes found so far, and the overlay being compared. */
/* The changes are sorted before they are printed, so they are all held:
 * their paths, which the running service makes as long and as many as it
 * likes (a chain of directories of 255-byte names grows them with the
 * square of its depth), are bounded in all. */
#define DIFF_PATHS_MAX (64U << 20)

typedef struct Diff {
        Change *items;
        size_t n, allocated;
        size_t bytes; /* of the paths held */
        /* The host's directories that match the upper dir's, as deep as
         * the host has them: the one of the upper dir's directory at
         * depth d is the stack's top while the stack is d + 1 deep. */
        DirStack host;
        /* per depth of the walk: below an opaque directory, where the
         * host's files never show again */
        bool *replaced;
        size_t replaced_size;
        /* the state's range of host IDs, if it has one */
        bool mapped;
        uint32_t base;
} Diff;

/* An owner of the upper dir as the sandbox sees it: BASE+ID is ID; one
 * outside the range is no host owner's (the sandbox sees nobody). */
static uint32_t upper_id(const Diff *d, uint32_t id) {
        if (!d->mapped)
                return id;
        return id - d->base < USERNS_RANGE_SIZE ? id - d->base : UINT32_MAX;
}

static bool same_owner(const Diff *d, const struct stat *upper, const struct stat *host) {
        return upper_id(d, upper->st_uid) == host->st_uid && upper_id(d, upper->st_gid) == host->st_gid;
}

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

static int diff_add(Diff *d, ChangeKind kind, const char *path, const struct stat *special) {
        d->bytes += strlen(path) + 1;
        if (d->bytes > DIFF_PATHS_MAX)
                return log_error_errno(-E2BIG, "diff: the changes' paths are more than %u MiB in all; not listing them",
                                       DIFF_PATHS_MAX >> 20);
        if (d->n == d->allocated) {
                size_t k = d->allocated ? d->allocated * 2 : 32;
                Change *t = realloc(d->items, k * sizeof(Change));

                if (!t)
                        return log_oom();
                d->items = t;
                d->allocated = k;
        }
        d->items[d->n] = (Change) { .kind = kind, .path = strdup(path) };
        if (!d->items[d->n].path)
                return log_oom();
        if (special) {
                d->items[d->n].type = special->st_mode & S_IFMT;
                d->items[d->n].rdev = special->st_rdev;
        }
        d->n++;
        return 0;
}

static void diff_done(Diff *d) {
        for (size_t i = 0; i < d->n; i++)
                free(d->items[i].path);
        free(d->items);
        free(d->replaced);
        dir_stack_done(&d->host);
}

static bool is_special(mode_t mode) {
        return S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) || S_ISSOCK(mode);
}

static bool xattr_says(int fd, const char *name, const char *value) {
        char buf[8];
        ssize_t k = fgetxattr(fd, name, buf, sizeof(buf));

        return k == (ssize_t) strlen(value) && memcmp(buf, value, (size_t) k) == 0;
}

static bool xattr_present(int fd, const char *name) {
        return fgetxattr(fd, name, NULL, 0) >= 0;
}

/* Where the next data of fd at or after pos begins: size when there is
 * none (a hole to the end), pos when the file system cannot say. */
static off_t next_data(int fd, off_t pos, off_t size) {
        off_t d = lseek(fd, pos, SEEK_DATA);

        if (d >= 0)
                return d < size ? d : size;
        return errno == ENXIO ? size : pos;
}

/* 1 when the two regular files of the same size have the same bytes, 0
 * when not. A hole in both is the same nothing and is not read: a
 * service's sparse copy of a huge sparse host file (lastlog) is
 * compared in the time its data takes, not its size. */
static int same_content(int a, int b, off_t size) {
        static char x[65536], y[65536];
        off_t pos = 0;

        while (pos < size) {
                off_t da = next_data(a, pos, size), db = next_data(b, pos, size);
                ssize_t k, got = 0, m;

                pos = da < db ? da : db;
                if (pos >= size)
                        break;
                k = pread(a, x, sizeof(x), pos);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        return 0; /* shorter than it was */
                /* the other file in pieces of the same size, or it is shorter */
                while (got < k) {
                        m = pread(b, y + got, (size_t) (k - got), pos + got);
                        if (m < 0)
                                return -errno;
                        if (m == 0)
                                return 0;
                        got += m;
                }
                if (memcmp(x, y, (size_t) k) != 0)
                        return 0;
                pos += k;
        }
        /* and neither has grown since */
        return pread(a, x, 1, size) == 0 && pread(b, y, 1, size) == 0;
}

/* The host's regular file (the host's tree is not the service's, but
 * nothing but a regular file is read there either). */
static int open_host_regular(int dir, const char *name) {
        struct stat st;
        int fd;

        fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                close(fd);
                return -ESTALE;
        }
        return fd;
}

/* Whether the non-directory e of the upper dir differs from the host's
 * entry h of the same name in host: 1, 0, -ESTALE when e changed
 * meanwhile (not logged), or another -errno after logging. */
static int entry_differs(const Diff *d, const StateEntry *e, int host, const struct stat *h) {
        const struct stat *u = &e->st;
        _cleanup_close_ int fu = -EBADF, fh = -EBADF;
        int r;

        if ((u->st_mode & S_IFMT) != (h->st_mode & S_IFMT) || (u->st_mode & 07777) != (h->st_mode & 07777) ||
            !same_owner(d, u, h))
                return 1;
        if (S_ISCHR(u->st_mode) || S_ISBLK(u->st_mode))
                return u->st_rdev != h->st_rdev;
        if (S_ISLNK(u->st_mode)) {
                char a[PATH_MAX], b[PATH_MAX];
                ssize_t ka = state_entry_readlink(e, a, sizeof(a)), kb;

                if (ka == -EINVAL)
                        return -ESTALE;
                if (ka < 0)
                        return state_log_error((int) ka, "diff", e->path, "read the symbolic link");
                kb = readlinkat(host, e->name, b, sizeof(b));
                if (kb < 0)
                        return state_log_error(-errno, "diff", e->path, "read the host's symbolic link");
                return ka != kb || memcmp(a, b, (size_t) ka) != 0;
        }
        if (!S_ISREG(u->st_mode))
                return 0; /* fifos and sockets: nothing but their metadata */
        if (u->st_size != h->st_size)
                return 1;
        fu = state_entry_open(e);
        if (fu == -ESTALE)
                return fu;
        if (fu < 0)
                return state_log_error(fu, "diff", e->path, "open");
        /* metadata copied up alone: the content is still the host's */
        if (xattr_present(fu, "trusted.overlay.metacopy"))
                return 0;
        fh = open_host_regular(host, e->name);
        if (fh < 0)
                return state_log_error(fh, "diff", e->path, "open the host's file");
        r = same_content(fu, fh, u->st_size);
        if (r < 0)
                return state_log_error(r, "diff", e->path, "compare with the host's file");
        return !r;
}

/* The host's directory that holds what e's name is on the host, or
 * -EBADF when the host has none. */
static int host_dir_of(const Diff *d, const StateEntry *e) {
        return dir_stack_depth(&d->host) == e->depth ? dir_stack_top(&d->host) : -EBADF;
}

/* The host's entry of e's name: 1 and *h, 0 when it has none. */
static int host_entry(const Diff *d, const StateEntry *e, struct stat *h) {
        int host = host_dir_of(d, e);

        if (host < 0)
                return 0;
        if (fstatat(host, e->name, h, AT_SYMLINK_NOFOLLOW) == 0)
                return 1;
        if (errno == ENOENT || errno == ENOTDIR)
                return 0;
        return state_log_error(-errno, "diff", e->path, "stat the host's file");
}

static int set_replaced(Diff *d, size_t depth, bool replaced) {
        if (depth >= d->replaced_size) {
                size_t k = (depth + 1) * 2;
                bool *t = realloc(d->replaced, k * sizeof(bool));

                if (!t)
                        return log_oom();
                d->replaced = t;
                d->replaced_size = k;
        }
        d->replaced[depth] = replaced;
        return 0;
}

/* A directory of the upper dir: added, replaced (opaque: the host's
 * contents are hidden), changed in its own metadata, or only holding
 * changes further down. */
static int diff_enter(Diff *d, const StateEntry *e) {
        _cleanup_close_ int hfd = -EBADF;
        bool opaque, parent_replaced;
        struct stat h;
        int has_host, r;

        if (e->depth == 0)
                return set_replaced(d, 0, false);
        parent_replaced = d->replaced[e->depth - 1];
        has_host = host_entry(d, e, &h);
        if (has_host < 0)
                return has_host;
        opaque = xattr_says(e->fd, "trusted.overlay.opaque", "y");

        if (!has_host)
                r = diff_add(d, CHANGE_ADDED, e->path, NULL);
        else if (!S_ISDIR(h.st_mode))
                r = diff_add(d, CHANGE_MODIFIED, e->path, NULL);
        else if (opaque)
                r = diff_add(d, CHANGE_REPLACED, e->path, NULL);
        else if ((e->st.st_mode & 07777) != (h.st_mode & 07777) || !same_owner(d, &e->st, &h))
                r = diff_add(d, CHANGE_MODIFIED, e->path, NULL);
        else
                r = 0;
        if (r >= 0)
                r = set_replaced(d, e->depth, parent_replaced || opaque);
        if (r < 0 || !has_host || !S_ISDIR(h.st_mode))
                return r;

        hfd = openat(host_dir_of(d, e), e->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (hfd < 0)
                return state_log_error(-errno, "diff", e->path, "open the host's directory");
        r = dir_stack_push(&d->host, TAKE_FD(hfd));
        return r < 0 ? state_log_error(r, "diff", e->path, "open the host's directory") : 0;
}

static int name_compare(const void *a, const void *b) {
        return strcmp(*(char * const *) a, *(char * const *) b);
}

/* After the entries of a directory: in a replaced one, the host's
 * entries that it lacks are deleted too. */
static int diff_leave(Diff *d, const StateEntry *e) {
        _cleanup_strv_free_ char **host_names = NULL;
        bool has_host = dir_stack_depth(&d->host) == e->depth + 1;
        int r;

        if (e->depth == 0 || !has_host)
                return 0;
        if (d->replaced[e->depth]) {
                r = dir_names(dir_stack_top(&d->host), &host_names);
                if (r < 0)
                        return state_log_error(r, "diff", e->path, "read the host's directory");
                /* both sorted by dir_names(): a lookup, not a scan, per host entry */
                size_t count = strv_length(e->names);
                STRV_FOREACH(n, host_names)
                        if (!bsearch(n, e->names, count, sizeof(char *), name_compare)) {
                                _cleanup_free_ char *child = path_join2(e->path, *n);

                                if (!child)
                                        return log_oom();
                                r = diff_add(d, CHANGE_DELETED, child, NULL);
                                if (r < 0)
                                        return r;
                        }
        }
        r = dir_stack_pop(&d->host);
        return r < 0 ? state_log_error(r, "diff", e->path, "open the host's directory it is in") : 0;
}

/* Anything else of the upper dir. -ESTALE (not logged) when it changed
 * since it was listed. */
static int diff_other(Diff *d, const StateEntry *e) {
        struct stat h;
        int has_host, r;

        has_host = host_entry(d, e, &h);
        if (has_host < 0)
                return has_host;
        if (S_ISCHR(e->st.st_mode) && e->st.st_rdev == makedev(0, 0))
                /* a whiteout: only a deletion while the host has the file */
                return has_host ? diff_add(d, CHANGE_DELETED, e->path, NULL) : 0;
        if (!has_host)
                return diff_add(d, CHANGE_ADDED, e->path, is_special(e->st.st_mode) ? &e->st : NULL);
        r = entry_differs(d, e, host_dir_of(d, e), &h);
        if (r <= 0)
                return r;
        return diff_add(d, CHANGE_MODIFIED, e->path, is_special(e->st.st_mode) ? &e->st : NULL);
}

/* How often an entry that changes while it is compared is looked at
 * again (the sandbox may be running) before diff gives up. */
#define DIFF_TRIES 4

static int diff_entry(const StateEntry *e, void *userdata) {
        Diff *d = userdata;
        StateEntry again;
        int r;

        if (e->other_mount)
                return state_log_error(-EBUSY, "diff", e->path, "another file system is mounted there; refusing to "
                                       "compare it (unmount it first)");
        switch (e->event) {
        case STATE_ENTER:
                return diff_enter(d, e);
        case STATE_LEAVE:
                return diff_leave(d, e);
        case STATE_ENTRY:
                break;
        }
        again = *e;
        for (unsigned i = 1;; i++) {
                r = diff_other(d, &again);
                if (r != -ESTALE)
                        return r;
                if (i == DIFF_TRIES)
                        break;
                if (fstatat(e->dir, e->name, &again.st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                return 0; /* gone: no change any more */
                        break;
                }
                if (S_ISDIR(again.st.st_mode))
                        break;
        }
        return state_log_error(-ESTALE, "diff", e->path, NULL);
}

/* STATE/NAME/DIR: its overlay upper dir compared with the host's /DIR,
 * or a note on stderr about why there is nothing to compare. */
static int diff_one(Diff *d, int state, const char *state_path, const char *name, const char *dir, int host_root,
                    const Profile *p) {
        _cleanup_close_ int dfd = -EBADF, upper = -EBADF, host = -EBADF;
        _cleanup_free_ char *dir_path = NULL, *upper_path = NULL, *top = NULL;
        DirMode mode = p ? (streq(dir, "etc") ? p->etc_mode : p->var_mode) : DIR_OVERLAY;
        int r;

        dir_path = path_join2(state_path, dir);
        upper_path = dir_path ? path_join2(dir_path, "upper") : NULL;
        top = path_join2("/", dir);
        if (!upper_path || !top)
                return log_oom();

        dfd = state_step_down(state, dir, dir_path, 0);
        if (dfd >= 0)
                upper = state_step_down_owned(dfd, "upper", upper_path, 0, d->mapped ? d->base : 0);
        if (dfd == -ENOENT || upper == -ENOENT) {
                struct stat st;

                if (dfd >= 0 && fstatat(dfd, "private", &st, AT_SYMLINK_NOFOLLOW) == 0)
                        log_info("%s: %s is kept whole in private mode (%s/private), not as changes to the host's; "
                                 "nothing to compare", name, top, dir_path);
                else if (mode == DIR_TMPFS || mode == DIR_HOST)
                        log_info("%s: %s is %s, so nothing of it is kept; nothing to compare", name, top,
                                 mode == DIR_TMPFS ? "a fresh tmpfs at every start" : "the host's own, read-only");
                return 0;
        }
        if (dfd < 0)
                return dfd;
        if (upper < 0)
                return upper;

        host = openat(host_root, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (host < 0 && errno != ENOENT)
                return log_error_errno(-errno, "diff: open the host's %s: %m", top);
        if (host >= 0) {
                r = dir_stack_push(&d->host, TAKE_FD(host));
                if (r < 0)
                        return log_oom();
        }
        /* the upper dir, walked as "/etc" */
        r = state_walk(upper, ".", top, "diff", diff_entry, d);
        dir_stack_done(&d->host);
        return r;
}

static int change_compare(const void *a, const void *b) {
        return strcmp(((const Change *) a)->path, ((const Change *) b)->path);
}

static int print_changes(const Diff *d) {
        if (!arg_json) {
                for (size_t i = 0; i < d->n; i++) {
                        const Change *c = &d->items[i];

                        printf("%c ", (char) c->kind);
                        print_escaped(c->path, stdout);
                        /* after a tab, which a path escaped never has */
                        if (c->type)
                                printf("\t%s", state_type_name(c->type));
                        if (S_ISCHR(c->type) || S_ISBLK(c->type))
                                printf(" %u:%u", major(c->rdev), minor(c->rdev));
                        putchar('\n');
                }
                return 0;
        }

        _cleanup_buffer_ Buffer b = {};

        buffer_append_char(&b, '[');
        for (size_t i = 0; i < d->n; i++) {
                const Change *c = &d->items[i];

                buffer_append(&b, i ? ",\n {\"change\": " : "\n {\"change\": ");
                json_append_string(&b, change_word(c->kind));
                buffer_append(&b, ", \"path\": ");
                json_append_path(&b, c->path);
                if (c->type) {
                        buffer_append(&b, ", \"type\": ");
                        json_append_string(&b, state_type_name(c->type));
                }
                if (S_ISCHR(c->type) || S_ISBLK(c->type))
                        buffer_printf(&b, ", \"device\": \"%u:%u\"", major(c->rdev), minor(c->rdev));
                buffer_append_char(&b, '}');
        }
        buffer_append(&b, d->n ? "\n]\n" : "]\n");
        if (b.oom)
                return log_oom();
        fputs(b.data, stdout);
        return 0;
}

void verb_diff_help(_unused_ const char *verb) {
        printf("sandboxctl diff [--state-root=DIR] [--json] NAME\n\n"
               "Shows what sandbox NAME changed in its /etc and /var overlays, compared with\n"
               "the host's files: one line per path, sorted, \"A\" added, \"M\" modified,\n"
               "\"D\" deleted, \"R\" replaced (a directory whose host contents are hidden).\n"
               "A device node, FIFO or socket has its type after a tab; none is opened.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --state-root=DIR    The sandboxes' state (default %s)\n"
               "     --json              Print a JSON array of {\"change\": ..., \"path\": ...}\n",
               STATE_ROOT_DEFAULT);
}

int verb_diff(VerbArgs *a, char * const *dirs) {
        _cleanup_free_ char *state_path = NULL, *profile_path = NULL;
        _cleanup_close_ int root = -EBADF, state = -EBADF, host_root = -EBADF;
        _cleanup_profile_ Profile *p = NULL;
        const char *name = a->operands[0], *state_root = a->state_root;
        Diff d = {};
        int r;

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
                return print_changes(&d) < 0 ? EXIT_INVALID : EXIT_SUCCESS;
        }
        if (root < 0 || state < 0)
                return EXIT_INVALID;
        /* beside the image, if there is one */
        {
                UsernsRecord range;

                r = userns_record_read(state, &range);
                if (r < 0 && r != -ENOENT)
                        return EXIT_INVALID;
                d.mapped = r >= 0;
                d.base = d.mapped ? range.base : 0;
        }

        const char *lower = p && p->root_type == ROOT_DIRECTORY ? p->root_directory : "/";
        host_root = open(lower, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (host_root < 0)
                return log_error_errno(-errno, "diff: open the sandbox's root %s: %m%s", lower, log_root_hint(-errno)),
                       EXIT_INVALID;

        /* with <state size=...> the upper dirs are in the image: its file
         * system mounted read-only, detached (sharing the running
         * sandbox's superblock, when it runs), and gone at the end */
        _cleanup_free_ char *image_path = path_join2(state_path, STATE_IMAGE_NAME);
        _cleanup_free_ char *image_top = NULL;
        _cleanup_close_ int image = -EBADF;

        if (!image_path || asprintf(&image_top, "%s:", image_path) < 0)
                return log_oom(), EXIT_INVALID;
        image = state_image_mount_sandbox(state, name, image_path, STATE_IMAGE_READ_ONLY);
        if (image < 0 && image != -ENOENT)
                return EXIT_INVALID;
        if (image >= 0) {
                close(state);
                state = TAKE_FD(image);
                free(state_path);
                state_path = TAKE_PTR(image_top);
        }

        r = diff_one(&d, state, state_path, name, "etc", host_root, p);
        if (r >= 0)
                r = diff_one(&d, state, state_path, name, "var", host_root, p);
        if (r >= 0) {
                if (d.n > 0)
                        qsort(d.items, d.n, sizeof(Change), change_compare);
                r = print_changes(&d);
        }
        diff_done(&d);
        return r < 0 ? EXIT_INVALID : EXIT_SUCCESS;
}
