/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The /etc and /var overlays. The helper's first process makes them, as
 * mounts not yet attached anywhere (the new mount API), while process 1
 * builds the rest of the root in its own mount namespace, and hands them
 * over through a socket; process 1 moves them into place. */

#include "helper-config.h"
#include "step.h"

/* The layers of the overlay on /DIR: lower, DIR below root (an O_PATH fd
 * of a root directory, resolved as open_in_root() does); upper and work,
 * STATE_ROOT/NAME/DIR/{upper,work}, the upper given the lower's owner and
 * mode. All O_PATH fds. */
typedef struct OverlayLayers {
        int lower, upper, work;
} OverlayLayers;

/* Opens the layers into ret (closed by overlay_layers_done()). Logs what
 * failed; returns 0 or -errno. */
int overlay_layers_open(int root, const char *state_root, const char *name, const char *dir, OverlayLayers *ret);
void overlay_layers_done(OverlayLayers *l);

/* Mounts the overlay of l on its lower directory. Logs what failed;
 * returns 0 or -errno. */
int overlay_mount(const OverlayLayers *l, const char *dir);

/* In the helper's first process: makes the overlays the modes of /etc and
 * /var ask for, each a mount attached nowhere, their lower directories
 * below root (an O_PATH fd of the tree the new root binds), and sends
 * them on sock, then writes back the state directories' file system.
 * With --state-size their upper and work dirs are DIR/{upper,work} in the
 * state image's file system (state-image.h), mounted first, the same way;
 * the overlays hold it, and it its loop device, from then on.
 * Sends none, so that process 1 mounts them itself, where the kernel has
 * no new mount API. On failure logs and sends nothing: process 1 sees
 * the socket closed. Returns 0 or -errno. */
int overlays_send(const HelperConfig *c, int root, const char *state_root, int sock, StepTimer *t);

/* In process 1: receives what overlays_send() sent, into ret[0] (/etc)
 * and ret[1] (/var), each a mount fd or -EBADF for a directory process 1
 * mounts itself. Returns 0, or -errno when the first process failed
 * (which logged why) or the message is not one it sends. */
int overlays_receive(int sock, int ret[static 2]);
