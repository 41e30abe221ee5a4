/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of a bridged network's words: addresses, prefixes, host
 * numbers, interface names and port forwards (lib/core/net-addr.c), and
 * the sandbox's resolv.conf (helper/net-resolv.c). Prints TAP.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "macro.h"
#include "net-addr.h"
#include "net-resolv.h"
#include "tap.h"

static void test_addresses(void) {
        static const struct {
                const char *s;
                int family;
        } cases[] = {
                { "10.92.0.1", AF_INET }, { "fd92:5a:b0::1", AF_INET6 }, { "::1", AF_INET6 },
                { "10.92.0.256", 0 }, { "10.92.0.1/16", 0 }, { "", 0 }, { " 10.0.0.1", 0 },
                { "fe80::1%eth0", 0 }, { "1.2.3", 0 },
        };
        char buf[NET_ADDR_STRING_MAX];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                NetAddr a = {};
                int r = net_addr_parse(cases[i].s, 0, &a);

                check(cases[i].family ? r == 0 && a.family == cases[i].family : r < 0, "address \"%s\": %s",
                      cases[i].s, cases[i].family ? "parsed" : "refused");
                if (cases[i].family)
                        check(streq(net_addr_to_string(&a, buf), cases[i].s), "address \"%s\" written back", cases[i].s);
        }
        NetAddr a;
        check(net_addr_parse("10.0.0.1", AF_INET6, &a) < 0, "an IPv4 address where IPv6 is asked is refused");
        check(net_addr_parse("127.0.0.53", 0, &a) == 0 && net_addr_is_loopback(&a), "127.0.0.53 is loopback");
        check(net_addr_parse("::1", 0, &a) == 0 && net_addr_is_loopback(&a), "::1 is loopback");
        check(net_addr_parse("10.0.0.1", 0, &a) == 0 && !net_addr_is_loopback(&a), "10.0.0.1 is not");
}

static void test_prefixes(void) {
        char buf[NET_PREFIX_STRING_MAX], abuf[NET_ADDR_STRING_MAX];
        NetPrefix p, n;
        NetAddr a;

        check(net_prefix_parse("10.0.0.0/8", false, &p) == 0 && p.len == 8, "10.0.0.0/8");
        check(net_prefix_parse("10.0.0.1/8", false, &p) < 0, "10.0.0.1/8 has host bits: refused as a prefix");
        check(net_prefix_parse("10.92.0.1/16", true, &p) == 0 && p.len == 16 &&
                      streq(net_prefix_to_string(&p, buf), "10.92.0.1/16"),
              "10.92.0.1/16 as an interface's address keeps its host bits");
        check(net_prefix_parse("10.0.0.1", false, &p) == 0 && p.len == 32, "an address alone is a /32");
        check(net_prefix_parse("::/0", false, &p) == 0 && p.len == 0, "::/0");
        check(net_prefix_parse("10.0.0.0/33", false, &p) < 0, "/33 refused");
        check(net_prefix_parse("10.0.0.0/+8", false, &p) < 0, "/+8 refused");
        check(net_prefix_parse("10.0.0.0/", false, &p) < 0, "an empty length refused");
        check(net_prefix_parse("fd92:5a:b0::/64", false, &p) == 0 && p.len == 64, "fd92:5a:b0::/64");

        net_prefix_parse("10.92.0.1/16", true, &p);
        net_prefix_network(&p, &n);
        check(streq(net_prefix_to_string(&n, buf), "10.92.0.0/16"), "the network of 10.92.0.1/16 is 10.92.0.0/16");
        net_addr_parse("10.92.200.7", 0, &a);
        check(net_prefix_contains(&p, &a), "10.92.200.7 is in 10.92.0.1/16");
        net_addr_parse("10.93.0.7", 0, &a);
        check(!net_prefix_contains(&p, &a), "10.93.0.7 is not");
        net_addr_parse("fd92:5a:b0::7", 0, &a);
        check(!net_prefix_contains(&p, &a), "an IPv6 address is not in an IPv4 prefix");
        check(net_prefix_host(&p, 0x0105, &a) == 0 && streq(net_addr_to_string(&a, abuf), "10.92.1.5"),
              "host 0x105 of 10.92.0.0/16 is 10.92.1.5");
        check(net_prefix_host_number(&p, &a) == 0x0105, "and back to 0x105");
        check(net_prefix_host(&p, 65536, &a) == -ERANGE, "host 65536 does not fit in a /16");
        net_prefix_parse("fd92:5a:b0::1/64", true, &p);
        check(net_prefix_host(&p, 0x0105, &a) == 0 && streq(net_addr_to_string(&a, abuf), "fd92:5a:b0::105"),
              "host 0x105 of fd92:5a:b0::/64 is fd92:5a:b0::105");
        check(net_prefix_host_number(&p, &a) == 0x0105, "and back");
}

static void test_names_and_ports(void) {
        char buf[NET_PORT_SPEC_MAX];
        NetPort p;

        check(net_ifname_is_valid("sandbox0"), "sandbox0 is an interface name");
        check(!net_ifname_is_valid("a-name-of-16-byt"), "16 bytes is too long for one");
        check(!net_ifname_is_valid("a/b") && !net_ifname_is_valid("a b") && !net_ifname_is_valid("") &&
                      !net_ifname_is_valid("..") && !net_ifname_is_valid("a:1"),
              "\"/\", a space, empty, \"..\" and \":\" are refused");
        check(net_port_parse("tcp/8080/80", &p) == 0 && p.protocol == IPPROTO_TCP && p.host_port == 8080 &&
                      p.sandbox_port == 80 && !p.host_addr.family,
              "tcp/8080/80");
        check(streq(net_port_to_spec(&p, buf), "tcp/8080/80"), "written back");
        check(net_port_parse("udp/53/5353/fd00::1", &p) == 0 && p.protocol == IPPROTO_UDP &&
                      p.host_addr.family == AF_INET6 && streq(net_port_to_spec(&p, buf), "udp/53/5353/fd00::1"),
              "udp/53/5353/fd00::1, read and written back");
        static const char *const bad[] = { "tcp/0/80", "tcp/65536/80", "sctp/1/1", "tcp/1", "tcp/1/2/3/4",
                                           "tcp/1/2/10.0.0.256", "tcp/+1/2", "tcp//2", "TCP/1/2", "" };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                check(net_port_parse(bad[i], &p) < 0, "port \"%s\" refused", bad[i]);
        check(net_mtu_is_valid("1500") && net_mtu_is_valid("68") && !net_mtu_is_valid("67") &&
                      !net_mtu_is_valid("65536") && !net_mtu_is_valid("+1500"),
              "MTUs from 68 to 65535");
        check(net_prefix_or_any_is_valid("any") && net_prefix_or_any_is_valid("10.0.0.0/8") &&
                      !net_prefix_or_any_is_valid("10.0.0.1/8") && !net_prefix_or_any_is_valid("all"),
              "allow and deny take any, an address or a prefix");
}

static void test_resolv(void) {
        char out[NET_RESOLV_MAX];
        NetAddr gw, to;
        char *dns[] = { (char *) "192.0.2.53", NULL };

        net_addr_parse("10.92.0.1", 0, &gw);
        check(net_resolv_make("nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch example.org\n", NULL, &gw, out,
                              &to) == 0 &&
                      strstr(out, "\nnameserver 10.92.0.1\n") && strstr(out, "options edns0 trust-ad\n") &&
                      strstr(out, "search example.org\n") && !strstr(out, "127.0.0.53"),
              "systemd-resolved's 127.0.0.53 is reached through the gateway; search and options are kept");
        char a[NET_ADDR_STRING_MAX];
        check(to.family == AF_INET && streq(net_addr_to_string(&to, a), "127.0.0.53"),
              "and the gateway's port 53 leads to 127.0.0.53");
        check(net_resolv_make("nameserver 198.51.100.1\nnameserver ::1\n#nameserver 1.1.1.1\n", NULL, &gw, out, &to) ==
                              0 &&
                      strstr(out, "nameserver 198.51.100.1\n") && !strstr(out, "::1") && !strstr(out, "1.1.1.1") &&
                      !to.family,
              "a resolver past the host is kept, ::1 and comments are not");
        check(net_resolv_make("nameserver 127.0.0.53\n", dns, &gw, out, &to) == 0 &&
                      strstr(out, "nameserver 192.0.2.53\n") && !strstr(out, "10.92.0.1") && !to.family,
              "the profile's resolvers replace the host's");
        check(net_resolv_make(NULL, NULL, &gw, out, &to) == 0 && !strstr(out, "nameserver"),
              "no host resolv.conf: no resolver");
}

int main(void) {
        test_addresses();
        test_prefixes();
        test_names_and_ports();
        test_resolv();
        printf("1..%u\n", tap_n);
        return tap_failed ? 1 : 0;
}
