/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-network: the network of a sandbox with <network
 * mode="bridge">, made by sandbox-helper at its start and taken down by
 * its lock's keeper at its end (net-setup.h). A program of its own as it
 * links libmnl and libnftables, which the static helper cannot.
 *
 *   sandbox-network setup --name=NAME --pid=PID --keeper=PID --state-root=DIR
 *       [--resolv-conf=FILE] [the helper's --net-* options]
 *   sandbox-network teardown --name=NAME [--state-root=DIR] [--if-stopped]
 *
 * teardown --if-stopped is the unit's ExecStopPost=: it does nothing
 * while the sandbox runs (its run lock is held). It exits 0, or 1 after
 * logging why.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "names.h"
#include "net-addr.h"
#include "net-setup.h"
#include "paths.h"
#include "quantities.h"
#include "run-lock.h"
#include "strv.h"

enum {
        OPT_NAME = 0x100, OPT_PID, OPT_KEEPER, OPT_STATE_ROOT, OPT_RESOLV_CONF, OPT_BRIDGE, OPT_ADDRESS, OPT_GATEWAY, OPT_IPV6,
        OPT_MTU, OPT_OUTBOUND, OPT_PORT, OPT_ALLOW, OPT_DENY, OPT_DNS, OPT_IF_STOPPED, OPT_DEBUG,
};

static const struct option options[] = {
        { "name", required_argument, NULL, OPT_NAME },
        { "pid", required_argument, NULL, OPT_PID },
        { "keeper", required_argument, NULL, OPT_KEEPER },
        { "state-root", required_argument, NULL, OPT_STATE_ROOT },
        { "resolv-conf", required_argument, NULL, OPT_RESOLV_CONF },
        { "net-bridge", required_argument, NULL, OPT_BRIDGE },
        { "net-address", required_argument, NULL, OPT_ADDRESS },
        { "net-gateway", required_argument, NULL, OPT_GATEWAY },
        { "net-ipv6", no_argument, NULL, OPT_IPV6 },
        { "net-mtu", required_argument, NULL, OPT_MTU },
        { "net-outbound", required_argument, NULL, OPT_OUTBOUND },
        { "net-port", required_argument, NULL, OPT_PORT },
        { "net-allow", required_argument, NULL, OPT_ALLOW },
        { "net-deny", required_argument, NULL, OPT_DENY },
        { "net-dns", required_argument, NULL, OPT_DNS },
        { "if-stopped", no_argument, NULL, OPT_IF_STOPPED },
        { "debug", no_argument, NULL, OPT_DEBUG },
        {}
};

typedef struct Args {
        NetSetup s;
        bool if_stopped;
        char **dns;
} Args;

static void args_done(Args *a) {
        free(a->s.ports);
        free(a->s.allow);
        free(a->s.deny);
        strv_free(a->dns);
}

static int bad(const char *option, const char *v) {
        return log_error_errno(-EINVAL, "--%s=%s: invalid value", option, v);
}

/* one address of each family: the second of one is refused */
static int set_address(NetAddr *a4, NetAddr *a6, const char *option, const char *v) {
        NetAddr a;

        if (net_addr_parse(v, 0, &a) < 0)
                return bad(option, v);
        if ((a.family == AF_INET ? a4 : a6)->family)
                return log_error_errno(-EINVAL, "--%s: one IPv4 and one IPv6 address at most", option);
        *(a.family == AF_INET ? a4 : a6) = a;
        return 0;
}

/* "any" is both families' whole space */
static int add_prefix(NetPrefix **list, size_t *n, const char *option, const char *v) {
        NetPrefix p[2];
        size_t k = 1;
        NetPrefix *l;

        if (streq(v, "any")) {
                p[0] = (NetPrefix) { .addr.family = AF_INET };
                p[1] = (NetPrefix) { .addr.family = AF_INET6 };
                k = 2;
        } else if (net_prefix_parse(v, false, &p[0]) < 0)
                return bad(option, v);
        l = reallocarray(*list, *n + k, sizeof(NetPrefix));
        if (!l)
                return log_oom();
        memcpy(l + *n, p, k * sizeof(NetPrefix));
        *list = l;
        *n += k;
        return 0;
}

static int add_port(NetSetup *s, const char *v) {
        NetPort p, *l;

        if (net_port_parse(v, &p) < 0)
                return bad("net-port", v);
        l = reallocarray(s->ports, s->n_ports + 1, sizeof(NetPort));
        if (!l)
                return log_oom();
        l[s->n_ports++] = p;
        s->ports = l;
        return 0;
}

static int parse_args(int argc, char *argv[], Args *a) {
        NetSetup *s = &a->s;
        uint64_t v;
        int o, r = 0;

        s->outbound = true;
        s->bridge = NET_BRIDGE_DEFAULT;
        while (r >= 0 && (o = getopt_long(argc, argv, "+", options, NULL)) >= 0)
                switch (o) {
                case OPT_NAME:
                        s->name = optarg;
                        r = sandbox_name_is_valid(optarg) ? 0 : bad("name", optarg);
                        break;
                case OPT_PID:
                        r = parse_uint_range(optarg, 2, INT32_MAX, &v) < 0 ? bad("pid", optarg) : 0;
                        s->pid = (pid_t) v;
                        break;
                case OPT_KEEPER:
                        r = parse_uint_range(optarg, 2, INT32_MAX, &v) < 0 ? bad("keeper", optarg) : 0;
                        s->keeper = (pid_t) v;
                        break;
                case OPT_STATE_ROOT:
                        s->state_root = optarg;
                        r = path_is_normalized_absolute(optarg) ? 0 : bad("state-root", optarg);
                        break;
                case OPT_RESOLV_CONF:
                        s->resolv_conf = optarg;
                        r = path_is_normalized_absolute(optarg) ? 0 : bad("resolv-conf", optarg);
                        break;
                case OPT_BRIDGE:
                        s->bridge = optarg;
                        r = net_ifname_is_valid(optarg) ? 0 : bad("net-bridge", optarg);
                        break;
                case OPT_ADDRESS:
                        r = set_address(&s->addr4, &s->addr6, "net-address", optarg);
                        break;
                case OPT_GATEWAY:
                        r = set_address(&s->gw4, &s->gw6, "net-gateway", optarg);
                        break;
                case OPT_IPV6:
                        s->ipv6 = true;
                        break;
                case OPT_MTU:
                        r = net_mtu_is_valid(optarg) && parse_uint_range(optarg, 68, 65535, &v) >= 0 ? 0
                                                                                                   : bad("net-mtu", optarg);
                        s->mtu = (unsigned) v;
                        break;
                case OPT_OUTBOUND:
                        r = streq(optarg, "yes") || streq(optarg, "no") ? 0 : bad("net-outbound", optarg);
                        s->outbound = streq(optarg, "yes");
                        break;
                case OPT_PORT:
                        r = add_port(s, optarg);
                        break;
                case OPT_ALLOW:
                        r = add_prefix(&s->allow, &s->n_allow, "net-allow", optarg);
                        break;
                case OPT_DENY:
                        r = add_prefix(&s->deny, &s->n_deny, "net-deny", optarg);
                        break;
                case OPT_DNS:
                        r = net_addr_is_valid(optarg) ? (strv_append(&a->dns, optarg) < 0 ? log_oom() : 0)
                                                      : bad("net-dns", optarg);
                        break;
                case OPT_IF_STOPPED:
                        a->if_stopped = true;
                        break;
                case OPT_DEBUG:
                        log_set_debug(true);
                        break;
                default:
                        return -EINVAL;
                }
        if (r < 0)
                return r;
        s->dns = a->dns;
        if (!s->name)
                return log_error_errno(-EINVAL, "--name=NAME is required");
        if (!s->ipv6 && (s->addr6.family || s->gw6.family))
                return log_error_errno(-EINVAL, "an IPv6 address needs --net-ipv6");
        return 0;
}

static int teardown(const Args *a) {
        char holder[LOCK_HOLDER_MAX];
        _cleanup_close_ int lock = -EBADF;
        int r;

        /* under the sandbox's run lock: a start meanwhile waits */
        if (a->if_stopped) {
                r = sandbox_lock_try(a->s.name, &lock, holder);
                if (r == -EBUSY) {
                        log_debug("network: sandbox %s runs; its network stays", a->s.name);
                        return 0;
                }
                if (r < 0)
                        return r;
        }
        return net_teardown(a->s.name, a->s.state_root);
}

int main(int argc, char *argv[]) {
        _cleanup_(args_done) Args a = {};
        const char *verb = argc > 1 ? argv[1] : "";
        char program[128];
        int r;

        log_set_program("sandbox-network");
        if (geteuid() != 0) {
                log_error("only root makes or takes down a sandbox's network");
                return EXIT_FAILURE;
        }
        if (!streq(verb, "setup") && !streq(verb, "teardown")) {
                log_error("usage: sandbox-network setup --name=NAME --pid=PID --state-root=DIR [OPTIONS...] | "
                          "teardown --name=NAME [--if-stopped]");
                return EXIT_FAILURE;
        }
        optind = 2;
        if (parse_args(argc, argv, &a) < 0)
                return EXIT_FAILURE;
        snprintf(program, sizeof(program), "sandbox-network: %s", a.s.name);
        log_set_program(program);
        if (streq(verb, "setup")) {
                if (!a.s.pid || !a.s.state_root) {
                        log_error("setup: --pid and --state-root are required");
                        return EXIT_FAILURE;
                }
                r = net_setup(&a.s);
        } else
                r = teardown(&a);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
