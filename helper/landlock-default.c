/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default Landlock domain's rules, from the helper's configuration
 * alone: the writable mounts rootfs.c makes of it, and nothing else.
 * A mount that is read-only gets no rule of its own: "/" reads it.
 */
#include <string.h>

#include "landlock-default.h"
#include "macro.h"

/* the nodes of the sandbox's /dev, which it makes on purpose (rootfs.c);
 * /dev itself is a read-only tmpfs: nothing new can be made there */
static const char *const dev_nodes[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty" };

/* /etc and /var: writable but where they are the host's, read-only */
static bool dir_writable(const char *mode) {
        return !mode || !streq(mode, "host");
}

int landlock_default_rules(const HelperConfig *c, LandlockGrantFunc f, void *userdata) {
        /* writable whatever the profile says; /proc/sys, /proc/sysrq-trigger
         * and the rest that rootfs.c makes read-only stay so by their
         * mounts, and /sys (with /sys/fs/cgroup) is read-only whole */
        static const char *const always[] = { "/tmp", "/run", "/dev/pts", "/dev/shm", "/proc" };
        int r;

        r = f("/", LANDLOCK_GRANT_READ, false, userdata);
        if (r >= 0 && dir_writable(c->etc))
                r = f("/etc", LANDLOCK_GRANT_WRITE, false, userdata);
        if (r >= 0 && dir_writable(c->var))
                r = f("/var", LANDLOCK_GRANT_WRITE, false, userdata);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(always); i++)
                r = f(always[i], LANDLOCK_GRANT_WRITE, false, userdata);
        /* the ioctls of every node below /dev (a read-only block device's
         * too), writing only those that are not read-only */
        if (r >= 0)
                r = f("/dev", LANDLOCK_GRANT_DEVICE_RO, false, userdata);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(dev_nodes); i++)
                r = f(dev_nodes[i], LANDLOCK_GRANT_DEVICE, false, userdata);
        for (size_t i = 0; r >= 0 && i < c->n_mounts; i++) {
                const HelperMount *m = &c->mounts[i];

                switch (m->kind) {
                case HELPER_MOUNT_BLOCK:
                        /* /dev/disk/by-tag/TAG, a link to the node */
                        if (!m->readonly)
                                r = f(m->target, LANDLOCK_GRANT_DEVICE, true, userdata);
                        break;
                case HELPER_MOUNT_TMPFS:
                        r = f(m->target, LANDLOCK_GRANT_WRITE, false, userdata);
                        break;
                case HELPER_MOUNT_BIND:
                case HELPER_MOUNT_IMAGE:
                        /* a bound device node keeps its ioctls, read-only
                         * or not */
                        r = f(m->target, m->readonly ? LANDLOCK_GRANT_DEVICE_RO : LANDLOCK_GRANT_WRITE, false, userdata);
                        break;
                }
        }
        return r;
}
