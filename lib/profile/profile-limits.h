/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What systemd and the kernel take, checked before a profile is called
 * valid: a profile that would validate and then fail to start (its unit
 * rejected, its execve() failing with E2BIG) is refused with the limit
 * named.
 */

#include "profile.h"

/* systemd's LONG_LINE_MAX: a unit file line of this many bytes or more
 * (the newline not counted) fails the unit's load with ENOBUFS. */
#define UNIT_LINE_MAX (1024 * 1024)
/* The kernel's MAX_ARG_STRLEN (32 pages of 4 KiB): one argument or
 * environment string, its NUL included. */
#define EXEC_STRING_MAX (32 * 4096)
/* The kernel's limit on all of argv and the environment (strings and
 * pointers): a quarter of the stack limit, which is 8 MiB unless set
 * otherwise for the service. */
#define EXEC_TOTAL_MAX (8 * 1024 * 1024 / 4)
/* Kept for what systemd and the helper add to the environment
 * (INVOCATION_ID, NOTIFY_SOCKET, LISTEN_*, PATH, ...). */
#define EXEC_TOTAL_RESERVE (16 * 1024)

/* Checks a complete profile against those limits, as the generator
 * would compile it; returns the number of problems added to d. */
unsigned profile_check_limits(const Profile *p, Diagnostics *d);
