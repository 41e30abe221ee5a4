/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "strv.h"

static void mount_done(ProfileMount *m) {
        free(m->source);
        free(m->target);
        free(m->tag);
        free(m->size);
}

Profile *profile_free(Profile *p) {
        if (!p)
                return NULL;
        free(p->name);
        free(p->path);
        strv_free(p->files);
        free(p->description);
        strv_free(p->argv);
        free(p->argv_expand);
        strv_free(p->environment);
        strv_free(p->environment_files);
        free(p->user);
        free(p->group);
        strv_free(p->supplementary_groups);
        free(p->workdir);
        free(p->restart);
        free(p->restart_sec);
        free(p->timeout_start_sec);
        free(p->timeout_stop_sec);
        free(p->fd_store);
        free(p->root_directory);
        free(p->tmp_size);
        free(p->state_size);
        free(p->run_size);
        for (size_t i = 0; i < p->n_mounts; i++)
                mount_done(&p->mounts[i]);
        free(p->mounts);
        for (size_t i = 0; i < p->n_masks; i++)
                free(p->masks[i].path);
        strv_free(p->runtime_dirs);
        for (size_t i = 0; i < p->n_shared_dirs; i++) {
                free(p->shared_dirs[i].name);
                free(p->shared_dirs[i].user);
                free(p->shared_dirs[i].group);
        }
        free(p->shared_dirs);
        free(p->masks);
        for (size_t i = 0; i < p->n_exec_paths; i++)
                free(p->exec_paths[i].path);
        free(p->exec_paths);
        profile_network_reset(p);
        free(p->hostname);
        strv_free(p->keep_caps);
        strv_free(p->keep_caps_unsafe);
        free(p->selinux_label);
        free(p->apparmor_profile);
        strv_free(p->seccomp_allow);
        strv_free(p->seccomp_deny);
        strv_free(p->address_families);
        strv_free(p->system_calls);
        free(p->system_calls_errno);
        strv_free(p->landlock_ro);
        strv_free(p->landlock_rw);
        free(p->memory_max);
        free(p->cpu_quota);
        free(p->tasks_max);
        free(p->io_weight);
        strv_free(p->wanted_by);
        profile_hooks_free(p->hooks, p->n_hooks);
        for (size_t i = 0; i < p->n_unit_settings; i++)
                free(p->unit_settings[i].section), free(p->unit_settings[i].name), free(p->unit_settings[i].value);
        free(p->unit_settings);
        free(p);
        return NULL;
}

void profile_network_reset(Profile *p) {
        p->network = NETWORK_HOST;
        p->network_origin = (Origin) {};
        free(p->net_bridge), free(p->net_address), free(p->net_address6);
        free(p->net_gateway), free(p->net_gateway6), free(p->net_mtu);
        p->net_bridge = p->net_address = p->net_address6 = p->net_gateway = p->net_gateway6 = p->net_mtu = NULL;
        p->net_ipv6 = false;
        p->net_outbound = true;
        free(p->net_ports);
        p->net_ports = NULL;
        p->n_net_ports = 0;
        strv_free(p->net_dns), strv_free(p->net_allow), strv_free(p->net_deny);
        p->net_dns = p->net_allow = p->net_deny = NULL;
}

static const char *const service_types[] = {
        [SERVICE_SIMPLE] = "simple",   [SERVICE_EXEC] = "exec",       [SERVICE_NOTIFY] = "notify",
        [SERVICE_FORKING] = "forking", [SERVICE_ONESHOT] = "oneshot",
};

static const char *const dir_modes[] = {
        [DIR_OVERLAY] = "overlay", [DIR_HOST] = "host", [DIR_PRIVATE] = "private", [DIR_TMPFS] = "tmpfs",
};

static const char *const network_modes[] = {
        [NETWORK_HOST] = "host", [NETWORK_NONE] = "none", [NETWORK_PRIVATE] = "private",
        [NETWORK_BRIDGE] = "bridge",
};

static const char *const user_namespace_modes[] = {
        [USERNS_NONE] = "none", [USERNS_IDENTITY] = "identity", [USERNS_PRIVATE] = "private",
};

const char *service_type_to_string(ServiceType t) {
        return service_types[t];
}

const char *dir_mode_to_string(DirMode m) {
        return dir_modes[m];
}

const char *network_mode_to_string(NetworkMode m) {
        return network_modes[m];
}

const char *user_namespace_mode_to_string(UserNamespaceMode m) {
        return user_namespace_modes[m];
}

static int lookup(const char *const *table, size_t n, const char *s) {
        for (size_t i = 0; i < n; i++)
                if (table[i] && streq(table[i], s))
                        return (int) i;
        return -1;
}

int service_type_from_string(const char *s) {
        return lookup(service_types, ELEMENTSOF(service_types), s);
}

int dir_mode_from_string(const char *s) {
        return lookup(dir_modes, ELEMENTSOF(dir_modes), s);
}

int network_mode_from_string(const char *s) {
        return lookup(network_modes, ELEMENTSOF(network_modes), s);
}

int user_namespace_mode_from_string(const char *s) {
        return lookup(user_namespace_modes, ELEMENTSOF(user_namespace_modes), s);
}
