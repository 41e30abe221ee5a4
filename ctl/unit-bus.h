/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What sandboxctl asks systemd's manager about sandbox@NAME.service, over
 * sd-bus: the unit's states, its main process and since when it is
 * active, or the active state of all sandboxes at once. Nothing here
 * logs: the callers say what failed, once, where they handle it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#define MANAGER_SERVICE "org.freedesktop.systemd1"
#define MANAGER_PATH "/org/freedesktop/systemd1"
#define MANAGER_INTERFACE "org.freedesktop.systemd1.Manager"

/* sandbox@NAME.service as systemd's manager sees it. */
typedef struct UnitInfo {
        char *load_state;   /* "loaded", "not-found", ... */
        char *active_state; /* "active", "inactive", "failed", ... */
        char *sub_state;    /* "running", "dead", ... */
        uint32_t main_pid;  /* 0: none */
        /* when it last became active, in µs of CLOCK_REALTIME and of
         * CLOCK_MONOTONIC; 0 when it never did */
        uint64_t active_enter_realtime;
        uint64_t active_enter_monotonic;
} UnitInfo;

void unit_info_done(UnitInfo *u);

/* As root, systemd's own socket first, as systemctl does, so that no bus
 * daemon is needed; else the system bus. An address given for the system
 * bus ($DBUS_SYSTEM_BUS_ADDRESS) wins, but only as a "unix:path=" socket
 * of root's (or the caller's), in directories only root writes, on which
 * root (or the caller) listens: another is refused with -EPERM, and a
 * line that says why. Returns 0 or -errno. */
int unit_bus_open(sd_bus **ret);

/* unit_bus_open() for a question to systemd's manager, where its
 * absence is no error: 1 and *ret; or 0 and *ret_why, what says that
 * there is none to ask (the system was not booted with systemd, there
 * is no bus, or $DBUS_SYSTEM_BUS_ADDRESS names one that is refused, and
 * why); or -ENOMEM. */
int unit_bus_open_manager(sd_bus **ret, char **ret_why);

/* Whether a failed call (error e) means that there is no systemd manager
 * to ask: no bus, or nobody on it who owns systemd's name. */
bool unit_bus_unreachable(const sd_bus_error *e);

/* The bus error's message, else strerror(r). */
const char *unit_bus_error_text(const sd_bus_error *e, int r);

/* "sandbox@NAME.service", or NULL when out of memory. */
char *sandbox_unit_name(const char *name);

/* unit's object path: GetUnit when systemd has it loaded, else LoadUnit,
 * which loads it (from a template, or as not found) to answer. */
int unit_object_path(sd_bus *bus, const char *unit, sd_bus_error *error, char **ret);

/* The states of unit (loaded first if systemd has not yet), into *ret.
 * Returns 0 or -errno with error set by the failed call. */
int unit_info_get(sd_bus *bus, const char *unit, UnitInfo *ret, sd_bus_error *error);

/* Every sandbox@*.service that systemd has loaded, as pairs of unit name
 * and ActiveState in one vector (name, state, name, state, ...): a unit
 * not among them is inactive. One call for any number of sandboxes. */
int unit_active_states(sd_bus *bus, char ***ret, sd_bus_error *error);

/* The ActiveState of unit in the pairs of unit_active_states(). */
const char *unit_active_state_of(char * const *pairs, const char *unit);
