/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Masks that follow a bind. A mask hides a path of the sandbox's tree, but
 * a <bind> shows the host's tree again at another place: a read-only bind
 * of / at /tmp/host would show /tmp/host/etc/shadow and every sandbox's
 * state. So every bind's source is resolved as it is bound (the same fd),
 * and compared with what the sandbox hides, resolved on the host too:
 *
 * - a source inside a secret (the host's password hashes, a private key
 *   below /etc/ssh, the sandboxes' state, the profile's own masks) or
 *   inside the host's kernel interfaces (/proc, /sys, or any file system
 *   of that kind) is refused;
 * - a source above one is bound, and the mask is laid at the place below
 *   its target where the bind shows it; so are /root, /home, /tmp, /run
 *   and /dev, which the sandbox has its own or masked ones of, and any
 *   kernel interface mounted below the source (the bind is recursive).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "bind-masks.h"
#include "idmap.h"
#include "hidden-paths.h"
#include "log.h"
#include "mount-util.h"
#include "mountinfo.h"
#include "paths.h"
#include "state-dir.h"

typedef enum HiddenKind {
        HIDDEN_SECRET, /* never a source; masked below a source */
        HIDDEN_KERNEL, /* the same, said as the host's kernel interfaces */
        HIDDEN_DIR,    /* a source on purpose; masked below a source */
        HIDDEN_SSH,    /* private keys below it: never a source, found by a walk below a source */
} HiddenKind;

struct HiddenEntry {
        char *path; /* as the host resolves it */
        HiddenKind kind;
};

/* The kernel's interfaces the sandbox has its own of, or none of: never a
 * bind's source, and masked where a bind carries them in. */
static const unsigned long kernel_magic[] = {
        PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC, SECURITYFS_MAGIC, EFIVARFS_MAGIC,
        PSTOREFS_MAGIC, BPF_FS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, NSFS_MAGIC, BINFMTFS_MAGIC,
        DEVPTS_SUPER_MAGIC,
        0x19800202, /* mqueue */
        0x65735543, /* fusectl */
        0x62656570, /* configfs */
};
static const char *const kernel_types[] = {
        "proc", "sysfs", "debugfs", "tracefs", "securityfs", "efivarfs", "pstore", "bpf", "cgroup", "cgroup2",
        "nsfs", "binfmt_misc", "devpts", "mqueue", "fusectl", "configfs",
};

static int add(HostHidden *h, int fd, HiddenKind kind) {
        char real[PATH_MAX];
        struct HiddenEntry *t;
        int r = fd_real_path(fd, real);

        if (r < 0)
                return r;
        t = realloc(h->e, (h->n + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        h->e = t;
        h->e[h->n].path = strdup(real);
        if (!h->e[h->n].path)
                return -ENOMEM;
        h->e[h->n++].kind = kind;
        return 0;
}

/* path on the host, as the host resolves it; not there: nothing to hide */
static int add_host(HostHidden *h, const char *path, HiddenKind kind) {
        _cleanup_close_ int fd = open(path, O_PATH | O_CLOEXEC);

        int r;

        if (fd < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : log_error_errno(-errno, "bind: %s: %m", path);
        r = add(h, fd, kind);
        if (r == -ENOMEM)
                return log_oom();
        return r < 0 ? log_error_errno(r, "bind: %s: %m", path) : 0;
}

/* path inside the root (an O_PATH fd of the host's / or of a root
 * directory), as the host resolves it */
static int add_in_root(HostHidden *h, int root, const char *path, HiddenKind kind) {
        _cleanup_close_ int fd = open_in_root(root, path, CREATE_NONE, "mask");
        int r;

        if (fd == -ENOENT || fd == -ENOTDIR)
                return 0;
        if (fd < 0)
                return log_error_errno(fd, "bind: %s: %m", path);
        r = add(h, fd, kind);
        if (r == -ENOMEM)
                return log_oom();
        return r < 0 ? log_error_errno(r, "bind: %s: %m", path) : 0;
}

int host_hidden_collect(HostHidden *h, const HelperConfig *c, const char *state_root) {
        const char *root_path = c->root_directory ? c->root_directory : "/";
        _cleanup_close_ int root = -EBADF;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < host_secret_paths_n; i++)
                r = add_host(h, host_secret_paths[i], HIDDEN_SECRET);
        for (size_t i = 0; r >= 0 && i < host_kernel_trees_n; i++)
                r = add_host(h, host_kernel_trees[i], HIDDEN_KERNEL);
        for (size_t i = 0; r >= 0 && i < host_hidden_dirs_n; i++)
                r = add_host(h, host_hidden_dirs[i], HIDDEN_DIR);
        if (r >= 0)
                r = add_host(h, HOST_SSH_DIR, HIDDEN_SSH);
        /* the state root this sandbox was given, and the one the
         * sandboxes of systemd's units have */
        if (r >= 0)
                r = add_host(h, state_root, HIDDEN_SECRET);
        if (r >= 0 && !streq(state_root, STATE_ROOT_DEFAULT))
                r = add_host(h, STATE_ROOT_DEFAULT, HIDDEN_SECRET);
        if (r < 0)
                return r;
        /* the profile's masks are paths of the sandbox's root: of the
         * host's, or below a root directory of its own */
        root = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return log_error_errno(-errno, "bind: root %s: %m", root_path);
        for (char **p = c->masks; r >= 0 && p && *p; p++)
                r = add_in_root(h, root, *p, HIDDEN_SECRET);
        /* a root directory's own secrets, which a bind of a directory
         * above it would show */
        for (size_t i = 0; r >= 0 && c->root_directory && i < host_secret_paths_n; i++)
                r = add_in_root(h, root, host_secret_paths[i], HIDDEN_SECRET);
        if (r >= 0 && c->root_directory)
                r = add_in_root(h, root, HOST_SSH_DIR, HIDDEN_SSH);
        return r;
}

void host_hidden_done(HostHidden *h) {
        for (size_t i = 0; i < h->n; i++)
                free(h->e[i].path);
        free(h->e);
        *h = (HostHidden) {};
}

static bool kernel_fs(unsigned long magic) {
        for (size_t i = 0; i < ELEMENTSOF(kernel_magic); i++)
                if (magic == kernel_magic[i])
                        return true;
        return false;
}

/* A file below the host's SSH directory, bound by itself: refused when it
 * is a private key by masks.c's rules. */
static int ssh_file_secret(const struct stat *st, const char *real) {
        _cleanup_free_ char *dir = strdup(real);
        _cleanup_close_ int parent = -EBADF;
        char *slash = dir ? strrchr(dir, '/') : NULL;
        struct stat now;

        if (!slash)
                return log_oom();
        if (ssh_key_name(slash + 1))
                return 1;
        if (!S_ISREG(st->st_mode))
                return 0;
        *slash = 0;
        parent = open(*dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0)
                return log_error_errno(-errno, "bind: %s: %m", real);
        /* the same file as the one to be bound */
        if (fstatat(parent, slash + 1, &now, AT_SYMLINK_NOFOLLOW) < 0 || now.st_dev != st->st_dev ||
            now.st_ino != st->st_ino)
                return log_error_errno(-ESTALE, "bind: %s changed while it was looked at", real);
        return ssh_secret(parent, slash + 1, &now, real);
}

/* Whether the bind of src (resolved as real) may be made: -EPERM after
 * saying why not. */
static int source_allowed(const HostHidden *h, int src, const char *source, const char *real, const struct stat *st,
                          const char *what) {
        const char *why, *hidden = NULL;
        struct statfs sf;
        int r;

        /* the names as given, and as they resolve */
        why = bind_source_hidden(source, NULL, &hidden);
        if (!why)
                why = bind_source_hidden(real, NULL, &hidden);
        for (size_t i = 0; !why && i < h->n; i++) {
                const struct HiddenEntry *e = &h->e[i];

                if (!path_is_at_or_below(real, e->path))
                        continue;
                if (e->kind == HIDDEN_SECRET)
                        why = "which the sandbox masks";
                else if (e->kind == HIDDEN_KERNEL)
                        why = "the host's kernel interfaces, of which the sandbox has its own";
                else if (e->kind == HIDDEN_SSH && !streq(real, e->path) && !S_ISDIR(st->st_mode)) {
                        r = ssh_file_secret(st, real);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                why = "a private key, which the sandbox masks";
                }
                if (why)
                        hidden = e->path;
        }
        if (!why) {
                if (fstatfs(src, &sf) < 0)
                        return log_error_errno(-errno, "%s: source %s: %m", what, source);
                if (kernel_fs((unsigned long) sf.f_type)) {
                        why = "a file system of the host's kernel interfaces, of which the sandbox has its own";
                        hidden = real;
                }
        }
        if (why)
                return log_error_errno(-EPERM, "%s: source %s (%s) is inside %s, %s; no bind may show it",
                                       what, source, real, hidden, why);
        return 0;
}

/* target + the part of path below source: where the bind shows path */
static int shown_at(const char *target, const char *source, const char *path, char buf[static PATH_MAX]) {
        const char *rest = streq(source, "/") ? path : path + strlen(source);

        if ((size_t) snprintf(buf, PATH_MAX, "%s%s", target, rest) >= PATH_MAX)
                return log_error_errno(-ENAMETOOLONG, "bind: mask %s below %s: %m", path, target);
        return 0;
}

static bool kernel_type(const char *type) {
        for (size_t i = 0; i < ELEMENTSOF(kernel_types); i++)
                if (streq(type, kernel_types[i]))
                        return true;
        return false;
}

/* Every kernel interface mounted below the bind just made on target
 * (top, as this namespace shows it): the bind is recursive. */
static int mask_kernel_mounts(Masks *m, const char *target, const char *top) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        size_t n = strlen(top);
        MountInfo mi;
        int r;

        while ((r = mountinfo_next(&f, &mi)) > 0) {
                const char *mp = mi.mount_point;
                char path[PATH_MAX];

                if (!kernel_type(mi.fstype) || strncmp(mp, top, n) != 0 || mp[n] != '/')
                        continue;
                if ((size_t) snprintf(path, sizeof(path), "%s%s", target, mp + n) >= sizeof(path))
                        return log_error_errno(-ENAMETOOLONG, "bind: mask %s%s: %m", target, mp + n);
                r = mask_path(m, path);
                if (r < 0)
                        return r;
        }
        if (r == -E2BIG)
                return log_error_errno(r, "bind: more than %d mounts", MOUNTINFO_LINES_MAX);
        if (r < 0)
                return log_error_errno(r, "bind: read /proc/self/mountinfo: %m");
        return 0;
}

/* What the bind of real on target shows of what the sandbox hides:
 * masked there */
static int mask_below(Masks *m, const HostHidden *h, const char *real, bool dir, const char *target) {
        _cleanup_close_ int top = -EBADF;
        char at[PATH_MAX], shown[PATH_MAX];
        int r;

        for (size_t i = 0; i < h->n; i++) {
                const struct HiddenEntry *e = &h->e[i];

                if (e->kind == HIDDEN_SSH) {
                        /* the keys below the directory the bind shows */
                        if (path_is_at_or_below(e->path, real))
                                r = shown_at(target, real, e->path, at);
                        else if (dir && path_is_at_or_below(real, e->path))
                                r = shown_at(target, real, real, at);
                        else
                                continue;
                        if (r >= 0)
                                r = masks_ssh_keys_at(m, at);
                } else if (path_is_at_or_below(e->path, real) && !streq(e->path, real)) {
                        r = shown_at(target, real, e->path, at);
                        if (r >= 0)
                                r = mask_path(m, at);
                } else
                        continue;
                if (r < 0)
                        return r;
        }
        if (!dir)
                return 0;
        top = open_in_root(m->root, target, CREATE_NONE, "bind");
        if (top < 0)
                return log_error_errno(top, "bind: %s: %m", target);
        r = fd_real_path(top, shown);
        if (r < 0)
                return log_error_errno(r, "bind: %s: %m", target);
        return mask_kernel_mounts(m, target, shown);
}

int bind_masked(Masks *m, const HostHidden *h, const HelperMount *mnt, unsigned long flags, const char *what) {
        /* the source is the host's: an admin's path, resolved as such,
         * once: what is checked is what is bound */
        _cleanup_close_ int src = open(mnt->source, O_PATH | O_CLOEXEC);
        char real[PATH_MAX];
        struct stat st;
        int r;

        if (src < 0 || fstat(src, &st) < 0)
                return log_error_errno(-errno, "%s: source %s: %m", what, mnt->source);
        r = fd_real_path(src, real);
        if (r < 0)
                return log_error_errno(r, "%s: source %s: %m", what, mnt->source);
        r = source_allowed(h, src, mnt->source, real, &st, what);
        if (r < 0)
                return r;
        if (idmap_get() >= 0)
                r = idmap_bind(m->root, src, mnt->source, mnt->target, flags, what);
        else
                r = bind_fd_in_root(m->root, src, mnt->source, mnt->target, flags, what);
        if (r < 0)
                return r;
        return mask_below(m, h, real, S_ISDIR(st.st_mode), mnt->target);
}
