/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "helper-options.h"

const struct option helper_options[] = {
        { "name",                 required_argument, NULL, HELPER_OPT_NAME },
        { "profile",              required_argument, NULL, HELPER_OPT_PROFILE },
        { "state-root",           required_argument, NULL, HELPER_OPT_STATE_ROOT },
        { "root-directory",       required_argument, NULL, HELPER_OPT_ROOT_DIRECTORY },
        { "etc",                  required_argument, NULL, HELPER_OPT_ETC },
        { "var",                  required_argument, NULL, HELPER_OPT_VAR },
        { "tmp-size",             required_argument, NULL, HELPER_OPT_TMP_SIZE },
        { "run-size",             required_argument, NULL, HELPER_OPT_RUN_SIZE },
        { "shm-size",             required_argument, NULL, HELPER_OPT_SHM_SIZE },
        { "etc-size",             required_argument, NULL, HELPER_OPT_ETC_SIZE },
        { "var-size",             required_argument, NULL, HELPER_OPT_VAR_SIZE },
        { "bind",                 required_argument, NULL, HELPER_OPT_BIND },
        { "bind-ro",              required_argument, NULL, HELPER_OPT_BIND_RO },
        { "tmpfs",                required_argument, NULL, HELPER_OPT_TMPFS },
        { "image",                required_argument, NULL, HELPER_OPT_IMAGE },
        { "image-ro",             required_argument, NULL, HELPER_OPT_IMAGE_RO },
        { "block",                required_argument, NULL, HELPER_OPT_BLOCK },
        { "block-ro",             required_argument, NULL, HELPER_OPT_BLOCK_RO },
        { "mask",                 required_argument, NULL, HELPER_OPT_MASK },
        { "no-exec-path",         required_argument, NULL, HELPER_OPT_NO_EXEC_PATH },
        { "exec-path",            required_argument, NULL, HELPER_OPT_EXEC_PATH },
        { "runtime-dir",          required_argument, NULL, HELPER_OPT_RUNTIME_DIR },
        { "shared-runtime-dir",   required_argument, NULL, HELPER_OPT_SHARED_RUNTIME_DIR },
        { "network",              required_argument, NULL, HELPER_OPT_NETWORK },
        { "hostname",             required_argument, NULL, HELPER_OPT_HOSTNAME },
        { "user-namespace",       required_argument, NULL, HELPER_OPT_USER_NAMESPACE },
        { "user",                 required_argument, NULL, HELPER_OPT_USER },
        { "group",                required_argument, NULL, HELPER_OPT_GROUP },
        { "supplementary-groups", required_argument, NULL, HELPER_OPT_SUPPLEMENTARY_GROUPS },
        { "workdir",              required_argument, NULL, HELPER_OPT_WORKDIR },
        { "keep-caps",            required_argument, NULL, HELPER_OPT_KEEP_CAPS },
        { "allow-new-privileges", no_argument,       NULL, HELPER_OPT_ALLOW_NEW_PRIVILEGES },
        { "selinux-label",        required_argument, NULL, HELPER_OPT_SELINUX_LABEL },
        { "selinux-optional",     no_argument,       NULL, HELPER_OPT_SELINUX_OPTIONAL },
        { "selinux-mcs",          no_argument,       NULL, HELPER_OPT_SELINUX_MCS },
        { "apparmor-profile",     required_argument, NULL, HELPER_OPT_APPARMOR_PROFILE },
        { "apparmor-optional",    no_argument,       NULL, HELPER_OPT_APPARMOR_OPTIONAL },
        { "seccomp-default",      required_argument, NULL, HELPER_OPT_SECCOMP_DEFAULT },
        { "seccomp-allow",        required_argument, NULL, HELPER_OPT_SECCOMP_ALLOW },
        { "seccomp-deny",         required_argument, NULL, HELPER_OPT_SECCOMP_DENY },
        { "memory-deny-write-execute", no_argument,  NULL, HELPER_OPT_MEMORY_DENY_WRITE_EXECUTE },
        { "address-families",     required_argument, NULL, HELPER_OPT_ADDRESS_FAMILIES },
        { "system-calls",         required_argument, NULL, HELPER_OPT_SYSTEM_CALLS },
        { "system-calls-errno",   required_argument, NULL, HELPER_OPT_SYSTEM_CALLS_ERRNO },
        { "landlock-ro",          required_argument, NULL, HELPER_OPT_LANDLOCK_RO },
        { "landlock-rw",          required_argument, NULL, HELPER_OPT_LANDLOCK_RW },
        { "landlock-optional",    no_argument,       NULL, HELPER_OPT_LANDLOCK_OPTIONAL },
        { "landlock-default",     required_argument, NULL, HELPER_OPT_LANDLOCK_DEFAULT },
        { "interfaces",           required_argument, NULL, HELPER_OPT_INTERFACES },
        { "missing-profile",      required_argument, NULL, HELPER_OPT_MISSING_PROFILE },
        { "join",                 required_argument, NULL, HELPER_OPT_JOIN },
        { "forking",              no_argument,       NULL, HELPER_OPT_FORKING },
        { "ready-on-exec",        no_argument,       NULL, HELPER_OPT_READY_ON_EXEC },
        { "fd-store",             no_argument,       NULL, HELPER_OPT_FD_STORE },
        { "exec-start-pre",       required_argument, NULL, HELPER_OPT_EXEC_START_PRE },
        { "unit-command",         no_argument,       NULL, HELPER_OPT_UNIT_COMMAND },
        { "debug",                no_argument,       NULL, HELPER_OPT_DEBUG },
        { "dry-run",              no_argument,       NULL, HELPER_OPT_DRY_RUN },
        { "help",                 no_argument,       NULL, HELPER_OPT_HELP },
        { "version",              no_argument,       NULL, HELPER_OPT_VERSION },
        {}
};

const char *helper_option_flag(HelperOption o) {
        static char flags[HELPER_OPT_VERSION - HELPER_OPT_NAME + 1][32];
        unsigned i = (unsigned) (o - HELPER_OPT_NAME);

        if (o < HELPER_OPT_NAME || o > HELPER_OPT_VERSION || !helper_options[i].name)
                abort();
        if (!flags[i][0])
                snprintf(flags[i], sizeof flags[i], "--%s", helper_options[i].name);
        return flags[i];
}

char *helper_option_arg(HelperOption o, const char *value) {
        char *s;

        if (!value)
                return strdup(helper_option_flag(o));
        return asprintf(&s, "%s=%s", helper_option_flag(o), value) < 0 ? NULL : s;
}

char *helper_spec_join(const char *const *fields, unsigned n) {
        _cleanup_buffer_ Buffer b = {};

        for (unsigned i = 0; i < n; i++) {
                if (i > 0)
                        buffer_append_char(&b, ':');
                for (const char *p = fields[i] ? fields[i] : ""; *p; p++) {
                        if (*p == ':' || *p == '\\')
                                buffer_append_char(&b, '\\');
                        buffer_append_char(&b, *p);
                }
        }
        return buffer_steal(&b);
}

int helper_spec_split(const char *value, unsigned n, char **ret_fields) {
        _cleanup_buffer_ Buffer b = {};
        unsigned k = 0;

        for (unsigned i = 0; i < n; i++)
                ret_fields[i] = NULL;
        for (const char *p = value;; p++) {
                if (*p == '\\' && p[1]) {
                        buffer_append_char(&b, *++p);
                        continue;
                }
                if (*p == ':' || *p == 0) {
                        char *f = k < n ? buffer_steal(&b) : NULL;

                        if (k < n && !f)
                                goto nomem;
                        if (k < n)
                                ret_fields[k] = f;
                        k++;
                        if (*p == 0)
                                break;
                        continue;
                }
                buffer_append_char(&b, *p);
        }
        if (k == n)
                return 0;
        for (unsigned i = 0; i < n; i++)
                free(ret_fields[i]), ret_fields[i] = NULL;
        return -EINVAL;
nomem:
        for (unsigned i = 0; i < n; i++)
                free(ret_fields[i]), ret_fields[i] = NULL;
        return -ENOMEM;
}
