/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * sandboxctl run by a user who is not root (sandboxctl(1), "UNPRIVILEGED
 * RUN"): the helper runs as root of a user namespace in which root is
 * the caller and 1..N the IDs that /etc/subuid and /etc/subgid delegate
 * to the caller (N at most 65536), mapped by newuidmap and newgidmap.
 * Its state is the caller's, below $XDG_STATE_HOME/sandbox
 * (~/.local/state/sandbox), its runtime directories below
 * $XDG_RUNTIME_DIR/sandbox. What the profile asks that needs the host's
 * root is refused first, naming the profile's line.
 */

#include <stdbool.h>

#include "profile.h"

/* The caller's delegated IDs: the first line of /etc/subuid and of
 * /etc/subgid that names the caller (by name or UID) */
typedef struct RunRange {
        unsigned uid, gid;         /* the caller's, root in the namespace */
        unsigned uid_start, gid_start;
        unsigned uid_count, gid_count; /* at most RUN_RANGE_MAX */
} RunRange;

#define RUN_RANGE_MAX 65536u

/* Reads the caller's range from subuid and subgid (paths, for tests).
 * Logs; -ENOENT when the caller has none, -ENOEXEC without newuidmap. */
int run_range_read(const char *subuid, const char *subgid, RunRange *ret);

/* Every setting of p that needs the host's root, each logged as
 * FILE:LINE: ...; -EPERM when there is one. <resources>, <unit-setting>
 * and the host network's <allow> and <deny> are warned about and left
 * out with without_limits. */
int run_unprivileged_check(const Profile *p, const RunRange *range, bool without_limits);

/* --unprivileged, --state-root and --runtime-root added to argv: the
 * state root state_root_arg, else $XDG_STATE_HOME/sandbox or
 * ~/.local/state/sandbox; the runtime root $XDG_RUNTIME_DIR/sandbox,
 * else STATE_ROOT/.run. Each made (0700) where missing, and checked to
 * be a path only root and the caller can change. Logs. */
int run_unprivileged_options(const char *state_root_arg, char ***argv);

/* Executes argv (the helper) as root of a new user namespace with the
 * caller's range mapped. Returns only on failure, after logging. */
int run_unprivileged_exec(char **argv, const RunRange *range);
