/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What each step prints in --dry-run's plan (step.h): the steps' tables
 * (main.c, rootfs.c, init.c, identity.c) give the order and the
 * conditions, these the lines. */

#include "helper-config.h"
#include "step.h"

/* the helper, on the host */
void plan_preflight(const HelperConfig *c, Plan *p);
void plan_lock(const HelperConfig *c, Plan *p);
void plan_userns(const HelperConfig *c, Plan *p);
void plan_namespaces(const HelperConfig *c, Plan *p);
void plan_overlays(const HelperConfig *c, Plan *p);

/* process 1: the file system */
void plan_propagation(const HelperConfig *c, Plan *p);
void plan_root(const HelperConfig *c, Plan *p);
void plan_join(const HelperConfig *c, Plan *p);
void plan_tmpfs(const HelperConfig *c, Plan *p);
void plan_interfaces(const HelperConfig *c, Plan *p);
void plan_dev(const HelperConfig *c, Plan *p);
void plan_proc(const HelperConfig *c, Plan *p);
void plan_shared_dirs(const HelperConfig *c, Plan *p);
void plan_mask_home(const HelperConfig *c, Plan *p);
void plan_mounts(const HelperConfig *c, Plan *p);
void plan_masks(const HelperConfig *c, Plan *p);
void plan_no_exec(const HelperConfig *c, Plan *p);
void plan_pivot_root(const HelperConfig *c, Plan *p);

/* process 1: the rest */
void plan_network(const HelperConfig *c, Plan *p);
void plan_bridge(const HelperConfig *c, Plan *p);
void plan_resolv_conf(const HelperConfig *c, Plan *p);
void plan_hostname(const HelperConfig *c, Plan *p);
void plan_terminal(const HelperConfig *c, Plan *p);
void plan_init(const HelperConfig *c, Plan *p);

/* the service's process */
void plan_selinux(const HelperConfig *c, Plan *p);
void plan_apparmor(const HelperConfig *c, Plan *p);
void plan_landlock(const HelperConfig *c, Plan *p);
void plan_seccomp(const HelperConfig *c, Plan *p);
void plan_bounding_set(const HelperConfig *c, Plan *p);
void plan_identity(const HelperConfig *c, Plan *p);
void plan_capabilities(const HelperConfig *c, Plan *p);
void plan_no_new_privs(const HelperConfig *c, Plan *p);
void plan_start_pre(const HelperConfig *c, Plan *p);
void plan_system_calls(const HelperConfig *c, Plan *p);
void plan_execve(const HelperConfig *c, Plan *p);

/* process 1's and the service's tables, printed (init.c) */
void init_print_plan(const HelperConfig *c, Plan *p);
void service_print_plan(const HelperConfig *c, Plan *p);
