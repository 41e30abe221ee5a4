/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "quantities.h"
#include "tmpfs-size.h"

#define KiB UINT64_C(1024)
#define MiB (1024 * KiB)

/* Without a memory limit: room for what services keep there, and far
 * below half of a host's RAM. /dev/shm as container engines size it. */
static const uint64_t fixed_sizes[_TMPFS_KIND_MAX] = {
        [TMPFS_TMP] = 512 * MiB,
        [TMPFS_RUN] = 64 * MiB,
        [TMPFS_SHM] = 64 * MiB,
        [TMPFS_ETC] = 16 * MiB,
        [TMPFS_VAR] = 512 * MiB,
        [TMPFS_MOUNT] = 256 * MiB,
};

/* The divisor of the memory limit: together the sandbox's tmpfs mounts
 * may hold more than the limit, which bounds them all (their pages are
 * charged to the cgroup of whoever wrote them); one alone cannot take
 * the whole of it. */
static const unsigned share_divisors[_TMPFS_KIND_MAX] = {
        [TMPFS_TMP] = 4,
        [TMPFS_RUN] = 8,
        [TMPFS_SHM] = 4,
        [TMPFS_ETC] = 8,
        [TMPFS_VAR] = 4,
        [TMPFS_MOUNT] = 4,
};

uint64_t tmpfs_fixed_size(TmpfsKind kind) {
        return fixed_sizes[kind];
}

uint64_t tmpfs_share_size(TmpfsKind kind, uint64_t memory_max) {
        uint64_t s = memory_max / share_divisors[kind];

        s -= s % (4 * KiB); /* whole pages */
        return s < MiB ? MiB : s;
}

uint64_t tmpfs_inodes(uint64_t size) {
        uint64_t n = size / (16 * KiB);

        return n < 1024 ? 1024 : n;
}

void tmpfs_format_size(uint64_t bytes, char *buf, size_t n) {
        static const char units[] = "KMGT";
        int u = -1;

        while (u < 3 && bytes >= 1024 && bytes % 1024 == 0) {
                bytes /= 1024;
                u++;
        }
        if (u < 0)
                snprintf(buf, n, "%" PRIu64, bytes);
        else
                snprintf(buf, n, "%" PRIu64 "%c", bytes, units[u]);
}

int tmpfs_limits(TmpfsKind kind, const char *size, char *buf, size_t n) {
        uint64_t bytes = fixed_sizes[kind];

        if (size && parse_size(size, &bytes) < 0)
                return -EINVAL;
        snprintf(buf, n, "size=%" PRIu64 ",nr_inodes=%" PRIu64, bytes, tmpfs_inodes(bytes));
        return 0;
}
