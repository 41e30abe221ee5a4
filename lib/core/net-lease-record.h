/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The files of net-lease.c: a lease, /run/sandbox/.network/NAME, lines of
 * KEY=VALUE (bridge=, ifname=, address4=, net4=, gateway4=, the same
 * three for IPv6 or none of them, outbound=yes|no, and one port=SPEC per
 * forward, as net_port_to_spec() writes it), and the first choice,
 * STATE_ROOT/NAME/network (address4=, address6=). */

#include "buffer.h"
#include "net-lease.h"

/* a lease holds a dozen lines and at most NET_LEASE_PORTS_MAX forwards */
#define NET_RECORD_MAX (16U << 10)

/* The text of file name below dir (shown_dir: its path, for messages),
 * a regular file of root's that no one else can write, of at most
 * NET_RECORD_MAX bytes, opened without following a link. -ENOENT, not
 * logged, when missing; another -errno after logging. */
int net_record_read(int dir, const char *shown_dir, const char *name, char buf[static NET_RECORD_MAX + 1]);

/* Writes text as file name below dir, 0644: a file of its own, renamed
 * over it, so that a reader sees the old or the new one whole. */
int net_record_write(int dir, const char *shown_dir, const char *name, const char *text);

/* A lease's text (changed in place) into *l, whose name is set; shown:
 * its path, for messages. -EBADMSG after logging when it is not as
 * net_lease_format() writes it. */
int net_lease_parse(char *text, const char *shown, NetLease *l);
int net_lease_format(const NetLease *l, Buffer *b);
