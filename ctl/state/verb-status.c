/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl status: what is known about a sandbox, systemctl-status
 * style: its profile, its unit as systemd's manager sees it (when there
 * is one to ask), whether it runs by its helper's lock (also when started
 * by "sandboxctl run"), the mounts its PID 1 sees, the security label of
 * its service, and the size of its state. Nothing is changed, and the
 * lock is let go of at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "mountinfo.h"
#include "proc-file.h"
#include "proc-tree.h"
#include "quantities.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "state-image.h"
#include "status-disk.h"
#include "status-network.h"
#include "state.h"
#include "verbs.h"
#include "state-walk.h"
#include "status-userns.h"
#include "strv.h"
#include "unit-bus.h"

/* "systemctl status" says 3 for a unit that is not active */
#define EXIT_NOT_RUNNING 3
/* the most mounts listed; a sandbox has a few dozen */
#define MOUNTS_MAX 4096
/* the longest label read; SELinux allows a page */
#define LABEL_MAX 4096
#define USEC_PER_SEC UINT64_C(1000000)

typedef struct Mount {
        char *path, *fstype;
        bool read_only;
} Mount;

typedef struct Status {
        const char *name;
        char *unit;
        char *profile;      /* NULL: none on the search path */
        bool profile_valid;
        char *description;
        const char *network_mode; /* the profile's; NULL: not known */

        UnitInfo info;
        bool has_info;
        char *unit_error;   /* why there is no info: no systemd, or what failed */
        uint64_t uptime;    /* µs, while active */

        bool running;
        pid_t helper, init; /* 0: not known */
        pid_t service;      /* the oldest child of init, 0: none */
        char *label;        /* the service's, NULL: none (no LSM says one) */
        bool label_known;   /* its label could be read (or there is none) */
        char *users;        /* its user namespace's maps, NULL: the host's (status-userns.h) */
        bool users_known;
        StatusRange range;  /* <user-namespace mode="private"/>: its range, kept in its state */
        bool has_range;
        NetLease lease;     /* a bridged network's, while it runs */
        bool has_lease;
        Mount *mounts;
        size_t n_mounts;
        bool has_mounts, mounts_truncated;

        char *state_path;
        bool has_state, has_size;
        uint64_t state_bytes;
        /* <state size=...>: the image's file system, what is used of it */
        bool has_image, image_known;
        uint64_t image_used, image_size;

        bool failed;        /* something could not be found out (logged) */
} Status;

static void status_done(Status *s) {
        free(s->unit);
        free(s->profile);
        free(s->description);
        unit_info_done(&s->info);
        free(s->unit_error);
        free(s->label);
        free(s->users);
        for (size_t i = 0; i < s->n_mounts; i++) {
                free(s->mounts[i].path);
                free(s->mounts[i].fstype);
        }
        free(s->mounts);
        free(s->state_path);
}

/* The profile on the search path, when there is one, and whether it is
 * valid; its problems are sandboxctl validate's to print. */
static int status_profile(Status *s, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        Diagnostics diags = {};
        int r;

        r = profile_find(dirs, s->name, &s->profile);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return log_error_errno(r, "status: look up profile %s: %m", s->name);
        r = profile_load(s->profile, dirs, &p, &diags);
        diagnostics_done(&diags);
        if (r == -ENOMEM)
                return log_oom();
        s->profile_valid = r >= 0;
        if (p && p->description)
                s->description = TAKE_PTR(p->description);
        if (p && r >= 0)
                s->network_mode = network_mode_to_string(p->network);
        return 0;
}

static uint64_t now_usec(clockid_t clock) {
        struct timespec ts;

        clock_gettime(clock, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

static bool unit_is_active(const UnitInfo *u) {
        return u->active_state && (streq(u->active_state, "active") || streq(u->active_state, "reloading"));
}

/* How long the unit has been active, on the clock that does not jump
 * (the wall clock's timestamp is for showing only); 0 when it is not. */
static uint64_t unit_uptime(const UnitInfo *u) {
        uint64_t now = now_usec(CLOCK_MONOTONIC);

        if (!unit_is_active(u) || u->active_enter_monotonic == 0 || now < u->active_enter_monotonic)
                return 0;
        return now - u->active_enter_monotonic;
}

/* The unit as systemd's manager sees it; without one, why not. */
static int status_unit(Status *s) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *why = NULL;
        int r;

        r = unit_bus_open_manager(&bus, &why);
        if (r < 0)
                return log_oom();
        if (r > 0) {
                r = unit_info_get(bus, s->unit, &s->info, &error);
                if (r >= 0) {
                        s->has_info = true;
                        s->uptime = unit_uptime(&s->info);
                        return 0;
                }
                if (r == -ENOMEM)
                        return log_oom();
                if (!unit_bus_unreachable(&error)) {
                        s->unit_error = strdup(unit_bus_error_text(&error, r));
                        return log_error_errno(r, "status: ask systemd about %s: %s", s->unit,
                                               unit_bus_error_text(&error, r));
                }
                why = strdup(unit_bus_error_text(&error, r));
        }
        if (!why || asprintf(&s->unit_error, "no systemd: %s", why) < 0)
                return log_oom();
        return 0;
}

/* The service's security label, as its LSM shows it: AppArmor's own file
 * where that gives one, else the one the LSMs share. None without an
 * LSM that gives one (ENOENT, EINVAL, an empty file), or once the
 * process has ended (ESRCH). */
static int status_label(Status *s) {
        static const char *const files[] = { "attr/apparmor/current", "attr/current" };
        char path[64], label[LABEL_MAX];
        ssize_t n;

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                snprintf(path, sizeof(path), "/proc/%d/%s", (int) s->service, files[i]);
                n = proc_read_into(s->service, files[i], label, sizeof(label));
                if (n == -ENOENT || n == -EINVAL || n == -ESRCH)
                        continue;
                if (n < 0)
                        return log_error_errno((int) n, "status: read %s: %m", path);
                /* SELinux ends it with a NUL, AppArmor with a newline */
                while (n > 0 && (label[n - 1] == 0 || label[n - 1] == '\n'))
                        label[--n] = 0;
                if (n == 0)
                        continue;
                s->label = strdup(label);
                if (!s->label)
                        return log_oom();
                break;
        }
        s->label_known = true;
        return 0;
}

static int mounts_add(Status *s, const MountInfo *m) {
        Mount *t;

        t = realloc(s->mounts, (s->n_mounts + 1) * sizeof(Mount));
        if (!t)
                return log_oom();
        s->mounts = t;
        t[s->n_mounts] = (Mount) { strdup(m->mount_point), strdup(m->fstype), m->read_only };
        if (!t[s->n_mounts].path || !t[s->n_mounts].fstype) {
                free(t[s->n_mounts].path);
                free(t[s->n_mounts].fstype);
                return log_oom();
        }
        s->n_mounts++;
        return 0;
}

/* The mounts as the sandbox's PID 1 sees them: its mountinfo, whose
 * paths are relative to its root. */
static int status_mounts(Status *s) {
        _cleanup_(mountinfo_close) MountInfoFile f = { .pid = s->init };
        char path[64];
        MountInfo m;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int) s->init);
        while ((r = mountinfo_next(&f, &m)) > 0) {
                if (s->n_mounts >= MOUNTS_MAX) {
                        s->mounts_truncated = true;
                        break;
                }
                r = mounts_add(s, &m);
                if (r < 0)
                        return r;
        }
        if (r == -ENOENT)
                return 0; /* it has just ended */
        /* ESRCH, EINVAL: it ended while being read */
        if (r < 0 && r != -ESRCH && r != -EINVAL)
                return log_error_errno(r, "status: read %s: %m%s", path, log_root_hint(r));
        s->has_mounts = r >= 0;
        return 0;
}

/* Whether the sandbox runs: its helper holds the lock. Then its PID 1,
 * the mounts that one sees, and its service's label. */
static int status_running(Status *s) {
        char holder[LOCK_HOLDER_MAX];
        int r;

        r = sandbox_lock_held(s->name, holder);
        if (r <= 0)
                return r;
        s->running = true;
        r = status_network_read(s->name, &s->lease);
        if (r < 0)
                s->failed = true;
        s->has_lease = r > 0;
        /* what runs, whatever the profile says now */
        if (s->has_lease)
                s->network_mode = "bridge";
        s->helper = lock_holder_pid(holder);
        if (s->helper <= 0)
                return 0;
        /* the helper's child in the new PID namespace (none yet, or any more: 0) */
        s->init = sandbox_init_find(s->helper);
        if (s->init <= 0)
                return 0;
        /* logged; the rest is still shown */
        if (status_mounts(s) < 0)
                s->failed = true;
        s->service = proc_oldest_child(s->init);
        if (s->service > 0 && status_label(s) < 0)
                s->failed = true;
        /* gone meanwhile: not known, as its label */
        if (s->service > 0) {
                int r = status_userns(s->service, &s->users);
                if (r < 0 && r != -ESRCH) {
                        log_error_errno(r, "status: the user namespace of PID %d: %m", (int) s->service);
                        s->failed = true;
                }
                s->users_known = r >= 0;
        }
        return 0;
}

/* The use of the state image, when there is one (status-disk.h). */
static int status_image(Status *s, int state) {
        int r = status_disk(state, s->state_path, s->init, &s->image_used, &s->image_size);

        s->has_image = r != -ENOENT;
        s->image_known = r >= 0;
        return r == -ENOENT ? 0 : r;
}

/* The size of STATE_ROOT/NAME, when it exists. */
static int status_state(Status *s, const char *state_root) {
        _cleanup_close_ int root = -EBADF, state = -EBADF;
        int r, k;

        s->state_path = path_join2(state_root, s->name);
        if (!s->state_path)
                return log_oom();
        root = state_root_walk(state_root, 0);
        if (root >= 0)
                state = state_step_down(root, s->name, s->state_path, 0);
        if (root == -ENOENT || state == -ENOENT)
                return 0;
        /* there, or where it cannot be told: its size is unknown */
        s->has_state = true;
        if (root < 0)
                return root;
        if (state < 0)
                return state;
        r = tree_disk_usage(state, s->state_path, &s->state_bytes);
        s->has_size = r >= 0;
        if (status_image(s, state) < 0)
                return -EIO;
        /* logged; the rest is still shown */
        k = status_userns_range(state, &s->range);
        s->has_range = k >= 0;
        if (k < 0 && k != -ENOENT)
                return k;
        return r;
}

/* "12.0K", "3.4M": powers of 1024, as du -h */
static void format_bytes(char buf[static 32], uint64_t bytes) {
        static const char suffixes[] = "KMGTPE";
        double v = (double) bytes;
        size_t i = 0;

        if (bytes < 1024) {
                snprintf(buf, 32, "%" PRIu64 "B", bytes);
                return;
        }
        for (v /= 1024; v >= 1024 && i + 1 < sizeof(suffixes) - 1; i++)
                v /= 1024;
        snprintf(buf, 32, "%.1f%c", v, suffixes[i]);
}

/* "2h 5min", "3min 2s", "250ms": the two largest units */
static void format_timespan(char buf[static 64], uint64_t usec) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                { "d", 86400 * USEC_PER_SEC }, { "h", 3600 * USEC_PER_SEC }, { "min", 60 * USEC_PER_SEC },
                { "s", USEC_PER_SEC }, { "ms", 1000 },
        };
        size_t n = 0;
        int shown = 0;

        for (size_t i = 0; i < ELEMENTSOF(units) && shown < 2; i++) {
                if (usec < units[i].usec || (shown && units[i].usec < USEC_PER_SEC))
                        continue;
                n += (size_t) snprintf(buf + n, 64 - n, "%s%" PRIu64 "%s", shown ? " " : "", usec / units[i].usec,
                                       units[i].suffix);
                usec %= units[i].usec;
                shown++;
        }
        if (!shown)
                snprintf(buf, 64, "%" PRIu64 "us", usec);
}

static void print_unit_text(const Status *s) {
        const UnitInfo *u = &s->info;

        if (!s->has_info) {
                printf("       unit: unknown (%s)\n", s->unit_error ? s->unit_error : "not asked");
                return;
        }
        printf("       unit: %s: %s, %s (%s)", s->unit, u->load_state, u->active_state, u->sub_state);
        if (unit_is_active(u) && u->active_enter_realtime > 0) {
                time_t t = (time_t) (u->active_enter_realtime / USEC_PER_SEC);
                char since[64] = "?", ago[64];
                struct tm tm;

                if (localtime_r(&t, &tm))
                        strftime(since, sizeof(since), "%a %Y-%m-%d %H:%M:%S %Z", &tm);
                format_timespan(ago, s->uptime);
                printf(" since %s; %s ago", since, ago);
        }
        putchar('\n');
        if (u->main_pid > 0)
                printf("   main PID: %" PRIu32 "\n", u->main_pid);
}

static void print_mounts_text(const Status *s) {
        int width = 1;

        printf("     mounts: %zu%s\n", s->n_mounts, s->mounts_truncated ? " (more not shown)" : "");
        for (size_t i = 0; i < s->n_mounts; i++)
                if ((int) strlen(s->mounts[i].path) > width)
                        width = (int) strlen(s->mounts[i].path);
        if (width > 40)
                width = 40;
        for (size_t i = 0; i < s->n_mounts; i++) {
                int pad = width - (int) strlen(s->mounts[i].path);

                fputs("             ", stdout);
                _cleanup_free_ char *fstype = state_path_shown(s->mounts[i].fstype);

                print_escaped(s->mounts[i].path, stdout);
                /* escaped too: a FUSE server names its own subtype */
                printf("%*s  %-10s %s\n", pad > 0 ? pad : 0, "", fstype ? fstype : "?",
                       s->mounts[i].read_only ? "ro" : "rw");
        }
}

static void print_text(const Status *s) {
        char size[32];

        printf("%s%s%s\n", s->name, s->description ? " - " : "", s->description ? s->description : "");
        if (!s->profile)
                printf("    profile: none (no %s%s on the search path)\n", s->name, PROFILE_SUFFIX);
        else
                printf("    profile: %s%s\n", s->profile, s->profile_valid ? "" : " (invalid; see sandboxctl validate)");
        print_unit_text(s);
        if (!s->running)
                printf("    sandbox: not running\n");
        else if (!s->helper)
                printf("    sandbox: running (helper PID unknown)\n");
        else if (!s->init)
                printf("    sandbox: running (helper PID %d; its PID 1 not found)\n", (int) s->helper);
        else
                printf("    sandbox: running (helper PID %d, the sandbox's PID 1 is %d)\n", (int) s->helper,
                       (int) s->init);
        if (s->init && !s->service)
                printf("      label: unknown (no service process)\n");
        else if (s->init && !s->label_known)
                printf("      label: unknown (it could not be read)\n");
        else if (s->init) {
                fputs("      label: ", stdout);
                print_escaped(s->label ? s->label : "none", stdout);
                putchar('\n');
        }
        if (s->init && s->users_known)
                printf("      users: %s%s\n", s->users ? "a user namespace of its own: " : "the host's",
                       s->users ? s->users : "");
        /* the sandbox's for as long as its state exists, running or not */
        if (s->has_range)
                printf("      range: %" PRIu32 "-%" PRIu32 " (private%s)\n", s->range.base,
                       s->range.base + (s->range.size - 1),
                       s->range.shifting ? "; the shift of its state is not finished, done again at the next start" : "");
        if (s->has_lease)
                status_network_print(&s->lease);
        if (!s->has_state)
                printf("      state: none (no %s)\n", s->state_path);
        else if (!s->has_size)
                printf("      state: %s, size unknown\n", s->state_path);
        else {
                format_bytes(size, s->state_bytes);
                printf("      state: %s, %s\n", s->state_path, size);
        }
        if (s->has_image && !s->image_known)
                printf("       disk: %s, use unknown\n", STATE_IMAGE_NAME);
        else if (s->has_image) {
                char used[32];

                format_bytes(used, s->image_used);
                format_bytes(size, s->image_size);
                printf("       disk: %s used of %s (%" PRIu64 "%%), in %s\n", used, size,
                       s->image_size ? s->image_used * 100 / s->image_size : 0, STATE_IMAGE_NAME);
        }
        if (s->has_mounts)
                print_mounts_text(s);
}

/* ", KEY: N", or null when not known */
static void json_append_number(Buffer *b, const char *key, uint64_t n, bool known) {
        if (known)
                buffer_printf(b, ", \"%s\": %" PRIu64, key, n);
        else
                buffer_printf(b, ", \"%s\": null", key);
}

static void json_append_unit(Buffer *b, const Status *s) {
        const UnitInfo *u = &s->info;

        buffer_append(b, ",\n \"unit\": {\"name\": ");
        json_append_string(b, s->unit);
        buffer_append(b, ", \"load_state\": ");
        json_append_string(b, u->load_state);
        buffer_append(b, ", \"active_state\": ");
        json_append_string(b, u->active_state);
        buffer_append(b, ", \"sub_state\": ");
        json_append_string(b, u->sub_state);
        json_append_number(b, "main_pid", u->main_pid, u->main_pid > 0);
        json_append_number(b, "active_enter_realtime_usec", u->active_enter_realtime, u->active_enter_realtime > 0);
        json_append_number(b, "uptime_usec", s->uptime, s->has_info && unit_is_active(u));
        buffer_append(b, ", \"error\": ");
        json_append_string(b, s->unit_error);
        buffer_append_char(b, '}');
}

static int print_json(const Status *s) {
        _cleanup_buffer_ Buffer b = {};

        buffer_append(&b, "{\"name\": ");
        json_append_string(&b, s->name);
        buffer_append(&b, ",\n \"profile\": ");
        json_append_path(&b, s->profile);
        buffer_printf(&b, ", \"profile_valid\": %s, \"description\": ",
                      !s->profile ? "null" : s->profile_valid ? "true" : "false");
        json_append_string(&b, s->description);
        json_append_unit(&b, s);
        buffer_printf(&b, ",\n \"running\": %s", s->running ? "true" : "false");
        json_append_number(&b, "helper_pid", (uint64_t) s->helper, s->helper > 0);
        json_append_number(&b, "init_pid", (uint64_t) s->init, s->init > 0);
        json_append_number(&b, "service_pid", (uint64_t) s->service, s->service > 0);
        buffer_append(&b, ", \"label\": ");
        json_append_path(&b, s->label);
        buffer_append(&b, ",\n ");
        status_userns_json(&b, s->has_range ? &s->range : NULL, s->users);
        buffer_append(&b, ",\n ");
        status_network_json(&b, s->network_mode, s->has_lease ? &s->lease : NULL);
        buffer_append(&b, ",\n \"state_path\": ");
        json_append_path(&b, s->state_path);
        json_append_number(&b, "state_bytes", s->state_bytes, s->has_size);
        /* null: no cap; the figures null: not known */
        buffer_append(&b, ",\n \"state_disk\": ");
        if (!s->has_image)
                buffer_append(&b, "null");
        else {
                buffer_append(&b, "{\"image\": ");
                json_append_string(&b, STATE_IMAGE_NAME);
                json_append_number(&b, "used_bytes", s->image_used, s->image_known);
                json_append_number(&b, "size_bytes", s->image_size, s->image_known);
                buffer_append_char(&b, '}');
        }
        buffer_append(&b, ",\n \"mounts\": ");
        if (!s->has_mounts)
                buffer_append(&b, "null");
        for (size_t i = 0; s->has_mounts && i <= s->n_mounts; i++) {
                if (i == s->n_mounts) {
                        buffer_append(&b, i ? "\n ]" : "[]");
                        break;
                }
                buffer_append(&b, i ? ",\n  {\"path\": " : "[\n  {\"path\": ");
                json_append_path(&b, s->mounts[i].path);
                buffer_append(&b, ", \"fstype\": ");
                json_append_path(&b, s->mounts[i].fstype);
                buffer_printf(&b, ", \"read_only\": %s}", s->mounts[i].read_only ? "true" : "false");
        }
        buffer_printf(&b, ", \"mounts_truncated\": %s}\n", s->mounts_truncated ? "true" : "false");
        if (b.oom)
                return log_oom();
        fputs(b.data, stdout);
        return 0;
}

void verb_status_help(_unused_ const char *verb) {
        printf("sandboxctl status [--state-root=DIR] [--json] NAME\n\n"
               "Shows sandbox NAME: its profile, its unit sandbox@NAME.service as systemd\n"
               "sees it, whether it runs (its helper holds %s/NAME/lock), the mounts\n"
               "in it, its service's security label and user namespace, its bridged network's\n"
               "interface, addresses and forwards, the range of host IDs its state has\n"
               "(<user-namespace mode=\"private\"/>), and the size of its state.\n"
               "Exit status 0 when it runs, 3 when not.\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --state-root=DIR    The sandboxes' state (default %s)\n"
               "     --json              Print a JSON object\n", RUNTIME_ROOT, STATE_ROOT_DEFAULT);
}

int verb_status(VerbArgs *a, char * const *dirs) {
        _cleanup_(status_done) Status s = { .name = a->operands[0] };
        const char *state_root = a->state_root;
        int r = 0;

        s.unit = sandbox_unit_name(s.name);
        if (!s.unit)
                return log_oom(), EXIT_INVALID;

        if (status_profile(&s, dirs) < 0 || status_running(&s) < 0)
                return EXIT_INVALID;
        if (status_state(&s, state_root) < 0)
                s.failed = true;
        if (!s.profile && !s.has_state && !s.running && !s.failed) {
                log_error("status: no sandbox named \"%s\": no profile %s%s on the search path, no state in %s, "
                          "and none running", s.name, s.name, PROFILE_SUFFIX, s.state_path);
                return EXIT_INVALID;
        }
        if (status_unit(&s) < 0)
                s.failed = true;

        if (arg_json)
                r = print_json(&s);
        else
                print_text(&s);
        if (r < 0 || s.failed)
                return EXIT_INVALID;
        return s.running ? EXIT_SUCCESS : EXIT_NOT_RUNNING;
}
