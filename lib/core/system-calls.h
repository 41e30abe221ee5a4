/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * <system-calls> (sandbox.profile(5)): the profile's own system call
 * filter, an allow-list or a deny-list of system call names, which the
 * helper loads on top of its default filter as the very last step
 * before each execve() of the sandbox (the service, and every command
 * joined to it). The kernel takes the strictest answer of the stacked
 * filters: this one can only narrow.
 */

#include <stdbool.h>

/* What the helper itself calls after it has loaded the filter and
 * before the new program runs, or on the way out when execve() fails:
 * allowed whatever an allow-list says, never in a deny-list. */
extern const char *const system_calls_always_allowed[];

bool system_call_always_allowed(const char *name);

/* A system call name as libseccomp spells them: lower case letters,
 * digits and "_", at most 63 characters. Whether this architecture's
 * libseccomp knows it is checked where the filter is built and where
 * the profile is read. */
bool system_call_name_is_valid(const char *name);

/* --system-calls: "NAME,NAME" allowed alone, "~NAME,NAME" refused; each
 * name valid, none always allowed in a deny-list */
bool system_calls_spec_is_valid(const char *spec);
