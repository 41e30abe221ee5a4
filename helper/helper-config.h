/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The sandbox the helper's command line describes (sandbox-helper(8)). */

#include <stdbool.h>
#include <stddef.h>

typedef enum HelperMountKind {
        HELPER_MOUNT_BIND,
        HELPER_MOUNT_TMPFS,
        HELPER_MOUNT_IMAGE,
        HELPER_MOUNT_BLOCK,
} HelperMountKind;

typedef struct HelperMount {
        HelperMountKind kind;
        bool readonly;
        char *source, *target, *tag, *size, *mode;
} HelperMount;

/* --exec-start-pre: a command process 1 runs to its end before the service */
typedef struct HelperHook {
        char **argv;
        bool ignore_failure;
} HelperHook;

typedef struct HelperConfig {
        char *name, *profile, *state_root, *root_directory;
        char *etc, *var, *network;
        /* "identity" or "private": the service in a user namespace of its
         * own (userns.h); NULL: the host's */
        char *user_namespace;
        /* "private": the base of the sandbox's range, set at start from
         * its state (userns-state.h); 0: none */
        unsigned userns_base;
        /* sandboxctl run by a user who is not root: the helper runs as
         * root of a user namespace of the caller's delegated IDs, with no
         * privilege on the host (rootless.h); runtime_root is where its
         * runtime directories are, NULL for RUNTIME_ROOT */
        bool unprivileged;
        char *runtime_root;
        /* tmpfs sizes, parse_size() strings; NULL: the fixed default
         * (tmpfs-size.h) */
        char *tmp_size, *run_size, *shm_size, *etc_size, *var_size;
        /* the cap of what the /etc and /var overlays keep, a parse_size()
         * string: their upper dirs live in an image of that size
         * (state-image.h); NULL: on the state root's file system */
        char *state_size;
        /* the key of the encrypted state (lib/core/state-key.h): a file
         * systemd decrypted from the sandbox's credential
         * (LoadCredentialEncrypted=), or sandboxctl did; NULL: the state
         * is not encrypted */
        char *state_key;
        /* "pid": /proc with the processes' entries alone (subset=pid);
         * NULL or "all": all of them */
        char *proc_subset;
        HelperMount *mounts;
        size_t n_mounts;
        char **masks;
        /* "PATH", or "-PATH" when it may be missing: where nothing may
         * be executed, and where executing is allowed again (exec-paths.h) */
        char **no_exec_paths, **exec_paths;
        char **runtime_dirs; /* "NAME:MODE" */
        char **shared_runtime_dirs; /* "NAME:MODE": the host's /run/NAME, bound in */
        /* <network mode="bridge"> (bridge.h): the bridge; the static
         * addresses and gateways, each IPv4 or IPv6 (none: allocated, and
         * the bridge's own); the MTU; the forwards, NetPort specs
         * (net-addr.h); the allow and deny lists; the resolvers (none:
         * the host's) */
        char *net_bridge, *net_mtu;
        char **net_addresses, **net_gateways, **net_ports, **net_allow, **net_deny, **net_dns;
        bool net_ipv6, net_no_outbound;
        char *hostname, *user, *group, *workdir;
        char **supplementary_groups;
        char **keep_caps;
        bool allow_new_privileges;
        char *selinux_label, *apparmor_profile;
        bool selinux_optional, apparmor_optional;
        bool selinux_mcs; /* the label is made at start: selinux-mcs.c */
        /* whether the label and the profile asked for are applied: decided
         * once on the host (lsm_decide()), where /sys shows the LSMs; the
         * sandbox's own /sys may not */
        bool selinux_on, apparmor_on;
        bool seccomp_no_default;
        char **seccomp_allow, **seccomp_deny; /* as in the profile: names, @sets, "NAME:ERRNO" */
        bool memory_deny_write_execute;
        char *address_families; /* "AF_A,AF_B" allowed alone, "~AF_A,AF_B" refused; NULL: any */
        /* the profile's own filter (profile-filter.h): "NAME,NAME" allowed
         * alone, "~NAME,NAME" refused; NULL: none. The errno of a refused
         * call; NULL: the process is killed */
        char *system_calls, *system_calls_errno;
        char **landlock_ro, **landlock_rw;
        bool landlock_optional;
        bool landlock_no_default; /* no default domain (landlock-default.h) */
        /* interfaces.h's set; INTERFACES_DEFAULT unless --interfaces */
        unsigned interfaces;
        char *missing_profile;
        char *join; /* the running sandbox to run argv in */
        bool forking; /* the command forks a daemon and exits 0 once it is ready */
        bool ready_on_exec; /* READY=1 once the service has been executed */
        bool fd_store; /* the notification relay passes the file descriptor store on */
        HelperHook *start_pre; /* in order */
        size_t n_start_pre;
        bool unit_command; /* --join: one of the unit's commands (join.h) */
        bool joined;  /* set by a join on the running helper's settings, never from argv */
        bool debug, dry_run;
        char **argv;
} HelperConfig;

/* Parses and checks the whole command line. Returns 1 to go on, 0 after
 * --help or --version, or -EINVAL after logging what is wrong. */
int helper_parse_argv(int argc, char *argv[], HelperConfig *c);
void helper_config_done(HelperConfig *c);

/* Prints the ordered set-up steps the configuration asks for: the
 * tables the helper walks to take them (step.h). */
void helper_print_plan(const HelperConfig *c);
