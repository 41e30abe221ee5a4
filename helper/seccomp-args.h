/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The rules of the sets that refuse calls only with certain arguments
 * (by_argument in syscall-sets.h): @fs-admin and @tty-inject, ioctl
 * requests; @af-alg and @af-vsock, socket()'s address family; @setid,
 * mode arguments with S_ISUID or S_ISGID, and openat2(), whose mode a
 * filter cannot read.
 */

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

/* Whether the filter has a rule of its own for a system call (a deny, or
 * an allow of the whole call): then no argument rule is added for it. */
typedef bool (*seccomp_has_rule_t)(void *userdata, const char *syscall);

/* Adds the rules of the set called name with action (openat2() of @setid
 * answers ENOSYS whatever the action, so that libc falls back to
 * openat()). Logs and returns -errno. */
int seccomp_args_add(scmp_filter_ctx ctx, const char *name, uint32_t action, seccomp_has_rule_t has_rule,
                     void *userdata);

/* One rule on the arguments of the call called name: the call's number
 * on this architecture (seccomp_syscall_number()), none for a call it
 * does not have. Logs and returns -errno. */
int seccomp_arg_rule_add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
                         const struct scmp_arg_cmp *cmp);
