/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The sandbox's masks (masks.c). Each function logs its own failure and
 * returns -errno: a path that cannot be masked stops the start. */

#include <errno.h>

typedef struct Masks {
        int root;       /* O_PATH fd of the new root; not owned */
        int file, dir;  /* O_PATH fds of the mask sources */
        int home[2];    /* O_PATH fds of the tmpfs masks of /root and /home */
} Masks;

#define MASKS_INIT(r) ((Masks) { .root = (r), .file = -EBADF, .dir = -EBADF, .home = { -EBADF, -EBADF } })

/* The sources masks are bound from, on a tmpfs in rundir/mask. */
int masks_prepare(Masks *m, const char *rundir);

/* path in the new root masked; nothing to do when it is not there. */
int mask_path(Masks *m, const char *path);

/* The kernel's interfaces, once /proc and /sys are mounted. */
int masks_proc(Masks *m);
int masks_sys(Masks *m);

/* /root and /home: an empty tmpfs before the profile's mounts, made
 * read-only (searchable when a mount point was made in it) after them. */
int masks_home_mount(Masks *m);
int masks_home_seal(Masks *m);

/* /etc/shadow, /etc/gshadow, their backups and every private key below
 * /etc/ssh. */
int masks_default(Masks *m);

/* Every private key below the directory path in the new root (the host's
 * /etc/ssh, or where a bind shows it): by its name (*_key), by who may
 * read it (root alone) or by its first line; path itself when it is not
 * a directory. A walk of bounded depth and size, beyond which it fails. */
int masks_ssh_keys_at(Masks *m, const char *path);

/* Whether the regular file name in dir (st its fstatat()) is a private
 * key by the same rules, shown as path: 1, 0, or -errno after logging. */
struct stat;
int ssh_secret(int dir, const char *name, const struct stat *st, const char *path);

void masks_done(Masks *m);
