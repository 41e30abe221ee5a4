/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl convert: a profile from a service unit as systemd loaded it
 * (convert-profile.c), written whole or not at all; with --enable, the
 * sandbox takes the unit's place (and that of the service a socket unit
 * starts), and the unit gets it back when the sandbox does not become
 * active.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "convert-dropins.h"
#include "convert-profile.h"
#include "log.h"
#include "names.h"
#include "paths.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "strv.h"
#include "unit-bus.h"
#include "unit-files.h"
#include "unit-props.h"
#include "verbs.h"

#define PROFILE_DIR "/etc/sandbox/profiles"
/* how long a start or stop is waited for */
#define STATE_WAIT_MS 90000
/* how long a started sandbox must stay active to count */
#define SETTLE_MS 2000

typedef struct Args {
        const char *unit_arg, *name, *output, *user_namespace;
        bool enable, replace, keep_unsafe, accept_widening;
} Args;

void verb_convert_help(_unused_ const char *verb) {
        printf("sandboxctl convert UNIT [--name=NAME] [--output=FILE|-] [--replace] [--enable]\n"
               "                        [--keep-unsafe-caps] [--accept-widening]\n"
               "                        [--user-namespace=identity|private]\n\n"
               "Writes a sandbox profile that runs service UNIT as systemd loaded it, to\n"
               "%s/NAME.xml (NAME: the unit's name; --output elsewhere, \"-\" for standard\n"
               "output). Settings without an equivalent are listed on standard error and in a\n"
               "comment in the profile. --replace overwrites an existing profile; --enable then\n"
               "stops and disables UNIT and starts sandbox@NAME, and puts UNIT back when that\n"
               "does not become active.\n\n"
               "The capabilities that reach past the sandbox into the host (CAP_SYS_ADMIN,\n"
               "CAP_SYS_PTRACE, ...; see sandbox.profile(5)) are left out and listed, unless\n"
               "--keep-unsafe-caps keeps those the unit has, with keep-unsafe=.\n\n"
               "A setting of the unit that confines the service and that a profile cannot carry\n"
               "(SystemCallFilter=, RestrictAddressFamilies=, a lower LimitNOFILE=, ...) refuses\n"
               "the conversion, one line each; --accept-widening converts anyway, each setting\n"
               "lost listed. EnvironmentFile= stays a file read at each start, never copied.\n\n"
               "PrivateUsers=yes becomes <user-namespace mode=\"identity\"/>, DynamicUser=yes\n"
               "<user-namespace mode=\"private\"/> (its user is none of the host's); --user-namespace\n"
               "chooses the mode for either, or adds one to a unit with neither.\n\n"
               "A socket-activated service keeps its socket: with --enable, the socket starts\n"
               "sandbox@NAME instead. An instance of a template is named PREFIX-INSTANCE.\n", PROFILE_DIR);
}

/* What the table read, and the one pair of options that excludes each
 * other. Returns -1 to go on, else the exit status. */
static int parse(const VerbArgs *va, Args *a) {
        *a = (Args) {
                .unit_arg = va->operands[0],
                .name = verb_value(va, "name"),
                .output = verb_value(va, "output"),
                .enable = verb_flag(va, "enable"),
                .replace = verb_flag(va, "replace"),
                .keep_unsafe = verb_flag(va, "keep-unsafe-caps"),
                .accept_widening = verb_flag(va, "accept-widening"),
                .user_namespace = verb_value(va, "user-namespace"),
        };
        if (a->user_namespace && !streq(a->user_namespace, "identity") && !streq(a->user_namespace, "private")) {
                fprintf(stderr, "sandboxctl convert: --user-namespace=%s: allowed: identity, private\n",
                        a->user_namespace);
                return EXIT_USAGE;
        }
        if (a->enable && a->output) {
                fprintf(stderr, "sandboxctl convert: --enable writes to %s; it does not take --output\n", PROFILE_DIR);
                return EXIT_USAGE;
        }
        return -1; /* go on */
}

/* UNIT with ".service" when it has no suffix; templates and other kinds
 * of unit are refused */
static int unit_name(const char *arg, char **ret) {
        const char *dot = strrchr(arg, '.');
        size_t n = strlen(arg);

        if (!dot || strchr(dot, '/')) {
                if (asprintf(ret, "%s.service", arg) < 0)
                        return log_oom();
        } else if (!streq(dot, ".service"))
                return log_error_errno(-EINVAL, "convert: %s is not a service unit", arg);
        else if (!(*ret = strdup(arg)))
                return log_oom();
        n = strlen(*ret);
        if (n > 9 && (*ret)[n - 9] == '@')
                return log_error_errno(-EINVAL, "convert: %s is a template; give one of its instances (%.*s@INSTANCE.service)",
                                       *ret, (int) (n - 9), *ret);
        if (!unit_name_is_valid(*ret))
                return log_error_errno(-EINVAL, "convert: \"%s\" is not a valid unit name", arg);
        return 0;
}

/* the unit's name without ".service", "@" and what else a sandbox's name
 * cannot have in an instance ("\x2d", ":") made "-" */
static int default_name(const char *unit, char **ret) {
        char *n = strndup(unit, strlen(unit) - 8);

        if (!n)
                return log_oom();
        for (char *p = n; *p; p++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
                        *p = '-';
        *ret = n;
        return 0;
}

/* text as DIR/NAME.xml: written and checked under a hidden directory
 * beside it, then renamed into place, so that no half-written or invalid
 * profile is ever on the search path */
static int write_profile(const char *dir, const char *name, const char *text, bool replace, char **ret_path) {
        _cleanup_free_ char *tmpdir = NULL, *tmp = NULL, *path = NULL;
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t len = strlen(text);
        int r;

        if (asprintf(&tmpdir, "%s/.%s.convert-XXXXXX", dir, name) < 0 || asprintf(&path, "%s/%s.xml", dir, name) < 0)
                return log_oom();
        if (!replace && access(path, F_OK) == 0)
                return log_error_errno(-EEXIST, "convert: %s exists; --replace overwrites it", path);
        if (!mkdtemp(tmpdir))
                return log_error_errno(-errno, "convert: %s: %m", dir);
        if (asprintf(&tmp, "%s/%s.xml", tmpdir, name) < 0) {
                r = log_oom();
                goto finish;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, text, len) != (ssize_t) len || fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
                r = log_error_errno(-errno, "convert: write %s: %m", tmp);
                goto finish;
        }
        r = load_profile_verbose(tmp, NULL, &p);
        if (r < 0) {
                log_error("convert: the profile made from the unit is not valid (see above); nothing written");
                goto finish;
        }
        r = renameat2(AT_FDCWD, tmp, AT_FDCWD, path, replace ? 0 : RENAME_NOREPLACE);
        if (r < 0) {
                r = log_error_errno(-errno, "convert: %s: %m%s", path, errno == EEXIST ? "; --replace overwrites it" : "");
                goto finish;
        }
        *ret_path = TAKE_PTR(path);
finish:
        (void) unlink(tmp ? tmp : "");
        (void) rmdir(tmpdir);
        return r;
}

static uint64_t now_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

/* ActiveState of unit, into *ret ("" after a failed call) */
static void active_state(sd_bus *bus, const char *unit, char ret[static 32]) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(unit_info_done) UnitInfo info = {};

        ret[0] = 0;
        if (unit_info_get(bus, unit, &info, &error) >= 0 && info.active_state)
                snprintf(ret, 32, "%s", info.active_state);
}

/* Waits until unit is in one of the states (space-separated); its last
 * state in state. 1 when it got there. */
static int wait_state(sd_bus *bus, const char *unit, const char *states, char state[static 32]) {
        for (uint64_t end = now_ms() + STATE_WAIT_MS; now_ms() < end; usleep(100 * 1000)) {
                _cleanup_strv_free_ char **l = NULL;

                active_state(bus, unit, state);
                if (strv_split(states, " ", &l) < 0)
                        return -ENOMEM;
                if (strv_contains(l, state))
                        return 1;
        }
        return 0;
}

static int call(sd_bus *bus, const char *method, const char *what, const char *types, ...) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        va_list ap;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, method);
        if (r >= 0) {
                va_start(ap, types);
                r = sd_bus_message_appendv(m, types, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return log_error_errno(r, "convert: %s: %s", what, unit_bus_error_text(&error, r));
        return 0;
}

static int unit_files(sd_bus *bus, const char *method, const char *unit) {
        const char *one[] = { unit, NULL };
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, method);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, (char **) one);
        if (r >= 0)
                r = streq(method, "EnableUnitFiles") ? sd_bus_message_append(m, "bb", false, false)
                                                     : sd_bus_message_append(m, "b", false);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return log_error_errno(r, "convert: %s %s: %s", method, unit, unit_bus_error_text(&error, r));
        return call(bus, "Reload", "daemon-reload", "");
}

/* Puts the original back as it was; moves the profile aside, so that it
 * does not start at the next boot beside the original. */
static void roll_back(sd_bus *bus, const UnitProps *u, const char *sandbox, const char *profile, bool was_enabled,
                      bool was_active) {
        _cleanup_free_ char *aside = NULL;
        char state[32];

        (void) call(bus, "StopUnit", "stop the sandbox", "ss", sandbox, "replace");
        (void) wait_state(bus, sandbox, "inactive failed", state);
        stand_in_remove(u);
        socket_dropins_remove(u);
        if (asprintf(&aside, "%s.rejected", profile) >= 0 && rename(profile, aside) >= 0)
                log_error("convert: the profile is kept as %s, for a look at what went wrong", aside);
        (void) call(bus, "Reload", "daemon-reload", "");
        if (was_enabled)
                (void) unit_files(bus, "EnableUnitFiles", u->id);
        if (was_active) {
                (void) call(bus, "StartUnit", "start the original again", "ss", u->id, "replace");
                (void) wait_state(bus, u->id, "active failed", state);
                log_error("convert: %s is %s again", u->id, state);
        }
}

static int enable(sd_bus *bus, const UnitProps *u, const char *name, const char *profile) {
        _cleanup_free_ char *sandbox = sandbox_unit_name(name);
        bool was_enabled = u->unit_file_state && streq(u->unit_file_state, "enabled");
        bool was_active = u->active_state && streq(u->active_state, "active");
        char state[32];

        if (!sandbox)
                return log_oom();
        /* before the original stops: a connection from then on starts the sandbox */
        if (socket_dropins_write(u, sandbox) < 0) {
                socket_dropins_remove(u);
                return -EIO;
        }
        if (call(bus, "Reload", "daemon-reload", "") < 0) {
                socket_dropins_remove(u);
                return -EIO;
        }
        if (call(bus, "StopUnit", "stop the original", "ss", u->id, "replace") < 0 ||
            wait_state(bus, u->id, "inactive failed", state) <= 0) {
                socket_dropins_remove(u);
                (void) call(bus, "Reload", "daemon-reload", "");
                return log_error_errno(-EIO, "convert: %s did not stop (%s); nothing else changed", u->id, state);
        }
        /* a generator's or a runtime link is not the administrator's to disable */
        if (u->unit_file_state && (streq(u->unit_file_state, "enabled-runtime") || streq(u->unit_file_state, "generated")))
                fprintf(stderr, "sandboxctl convert: %s is %s (a generator or a runtime link wants it): it cannot be "
                        "disabled here and may start again at the next boot beside its sandbox; turn it off where it "
                        "is configured\n", u->id, u->unit_file_state);
        if (was_enabled && unit_files(bus, "DisableUnitFiles", u->id) < 0) {
                roll_back(bus, u, sandbox, profile, false, was_active);
                return -EIO;
        }
        /* "inactive" until its start job runs: only "active" or "failed" end the wait */
        if (call(bus, "StartUnit", "start the sandbox", "ss", sandbox, "replace") >= 0 &&
            wait_state(bus, sandbox, "active failed", state) > 0 && streq(state, "active")) {
                usleep(SETTLE_MS * 1000);
                active_state(bus, sandbox, state);
                if (streq(state, "active")) {
                        fprintf(stderr, "%s is stopped%s; %s runs it\n", u->id, was_enabled ? " and disabled" : "", sandbox);
                        /* the original's name, for the units and admins
                         * that name it: the sandbox, never the original
                         * (started by what needs it, not here) */
                        if (stand_in_write(u, sandbox) >= 0 && call(bus, "Reload", "daemon-reload", "") >= 0 &&
                            stand_in_check(bus, u->id) >= 0)
                                return 0;
                        log_error("convert: %s could not stand in for %s. Rolling back.", u->id, sandbox);
                        roll_back(bus, u, sandbox, profile, was_enabled, was_active);
                        return -EIO;
                }
        }
        log_error("convert: %s did not become active (%s); see \"journalctl -u %s\". Rolling back.", sandbox,
                  state[0] ? state : "unknown", sandbox);
        roll_back(bus, u, sandbox, profile, was_enabled, was_active);
        return -EIO;
}

int verb_convert(VerbArgs *va, char * const *dirs) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(unit_props_done) UnitProps u = {};
        _cleanup_free_ char *unit = NULL, *name = NULL, *why = NULL, *text = NULL, *path = NULL, *existing = NULL;
        _cleanup_strv_free_ char **notes = NULL;
        Args a = {};
        int r;

        r = parse(va, &a);
        if (r >= 0)
                return r;
        if (unit_name(a.unit_arg, &unit) < 0 || (a.name ? !(name = strdup(a.name)) : default_name(unit, &name) < 0))
                return EXIT_INVALID;
        r = verb_name_check("convert", name);
        if (r != 0)
                return r == EXIT_INVALID && !a.name ? (log_error("convert: give a name with --name"), r) : r;
        if (!a.replace && !(a.output && streq(a.output, "-")) && profile_find(dirs, name, &existing) >= 0)
                return log_error("convert: sandbox %s already has a profile, %s; --replace overwrites it", name,
                                 existing), EXIT_INVALID;

        r = unit_bus_open_manager(&bus, &why);
        if (r < 0)
                return log_oom(), EXIT_INVALID;
        if (r > 0) {
                r = unit_props_get(bus, unit, &u, &error);
                if (r < 0)
                        return log_error("convert: %s: %s", unit, unit_bus_error_text(&error, r)), EXIT_INVALID;
        } else {
                _cleanup_free_ char *source = NULL;
                size_t n_dropins = 0;

                if (a.enable)
                        return log_error("convert: --enable needs systemd's manager, and there is none to ask (%s)",
                                         why), EXIT_INVALID;
                if (unit_props_from_files(unit, &u, &source, &n_dropins) < 0)
                        return EXIT_INVALID;
                if (source)
                        fprintf(stderr, "sandboxctl convert: warning: no systemd manager to ask (%s); %s read from %s "
                                "and %zu drop-in%s, without what the manager adds (its defaults, generators, most "
                                "specifiers)\n", why, unit, source, n_dropins, n_dropins == 1 ? "" : "s");
        }
        if (convert_check(&u) < 0 || convert_profile(&u, name, a.user_namespace, a.keep_unsafe, a.accept_widening, &text,
                                                       &notes) < 0)
                return EXIT_INVALID;
        STRV_FOREACH(n, notes)
                fprintf(stderr, "sandboxctl convert: %s: %s\n", unit, *n);

        if (a.output && streq(a.output, "-"))
                return fputs(text, stdout) < 0 ? EXIT_INVALID : 0;
        if (a.output) {
                /* FILE's name must be NAME.xml, for the profile to be read as sandbox NAME's */
                _cleanup_free_ char *dir = NULL, *want = NULL;
                const char *slash = strrchr(a.output, '/');

                if (asprintf(&want, "%s.xml", name) < 0)
                        return log_oom(), EXIT_INVALID;
                if (!streq(slash ? slash + 1 : a.output, want))
                        return log_error("convert: --output=%s: the profile of sandbox %s must be named %s", a.output,
                                         name, want), EXIT_INVALID;
                dir = !slash ? strdup(".") : slash == a.output ? strdup("/") : strndup(a.output, (size_t) (slash - a.output));
                if (!dir)
                        return log_oom(), EXIT_INVALID;
                r = write_profile(dir, name, text, a.replace, &path);
        } else {
                (void) mkdir("/etc/sandbox", 0755);
                (void) mkdir(PROFILE_DIR, 0755);
                r = write_profile(PROFILE_DIR, name, text, a.replace, &path);
        }
        if (r < 0)
                return EXIT_INVALID;
        fprintf(stderr, "%s written from %s\n", path, unit);
        if (a.enable && enable(bus, &u, name, path) < 0)
                return EXIT_INVALID;
        return 0;
}
