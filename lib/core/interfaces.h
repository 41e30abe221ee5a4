/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The system's standard interfaces a service finds inside its sandbox
 * (sandbox.profile(5) <interfaces>, sandbox-helper(8) --interfaces): a
 * set of bits, named in the profile and on the helper's command line by
 * the same words.
 */

#include <stddef.h>

typedef enum Interface {
        INTERFACE_RUN_LOCK = 1 << 0, /* /run/lock, mode 1777: /var/lock resolves */
        INTERFACE_JOURNAL  = 1 << 1, /* /run/systemd/journal/socket and stdout */
        INTERFACE_DEV_LOG  = 1 << 2, /* /run/systemd/journal/dev-log and /dev/log */
        INTERFACE_DBUS     = 1 << 3, /* /run/dbus/system_bus_socket */
        INTERFACES_ALL     = (1 << 4) - 1,
} Interface;

/* What a sandbox has when nothing says otherwise: all but D-Bus. */
#define INTERFACES_DEFAULT (INTERFACE_RUN_LOCK | INTERFACE_JOURNAL | INTERFACE_DEV_LOG)

/* "run-lock", "journal", "dev-log", "dbus"; NULL for anything else. */
const char *interface_to_string(Interface i);
/* The bit of a name, or 0 for one that is not an interface. */
Interface interface_from_string(const char *s);

/* A set as a ","-separated list of names, in the order above, or "none"
 * for the empty set, into buf. */
void interfaces_format(unsigned set, char *buf, size_t size);
/* The reverse: every name known, each at most once, or "none" alone.
 * Returns 0, or -EINVAL. */
int interfaces_parse(const char *s, unsigned *ret);
