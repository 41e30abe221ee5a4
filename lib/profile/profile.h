/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The profile model: what one sandbox profile (sandbox.profile(5)) says,
 * after its includes are merged in and every check has passed. Produced
 * by profile_load(); consumed by the compilers in compile-unit.c and
 * compile-helper.c.
 */

#include <stdbool.h>
#include <stdint.h>

#include "diagnostics.h"
#include "net-addr.h"

typedef enum ServiceType {
        SERVICE_SIMPLE,
        SERVICE_EXEC,
        SERVICE_NOTIFY,
        SERVICE_FORKING,
        SERVICE_ONESHOT,
} ServiceType;

typedef enum RootType {
        ROOT_HOST,
        ROOT_DIRECTORY,
} RootType;

typedef enum DirMode {
        DIR_OVERLAY,
        DIR_HOST,
        DIR_PRIVATE,
        DIR_TMPFS,
} DirMode;

/* Where in which file a setting was written, for messages. */
typedef struct Origin {
        const char *file; /* points into Profile.files */
        unsigned line;
} Origin;

typedef enum NetworkMode {
        NETWORK_HOST,
        NETWORK_NONE,
        NETWORK_PRIVATE,
        NETWORK_BRIDGE,
} NetworkMode;

/* <port> of <network mode="bridge">: a forward from the host */
typedef struct ProfilePort {
        NetPort port;
        Origin origin;
} ProfilePort;

/* at most this many <port> forwards, <allow> and <deny> entries each,
 * and <dns> servers (the resolver reads three, its MAXNS) */
#define PROFILE_PORTS_MAX 64
#define PROFILE_NET_RULES_MAX 256
#define PROFILE_DNS_MAX 3

/* <user-namespace mode=>: none; identity, systemd's PrivateUsers=yes:
 * root, the service's user and groups mapped to themselves, every other
 * ID to the overflow ID (userns.h in the helper); private: IDs 0-65535
 * mapped to a range of the host's of the sandbox's own, kept in its
 * state (userns-range.h), the files it sees through idmapped mounts */
typedef enum UserNamespaceMode {
        USERNS_NONE,
        USERNS_IDENTITY,
        USERNS_PRIVATE,
} UserNamespaceMode;

typedef enum MountKind {
        MOUNT_BIND,
        MOUNT_TMPFS,
        MOUNT_IMAGE,
        MOUNT_BLOCK,
} MountKind;

typedef struct ProfileMount {
        MountKind kind;
        char *source;   /* bind, image, block */
        char *target;   /* for a block device: /dev/disk/by-tag/TAG */
        char *tag;      /* block */
        char *size;     /* tmpfs, as written; NULL for the default */
        unsigned mode;  /* tmpfs; 0 when not given */
        bool has_mode;
        bool readonly;
        Origin origin;
} ProfileMount;

typedef struct ProfileMask {
        char *path;
        Origin origin;
} ProfileMask;

/* <no-exec-path> and <exec-path>: systemd's NoExecPaths= and
 * ExecPaths=, the more specific path winning (profile-parse-exec.c) */
typedef struct ProfileExecPath {
        char *path;
        bool exec;      /* <exec-path>: executing allowed again below it */
        bool optional;  /* optional="yes": systemd's "-" prefix */
        Origin origin;
} ProfileExecPath;

/* <exec-start-pre>, <exec-start-post>, <exec-reload>, <exec-stop>: the
 * unit's other commands, each run in the sandbox with the service's
 * confinement (profile-hooks.c) */
typedef enum HookKind {
        HOOK_START_PRE,
        HOOK_START_POST,
        HOOK_RELOAD,
        HOOK_STOP,
        _HOOK_KIND_MAX,
} HookKind;

typedef struct ProfileHook {
        HookKind kind;
        char **argv;
        bool ignore_failure; /* ignore-failure="yes": systemd's "-" prefix */
        Origin origin;
} ProfileHook;
/* <unit-setting>: a key of unit-settings.c's list, passed through into
 * the drop-in's section ("Unit" or "Service"), checked there */
typedef struct UnitSetting {
        char *section, *name, *value;
        Origin origin;
} UnitSetting;
/* <runtime-directory share="host">: /run/NAME of the host's, bound in */
typedef struct ProfileSharedDir {
        char *name;
        unsigned mode;
        char *user, *group; /* NULL: the service's */
        Origin origin;
} ProfileSharedDir;

/* <service fd-store="N">: at most this many descriptors in systemd's
 * store for the unit */
#define FD_STORE_MAX 1024

typedef struct Profile {
        char *name;
        char *path;     /* the profile file itself */
        char **files;   /* every file read, the profile first, then includes */
        unsigned line;  /* of <sandbox> in path */

        char *description;

        /* <exec> */
        char **argv;
        /* <arg expand="yes">: systemd expands "$NAME" and "${NAME}" in it
         * at each start, from the service's environment (exec-expand.h);
         * NULL when no argument is, else one entry for each of argv */
        bool *argv_expand;
        char **environment; /* NAME=VALUE */
        char **environment_files; /* <environment-file>: "PATH", or "-PATH" when optional */
        char *user, *group;
        char **supplementary_groups;
        char *workdir;
        Origin exec_origin; /* the last <exec> read */

        /* <service> */
        ServiceType service_type;
        Origin service_origin;
        char *restart;
        char *restart_sec, *timeout_start_sec, *timeout_stop_sec;
        char *fd_store;     /* fd-store=: FileDescriptorStoreMax=, as written; NULL for none */

        /* <root> */
        RootType root_type;
        char *root_directory;

        /* <filesystem> */
        DirMode etc_mode, var_mode;
        char *tmp_size, *run_size; /* NULL for the helper's default */
        char *state_size;     /* <state size=...>: the cap of the overlays' upper dirs; NULL for none */
        Origin state_origin;
        bool proc_subset_pid; /* <proc subset="pid">: /proc with the processes' entries alone */
        /* <state encryption="luks2">: the state file system encrypted
         * (state-key.h), its key a systemd credential */
        bool state_encrypted;
        ProfileMount *mounts;
        size_t n_mounts;
        ProfileMask *masks;
        size_t n_masks;
        ProfileExecPath *exec_paths; /* in the order read, each path once */
        size_t n_exec_paths;
        char **runtime_dirs; /* "NAME:MODE", MODE four octal digits */
        ProfileSharedDir *shared_dirs;
        size_t n_shared_dirs;

        /* <network>: one element says all of it; a later one (the
         * profile's over an included one's) replaces it whole
         * (profile-parse-network.c) */
        NetworkMode network;
        Origin network_origin;
        /* mode="bridge": each NULL for the default, the addresses and
         * gateways as inet_ntop() writes them: the bridge (sandbox0);
         * the sandbox's addresses (allocated) and gateways (the bridge's
         * own); the MTU (the kernel's) */
        char *net_bridge, *net_address, *net_address6, *net_gateway, *net_gateway6, *net_mtu;
        bool net_ipv6, net_outbound;
        ProfilePort *net_ports;
        size_t n_net_ports;
        char **net_dns; /* NULL: the host's resolvers */
        /* <allow> and <deny> (mode="host" or "bridge"): "any", an
         * address, or a prefix without host bits */
        char **net_allow, **net_deny;
        char *hostname;

        UserNamespaceMode user_namespace;
        Origin user_namespace_origin; /* the last <user-namespace> read */

        /* <interfaces>: interfaces.h's set */
        unsigned interfaces;
        Origin interfaces_origin; /* the last <interfaces> read */

        /* <security> */
        char **keep_caps;       /* keep=, upper-case, e.g. "CAP_NET_BIND_SERVICE"; empty: keep none */
        char **keep_caps_unsafe; /* keep-unsafe=: of capabilities.h's list, kept on purpose */
        Origin caps_origin;     /* the <capabilities> that set both */
        bool no_new_privileges;
        char *selinux_label;
        bool selinux_optional;
        bool selinux_mcs;       /* mcs="dynamic": the helper makes the label */
        char *apparmor_profile;
        bool apparmor_optional;
        Origin selinux_origin, apparmor_origin; /* the last <selinux> and <apparmor> read */
        bool seccomp_default;   /* the default deny-list (syscall-sets.h) */
        char **seccomp_allow;   /* system calls and @sets taken off it */
        char **seccomp_deny;    /* "NAME:ERRNO" or "NAME:kill" */
        bool memory_deny_write_execute; /* <memory-deny-write-execute/> */
        /* <address-families>: names such as "AF_UNIX", each once, allowed
         * alone, or refused when address_families_deny; NULL: any; an
         * empty list: none (allow="none") */
        char **address_families;
        bool address_families_deny;
        /* <system-calls>: names as libseccomp spells them, each once,
         * allowed alone, or refused when system_calls_deny; NULL: no
         * filter of the profile's own */
        char **system_calls;
        bool system_calls_deny;
        char *system_calls_errno; /* errno=, checked; NULL: a refused call kills */
        Origin system_calls_origin;
        bool landlock, landlock_optional; /* landlock: an element for rules */
        bool landlock_default;  /* the default Landlock domain (sandbox-helper(8)) */
        Origin landlock_origin;
        char **landlock_ro, **landlock_rw;

        /* <resources>, as written, each NULL when not given */
        char *memory_max, *cpu_quota, *tasks_max, *io_weight;
        Origin resources_origin; /* the last <resources> read */

        /* <install> */
        char **wanted_by;

        ProfileHook *hooks; /* in the order written, includes first */
        size_t n_hooks;
        /* <unit-setting>, in order: a list key once per element, any other
         * key once, the last one read */
        UnitSetting *unit_settings;
        size_t n_unit_settings;
} Profile;

/*
 * Reads, validates and merges the profile at path (its includes resolved
 * in dirname(path)/base and then in base/ under each directory of
 * include_dirs). Every problem found goes to diags; returns 0 and the
 * profile when there were none, -EINVAL when the profile is invalid, or
 * another -errno when something other than the profile failed.
 */
int profile_load(const char *path, char * const *include_dirs, Profile **ret, Diagnostics *diags);
/* Frees the base profiles profile_load() keeps parsed between calls. */
void profile_load_release(void);

Profile *profile_free(Profile *p);
DEFINE_POINTER_CLEANUP(Profile, profile_free);
#define _cleanup_profile_ _cleanup_(profile_freep)

const char *service_type_to_string(ServiceType t);
/* "exec-start-pre" for HOOK_START_PRE: the element's name */
const char *hook_kind_to_string(HookKind k);
int hook_kind_from_string(const char *s);
void profile_hooks_free(ProfileHook *hooks, size_t n);
/* Clears every setting of <network> back to the default (mode="host"). */
void profile_network_reset(Profile *p);
const char *dir_mode_to_string(DirMode m);
const char *network_mode_to_string(NetworkMode m);
const char *user_namespace_mode_to_string(UserNamespaceMode m);
/* -1 for a string that is not a keyword (the schema has refused it). */
int service_type_from_string(const char *s);
int dir_mode_from_string(const char *s);
int network_mode_from_string(const char *s);
int user_namespace_mode_from_string(const char *s);
