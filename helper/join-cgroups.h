/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Opens cgroup.procs, for writing, of each cgroup that text (the
 * contents of /proc/INIT/cgroup, changed in place) names, into fds (at
 * most max; *n counts them, and they are the caller's to close, also on
 * an error). A hierarchy mounted here elsewhere than systemd mounts it
 * is an error, not a cgroup left out. Logs and returns -errno. */
int join_cgroups_open(const char *name, pid_t init, char *text, int *fds, size_t max, size_t *n);
