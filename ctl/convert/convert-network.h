/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "buffer.h"
#include "unit-props.h"

/* u's network as <network>, into b: mode="none" for a network of its own
 * (convert_own_network()), else mode="host" with IPAddressAllow= and
 * IPAddressDeny= as <allow> and <deny>, a note for each. 0 or -ENOMEM. */
int convert_network(Buffer *b, const UnitProps *u, char ***notes);

/* Whether each word of u's IPAddressAllow= and IPAddressDeny= is an
 * address, a prefix, "any" or another of systemd's words, which
 * convert_network() carries. */
bool convert_addresses_mapped(const UnitProps *u);
