/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The leases of bridged sandboxes (net-lease.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "net-lease.h"
#include "proc-file.h"
#include "net-lease-record.h"
#include "run-lock.h"
#include "state-dir.h"

#define LEASE_LOCK ".lock"
/* the lowest host number handed out: .1 is the bridge's, by custom */
#define HOST_FIRST 2

static const char *lease_dir = NET_LEASE_DIR;
static const char *run_root = NULL;

void net_lease_set_dirs(const char *dir, const char *runtime_root) {
        lease_dir = dir ?: NET_LEASE_DIR;
        run_root = runtime_root;
}

/* The lease directory: made (0755, and /run/sandbox above the default
 * one) with create, else -ENOENT (not logged) when missing. It must be
 * root's and writable by root alone. */
static int lease_dir_open(bool create) {
        _cleanup_close_ int fd = -EBADF;
        bool made = false;
        struct stat st;

        if (create && streq(lease_dir, NET_LEASE_DIR) && mkdir(RUNTIME_ROOT, 0755) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "network: create %s: %m%s", RUNTIME_ROOT, log_root_hint(-errno));
        if (create) {
                made = mkdir(lease_dir, 0755) == 0;
                if (!made && errno != EEXIST)
                        return log_error_errno(-errno, "network: create %s: %m%s", lease_dir, log_root_hint(-errno));
        }
        fd = open(lease_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        /* readable by sandboxctl list, whatever the umask */
        if (fd >= 0 && made && fchmod(fd, 0755) < 0)
                return log_error_errno(-errno, "network: %s: %m", lease_dir);
        if (fd < 0 && errno == ENOENT && !create)
                return -ENOENT;
        if (fd < 0)
                return log_error_errno(-errno, "network: %s: %m%s", lease_dir, log_root_hint(-errno));
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "network: %s: %m", lease_dir);
        if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
                return log_error_errno(-EPERM, "network: %s is not a directory of root's that only root can write; "
                                       "not used", lease_dir);
        return TAKE_FD(fd);
}

/* The lock every taker and freer of a lease holds; never replaced. */
static int lease_lock(int dir) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(dir, LEASE_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "network: %s/%s: %m", lease_dir, LEASE_LOCK);
        if (flock(fd, LOCK_EX) < 0)
                return log_error_errno(-errno, "network: lock %s/%s: %m", lease_dir, LEASE_LOCK);
        return TAKE_FD(fd);
}

static int lease_read_at(int dir, const char *name, NetLease *ret) {
        _cleanup_free_ char *text = malloc(NET_RECORD_MAX + 1);
        char shown[4200];
        int r;

        if (!text)
                return log_oom();
        r = net_record_read(dir, lease_dir, name, text);
        if (r < 0)
                return r;
        /* name may be ret's own */
        snprintf(shown, sizeof(shown), "%s/%s", lease_dir, name);
        {
                char copy[SANDBOX_NAME_MAX + 1];

                snprintf(copy, sizeof(copy), "%s", name);
                *ret = (NetLease) {};
                strcpy(ret->name, copy);
        }
        return net_lease_parse(text, shown, ret);
}

int net_lease_read(const char *name, NetLease *ret) {
        _cleanup_close_ int dir = -EBADF;

        if (!sandbox_name_is_valid(name))
                return log_error_errno(-EINVAL, "network: \"%s\" is not a sandbox name", name);
        dir = lease_dir_open(false);
        if (dir < 0)
                return dir;
        return lease_read_at(dir, name, ret);
}

int net_lease_free(const char *name) {
        _cleanup_close_ int dir = -EBADF, lock = -EBADF;

        if (!sandbox_name_is_valid(name))
                return log_error_errno(-EINVAL, "network: \"%s\" is not a sandbox name", name);
        dir = lease_dir_open(false);
        if (dir == -ENOENT)
                return 0;
        if (dir < 0)
                return dir;
        lock = lease_lock(dir);
        if (lock < 0)
                return lock;
        if (unlinkat(dir, name, 0) < 0 && errno != ENOENT)
                return log_error_errno(-errno, "network: remove %s/%s: %m", lease_dir, name);
        return 0;
}

typedef struct Leases {
        NetLease *items;
        size_t n;
        bool *live;
        NetLease *own; /* the caller's earlier lease, if one is left */
} Leases;

static void leases_done(Leases *ls) {
        free(ls->items);
        free(ls->live);
        free(ls->own);
}

/* whether the keeper a lease names still runs: the same PID, started at
 * the same time (a PID used again is another process) */
static bool keeper_alive(const NetLease *l) {
        uint64_t start;
        pid_t parent;

        return proc_stat_parent_start(l->keeper, &parent, &start) >= 0 && start == l->keeper_start;
}

/* Every lease below dir, each marked live or stale by its sandbox's run
 * lock; the caller's own one (want_name), left by a start that did not
 * end cleanly, is stale, as the caller holds that lock. A lease that
 * cannot be read is refused while its sandbox runs (what it holds is
 * not known) and removed, with a warning, once it does not. */
static int leases_scan(int dir, const char *want_name, Leases *ls) {
        _cleanup_closedir_ DIR *d = NULL;
        _cleanup_free_ char **names = NULL;
        _cleanup_free_ int *readable = NULL;
        size_t n = 0, allocated = 0;
        struct dirent *de;
        int fd, r;

        fd = fcntl(dir, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return log_error_errno(-errno, "network: %s: %m", lease_dir);
        d = fdopendir(fd);
        if (!d) {
                close(fd);
                return log_error_errno(-errno, "network: %s: %m", lease_dir);
        }
        rewinddir(d);
        while ((errno = 0, de = readdir(d))) {
                NetLease l;

                /* the lock and files being written start with a dot */
                if (de->d_name[0] == '.')
                        continue;
                if (!sandbox_name_is_valid(de->d_name)) {
                        log_warning("network: %s/%s is not a lease; left alone", lease_dir, de->d_name);
                        continue;
                }
                r = lease_read_at(dir, de->d_name, &l);
                if (r == -ENOENT)
                        continue;
                if (r == -ENOMEM)
                        return r;
                if (streq(de->d_name, want_name)) {
                        if (r < 0) {
                                (void) unlinkat(dir, want_name, 0);
                                continue;
                        }
                        ls->own = malloc(sizeof(NetLease));
                        if (!ls->own)
                                return log_oom();
                        *ls->own = l;
                        continue;
                }
                if (n == allocated) {
                        size_t k = allocated ? allocated * 2 : 32;
                        NetLease *t = reallocarray(ls->items, k, sizeof(NetLease));
                        char **tn = t ? reallocarray(names, k, sizeof(char *)) : NULL;
                        int *tr = tn ? reallocarray(readable, k, sizeof(int)) : NULL;

                        if (t)
                                ls->items = t;
                        if (tn)
                                names = tn;
                        if (!tr)
                                return log_oom();
                        readable = tr;
                        allocated = k;
                }
                ls->items[n] = r < 0 ? (NetLease) {} : l;
                strcpy(ls->items[n].name, de->d_name);
                readable[n] = r;
                n++;
        }
        if (errno != 0)
                return log_error_errno(-errno, "network: read %s: %m", lease_dir);
        ls->live = calloc(n ? n : 1, sizeof(bool));
        if (!ls->live)
                return log_oom();
        /* a lease that names its keeper is live while that runs; the
         * others by their run locks, asked all at once */
        size_t asked = 0;
        for (size_t i = 0; i < n; i++)
                if (readable[i] < 0 || ls->items[i].keeper <= 0)
                        names[asked++] = ls->items[i].name;
                else
                        ls->live[i] = keeper_alive(&ls->items[i]);
        if (asked > 0) {
                _cleanup_free_ bool *held = calloc(asked, sizeof(bool));

                if (!held)
                        return log_oom();
                r = sandbox_locks_held_now(run_root, (const char *const *) names, asked, held);
                if (r < 0)
                        return r;
                for (size_t i = 0, k = 0; i < n; i++)
                        if (readable[i] < 0 || ls->items[i].keeper <= 0)
                                ls->live[i] = held[k++];
        }
        ls->n = n;
        for (size_t i = 0; i < n; i++) {
                if (readable[i] >= 0)
                        continue;
                if (ls->live[i])
                        return log_error_errno(readable[i], "network: the lease of sandbox %s, which runs, cannot "
                                               "be read; no address is handed out while it is not known",
                                               ls->items[i].name);
                log_warning("network: removing the lease %s/%s, which cannot be read; sandbox %s does not run",
                            lease_dir, ls->items[i].name, ls->items[i].name);
                (void) unlinkat(dir, ls->items[i].name, 0);
                /* neither live nor returned */
                ls->items[i].name[0] = 0;
        }
        return 0;
}

/* The live lease whose addr4 or addr6 is a, if any. */
static const NetLease *address_holder(const Leases *ls, const NetAddr *a) {
        for (size_t i = 0; i < ls->n; i++)
                if (ls->live[i] && (net_addr_equal(&ls->items[i].addr4, a) || net_addr_equal(&ls->items[i].addr6, a)))
                        return &ls->items[i];
        return NULL;
}

/* Whether host number host of want's IPv4 network may be a sandbox's:
 * neither the network's nor its broadcast address, nor the gateway's. */
static bool host_assignable(const NetLease *want, uint64_t host) {
        uint64_t last = want->net4.len >= 32 ? 0 : (UINT64_C(1) << (32 - want->net4.len)) - 1;

        return host > 0 && host < last && !(net_prefix_contains(&want->net4, &want->gw4) &&
                                            host == net_prefix_host_number(&want->net4, &want->gw4));
}

/* The IPv6 address of IPv4 host number host: net6's network with it. */
static int address6_of(const NetLease *want, uint64_t host, NetAddr *ret) {
        NetPrefix net;

        net_prefix_network(&want->net6, &net);
        return net_prefix_host(&net, host, ret);
}

/* Whether host number host is free: its IPv4 address, and its IPv6 one
 * when that is derived from it, is no live lease's nor a gateway's. */
static bool host_free(const NetLease *want, const Leases *ls, uint64_t host) {
        NetPrefix net;
        NetAddr a;

        if (!host_assignable(want, host))
                return false;
        net_prefix_network(&want->net4, &net);
        if (net_prefix_host(&net, host, &a) < 0 || address_holder(ls, &a))
                return false;
        if (!want->net6.addr.family || want->addr6.family)
                return true;
        return address6_of(want, host, &a) >= 0 && !net_addr_equal(&a, &want->gw6) && !address_holder(ls, &a);
}

static int address_in_use(const NetLease *holder, const NetAddr *a) {
        char s[NET_ADDR_STRING_MAX];

        return log_error_errno(-EADDRINUSE, "network: %s is the address of sandbox %s, which runs",
                               net_addr_to_string(a, s), holder->name);
}

/* The static addresses asked for, checked. */
static int take_static(NetLease *want, const Leases *ls) {
        char s[NET_ADDR_STRING_MAX], p[NET_PREFIX_STRING_MAX];
        const NetLease *holder;

        if (!net_prefix_contains(&want->net4, &want->addr4) ||
            !host_assignable(want, net_prefix_host_number(&want->net4, &want->addr4)))
                return log_error_errno(-EADDRNOTAVAIL, "network: %s is not a sandbox's address in %s: it must be "
                                       "in the network, and neither its network, broadcast nor gateway address",
                                       net_addr_to_string(&want->addr4, s), net_prefix_to_string(&want->net4, p));
        holder = address_holder(ls, &want->addr4);
        if (holder)
                return address_in_use(holder, &want->addr4);
        return 0;
}

/* The first choice: address4= in STATE_ROOT/NAME/network, if there is
 * one that is in want's network and free. Nothing in the state decides
 * more than that: a missing or unreadable record is no first choice. */
static bool first_choice(const char *state_root, const NetLease *want, const Leases *ls, uint64_t *ret_host) {
        _cleanup_close_ int root = -EBADF, state = -EBADF;
        _cleanup_free_ char *text = NULL, *shown = NULL;
        NetAddr a;

        if (!state_root)
                return false;
        root = state_root_walk(state_root, 0);
        if (root < 0)
                return false;
        text = malloc(NET_RECORD_MAX + 1);
        if (asprintf(&shown, "%s/%s", state_root, want->name) < 0) {
                shown = NULL;
                return false;
        }
        if (!text)
                return false;
        state = state_step_down(root, want->name, shown, 0);
        if (state < 0 || net_record_read(state, shown, NET_STATE_FILE, text) < 0)
                return false;
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
                if (strncmp(line, "address4=", 9) == 0 && net_addr_parse(line + 9, AF_INET, &a) >= 0 &&
                    net_prefix_contains(&want->net4, &a)) {
                        uint64_t host = net_prefix_host_number(&want->net4, &a);

                        if (!host_free(want, ls, host))
                                return false;
                        *ret_host = host;
                        return true;
                }
        return false;
}

/* STATE_ROOT/NAME/network rewritten with the address taken; a sandbox
 * without state (yet) has no first choice to keep, and a failure only
 * costs the next start its first choice (logged). */
void net_lease_remember(const char *state_root, const NetLease *l) {
        _cleanup_close_ int root = -EBADF, state = -EBADF;
        _cleanup_free_ char *shown = NULL;
        _cleanup_buffer_ Buffer b = {};
        char a[NET_ADDR_STRING_MAX];

        if (!state_root)
                return;
        root = state_root_walk(state_root, 0);
        if (root < 0)
                return;
        if (asprintf(&shown, "%s/%s", state_root, l->name) < 0) {
                shown = NULL;
                return;
        }
        state = state_step_down(root, l->name, shown, 0);
        if (state < 0)
                return;
        buffer_printf(&b, "address4=%s\n", net_addr_to_string(&l->addr4, a));
        if (l->addr6.family)
                buffer_printf(&b, "address6=%s\n", net_addr_to_string(&l->addr6, a));
        if (!b.oom)
                (void) net_record_write(state, shown, NET_STATE_FILE, b.data);
}

/* "vsbN", N the lowest index no live lease uses */
static void ifname_pick(const Leases *ls, char ifname[static NET_IFNAME_MAX + 1]) {
        for (unsigned n = 0;; n++) {
                bool used = false;

                snprintf(ifname, NET_IFNAME_MAX + 1, "vsb%u", n);
                for (size_t i = 0; i < ls->n && !used; i++)
                        used = ls->live[i] && streq(ls->items[i].ifname, ifname);
                if (!used)
                        return;
        }
}

/* Two forwards that the kernel could not tell apart: the same protocol
 * and host port, on the same host address or on every one. */
static bool ports_clash(const NetPort *a, const NetPort *b) {
        return a->protocol == b->protocol && a->host_port == b->host_port &&
               (!a->host_addr.family || !b->host_addr.family || net_addr_equal(&a->host_addr, &b->host_addr));
}

static int ports_check(const NetLease *want, const Leases *ls) {
        for (size_t p = 0; p < want->n_ports; p++)
                for (size_t i = 0; i < ls->n; i++)
                        for (size_t q = 0; ls->live[i] && q < ls->items[i].n_ports; q++)
                                if (ports_clash(&want->ports[p], &ls->items[i].ports[q])) {
                                        char spec[NET_PORT_SPEC_MAX];

                                        return log_error_errno(-EADDRINUSE, "network: the forward %s: %s port %u is "
                                                               "forwarded to sandbox %s, which runs",
                                                               net_port_to_spec(&want->ports[p], spec),
                                                               net_protocol_to_string(want->ports[p].protocol),
                                                               want->ports[p].host_port, ls->items[i].name);
                                }
        return 0;
}

static int want_check(const NetLease *want) {
        if (!sandbox_name_is_valid(want->name))
                return log_error_errno(-EINVAL, "network: \"%s\" is not a sandbox name", want->name);
        if (!net_ifname_is_valid(want->bridge) || want->net4.addr.family != AF_INET || want->gw4.family != AF_INET ||
            (want->addr4.family && want->addr4.family != AF_INET) || want->n_ports > NET_LEASE_PORTS_MAX)
                return log_error_errno(-EINVAL, "network: a lease needs a bridge, its IPv4 network and gateway");
        if (want->net6.addr.family && (want->net6.addr.family != AF_INET6 || want->gw6.family != AF_INET6 ||
                                       (want->addr6.family && want->addr6.family != AF_INET6)))
                return log_error_errno(-EINVAL, "network: an IPv6 lease needs the bridge's IPv6 network and gateway");
        if (!want->net6.addr.family && want->addr6.family)
                return log_error_errno(-EINVAL, "network: an IPv6 address without the bridge's IPv6 network");
        return 0;
}

/* want's addresses, IPv4 and IPv6, static or allocated. */
static int addresses_take(const char *state_root, NetLease *want, const Leases *ls) {
        char s[NET_ADDR_STRING_MAX], p[NET_PREFIX_STRING_MAX];
        uint64_t host = 0, last;
        const NetLease *holder;
        NetPrefix net;
        int r;

        if (want->addr4.family) {
                r = take_static(want, ls);
                if (r < 0)
                        return r;
                host = net_prefix_host_number(&want->net4, &want->addr4);
        } else if (!first_choice(state_root, want, ls, &host)) {
                last = want->net4.len >= 32 ? 0 : (UINT64_C(1) << (32 - want->net4.len)) - 1;
                for (host = HOST_FIRST; host < last && !host_free(want, ls, host); host++)
                        ;
                if (host >= last)
                        return log_error_errno(-ENOSPC, "network: no address is free in %s",
                                               net_prefix_to_string(&want->net4, p));
        }
        if (!want->addr4.family) {
                net_prefix_network(&want->net4, &net);
                r = net_prefix_host(&net, host, &want->addr4);
                if (r < 0)
                        return log_error_errno(r, "network: host %llu of %s: %m", (unsigned long long) host,
                                               net_prefix_to_string(&want->net4, p));
        }
        if (!want->net6.addr.family)
                return 0;
        if (!want->addr6.family) {
                r = address6_of(want, host, &want->addr6);
                if (r < 0)
                        return log_error_errno(r, "network: %s has no room for host number %llu",
                                               net_prefix_to_string(&want->net6, p), (unsigned long long) host);
        } else if (!net_prefix_contains(&want->net6, &want->addr6))
                return log_error_errno(-EADDRNOTAVAIL, "network: %s is not in %s", net_addr_to_string(&want->addr6, s),
                                       net_prefix_to_string(&want->net6, p));
        net_prefix_network(&want->net6, &net);
        if (net_addr_equal(&want->addr6, &want->gw6) || net_addr_equal(&want->addr6, &net.addr))
                return log_error_errno(-EADDRNOTAVAIL, "network: %s is the network's or the gateway's address",
                                       net_addr_to_string(&want->addr6, s));
        holder = address_holder(ls, &want->addr6);
        if (holder)
                return address_in_use(holder, &want->addr6);
        return 0;
}

/* The stale leases, their files removed: returned. */
static int stale_collect(int dir, Leases *ls, NetLease **ret, size_t *ret_n) {
        _cleanup_free_ NetLease *stale = calloc(ls->n + 1, sizeof(NetLease));
        size_t n = 0;

        if (!stale)
                return log_oom();
        if (ls->own)
                stale[n++] = *ls->own;
        for (size_t i = 0; i < ls->n; i++)
                if (!ls->live[i] && ls->items[i].name[0])
                        stale[n++] = ls->items[i];
        for (size_t i = 0; i < n; i++)
                /* the caller's own has just been rewritten */
                if (i > 0 || !ls->own)
                        if (unlinkat(dir, stale[i].name, 0) < 0 && errno != ENOENT)
                                log_warning("network: remove the stale lease %s/%s: %m", lease_dir, stale[i].name);
        *ret = TAKE_PTR(stale);
        *ret_n = n;
        return 0;
}

int net_lease_take(const char *state_root, NetLease *want, NetLease **ret_stale, size_t *ret_n_stale) {
        _cleanup_close_ int dir = -EBADF, lock = -EBADF;
        _cleanup_(leases_done) Leases ls = {};
        _cleanup_buffer_ Buffer b = {};
        int r;

        *ret_stale = NULL;
        *ret_n_stale = 0;
        r = want_check(want);
        if (r < 0)
                return r;
        dir = lease_dir_open(true);
        if (dir < 0)
                return dir;
        lock = lease_lock(dir);
        if (lock < 0)
                return lock;
        r = leases_scan(dir, want->name, &ls);
        if (r < 0)
                return r;
        r = addresses_take(state_root, want, &ls);
        if (r < 0)
                return r;
        r = ports_check(want, &ls);
        if (r < 0)
                return r;
        ifname_pick(&ls, want->ifname);
        r = net_lease_format(want, &b);
        if (r < 0)
                return r;
        r = net_record_write(dir, lease_dir, want->name, b.data);
        if (r < 0)
                return r;
        net_lease_remember(state_root, want);
        return stale_collect(dir, &ls, ret_stale, ret_n_stale);
}
