/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The profile's <resources> for "sandboxctl run", which has no unit to
 * carry them. Where systemd runs, the caller moves into a transient scope
 * with the properties the unit would get (run-scope.c), so that the
 * limits are exactly the unit's. Where it does not, a cgroup of its own
 * with the limits, on cgroup2 where the controllers are enabled there,
 * else on the cgroup v1 hierarchies that have them (run-cgroup.c); the
 * helper is started in it and it is removed after. Where neither is
 * possible, the run is refused: never less confinement than the profile
 * asks for, unless the admin says so (--without-limits).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "profile.h"

/* A profile's limits in numbers; UINT64_MAX: not limited. */
typedef struct RunLimits {
        uint64_t memory_max;     /* bytes */
        uint64_t tasks_max;
        uint64_t cpu_quota_usec; /* per second of time */
        uint64_t io_weight;      /* 1..10000; 0: not given */
} RunLimits;

int run_limits_from_profile(const Profile *p, RunLimits *ret);
bool run_limits_any(const RunLimits *l);

/* Where systemd runs: moves the calling process into a transient scope
 * sandbox-run-NAME-PID.scope in sandbox.slice with the limits, and
 * returns once systemd's job for it is done. Logs what failed. */
int run_scope_enter(const char *name, const RunLimits *l);

/* The cgroups of one run: a directory in each hierarchy used. */
#define RUN_CGROUPS_MAX 4
typedef struct RunCgroup {
        char *dirs[RUN_CGROUPS_MAX];
        size_t n;
} RunCgroup;

/* Makes the cgroups of a run of name, with the limits set. Returns 0, or
 * -EOPNOTSUPP after logging which controller is nowhere to be had, or
 * another -errno after logging. */
int run_cgroup_make(const char *name, const RunLimits *l, RunCgroup *ret);
/* Moves pid into every cgroup of c. */
int run_cgroup_enter(const RunCgroup *c, pid_t pid);
/* Removes the cgroups, once what is left in them has ended (any
 * process still there is killed). */
void run_cgroup_remove(RunCgroup *c);
