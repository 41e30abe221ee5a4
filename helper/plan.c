/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --dry-run: the ordered set-up steps, as DESIGN.md lists them. */
#include <stdio.h>
#include <string.h>

#include "helper-config.h"
#include "helper-options.h"
#include "interfaces.h"
#include "landlock-default.h"
#include "state-dir.h"
#include "strv.h"

static void step(unsigned *n, const char *what, const char *detail) {
        printf("%2u. %-12s %s\n", ++*n, what, detail);
}

static void plan_interfaces(const HelperConfig *c, unsigned *n) {
        char detail[512] = "", set[64];

        interfaces_format(c->interfaces, set, sizeof set);
        if (c->interfaces & INTERFACE_RUN_LOCK)
                strcat(detail, "/run/lock, mode 1777; ");
        if (c->interfaces & INTERFACE_JOURNAL)
                strcat(detail, "/run/systemd/journal/socket and stdout; ");
        if (c->interfaces & INTERFACE_DEV_LOG)
                strcat(detail, "/run/systemd/journal/dev-log, and /dev/log linked to it; ");
        if (c->interfaces & INTERFACE_DBUS)
                strcat(detail, "/run/dbus/system_bus_socket; ");
        if (c->interfaces & ~INTERFACE_RUN_LOCK)
                strcat(detail, "each socket the host's, where it has it, bound alone at its path, read-only nosuid nodev noexec; ");
        if (!c->interfaces)
                strcat(detail, "none; ");
        snprintf(detail + strlen(detail) - 2, sizeof detail - strlen(detail) + 2, " (%s)", set);
        step(n, "interfaces", detail);
}

static void dir_step(unsigned *n, const char *dir, const char *mode, const char *size, const char *state_root,
                     const char *name) {
        char detail[4400];

        if (streq(mode, "overlay"))
                snprintf(detail, sizeof detail, "overlay on /%s: lower /%s of the root, upper and work in %s/%s/%s, nosuid nodev",
                         dir, dir, state_root, name, dir);
        else if (streq(mode, "host"))
                snprintf(detail, sizeof detail, "/%s of the root, read-only", dir);
        else if (streq(mode, "private"))
                snprintf(detail, sizeof detail, "/%s from %s/%s/%s, persistent and empty at first, nosuid nodev", dir,
                         state_root, name, dir);
        else
                snprintf(detail, sizeof detail, "tmpfs on /%s%s%s, empty at every start, nosuid nodev", dir,
                         size ? " size=" : "", size ? size : "");
        step(n, dir, detail);
}

/* the default domain's paths: those written, and those whose device
 * nodes are only read and used (ioctls) */
typedef struct Grants {
        char write[2048], device[1024];
} Grants;

static int plan_grant(const char *path, LandlockGrant grant, bool follow, void *userdata) {
        Grants *g = userdata;
        char *to = grant == LANDLOCK_GRANT_DEVICE_RO ? g->device : g->write;
        size_t size = grant == LANDLOCK_GRANT_DEVICE_RO ? sizeof(g->device) : sizeof(g->write), len = strlen(to);

        (void) follow;
        if (grant != LANDLOCK_GRANT_READ) /* the root, whole */
                snprintf(to + len, size - len, "%s%s", len ? " " : "", path);
        return 0;
}

/* Landlock, then the system call filter: the last steps before execve(),
 * or the first of the service's own when new privileges are allowed. */
static void plan_confinement(const HelperConfig *c, unsigned *n) {
        _cleanup_free_ char *ro = c->landlock_ro ? strv_join(c->landlock_ro, " ") : NULL;
        _cleanup_free_ char *rw = c->landlock_rw ? strv_join(c->landlock_rw, " ") : NULL;
        _cleanup_free_ char *allow = c->seccomp_allow ? strv_join(c->seccomp_allow, " ") : NULL;
        _cleanup_free_ char *deny = c->seccomp_deny ? strv_join(c->seccomp_deny, " ") : NULL;
        char detail[4096];

        if (!c->landlock_no_default) {
                Grants g = {};

                (void) landlock_default_rules(c, plan_grant, &g);
                snprintf(detail, sizeof detail, "default domain (where the kernel has Landlock): read everywhere; write "
                         "below %s; device ioctls below %s; abstract unix sockets and signals scoped to the sandbox "
                         "(Landlock ABI 6)", g.write, g.device);
                step(n, "landlock", detail);
        }
        if (ro || rw) {
                snprintf(detail, sizeof detail, "read-only: %s; read-write: %s%s", ro ? ro : "none", rw ? rw : "none",
                         c->landlock_optional ? " (optional)" : "");
                step(n, "landlock", detail);
        }
        snprintf(detail, sizeof detail, "%s%s%s%s%s%s%s%s%s",
                 c->seccomp_no_default ? "no default deny-list" : "the default deny-list (sandbox-helper(8))",
                 allow ? "; allowed: " : "", allow ? allow : "", deny ? "; denied: " : "", deny ? deny : "",
                 c->memory_deny_write_execute ? "; no memory both writable and executable" : "",
                 c->address_families ? (c->address_families[0] == '~' ? "; address families refused: " :
                                        "; address families allowed: ") : "",
                 c->address_families ? c->address_families + (c->address_families[0] == '~') : "", "");
        if (!c->seccomp_no_default || deny || c->memory_deny_write_execute || c->address_families)
                step(n, "seccomp", detail);
        if (c->system_calls) {
                snprintf(detail, sizeof detail, "the profile's own filter, the last step before execve(): %s %s; a "
                         "refused call %s%s", c->system_calls[0] == '~' ? "refused:" : "allowed alone (and execve exit "
                         "exit_group rt_sigreturn sigreturn):", c->system_calls + (c->system_calls[0] == '~'),
                         c->system_calls_errno ? "fails with " : "kills the process",
                         c->system_calls_errno ? c->system_calls_errno : "");
                step(n, "system-calls", detail);
        }
}

void helper_print_plan(const HelperConfig *c) {
        const char *state_root = c->state_root ? c->state_root : STATE_ROOT_DEFAULT;
        const char *network = c->network ? c->network : "host";
        _cleanup_free_ char *cmd = strv_join(c->argv, " ");
        char detail[4400];
        unsigned n = 0;

        printf("sandbox %s%s%s\n", c->name, c->profile ? " from " : "", c->profile ? c->profile : "");
        snprintf(detail, sizeof detail, "mount uts ipc pid cgroup%s; / made recursively private",
                 streq(network, "host") ? "" : " net");
        step(&n, "namespaces", detail);
        snprintf(detail, sizeof detail, "%s%s, read-only and nodev on every submount, at /run/sandbox/%s/root",
                 c->root_directory ? "directory " : "host /", c->root_directory ? c->root_directory : "", c->name);
        step(&n, "root", detail);
        dir_step(&n, "etc", c->etc ? c->etc : "overlay", c->etc_size, state_root, c->name);
        dir_step(&n, "var", c->var ? c->var : "overlay", c->var_size, state_root, c->name);
        snprintf(detail, sizeof detail, "tmpfs on /tmp%s%s, /run%s%s, /dev/shm%s%s, nosuid nodev; with NOTIFY_SOCKET, "
                 "/run/systemd/notify, relayed by the helper (no MAINPID, %s)", c->tmp_size ? " size=" : "",
                 c->tmp_size ? c->tmp_size : "", c->run_size ? " size=" : "", c->run_size ? c->run_size : "",
                 c->shm_size ? " size=" : "", c->shm_size ? c->shm_size : "", c->fd_store ? "the fd store too" : "no fd store");
        step(&n, "tmpfs", detail);
        plan_interfaces(c, &n);
        step(&n, "proc", "fresh /proc, kernel interfaces masked or read-only (/proc/mtrr masked); /sys a read-only sysfs "
                          "of its own, without the host's debugfs, tracefs or pstore, /sys/firmware and "
                          "/sys/devices/virtual/powercap masked, its /sys/fs/cgroup the unit's cgroup where that is cgroup2");
        STRV_FOREACH(d, c->shared_runtime_dirs) {
                char *f[4] = {};

                if (helper_spec_split(*d, 4, f) < 0 && helper_spec_split(*d, 2, f) < 0)
                        continue;
                snprintf(detail, sizeof detail, "/run/%s of the host's, made as RuntimeDirectory= makes it (mode %s, "
                         "owner %s, group %s), bound on /run/%s, nosuid nodev noexec; removed when the sandbox ends", f[0],
                         f[1], f[2] && *f[2] ? f[2] : "the service's", f[3] && *f[3] ? f[3] : f[2] && *f[2] ? "the owner's own" : "the service's",
                         f[0]);
                step(&n, "shared runtime directory", detail);
                for (size_t i = 0; i < 4; i++)
                        free(f[i]);
        }
        step(&n, "dev", "minimal /dev: null zero full random urandom tty ptmx pts shm");
        step(&n, "mask", "/root /home (default): an empty tmpfs, read-only once the mounts below them are in");
        for (size_t i = 0; i < c->n_mounts; i++) {
                const HelperMount *m = &c->mounts[i];

                switch (m->kind) {
                case HELPER_MOUNT_BIND:
                        snprintf(detail, sizeof detail, "%s on %s, %snosuid nodev", m->source, m->target,
                                 m->readonly ? "read-only, " : "");
                        step(&n, "bind", detail);
                        break;
                case HELPER_MOUNT_IMAGE:
                        snprintf(detail, sizeof detail, "%s on a loop device on %s, %snosuid nodev", m->source, m->target,
                                 m->readonly ? "read-only, " : "");
                        step(&n, "image", detail);
                        break;
                case HELPER_MOUNT_BLOCK:
                        snprintf(detail, sizeof detail, "%s as %s%s", m->source, m->target, m->readonly ? ", read-only" : "");
                        step(&n, "block", detail);
                        break;
                case HELPER_MOUNT_TMPFS:
                        snprintf(detail, sizeof detail, "tmpfs on %s%s%s%s%s, nosuid nodev", m->target, *m->size ? " size=" : "",
                                 m->size, *m->mode ? " mode=" : "", m->mode);
                        step(&n, "tmpfs", detail);
                        break;
                }
        }
        step(&n, "mask", "/etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow- /etc/security/opasswd "
                         "/var/backups/shadow.bak /var/backups/gshadow.bak (default)");
        step(&n, "mask", "every private key below /etc/ssh: *_key, a private key's first line, or readable only by root "
                         "(default)");
        STRV_FOREACH(m, c->masks)
                step(&n, "mask", *m);
        snprintf(detail, sizeof detail, "%s (every sandbox's state)", state_root);
        step(&n, "mask", detail);
        STRV_FOREACH(e, c->no_exec_paths) {
                snprintf(detail, sizeof detail, "%s%s: noexec on every mount below it, each made a mount point first",
                         *e + (**e == '-'), **e == '-' ? " (optional)" : "");
                step(&n, "no-exec", detail);
        }
        STRV_FOREACH(e, c->exec_paths) {
                snprintf(detail, sizeof detail, "%s%s: noexec taken off again only where a no-exec path set it; the "
                         "sandbox's own noexec mounts stay so", *e + (**e == '-'), **e == '-' ? " (optional)" : "");
                step(&n, "exec", detail);
        }
        step(&n, "pivot_root", "into the new root; the old root detached");
        snprintf(detail, sizeof detail, "%s", network);
        step(&n, "network", detail);
        STRV_FOREACH(d, c->runtime_dirs) {
                snprintf(detail, sizeof detail, "/run/%s (the service's user's)", *d);
                step(&n, "runtime directory", detail);
        }
        step(&n, "init", c->forking ? "PID 1, confined (standard error, CAP_KILL, its own filter) before the command "
                                      "executes: reaps, forwards signals to every process; once the command exits 0, "
                                      "READY=1 to /run/systemd/notify, and exits with the status of the last process to end"
                    : c->ready_on_exec ? "PID 1, confined (standard error, CAP_KILL, its own filter) before the service "
                                         "executes: once it has been executed, READY=1 to /run/systemd/notify; reaps, "
                                         "forwards signals, exits with the service's status"
                                    : "PID 1, confined (standard error, CAP_KILL, its own filter) before the service "
                                      "executes: reaps, forwards signals, exits with the service's status");
        if (c->hostname)
                step(&n, "hostname", c->hostname);
        if (c->user_namespace)
                step(&n, "user namespace", "identity: the service's process made in a user namespace of its own, "
                                           "whose uid_map and gid_map process 1 writes before it confines itself: 0, the "
                                           "user, its group and supplementary groups to themselves, every other ID "
                                           "unmapped (the overflow ID, 65534); capabilities from here on are the "
                                           "namespace's");
        if (c->selinux_mcs && !c->selinux_label) {
                snprintf(detail, sizeof detail, "setexeccon: the policy's container process context at the sandbox's own "
                         "MCS categories (recorded in the state root's .selinux-mcs)%s", c->selinux_optional ? " (optional)" : "");
                step(&n, "selinux", detail);
        } else if (c->selinux_label) {
                snprintf(detail, sizeof detail, "setexeccon %s%s", c->selinux_label, c->selinux_optional ? " (optional)" : "");
                step(&n, "selinux", detail);
        }
        if (c->apparmor_profile) {
                snprintf(detail, sizeof detail, "change_onexec %s%s", c->apparmor_profile, c->apparmor_optional ? " (optional)" : "");
                step(&n, "apparmor", detail);
        }
        if (c->allow_new_privileges)
                plan_confinement(c, &n);
        step(&n, "no_new_privs", c->allow_new_privileges ? "not set (the profile allows new privileges)" : "set");
        snprintf(detail, sizeof detail, "user %s, group %s", c->user ? c->user : "root", c->group ? c->group : "(the user's)");
        step(&n, "identity", detail);
        {
                _cleanup_free_ char *caps = c->keep_caps ? strv_join(c->keep_caps, " ") : NULL;
                step(&n, "capabilities", caps && *caps ? caps : "none");
        }
        if (!c->allow_new_privileges)
                plan_confinement(c, &n);
        /* from the service's process, now confined as the service */
        for (size_t i = 0; i < c->n_start_pre; i++) {
                _cleanup_free_ char *words = strv_join(c->start_pre[i].argv, " ");

                snprintf(detail, sizeof detail, "%s, to its end%s", words ? words : "(out of memory)",
                         c->start_pre[i].ignore_failure ? ", its failure ignored" : "; a failure ends the start");
                step(&n, "exec-start-pre", detail);
        }
        snprintf(detail, sizeof detail, "%s%s%s", cmd ? cmd : "", c->workdir ? " in " : "", c->workdir ? c->workdir : "");
        step(&n, "execve", detail);
}
