/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The command-line contract of sandbox-helper (sandbox-helper(8)): one
 * long option per sandbox feature, "--" and then the service's argv. The
 * compiler writes these options and the helper reads them from this one
 * table, so the two cannot drift apart.
 *
 * Mount options that carry several fields join them with ':'; a ':' or
 * '\' inside a field is escaped with a backslash.
 */

#include <getopt.h>

typedef enum HelperOption {
        HELPER_OPT_NAME = 0x100,
        HELPER_OPT_PROFILE,
        HELPER_OPT_STATE_ROOT,
        HELPER_OPT_ROOT_DIRECTORY,
        HELPER_OPT_ETC,
        HELPER_OPT_VAR,
        HELPER_OPT_TMP_SIZE,
        HELPER_OPT_RUN_SIZE,
        HELPER_OPT_SHM_SIZE,
        HELPER_OPT_ETC_SIZE,
        HELPER_OPT_VAR_SIZE,
        HELPER_OPT_BIND,
        HELPER_OPT_BIND_RO,
        HELPER_OPT_TMPFS,
        HELPER_OPT_IMAGE,
        HELPER_OPT_IMAGE_RO,
        HELPER_OPT_BLOCK,
        HELPER_OPT_BLOCK_RO,
        HELPER_OPT_MASK,
        HELPER_OPT_NO_EXEC_PATH,
        HELPER_OPT_EXEC_PATH,
        HELPER_OPT_RUNTIME_DIR,
        HELPER_OPT_SHARED_RUNTIME_DIR,
        HELPER_OPT_NETWORK,
        HELPER_OPT_HOSTNAME,
        HELPER_OPT_USER_NAMESPACE,
        HELPER_OPT_USER,
        HELPER_OPT_GROUP,
        HELPER_OPT_SUPPLEMENTARY_GROUPS,
        HELPER_OPT_WORKDIR,
        HELPER_OPT_KEEP_CAPS,
        HELPER_OPT_ALLOW_NEW_PRIVILEGES,
        HELPER_OPT_SELINUX_LABEL,
        HELPER_OPT_SELINUX_OPTIONAL,
        HELPER_OPT_SELINUX_MCS,
        HELPER_OPT_APPARMOR_PROFILE,
        HELPER_OPT_APPARMOR_OPTIONAL,
        HELPER_OPT_SECCOMP_DEFAULT,
        HELPER_OPT_SECCOMP_ALLOW,
        HELPER_OPT_SECCOMP_DENY,
        HELPER_OPT_MEMORY_DENY_WRITE_EXECUTE,
        HELPER_OPT_ADDRESS_FAMILIES,
        HELPER_OPT_SYSTEM_CALLS,
        HELPER_OPT_SYSTEM_CALLS_ERRNO,
        HELPER_OPT_LANDLOCK_RO,
        HELPER_OPT_LANDLOCK_RW,
        HELPER_OPT_LANDLOCK_OPTIONAL,
        HELPER_OPT_LANDLOCK_DEFAULT,
        HELPER_OPT_INTERFACES,
        HELPER_OPT_MISSING_PROFILE,
        HELPER_OPT_JOIN,
        HELPER_OPT_FORKING,
        HELPER_OPT_READY_ON_EXEC,
        HELPER_OPT_FD_STORE,
        HELPER_OPT_EXEC_START_PRE,
        HELPER_OPT_UNIT_COMMAND,
        HELPER_OPT_DEBUG,
        HELPER_OPT_DRY_RUN,
        HELPER_OPT_HELP,
        HELPER_OPT_VERSION,
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
