/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The file system image at image (a host path) on target inside root,
 * through a loop device that detaches itself when the mount goes. */
int image_mount(int root, const char *image, const char *target, bool readonly);

/* A tmpfs in rundir (dir, returned) for the device nodes made below. */
int block_devices_prepare(const char *rundir, char *dir, size_t size);

/* The block device (a host path) as /dev/NAME in root, with
 * /dev/disk/by-tag/TAG pointing at it, root's (or owner's, when not 0:
 * the range of a user namespace of the sandbox's). Before /dev is made
 * read-only. */
int block_device_add(int root, const char *dir, const char *tag, const char *device, bool readonly, unsigned owner);
