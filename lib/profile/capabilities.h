/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The capabilities that reach past the sandbox's namespaces into the
 * host: with one of them, the read-only root, the masks and the private
 * mounts no longer hold. A profile keeps them only with keep-unsafe=
 * (sandbox.profile(5)), validate warns about each, and convert never
 * writes them unasked. One list, for the parser, validate and convert.
 */

#include <stdbool.h>

#include "diagnostics.h"
#include "profile.h"

/* What capability name (upper case, "CAP_SYS_ADMIN") lets a service do
 * to the host, as the end of "it lets the service ...", when it is one of
 * the list; NULL for every other name. host_network: the sandbox has
 * the host's network (CAP_NET_ADMIN is listed only then). */
const char *capability_unsafe_why(const char *name, bool host_network);

/* One warning per capability that p keeps through keep-unsafe=, at the
 * <capabilities> element that kept it: for sandboxctl validate. */
void capability_unsafe_warnings(const Profile *p, Diagnostics *d);
