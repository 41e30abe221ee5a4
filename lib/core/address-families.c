/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "address-families.h"
#include "macro.h"

/* by number: the C library's names, AF_LOCAL and AF_FILE being AF_UNIX's
 * aliases, AF_ROUTE AF_NETLINK's */
static const char *const names[ADDRESS_FAMILY_MAX] = {
        [AF_UNIX] = "AF_UNIX",           [AF_INET] = "AF_INET",         [AF_AX25] = "AF_AX25",
        [AF_IPX] = "AF_IPX",             [AF_APPLETALK] = "AF_APPLETALK", [AF_NETROM] = "AF_NETROM",
        [AF_BRIDGE] = "AF_BRIDGE",       [AF_ATMPVC] = "AF_ATMPVC",     [AF_X25] = "AF_X25",
        [AF_INET6] = "AF_INET6",         [AF_ROSE] = "AF_ROSE",         [AF_DECnet] = "AF_DECnet",
        [AF_NETBEUI] = "AF_NETBEUI",     [AF_SECURITY] = "AF_SECURITY", [AF_KEY] = "AF_KEY",
        [AF_NETLINK] = "AF_NETLINK",     [AF_PACKET] = "AF_PACKET",     [AF_ASH] = "AF_ASH",
        [AF_ECONET] = "AF_ECONET",       [AF_ATMSVC] = "AF_ATMSVC",     [AF_RDS] = "AF_RDS",
        [AF_SNA] = "AF_SNA",             [AF_IRDA] = "AF_IRDA",         [AF_PPPOX] = "AF_PPPOX",
        [AF_WANPIPE] = "AF_WANPIPE",     [AF_LLC] = "AF_LLC",           [AF_IB] = "AF_IB",
        [AF_MPLS] = "AF_MPLS",           [AF_CAN] = "AF_CAN",           [AF_TIPC] = "AF_TIPC",
        [AF_BLUETOOTH] = "AF_BLUETOOTH", [AF_IUCV] = "AF_IUCV",         [AF_RXRPC] = "AF_RXRPC",
        [AF_ISDN] = "AF_ISDN",           [AF_PHONET] = "AF_PHONET",     [AF_IEEE802154] = "AF_IEEE802154",
        [AF_CAIF] = "AF_CAIF",           [AF_ALG] = "AF_ALG",           [AF_NFC] = "AF_NFC",
        [AF_VSOCK] = "AF_VSOCK",         [AF_KCM] = "AF_KCM",           [AF_QIPCRTR] = "AF_QIPCRTR",
        [AF_SMC] = "AF_SMC",             [44] = "AF_XDP",               [45] = "AF_MCTP",
};

int address_family_from_name(const char *name) {
        if (streq(name, "AF_LOCAL") || streq(name, "AF_FILE"))
                return AF_UNIX;
        if (streq(name, "AF_ROUTE"))
                return AF_NETLINK;
        for (int i = 0; i < ADDRESS_FAMILY_MAX; i++)
                if (names[i] && streq(names[i], name))
                        return i;
        return -1;
}

const char *address_family_to_name(int family) {
        return family >= 0 && family < ADDRESS_FAMILY_MAX ? names[family] : NULL;
}

const char *address_family_names(void) {
        static char all[ADDRESS_FAMILY_MAX * 16];

        if (!all[0])
                for (int i = 0; i < ADDRESS_FAMILY_MAX; i++)
                        if (names[i]) {
                                if (all[0])
                                        strcat(all, " ");
                                strcat(all, names[i]);
                        }
        return all;
}

bool address_family_spec_is_valid(const char *spec) {
        const char *p = spec[0] == '~' ? spec + 1 : spec;

        if (streq(spec, "none"))
                return true;
        if (!*p)
                return false;
        while (*p) {
                size_t n = strcspn(p, ",");
                char name[32];

                if (n == 0 || n >= sizeof(name))
                        return false;
                memcpy(name, p, n);
                name[n] = 0;
                if (address_family_from_name(name) < 0)
                        return false;
                p += n + (p[n] == ',');
                if (p[-1] == ',' && !*p)
                        return false;
        }
        return true;
}
