/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the leases of bridged sandboxes (lib/core/net-lease.c):
 * 300 leases all distinct, a static address refused while another
 * running sandbox holds it, a stale lease (its run lock free) reclaimed
 * and handed back, the first choice kept in the state across a free and
 * a take, forwards that clash refused, and the record's checks. The run
 * locks are real flock()s on lock files below a runtime root of the
 * test's own, told apart by the kernel's list of locks as the helper's
 * are; leases, runtime root and state are in a temporary directory,
 * removed after. Needs root (the records must be root's); prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "net-lease.h"
#include "tap.h"

#define N_MANY 300
#define N_AT_ONCE 50

static char dir[4096], leases[4200], run[4200], state[4200];
static int locks[N_MANY + 16 + N_AT_ONCE];

/* The run lock of sandbox name, held as its helper holds it. */
static int lock_hold(const char *name) {
        char path[4400];
        int fd;

        snprintf(path, sizeof(path), "%s/%s", run, name);
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                abort();
        snprintf(path, sizeof(path), "%s/%s/lock", run, name);
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
                abort();
        return fd;
}

static void want_init(NetLease *w, const char *name) {
        *w = (NetLease) { .outbound = true };
        snprintf(w->name, sizeof(w->name), "%s", name);
        strcpy(w->bridge, "sandbox0");
        if (net_prefix_parse("10.92.0.1/16", true, &w->net4) < 0 || net_addr_parse("10.92.0.1", AF_INET, &w->gw4) < 0 ||
            net_prefix_parse("fd92:5a:b0::1/64", true, &w->net6) < 0 ||
            net_addr_parse("fd92:5a:b0::1", AF_INET6, &w->gw6) < 0)
                abort();
}

static int take(NetLease *w, NetLease **stale, size_t *n_stale) {
        NetLease *s = NULL;
        size_t n = 0;
        int r = net_lease_take(state, w, &s, &n);

        if (stale) {
                *stale = s;
                *n_stale = n;
        } else
                free(s);
        return r;
}

static const char *addr(const NetAddr *a) {
        static char buf[4][NET_ADDR_STRING_MAX];
        static unsigned i;

        return net_addr_to_string(a, buf[i++ % 4]);
}

static void test_many(void) {
        static NetLease got[N_MANY];
        bool distinct = true, read_back = true, no_stale = true, v6 = true;
        int failed = 0;

        for (int i = 0; i < N_MANY; i++) {
                char name[16];
                NetLease *stale;
                size_t n_stale;

                snprintf(name, sizeof(name), "many%d", i);
                locks[i] = lock_hold(name);
                want_init(&got[i], name);
                if (take(&got[i], &stale, &n_stale) < 0)
                        failed++;
                no_stale = no_stale && n_stale == 0;
                free(stale);
        }
        check(failed == 0, "%d leases taken (%d failed)", N_MANY, failed);
        check(no_stale, "no lease was stale while every sandbox runs");
        for (int i = 0; i < N_MANY; i++) {
                NetLease l;
                NetAddr want6;

                for (int j = 0; j < i; j++)
                        if (net_addr_equal(&got[i].addr4, &got[j].addr4) ||
                            net_addr_equal(&got[i].addr6, &got[j].addr6) || streq(got[i].ifname, got[j].ifname)) {
                                distinct = false;
                                printf("# %s and %s share %s, %s or %s\n", got[i].name, got[j].name,
                                       addr(&got[i].addr4), addr(&got[i].addr6), got[i].ifname);
                        }
                if (net_lease_read(got[i].name, &l) < 0 || !net_addr_equal(&l.addr4, &got[i].addr4) ||
                    !net_addr_equal(&l.addr6, &got[i].addr6) || !streq(l.ifname, got[i].ifname) ||
                    !streq(l.bridge, "sandbox0") || !l.outbound || !net_addr_equal(&l.gw4, &got[i].gw4))
                        read_back = false;
                /* IPv6: the bridge's network with the IPv4 host number */
                NetPrefix net6 = { .len = 64 };
                net_prefix_network(&got[i].net6, &net6);
                if (net_prefix_host(&net6, net_prefix_host_number(&got[i].net4, &got[i].addr4), &want6) < 0 ||
                    !net_addr_equal(&want6, &got[i].addr6))
                        v6 = false;
        }
        check(distinct, "%d leases: their IPv4, IPv6 addresses and host interfaces all distinct", N_MANY);
        check(read_back, "each lease reads back as taken");
        check(v6, "each IPv6 address is the bridge's IPv6 network with the IPv4 host number");
        check(streq(addr(&got[0].addr4), "10.92.0.2") && streq(got[0].ifname, "vsb0") &&
              streq(addr(&got[0].addr6), "fd92:5a:b0::2"),
              "the first lease is the lowest: 10.92.0.2, fd92:5a:b0::2, vsb0 (%s, %s, %s)", addr(&got[0].addr4),
              addr(&got[0].addr6), got[0].ifname);
        check(streq(addr(&got[N_MANY - 1].addr4), "10.92.1.45"), "the %dth is 10.92.1.45 (%s): no address skipped",
              N_MANY, addr(&got[N_MANY - 1].addr4));

        char path[4400];
        struct stat st;
        snprintf(path, sizeof(path), "%s/many0", leases);
        check(stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644 && st.st_uid == 0,
              "a lease is a regular file of root's, 0644");
}

static void test_static(void) {
        NetLease w, *stale;
        size_t n_stale;
        int r;

        locks[N_MANY] = lock_hold("web");
        want_init(&w, "web");
        net_addr_parse("10.92.7.20", AF_INET, &w.addr4);
        r = take(&w, NULL, NULL);
        check(r == 0 && streq(addr(&w.addr4), "10.92.7.20") && streq(addr(&w.addr6), "fd92:5a:b0::714"),
              "a static address is taken: %s, with IPv6 %s (%d)", addr(&w.addr4), addr(&w.addr6), r);

        locks[N_MANY + 1] = lock_hold("api");
        want_init(&w, "api");
        net_addr_parse("10.92.7.20", AF_INET, &w.addr4);
        r = take(&w, NULL, NULL);
        check(r == -EADDRINUSE, "the same static address for another running sandbox: EADDRINUSE (%d)", r);

        want_init(&w, "api");
        net_addr_parse("10.92.0.1", AF_INET, &w.addr4);
        r = take(&w, NULL, NULL);
        check(r == -EADDRNOTAVAIL, "the gateway's address: EADDRNOTAVAIL (%d)", r);
        want_init(&w, "api");
        net_addr_parse("10.92.255.255", AF_INET, &w.addr4);
        r = take(&w, NULL, NULL);
        check(r == -EADDRNOTAVAIL, "the broadcast address: EADDRNOTAVAIL (%d)", r);
        want_init(&w, "api");
        net_addr_parse("10.93.0.5", AF_INET, &w.addr4);
        r = take(&w, NULL, NULL);
        check(r == -EADDRNOTAVAIL, "an address outside the network: EADDRNOTAVAIL (%d)", r);
        want_init(&w, "api");
        net_addr_parse("fd92:5a:b0::714", AF_INET6, &w.addr6);
        net_addr_parse("10.92.7.21", AF_INET, &w.addr4);
        r = take(&w, NULL, NULL);
        check(r == -EADDRINUSE, "a static IPv6 address another running sandbox holds: EADDRINUSE (%d)", r);

        /* web ends: its lock is free, its lease stale */
        close(locks[N_MANY]);
        locks[N_MANY] = -1;
        want_init(&w, "api");
        net_addr_parse("10.92.7.20", AF_INET, &w.addr4);
        r = take(&w, &stale, &n_stale);
        check(r == 0 && streq(addr(&w.addr4), "10.92.7.20"), "once web ends, its address is api's (%d)", r);
        check(n_stale == 1 && streq(stale[0].name, "web") && streq(addr(&stale[0].addr4), "10.92.7.20") &&
              stale[0].ifname[0], "web's stale lease is handed back, with its address and interface (%zu)", n_stale);
        free(stale);
        NetLease l;
        r = net_lease_read("web", &l);
        check(r == -ENOENT, "web's lease file is gone (%d)", r);

        /* the caller's own lease, left by a start that did not end */
        want_init(&w, "api");
        r = take(&w, &stale, &n_stale);
        check(r == 0 && n_stale == 1 && streq(stale[0].name, "api") && streq(addr(&stale[0].addr4), "10.92.7.20"),
              "a start finds its own earlier lease stale and gets it back (%d, %zu)", r, n_stale);
        free(stale);
        r = net_lease_read("api", &l);
        check(r == 0 && net_addr_equal(&l.addr4, &w.addr4), "and its new lease is recorded (%d)", r);
        check(net_lease_free("api") == 0 && net_lease_read("api", &l) == -ENOENT && net_lease_free("api") == 0,
              "freed, it is gone; freeing none is no error");
}

static void test_first_choice(void) {
        char path[4400], text[256] = "";
        NetLease w, l;
        int r, fd;

        snprintf(path, sizeof(path), "%s/fc", state);
        if (mkdir(path, 0700) < 0)
                abort();
        locks[N_MANY + 2] = lock_hold("fc");
        want_init(&w, "fc");
        r = take(&w, NULL, NULL);
        NetAddr first = w.addr4;
        snprintf(path, sizeof(path), "%s/fc/network", state);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                ssize_t k = read(fd, text, sizeof(text) - 1);
                text[k > 0 ? k : 0] = 0;
                close(fd);
        }
        char want_text[128];
        snprintf(want_text, sizeof(want_text), "address4=%s\naddress6=%s\n", addr(&w.addr4), addr(&w.addr6));
        check(r == 0 && streq(text, want_text), "the address taken is kept in the state: %s/fc/network (%d)", state, r);

        /* a lower address is freed: the first choice still wins */
        check(net_lease_free("fc") == 0 && net_lease_free("many3") == 0, "fc and many3 freed");
        want_init(&w, "fc");
        r = take(&w, NULL, NULL);
        check(r == 0 && net_addr_equal(&w.addr4, &first), "fc gets %s again, its first choice, not the lowest free (%s)",
              addr(&first), addr(&w.addr4));
        want_init(&w, "other");
        locks[N_MANY + 3] = lock_hold("other");
        r = take(&w, NULL, NULL);
        check(r == 0 && streq(addr(&w.addr4), "10.92.0.5"), "another sandbox gets the lowest free one, 10.92.0.5 (%s)",
              addr(&w.addr4));

        /* a first choice another holds, or outside the network, is not */
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0 || write(fd, "address4=10.92.0.5\n", 19) != 19)
                abort();
        close(fd);
        net_lease_free("fc");
        want_init(&w, "fc");
        r = take(&w, NULL, NULL);
        check(r == 0 && !streq(addr(&w.addr4), "10.92.0.5"), "a first choice another running sandbox holds is not "
              "taken (%s)", addr(&w.addr4));
        r = net_lease_read("fc", &l);
        check(r == 0, "fc's lease reads (%d)", r);
}

static void port(NetLease *w, const char *spec) {
        if (net_port_parse(spec, &w->ports[w->n_ports++]) < 0)
                abort();
}

static void test_ports(void) {
        NetLease w, l;
        int r;

        locks[N_MANY + 4] = lock_hold("p1");
        locks[N_MANY + 5] = lock_hold("p2");
        want_init(&w, "p1");
        port(&w, "tcp/8080/80");
        port(&w, "udp/5353/53/192.0.2.1");
        r = take(&w, NULL, NULL);
        check(r == 0, "a sandbox with forwards takes its lease (%d)", r);
        r = net_lease_read("p1", &l);
        check(r == 0 && l.n_ports == 2 && l.ports[1].host_port == 5353 && l.ports[1].sandbox_port == 53 &&
              streq(addr(&l.ports[1].host_addr), "192.0.2.1"), "its forwards read back (%d)", r);

        want_init(&w, "p2");
        port(&w, "tcp/8080/8080/192.0.2.7");
        r = take(&w, NULL, NULL);
        check(r == -EADDRINUSE, "tcp 8080 on one address, forwarded on every one by p1: EADDRINUSE (%d)", r);
        want_init(&w, "p2");
        port(&w, "udp/5353/53");
        r = take(&w, NULL, NULL);
        check(r == -EADDRINUSE, "udp 5353 on every address, forwarded on 192.0.2.1 by p1: EADDRINUSE (%d)", r);
        want_init(&w, "p2");
        port(&w, "udp/5353/53/192.0.2.1");
        r = take(&w, NULL, NULL);
        check(r == -EADDRINUSE, "udp 5353 on the same address: EADDRINUSE (%d)", r);
        check(net_lease_read("p2", &l) == -ENOENT, "a refused take leaves no lease");
        want_init(&w, "p2");
        port(&w, "udp/8080/80");
        port(&w, "udp/5353/53/192.0.2.2");
        port(&w, "tcp/8081/80");
        r = take(&w, NULL, NULL);
        check(r == 0, "udp 8080, udp 5353 on another address, tcp 8081: taken (%d)", r);
}

static void test_record_checks(void) {
        char path[4400];
        NetLease l;
        int r;

        snprintf(path, sizeof(path), "%s/p2", leases);
        chmod(path, 0646);
        r = net_lease_read("p2", &l);
        check(r == -EPERM, "a lease others can write is refused (%d)", r);
        chmod(path, 0644);

        snprintf(path, sizeof(path), "%s/link", leases);
        if (symlink("p2", path) < 0)
                abort();
        r = net_lease_read("link", &l);
        check(r == -ELOOP, "a lease that is a symbolic link is not followed (%d)", r);
        unlink(path);

        snprintf(path, sizeof(path), "%s/bad", leases);
        FILE *f = fopen(path, "we");
        fputs("bridge=sandbox0\nifname=vsb9\naddress4=10.92.0.9\nnet4=10.92.0.1/16\ngateway4=10.92.0.1\n"
              "outbound=yes\nshell=/bin/sh\n", f);
        fclose(f);
        r = net_lease_read("bad", &l);
        check(r == -EBADMSG, "a lease with an unknown key is refused (%d)", r);
        f = fopen(path, "we");
        fputs("bridge=sandbox0\nifname=vsb9\naddress4=10.92.0.9\nnet4=10.92.0.1/16\ngateway4=10.92.0.1\n"
              "outbound=yes\naddress4=10.92.0.2\n", f);
        fclose(f);
        r = net_lease_read("bad", &l);
        check(r == -EBADMSG, "a lease with an address twice is refused (%d)", r);
        f = fopen(path, "we");
        fputs("bridge=sandbox0\nifname=vsb9\naddress4=10.92.0.9\nnet4=10.92.0.1/16\ngateway4=10.92.0.1\n"
              "outbound=yes\naddress6=fd92:5a:b0::9\n", f);
        fclose(f);
        r = net_lease_read("bad", &l);
        check(r == -EBADMSG, "a lease with address6= but not net6= and gateway6= is refused (%d)", r);
        f = fopen(path, "we");
        fputs("bridge=sandbox0\nifname=vsb9\naddress4=10.92.0.9\nnet4=10.92.0.1/16\ngateway4=10.92.0.1\n"
              "outbound=yes\nport=tcp/80/80\nport=udp/53/53\n", f);
        fclose(f);
        r = net_lease_read("bad", &l);
        check(r == 0 && l.n_ports == 2 && !l.addr6.family, "a lease without IPv6, with two forwards, is read (%d)", r);
        f = fopen(path, "we");
        fputs("bridge=sandbox0\nifname=vsb9\naddress4=10.92.0.9\nnet4=10.92.0.1/16\n", f);
        fclose(f);
        int held = lock_hold("bad");
        NetLease w;
        want_init(&w, "q");
        locks[N_MANY + 6] = lock_hold("q");
        r = take(&w, NULL, NULL);
        check(r == -EBADMSG, "no address is handed out while a running sandbox's lease cannot be read (%d)", r);
        close(held);
        NetLease *stale;
        size_t n_stale;
        r = take(&w, &stale, &n_stale);
        check(r == 0 && access(path, F_OK) < 0, "once it does not run, its unreadable lease is removed (%d)", r);
        free(stale);

        f = fopen(path, "we");
        for (int i = 0; i < 20000; i++)
                fputc('#', f);
        fclose(f);
        r = net_lease_read("bad", &l);
        check(r == -EFBIG, "a lease larger than 16 KiB is refused (%d)", r);
        unlink(path);
}

/* N_AT_ONCE processes take their leases at the same time, while the
 * earlier ones still run: the lock keeps them all apart. */
static void test_at_once(void) {
        static NetLease got[N_AT_ONCE];
        pid_t pids[N_AT_ONCE];
        int failed = 0, r;
        bool distinct = true, apart = true;

        for (int i = 0; i < N_AT_ONCE; i++) {
                char name[16];

                snprintf(name, sizeof(name), "once%d", i);
                locks[N_MANY + 16 + i] = lock_hold(name);
                want_init(&got[i], name);
        }
        for (int i = 0; i < N_AT_ONCE; i++) {
                pids[i] = fork();
                if (pids[i] < 0)
                        abort();
                if (pids[i] == 0)
                        _exit(take(&got[i], NULL, NULL) < 0 ? 1 : 0);
        }
        for (int i = 0; i < N_AT_ONCE; i++) {
                int status;

                if (waitpid(pids[i], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        failed++;
        }
        check(failed == 0, "%d processes take a lease at once (%d failed)", N_AT_ONCE, failed);
        for (int i = 0; i < N_AT_ONCE; i++) {
                r = net_lease_read(got[i].name, &got[i]);
                if (r < 0) {
                        distinct = false;
                        continue;
                }
                for (int j = 0; j < i; j++)
                        if (net_addr_equal(&got[i].addr4, &got[j].addr4) || streq(got[i].ifname, got[j].ifname))
                                distinct = false;
                /* nor any of the earlier sandboxes that still run */
                for (int k = 0; k < N_MANY; k++) {
                        char name[16];
                        NetLease l;

                        snprintf(name, sizeof(name), "many%d", k);
                        if (net_lease_read(name, &l) == 0 && net_addr_equal(&l.addr4, &got[i].addr4))
                                apart = false;
                }
        }
        check(distinct, "their %d leases have distinct addresses and host interfaces", N_AT_ONCE);
        check(apart, "none has the address of a sandbox that ran before them");
}

static int remove_one(const char *path, _unused_ const struct stat *st, _unused_ int flag, _unused_ struct FTW *ftw) {
        return remove(path);
}

int main(void) {
        const char *tmp = getenv("TMPDIR");

        if (geteuid() != 0) {
                printf("1..0 # SKIP the leases must be root's: run as root\n");
                return 77;
        }
        snprintf(dir, sizeof(dir), "%s/test-net-lease.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
                perror(dir);
                return EXIT_FAILURE;
        }
        snprintf(leases, sizeof(leases), "%s/leases", dir);
        snprintf(run, sizeof(run), "%s/run", dir);
        snprintf(state, sizeof(state), "%s/state", dir);
        if (mkdir(run, 0755) < 0 || mkdir(state, 0700) < 0)
                abort();
        log_set_program("test-net-lease");
        net_lease_set_dirs(leases, run);
        for (size_t i = 0; i < sizeof(locks) / sizeof(locks[0]); i++)
                locks[i] = -1;

        test_many();
        test_static();
        test_first_choice();
        test_ports();
        test_record_checks();
        test_at_once();

        for (size_t i = 0; i < sizeof(locks) / sizeof(locks[0]); i++)
                if (locks[i] >= 0)
                        close(locks[i]);
        if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
                check(false, "its temporary directory %s is removed", dir);
        printf("1..%u\n", tap_n);
        return tap_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
