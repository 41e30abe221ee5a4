/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "macro.h"
#include "unit-bus.h"

#define SYSTEMD_PRIVATE_SOCKET "/run/systemd/private"

int unit_bus_open(sd_bus **ret) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;

        if (geteuid() == 0 && !getenv("DBUS_SYSTEM_BUS_ADDRESS") && sd_bus_new(&bus) >= 0 &&
            sd_bus_set_address(bus, "unix:path=" SYSTEMD_PRIVATE_SOCKET) >= 0 && sd_bus_start(bus) >= 0) {
                *ret = TAKE_PTR(bus);
                return 0;
        }
        return sd_bus_open_system(ret);
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

