/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert-dropins.h"
#include "convert-profile.h"
#include "log.h"
#include "macro.h"
#include "strv.h"
#include "unit-bus.h"

#define STAND_IN_NAME "sandbox-stand-in.conf"

static bool is_socket(const char *unit) {
        size_t n = strlen(unit);

        return n > 7 && streq(unit + n - 7, ".socket");
}

static char *dropin_path(const char *unit, const char *file) {
        char *p;

        return asprintf(&p, "%s/%s.d/%s", SOCKET_DROPIN_DIR, unit, file) < 0 ? NULL : p;
}

/* UNIT.d/FILE with text, written to a temporary file and renamed */
static int dropin_write(const char *unit, const char *file, const char *text) {
        _cleanup_free_ char *dir = NULL, *path = dropin_path(unit, file), *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t len = strlen(text);

        if (!path || asprintf(&dir, "%s/%s.d", SOCKET_DROPIN_DIR, unit) < 0 || asprintf(&tmp, "%s.tmp", path) < 0)
                return log_oom();
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "convert: %s: %m", dir);
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, text, len) != (ssize_t) len || fchmod(fd, 0644) < 0 || fsync(fd) < 0 ||
            rename(tmp, path) < 0) {
                int r = log_error_errno(-errno, "convert: %s: %m", path);

                (void) unlink(tmp);
                return r;
        }
        return 0;
}

static bool dropin_remove(const char *unit, const char *file) {
        _cleanup_free_ char *path = dropin_path(unit, file);

        return path && unlink(path) >= 0;
}

/* Each socket that starts the unit starts the sandbox instead (Service=),
 * which gets its file descriptors. The socket itself, and what it listens
 * on, stay as they were. */
int socket_dropins_write(const UnitProps *u, const char *sandbox) {
        STRV_FOREACH(s, u->triggered_by) {
                _cleanup_free_ char *text = NULL;

                if (!is_socket(*s))
                        continue;
                if (asprintf(&text, "# Written by \"sandboxctl convert %s --enable\": %s starts the sandbox that\n"
                             "# runs %s. Remove this file and run \"systemctl daemon-reload\" to undo.\n"
                             "[Socket]\nService=%s\n", u->id, *s, u->id, sandbox) < 0)
                        return log_oom();
                if (dropin_write(*s, SOCKET_DROPIN_NAME, text) < 0)
                        return -EIO;
                fprintf(stderr, "%s/%s.d/%s written: %s starts %s\n", SOCKET_DROPIN_DIR, *s, SOCKET_DROPIN_NAME, *s,
                        sandbox);
        }
        return 0;
}

void socket_dropins_remove(const UnitProps *u) {
        STRV_FOREACH(s, u->triggered_by)
                if (is_socket(*s) && dropin_remove(*s, SOCKET_DROPIN_NAME))
                        log_error("convert: %s/%s.d/%s removed: %s starts %s again", SOCKET_DROPIN_DIR, *s,
                                  SOCKET_DROPIN_NAME, *s, u->id);
}

/* The unit becomes a oneshot that stays active while the sandbox runs
 * (BindsTo=): starting it starts the sandbox first, stopping or
 * restarting it does the same to the sandbox (PropagatesStopTo=). Its one
 * command is /bin/true with full privileges ("+"): systemd wants one, and
 * so none of the unit's own user, hardening or namespaces can fail it.
 * Every list that would run another command, read a file or make or
 * remove a runtime directory the sandbox now shares is emptied. */
int stand_in_write(const UnitProps *u, const char *sandbox) {
        _cleanup_free_ char *text = NULL;

        if (asprintf(&text,
                     "# Written by \"sandboxctl convert %s --enable\": %s runs this service now, and\n"
                     "# this name starts, stops and restarts it, for the units and admins that name it.\n"
                     "# Remove this file, run \"systemctl daemon-reload\" and enable the unit again to undo.\n"
                     "[Unit]\nBindsTo=%s\nAfter=%s\nPropagatesStopTo=%s\n\n"
                     "[Service]\nType=oneshot\nRemainAfterExit=yes\nRestart=no\nWatchdogSec=0\n"
                     "ExecCondition=\nExecStartPre=\nExecStart=\nExecStart=+/bin/true\nExecStartPost=\nExecReload=\n"
                     "ExecStop=\nExecStopPost=\nPIDFile=\nRuntimeDirectory=\nEnvironmentFile=\n"
                     "StandardInput=null\n",
                     u->id, sandbox, sandbox, sandbox, sandbox) < 0)
                return log_oom();
        if (dropin_write(u->id, STAND_IN_NAME, text) < 0)
                return -EIO;
        fprintf(stderr, "%s/%s.d/%s written: %s stands in for %s\n", SOCKET_DROPIN_DIR, u->id, STAND_IN_NAME, u->id,
                sandbox);
        return 0;
}

/* The unit as systemd loaded it with the drop-in: a drop-in that sorts
 * after it (or a directory the manager reads that convert does not
 * write) may have added a command again, which would run unsandboxed. */
int stand_in_check(sd_bus *bus, const char *unit) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(unit_props_done) UnitProps v = {};
        int r;

        r = unit_props_get(bus, unit, &v, &error);
        if (r < 0)
                return log_error_errno(r, "convert: %s: %s", unit, unit_bus_error_text(&error, r));
        const struct {
                const char *name;
                const UnitCommands *c;
                size_t allowed;
        } lists[] = {
                { "ExecCondition", &v.exec_condition, 0 }, { "ExecStartPre", &v.exec_start_pre, 0 },
                { "ExecStart", &v.exec_start, 1 },         { "ExecStartPost", &v.exec_start_post, 0 },
                { "ExecReload", &v.exec_reload, 0 },       { "ExecStop", &v.exec_stop, 0 },
                { "ExecStopPost", &v.exec_stop_post, 0 },
        };
        for (size_t i = 0; i < ELEMENTSOF(lists); i++) {
                const UnitCommands *c = lists[i].c;

                if (c->n > lists[i].allowed || (lists[i].allowed > 0 && (c->n == 0 || !c->items[0].path || !streq(c->items[0].path, "/bin/true"))))
                        return log_error_errno(-EPERM, "convert: %s still has a command of its own in %s= after %s/%s.d/%s "
                                               "(a drop-in read after it sets one); it would run outside the sandbox",
                                               unit, lists[i].name, SOCKET_DROPIN_DIR, unit, STAND_IN_NAME);
        }
        return 0;
}

void stand_in_remove(const UnitProps *u) {
        if (dropin_remove(u->id, STAND_IN_NAME))
                log_error("convert: %s/%s.d/%s removed: %s runs its own service again", SOCKET_DROPIN_DIR, u->id,
                          STAND_IN_NAME, u->id);
}
