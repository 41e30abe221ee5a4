/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * How large each tmpfs of the sandbox may grow. A tmpfs is memory: one
 * without a size could take half of the host's RAM, whatever the
 * profile's memory limit says. Every one gets a size and a number of
 * inodes (an inode costs kernel memory that size= does not count).
 *
 * The compiler passes the sizes on the helper's command line; where it
 * passes none, the helper takes the fixed default of the kind. With a
 * memory limit, the default is a share of it (sandbox.profile(5)).
 */

#include <stddef.h>
#include <stdint.h>

typedef enum TmpfsKind {
        TMPFS_TMP,   /* /tmp */
        TMPFS_RUN,   /* /run */
        TMPFS_SHM,   /* /dev/shm */
        TMPFS_ETC,   /* <etc mode="tmpfs"> */
        TMPFS_VAR,   /* <var mode="tmpfs"> */
        TMPFS_MOUNT, /* <tmpfs> */
        _TMPFS_KIND_MAX,
} TmpfsKind;

/* The size of kind without a memory limit, in bytes. */
uint64_t tmpfs_fixed_size(TmpfsKind kind);

/* The size of kind under a memory limit of memory_max bytes: its share
 * (a quarter, or an eighth for /run and /etc), at least 1 MiB. */
uint64_t tmpfs_share_size(TmpfsKind kind, uint64_t memory_max);

/* One inode per 16 KiB of size, at least 1024. */
uint64_t tmpfs_inodes(uint64_t size);

/* "64M": bytes in the largest unit that divides them, as parse_size()
 * reads it back. */
void tmpfs_format_size(uint64_t bytes, char *buf, size_t n);

/* "size=BYTES,nr_inodes=N" for a tmpfs of kind; size is a parse_size()
 * string, or NULL for the kind's fixed default. Returns 0, or -EINVAL for
 * a size that is not one. */
int tmpfs_limits(TmpfsKind kind, const char *size, char *buf, size_t n);
