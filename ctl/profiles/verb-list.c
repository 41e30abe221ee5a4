/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "log.h"
#include "run-lock.h"
#include "sandboxctl.h"
#include "search-path.h"
#include "state.h"
#include "state-dir.h"
#include "status-network.h"
#include "status-userns.h"
#include "strv.h"
#include "unit-bus.h"

typedef struct Row {
        const ProfileEntry *entry;
        bool valid;
        char *error;      /* the first problem, when invalid */
        char **wanted_by; /* autostart: the units that want it */
        const char *unit_state; /* ActiveState of sandbox@NAME.service; NULL without systemd */
        const char *network_mode; /* the profile's; NULL when invalid */
        NetLease *lease;  /* a bridged network's, while it runs */
        StatusRange range; /* <user-namespace mode="private"/>: kept in its state */
        bool has_range;
        char *users;      /* its service's user namespace's maps; NULL: the host's, or not known */
} Row;

static void load_row(Row *row, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        Diagnostics diags = {};
        int r;

        r = profile_load(row->entry->path, dirs, &p, &diags);
        if (r >= 0) {
                row->valid = true;
                row->wanted_by = TAKE_PTR(p->wanted_by);
                row->network_mode = network_mode_to_string(p->network);
        } else if (diags.n > 0)
                row->error = diag_format(&diags.items[0]);
        else
                (void) asprintf(&row->error, "%s: cannot load: %s", row->entry->path, strerror(-r));
        diagnostics_done(&diags);
}

/* The ActiveState of each row's unit, from one question to systemd for
 * all of them; none without systemd, and none (after a warning) when it
 * cannot say: the list is what matters. Returns the states, which the
 * rows point into, for the caller to free. */
static char **load_unit_states(Row *rows, size_t n) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *why = NULL;
        char **states = NULL;
        int r;

        if (n == 0)
                return NULL;
        r = unit_bus_open_manager(&bus, &why);
        if (r <= 0)
                return NULL;
        r = unit_active_states(bus, &states, &error);
        if (r < 0) {
                if (r == -ENOMEM)
                        log_oom();
                else if (!unit_bus_unreachable(&error))
                        log_warning("list: cannot ask systemd for the sandboxes' unit states: %s",
                                    unit_bus_error_text(&error, r));
                return NULL;
        }
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *unit = sandbox_unit_name(rows[i].entry->name);

                if (!unit) {
                        log_oom();
                        break;
                }
                rows[i].unit_state = unit_active_state_of(states, unit);
        }
        return states;
}

/* The lease of each row's sandbox that has one and runs; whether it
 * runs by its run lock, not waiting for one that has ended (a lease
 * lives until its lock is let go of). What cannot be read is not shown:
 * the list is what matters. */
static void load_leases(Row *rows, size_t n) {
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ NetLease *l = malloc(sizeof(NetLease));
                const char *name = rows[i].entry->name;
                bool held = false;

                if (!l || status_network_read(name, l) <= 0)
                        continue;
                if (sandbox_locks_held_now(NULL, &name, 1, &held) < 0 || !held)
                        continue;
                rows[i].lease = TAKE_PTR(l);
                rows[i].network_mode = "bridge";
        }
}

/* The range each row's sandbox keeps in its state, and the maps of its
 * service's user namespace while it runs (status-userns.h). The state
 * is root's: for another user, or when what is there is not a range of
 * ours (logged), none is shown; the list is what matters. */
static void load_users(Row *rows, size_t n) {
        _cleanup_close_ int root = -EBADF;

        if (n > 0 && geteuid() == 0)
                root = state_root_walk(STATE_ROOT_DEFAULT, STATE_PATH);
        for (size_t i = 0; i < n; i++) {
                const char *name = rows[i].entry->name;

                if (root >= 0) {
                        _cleanup_free_ char *path = path_join2(STATE_ROOT_DEFAULT, name);
                        _cleanup_close_ int state = path ? state_step_down(root, name, path, STATE_PATH) : -ENOMEM;
                        /* a record that is not one of ours is logged, not shown */
                        int r = state >= 0 ? status_userns_range(state, &rows[i].range) : state;

                        rows[i].has_range = r >= 0;
                }
                (void) status_userns_running(name, &rows[i].users);
        }
}

static void print_json(Row *rows, size_t n) {
        _cleanup_buffer_ Buffer b = {};

        buffer_append_char(&b, '[');
        for (size_t i = 0; i < n; i++) {
                buffer_append(&b, i ? ",\n {" : "\n {");
                buffer_append(&b, "\"name\": ");
                json_append_string(&b, rows[i].entry->name);
                buffer_append(&b, ", \"path\": ");
                json_append_string(&b, rows[i].entry->path);
                buffer_printf(&b, ", \"valid\": %s, \"error\": ", rows[i].valid ? "true" : "false");
                json_append_string(&b, rows[i].error);
                buffer_printf(&b, ", \"autostart\": %s, \"wanted_by\": [", rows[i].wanted_by ? "true" : "false");
                STRV_FOREACH(w, rows[i].wanted_by) {
                        if (w != rows[i].wanted_by)
                                buffer_append(&b, ", ");
                        json_append_string(&b, *w);
                }
                buffer_append(&b, "], \"unit_state\": ");
                json_append_string(&b, rows[i].unit_state);
                buffer_append(&b, ",\n  ");
                status_network_json(&b, rows[i].network_mode, rows[i].lease);
                buffer_append(&b, ",\n  ");
                status_userns_json(&b, rows[i].has_range ? &rows[i].range : NULL, rows[i].users);
                buffer_append_char(&b, '}');
        }
        buffer_append(&b, n ? "\n]\n" : "]\n");
        if (b.oom)
                log_oom();
        else
                fputs(b.data, stdout);
}

static void print_table(Row *rows, size_t n, size_t n_skipped) {
        int wname = 4, wauto = 9, wunit = 4;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *w = strv_join(rows[i].wanted_by, ",");
                int k = (int) strlen(rows[i].entry->name);
                if (k > wname)
                        wname = k;
                if (w && (int) strlen(w) > wauto)
                        wauto = (int) strlen(w);
                if (rows[i].unit_state && (int) strlen(rows[i].unit_state) > wunit)
                        wunit = (int) strlen(rows[i].unit_state);
        }
        printf("%-*s %-7s %-*s %-*s %s\n", wname, "NAME", "STATE", wauto, "AUTOSTART", wunit, "UNIT", "PATH");
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *w = strv_join(rows[i].wanted_by, ",");

                printf("%-*s %-7s %-*s %-*s %s\n", wname, rows[i].entry->name, rows[i].valid ? "valid" : "invalid",
                       wauto, w && *w ? w : "-", wunit, rows[i].unit_state ? rows[i].unit_state : "-", rows[i].entry->path);
                if (!rows[i].valid && rows[i].error)
                        printf("%*s  %s\n", wname, "", rows[i].error);
        }
        if (n_skipped > 0)
                printf("\n%zu profiles listed; %zu directories skipped, their profiles not listed (why: on standard error).\n",
                       n, n_skipped);
        else
                printf("\n%zu profiles listed.\n", n);
}

int verb_list(_unused_ VerbArgs *a, char * const *dirs) {
        _cleanup_strv_free_ char **states = NULL, **skipped = NULL;
        ProfileEntry *entries = NULL;
        Row *rows;
        size_t n = 0;
        int r;

        r = profile_enumerate(dirs, &entries, &n, &skipped);
        if (r < 0)
                return log_error_errno(r, "cannot list profiles: %m"), EXIT_INVALID;
        /* on stderr, so that --json's output keeps its form */
        STRV_FOREACH(m, skipped)
                log_warning("%s; its profiles are not listed", *m);
        rows = calloc(n ? n : 1, sizeof(*rows));
        if (!rows) {
                profile_entries_free(entries, n);
                return log_oom(), EXIT_INVALID;
        }
        for (size_t i = 0; i < n; i++) {
                rows[i].entry = &entries[i];
                load_row(&rows[i], dirs);
        }
        states = load_unit_states(rows, n);
        if (arg_json) {
                load_leases(rows, n);
                load_users(rows, n);
                print_json(rows, n);
        } else
                print_table(rows, n, strv_length(skipped));
        for (size_t i = 0; i < n; i++) {
                free(rows[i].error);
                strv_free(rows[i].wanted_by);
                free(rows[i].lease);
                free(rows[i].users);
        }
        free(rows);
        profile_entries_free(entries, n);
        return 0;
}
