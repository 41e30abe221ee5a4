/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Idmapped mounts for <user-namespace mode="private"/> (idmap.c). */

#include <stdbool.h>
#include <stdint.h>

/* The user namespace whose map the mounts take (an fd), or -EBADF: none
 * is idmapped. Set once, before the mounts are made. */
void idmap_set(int userns);
int idmap_get(void);

/* A clone of the mount at path below dfd ("" for dfd itself; shown in
 * messages as shown, or path when NULL), recursive
 * or not, detached, with the MOUNT_ATTR_* flags attr set, idmapped where
 * its file systems allow it; where they do not, refused when required
 * (-EOPNOTSUPP), else shown as it is. Returns the mount's fd
 * (O_CLOEXEC), or -errno after logging. */
int idmap_clone(int dfd, const char *path, const char *shown, bool recursive, uint64_t attr, bool required,
                const char *what);

/* The mount on target (below root) replaced by an idmapped clone of
 * itself, where its file system allows one. Logs. */
int idmap_in_place(int root, const char *target, const char *what);

/* The host's mount of source and every mount below it, but for /proc,
 * /sys, /dev, /run and /tmp, which the sandbox replaces, cloned one by
 * one onto target with attr (MOUNT_ATTR_*), each idmapped where its file
 * system allows it; source's own must be. Logs. */
int idmap_root(const char *source, const char *target, uint64_t attr);

/* bind_fd_in_root()'s bind, of an idmapped clone of src and the mounts
 * below it (shown as they are where a file system allows no idmapping). */
int idmap_bind(int root, int src, const char *source, const char *target, unsigned long flags, const char *what);

/* Whether the mount of source, the sandbox's root, can be idmapped: 0,
 * or -EOPNOTSUPP after saying why. Before any namespace: the start fails
 * once, here, rather than in two processes at once. */
int idmap_check_root(const char *source);
