/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Capabilities by name, as capabilities(7) writes them ("CAP_NET_ADMIN"),
 * and by number: the one place that turns one into the other, for the
 * helper's options and keep-list, the profile's parser, the unit's
 * settings that convert reads, and the names shown. The names are
 * libcap-ng's: the capabilities this build knows. */

#include <stdint.h>

/* "CAP_" and the longest name, with room to spare */
#define CAPABILITY_NAME_MAX 64

/* The number of a capability named as profiles and the helper's options
 * write it: "CAP_" and the name in upper case. -EINVAL for any other
 * spelling and for a name this build does not know. */
int capability_from_name(const char *name);

/* The same for a name as systemd takes it in a unit file: any case,
 * "CAP_" optional. */
int capability_from_any_name(const char *name);

/* "CAP_NET_ADMIN" for capability cap, into buf: 0, or -EINVAL for a
 * number this build does not know. */
int capability_to_name(unsigned cap, char buf[static CAPABILITY_NAME_MAX]);

/* The names of the capabilities of mask, in the order of their numbers,
 * separated by spaces ("" for none; numbers this build does not know are
 * left out); NULL when out of memory. */
char *capabilities_names(uint64_t mask);
