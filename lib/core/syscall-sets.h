/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Named sets of system calls for <seccomp> (sandbox.profile(5)), and the
 * default deny-list the helper loads into every service. Names only: the
 * numbers are libseccomp's, for the architecture the filter is built on.
 */

#include <stdbool.h>

typedef struct SyscallSet {
        const char *name;        /* "@mount" */
        const char *description;
        const char *const *syscalls;
        /* The set refuses its calls only with certain arguments (ioctl
         * requests, set-ID mode bits: the helper's seccomp-args.c), not
         * the calls themselves; syscalls names the calls it looks at. */
        bool by_argument;
} SyscallSet;

extern const SyscallSet syscall_sets[];

/* The set called name ("@mount"), or NULL. */
const SyscallSet *syscall_set_find(const char *name);

/* What the default filter denies with EPERM: set names and system calls.
 * Besides these it answers clone3() with ENOSYS (so that the flags of
 * clone() can be checked) and refuses new user namespaces; @setid answers
 * openat2() with ENOSYS (so that libc falls back to openat()). */
extern const char *const seccomp_default_deny[];


/* The errno a <deny errno=""> names: EPERM, ENOSYS, ... or a number from
 * 1 to 4095. Returns it, or -EINVAL. "kill" is not an errno: callers
 * check for it first. */
int seccomp_errno_from_string(const char *s);
const char *seccomp_errno_to_string(int e);
