/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Socket address families by the names systemd.exec(5) uses for
 * RestrictAddressFamilies= ("AF_UNIX", "AF_INET6", ...), for the profile's
 * <address-families> and the helper's --address-families.
 */

#include <stdbool.h>

/* AF_MAX of the kernel headers this knows; a family at or above it is
 * refused by an allow-list whatever its name */
#define ADDRESS_FAMILY_MAX 46

/* The family's number, or -1 for a name that is none */
int address_family_from_name(const char *name);
const char *address_family_to_name(int family);

/* "AF_UNIX AF_INET ..." (the known names, for messages) */
const char *address_family_names(void);

/* A list as the helper takes it: "AF_A,AF_B" to allow those only, "~AF_A,AF_B"
 * to refuse those, each name known, at least one; or "none" */
bool address_family_spec_is_valid(const char *spec);
