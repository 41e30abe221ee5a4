/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Per-sandbox MCS categories. Each sandbox whose profile says
 * mcs="dynamic" gets a pair of categories that no other sandbox of this
 * host has: the first free pair from a hash of its name, recorded in
 * STATE_ROOT/.selinux-mcs as "NAME cA,cB" lines, so that it is the same
 * at every start and after a reboot (its state on disk is labelled with
 * it). Two sandboxes at different pairs cannot reach each other's files
 * where the policy's MCS constraints apply. The line goes when sandboxctl
 * delete removes the sandbox's state, and the pair is free again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "identity.h"
#include "log.h"
#include "lsm.h"
#include "macro.h"
#include "mcs-record.h"
#include "mount-util.h"
#include "selinux-mcs.h"
#include "state-dir.h"
#include "state.h"

/* The sandbox's pair from the record (mcs-record.h), or, with add, a new
 * one added to it; without, -ENOENT when it has none. */
static int find_pair(const char *state_root, const char *name, bool add, unsigned *ret_a, unsigned *ret_b) {
        _cleanup_close_ int root = -EBADF;
        int r;

        root = state_root_walk(state_root, add ? STATE_CREATE : 0);
        if (root < 0)
                return log_error_errno(root, "selinux: state root %s: %m", state_root);
        r = mcs_record_pair(root, state_root, name, add, ret_a, ret_b);
        if (r == -ENOENT)
                return log_error_errno(r, "selinux: %s/%s has no categories for sandbox %s", state_root, MCS_RECORD,
                                       name);
        if (r > 0)
                log_info("selinux: sandbox %s gets the MCS categories c%u,c%u", name, *ret_a, *ret_b);
        return r < 0 ? r : 0;
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
