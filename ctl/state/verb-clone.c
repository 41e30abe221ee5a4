/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl clone: a new sandbox DST made from sandbox SRC. Its profile
 * is SRC's file with what names the sandbox changed (profile-rename.c),
 * byte for byte otherwise; its state is a copy of SRC's that an overlay
 * uses as it used the original (tree-copy.c), with an identity of its
 * own (machine ID, host name). Everything is made under hidden names and
 * renamed into place at the end, so that a failure leaves no part of DST
 * behind. A state with a range of host IDs of its own (userns-range.h)
 * gets a range of its own for DST, and the copy's owners are moved from
 * SRC's range to it (userns-shift.h); the range is taken under the lock
 * of the ranges, held until the copy has its name, as no other taker
 * reads the record of a copy under its hidden name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <systemd/sd-id128.h>

#include "log.h"
#include "names.h"
#include "paths.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "state-image.h"
#include "state.h"
#include "verbs.h"
#include "strv.h"
#include "userns-range.h"
#include "userns-shift.h"

#define PROFILE_DIR_DEFAULT "/etc/sandbox/profiles"
#define PROFILE_SIZE_MAX (1024 * 1024)

/* Where a state keeps the identity of its sandbox, below STATE_ROOT/NAME. */
static const char *const machine_id_files[] = {
        "etc/upper/machine-id", "etc/private/machine-id",
        "var/upper/lib/dbus/machine-id", "var/private/lib/dbus/machine-id",
};
static const char *const hostname_files[] = { "etc/upper/hostname", "etc/private/hostname" };

typedef struct Clone {
        const char *src, *dst;
        char *state_root, *profile_dir;
        int root, pdir;      /* -EBADF when not opened */
        char *tmp_state;     /* the copy's hidden name below root, once made */
        char *tmp_profile;   /* the new profile's hidden name below pdir, once made */
        bool state_placed;   /* renamed to DST */
        bool profile_placed; /* renamed to DST.xml */
        bool made_pdir;
        int userns_lock;     /* the lock of the ranges while DST's is taken, or -EBADF */
        bool mapped;         /* SRC's state has a range of host IDs of its own */
        UsernsRecord src_range, dst_range;
} Clone;

static int read_profile(const char *path, char **ret, size_t *ret_size, mode_t *ret_mode) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        struct stat st;
        size_t got = 0;

        fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return log_error_errno(-errno, "clone: read %s: %m", path);
        if (!S_ISREG(st.st_mode) || st.st_size > PROFILE_SIZE_MAX)
                return log_error_errno(-EINVAL, "clone: read %s: not a regular file of at most 1 MiB", path);
        text = malloc((size_t) st.st_size + 1);
        if (!text)
                return log_oom();
        while (got < (size_t) st.st_size) {
                ssize_t k = read(fd, text + got, (size_t) st.st_size - got);

                if (k < 0)
                        return log_error_errno(-errno, "clone: read %s: %m", path);
                if (k == 0)
                        break;
                got += (size_t) k;
        }
        text[got] = 0;
        *ret = TAKE_PTR(text);
        *ret_size = got;
        *ret_mode = st.st_mode;
        return 0;
}

/* The parent directory of the relative path rel below dir, by
 * descriptor and without following symbolic links; -ENOENT when a part
 * of it is missing or is not a directory. */
static int open_parent(int dir, const char *rel, char leaf[static NAME_MAX + 1]) {
        _cleanup_close_ int fd = -EBADF;
        bool last = false;
        int r;

        fd = openat(dir, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        for (const char *c = rel;;) {
                int next;

                r = path_next_component(&c, leaf, &last);
                if (r <= 0)
                        return r < 0 ? r : -ENOENT;
                if (last)
                        return TAKE_FD(fd);
                next = openat(fd, leaf, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? -ENOENT : -errno;
                closep(&fd);
                fd = next;
        }
}

static bool is_regular_below(int dir, const char *rel) {
        _cleanup_close_ int parent = -EBADF;
        char leaf[NAME_MAX + 1];
        struct stat st;

        parent = open_parent(dir, rel, leaf);
        return parent >= 0 && fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static bool is_machine_id(const char *s, size_t n) {
        if (n == 33 && s[32] == '\n')
                n = 32;
        if (n != 32)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
                        return false;
        return true;
}

/* Replaces the content of the regular file rel below dir: 1 when done, 0
 * when there is none (or, with only_machine_id, when it holds no machine
 * ID: an empty one asks for a new ID at the next boot already). */
static int rewrite_file(int dir, const char *shown, const char *rel, const char *content, bool only_machine_id) {
        _cleanup_close_ int parent = -EBADF, fd = -EBADF;
        char leaf[NAME_MAX + 1], old[40];
        struct stat st;
        size_t n = strlen(content);
        ssize_t k;

        parent = open_parent(dir, rel, leaf);
        if (parent == -ENOENT)
                return 0;
        if (parent < 0)
                return log_error_errno(parent, "clone: %s/%s: %m", shown, rel);
        if (fstatat(parent, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : log_error_errno(-errno, "clone: %s/%s: %m", shown, rel);
        if (!S_ISREG(st.st_mode))
                return 0;
        fd = openat(parent, leaf, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "clone: %s/%s: %m", shown, rel);
        if (only_machine_id) {
                k = pread(fd, old, sizeof(old), 0);
                if (k < 0)
                        return log_error_errno(-errno, "clone: %s/%s: %m", shown, rel);
                if (!is_machine_id(old, (size_t) k))
                        return 0;
        }
        if (ftruncate(fd, 0) < 0 || pwrite(fd, content, n, 0) != (ssize_t) n)
                return log_error_errno(errno ? -errno : -EIO, "clone: write %s/%s: %m", shown, rel);
        return 1;
}

/* The copy's own machine ID, wherever the copied state keeps one, and
 * its host name. */
static int new_identity(const Clone *c, const char *shown) {
        _cleanup_close_ int dir = -EBADF, image = -EBADF;
        _cleanup_free_ char *hostname = NULL, *image_shown = NULL;
        char id[SD_ID128_STRING_MAX + 1];
        sd_id128_t m;
        int r;

        dir = openat(c->root, c->tmp_state, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir < 0)
                return log_error_errno(-errno, "clone: %s: %m", shown);
        /* with <state size=...> the files are in the copy's image: its file
         * system is mounted (detached, the copy's own loop device) while
         * they are rewritten, and written back when it goes */
        image_shown = path_join2(shown, STATE_IMAGE_NAME);
        if (!image_shown)
                return log_oom();
        image = state_image_mount_sandbox(dir, c->dst, image_shown, 0);
        if (image < 0 && image != -ENOENT)
                return image;
        if (image >= 0) {
                if (!hostname_is_valid(c->dst) && (is_regular_below(image, hostname_files[0]) ||
                                                   is_regular_below(image, hostname_files[1])))
                        return log_error_errno(-EINVAL, "clone: the host name of %s would be \"%s\", which is not a "
                                               "valid host name (labels of letters, digits and \"-\"); choose another "
                                               "name", c->dst, c->dst);
                close(dir);
                dir = TAKE_FD(image);
                shown = image_shown;
        }
        /* the copy's files become DST's range's, wherever they are */
        if (c->mapped) {
                r = userns_shift_state(dir, shown, c->src_range.base, c->dst_range.base, USERNS_RANGE_SIZE);
                if (r < 0)
                        return r;
        }
        r = sd_id128_randomize(&m);
        if (r < 0)
                return log_error_errno(r, "clone: a new machine ID: %m");
        sd_id128_to_string(m, id);
        strcat(id, "\n");
        for (size_t i = 0; i < ELEMENTSOF(machine_id_files); i++) {
                r = rewrite_file(dir, shown, machine_id_files[i], id, true);
                if (r < 0)
                        return r;
        }
        if (asprintf(&hostname, "%s\n", c->dst) < 0)
                return log_oom();
        for (size_t i = 0; i < ELEMENTSOF(hostname_files); i++) {
                r = rewrite_file(dir, shown, hostname_files[i], hostname, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* With <state size=...>: the image copied only once the superblock of
 * SRC's last run has gone, and with it everything it had to write. */
static int image_settled(int state, const char *state_path) {
        _cleanup_free_ char *shown = path_join2(state_path, STATE_IMAGE_NAME);
        _cleanup_close_ int image = -EBADF;

        if (!shown)
                return log_oom();
        image = state_image_open(state, shown);
        if (image == -ENOENT)
                return 0;
        if (image < 0)
                return image;
        return state_image_wait_released(image, shown);
}

/* ".NAME.clone-RANDOM": hidden from the profile and state listings, and
 * not a sandbox name, so that nothing takes it for DST half-made. */
static int hidden_name(const char *name, const char *suffix, char **ret) {
        uint64_t x;

        if (getrandom(&x, sizeof(x), 0) != sizeof(x))
                return log_error_errno(-errno, "clone: random name: %m");
        if (asprintf(ret, ".%s%s.clone-%016llx", name, suffix, (unsigned long long) x) < 0)
                return log_oom();
        return 0;
}

static int write_profile(Clone *c, const char *text, mode_t mode) {
        _cleanup_close_ int fd = -EBADF;
        size_t n = strlen(text), done = 0;
        char *name;
        int r;

        c->pdir = open(c->profile_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (c->pdir < 0 && errno == ENOENT) {
                if (mkdir(c->profile_dir, 0755) < 0)
                        return log_error_errno(-errno, "clone: create %s: %m", c->profile_dir);
                c->made_pdir = true;
                c->pdir = open(c->profile_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (c->pdir < 0)
                return log_error_errno(-errno, "clone: open %s: %m", c->profile_dir);

        r = hidden_name(c->dst, PROFILE_SUFFIX, &name);
        if (r < 0)
                return r;
        /* profiles are writable by root only, or the loader refuses them */
        fd = openat(c->pdir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) {
                free(name);
                return log_error_errno(-errno, "clone: create a profile in %s: %m", c->profile_dir);
        }
        c->tmp_profile = name;
        while (done < n) {
                ssize_t k = write(fd, text + done, n - done);

                if (k < 0)
                        return log_error_errno(-errno, "clone: write %s/%s: %m", c->profile_dir, name);
                done += (size_t) k;
        }
        if (fchmod(fd, (mode & 0755) | 0400) < 0 || fsync(fd) < 0)
                return log_error_errno(-errno, "clone: write %s/%s: %m", c->profile_dir, name);
        return 0;
}

/* The copy of a state with a range gets DST's own: SRC's record copied
 * with it is dropped, and a range is taken for DST, recorded "shifting"
 * until the copy's owners are moved (new_identity()). */
static int clone_range(Clone *c, const char *copy_shown) {
        _cleanup_close_ int copy = -EBADF;

        if (!c->mapped)
                return 0;
        copy = openat(c->root, c->tmp_state, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (copy < 0)
                return log_error_errno(-errno, "clone: %s: %m", copy_shown);
        if (userns_record_remove(copy) < 0)
                return -EIO;
        c->userns_lock = userns_range_lock(c->root, c->state_root);
        if (c->userns_lock < 0)
                return c->userns_lock;
        return userns_range_acquire_locked(c->root, c->state_root, c->dst, copy, USERNS_SHIFTING,
                                           &USERNS_POOL_DEFAULT, &c->dst_range);
}

static int clone_range_ready(Clone *c) {
        _cleanup_close_ int copy = -EBADF;

        if (!c->mapped)
                return 0;
        copy = openat(c->root, c->tmp_state, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (copy < 0)
                return log_error_errno(-errno, "clone: %s/%s: %m", c->state_root, c->tmp_state);
        c->dst_range.state = USERNS_READY;
        return userns_record_write(copy, &c->dst_range);
}

static int clone_run(Clone *c, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL, *q = NULL;
        _cleanup_free_ char *src_profile = NULL, *dst_profile = NULL, *other = NULL, *text = NULL, *renamed = NULL;
        _cleanup_free_ char *src_state = NULL, *dst_state = NULL, *searched = NULL, *copy_shown = NULL;
        _cleanup_close_ int lock = -EBADF, state = -EBADF;
        char holder[LOCK_HOLDER_MAX];
        size_t size = 0;
        mode_t mode = 0644;
        bool hostname;
        struct stat st;
        int r;

        r = profile_find(dirs, c->src, &src_profile);
        if (r == -ENOENT) {
                searched = strv_join(dirs, ", ");
                return log_error_errno(r, "clone: no profile named \"%s\"; looked for %s%s in %s", c->src, c->src,
                                       PROFILE_SUFFIX, searched && *searched ? searched : "(empty search path)");
        }
        if (r < 0)
                return log_oom();
        r = load_profile_verbose(src_profile, dirs, &p);
        if (r == -EINVAL)
                return log_error_errno(r, "clone: the profile of %s is not valid (see above); nothing made", c->src);
        if (r < 0)
                return r;

        if (profile_find(dirs, c->dst, &other) == 0)
                return log_error_errno(-EEXIST, "clone: sandbox %s already has a profile, %s", c->dst, other);
        if (asprintf(&dst_profile, "%s/%s%s", streq(c->profile_dir, "/") ? "" : c->profile_dir, c->dst,
                     PROFILE_SUFFIX) < 0)
                return log_oom();
        if (lstat(dst_profile, &st) == 0)
                return log_error_errno(-EEXIST, "clone: sandbox %s already has a profile, %s", c->dst, dst_profile);

        src_state = path_join2(c->state_root, c->src);
        dst_state = path_join2(c->state_root, c->dst);
        if (!src_state || !dst_state)
                return log_oom();
        c->root = state_root_walk(c->state_root, 0);
        if (c->root < 0 && c->root != -ENOENT)
                return c->root;
        if (c->root >= 0 && fstatat(c->root, c->dst, &st, AT_SYMLINK_NOFOLLOW) == 0)
                return log_error_errno(-EEXIST, "clone: sandbox %s already has state, %s", c->dst, dst_state);
        if (c->root >= 0) {
                state = state_step_down(c->root, c->src, src_state, 0);
                if (state < 0 && state != -ENOENT)
                        return state;
        }

        /* its state must hold still while it is copied: SRC stays stopped */
        r = sandbox_lock_try(c->src, &lock, holder);
        if (r == -EBUSY)
                return log_error_errno(r, "clone: sandbox %s is running%s%s%s; stop it first; nothing made", c->src,
                                       *holder ? " (helper PID " : "", holder, *holder ? ")" : "");
        if (r < 0)
                return r;
        if (state >= 0) {
                r = userns_record_read(state, &c->src_range);
                if (r < 0 && r != -ENOENT)
                        return r;
                c->mapped = r >= 0;
                if (c->mapped && c->src_range.state != USERNS_READY)
                        return log_error_errno(-EBUSY, "clone: the owners of %s's state are half-way moved between "
                                               "ranges (%s/%s says shifting); start %s once to finish it; nothing "
                                               "made", c->src, src_state, USERNS_RECORD, c->src);
        }

        r = read_profile(src_profile, &text, &size, &mode);
        if (r < 0)
                return r;
        /* the host name becomes DST where it is SRC's name in the profile,
         * and wherever the state keeps one */
        hostname = p->hostname && streq(p->hostname, c->src);
        if (!hostname_is_valid(c->dst) &&
            (hostname || (state >= 0 && (is_regular_below(state, hostname_files[0]) ||
                                         is_regular_below(state, hostname_files[1])))))
                return log_error_errno(-EINVAL, "clone: the host name of %s would be \"%s\", which is not a valid host "
                                       "name (labels of letters, digits and \"-\"); choose another name", c->dst, c->dst);
        r = profile_text_rename(src_profile, text, size, c->src, c->dst, hostname, &renamed);
        if (r < 0)
                return r;

        if (state >= 0) {
                _cleanup_free_ char *tmp = NULL;

                r = hidden_name(c->dst, "", &tmp);
                if (r < 0)
                        return r;
                if (fstatat(c->root, tmp, &st, AT_SYMLINK_NOFOLLOW) == 0)
                        return log_error_errno(-EEXIST, "clone: %s/%s exists; try again", c->state_root, tmp);
                c->tmp_state = TAKE_PTR(tmp);
                r = image_settled(state, src_state);
                if (r < 0)
                        return r;
                r = tree_copy(c->root, c->src, c->root, c->tmp_state, src_state);
                if (r < 0)
                        return r;
                copy_shown = path_join2(c->state_root, c->tmp_state);
                if (!copy_shown)
                        return log_oom();
                r = clone_range(c, copy_shown);
                if (r < 0)
                        return r;
                r = new_identity(c, copy_shown);
                if (r < 0)
                        return r;
                r = clone_range_ready(c);
                if (r < 0)
                        return r;
        }
        r = write_profile(c, renamed, mode);
        if (r < 0)
                return r;

        if (c->tmp_state) {
                if (renameat2(c->root, c->tmp_state, c->root, c->dst, RENAME_NOREPLACE) < 0)
                        return log_error_errno(-errno, "clone: rename the copy to %s: %m", dst_state);
                c->state_placed = true;
        }
        if (renameat2(c->pdir, c->tmp_profile, c->pdir, strrchr(dst_profile, '/') + 1, RENAME_NOREPLACE) < 0)
                return log_error_errno(-errno, "clone: rename the new profile to %s: %m", dst_profile);
        c->profile_placed = true;

        /* read where it now is, as the generator will: its base profiles
         * must be found from there too */
        r = load_profile_verbose(dst_profile, dirs, &q);
        if (r == -EINVAL)
                return log_error_errno(r, "clone: the new profile %s is not valid where it is (see above); nothing kept",
                                       dst_profile);
        return r;
}

static void clone_undo(Clone *c) {
        _cleanup_free_ char *shown = NULL;
        char dst_xml[SANDBOX_NAME_MAX + sizeof(PROFILE_SUFFIX)];

        snprintf(dst_xml, sizeof(dst_xml), "%s%s", c->dst, PROFILE_SUFFIX);
        if (c->profile_placed)
                (void) unlinkat(c->pdir, dst_xml, 0);
        else if (c->tmp_profile)
                (void) unlinkat(c->pdir, c->tmp_profile, 0);
        if (c->made_pdir)
                (void) rmdir(c->profile_dir);
        if (c->state_placed || c->tmp_state) {
                const char *made = c->state_placed ? c->dst : c->tmp_state;

                shown = path_join2(c->state_root, made);
                if (shown && fstatat(c->root, made, &(struct stat) {}, AT_SYMLINK_NOFOLLOW) == 0)
                        (void) tree_remove(c->root, made, shown);
        }
}

void verb_clone_help(_unused_ const char *verb) {
        printf("sandboxctl clone [--state-root=DIR] [--profile-dir=DIR] SRC DST\n\n"
               "Makes sandbox DST from sandbox SRC, which must not be running: DST.xml, SRC's\n"
               "profile with the name changed, and a copy of SRC's state with a new machine ID\n"
               "and host name. Device nodes, but the overlay's whiteouts, are not copied.\n"
               "A state with a range of host IDs of its own (DIR/SRC/userns) gives DST a range\n"
               "of its own, and the copy's files are moved to it.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --state-root=DIR    The sandboxes' state (default %s)\n"
               "     --profile-dir=DIR   Where DST.xml is written (default %s)\n",
               STATE_ROOT_DEFAULT, PROFILE_DIR_DEFAULT);
}

int verb_clone(VerbArgs *a, char * const *dirs) {
        const char *pdir_arg = verb_value(a, "profile-dir") ?: PROFILE_DIR_DEFAULT;
        Clone c = { .root = -EBADF, .pdir = -EBADF, .userns_lock = -EBADF, .src = a->operands[0],
                    .dst = a->operands[1] };
        int r;

        if (streq(c.src, c.dst)) {
                log_error("clone: the source and the new name are both \"%s\"", c.src);
                return EXIT_INVALID;
        }
        c.state_root = TAKE_PTR(a->state_root);
        r = path_make_absolute(pdir_arg, &c.profile_dir);
        if (r < 0)
                return log_error_errno(r, "clone: profile directory %s: %m", pdir_arg), EXIT_INVALID;

        r = clone_run(&c, dirs);
        if (r < 0)
                clone_undo(&c);
        /* DST's range is where the others look for it, or gone with the copy */
        closep(&c.userns_lock);
        closep(&c.root);
        closep(&c.pdir);
        free(c.state_root);
        free(c.profile_dir);
        free(c.tmp_state);
        free(c.tmp_profile);
        return r < 0 ? EXIT_INVALID : EXIT_SUCCESS;
}
