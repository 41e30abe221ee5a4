/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The two restrictions a profile can add to the service's filter, as
 * systemd's MemoryDenyWriteExecute= and RestrictAddressFamilies= do for
 * a unit: enforced here, in the service's own filter, since systemd's
 * would bind the helper too, which must still mount.
 */

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "seccomp-args.h"

typedef struct SeccompRestrict {
        bool memory_deny_write_execute;
        const char *address_families; /* as --address-families takes it; NULL: any */
} SeccompRestrict;

/* A mapping both writable and executable, or one made executable, is
 * refused with EPERM: mmap() and mmap2() with PROT_WRITE and PROT_EXEC,
 * mprotect() and pkey_mprotect() with PROT_EXEC, shmat() with SHM_EXEC.
 * Not for a call that has_denied says is refused whole already. */
int seccomp_restrict_memory(scmp_filter_ctx ctx, seccomp_has_rule_t has_denied, void *userdata);

/* socket() of a family that spec ("AF_A,...", "~AF_A,..." or "none")
 * does not allow fails with EAFNOSUPPORT,
 * as under systemd; socketpair() too, but for AF_UNIX, whose pairs
 * systemd leaves alone (no other family makes pairs). refused: the
 * families the filter refuses on socket() already (the default's
 * @af-alg, @af-vsock), one bit each, which keep their own rule. */
int seccomp_restrict_families(scmp_filter_ctx ctx, const char *spec, uint64_t refused, seccomp_has_rule_t has_denied,
                              void *userdata);
