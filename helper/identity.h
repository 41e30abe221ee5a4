/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "capability-names.h"
#include "helper-config.h"
#include "step.h"

/* Whether the label and the profile asked for can be applied: on the
 * host, before any namespace, into c->selinux_on and c->apparmor_on. */
void lsm_decide(HelperConfig *c);

/* SELinux/AppArmor: the label or profile the service gets at execve(),
 * where the kernel has that LSM (main.c has refused a label it lacks
 * unless optional). */
int lsm_arm_exec(const HelperConfig *c);
/* each of the two alone, as the service's steps take them */
int lsm_arm_selinux(const HelperConfig *c);
int lsm_arm_apparmor(const HelperConfig *c);

/* With SELinux enabled and a label asked for: the context for the
 * sandbox's tmpfs and overlay mounts (malloc'd), else NULL. */
char *selinux_mount_context(const HelperConfig *c);

typedef struct Identity {
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;
        uint64_t caps; /* the keep-list, a mask of capability numbers */
        /* asked for, but not in the bounding set this process was given
         * (by the unit or a container): kept out, which only confines more */
        uint64_t caps_missing;
} Identity;

/* On the host, before any namespace or mount: user=, group= and the
 * supplementary groups given by name are replaced by their numbers, looked
 * up in the host's /etc/passwd and /etc/group, or in those of the root
 * directory (c->root_directory) as it is on the host. group= becomes the
 * user's own group when none was given. Never the sandbox's own /etc: its
 * service writes that. Logs what failed. */
int identity_resolve_names(HelperConfig *c);

/* The user, group and supplementary groups, as numbers
 * (identity_resolve_names() has replaced the names), and the capabilities
 * to keep. Logs what failed. */
int identity_resolve(const HelperConfig *c, Identity *id);
void identity_done(Identity *id);

/* The effective and permitted sets set to caps, the inheritable set to
 * inheritable (masks of capability numbers), with one capset(). Returns
 * 0 or -errno. */
int capabilities_set(uint64_t caps, uint64_t inheritable);

/* Landlock and the default seccomp filter (first with
 * --allow-new-privileges, else last), supplementary groups, group, user,
 * capabilities (bounding, permitted, effective, inheritable, and ambient
 * for a non-root user), no_new_privs and the working directory: system
 * calls only, for the service's process. Logs what failed. */
int identity_apply(const HelperConfig *c, const Identity *id, StepTimer *t);

/* what identity_apply() walks, in order */
extern const Step identity_steps[];
extern const size_t n_identity_steps;
