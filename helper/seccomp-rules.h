/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The rules of a service's system call filter, in a libseccomp context:
 * the default deny-list (syscall-sets.h) unless use_default is false,
 * without what allow names, plus deny ("NAME:ERRNO" or "NAME:kill",
 * NAME a system call or a @set). Used by the helper at start and, for
 * the default filter alone, at build time (seccomp-export.c).
 */

#include <seccomp.h>
#include <stdbool.h>

#include "seccomp-restrict.h"

/* A context that allows what no rule names, kills the process on a
 * foreign architecture, and leaves no_new_privs to the caller. */
int seccomp_rules_new(scmp_filter_ctx *ret);

/* name's number on this architecture, also for the calls newer than
 * libseccomp that the rules name; __NR_SCMP_ERROR if unknown. */
int seccomp_syscall_number(const char *name);

/* ENOSYS for the calls newer than this build knows (from Linux 5.1's
 * numbers on), as the default filter answers them: the C library falls
 * back where one it tries says ENOSYS. Logs and returns -errno. */
int seccomp_rules_add_newer(scmp_filter_ctx ctx);

/* Logs what is wrong (an unknown system call, a rule libseccomp refuses)
 * and returns -errno. restrict_: the profile's restrictions, or NULL. */
int seccomp_rules_add(scmp_filter_ctx ctx, bool use_default, char *const *allow, char *const *deny,
                      const SeccompRestrict *restrict_);
