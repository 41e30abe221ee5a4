/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The profile's binds, checked and masked against what the sandbox hides
 * of the host (bind-masks.c). Each function logs its own failure and
 * returns -errno. */

#include <stddef.h>

#include "helper-config.h"
#include "masks.h"

typedef struct HostHidden {
        struct HiddenEntry *e;
        size_t n;
} HostHidden;

/* What the sandbox hides, resolved on the host before the binds: the
 * secrets, the kernel's interfaces, /root, /home, /tmp, /run and /dev,
 * /etc/ssh, both state roots, the profile's masks, and with a root
 * directory its own secrets and /etc/ssh too. */
int host_hidden_collect(HostHidden *h, const HelperConfig *c, const char *state_root);
void host_hidden_done(HostHidden *h);

/* The bind mnt on its target in m's root, with flags added: refused
 * (-EPERM) when its source, as it resolves, lies in what the sandbox
 * hides; else bound from the very fd that was checked, and every hidden
 * path below the source masked where the bind shows it. */
int bind_masked(Masks *m, const HostHidden *h, const HelperMount *mnt, unsigned long flags, const char *what);
