/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of <network> in the profile model and the compiler: what a
 * bridged network's profile holds after the load (defaults, addresses as
 * inet_ntop() writes them, forwards, lists), how a later <network>
 * replaces an included one whole, the refusals with their lines, and the
 * helper's options and the drop-in's lines each mode compiles to; the
 * network capabilities under <user-namespace>, by network mode. Prints
 * TAP. Its profiles are written into a temporary directory of its own,
 * removed after.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "config.h"
#include "log.h"
#include "profile.h"
#include "strv.h"
#include "tap.h"

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");

        if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, 0644) < 0)
                abort();
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sandbox>\n  <exec><arg>/usr/bin/true</arg></exec>\n"

static void show_diags(const Diagnostics *d) {
        for (size_t i = 0; i < d->n; i++) {
                _cleanup_free_ char *line = diag_format(&d->items[i]);
                printf("# %s\n", line ? line : d->items[i].message);
        }
}

/* the profile of text, written as name; NULL (and its messages shown)
 * when it does not load */
static Profile *load(const char *name, const char *text) {
        Profile *p = NULL;
        Diagnostics d = {};

        write_file(name, text);
        if (profile_load(name, NULL, &p, &d) < 0 || d.n > 0) {
                show_diags(&d);
                p = profile_free(p);
        }
        diagnostics_done(&d);
        return p;
}

/* whether text is refused with exactly the messages wanted, in order,
 * each "FILE:LINE: MESSAGE" */
static bool refused(const char *name, const char *text, const char *const *wanted, size_t n) {
        _cleanup_profile_ Profile *p = NULL;
        Diagnostics d = {};
        bool good;
        int r;

        write_file(name, text);
        r = profile_load(name, NULL, &p, &d);
        good = r == -EINVAL && d.n == n;
        for (size_t i = 0; good && i < n; i++) {
                _cleanup_free_ char *line = diag_format(&d.items[i]);
                good = line && streq(line, wanted[i]);
        }
        if (!good) {
                printf("# load: %d, %zu messages:\n", r, d.n);
                show_diags(&d);
        }
        diagnostics_done(&d);
        return good;
}

static char **helper_argv(const Profile *p) {
        char **argv = NULL;

        if (profile_compile_helper_argv(p, "/helper", &argv) < 0)
                abort();
        return argv;
}

/* the --net-* options of argv, and --network=, joined by " " */
static char *net_options(char **argv) {
        _cleanup_strv_free_ char **net = NULL;
        char *s;

        STRV_FOREACH(a, argv) {
                if (streq(*a, "--"))
                        break;
                if (strncmp(*a, "--net", 5) == 0 && strv_append(&net, *a) < 0)
                        abort();
        }
        s = net ? strv_join(net, " ") : strdup("");
        if (!s)
                abort();
        return s;
}

static void test_bridge_defaults(void) {
        _cleanup_profile_ Profile *p = load("defaults.xml", HEAD "  <network mode=\"bridge\"/>\n</sandbox>\n");
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *net = NULL, *dropin = NULL;

        check(p && p->network == NETWORK_BRIDGE, "mode=\"bridge\" loads as NETWORK_BRIDGE");
        if (!p)
                return;
        check(!p->net_bridge && !p->net_address && !p->net_address6 && !p->net_gateway && !p->net_gateway6 &&
              !p->net_mtu && !p->net_ipv6 && p->net_outbound && p->n_net_ports == 0 && !p->net_dns &&
              !p->net_allow && !p->net_deny,
              "with nothing else given: every setting is the default (outbound on, IPv6 off)");
        argv = helper_argv(p);
        net = net_options(argv);
        check(streq(net, "--network=bridge"), "... and the helper gets --network=bridge alone (got \"%s\")", net);
        check(profile_compile_dropin(p, "/helper", &dropin) == 0 &&
              strstr(dropin, "\nExecStopPost=-" SANDBOX_NETWORK_PATH " teardown --name=defaults --if-stopped\n") &&
              strstr(dropin, "\nAfter=systemd-networkd.service\n") && !strstr(dropin, "IPAddress") &&
              !strstr(dropin, "PrivateNetwork="),
              "... and the drop-in has the teardown by %s after the stop, the order after systemd-networkd, and no "
              "IPAddress*= or PrivateNetwork=", SANDBOX_NETWORK_PATH);
}

static void test_bridge_every_setting(void) {
        _cleanup_profile_ Profile *p = load("every.xml", HEAD
                "  <network mode=\"bridge\" bridge=\"br-web\" address=\"10.92.0.20\" address6=\"FD92:5A:B0:0::20\"\n"
                "           ipv6=\"yes\" gateway=\"10.92.0.1\" gateway6=\"fe80::1\" mtu=\"9000\" outbound=\"no\">\n"
                "    <port host=\"8080\" sandbox=\"80\"/>\n"
                "    <port host=\"8080\" protocol=\"udp\"/>\n"
                "    <port host=\"443\" address=\"192.0.2.1\"/>\n"
                "    <port host=\"443\" address=\"FD92::1\"/>\n"
                "    <allow address=\"10.0.0.0/8\"/>\n"
                "    <allow address=\"10.0.0.0/8\"/>\n"
                "    <allow address=\"fd00::/8\"/>\n"
                "    <allow address=\"192.0.2.7/32\"/>\n"
                "    <deny address=\"any\"/>\n"
                "    <dns server=\"192.0.2.53\"/>\n"
                "    <dns server=\"fd92:5a:b0:0:0:0:0:1\"/>\n"
                "  </network>\n</sandbox>\n");
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *net = NULL;
        bool good;

        check(p != NULL, "a bridged network with every setting loads");
        if (!p)
                return;
        check(streq(p->net_bridge, "br-web") && streq(p->net_address, "10.92.0.20") &&
              streq(p->net_address6, "fd92:5a:b0::20") && streq(p->net_gateway, "10.92.0.1") &&
              streq(p->net_gateway6, "fe80::1") && streq(p->net_mtu, "9000") && p->net_ipv6 && !p->net_outbound,
              "its attributes, the addresses as inet_ntop() writes them");
        check(p->n_net_ports == 4 && p->net_ports[0].port.host_port == 8080 && p->net_ports[0].port.sandbox_port == 80 &&
              p->net_ports[1].port.sandbox_port == 8080 && p->net_ports[0].origin.line == 6 &&
              p->net_ports[3].origin.line == 9,
              "four forwards, the sandbox's port the host's when not given, each with its line");
        check(strv_length(p->net_allow) == 3 && streq(p->net_allow[0], "10.0.0.0/8") &&
              streq(p->net_allow[2], "192.0.2.7") && strv_length(p->net_deny) == 1,
              "<allow>: each address once, a host prefix written as the address");
        argv = helper_argv(p);
        net = net_options(argv);
        good = streq(net, "--network=bridge --net-bridge=br-web --net-address=10.92.0.20 --net-address=fd92:5a:b0::20 "
                         "--net-gateway=10.92.0.1 --net-gateway=fe80::1 --net-ipv6 --net-mtu=9000 --net-outbound=no "
                         "--net-port=tcp/8080/80 --net-port=udp/8080/8080 --net-port=tcp/443/443/192.0.2.1 "
                         "--net-port=tcp/443/443/fd92::1 --net-allow=10.0.0.0/8 --net-allow=fd00::/8 "
                         "--net-allow=192.0.2.7 --net-deny=any --net-dns=192.0.2.53 --net-dns=fd92:5a:b0::1");
        check(good, "the helper's options, in the profile's order");
        if (!good)
                printf("# got: %s\n", net);
}

static void test_host_filters(void) {
        _cleanup_profile_ Profile *p = load("host.xml", HEAD
                "  <network mode=\"host\">\n    <allow address=\"127.0.0.0/8\"/>\n    <allow address=\"::1\"/>\n"
                "    <deny address=\"any\"/>\n  </network>\n</sandbox>\n");
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *net = NULL, *dropin = NULL;

        check(p && p->network == NETWORK_HOST, "mode=\"host\" with <allow> and <deny> loads");
        if (!p)
                return;
        argv = helper_argv(p);
        net = net_options(argv);
        check(streq(net, "--network=host"), "... the helper gets none of them (got \"%s\")", net);
        check(profile_compile_dropin(p, "/helper", &dropin) == 0 &&
              strstr(dropin, "\nIPAddressAllow=127.0.0.0/8 ::1\nIPAddressDeny=any\n") && !strstr(dropin, "ExecStopPost=") &&
              !strstr(dropin, "systemd-networkd"),
              "... systemd's IPAddressAllow= and IPAddressDeny= have them, and there is no teardown");
}

static void test_replaced_whole(void) {
        _cleanup_profile_ Profile *p = NULL, *q = NULL;
        _cleanup_free_ char *dropin = NULL;

        if (mkdir("base", 0755) < 0)
                abort();
        write_file("base/bridged.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sandbox>\n"
                   "  <network mode=\"bridge\" ipv6=\"yes\" outbound=\"no\">\n    <port host=\"80\"/>\n"
                   "    <deny address=\"any\"/>\n  </network>\n</sandbox>\n");
        p = load("over.xml", HEAD "  <include name=\"bridged\"/>\n  <network mode=\"host\"/>\n</sandbox>\n");
        check(p && p->network == NETWORK_HOST && p->n_net_ports == 0 && !p->net_deny && !p->net_ipv6 &&
              p->net_outbound,
              "a profile's <network mode=\"host\"/> replaces an included bridged one whole: no forward, list or "
              "attribute of it is left");
        check(p && profile_compile_dropin(p, "/helper", &dropin) == 0 && !strstr(dropin, "IPAddressDeny"),
              "... and its <deny> does not reach the unit");
        q = load("under.xml", HEAD "  <include name=\"bridged\"/>\n</sandbox>\n");
        check(q && q->network == NETWORK_BRIDGE && q->n_net_ports == 1 && q->net_ipv6 && !q->net_outbound &&
              q->net_ports[0].origin.line == 4 && strstr(q->net_ports[0].origin.file, "base/bridged.xml"),
              "without a <network> of its own, the included one holds, its forward's origin the base's file");
        (void) unlink("base/bridged.xml");
        (void) rmdir("base");
}

static void test_refusals(void) {
        check(refused("r1.xml", HEAD "  <network mode=\"bridge\" address=\"fd92::20\" address6=\"fd92::21\" mtu=\"70000\"/>\n</sandbox>\n",
                      (const char *const[]) {
                              "r1.xml:4: <network>: address \"fd92::20\" is an IPv6 address; allowed: an IPv4 address "
                              "(an IPv6 one goes into address6= or gateway6=)",
                              "r1.xml:4: <network>: address6=\"fd92::21\" needs ipv6=\"yes\"; without it the sandbox has no IPv6 address",
                              "r1.xml:4: <network>: mtu \"70000\" is not valid; allowed: a number of bytes from 68 to 65535",
                      }, 3),
              "an IPv6 address in address=, address6= without ipv6=\"yes\", an MTU over 65535: each refused at its line");
        check(refused("r2.xml", HEAD "  <network mode=\"bridge\">\n    <port host=\"80\"/>\n    <port host=\"80\" sandbox=\"8080\"/>\n"
                      "  </network>\n</sandbox>\n",
                      (const char *const[]) {
                              "r2.xml:6: <port>: tcp port 80 of the host is already forwarded by <port> at r2.xml:5; one "
                              "forward per protocol, port and address",
                      }, 1),
              "the same host port twice: refused, naming the first");
        check(refused("r3.xml", HEAD "  <network mode=\"none\">\n    <deny address=\"any\"/>\n  </network>\n</sandbox>\n",
                      (const char *const[]) {
                              "r3.xml:5: <deny>: <network mode=\"none\"> takes no elements: the sandbox has only its "
                              "loopback interface; <allow> and <deny> are for mode=\"host\" or \"bridge\", <port> and <dns> "
                              "for mode=\"bridge\"",
                      }, 1),
              "<deny> in mode=\"none\": refused, never dropped");
        check(refused("r4.xml", HEAD "  <network mode=\"host\" outbound=\"no\">\n    <port host=\"80\"/>\n  </network>\n</sandbox>\n",
                      (const char *const[]) {
                              "r4.xml:4: <network>: outbound= needs mode=\"bridge\"; with mode=\"host\" the sandbox uses "
                              "the host's own interfaces",
                              "r4.xml:5: <port>: needs <network mode=\"bridge\">; with mode=\"host\" the service listens on "
                              "the host's own ports",
                      }, 2),
              "outbound= and <port> with the host's network: refused, saying they need mode=\"bridge\"");
        check(refused("r5.xml", HEAD "  <network mode=\"bridge\">\n    <allow address=\"10.1.2.3/16\"/>\n  </network>\n</sandbox>\n",
                      (const char *const[]) {
                              "r5.xml:5: <allow>: address \"10.1.2.3/16\" has bits set past its prefix length; allowed: "
                              "the network's own address, here \"10.1.0.0/16\"",
                      }, 1),
              "a prefix with host bits: refused, naming the network meant");
}

/* <user-namespace mode="private"/>: the network capabilities are real
 * in a network of the sandbox's own, which its user namespace owns, and
 * refused with the host's; under identity refused with any network */
static void test_user_namespace(void) {
        _cleanup_profile_ Profile *own = load("u1.xml", HEAD "  <network mode=\"none\"/>\n  <user-namespace mode=\"private\"/>\n"
                                              "  <security>\n    <capabilities keep=\"CAP_NET_BIND_SERVICE CAP_NET_RAW "
                                              "CAP_NET_BROADCAST\"/>\n  </security>\n</sandbox>\n");
        _cleanup_profile_ Profile *bridge = load("u2.xml", HEAD "  <network mode=\"bridge\"/>\n  <user-namespace mode=\"private\"/>\n"
                                                 "  <security>\n    <capabilities keep=\"CAP_NET_ADMIN\"/>\n  </security>\n"
                                                 "</sandbox>\n");
        _cleanup_strv_free_ char **argv = NULL, **argv2 = NULL;
        _cleanup_free_ char *line = NULL, *line2 = NULL;

        check(own && own->user_namespace == USERNS_PRIVATE,
              "mode=\"private\" with <network mode=\"none\">: CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_NET_BROADCAST kept");
        if (own) {
                argv = helper_argv(own);
                line = strv_join(argv, " ");
                check(strv_contains(argv, "--user-namespace=private") && line && strstr(line, "CAP_NET_BIND_SERVICE"),
                      "... compiled to --user-namespace=private, the capabilities with it (got \"%s\")", line ? line : "");
        }
        check(bridge && bridge->user_namespace == USERNS_PRIVATE && bridge->network == NETWORK_BRIDGE,
              "mode=\"private\" in a bridged sandbox: CAP_NET_ADMIN kept (it acts on the sandbox's network only)");
        if (bridge) {
                argv2 = helper_argv(bridge);
                line2 = strv_join(argv2, " ");
                check(strv_contains(argv2, "--user-namespace=private") && strv_contains(argv2, "--network=bridge") &&
                      line2 && strstr(line2, "CAP_NET_ADMIN"),
                      "... compiled to --network=bridge, --user-namespace=private and the capability (got \"%s\")",
                      line2 ? line2 : "");
        }
        check(refused("u3.xml", HEAD "  <network mode=\"bridge\"/>\n  <user-namespace mode=\"identity\"/>\n  <security>\n"
                      "    <capabilities keep=\"CAP_NET_ADMIN\"/>\n  </security>\n</sandbox>\n",
                      (const char *const[]) {
                              "u3.xml:7: <capabilities>: CAP_NET_ADMIN cannot be kept with <user-namespace "
                              "mode=\"identity\"> (u3.xml:5): the kernel checks it in the network namespace's owner, the "
                              "host's user namespace, where the service has no capability; leave it out, or the user "
                              "namespace",
                      }, 1),
              "mode=\"identity\" in a bridged sandbox: CAP_NET_ADMIN refused, as the network is the host user namespace's");
        check(refused("u4.xml", HEAD "  <network mode=\"host\"/>\n  <user-namespace mode=\"private\"/>\n  <security>\n"
                      "    <capabilities keep=\"CAP_NET_RAW\"/>\n  </security>\n</sandbox>\n",
                      (const char *const[]) {
                              "u4.xml:7: <capabilities>: CAP_NET_RAW cannot be kept with <user-namespace "
                              "mode=\"private\"> (u4.xml:5): the kernel checks it in the network namespace's owner, the "
                              "host's user namespace, where the service has no capability; leave it out, or the user "
                              "namespace, or give the sandbox a network of its own",
                      }, 1),
              "mode=\"private\" with the host's network: CAP_NET_RAW refused, saying a network of its own would keep it");
}

/* whether the file at SOURCE_ROOT/path has the line */
static bool has_line(const char *path, const char *line) {
        const char *root = getenv("SOURCE_ROOT");
        char full[4096], buf[512];
        bool found = false;
        FILE *f;

        snprintf(full, sizeof(full), "%s/%s", root ? root : ".", path);
        f = fopen(full, "re");
        if (!f)
                return false;
        while (!found && fgets(buf, sizeof(buf), f)) {
                buf[strcspn(buf, "\n")] = 0;
                found = streq(buf, line);
        }
        fclose(f);
        return found;
}

/* systemd-networkd's bridge is the one the helper makes when missing */
static void test_networkd_files(void) {
        check(has_line("units/networkd/80-sandbox0.netdev", "Name=" NET_BRIDGE_DEFAULT) &&
              has_line("units/networkd/80-sandbox0.netdev", "Kind=bridge") &&
              has_line("units/networkd/80-sandbox0.network", "Name=" NET_BRIDGE_DEFAULT),
              "units/networkd makes a bridge named %s, the default", NET_BRIDGE_DEFAULT);
        check(has_line("units/networkd/80-sandbox0.network", "Address=" NET_BRIDGE_DEFAULT_IPV4) &&
              has_line("units/networkd/80-sandbox0.network", "Address=" NET_BRIDGE_DEFAULT_IPV6) &&
              !has_line("units/networkd/80-sandbox0.network", "IPMasquerade=yes"),
              "... with the helper's addresses, %s and %s, and no masquerading of its own", NET_BRIDGE_DEFAULT_IPV4,
              NET_BRIDGE_DEFAULT_IPV6);
}

static const char *const made[] = { "defaults.xml", "every.xml", "host.xml", "over.xml", "under.xml",
                                    "r1.xml",       "r2.xml",    "r3.xml",   "r4.xml",   "r5.xml",
                                    "u1.xml",       "u2.xml",    "u3.xml",   "u4.xml" };

int main(void) {
        const char *tmp = getenv("TMPDIR");
        char dir[4096];

        snprintf(dir, sizeof(dir), "%s/test-profile-network.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir) || chmod(dir, 0755) < 0 || chdir(dir) < 0) {
                perror(dir);
                return EXIT_FAILURE;
        }
        log_set_program("test-profile-network");
        test_bridge_defaults();
        test_bridge_every_setting();
        test_host_filters();
        test_replaced_whole();
        test_refusals();
        test_user_namespace();
        test_networkd_files();
        profile_load_release();
        for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
                (void) unlink(made[i]);
        if (chdir("/") < 0 || rmdir(dir) < 0)
                check(false, "its temporary directory %s is left empty and removed", dir);
        printf("1..%u\n", tap_n);
        return tap_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
