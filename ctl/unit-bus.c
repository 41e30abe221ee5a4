/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "dir-trust.h"
#include "log.h"
#include "macro.h"
#include "names.h"
#include "strv.h"
#include "unit-bus.h"

#define SYSTEMD_PRIVATE_SOCKET "/run/systemd/private"
#define UNIT_INTERFACE "org.freedesktop.systemd1.Unit"
#define SERVICE_INTERFACE "org.freedesktop.systemd1.Service"

void unit_info_done(UnitInfo *u) {
        free(u->load_state);
        free(u->active_state);
        free(u->sub_state);
        *u = (UnitInfo) {};
}

#define BUS_ADDRESS_VAR "DBUS_SYSTEM_BUS_ADDRESS"
#define UNIX_PATH "unix:path="

/*
 * DBUS_SYSTEM_BUS_ADDRESS is the caller's environment, which sudo -E
 * passes on to root: a bus there answers convert's questions (what it
 * writes into a profile), status's and delete --force's. It is used only
 * as one "unix:path=PATH" socket owned by root (or by the caller) in a
 * directory that dir_open_trusted() accepts, and only when the process
 * that listens on it (SO_PEERCRED) is root (or the caller): a bus of
 * another user's is refused, never asked. Returns 0 with *ret_path the
 * path; -ENOENT when there is no socket there (no bus to ask); -EPERM
 * with *ret_why what is wrong; or -ENOMEM.
 */
static int bus_address_check(const char *e, char **ret_path, char **ret_why) {
        _cleanup_free_ char *path = NULL, *dir = NULL, *why = NULL;
        _cleanup_close_ int dfd = -EBADF;
        const size_t prefix = strlen(UNIX_PATH);
        const char *p = e + strnlen(e, prefix), *base;
        struct stat st;

        *ret_why = NULL;
        if (strncmp(e, UNIX_PATH, prefix) != 0 || p[0] != '/' ||
            strlen(p) >= sizeof(((struct sockaddr_un) {}).sun_path) || strpbrk(p, ",;%=") ||
            !(base = strrchr(p, '/'))[1])
                return (*ret_why = strdup("not one \"" UNIX_PATH "/ABSOLUTE/PATH\" (no other keys, no escapes, "
                                          "no list)")) ? -EPERM : -ENOMEM;
        path = strdup(p);
        dir = base == p ? strdup("/") : strndup(p, (size_t) (base - p));
        if (!path || !dir)
                return -ENOMEM;
        dfd = dir_open_trusted(dir, false, &why);
        if (dfd == -ENOENT || dfd == -ENOTDIR)
                return -ENOENT;
        if (dfd < 0) {
                *ret_why = why ? TAKE_PTR(why) : strdup(strerror(-dfd));
                return *ret_why ? -EPERM : -ENOMEM;
        }
        if (fstatat(dfd, base + 1, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? -ENOENT :
                        (*ret_why = strdup(strerror(errno))) ? -EPERM : -ENOMEM;
        if (!S_ISSOCK(st.st_mode))
                return (*ret_why = strdup("not a socket")) ? -EPERM : -ENOMEM;
        if (st.st_uid != 0 && st.st_uid != geteuid())
                return (*ret_why = strdup("the socket is another user's")) ? -EPERM : -ENOMEM;
        *ret_path = TAKE_PTR(path);
        return 0;
}

/* The bus at path, if root (or the caller) listens on it. One that is
 * refused is closed without a flush: what is queued (the greeting to the
 * bus) is never sent. */
static int bus_open_checked(const char *path, sd_bus **ret, char **ret_why) {
        _cleanup_(sd_bus_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *address = NULL;
        struct ucred cred;
        socklen_t n = sizeof(cred);
        int r, fd;

        *ret_why = NULL;
        if (asprintf(&address, UNIX_PATH "%s", path) < 0)
                return -ENOMEM;
        r = sd_bus_new(&bus);
        if (r >= 0)
                r = sd_bus_set_address(bus, address);
        if (r >= 0)
                r = sd_bus_set_bus_client(bus, true);
        if (r >= 0)
                r = sd_bus_start(bus);
        if (r < 0)
                return r;
        fd = sd_bus_get_fd(bus);
        if (fd < 0)
                return fd;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &n) < 0)
                return (*ret_why = strdup(strerror(errno))) ? -EPERM : -ENOMEM;
        if (cred.uid != 0 && cred.uid != geteuid())
                return asprintf(ret_why, "the process that listens on it, PID %d, is user %u's", (int) cred.pid,
                                (unsigned) cred.uid) < 0 ? -ENOMEM : -EPERM;
        *ret = TAKE_PTR(bus);
        return 0;
}

/* unit_bus_open() with, when DBUS_SYSTEM_BUS_ADDRESS is refused,
 * *ret_why saying why (not logged). */
static int bus_open(sd_bus **ret, char **ret_why) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *path = NULL, *why = NULL;
        const char *e = getenv(BUS_ADDRESS_VAR);
        int r;

        *ret_why = NULL;
        if (e) {
                r = bus_address_check(e, &path, &why);
                if (r >= 0)
                        r = bus_open_checked(path, ret, &why);
                if (r == -EPERM) {
                        int n = (int) strnlen(e, 256);
                        /* the caller's bytes, shown only when printable */
                        bool shown = text_is_printable(e);

                        const char *reason = why && text_is_printable(why) ? why :
                                "its directory or socket fails the checks";

                        if (asprintf(ret_why, BUS_ADDRESS_VAR "%s%.*s%s is not used: %s (it must name a socket owned "
                                     "by root, in directories writable only by root, where root listens)",
                                     shown ? "=" : " (a value with unprintable characters)", shown ? n : 0, e,
                                     shown && e[n] ? "..." : "", reason) < 0)
                                return -ENOMEM;
                }
                return r;
        }
        if (geteuid() == 0 && sd_bus_new(&bus) >= 0 &&
            sd_bus_set_address(bus, "unix:path=" SYSTEMD_PRIVATE_SOCKET) >= 0 && sd_bus_start(bus) >= 0) {
                *ret = TAKE_PTR(bus);
                return 0;
        }
        return sd_bus_open_system(ret);
}

int unit_bus_open(sd_bus **ret) {
        _cleanup_free_ char *why = NULL;
        int r;

        r = bus_open(ret, &why);
        if (why)
                log_error("%s", why);
        return r;
}

int unit_bus_open_manager(sd_bus **ret, char **ret_why) {
        _cleanup_free_ char *why = NULL;
        sd_bus *bus = NULL;
        int r;

        /* no systemd as PID 1, unless a bus to ask was named all the same */
        if (!getenv(BUS_ADDRESS_VAR) && sd_booted() <= 0) {
                *ret_why = strdup("the system was not booted with systemd");
                return *ret_why ? 0 : -ENOMEM;
        }
        r = bus_open(&bus, &why);
        if (r == -ENOMEM)
                return r;
        if (why) {
                *ret_why = TAKE_PTR(why);
                return 0;
        }
        if (r < 0)
                return asprintf(ret_why, "system bus: %s", strerror(-r)) < 0 ? -ENOMEM : 0;
        *ret = bus;
        return 1;
}

bool unit_bus_unreachable(const sd_bus_error *e) {
        return !sd_bus_error_is_set(e) ||
                sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                       SD_BUS_ERROR_NO_SERVER, SD_BUS_ERROR_DISCONNECTED);
}

const char *unit_bus_error_text(const sd_bus_error *e, int r) {
        return e && e->message ? e->message : strerror(r < 0 ? -r : r);
}

char *sandbox_unit_name(const char *name) {
        char *unit;

        if (asprintf(&unit, "sandbox@%s.service", name) < 0)
                return NULL;
        return unit;
}

int unit_object_path(sd_bus *bus, const char *unit, sd_bus_error *error, char **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *path;
        int r;

        r = sd_bus_call_method(bus, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, "GetUnit", error, &reply, "s",
                               unit);
        if (r < 0 && sd_bus_error_has_name(error, "org.freedesktop.systemd1.NoSuchUnit")) {
                sd_bus_error_free(error);
                r = sd_bus_call_method(bus, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, "LoadUnit", error, &reply,
                                       "s", unit);
        }
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        *ret = strdup(path);
        return *ret ? 0 : -ENOMEM;
}

static int get_string(sd_bus *bus, const char *path, const char *property, sd_bus_error *error, char **ret) {
        return sd_bus_get_property_string(bus, MANAGER_SERVICE, path, UNIT_INTERFACE, property, error, ret);
}

static int get_usec(sd_bus *bus, const char *path, const char *property, sd_bus_error *error, uint64_t *ret) {
        return sd_bus_get_property_trivial(bus, MANAGER_SERVICE, path, UNIT_INTERFACE, property, error, 't', ret);
}

int unit_info_get(sd_bus *bus, const char *unit, UnitInfo *ret, sd_bus_error *error) {
        _cleanup_free_ char *path = NULL;
        UnitInfo u = {};
        int r;

        r = unit_object_path(bus, unit, error, &path);
        if (r >= 0)
                r = get_string(bus, path, "LoadState", error, &u.load_state);
        if (r >= 0)
                r = get_string(bus, path, "ActiveState", error, &u.active_state);
        if (r >= 0)
                r = get_string(bus, path, "SubState", error, &u.sub_state);
        if (r >= 0)
                r = sd_bus_get_property_trivial(bus, MANAGER_SERVICE, path, SERVICE_INTERFACE, "MainPID", error, 'u',
                                                &u.main_pid);
        if (r >= 0)
                r = get_usec(bus, path, "ActiveEnterTimestamp", error, &u.active_enter_realtime);
        if (r >= 0)
                r = get_usec(bus, path, "ActiveEnterTimestampMonotonic", error, &u.active_enter_monotonic);
        if (r < 0) {
                unit_info_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}

int unit_active_states(sd_bus *bus, char ***ret, sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_strv_free_ char **pairs = NULL;
        const char *id, *active, *s;
        uint32_t job;
        int r;

        /* no state to filter on, one pattern */
        r = sd_bus_call_method(bus, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, "ListUnitsByPatterns", error,
                               &reply, "asas", 0, 1, "sandbox@*.service");
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        if (r < 0)
                return r;
        /* name, description, load, active and sub state, followed unit,
         * unit path, job ID, type and path */
        while ((r = sd_bus_message_read(reply, "(ssssssouso)", &id, &s, &s, &active, &s, &s, &s, &job, &s, &s)) > 0)
                if (strv_append(&pairs, id) < 0 || strv_append(&pairs, active) < 0)
                        return -ENOMEM;
        if (r < 0)
                return r;
        if (!pairs) {
                pairs = calloc(1, sizeof(char *));
                if (!pairs)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(pairs);
        return 0;
}

const char *unit_active_state_of(char * const *pairs, const char *unit) {
        for (char * const *p = pairs; p && p[0] && p[1]; p += 2)
                if (streq(p[0], unit))
                        return p[1];
        return "inactive";
}
