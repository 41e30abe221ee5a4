/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A profile that gains <state size=...> for a sandbox that has run
 * without it: the /etc and /var it kept in STATE_ROOT/NAME/{etc,var} are
 * taken into the new image, never dropped, nor left behind unseen.
 *
 * They are first moved aside, with rename(), into STATE_ROOT/NAME/.uncapped
 * (so that the image's own file, made in STATE_ROOT/NAME, is not in the
 * tree copied), the image is made from that tree (mkfs.ext4 -d: owners,
 * modes, times, extended attributes such as trusted.overlay.*, the
 * overlays' whiteouts), and only once the image is in place under its
 * name is the tree removed. Where it stops, the next start goes on:
 *
 *   .uncapped, no image          the image was not finished: made again
 *   .uncapped and the image      the tree was not removed yet: removed
 *
 * A tree larger than the cap fails mkfs.ext4: the directories are moved
 * back, and the start fails saying so.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "state-dir.h"
#include "state-image.h"

#define UNCAPPED ".uncapped"

static const char *const dirs[] = { "etc", "var" };

/* Whether DIR/upper below state holds anything: what cannot be looked
 * at may. */
static bool upper_has_data(int state, const char *dir) {
        _cleanup_close_ int fd = -EBADF;
        char sub[32];
        bool any = false;
        DIR *d;

        snprintf(sub, sizeof(sub), "%s/upper", dir);
        fd = openat(state, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return errno != ENOENT;
        d = fdopendir(fd);
        if (!d)
                return true;
        fd = -EBADF;
        for (struct dirent *e; !any && (e = readdir(d));)
                any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
        closedir(d);
        return any;
}

static int remove_tree(const char *path, const char *shown) {
        static const char *const rm[] = { "/usr/bin/rm", "/bin/rm", NULL };
        /* GNU rm walks any depth by fd and never follows a symbolic link */
        char *argv[] = { (char *) "rm", (char *) "-rf", (char *) "--one-file-system", (char *) "--", (char *) path,
                         NULL };

        return state_image_exec(rm, argv, shown);
}

/* etc and var from state into uncapped, or back */
static int move_dirs(int state, int uncapped, bool back, const char *shown) {
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                int from = back ? uncapped : state, to = back ? state : uncapped;

                if (renameat2(from, dirs[i], to, dirs[i], RENAME_NOREPLACE) < 0 && errno != ENOENT)
                        return log_error_errno(-errno, "state image %s: move %s %s %s: %m", shown, dirs[i],
                                               back ? "back from" : "aside to", UNCAPPED);
        }
        return 0;
}

int state_image_start(int state, const char *state_path, uint64_t size, const StateImageCrypt *crypt) {
        _cleanup_close_ int image = -EBADF, uncapped = -EBADF;
        char shown[PATH_MAX], old[PATH_MAX];
        struct stat st;
        bool pending, old_data;
        int mnt, r;

        snprintf(shown, sizeof(shown), "%s/%s", state_path, STATE_IMAGE_NAME);
        snprintf(old, sizeof(old), "%s/%s", state_path, UNCAPPED);
        image = state_image_open(state, shown);
        if (image < 0 && image != -ENOENT)
                return image;
        pending = fstatat(state, UNCAPPED, &st, AT_SYMLINK_NOFOLLOW) == 0;
        old_data = upper_has_data(state, "etc") || upper_has_data(state, "var");

        if (image >= 0) {
                closep(&image);
                /* kept both with and without the cap: which one is the
                 * sandbox's is not for the helper to guess */
                if (old_data)
                        return log_error_errno(-EEXIST, "state image %s: the sandbox also has files in %s/etc/upper "
                                               "or %s/var/upper, kept while it ran without <state size=...>; move or "
                                               "remove them, then start it again", shown, state_path, state_path);
                if (pending) {
                        r = remove_tree(old, shown);
                        if (r < 0)
                                return r;
                }
                return state_image_prepare(state, shown, size, NULL, crypt);
        }
        if (!old_data && !pending)
                return state_image_prepare(state, shown, size, NULL, crypt);

        log_info("state image %s: taking in the /etc and /var kept before <state size=...>", shown);
        if (mkdirat(state, UNCAPPED, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "state image %s: make %s: %m", shown, old);
        uncapped = state_step_down(state, UNCAPPED, old, STATE_CREATE | STATE_PATH);
        if (uncapped < 0)
                return uncapped;
        r = move_dirs(state, uncapped, false, shown);
        if (r < 0)
                return r;
        mnt = state_image_prepare(state, shown, size, old, crypt);
        if (mnt < 0) {
                /* where they were, for the next start to try again */
                if (move_dirs(state, uncapped, true, shown) >= 0)
                        (void) unlinkat(state, UNCAPPED, AT_REMOVEDIR);
                return log_error_errno(mnt, "state image %s: the /etc and /var kept before <state size=...> could not "
                                       "be taken in (larger than the size?); they are where they were", shown);
        }
        /* the image holds them: what is left is removed now, or at the
         * next start */
        if (remove_tree(old, shown) < 0)
                log_warning("state image %s: %s is removed at the next start", shown, old);
        log_info("state image %s: the /etc and /var kept before <state size=...> are in it", shown);
        return mnt;
}
