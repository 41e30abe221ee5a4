/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A service unit as systemd loaded it, for sandboxctl convert: the
 * settings read over sd-bus (Properties.GetAll of its Unit and Service
 * interfaces), not guessed from its files. Nothing here logs.
 */

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

typedef struct UnitCommand {
        char *path;
        char **argv;
        bool ignore_failure;
} UnitCommand;

typedef struct UnitCommands {
        UnitCommand *items;
        size_t n;
} UnitCommands;

typedef struct UnitBind {
        char *source, *target;
        bool ignore_missing;
} UnitBind;

typedef struct UnitBinds {
        UnitBind *items;
        size_t n;
} UnitBinds;

typedef struct UnitProps {
        char *id, *description, *load_state, *active_state, *unit_file_state, *fragment_path;
        char **triggered_by, **wanted_by;
        /* of the .socket units in triggered_by, those with Accept=yes */
        char **accept_sockets;
        char **dropin_paths;
        char *type, *restart, *user, *group, *working_directory, *root_directory, *pid_file, *bus_name;
        char **supplementary_groups, **environment;
        char **environment_files; /* each "PATH" or "-PATH" (missing allowed) */
        UnitCommands exec_start, exec_start_pre, exec_start_post, exec_reload, exec_stop, exec_stop_post, exec_condition;
        char **state_directory, **cache_directory, **logs_directory, **runtime_directory, **configuration_directory;
        char **read_write_paths, **read_only_paths, **inaccessible_paths;
        UnitBinds bind_paths, bind_read_only_paths;
        bool private_tmp, private_network, no_new_privileges, dynamic_user, remain_after_exit;
        uint32_t runtime_directory_mode;
        uint64_t capability_bounding_set, ambient_capabilities;
        uint64_t memory_max, tasks_max, cpu_quota_per_sec_usec, io_weight;
        uint64_t restart_usec, timeout_start_usec, timeout_stop_usec;
        char *kill_mode, *syslog_identifier;
        uint32_t umask;
        int32_t oom_score_adjust, nice;
        uint64_t restrict_namespaces;
        bool protect_clock;
        /* confining settings without a profile element of their own
         * (convert-widen.h), each "NAME=VALUE" as set */
        char **confining;
        /* SystemCallFilter= as the manager has it, every name, its groups
         * expanded: "~" before the first of a deny-list; NULL from unit
         * files, whose groups are systemd's to expand (convert-widen.c) */
        char **system_call_filter;
        int32_t system_call_errno; /* SystemCallErrorNumber=; SYSTEM_CALL_ERRNO_KILL: kill */
        char **ip_address_allow, **ip_address_deny; /* "ADDRESS/PREFIX" */
        char **temporary_filesystem;                /* "PATH" or "PATH:OPTIONS" */
        char *device_policy;
        char **device_allow;                        /* "PATH:RWM" */
        char *apparmor_profile, *selinux_context;   /* "-" first: may be missing */
        /* LimitX at 2i, LimitXSoft at 2i + 1 (unit_limit_names); read
         * from files, none: a Limit*= line is in confining instead */
        uint64_t limits[32], default_limits[32];
        bool have_limits;
        /* carried as <unit-setting>s (convert-settings.c) */
        char **after, **before, **wants, **requires, **part_of, **binds_to;
        int32_t kill_signal;                        /* 0: not read */
        uint64_t watchdog_usec;
        char **load_credential;                     /* "ID:PATH", or "ID" */
        char **set_credential;                      /* "ID:DATA"; DATA printable text, or "ID" alone: it is not */
        /* the manager's defaults, to tell a unit's own settings from them */
        uint64_t default_tasks_max, default_timeout_start_usec, default_timeout_stop_usec;
} UnitProps;

/* SystemCallErrorNumber= of "kill", or unset, as the manager gives it */
#define SYSTEM_CALL_ERRNO_KILL (INT32_MAX - 1)

void unit_props_done(UnitProps *u);

/* Every setting above of unit, into *ret. Returns 0 or -errno with
 * error set by the failed call. */
int unit_props_get(sd_bus *bus, const char *unit, UnitProps *ret, sd_bus_error *error);
