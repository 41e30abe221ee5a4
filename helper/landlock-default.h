/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "helper-config.h"

/* What the default Landlock domain lets the service do below a path. */
typedef enum LandlockGrant {
        LANDLOCK_GRANT_READ,      /* read, list, execute */
        LANDLOCK_GRANT_DEVICE_RO, /* and the ioctls of a device node */
        LANDLOCK_GRANT_DEVICE,    /* and write a device node (not make one) */
        LANDLOCK_GRANT_WRITE,     /* everything the kernel's ABI can restrict */
} LandlockGrant;

/* follow: the path is a symbolic link that the helper made in the
 * read-only /dev, to be followed; no other path is (the service may
 * have made a link in a writable directory of a sandbox that runs) */
typedef int (*LandlockGrantFunc)(const char *path, LandlockGrant grant, bool follow, void *userdata);

/* Calls f for each rule of the default domain, the read-only root: "/"
 * to read, and every mount of the sandbox that is writable (its /etc
 * and /var but "host", /tmp, /run, /dev/shm, /dev/pts, /proc, the
 * profile's writable binds and images and its tmpfs mounts) to write;
 * the device nodes of its /dev to use. Paths are the sandbox's. Stops
 * at, and returns, the first negative value f returns. */
int landlock_default_rules(const HelperConfig *c, LandlockGrantFunc f, void *userdata);
