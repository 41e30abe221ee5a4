/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "helper-options.h"
#include "interfaces.h"
#include "quantities.h"
#include "strv.h"
#include "tmpfs-size.h"

typedef struct Args {
        char **argv;
        int error;
} Args;

static void add(Args *a, const char *s) {
        if (a->error == 0 && strv_append(&a->argv, s) < 0)
                a->error = -ENOMEM;
}

static void add_option(Args *a, HelperOption o, const char *value) {
        if (a->error < 0)
                return;
        if (strv_consume(&a->argv, helper_option_arg(o, value)) < 0)
                a->error = -ENOMEM;
}

static void add_spec(Args *a, HelperOption o, const char *const *fields, unsigned n) {
        _cleanup_free_ char *v = helper_spec_join(fields, n);

        if (!v)
                a->error = -ENOMEM;
        else
                add_option(a, o, v);
}

/* <exec-start-pre>: process 1 runs each before the service, in order */
static void add_start_pre(Args *a, const Profile *p) {
        for (size_t i = 0; i < p->n_hooks; i++) {
                const ProfileHook *h = &p->hooks[i];
                _cleanup_free_ const char **fields = NULL;
                _cleanup_free_ char *command = NULL;
                size_t n = strv_length(h->argv);

                if (h->kind != HOOK_START_PRE)
                        continue;
                fields = calloc(n, sizeof(char *));
                if (!fields || asprintf(&command, "%s%s", h->ignore_failure ? "-" : "", h->argv[0]) < 0) {
                        a->error = -ENOMEM;
                        return;
                }
                fields[0] = command;
                for (size_t k = 1; k < n; k++)
                        fields[k] = h->argv[k];
                add_spec(a, HELPER_OPT_EXEC_START_PRE, fields, (unsigned) n);
        }
}

/* The profile's memory limit in bytes; 0 without one */
static uint64_t memory_limit(const Profile *p) {
        uint64_t bytes;

        if (!p->memory_max || parse_size(p->memory_max, &bytes) < 0)
                return 0; /* not given, or "infinity" */
        return bytes;
}

/* A tmpfs's size on the helper's command line: the profile's, else the
 * kind's share of the memory limit; without either, none, and the helper
 * takes the kind's fixed default. */
static void add_size(Args *a, HelperOption o, const Profile *p, TmpfsKind kind, const char *size) {
        uint64_t limit = memory_limit(p);
        char buf[32];

        if (size)
                add_option(a, o, size);
        else if (limit > 0) {
                tmpfs_format_size(tmpfs_share_size(kind, limit), buf, sizeof(buf));
                add_option(a, o, buf);
        }
}

static void add_mount(Args *a, const Profile *p, const ProfileMount *m) {
        switch (m->kind) {
        case MOUNT_BIND:
                add_spec(a, m->readonly ? HELPER_OPT_BIND_RO : HELPER_OPT_BIND, (const char *[]) { m->source, m->target }, 2);
                break;
        case MOUNT_IMAGE:
                add_spec(a, m->readonly ? HELPER_OPT_IMAGE_RO : HELPER_OPT_IMAGE, (const char *[]) { m->source, m->target }, 2);
                break;
        case MOUNT_BLOCK:
                add_spec(a, m->readonly ? HELPER_OPT_BLOCK_RO : HELPER_OPT_BLOCK, (const char *[]) { m->tag, m->source }, 2);
                break;
        case MOUNT_TMPFS: {
                uint64_t limit = memory_limit(p);
                char mode[8] = "", size[32] = "";

                if (m->has_mode)
                        snprintf(mode, sizeof mode, "%04o", m->mode);
                if (m->size)
                        snprintf(size, sizeof(size), "%s", m->size);
                else if (limit > 0)
                        tmpfs_format_size(tmpfs_share_size(TMPFS_MOUNT, limit), size, sizeof(size));
                add_spec(a, HELPER_OPT_TMPFS, (const char *[]) { m->target, size, mode }, 3);
                break;
        }
        }
}

/* <network mode="bridge">: what the profile says, the rest left to the
 * helper's defaults (sandbox-helper(8)) */
static void add_bridge(Args *a, const Profile *p) {
        const char *addresses[] = { p->net_address, p->net_address6 }, *gateways[] = { p->net_gateway, p->net_gateway6 };

        if (p->net_bridge)
                add_option(a, HELPER_OPT_NET_BRIDGE, p->net_bridge);
        for (size_t i = 0; i < ELEMENTSOF(addresses); i++)
                if (addresses[i])
                        add_option(a, HELPER_OPT_NET_ADDRESS, addresses[i]);
        for (size_t i = 0; i < ELEMENTSOF(gateways); i++)
                if (gateways[i])
                        add_option(a, HELPER_OPT_NET_GATEWAY, gateways[i]);
        if (p->net_ipv6)
                add_option(a, HELPER_OPT_NET_IPV6, NULL);
        if (p->net_mtu)
                add_option(a, HELPER_OPT_NET_MTU, p->net_mtu);
        if (!p->net_outbound)
                add_option(a, HELPER_OPT_NET_OUTBOUND, "no");
        for (size_t i = 0; i < p->n_net_ports; i++) {
                char spec[NET_PORT_SPEC_MAX];

                add_option(a, HELPER_OPT_NET_PORT, net_port_to_spec(&p->net_ports[i].port, spec));
        }
        STRV_FOREACH(s, p->net_allow)
                add_option(a, HELPER_OPT_NET_ALLOW, *s);
        STRV_FOREACH(s, p->net_deny)
                add_option(a, HELPER_OPT_NET_DENY, *s);
        STRV_FOREACH(s, p->net_dns)
                add_option(a, HELPER_OPT_NET_DNS, *s);
}

int profile_compile_helper_argv(const Profile *p, const char *helper_path, char ***ret) {
        Args a = {};

        add(&a, helper_path);
        add_option(&a, HELPER_OPT_NAME, p->name);
        add_option(&a, HELPER_OPT_PROFILE, p->path);
        if (p->root_type == ROOT_DIRECTORY)
                add_option(&a, HELPER_OPT_ROOT_DIRECTORY, p->root_directory);
        add_option(&a, HELPER_OPT_ETC, dir_mode_to_string(p->etc_mode));
        add_option(&a, HELPER_OPT_VAR, dir_mode_to_string(p->var_mode));
        add_size(&a, HELPER_OPT_TMP_SIZE, p, TMPFS_TMP, p->tmp_size);
        add_size(&a, HELPER_OPT_RUN_SIZE, p, TMPFS_RUN, p->run_size);
        add_size(&a, HELPER_OPT_SHM_SIZE, p, TMPFS_SHM, NULL);
        if (p->state_size)
                add_option(&a, HELPER_OPT_STATE_SIZE, p->state_size);
        if (p->proc_subset_pid)
                add_option(&a, HELPER_OPT_PROC_SUBSET, "pid");
        if (p->etc_mode == DIR_TMPFS)
                add_size(&a, HELPER_OPT_ETC_SIZE, p, TMPFS_ETC, NULL);
        if (p->var_mode == DIR_TMPFS)
                add_size(&a, HELPER_OPT_VAR_SIZE, p, TMPFS_VAR, NULL);
        for (size_t i = 0; i < p->n_mounts; i++)
                add_mount(&a, p, &p->mounts[i]);
        for (size_t i = 0; i < p->n_masks; i++)
                add_option(&a, HELPER_OPT_MASK, p->masks[i].path);
        for (size_t i = 0; i < p->n_exec_paths; i++) {
                const ProfileExecPath *e = &p->exec_paths[i];
                char spec[PATH_MAX + 2];

                /* "-PATH" when optional, as systemd writes it */
                snprintf(spec, sizeof(spec), "%s%s", e->optional ? "-" : "", e->path);
                add_option(&a, e->exec ? HELPER_OPT_EXEC_PATH : HELPER_OPT_NO_EXEC_PATH, spec);
        }
        STRV_FOREACH(d, p->runtime_dirs)
                add_option(&a, HELPER_OPT_RUNTIME_DIR, *d);
        for (size_t i = 0; i < p->n_shared_dirs; i++) {
                const ProfileSharedDir *d = &p->shared_dirs[i];
                char spec[512];

                /* the owner, when the profile names one: NAME:MODE:USER:GROUP */
                snprintf(spec, sizeof(spec), "%s:%04o", d->name, d->mode & 07777);
                if (d->user || d->group)
                        snprintf(spec + strlen(spec), sizeof(spec) - strlen(spec), ":%s:%s", d->user ? d->user : "",
                                 d->group ? d->group : "");
                add_option(&a, HELPER_OPT_SHARED_RUNTIME_DIR, spec);
        }
        add_option(&a, HELPER_OPT_NETWORK, network_mode_to_string(p->network));
        if (p->network == NETWORK_BRIDGE)
                add_bridge(&a, p);
        if (p->hostname)
                add_option(&a, HELPER_OPT_HOSTNAME, p->hostname);
        if (p->user_namespace != USERNS_NONE)
                add_option(&a, HELPER_OPT_USER_NAMESPACE, user_namespace_mode_to_string(p->user_namespace));
        /* the helper's default is the profile's: given only when it differs */
        if (p->interfaces != INTERFACES_DEFAULT) {
                char set[64];

                interfaces_format(p->interfaces, set, sizeof(set));
                add_option(&a, HELPER_OPT_INTERFACES, set);
        }
        if (p->selinux_label || p->selinux_mcs) {
                add_option(&a, p->selinux_mcs ? HELPER_OPT_SELINUX_MCS : HELPER_OPT_SELINUX_LABEL, p->selinux_label);
                if (p->selinux_optional)
                        add_option(&a, HELPER_OPT_SELINUX_OPTIONAL, NULL);
        }
        if (p->apparmor_profile) {
                add_option(&a, HELPER_OPT_APPARMOR_PROFILE, p->apparmor_profile);
                if (p->apparmor_optional)
                        add_option(&a, HELPER_OPT_APPARMOR_OPTIONAL, NULL);
        }
        if (!p->seccomp_default)
                add_option(&a, HELPER_OPT_SECCOMP_DEFAULT, "no");
        STRV_FOREACH(s, p->seccomp_allow)
                add_option(&a, HELPER_OPT_SECCOMP_ALLOW, *s);
        STRV_FOREACH(s, p->seccomp_deny)
                add_option(&a, HELPER_OPT_SECCOMP_DENY, *s);
        if (p->memory_deny_write_execute)
                add_option(&a, HELPER_OPT_MEMORY_DENY_WRITE_EXECUTE, NULL);
        if (p->address_families) {
                _cleanup_free_ char *l = strv_join(p->address_families, ",");
                _cleanup_free_ char *v = NULL;

                if (!l || asprintf(&v, "%s%s", p->address_families_deny ? "~" : "", *l ? l : "none") < 0)
                        a.error = -ENOMEM;
                else
                        add_option(&a, HELPER_OPT_ADDRESS_FAMILIES, v);
        }
        if (p->system_calls) {
                _cleanup_free_ char *l = strv_join(p->system_calls, ",");
                _cleanup_free_ char *v = NULL;

                if (!l || asprintf(&v, "%s%s", p->system_calls_deny ? "~" : "", l) < 0)
                        a.error = -ENOMEM;
                else
                        add_option(&a, HELPER_OPT_SYSTEM_CALLS, v);
                /* without it, a refused call kills the process */
                if (p->system_calls_errno)
                        add_option(&a, HELPER_OPT_SYSTEM_CALLS_ERRNO, p->system_calls_errno);
        }
        STRV_FOREACH(s, p->landlock_ro)
                add_option(&a, HELPER_OPT_LANDLOCK_RO, *s);
        STRV_FOREACH(s, p->landlock_rw)
                add_option(&a, HELPER_OPT_LANDLOCK_RW, *s);
        /* of the profile's rules: without any, nothing to be optional */
        if (p->landlock_optional && (p->landlock_ro || p->landlock_rw))
                add_option(&a, HELPER_OPT_LANDLOCK_OPTIONAL, NULL);
        if (!p->landlock_default)
                add_option(&a, HELPER_OPT_LANDLOCK_DEFAULT, "no");
        if (strv_length(p->keep_caps) + strv_length(p->keep_caps_unsafe) > 0) {
                /* both lists: keep-unsafe= is the profile's opt-in, not the helper's */
                _cleanup_strv_free_ char **all = NULL;
                _cleanup_free_ char *caps = NULL;

                if (strv_extend(&all, p->keep_caps) < 0 || strv_extend(&all, p->keep_caps_unsafe) < 0 ||
                    !(caps = strv_join(all, ",")))
                        a.error = -ENOMEM;
                else
                        add_option(&a, HELPER_OPT_KEEP_CAPS, caps);
        }
        if (!p->no_new_privileges)
                add_option(&a, HELPER_OPT_ALLOW_NEW_PRIVILEGES, NULL);
        if (p->user)
                add_option(&a, HELPER_OPT_USER, p->user);
        if (p->group)
                add_option(&a, HELPER_OPT_GROUP, p->group);
        if (p->supplementary_groups) {
                _cleanup_free_ char *groups = strv_join(p->supplementary_groups, ",");
                if (!groups)
                        a.error = -ENOMEM;
                else
                        add_option(&a, HELPER_OPT_SUPPLEMENTARY_GROUPS, groups);
        }
        if (p->workdir)
                add_option(&a, HELPER_OPT_WORKDIR, p->workdir);
        if (p->service_type == SERVICE_FORKING)
                add_option(&a, HELPER_OPT_FORKING, NULL);
        /* the unit is Type=notify (compile-unit.c): the service's own
         * READY=1 for notify, the helper's for these */
        if (p->service_type == SERVICE_SIMPLE || p->service_type == SERVICE_EXEC)
                add_option(&a, HELPER_OPT_READY_ON_EXEC, NULL);
        if (p->fd_store)
                add_option(&a, HELPER_OPT_FD_STORE, NULL);
        add_start_pre(&a, p);
        add(&a, "--");
        STRV_FOREACH(arg, p->argv)
                add(&a, *arg);

        if (a.error < 0) {
                strv_free(a.argv);
                return a.error;
        }
        *ret = a.argv;
        return 0;
}

/* A size written in the profile that is larger than its memory limit:
 * valid, as the limit bounds the tmpfs all the same, but the size says
 * what it does not do. */
static void size_warning(const Profile *p, Diagnostics *d, const char *file, unsigned line, const char *what, const char *size) {
        uint64_t limit = memory_limit(p), bytes;

        if (size && limit > 0 && parse_size(size, &bytes) >= 0 && bytes > limit)
                diag_add(d, file, line, "warning: %s size \"%s\" is larger than the memory limit \"%s\" of <resources>; "
                         "the tmpfs can never hold that much", what, size, p->memory_max);
}

void profile_size_warnings(const Profile *p, Diagnostics *d) {
        size_warning(p, d, p->path, 0, "<tmp>", p->tmp_size);
        size_warning(p, d, p->path, 0, "<run>", p->run_size);
        for (size_t i = 0; i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_TMPFS)
                        size_warning(p, d, p->mounts[i].origin.file, p->mounts[i].origin.line, "<tmpfs>", p->mounts[i].size);
}
