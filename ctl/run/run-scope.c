/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sandboxctl run under systemd: a transient scope with the unit's limits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "log.h"
#include "macro.h"
#include "run-limits.h"
#include "unit-bus.h"

typedef struct JobWait {
        const char *job;
        char *result; /* set once JobRemoved for job came */
} JobWait;

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        JobWait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        (void) error;
        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0 || !w->job || !streq(path, w->job))
                return 0;
        w->result = strdup(result);
        return 0;
}

static int append_limits(sd_bus_message *m, const RunLimits *l) {
        int r = 0;

        /* the properties the unit's MemoryMax=, TasksMax=, CPUQuota= and
         * IOWeight= set (compile-unit.c), as the bus names them */
        if (l->memory_max != UINT64_MAX)
                r = sd_bus_message_append(m, "(sv)", "MemoryMax", "t", l->memory_max);
        if (r >= 0 && l->tasks_max != UINT64_MAX)
                r = sd_bus_message_append(m, "(sv)", "TasksMax", "t", l->tasks_max);
        if (r >= 0 && l->cpu_quota_usec != UINT64_MAX)
                r = sd_bus_message_append(m, "(sv)", "CPUQuotaPerSecUSec", "t", l->cpu_quota_usec);
        if (r >= 0 && l->io_weight != 0)
                r = sd_bus_message_append(m, "(sv)", "IOWeight", "t", l->io_weight);
        return r;
}

int run_scope_enter(const char *name, const RunLimits *l) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *unit = NULL, *description = NULL, *job = NULL;
        JobWait w = {};
        const char *j;
        int r;

        if (asprintf(&unit, "sandbox-run-%s-%d.scope", name, (int) getpid()) < 0 ||
            asprintf(&description, "Sandbox %s (sandboxctl run)", name) < 0)
                return log_oom();
        r = unit_bus_open(&bus);
        if (r < 0)
                return log_error_errno(r, "%s: cannot reach systemd's manager to apply <resources>: %m", name);
        /* before the call, so that the job's end cannot be missed */
        r = sd_bus_match_signal(bus, &slot, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, "JobRemoved",
                                on_job_removed, &w);
        if (r < 0)
                return log_error_errno(r, "%s: systemd's manager: %m", name);

        r = sd_bus_message_new_method_call(bus, &m, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, "StartTransientUnit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", unit, "fail");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)", "Description", "s", description, "Slice", "s", "sandbox.slice",
                                          "PIDs", "au", 1, (uint32_t) getpid(), "CollectMode", "s", "inactive-or-failed");
        if (r >= 0)
                r = append_limits(m, l);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                return log_error_errno(r, "%s: StartTransientUnit: %m", name);
        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return log_error_errno(r, "%s: cannot start the scope %s with the profile's <resources>: %s", name, unit,
                                       unit_bus_error_text(&error, r));
        r = sd_bus_message_read(reply, "o", &j);
        if (r < 0 || !(job = strdup(j)))
                return log_error_errno(r < 0 ? r : -ENOMEM, "%s: StartTransientUnit's reply: %m", name);
        w.job = job;

        while (!w.result) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return log_error_errno(r, "%s: waiting for the scope %s: %m", name, unit);
                if (r == 0 && (r = sd_bus_wait(bus, UINT64_MAX)) < 0)
                        return log_error_errno(r, "%s: waiting for the scope %s: %m", name, unit);
        }
        _cleanup_free_ char *result = w.result;
        if (!streq(result, "done"))
                return log_error_errno(-EIO, "%s: the scope %s did not start (job result \"%s\")", name, unit, result);
        log_debug("%s: in %s", name, unit);
        return 0;
}
