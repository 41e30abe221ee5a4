/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The command-line contract of sandbox-helper (sandbox-helper(8)): one
 * long option per sandbox feature, "--" and then the service's argv. The
 * compiler writes these options and the helper reads them from this one
 * list, HELPER_OPTIONS(), so the two cannot drift apart: a new option is
 * one line there and, when no KIND fits, its handler in helper/options.c.
 *
 * Mount options that carry several fields join them with ':'; a ':' or
 * '\' inside a field is escaped with a backslash.
 */

#include <getopt.h>

/*
 * Every option, once, in one list: X(ID, "name", ARGUMENT, KIND, FIELD,
 * CHECK, ALLOWED). The compiler (compile-helper.c) writes HELPER_OPT_ID
 * as --name; the helper (helper/options.c) reads it into FIELD of its
 * HelperConfig (helper/helper-config.h) by KIND:
 *
 *   STRING  FIELD is the value, when CHECK(value)
 *   APPEND  the value added to the list FIELD, when CHECK(value)
 *   LIST    FIELD is the value split at ",", when CHECK() holds for each
 *   FLAG    FIELD is true (no value)
 *   NO      FIELD is whether the value is "no"; it is "yes" or "no"
 *   CUSTOM  CHECK(config, ID, value) reads it: a handler of options.c's
 *   MAIN    helper_parse_argv() itself (--help, --version)
 *
 * A refused value is logged as "--name=VALUE: invalid value; allowed:
 * ALLOWED". FIELD, CHECK and ALLOWED name the helper's own (its config,
 * its checks) and are expanded only there.
 */
#define HELPER_OPTIONS(X) \
        X(NAME,                 "name",                 required_argument, STRING, name, sandbox_name_is_valid, "a sandbox name") \
        X(PROFILE,              "profile",              required_argument, STRING, profile, any_value, "") \
        X(STATE_ROOT,           "state-root",           required_argument, STRING, state_root, path_is_normalized_absolute, "an absolute path") \
        X(ROOT_DIRECTORY,       "root-directory",       required_argument, STRING, root_directory, path_is_normalized_absolute, "an absolute path") \
        X(ETC,                  "etc",                  required_argument, STRING, etc, is_dir_mode, "overlay, host, private, tmpfs") \
        X(VAR,                  "var",                  required_argument, STRING, var, is_dir_mode, "overlay, host, private, tmpfs") \
        X(TMP_SIZE,             "tmp-size",             required_argument, STRING, tmp_size, is_size, "a size such as 64M") \
        X(RUN_SIZE,             "run-size",             required_argument, STRING, run_size, is_size, "a size such as 64M") \
        X(SHM_SIZE,             "shm-size",             required_argument, STRING, shm_size, is_size, "a size such as 64M") \
        X(ETC_SIZE,             "etc-size",             required_argument, STRING, etc_size, is_size, "a size such as 64M") \
        X(VAR_SIZE,             "var-size",             required_argument, STRING, var_size, is_size, "a size such as 64M") \
        X(STATE_SIZE,           "state-size",           required_argument, STRING, state_size, state_size_is_valid, \
          "a size such as 2G, at least 16M") \
        X(STATE_KEY,            "state-key",            required_argument, STRING, state_key, path_is_normalized_absolute, "an absolute path") \
        X(PROC_SUBSET,          "proc-subset",          required_argument, STRING, proc_subset, proc_subset_is_valid, "all, pid") \
        X(BIND,                 "bind",                 required_argument, CUSTOM, , add_mount, ) \
        X(BIND_RO,              "bind-ro",              required_argument, CUSTOM, , add_mount, ) \
        X(TMPFS,                "tmpfs",                required_argument, CUSTOM, , add_mount, ) \
        X(IMAGE,                "image",                required_argument, CUSTOM, , add_mount, ) \
        X(IMAGE_RO,             "image-ro",             required_argument, CUSTOM, , add_mount, ) \
        X(BLOCK,                "block",                required_argument, CUSTOM, , add_mount, ) \
        X(BLOCK_RO,             "block-ro",             required_argument, CUSTOM, , add_mount, ) \
        X(MASK,                 "mask",                 required_argument, APPEND, masks, mask_is_valid, "an absolute path other than /") \
        X(NO_EXEC_PATH,         "no-exec-path",         required_argument, APPEND, no_exec_paths, optional_path_is_valid, \
          "an absolute path, \"-\" before it when it may be missing") \
        X(EXEC_PATH,            "exec-path",            required_argument, APPEND, exec_paths, optional_path_is_valid, \
          "an absolute path, \"-\" before it when it may be missing") \
        X(RUNTIME_DIR,          "runtime-dir",          required_argument, APPEND, runtime_dirs, runtime_dir_is_valid, \
          "NAME:MODE, a relative path without \".\" or \"..\" and an octal mode") \
        X(SHARED_RUNTIME_DIR,   "shared-runtime-dir",   required_argument, APPEND, shared_runtime_dirs, shared_runtime_dir_is_valid, \
          "NAME:MODE[:USER:GROUP], NAME " SHARED_RUNTIME_NAME_RULE ", an octal mode, and a user and group (empty: the service's)") \
        X(NETWORK,              "network",              required_argument, STRING, network, network_mode_is_valid, "host, none, private, bridge") \
        X(NET_BRIDGE,           "net-bridge",           required_argument, STRING, net_bridge, net_ifname_is_valid, \
          "an interface name of at most 15 bytes") \
        X(NET_ADDRESS,          "net-address",          required_argument, APPEND, net_addresses, net_addr_is_valid, \
          "an IPv4 or IPv6 address") \
        X(NET_GATEWAY,          "net-gateway",          required_argument, APPEND, net_gateways, net_addr_is_valid, \
          "an IPv4 or IPv6 address") \
        X(NET_IPV6,             "net-ipv6",             no_argument,       FLAG, net_ipv6, , ) \
        X(NET_MTU,              "net-mtu",              required_argument, STRING, net_mtu, net_mtu_is_valid, "a number from 68 to 65535") \
        X(NET_OUTBOUND,         "net-outbound",         required_argument, NO, net_no_outbound, , "yes, no") \
        X(NET_PORT,             "net-port",             required_argument, APPEND, net_ports, net_port_spec_is_valid, \
          "PROTO/HOSTPORT/SANDBOXPORT[/HOSTADDRESS], PROTO tcp or udp") \
        X(NET_ALLOW,            "net-allow",            required_argument, APPEND, net_allow, net_prefix_or_any_is_valid, \
          "an address, a prefix such as 10.0.0.0/8, or any") \
        X(NET_DENY,             "net-deny",             required_argument, APPEND, net_deny, net_prefix_or_any_is_valid, \
          "an address, a prefix such as 10.0.0.0/8, or any") \
        X(NET_DNS,              "net-dns",              required_argument, APPEND, net_dns, net_addr_is_valid, \
          "an IPv4 or IPv6 address") \
        X(HOSTNAME,             "hostname",             required_argument, STRING, hostname, hostname_is_valid, "a host name") \
        X(USER_NAMESPACE,       "user-namespace",       required_argument, STRING, user_namespace, user_namespace_is_valid, "identity|private") \
        X(UNPRIVILEGED,         "unprivileged",         no_argument,       FLAG, unprivileged, , ) \
        X(RUNTIME_ROOT,         "runtime-root",         required_argument, STRING, runtime_root, path_is_normalized_absolute, "an absolute path") \
        X(USER,                 "user",                 required_argument, STRING, user, user_name_is_valid, "a user or group name or id") \
        X(GROUP,                "group",                required_argument, STRING, group, user_name_is_valid, "a user or group name or id") \
        X(SUPPLEMENTARY_GROUPS, "supplementary-groups", required_argument, LIST, supplementary_groups, user_name_is_valid, \
          "group names separated by \",\"") \
        X(WORKDIR,              "workdir",              required_argument, STRING, workdir, path_is_normalized_absolute, "an absolute path") \
        X(KEEP_CAPS,            "keep-caps",            required_argument, LIST, keep_caps, is_capability, \
          "capability names such as CAP_NET_BIND_SERVICE separated by \",\"") \
        X(ALLOW_NEW_PRIVILEGES, "allow-new-privileges", no_argument,       FLAG, allow_new_privileges, , ) \
        X(SELINUX_LABEL,        "selinux-label",        required_argument, STRING, selinux_label, any_value, "") \
        X(SELINUX_OPTIONAL,     "selinux-optional",     no_argument,       FLAG, selinux_optional, , ) \
        X(SELINUX_MCS,          "selinux-mcs",          no_argument,       FLAG, selinux_mcs, , ) \
        X(APPARMOR_PROFILE,     "apparmor-profile",     required_argument, STRING, apparmor_profile, any_value, "") \
        X(APPARMOR_OPTIONAL,    "apparmor-optional",    no_argument,       FLAG, apparmor_optional, , ) \
        X(SECCOMP_DEFAULT,      "seccomp-default",      required_argument, NO, seccomp_no_default, , "yes, no") \
        X(SECCOMP_ALLOW,        "seccomp-allow",        required_argument, APPEND, seccomp_allow, syscall_allow_is_valid, \
          "a system call name or a set such as @mount") \
        X(SECCOMP_DENY,         "seccomp-deny",         required_argument, APPEND, seccomp_deny, syscall_deny_is_valid, \
          "NAME:ERRNO, a system call or set and an errno name, number or \"kill\"") \
        X(MEMORY_DENY_WRITE_EXECUTE, "memory-deny-write-execute", no_argument, FLAG, memory_deny_write_execute, , ) \
        X(ADDRESS_FAMILIES,     "address-families",     required_argument, STRING, address_families, address_family_spec_is_valid, \
          "AF_NAME,... to allow only those, ~AF_NAME,... to refuse those, names such as AF_UNIX, AF_INET, AF_INET6, or none") \
        X(SYSTEM_CALLS,         "system-calls",         required_argument, STRING, system_calls, system_calls_spec_is_valid, \
          "NAME,... to allow only those system calls, ~NAME,... to refuse those (never execve, exit, exit_group, " \
          "rt_sigreturn, sigreturn)") \
        X(SYSTEM_CALLS_ERRNO,   "system-calls-errno",   required_argument, STRING, system_calls_errno, errno_is_valid, \
          "an errno name such as EPERM, or a number from 1 to 4095") \
        X(LANDLOCK_RO,          "landlock-ro",          required_argument, APPEND, landlock_ro, path_is_normalized_absolute, "an absolute path") \
        X(LANDLOCK_RW,          "landlock-rw",          required_argument, APPEND, landlock_rw, path_is_normalized_absolute, "an absolute path") \
        X(LANDLOCK_OPTIONAL,    "landlock-optional",    no_argument,       FLAG, landlock_optional, , ) \
        X(LANDLOCK_DEFAULT,     "landlock-default",     required_argument, NO, landlock_no_default, , "yes, no") \
        X(INTERFACES,           "interfaces",           required_argument, CUSTOM, , parse_interfaces, ) \
        X(MISSING_PROFILE,      "missing-profile",      required_argument, STRING, missing_profile, any_value, "") \
        X(JOIN,                 "join",                 required_argument, STRING, join, sandbox_name_is_valid, "a sandbox name") \
        X(FORKING,              "forking",              no_argument,       FLAG, forking, , ) \
        X(READY_ON_EXEC,        "ready-on-exec",        no_argument,       FLAG, ready_on_exec, , ) \
        X(FD_STORE,             "fd-store",             no_argument,       FLAG, fd_store, , ) \
        X(EXEC_START_PRE,       "exec-start-pre",       required_argument, CUSTOM, , add_start_pre, ) \
        X(UNIT_COMMAND,         "unit-command",         no_argument,       FLAG, unit_command, , ) \
        X(DEBUG,                "debug",                no_argument,       FLAG, debug, , ) \
        X(DRY_RUN,              "dry-run",              no_argument,       FLAG, dry_run, , ) \
        X(HELP,                 "help",                 no_argument,       MAIN, , , ) \
        X(VERSION,              "version",              no_argument,       MAIN, , , )

typedef enum HelperOption {
        HELPER_OPT_FIRST_ = 0xff, /* past any short option's character */
#define HELPER_OPTION_ID(id, name, argument, ...) HELPER_OPT_##id,
        HELPER_OPTIONS(HELPER_OPTION_ID)
#undef HELPER_OPTION_ID
        HELPER_OPT_END_,
} HelperOption;

/* getopt_long() table; each entry's val is its HelperOption. */
extern const struct option helper_options[];

/* "--bind" for HELPER_OPT_BIND, without the value. */
const char *helper_option_flag(HelperOption o);

/* "--bind=VALUE", or "--bind" when value is NULL: one argument for the
 * helper, for whoever builds its command line. NULL when out of memory. */
char *helper_option_arg(HelperOption o, const char *value);

/* Joins n fields with ":", escaping ":" and "\\" inside them. */
char *helper_spec_join(const char *const *fields, unsigned n);

/* Splits a ':'-joined option value into exactly n fields (unescaped);
 * fields may be empty. Returns 0, -EINVAL on a different field count. */
int helper_spec_split(const char *value, unsigned n, char **ret_fields);
