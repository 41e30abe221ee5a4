/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which owners a sandbox's state has follows its mode: with
 * <user-namespace mode="private"/>, what the service wrote is owned by
 * the IDs of its range (BASE + the ID it had inside); without, by the
 * IDs themselves. A state made in one mode and started in the other is
 * shifted once, at that start, with a message: the files are the
 * sandbox's own (never the host's trees), the walk is idempotent (an
 * owner already in the target range stays), and the record says
 * "shifting" until it is done, so a start cut short redoes it. Refusing
 * instead would leave the admin only `delete`, losing the state for a
 * setting that the state can follow. A state image (<state size=>) is
 * refused instead: its files are in a file system that is mounted only
 * detached, inside the overlays' making.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "state-dir.h"
#include "state-image.h"
#include "state.h"
#include "userns-range.h"
#include "userns-shift.h"
#include "userns-state.h"

static const char *const shifted_dirs[] = USERNS_SHIFT_DIRS;

bool userns_is_private(const HelperConfig *c) {
        return c->user_namespace && streq(c->user_namespace, "private");
}

static int state_open(const HelperConfig *c, const char *state_root, bool create) {
        char path[PATH_MAX];
        int fd;

        if (create)
                return state_dir_open(state_root, c->name, NULL);
        snprintf(path, sizeof(path), "%s/%s", state_root, c->name);
        fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

bool userns_state_has_record(const HelperConfig *c, const char *state_root) {
        _cleanup_close_ int state = state_open(c, state_root, false);

        return state >= 0 && faccessat(state, USERNS_RECORD, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

/* whether the directory (an fd, taken) has an entry */
static bool dir_has_entry(int fd) {
        DIR *d = fdopendir(fd);
        struct dirent *de;
        bool found = false;

        if (!d) {
                close(fd);
                return false;
        }
        while (!found && (de = readdir(d)))
                found = !streq(de->d_name, ".") && !streq(de->d_name, "..");
        closedir(d);
        return found;
}

/* whether any of the dirs that hold the service's files has one */
static bool has_files(int state) {
        for (size_t i = 0; i < ELEMENTSOF(shifted_dirs); i++) {
                int d = openat(state, shifted_dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

                if (d >= 0 && dir_has_entry(d))
                        return true;
        }
        return false;
}

static bool has_image(int state) {
        return faccessat(state, STATE_IMAGE_NAME, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static int shift(const HelperConfig *c, const char *state_root, int state, uint32_t from, uint32_t to) {
        char shown[PATH_MAX];

        snprintf(shown, sizeof(shown), "%s/%s", state_root, c->name);
        return userns_shift_state(state, shown, from, to, USERNS_RANGE_SIZE);
}

static int prepare_private(const HelperConfig *c, const char *state_root) {
        _cleanup_close_ int state = state_open(c, state_root, true);
        UsernsRecord rec;
        int r;

        if (state < 0)
                return state;
        r = userns_record_read(state, &rec);
        if (r == -ENOENT) {
                bool old = has_files(state);

                /* an image there holds files of the other mode */
                if (has_image(state))
                        return log_error_errno(-EOPNOTSUPP, "user namespace: the state of %s was made without "
                                               "<user-namespace mode=\"private\"/>, in an image (<state size=>): "
                                               "its owners cannot be shifted; remove the mode, or delete the "
                                               "state (sandboxctl delete %s)", c->name, c->name);
                r = userns_range_acquire(state_root, c->name, state, old ? USERNS_SHIFTING : USERNS_READY, &rec);
                if (r < 0)
                        return r;
                if (old)
                        log_warning("user namespace: the state of %s was made without a user namespace of its own: "
                                   "its files' owners are shifted once into its range, %u-%u", c->name, rec.base,
                                   rec.base + rec.size - 1);
        } else if (r < 0)
                return r;
        if (rec.state == USERNS_SHIFTING) {
                r = shift(c, state_root, state, 0, rec.base);
                if (r < 0)
                        return r;
                rec.state = USERNS_READY;
                r = userns_record_write(state, &rec);
                if (r < 0)
                        return r;
        }
        return (int) rec.base;
}

/* the mode turned off: the state back to the IDs themselves */
static int prepare_host(const HelperConfig *c, const char *state_root) {
        _cleanup_close_ int state = state_open(c, state_root, false);
        UsernsRecord rec;
        int r;

        if (state == -ENOENT)
                return 0;
        if (state < 0)
                return log_error_errno(state, "user namespace: %s/%s: %m", state_root, c->name);
        r = userns_record_read(state, &rec);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        if (has_image(state))
                return log_error_errno(-EOPNOTSUPP, "user namespace: the state of %s was made with "
                                       "<user-namespace mode=\"private\"/>, in an image (<state size=>): its owners "
                                       "cannot be shifted back; put the mode back, or delete the state "
                                       "(sandboxctl delete %s)", c->name, c->name);
        log_warning("user namespace: the state of %s was made with a user namespace of its own (%u-%u): its files' "
                   "owners are shifted back once", c->name, rec.base, rec.base + rec.size - 1);
        /* owners of both ranges until it is done: should the mode be
         * turned on again before, the shift into the range is redone */
        rec.state = USERNS_SHIFTING;
        r = userns_record_write(state, &rec);
        if (r < 0)
                return r;
        r = shift(c, state_root, state, rec.base, 0);
        if (r < 0)
                return r;
        r = userns_record_remove(state);
        if (r < 0)
                return r;
        return 0;
}

int userns_state_prepare(const HelperConfig *c, const char *state_root) {
        return userns_is_private(c) ? prepare_private(c, state_root) : prepare_host(c, state_root);
}
