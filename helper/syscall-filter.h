/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "helper-config.h"

/* Loads the service's system call filter: the default deny-list built at
 * build time when the profile changes nothing, else the one libseccomp
 * builds from the profile's rules and deny_too ("NAME:ERRNO", or NULL).
 * Needs no_new_privs or CAP_SYS_ADMIN. */
int seccomp_apply(const HelperConfig *c, const char *deny_too);
