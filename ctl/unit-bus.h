/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What sandboxctl asks systemd's manager about sandbox@NAME.service, over
 * sd-bus. Nothing here logs: the callers say what failed, once, where
 * they handle it.
 */

#include <stdbool.h>

#include <systemd/sd-bus.h>

/* As root, systemd's own socket first, as systemctl does, so that no bus
 * daemon is needed; else the system bus. An address given for the system
 * bus ($DBUS_SYSTEM_BUS_ADDRESS) wins. Returns 0 or -errno. */
int unit_bus_open(sd_bus **ret);

/* Whether a failed call (error e) means that there is no systemd manager
 * to ask: no bus, or nobody on it who owns systemd's name. */
bool unit_bus_unreachable(const sd_bus_error *e);

/* The bus error's message, else strerror(r). */
const char *unit_bus_error_text(const sd_bus_error *e, int r);

/* "sandbox@NAME.service", or NULL when out of memory. */
char *sandbox_unit_name(const char *name);

