/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A lease's file, and the first choice kept in the state: read, checked,
 * parsed and written (net-lease-record.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "regular-file.h"
#include "net-lease-record.h"

/* The text of file name below dir, a regular file of root's that no one
 * else can write, of at most NET_RECORD_MAX bytes. -ENOENT, not logged, when
 * missing. */
int net_record_read(int dir, const char *shown_dir, const char *name, char buf[static NET_RECORD_MAX + 1]) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        ssize_t k;

        fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
                return -ENOENT;
        if (fd < 0)
                return log_error_errno(-errno, "network: %s/%s: %m", shown_dir, name);
        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "network: %s/%s: %m", shown_dir, name);
        if (!stat_is_root_only_file(&st))
                return log_error_errno(-EPERM, "network: %s/%s is not a regular file of root's that only root can "
                                       "write; not used", shown_dir, name);
        if ((uint64_t) st.st_size > NET_RECORD_MAX)
                return log_error_errno(-EFBIG, "network: %s/%s is larger than %u bytes; not used", shown_dir, name,
                                       NET_RECORD_MAX);
        k = read_fd_into(fd, buf, NET_RECORD_MAX + 1);
        if (k < 0)
                return log_error_errno((int) k, "network: read %s/%s: %m", shown_dir, name);
        if (strlen(buf) != (size_t) k)
                return log_error_errno(-EBADMSG, "network: %s/%s holds a NUL byte", shown_dir, name);
        return 0;
}

/* Writes text as file name below dir, 0644: a file of its own, renamed
 * over it, so that a reader sees the old or the new one whole. */
int net_record_write(int dir, const char *shown_dir, const char *name, const char *text) {
        _cleanup_close_ int fd = -EBADF;
        char tmp[SANDBOX_NAME_MAX + 16];
        size_t n = strlen(text), done = 0;
        int r = 0;

        snprintf(tmp, sizeof(tmp), ".%s.new", name);
        (void) unlinkat(dir, tmp, 0);
        fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_error_errno(-errno, "network: create %s/%s: %m", shown_dir, tmp);
        /* not the umask's */
        if (fchmod(fd, 0644) < 0)
                r = -errno;
        while (r >= 0 && done < n) {
                ssize_t k = write(fd, text + done, n - done);

                if (k <= 0)
                        r = k < 0 ? -errno : -EIO;
                else
                        done += (size_t) k;
        }
        if (r >= 0 && renameat(dir, tmp, dir, name) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlinkat(dir, tmp, 0);
                return log_error_errno(r, "network: write %s/%s: %m", shown_dir, name);
        }
        return 0;
}

static int parse_bool(const char *s, bool *ret) {
        if (streq(s, "yes"))
                *ret = true;
        else if (streq(s, "no"))
                *ret = false;
        else
                return -EINVAL;
        return 0;
}

enum {
        KEY_BRIDGE, KEY_IFNAME, KEY_ADDRESS4, KEY_NET4, KEY_GATEWAY4, KEY_ADDRESS6, KEY_NET6, KEY_GATEWAY6,
        KEY_OUTBOUND, KEY_PORT, KEY_KEEPER, N_KEYS,
};
static const char *const keys[N_KEYS] = {
        "bridge", "ifname", "address4", "net4", "gateway4", "address6", "net6", "gateway6", "outbound", "port",
        "keeper",
};
#define KEYS_NEEDED (1U << KEY_BRIDGE | 1U << KEY_IFNAME | 1U << KEY_ADDRESS4 | 1U << KEY_NET4 | \
                     1U << KEY_GATEWAY4 | 1U << KEY_OUTBOUND)
#define KEYS_IPV6 (1U << KEY_ADDRESS6 | 1U << KEY_NET6 | 1U << KEY_GATEWAY6)

static int prefix_parse(const char *s, int family, NetPrefix *ret) {
        int r = net_prefix_parse(s, true, ret);

        return r < 0 ? r : ret->addr.family == family ? 0 : -EINVAL;
}

static int ifname_copy(const char *s, char ret[static NET_IFNAME_MAX + 1]) {
        if (!net_ifname_is_valid(s))
                return -EINVAL;
        strcpy(ret, s);
        return 0;
}

/* A lease's text into *l (name already set): every line KEY=VALUE, as
 * net_lease_format() writes them, each key once but port=; the IPv6
 * lines all or none. */
int net_lease_parse(char *text, const char *shown, NetLease *l) {
        unsigned seen = 0;
        int line_no = 0;

        for (char *line = text, *end; *line; line = end) {
                char *eq, *value;
                size_t k;
                int r = 0;

                end = strchr(line, '\n');
                if (!end)
                        return log_error_errno(-EBADMSG, "network: %s: its last line has no newline; not used", shown);
                *end++ = 0;
                line_no++;
                eq = strchr(line, '=');
                if (!eq)
                        return log_error_errno(-EBADMSG, "network: %s:%d: not KEY=VALUE", shown, line_no);
                *eq = 0;
                value = eq + 1;
                for (k = 0; k < N_KEYS && !streq(line, keys[k]); k++)
                        ;
                if (k == N_KEYS)
                        return log_error_errno(-EBADMSG, "network: %s:%d: unknown key \"%.32s\"", shown, line_no,
                                               text_is_printable(line) ? line : "(unprintable)");
                if (k != KEY_PORT && (seen & (1U << k)))
                        return log_error_errno(-EBADMSG, "network: %s:%d: %s= twice", shown, line_no, line);
                seen |= 1U << k;
                switch (k) {
                case KEY_BRIDGE:
                        r = ifname_copy(value, l->bridge);
                        break;
                case KEY_IFNAME:
                        r = ifname_copy(value, l->ifname);
                        break;
                case KEY_ADDRESS4:
                        r = net_addr_parse(value, AF_INET, &l->addr4);
                        break;
                case KEY_NET4:
                        r = prefix_parse(value, AF_INET, &l->net4);
                        break;
                case KEY_GATEWAY4:
                        r = net_addr_parse(value, AF_INET, &l->gw4);
                        break;
                case KEY_ADDRESS6:
                        r = net_addr_parse(value, AF_INET6, &l->addr6);
                        break;
                case KEY_NET6:
                        r = prefix_parse(value, AF_INET6, &l->net6);
                        break;
                case KEY_GATEWAY6:
                        r = net_addr_parse(value, AF_INET6, &l->gw6);
                        break;
                case KEY_OUTBOUND:
                        r = parse_bool(value, &l->outbound);
                        break;
                case KEY_KEEPER: {
                        unsigned long long pid, start;
                        int n = -1;

                        r = sscanf(value, "%llu %llu%n", &pid, &start, &n) == 2 && n > 0 && !value[n] && pid > 0 &&
                                            pid <= INT32_MAX
                                    ? 0
                                    : -EINVAL;
                        l->keeper = (pid_t) pid;
                        l->keeper_start = start;
                        break;
                }
                case KEY_PORT:
                        if (l->n_ports >= NET_LEASE_PORTS_MAX)
                                return log_error_errno(-EBADMSG, "network: %s: more than %d forwards; not used", shown,
                                                       NET_LEASE_PORTS_MAX);
                        r = net_port_parse(value, &l->ports[l->n_ports]);
                        if (r >= 0)
                                l->n_ports++;
                        break;
                }
                if (r < 0)
                        return log_error_errno(-EBADMSG, "network: %s:%d: %s= is not valid", shown, line_no, line);
        }
        if ((seen & KEYS_NEEDED) != KEYS_NEEDED)
                return log_error_errno(-EBADMSG, "network: %s: bridge=, ifname=, address4=, net4=, gateway4= or "
                                       "outbound= is missing; not used", shown);
        if ((seen & KEYS_IPV6) && (seen & KEYS_IPV6) != KEYS_IPV6)
                return log_error_errno(-EBADMSG, "network: %s: address6=, net6= and gateway6= go together; not used",
                                       shown);
        return 0;
}

int net_lease_format(const NetLease *l, Buffer *b) {
        char a[NET_ADDR_STRING_MAX], p[NET_PREFIX_STRING_MAX], spec[NET_PORT_SPEC_MAX];

        buffer_printf(b, "bridge=%s\nifname=%s\n", l->bridge, l->ifname);
        buffer_printf(b, "address4=%s\n", net_addr_to_string(&l->addr4, a));
        buffer_printf(b, "net4=%s\n", net_prefix_to_string(&l->net4, p));
        buffer_printf(b, "gateway4=%s\n", net_addr_to_string(&l->gw4, a));
        if (l->addr6.family) {
                buffer_printf(b, "address6=%s\n", net_addr_to_string(&l->addr6, a));
                buffer_printf(b, "net6=%s\n", net_prefix_to_string(&l->net6, p));
                buffer_printf(b, "gateway6=%s\n", net_addr_to_string(&l->gw6, a));
        }
        buffer_printf(b, "outbound=%s\n", l->outbound ? "yes" : "no");
        for (size_t i = 0; i < l->n_ports; i++)
                buffer_printf(b, "port=%s\n", net_port_to_spec(&l->ports[i], spec));
        if (l->keeper > 0)
                buffer_printf(b, "keeper=%d %llu\n", (int) l->keeper, (unsigned long long) l->keeper_start);
        return b->oom ? log_oom() : 0;
}

