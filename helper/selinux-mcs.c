/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-sandbox MCS categories. Each sandbox whose profile says
 * mcs="dynamic" gets a pair of categories that no other sandbox of this
 * host has: the first free pair from a hash of its name, recorded in
 * STATE_ROOT/.selinux-mcs as "NAME cA,cB" lines, so that it is the same
 * at every start and after a reboot (its state on disk is labelled with
 * it). Two sandboxes at different pairs cannot reach each other's files
 * where the policy's MCS constraints apply.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fileio.h"
#include "identity.h"
#include "log.h"
#include "lsm.h"
#include "macro.h"
#include "mount-util.h"
#include "selinux-mcs.h"
#include "state-dir.h"
#include "state.h"

#define CATEGORIES 1024U
#define PAIRS (CATEGORIES * (CATEGORIES - 1) / 2)
#define RECORD ".selinux-mcs"
#define RECORD_MAX (4U << 20)

/* pair number n (0 <= n < PAIRS) as a < b */
static void pair_of(uint32_t n, unsigned *a, unsigned *b) {
        unsigned row = 0;

        while (n >= CATEGORIES - 1 - row) {
                n -= CATEGORIES - 1 - row;
                row++;
        }
        *a = row;
        *b = row + 1 + n;
}

static uint32_t pair_number(unsigned a, unsigned b) {
        uint32_t n = 0;

        for (unsigned row = 0; row < a; row++)
                n += CATEGORIES - 1 - row;
        return n + (b - a - 1);
}

/* FNV-1a: the same name gives the same first choice on every host */
static uint32_t name_hash(const char *s) {
        uint32_t h = 2166136261U;

        for (; *s; s++)
                h = (h ^ (unsigned char) *s) * 16777619U;
        return h;
}

/* Reads the record into text (NUL-terminated), after checking it is a
 * regular file of bounded size. */
static int record_read(int fd, char **ret) {
        struct stat st;
        _cleanup_free_ char *text = NULL;
        ssize_t k;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode) || (uint64_t) st.st_size > RECORD_MAX)
                return -EBADMSG;
        text = malloc((size_t) st.st_size + 1);
        if (!text)
                return -ENOMEM;
        k = read_fd_into(fd, text, (size_t) st.st_size + 1);
        if (k < 0)
                return (int) k;
        *ret = TAKE_PTR(text);
        return 0;
}

/* The sandbox's pair from the record, or, with add, a new one added to
 * it; without, -ENOENT when it has none. */
static int find_pair(const char *state_root, const char *name, bool add, unsigned *ret_a, unsigned *ret_b) {
        _cleanup_close_ int root = -EBADF, fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        _cleanup_free_ uint8_t *used = NULL;
        char line[512];
        unsigned a, b;
        uint32_t n;
        int r, len;

        root = state_root_walk(state_root, add ? STATE_CREATE : 0);
        if (root < 0)
                return log_error_errno(root, "selinux: state root %s: %m", state_root);
        fd = openat(root, RECORD, (add ? O_RDWR | O_CREAT : O_RDONLY) | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
        if (fd < 0)
                return log_error_errno(-errno, "selinux: %s/%s: %m", state_root, RECORD);
        if (flock(fd, LOCK_EX) < 0)
                return log_error_errno(-errno, "selinux: lock %s/%s: %m", state_root, RECORD);
        r = record_read(fd, &text);
        if (r < 0)
                return log_error_errno(r, "selinux: read %s/%s: %m", state_root, RECORD);
        used = calloc(PAIRS / 8 + 1, 1);
        if (!used)
                return log_oom();
        for (char *l = text, *next; l && *l; l = next) {
                char who[256];

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                if (sscanf(l, "%255s c%u,c%u", who, &a, &b) != 3 || a >= b || b >= CATEGORIES)
                        return log_error_errno(-EBADMSG, "selinux: %s/%s: a line that is not \"NAME cA,cB\": %.64s",
                                               state_root, RECORD, l);
                if (streq(who, name)) {
                        *ret_a = a;
                        *ret_b = b;
                        return 0;
                }
                n = pair_number(a, b);
                used[n / 8] |= (uint8_t) (1U << (n % 8));
        }
        if (!add)
                return log_error_errno(-ENOENT, "selinux: %s/%s has no categories for sandbox %s", state_root, RECORD, name);
        n = name_hash(name) % PAIRS;
        for (uint32_t tries = 0; used[n / 8] & (1U << (n % 8)); tries++) {
                if (tries == PAIRS)
                        return log_error_errno(-ENOSPC, "selinux: every pair of MCS categories is taken");
                n = (n + 1) % PAIRS;
        }
        pair_of(n, &a, &b);
        len = snprintf(line, sizeof(line), "%s c%u,c%u\n", name, a, b);
        if (lseek(fd, 0, SEEK_END) < 0 || write(fd, line, (size_t) len) != len || fsync(fd) < 0)
                return log_error_errno(errno ? -errno : -EIO, "selinux: record the categories in %s/%s: %m", state_root, RECORD);
        log_info("selinux: sandbox %s gets the MCS categories c%u,c%u", name, a, b);
        *ret_a = a;
        *ret_b = b;
        return 0;
}

int selinux_mcs_resolve(HelperConfig *c, bool starting) {
        const char *state_root = c->state_root ? c->state_root : STATE_ROOT_DEFAULT;
        char process[256], level[32], *label;
        _cleanup_free_ char *file = NULL;
        unsigned a = 0, b = 0;
        int r;

        r = selinux_container_context("process", process, sizeof(process));
        if (r < 0)
                return log_error_errno(r, "selinux: mcs=\"dynamic\" needs the policy's container process context "
                                       "(\"process\" in its lxc_contexts, or its virtual_domain_context): %m");
        r = find_pair(state_root, c->name, starting, &a, &b);
        if (r < 0)
                return r;
        snprintf(level, sizeof(level), "s0:c%u,c%u", a, b);
        label = selinux_context_at_level(process, level);
        if (!label)
                return log_oom();
        free(c->selinux_label);
        c->selinux_label = label;
        if (!starting)
                return 0;

        /* the top of its state: what is below is reached through it */
        _cleanup_close_ int dir = state_dir_open(state_root, c->name, NULL);
        char p[FD_PATH_MAX];

        if (dir < 0)
                return dir;
        file = selinux_mount_context(c);
        if (!file)
                return log_error_errno(-ENOENT, "selinux: mcs=\"dynamic\" needs the policy's container file context "
                                       "(\"file\" in its lxc_contexts, or its virtual_image_context)");
        fd_path(dir, p);
        if (setxattr(p, "security.selinux", file, strlen(file) + 1, 0) < 0)
                return log_error_errno(-errno, "selinux: label %s/%s as %s: %m", state_root, c->name, file);
        return 0;
}
