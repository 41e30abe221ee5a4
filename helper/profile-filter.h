/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The profile's own system call filter (<system-calls>, system-calls.h):
 * a second filter on top of the default one, which the kernel runs too,
 * taking the strictest answer: it can only narrow. An allow-list refuses
 * every call it does not name but those always allowed
 * (system_calls_always_allowed[]); a deny-list refuses those it names.
 * A refused call fails with the errno given, or kills the process.
 *
 * It binds the service and each command joined to the sandbox, and
 * nothing the helper does for them: it is built while the helper can
 * still allocate and log, and loaded by one seccomp(2) call as the last
 * step before each execve(). After that the process makes no call but
 * execve(), and, should it fail, its report and exit.
 */

#include <stdbool.h>

#include "helper-config.h"

/* Builds the filter c asks for, if any, into this process's memory, where
 * a fork finds it too. Logs what is wrong and returns -errno. */
int profile_filter_prepare(const HelperConfig *c);

/* Loads the prepared filter, if any: 0, or -errno, not logged (the
 * caller may have none of the calls that logging takes). asked: whether
 * the configuration asked for one (c->system_calls); then none prepared
 * fails with -ENODATA rather than execve() without it. Needs
 * no_new_privs. */
int profile_filter_load(bool asked);
