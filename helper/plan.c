/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* --dry-run: what each set-up step prints. Which steps, and their order,
 * come from the tables the helper walks to build the sandbox (step.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper-config.h"
#include "helper-options.h"
#include "interfaces.h"
#include "landlock-default.h"
#include "plan.h"
#include "rootfs.h"
#include "state-dir.h"
#include "strv.h"

static const char *state_root(const HelperConfig *c) {
        return c->state_root ? c->state_root : STATE_ROOT_DEFAULT;
}

static const char *dir_mode(const HelperConfig *c, const char *dir) {
        const char *mode = streq(dir, "etc") ? c->etc : c->var;

        return mode ? mode : "overlay";
}

static bool private_network(const HelperConfig *c) {
        return c->network && !streq(c->network, "host");
}

void plan_preflight(const HelperConfig *c, Plan *p) {
        if (c->unprivileged) {
                plan_line(p, "preflight", "root of a user namespace whose root is not the host's (uid_map), with no "
                          "privilege on the host; a mount namespace of the helper's own, private; the user and "
                          "groups as numbers, from %s's /etc", c->root_directory ? c->root_directory : "the host");
                return;
        }
        plan_line(p, "preflight", "run as root; the labels asked for, where the system has their security module%s; the user "
                  "and groups as numbers, from %s's /etc; NOTIFY_SOCKET checked",
                  c->selinux_optional || c->apparmor_optional ? " (or optional)" : "",
                  c->root_directory ? c->root_directory : "the host");
}

void plan_lock(const HelperConfig *c, Plan *p) {
        plan_line(p, "lock", "%s/%s/lock, held until the sandbox has ended: a second start of %s is refused "
                  "meanwhile", c->runtime_root ? c->runtime_root : RUNTIME_ROOT, c->name, c->name);
}

void plan_userns(const HelperConfig *c, Plan *p) {
        plan_line(p, "userns", "the range of %s/%s/userns (one of 65536 IDs from the pool, taken at the first start), "
                  "its state's owners shifted into it once if made without it; a user namespace with the map 0 BASE "
                  "65536%s", state_root(c), c->name, private_network(c) ? ", and the network namespace in it" : "");
}

void plan_namespaces(const HelperConfig *c, Plan *p) {
        plan_line(p, "namespaces", "mount uts ipc pid cgroup%s, entered by process 1 alone",
                  private_network(c) ? " net" : "");
}

void plan_overlays(const HelperConfig *c, Plan *p) {
        static const char *const dirs[] = { "etc", "var" };

        if (c->state_size)
                plan_line(p, "state-image", "ext4 of %s in %s/%s/state.img (made at the first start, grown when the "
                          "size grew) on a loop device that goes with its last mount, mounted detached",
                          c->state_size, state_root(c), c->name);
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                if (streq(dir_mode(c, dirs[i]), "overlay"))
                        plan_line(p, dirs[i], "overlay on /%s: lower /%s of the root, upper and work in %s/%s/%s%s, "
                                  "nosuid nodev; made here while process 1 builds the root, and handed to it",
                                  dirs[i], dirs[i], state_root(c), c->name, c->state_size ? "state.img:/" : "",
                                  dirs[i]);
}

void plan_propagation(const HelperConfig *c, Plan *p) {
        (void) c;
        plan_line(p, "propagation", "/ made recursively private");
}

void plan_root(const HelperConfig *c, Plan *p) {
        plan_line(p, "root", "%s%s, read-only and nodev on every submount, at %s/%s/root",
                  c->root_directory ? "directory " : "host /", c->root_directory ? c->root_directory : "",
                  c->runtime_root ? c->runtime_root : RUNTIME_ROOT, c->name);
}

void plan_join(const HelperConfig *c, Plan *p) {
        static const char *const dirs[] = { "etc", "var" };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                const char *dir = dirs[i], *mode = dir_mode(c, dir);
                const char *size = streq(dir, "etc") ? c->etc_size : c->var_size;

                if (streq(mode, "overlay"))
                        plan_line(p, "join", "/%s: the helper's overlay moved into place", dir);
                else if (streq(mode, "host"))
                        plan_line(p, "join", "/%s: /%s of the root, read-only", dir, dir);
                else if (streq(mode, "private"))
                        plan_line(p, "join", "/%s: /%s from %s/%s/%s, persistent and empty at first, nosuid nodev", dir,
                                  dir, state_root(c), c->name, dir);
                else
                        plan_line(p, "join", "/%s: tmpfs on /%s%s%s, empty at every start, nosuid nodev", dir, dir,
                                  size ? " size=" : "", size ? size : "");
        }
}

void plan_tmpfs(const HelperConfig *c, Plan *p) {
        plan_line(p, "tmpfs", "tmpfs on /tmp%s%s, /run%s%s, nosuid nodev; with NOTIFY_SOCKET, /run/systemd/notify, "
                  "relayed by the helper (no MAINPID, %s)", c->tmp_size ? " size=" : "", c->tmp_size ? c->tmp_size : "",
                  c->run_size ? " size=" : "", c->run_size ? c->run_size : "",
                  c->fd_store ? "the fd store too" : "no fd store");
}

void plan_interfaces(const HelperConfig *c, Plan *p) {
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
        plan_line(p, "interfaces", "%s; with CREDENTIALS_DIRECTORY, the unit's credentials copied in", detail);
}

void plan_dev(const HelperConfig *c, Plan *p) {
        plan_line(p, "dev", "minimal /dev: null zero full random urandom tty ptmx pts, tmpfs on /dev/shm%s%s, nosuid nodev, "
                  "then read-only", c->shm_size ? " size=" : "", c->shm_size ? c->shm_size : "");
}

void plan_proc(const HelperConfig *c, Plan *p) {
        plan_line(p, "proc", "fresh /proc%s, kernel interfaces masked or read-only (/proc/mtrr masked); /sys a read-only "
                  "sysfs of its own, without the host's debugfs, tracefs or pstore, /sys/firmware and "
                  "/sys/devices/virtual/powercap masked, its /sys/fs/cgroup the unit's cgroup where that is cgroup2",
                  c->proc_subset && streq(c->proc_subset, "pid") ? " with the processes' entries alone (subset=pid)" : "");
}

void plan_shared_dirs(const HelperConfig *c, Plan *p) {
        STRV_FOREACH(d, c->shared_runtime_dirs) {
                char *f[4] = {};

                if (helper_spec_split(*d, 4, f) < 0 && helper_spec_split(*d, 2, f) < 0)
                        continue;
                plan_line(p, "shared_dirs", "/run/%s of the host's, made as RuntimeDirectory= makes it (mode %s, owner "
                          "%s, group %s), bound on /run/%s, nosuid nodev noexec; removed when the sandbox ends", f[0], f[1],
                          f[2] && *f[2] ? f[2] : "the service's",
                          f[3] && *f[3] ? f[3] : f[2] && *f[2] ? "the owner's own" : "the service's", f[0]);
                for (size_t i = 0; i < 4; i++)
                        free(f[i]);
        }
}

void plan_mask_home(const HelperConfig *c, Plan *p) {
        (void) c;
        plan_line(p, "mask", "/root /home (default): an empty tmpfs, read-only once the mounts below them are in");
}

void plan_mounts(const HelperConfig *c, Plan *p) {
        _cleanup_free_ const HelperMount **order = c->n_mounts ? rootfs_mount_order(c) : NULL;

        for (size_t i = 0; order && i < c->n_mounts; i++) {
                const HelperMount *m = order[i];
                const char *name = rootfs_mount_kinds[m->kind];

                switch (m->kind) {
                case HELPER_MOUNT_BIND:
                        plan_line(p, name, "%s on %s, %snosuid nodev", m->source, m->target, m->readonly ? "read-only, " : "");
                        break;
                case HELPER_MOUNT_IMAGE:
                        plan_line(p, name, "%s on a loop device on %s, %snosuid nodev", m->source, m->target,
                                  m->readonly ? "read-only, " : "");
                        break;
                case HELPER_MOUNT_BLOCK:
                        plan_line(p, name, "%s as %s%s", m->source, m->target, m->readonly ? ", read-only" : "");
                        break;
                case HELPER_MOUNT_TMPFS:
                        plan_line(p, name, "tmpfs on %s%s%s%s%s, nosuid nodev", m->target, *m->size ? " size=" : "",
                                  m->size, *m->mode ? " mode=" : "", m->mode);
                        break;
                }
        }
}

void plan_masks(const HelperConfig *c, Plan *p) {
        plan_line(p, "mask", "/etc/shadow /etc/gshadow /etc/shadow- /etc/gshadow- /etc/security/opasswd "
                  "/var/backups/shadow.bak /var/backups/gshadow.bak (default)");
        plan_line(p, "mask", "every private key below /etc/ssh: *_key, a private key's first line, or readable only by "
                  "root (default)");
        STRV_FOREACH(m, c->masks)
                plan_line(p, "mask", "%s", *m);
        plan_line(p, "mask", "%s (every sandbox's state)", state_root(c));
}

void plan_no_exec(const HelperConfig *c, Plan *p) {
        STRV_FOREACH(e, c->no_exec_paths)
                plan_line(p, "no-exec", "%s%s: noexec on every mount below it, each made a mount point first",
                          *e + (**e == '-'), **e == '-' ? " (optional)" : "");
        STRV_FOREACH(e, c->exec_paths)
                plan_line(p, "no-exec", "exec path %s%s: noexec taken off again only where a no-exec path set it; the "
                          "sandbox's own noexec mounts stay so", *e + (**e == '-'), **e == '-' ? " (optional)" : "");
}

void plan_pivot_root(const HelperConfig *c, Plan *p) {
        (void) c;
        plan_line(p, "pivot_root", "into the new root; the old root detached");
}

void plan_network(const HelperConfig *c, Plan *p) {
        plan_line(p, "network", "%s", c->network ? c->network : "host");
}

void plan_bridge(const HelperConfig *c, Plan *p) {
        plan_line(p, "bridge", "sandbox-network: a lease of an address, eth0 of a veth pair on the bridge %s, its "
                  "addresses and routes, the nftables rules of the sandbox%s", c->net_bridge ? c->net_bridge : "sandbox0",
                  c->net_ports ? ", its forwarded ports" : "");
}

void plan_resolv_conf(const HelperConfig *c, Plan *p) {
        (void) c;
        plan_line(p, "resolv.conf", "the resolvers of the sandbox's network, read-only on /etc/resolv.conf");
}

void plan_hostname(const HelperConfig *c, Plan *p) {
        plan_line(p, "hostname", "%s", c->hostname);
}

void plan_terminal(const HelperConfig *c, Plan *p) {
        (void) c;
        plan_line(p, "terminal", "when the helper's standard input, output or error is a terminal: a pty of the "
                  "sandbox's own in its place, relayed by the helper");
}

void plan_init(const HelperConfig *c, Plan *p) {
        STRV_FOREACH(d, c->runtime_dirs)
                plan_line(p, "init", "runtime directory /run/%s (the service's user's)", *d);
        if (c->user_namespace)
                plan_line(p, "init", "user namespace %s: the service's process made in a user namespace of its own, "
                          "whose uid_map and gid_map process 1 writes before it confines itself: 0, the user, its group "
                          "and supplementary groups to themselves, every other ID unmapped (the overflow ID, 65534); "
                          "capabilities from here on are the namespace's", c->user_namespace);
        plan_line(p, "init", "%s", c->forking ?
                  "PID 1, confined (standard error, CAP_KILL, its own filter) before the command executes: reaps, "
                  "forwards signals to every process; once the command exits 0, READY=1 to /run/systemd/notify, and "
                  "exits with the status of the last process to end"
                  : c->ready_on_exec ?
                  "PID 1, confined (standard error, CAP_KILL, its own filter) before the service executes: once it "
                  "has been executed, READY=1 to /run/systemd/notify; reaps, forwards signals, exits with the service's status"
                  : "PID 1, confined (standard error, CAP_KILL, its own filter) before the service executes: reaps, "
                  "forwards signals, exits with the service's status");
}

void plan_selinux(const HelperConfig *c, Plan *p) {
        if (c->selinux_label)
                plan_line(p, "selinux", "setexeccon %s%s", c->selinux_label, c->selinux_optional ? " (optional)" : "");
        else
                plan_line(p, "selinux", "setexeccon: the policy's container process context at the sandbox's own MCS "
                          "categories (recorded in the state root's .selinux-mcs)%s",
                          c->selinux_optional ? " (optional)" : "");
}

void plan_apparmor(const HelperConfig *c, Plan *p) {
        plan_line(p, "apparmor", "change_onexec %s%s", c->apparmor_profile, c->apparmor_optional ? " (optional)" : "");
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

void plan_landlock(const HelperConfig *c, Plan *p) {
        _cleanup_free_ char *ro = c->landlock_ro ? strv_join(c->landlock_ro, " ") : NULL;
        _cleanup_free_ char *rw = c->landlock_rw ? strv_join(c->landlock_rw, " ") : NULL;

        if (!c->landlock_no_default) {
                Grants g = {};

                (void) landlock_default_rules(c, plan_grant, &g);
                plan_line(p, "landlock", "default domain (where the kernel has Landlock): read everywhere; write below "
                          "%s; device ioctls below %s; abstract unix sockets and signals scoped to the sandbox "
                          "(Landlock ABI 6)", g.write, g.device);
        }
        if (ro || rw)
                plan_line(p, "landlock", "read-only: %s; read-write: %s%s", ro ? ro : "none", rw ? rw : "none",
                          c->landlock_optional ? " (optional)" : "");
}

void plan_seccomp(const HelperConfig *c, Plan *p) {
        _cleanup_free_ char *allow = c->seccomp_allow ? strv_join(c->seccomp_allow, " ") : NULL;
        _cleanup_free_ char *deny = c->seccomp_deny ? strv_join(c->seccomp_deny, " ") : NULL;

        plan_line(p, "seccomp", "%s%s%s%s%s%s%s%s",
                  c->seccomp_no_default ? "no default deny-list" : "the default deny-list (sandbox-helper(8))",
                  allow ? "; allowed: " : "", allow ? allow : "", deny ? "; denied: " : "", deny ? deny : "",
                  c->memory_deny_write_execute ? "; no memory both writable and executable" : "",
                  c->address_families ? (c->address_families[0] == '~' ? "; address families refused: " :
                                         "; address families allowed: ") : "",
                  c->address_families ? c->address_families + (c->address_families[0] == '~') : "");
}

static void plan_caps(const HelperConfig *c, Plan *p, const char *what) {
        _cleanup_free_ char *caps = c->keep_caps ? strv_join(c->keep_caps, " ") : NULL;

        plan_line(p, "capabilities", "%s%s", what, caps && *caps ? caps : "none");
}

void plan_bounding_set(const HelperConfig *c, Plan *p) {
        plan_caps(c, p, "bounding set: ");
}

void plan_identity(const HelperConfig *c, Plan *p) {
        plan_line(p, "identity", "user %s, group %s", c->user ? c->user : "root", c->group ? c->group : "(the user's)");
}

void plan_capabilities(const HelperConfig *c, Plan *p) {
        plan_caps(c, p, "");
}

void plan_no_new_privs(const HelperConfig *c, Plan *p) {
        plan_line(p, "no_new_privs", "%s", c->allow_new_privileges ? "not set (the profile allows new privileges)" : "set");
}

void plan_start_pre(const HelperConfig *c, Plan *p) {
        for (size_t i = 0; i < c->n_start_pre; i++) {
                _cleanup_free_ char *words = strv_join(c->start_pre[i].argv, " ");

                plan_line(p, "exec-start-pre", "%s, to its end%s", words ? words : "(out of memory)",
                          c->start_pre[i].ignore_failure ? ", its failure ignored" : "; a failure ends the start");
        }
}

void plan_system_calls(const HelperConfig *c, Plan *p) {
        if (!c->system_calls)
                return;
        plan_line(p, "system-calls", "the profile's own filter, the last step before execve(): %s %s; a refused call %s%s",
                  c->system_calls[0] == '~' ? "refused:" : "allowed alone (and execve exit exit_group rt_sigreturn sigreturn):",
                  c->system_calls + (c->system_calls[0] == '~'), c->system_calls_errno ? "fails with " : "kills the process",
                  c->system_calls_errno ? c->system_calls_errno : "");
}

void plan_execve(const HelperConfig *c, Plan *p) {
        _cleanup_free_ char *cmd = strv_join(c->argv, " ");

        plan_line(p, "execve", "%s%s%s", cmd ? cmd : "", c->workdir ? " in " : "", c->workdir ? c->workdir : "");
}
