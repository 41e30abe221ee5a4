/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert-widen.h"
#include "macro.h"
#include "strv.h"
#include "unit-bus.h"
#include "unit-props.h"
#include "unit-props-read.h"

typedef enum Kind { STRING, STRV, BOOL, U32, I32, U64, COMMANDS, ENV_FILES, BINDS, LIST, ADDRESSES, PAIRS, LABEL, CREDENTIALS } Kind;

typedef struct Property {
        const char *name;
        Kind kind;
        size_t offset;
} Property;

#define P(name, kind, field) { name, kind, offsetof(UnitProps, field) }

static const Property unit_properties[] = {
        P("Id", STRING, id),
        P("Description", STRING, description),
        P("LoadState", STRING, load_state),
        P("ActiveState", STRING, active_state),
        P("UnitFileState", STRING, unit_file_state),
        P("FragmentPath", STRING, fragment_path),
        P("TriggeredBy", STRV, triggered_by),
        P("WantedBy", STRV, wanted_by),
        P("DropInPaths", STRV, dropin_paths),
        P("After", STRV, after),
        P("Before", STRV, before),
        P("Wants", STRV, wants),
        P("Requires", STRV, requires),
        P("PartOf", STRV, part_of),
        P("BindsTo", STRV, binds_to),
};

static const Property service_properties[] = {
        P("Type", STRING, type),
        P("Restart", STRING, restart),
        P("User", STRING, user),
        P("Group", STRING, group),
        P("WorkingDirectory", STRING, working_directory),
        P("RootDirectory", STRING, root_directory),
        P("PIDFile", STRING, pid_file),
        P("BusName", STRING, bus_name),
        P("SupplementaryGroups", STRV, supplementary_groups),
        P("Environment", STRV, environment),
        P("EnvironmentFiles", ENV_FILES, environment_files),
        P("ExecStart", COMMANDS, exec_start),
        P("ExecStartPre", COMMANDS, exec_start_pre),
        P("ExecStartPost", COMMANDS, exec_start_post),
        P("ExecReload", COMMANDS, exec_reload),
        P("ExecStop", COMMANDS, exec_stop),
        P("ExecStopPost", COMMANDS, exec_stop_post),
        P("ExecCondition", COMMANDS, exec_condition),
        P("StateDirectory", STRV, state_directory),
        P("CacheDirectory", STRV, cache_directory),
        P("LogsDirectory", STRV, logs_directory),
        P("RuntimeDirectory", STRV, runtime_directory),
        P("RuntimeDirectoryMode", U32, runtime_directory_mode),
        P("ConfigurationDirectory", STRV, configuration_directory),
        P("ReadWritePaths", STRV, read_write_paths),
        P("ReadOnlyPaths", STRV, read_only_paths),
        P("InaccessiblePaths", STRV, inaccessible_paths),
        P("BindPaths", BINDS, bind_paths),
        P("BindReadOnlyPaths", BINDS, bind_read_only_paths),
        P("PrivateTmp", BOOL, private_tmp),
        P("PrivateNetwork", BOOL, private_network),
        P("NoNewPrivileges", BOOL, no_new_privileges),
        P("DynamicUser", BOOL, dynamic_user),
        P("RemainAfterExit", BOOL, remain_after_exit),
        P("CapabilityBoundingSet", U64, capability_bounding_set),
        P("AmbientCapabilities", U64, ambient_capabilities),
        P("MemoryMax", U64, memory_max),
        P("TasksMax", U64, tasks_max),
        P("CPUQuotaPerSecUSec", U64, cpu_quota_per_sec_usec),
        P("IOWeight", U64, io_weight),
        P("RestartUSec", U64, restart_usec),
        P("TimeoutStartUSec", U64, timeout_start_usec),
        P("TimeoutStopUSec", U64, timeout_stop_usec),
        P("KillMode", STRING, kill_mode),
        P("SyslogIdentifier", STRING, syslog_identifier),
        P("UMask", U32, umask),
        P("OOMScoreAdjust", I32, oom_score_adjust),
        P("Nice", I32, nice),
        P("RestrictNamespaces", U64, restrict_namespaces),
        P("ProtectClock", BOOL, protect_clock),
        P("SystemCallErrorNumber", I32, system_call_errno),
        P("IPAddressAllow", ADDRESSES, ip_address_allow),
        P("IPAddressDeny", ADDRESSES, ip_address_deny),
        P("TemporaryFileSystem", PAIRS, temporary_filesystem),
        P("DevicePolicy", STRING, device_policy),
        P("DeviceAllow", PAIRS, device_allow),
        P("AppArmorProfile", LABEL, apparmor_profile),
        P("SELinuxContext", LABEL, selinux_context),
        P("KillSignal", I32, kill_signal),
        P("WatchdogUSec", U64, watchdog_usec),
        P("LoadCredential", PAIRS, load_credential),
        P("SetCredential", CREDENTIALS, set_credential),
};

static void commands_done(UnitCommands *c) {
        for (size_t i = 0; i < c->n; i++) {
                free(c->items[i].path);
                strv_free(c->items[i].argv);
        }
        free(c->items);
        *c = (UnitCommands) {};
}

static void binds_done(UnitBinds *b) {
        for (size_t i = 0; i < b->n; i++) {
                free(b->items[i].source);
                free(b->items[i].target);
        }
        free(b->items);
        *b = (UnitBinds) {};
}

void unit_props_done(UnitProps *u) {
        const Property *tables[] = { unit_properties, service_properties };
        const size_t sizes[] = { ELEMENTSOF(unit_properties), ELEMENTSOF(service_properties) };

        for (size_t t = 0; t < 2; t++)
                for (size_t i = 0; i < sizes[t]; i++) {
                        void *field = (char *) u + tables[t][i].offset;

                        switch (tables[t][i].kind) {
                        case STRING:
                                free(*(char **) field);
                                break;
                        case LABEL:
                                free(*(char **) field);
                                break;
                        case STRV:
                        case ENV_FILES:
                        case LIST:
                        case ADDRESSES:
                        case PAIRS:
                        case CREDENTIALS:
                                strv_free(*(char ***) field);
                                break;
                        case COMMANDS:
                                commands_done(field);
                                break;
                        case BINDS:
                                binds_done(field);
                                break;
                        default:
                                break;
                        }
                }
        strv_free(u->confining);
        strv_free(u->system_call_filter);
        strv_free(u->accept_sockets);
        *u = (UnitProps) {};
}

/* LimitX or LimitXSoft: its index in u->limits, or -1 */
static int limit_index(const char *name) {
        for (unsigned i = 0; i < N_UNIT_LIMITS; i++) {
                size_t n = strlen(unit_limit_names[i]);

                if (strncmp(name, unit_limit_names[i], n) == 0 && (!name[n] || streq(name + n, "Soft")))
                        return (int) (2 * i + (name[n] != 0));
        }
        return -1;
}

static const char *const signatures[] = {
        [STRING] = "s", [STRV] = "as", [BOOL] = "b", [U32] = "u", [I32] = "i", [U64] = "t", [LIST] = "(bas)",
        [COMMANDS] = "a(sasbttttuii)", [ENV_FILES] = "a(sb)", [BINDS] = "a(ssbt)", [ADDRESSES] = "a(iayu)",
        [PAIRS] = "a(ss)", [LABEL] = "(bs)", [CREDENTIALS] = "a(say)",
};

static int read_value(sd_bus_message *m, const Property *p, UnitProps *u) {
        void *field = (char *) u + p->offset;
        const char *s;
        int b = 0, r;

        r = sd_bus_message_enter_container(m, 'v', signatures[p->kind]);
        if (r < 0)
                return r;
        switch (p->kind) {
        case STRING:
                r = sd_bus_message_read(m, "s", &s);
                if (r >= 0 && !(*(char **) field = strdup(s)))
                        r = -ENOMEM;
                break;
        case STRV:
                r = sd_bus_message_read_strv(m, (char ***) field);
                break;
        case BOOL:
                r = sd_bus_message_read(m, "b", &b);
                *(bool *) field = b;
                break;
        case U32:
                r = sd_bus_message_read(m, "u", (uint32_t *) field);
                break;
        case I32:
                r = sd_bus_message_read(m, "i", (int32_t *) field);
                break;
        case LIST:
                r = read_list(m, field);
                break;
        case U64:
                r = sd_bus_message_read(m, "t", (uint64_t *) field);
                break;
        case COMMANDS:
                r = read_commands(m, field);
                break;
        case ENV_FILES:
                r = read_env_files(m, field);
                break;
        case BINDS:
                r = read_binds(m, field);
                break;
        case ADDRESSES:
                r = read_addresses(m, field);
                break;
        case PAIRS:
                r = read_pairs(m, field);
                break;
        case LABEL:
                r = read_label(m, field);
                break;
        case CREDENTIALS:
                r = read_credentials(m, field);
                break;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

static int get_all(sd_bus *bus, const char *path, const char *interface, const Property *props, size_t n, UnitProps *u,
                   sd_bus_error *error) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        const char *name;
        int r;

        r = sd_bus_call_method(bus, MANAGER_SERVICE, path, "org.freedesktop.DBus.Properties", "GetAll", error, &reply,
                               "s", interface);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(reply, 'e', "sv")) > 0) {
                const Property *p = NULL;

                r = sd_bus_message_read(reply, "s", &name);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < n && !p; i++)
                        if (streq(props[i].name, name))
                                p = &props[i];
                if (p)
                        r = read_value(reply, p, u);
                else if (props == service_properties && confining_setting(name))
                        r = read_confining(reply, confining_setting(name), u);
                else if (props == service_properties && limit_index(name) >= 0) {
                        r = sd_bus_message_read(reply, "v", "t", &u->limits[limit_index(name)]);
                        u->have_limits = true;
                } else
                        r = sd_bus_message_skip(reply, "v");
                if (r < 0)
                        return r;
                r = sd_bus_message_exit_container(reply);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(reply);
}

/* The sockets that start the service with Accept=yes: each connection
 * an instance of a template, which a sandbox is not. An instance that
 * does not run yet is no socket's trigger, but PREFIX.socket starts it. */
static int get_accept_sockets(sd_bus *bus, UnitProps *u, sd_bus_error *error) {
        _cleanup_strv_free_ char **sockets = NULL;
        const char *at = u->id ? strchr(u->id, '@') : NULL;

        STRV_FOREACH(t, u->triggered_by) {
                size_t n = strlen(*t);

                if (n > 7 && streq(*t + n - 7, ".socket") && strv_append(&sockets, *t) < 0)
                        return -ENOMEM;
        }
        if (at && strv_appendf(&sockets, "%.*s.socket", (int) (at - u->id), u->id) < 0)
                return -ENOMEM;
        STRV_FOREACH(t, sockets) {
                _cleanup_free_ char *path = NULL, *state = NULL;
                int accept = 0, r;

                r = unit_object_path(bus, *t, error, &path);
                if (r >= 0)
                        r = sd_bus_get_property_string(bus, MANAGER_SERVICE, path, "org.freedesktop.systemd1.Unit",
                                                       "LoadState", error, &state);
                if (r >= 0 && streq(state, "loaded"))
                        r = sd_bus_get_property_trivial(bus, MANAGER_SERVICE, path, "org.freedesktop.systemd1.Socket",
                                                        "Accept", error, 'b', &accept);
                if (r < 0)
                        return r;
                if (accept && !strv_contains(u->accept_sockets, *t) && strv_append(&u->accept_sockets, *t) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int get_manager_u64(sd_bus *bus, const char *property, sd_bus_error *error, uint64_t *ret) {
        return sd_bus_get_property_trivial(bus, MANAGER_SERVICE, MANAGER_PATH, MANAGER_INTERFACE, property, error, 't',
                                           ret);
}

int unit_props_get(sd_bus *bus, const char *unit, UnitProps *ret, sd_bus_error *error) {
        _cleanup_free_ char *path = NULL;
        UnitProps u = {};
        int r;

        r = unit_object_path(bus, unit, error, &path);
        if (r >= 0)
                r = get_all(bus, path, "org.freedesktop.systemd1.Unit", unit_properties, ELEMENTSOF(unit_properties), &u,
                            error);
        /* a unit not found or masked has no Service interface to ask */
        if (r >= 0 && u.load_state && streq(u.load_state, "loaded"))
                r = get_all(bus, path, "org.freedesktop.systemd1.Service", service_properties,
                            ELEMENTSOF(service_properties), &u, error);
        if (r >= 0)
                r = get_accept_sockets(bus, &u, error);
        if (r >= 0)
                r = get_manager_u64(bus, "DefaultTasksMax", error, &u.default_tasks_max);
        if (r >= 0)
                r = get_manager_u64(bus, "DefaultTimeoutStartUSec", error, &u.default_timeout_start_usec);
        if (r >= 0)
                r = get_manager_u64(bus, "DefaultTimeoutStopUSec", error, &u.default_timeout_stop_usec);
        for (unsigned i = 0; r >= 0 && i < 2 * N_UNIT_LIMITS; i++) {
                _cleanup_free_ char *name = NULL;

                if (asprintf(&name, "Default%s%s", unit_limit_names[i / 2], i % 2 ? "Soft" : "") < 0)
                        r = -ENOMEM;
                else
                        r = get_manager_u64(bus, name, error, &u.default_limits[i]);
        }
        if (r < 0) {
                unit_props_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}
