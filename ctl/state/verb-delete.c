/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl delete: removes a sandbox's state, STATE_ROOT/NAME, and its
 * runtime directory /run/sandbox/NAME. Never while it runs: the helper's
 * lock is taken first and held until the end, so that the sandbox cannot
 * start on half-deleted state either. With --force a running sandbox is
 * stopped first, through systemd, which runs it as sandbox@NAME.service.
 * The state is removed the deepest first (tree-remove.c): a delete that
 * fails or is killed half-way leaves less state, which the next delete
 * removes, the runtime directory last of all. Once the state is gone, and
 * before the runtime directory (and the lock in it) goes, the sandbox's
 * MCS categories are taken out of their record (mcs-record.h): free for
 * another sandbox, as nothing is labelled with them any more.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "mcs-record.h"
#include "names.h"
#include "sandboxctl.h"
#include "state.h"
#include "verbs.h"
#include "state-walk.h"
#include "unit-bus.h"

#define STOP_TIMEOUT_SEC 90

static uint64_t now_msec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* The unit systemd runs pid in, in *ret (NULL when none). */
static int unit_of_pid(sd_bus *bus, const char *pid, sd_bus_error *error, char **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r;

        *ret = NULL;
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "GetUnitByPID", error, &reply, "u",
                               (uint32_t) strtoul(pid, NULL, 10));
        if (r < 0 && sd_bus_error_has_name(error, "org.freedesktop.systemd1.NoUnitForPID")) {
                sd_bus_error_free(error);
                return 0;
        }
        if (r >= 0)
                r = sd_bus_message_read(reply, "o", &path);
        if (r >= 0)
                r = sd_bus_get_property_string(bus, "org.freedesktop.systemd1", path, "org.freedesktop.systemd1.Unit",
                                               "Id", error, ret);
        return r;
}

/* Logs a failed call to systemd for stop_sandbox(); returns r. */
static int bus_failure(const char *name, const char *holder, const char *what, const sd_bus_error *e, int r) {
        if (r == -ENOMEM)
                return log_oom();
        if (unit_bus_unreachable(e))
                return log_error_errno(r, "delete: sandbox %s is running%s%s%s and no systemd manager is reachable to "
                                       "stop it (system bus: %s); nothing deleted", name, *holder ? " (helper PID " : "", holder,
                                       *holder ? ")" : "", unit_bus_error_text(e, r));
        return log_error_errno(r, "delete: %s: %s; nothing deleted", what, unit_bus_error_text(e, r));
}

/* Stops sandbox@NAME.service and waits until the helper has let go of
 * the lock, which *ret_lock then holds. */
static int stop_sandbox(const char *name, char holder[static LOCK_HOLDER_MAX], int *ret_lock) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *unit = NULL, *holder_unit = NULL, *what = NULL;
        uint64_t deadline;
        int r;

        unit = sandbox_unit_name(name);
        if (!unit || asprintf(&what, "stop %s", unit) < 0)
                return log_oom();
        r = unit_bus_open(&bus);
        if (r >= 0 && *holder)
                r = unit_of_pid(bus, holder, &error, &holder_unit);
        if (r < 0)
                return bus_failure(name, holder, "ask systemd which unit runs the sandbox", &error, r);
        /* stopping the unit would not stop a sandbox that runs outside it */
        if (*holder && (!holder_unit || !streq(holder_unit, unit)))
                return log_error_errno(-EBUSY, "delete: sandbox %s is running (helper PID %s), but not as %s%s%s; "
                                       "stop that process first; nothing deleted", name, holder, unit,
                                       holder_unit ? ": it is in " : "", holder_unit ? holder_unit : "");
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "StopUnit", &error, NULL, "ss", unit, "replace");
        if (r < 0)
                return bus_failure(name, holder, what, &error, r);

        deadline = now_msec() + STOP_TIMEOUT_SEC * 1000;
        for (;;) {
                r = sandbox_lock_try(name, ret_lock, holder);
                if (r != -EBUSY)
                        return r;
                if (now_msec() >= deadline)
                        return log_error_errno(-ETIMEDOUT, "delete: %s did not stop within %d s (helper PID %s); "
                                               "nothing deleted", unit, STOP_TIMEOUT_SEC, *holder ? holder : "unknown");
                usleep(100 * 1000);
        }
}

void verb_delete_help(_unused_ const char *verb) {
        printf("sandboxctl delete [--state-root=DIR] [--force] NAME\n\n"
               "Deletes the state of sandbox NAME, DIR/NAME, and its runtime directory\n"
               "%s/NAME. Refuses while the sandbox runs; with --force, stops\n"
               "sandbox@NAME.service through systemd first. The deepest entries go first: a\n"
               "delete that fails or is interrupted leaves less, which the next one removes.\n"
               "Its MCS categories, if any, are then taken out of DIR/.selinux-mcs.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --state-root=DIR    The sandboxes' state (default %s)\n"
               "     --force             Stop the sandbox first when it runs\n", RUNTIME_ROOT, STATE_ROOT_DEFAULT);
}

int verb_delete(VerbArgs *a, _unused_ char * const *dirs) {
        _cleanup_free_ char *state_path = NULL, *run_path = NULL, *mount = NULL;
        _cleanup_close_ int root = -EBADF, state = -EBADF, lock = -EBADF, run = -EBADF;
        const char *name = a->operands[0], *state_root = a->state_root;
        char holder[LOCK_HOLDER_MAX];
        bool force = verb_flag(a, "force"), has_run, has_pair = false;
        unsigned ca, cb;
        struct stat st;
        int r;

        state_path = path_join2(state_root, name);
        if (!state_path || asprintf(&run_path, "%s/%s", RUNTIME_ROOT, name) < 0)
                return log_oom(), EXIT_INVALID;

        root = state_root_walk(state_root, 0);
        if (root >= 0)
                state = state_step_down(root, name, state_path, 0);
        if (root < 0 && root != -ENOENT)
                return EXIT_INVALID;
        if (state < 0 && state != -ENOENT && root >= 0)
                return EXIT_INVALID;
        /* a delete that stopped after the state was gone left the runtime
         * directory: that is all there is to finish */
        run = open(RUNTIME_ROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (run < 0 && errno != ENOENT)
                return log_error_errno(-errno, "delete: open %s: %m%s", RUNTIME_ROOT, log_root_hint(-errno)), EXIT_INVALID;
        has_run = run >= 0 && fstatat(run, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
        /* or a pair of categories still recorded, of a start killed
         * before it made the state, or of a delete of an older version */
        if (state < 0 && !has_run && root >= 0) {
                r = mcs_record_pair(root, state_root, name, false, &ca, &cb);
                if (r < 0 && r != -ENOENT)
                        return EXIT_INVALID;
                has_pair = r >= 0;
        }
        if (state < 0 && !has_run && !has_pair) {
                log_error("delete: sandbox %s has no state: there is no %s", name, state_path);
                return EXIT_INVALID;
        }

        r = sandbox_lock_try(name, &lock, holder);
        if (r == -EBUSY && !force) {
                log_error("delete: sandbox %s is running%s%s%s; stop it first (systemctl stop sandbox@%s.service), "
                          "or use --force; nothing deleted", name, *holder ? " (helper PID " : "", holder,
                          *holder ? ")" : "", name);
                return EXIT_INVALID;
        }
        if (r == -EBUSY)
                r = stop_sandbox(name, holder, &lock);
        if (r < 0)
                return EXIT_INVALID;
        /* no lock file (a fresh /run): one made and held, as the helper
         * does, so that no sandbox starts on what is being deleted, nor
         * reads its categories while their line goes */
        if (lock < 0) {
                char rundir[PATH_MAX];

                lock = instance_lock(name, rundir, sizeof(rundir));
                if (lock < 0)
                        return EXIT_INVALID;
                if (run < 0)
                        run = open(RUNTIME_ROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (run < 0)
                        return log_error_errno(-errno, "delete: open %s: %m", RUNTIME_ROOT), EXIT_INVALID;
        }

        /* a mount below would have its contents deleted, or stop the
         * deletion half-way: refuse before anything is removed */
        r = mount_below(state_path, &mount);
        if (r == 0)
                r = mount_below(run_path, &mount);
        if (r > 0) {
                /* a name the sandbox may have made */
                _cleanup_free_ char *shown = state_path_shown(mount);

                log_error("delete: %s is a mount point below the sandbox's directories; unmount it first; nothing deleted",
                          shown ? shown : "?");
        }
        if (r != 0)
                return EXIT_INVALID;

        if (state >= 0 && tree_remove(root, name, state_path) < 0)
                return EXIT_INVALID;
        /* nothing is labelled with its categories any more: another
         * sandbox may have them; a failure keeps the runtime directory,
         * for the next delete to finish */
        if (root >= 0) {
                r = mcs_record_release(root, state_root, name, &ca, &cb);
                if (r < 0) {
                        log_error("delete: the state of sandbox %s is deleted, but its MCS categories are still "
                                  "recorded (see above); delete it again to free them", name);
                        return EXIT_INVALID;
                }
                if (r > 0)
                        log_info("delete: sandbox %s's MCS categories c%u,c%u are free", name, ca, cb);
        }
        /* the lock in it is let go of with it: nothing is left to start on */
        if (run >= 0 && fstatat(run, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && tree_remove(run, name, run_path) < 0)
                return EXIT_INVALID;
        return EXIT_SUCCESS;
}
