/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The filter every sandboxed service runs under, whatever its profile:
 * no new user namespace (where dropped capabilities come back and much
 * of the kernel opens up), no kernel keyrings (shared with the host's
 * root), no clone3 (whose flags a filter cannot see; libc falls back to
 * clone). Loaded while the helper is still privileged, so it needs no
 * no_new_privs. */
int seccomp_load_default(void);
