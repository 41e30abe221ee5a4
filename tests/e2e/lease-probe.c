/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Takes or frees a lease of a bridged sandbox (lib/core/net-lease.c) in
 * the real lease directory, /run/sandbox/.network: for a test, in a
 * container of its own, of what sandboxctl shows of a lease while its
 * sandbox runs. No interface is made: the lease alone.
 *
 *   lease-probe take NAME [PROTO/HOSTPORT/SANDBOXPORT[/HOSTADDR]...]
 *       on the default bridge, with IPv6, outbound; prints
 *       "ADDRESS4 ADDRESS6 IFNAME"
 *   lease-probe free NAME
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "net-lease.h"
#include "state-dir.h"

int main(int argc, char **argv) {
        NetLease w = { .outbound = true }, *stale = NULL;
        char a4[NET_ADDR_STRING_MAX], a6[NET_ADDR_STRING_MAX];
        size_t n_stale = 0;
        int r;

        log_set_program("lease-probe");
        if (argc == 3 && streq(argv[1], "free"))
                return net_lease_free(argv[2]) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        if (argc < 3 || !streq(argv[1], "take") || strlen(argv[2]) > SANDBOX_NAME_MAX) {
                fprintf(stderr, "usage: lease-probe take NAME [PORT...] | free NAME\n");
                return 2;
        }
        strcpy(w.name, argv[2]);
        strcpy(w.bridge, NET_BRIDGE_DEFAULT);
        if (net_prefix_parse(NET_BRIDGE_DEFAULT_IPV4, true, &w.net4) < 0 ||
            net_prefix_parse(NET_BRIDGE_DEFAULT_IPV6, true, &w.net6) < 0)
                return EXIT_FAILURE;
        w.gw4 = w.net4.addr;
        w.gw6 = w.net6.addr;
        for (int i = 3; i < argc; i++)
                if (w.n_ports >= NET_LEASE_PORTS_MAX || net_port_parse(argv[i], &w.ports[w.n_ports++]) < 0) {
                        fprintf(stderr, "lease-probe: %s is not a forward\n", argv[i]);
                        return 2;
                }
        r = net_lease_take(STATE_ROOT_DEFAULT, &w, &stale, &n_stale);
        free(stale);
        if (r < 0)
                return EXIT_FAILURE;
        printf("%s %s %s\n", net_addr_to_string(&w.addr4, a4), net_addr_to_string(&w.addr6, a6), w.ifname);
        return EXIT_SUCCESS;
}
