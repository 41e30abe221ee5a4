/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The unit's settings that pass through (sandbox.profile(5),
 * <unit-setting>), carried into the profile as they are: its resource
 * limits, umask, kill signal, watchdog, logging name, OOM score and
 * nice level, memory, CPU and IO settings, credentials, and its
 * dependencies on other units (IP address filters are <network>'s:
 * convert-network.c). Each value is checked as
 * validate checks it (unit-settings.c): one that would not pass is a
 * note, never dropped without a word.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert-settings.h"
#include "convert-widen.h"
#include "macro.h"
#include "names.h"
#include "strv.h"
#include "unit-settings.h"

/* one element, or a note when validate would refuse the value */
static int carry(Buffer *b, const char *name, const char *value, char ***notes) {
        const char *section, *why;

        if (!unit_setting_allowed(name, &section, NULL))
                return strv_appendf(notes, "%s=%s: not carried; it does not pass through", name, value);
        why = unit_setting_check_value(name, value);
        if (why)
                return strv_appendf(notes, "%s=%s: not carried; a <unit-setting> takes %s", name, value, why);
        buffer_printf(b, "  <unit-setting section=\"%s\" name=\"%s\" value=\"", section, name);
        buffer_append_xml(b, value);
        buffer_append(b, "\"/>\n");
        return 0;
}

bool convert_carried(const char *setting) {
        size_t n = strcspn(setting, "=");
        _cleanup_free_ char *name = strndup(setting, n);

        return name && setting[n] && unit_setting_allowed(name, NULL, NULL) &&
                !unit_setting_check_value(name, setting + n + 1);
}

/* what every service has from systemd (DefaultDependencies=yes, its
 * slice, the root file system), and the sandbox's unit has too */
static bool default_dependency(const char *unit) {
        static const char *const defaults[] = { "sysinit.target", "basic.target", "shutdown.target", "-.mount",
                                                "systemd-journald.socket", "network.target" };
        size_t n = strlen(unit);

        for (size_t i = 0; i < ELEMENTSOF(defaults); i++)
                if (streq(unit, defaults[i]))
                        return true;
        return n > 6 && streq(unit + n - 6, ".slice");
}

static int dependencies(Buffer *b, const char *name, char * const *units, char ***notes) {
        _cleanup_strv_free_ char **kept = NULL;
        _cleanup_free_ char *v = NULL;

        STRV_FOREACH(u, units)
                if (!default_dependency(*u) && !strv_contains(kept, *u) && strv_append(&kept, *u) < 0)
                        return -ENOMEM;
        if (!kept)
                return 0;
        v = strv_join(kept, " ");
        return v ? carry(b, name, v, notes) : -ENOMEM;
}

/* LimitX=SOFT:HARD where the unit's differ from the manager's default
 * (the sandbox's unit would have that): the time limits with their unit */
static int limits(Buffer *b, const UnitProps *u, char ***notes) {
        for (unsigned i = 0; u->have_limits && i < N_UNIT_LIMITS; i++) {
                uint64_t hard = u->limits[2 * i], soft = u->limits[2 * i + 1];
                const char *name = unit_limit_names[i];
                const char *unit = streq(name, "LimitCPU") ? "s" : streq(name, "LimitRTTIME") ? "us" : "";
                char s[32], h[32], v[72];

                if (hard == u->default_limits[2 * i] && soft == u->default_limits[2 * i + 1])
                        continue;
                if (soft == UINT64_MAX)
                        snprintf(s, sizeof(s), "infinity");
                else
                        snprintf(s, sizeof(s), "%llu%s", (unsigned long long) soft, unit);
                if (hard == UINT64_MAX)
                        snprintf(h, sizeof(h), "infinity");
                else
                        snprintf(h, sizeof(h), "%llu%s", (unsigned long long) hard, unit);
                snprintf(v, sizeof(v), "%s:%s", s, h);
                if (carry(b, name, v, notes) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int numbers(Buffer *b, const UnitProps *u, char ***notes) {
        char v[64];

        if (u->umask != 0022) {
                snprintf(v, sizeof(v), "%04o", (unsigned) u->umask);
                if (carry(b, "UMask", v, notes) < 0)
                        return -ENOMEM;
        }
        if (u->kill_signal > 0 && u->kill_signal != SIGTERM) {
                const char *s = u->kill_signal < 32 ? sigabbrev_np(u->kill_signal) : NULL;

                if (s)
                        snprintf(v, sizeof(v), "SIG%s", s);
                else
                        snprintf(v, sizeof(v), "%d", (int) u->kill_signal);
                if (carry(b, "KillSignal", v, notes) < 0)
                        return -ENOMEM;
        }
        if (u->watchdog_usec > 0 && u->watchdog_usec != UINT64_MAX) {
                snprintf(v, sizeof(v), "%lluus", (unsigned long long) u->watchdog_usec);
                if (carry(b, "WatchdogSec", v, notes) < 0)
                        return -ENOMEM;
        }
        if (u->oom_score_adjust != 0) {
                snprintf(v, sizeof(v), "%d", (int) u->oom_score_adjust);
                if (carry(b, "OOMScoreAdjust", v, notes) < 0)
                        return -ENOMEM;
        }
        if (u->nice != 0) {
                snprintf(v, sizeof(v), "%d", (int) u->nice);
                if (carry(b, "Nice", v, notes) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int convert_unit_settings(Buffer *b, const UnitProps *u, char ***notes) {
        const struct {
                const char *name;
                char **units;
        } deps[] = {
                { "After", u->after }, { "Before", u->before }, { "Wants", u->wants },
                { "Requires", u->requires }, { "PartOf", u->part_of }, { "BindsTo", u->binds_to },
        };

        for (size_t i = 0; i < ELEMENTSOF(deps); i++)
                if (dependencies(b, deps[i].name, deps[i].units, notes) < 0)
                        return -ENOMEM;
        if (limits(b, u, notes) < 0 || numbers(b, u, notes) < 0)
                return -ENOMEM;
        /* Limit*= read from files, MemoryHigh=, CPUWeight=, IO*Max= */
        STRV_FOREACH(c, u->confining) {
                size_t n = strcspn(*c, "=");
                _cleanup_free_ char *name = strndup(*c, n);

                if (!name)
                        return -ENOMEM;
                if (convert_carried(*c) && carry(b, name, *c + n + 1, notes) < 0)
                        return -ENOMEM;
        }
        if (u->syslog_identifier && *u->syslog_identifier && carry(b, "SyslogIdentifier", u->syslog_identifier, notes) < 0)
                return -ENOMEM;
        STRV_FOREACH(c, u->load_credential)
                if (carry(b, "LoadCredential", *c, notes) < 0)
                        return -ENOMEM;
        STRV_FOREACH(c, u->set_credential)
                if (!strchr(*c, ':') ? strv_appendf(notes, "SetCredential=%s: not carried; its data is not one line of "
                                                    "text that a unit file takes as it is: give it with LoadCredential= "
                                                    "from a file", *c) < 0
                                     : carry(b, "SetCredential", *c, notes) < 0)
                        return -ENOMEM;
        /* not carried, and nothing to refuse: the node is not in the
         * sandbox's /dev, which confines more (DevicePolicy=strict:
         * convert-widen.c) */
        STRV_FOREACH(d, u->device_allow)
                if (strv_appendf(notes, "DeviceAllow=%s: not carried; the sandbox's /dev has only its own "
                                 "pseudo-devices and its <block> devices", *d) < 0)
                        return -ENOMEM;
        return b->oom ? -ENOMEM : 0;
}
