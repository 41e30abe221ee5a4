/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The resolv.conf of a bridged sandbox. The resolvers the profile names
 * (<dns server=>), or else the host's: one on a loopback address (such
 * as systemd-resolved's 127.0.0.53) is out of the sandbox's reach, and is
 * replaced by the gateway, whose port 53 leads to it (nft-rules.h, map
 * dns4); ::1 cannot be led to, and is left out. The host's search and
 * options lines are kept.
 */

#include <stddef.h>

#include "net-addr.h"

#define NET_RESOLV_MAX 4096

/* host: the host's resolv.conf text (NULL: none); dns: the profile's
 * resolvers (may be NULL). Writes the sandbox's file into out, and in
 * *ret_dns_to the loopback resolver the gateway gw4 stands for (family
 * 0: none). -E2BIG when it does not fit. */
int net_resolv_make(const char *host, char *const *dns, const NetAddr *gw4, char out[static NET_RESOLV_MAX],
                    NetAddr *ret_dns_to);
