/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Bounded state (<state size=...> in <filesystem>): the upper and work
 * directories of a sandbox's /etc and /var overlays live on an ext4 file
 * system of that size, in a sparse image STATE_ROOT/NAME/state.img, rather
 * than on the file system of STATE_ROOT. A service that fills it gets
 * ENOSPC from the kernel; the host's STATE_ROOT grows no more than the
 * image.
 *
 * The image is attached to a loop device with LO_FLAGS_AUTOCLEAR and its
 * ext4 is mounted detached (fsopen(), fsmount()): it appears in no mount
 * table, and the loop device goes away by itself when the last mount of
 * the file system is gone, however the sandbox ended. An image already
 * bound to a loop device (a sandbox running, or one whose teardown is
 * not done yet) is mounted from that device, so that both mounts share
 * one superblock: two superblocks on one image would corrupt it.
 *
 * Inside the image: etc/{upper,work} and var/{upper,work}, the layout of
 * a state directory without a cap. Shared by the helper, which makes,
 * grows and mounts the image, and sandboxctl, which reads it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state-key.h"

#define STATE_IMAGE_NAME "state.img"
/* made under this name and renamed once it holds a file system, so that
 * an image interrupted halfway is never taken for one */
#define STATE_IMAGE_NEW_NAME "state.img.new"

/* the smallest cap: an ext4 with its journal and a little room */
#define STATE_IMAGE_MIN_SIZE (UINT64_C(16) << 20)

/* At the image's root, out of the overlays' reach: blocks kept free for
 * the work directories overlayfs makes anew at every mount, so that a
 * service that filled its /var finds it writable at the next start
 * (overlayfs mounts read-only when it cannot make them). */
#define STATE_IMAGE_RESERVE_NAME ".reserve"
#define STATE_IMAGE_RESERVE (256 * 1024)

typedef enum StateImageFlags {
        STATE_IMAGE_READ_ONLY = 1 << 0,
        /* the ext4 is on a LUKS2 mapping, whose unwritten blocks do not
         * read as zeros: its journal and inode tables are written out */
        STATE_IMAGE_ENCRYPTED = 1 << 1,
} StateImageFlags;

/* An encrypted state (<state encryption="luks2">, state-key.h): LUKS2 on
 * the loop device, the ext4 on its mapping. The sandbox names the mapping
 * (sandbox-state-NAME); key opens it. NULL where the state is in the
 * clear. */
typedef struct StateImageCrypt {
        const char *sandbox;
        const StateKey *key;
} StateImageCrypt;

/* a device's path: /dev/loopN, or /dev/mapper/sandbox-state-NAME */
#define STATE_IMAGE_DEVICE_MAX 128

/* The block device the ext4 lives on, for image_fd (an fd of the image,
 * opened O_RDWR): the loop device already bound to it (opened O_RDONLY:
 * only held), or one bound now (LOOP_CONFIGURE, LO_FLAGS_AUTOCLEAR). With
 * STATE_IMAGE_READ_ONLY (sandboxctl) any bound one is taken, to share a
 * running sandbox's superblock, and one bound now is read-only, so that
 * sandboxctl never writes to the image; without it (the helper) a
 * read-only one is not taken. Its path ("/dev/loopN") goes into ret_dev.
 * Returns an fd of the device, which the caller closes once the file
 * system is mounted (the mount holds the device from then on), or -errno
 * after logging. shown: the image's path, for messages. The one step a
 * layer between the image and the ext4 (encryption) replaces. */
int state_image_device(int image_fd, StateImageFlags flags, const char *shown, char *ret_dev, size_t size);

/* Waits, up to 5 s, until no writable loop device is bound to image_fd:
 * the superblock of a sandbox that has ended goes a moment after its
 * lock is free, and until then the image's bytes are not all written.
 * 0 once none is, -EBUSY (logged) after the wait, another -errno after
 * logging. */
int state_image_wait_released(int image_fd, const char *shown);

/* Makes an ext4 on dev (mkfs.ext4 -q -F -m 0, from /usr/sbin or /sbin,
 * in a clean environment): empty, or with the files of the directory
 * from (an absolute path; mkfs.ext4 -d). Returns 0 or -errno after
 * logging. */
int state_image_mkfs(const char *dev, const char *from, StateImageFlags flags, const char *shown);

/* Runs argv[0] found as the first of programs (NULL-terminated) that is
 * there, in a clean environment, stdin and stdout /dev/null; 0 when it
 * exits 0, else -errno after logging. */
int state_image_exec(const char *const programs[], char *const argv[], const char *shown);

/* The ext4 on dev, mounted detached, nosuid and nodev; with
 * STATE_IMAGE_READ_ONLY a read-only mount: of the writer's superblock
 * when dev is writable (a running sandbox's), else of a read-only one
 * that does not replay the journal. Returns the mount's fd or -errno after logging; -ENOSYS (not
 * logged) where the kernel has no fsopen(). */
int state_image_mount(const char *dev, StateImageFlags flags, const char *shown);

/* Opens STATE_IMAGE_NAME below state (an fd of STATE_ROOT/NAME), as a
 * regular file owned by root, never through a symbolic link. Returns the
 * fd (O_RDWR), -ENOENT (not logged) when there is none, another -errno
 * after logging. shown: its path. */
int state_image_open(int state, const char *shown);

/* For the helper: the image below state, made (sparse, size bytes, an
 * ext4, empty or with the files of from as state_image_mkfs() says) when
 * there is none, grown when size is larger than it;
 * a smaller size is refused (-EFBIG): ext4 does not shrink online and the
 * service's files would have to fit. Returns the mount of its file
 * system (detached, read-write), its reserve freed, or -errno after
 * logging. */
int state_image_prepare(int state, const char *shown, uint64_t size, const char *from, const StateImageCrypt *crypt);

/* For the helper, at each start with a cap: state_image_prepare() for
 * STATE_ROOT/NAME (state, its path state_path), taking in the state kept
 * before the cap (state-image-migrate.c). Returns the mount, or -errno
 * after logging. */
int state_image_start(int state, const char *state_path, uint64_t size, const StateImageCrypt *crypt);

/* After the overlays are made on mnt (from state_image_prepare(), which
 * freed the last reserve): the reserve made again, as much of it as fits.
 * Does not fail. */
void state_image_reserve(int mnt, const char *shown);

/* Growing the image's file system to the size of the image, size bytes
 * (state-image-grow.c). Offline, with resize2fs on dev, when the device
 * was bound now (alone: no superblock of the image is alive) and the file
 * system is clean: 1 when grown, 0 when not to be grown here. Online,
 * EXT4_IOC_RESIZE_FS on mnt (it takes CAP_SYS_RESOURCE): 0 when done or
 * not needed. Both read the block count from the superblock in the image
 * itself, so that a grow interrupted after the file grew is finished.
 * -errno after logging. */
int state_image_grow_offline(int image, const char *dev, bool alone, uint64_t size, const char *shown);
int state_image_grow_online(int image, int mnt, uint64_t size, const char *shown);

/* For sandboxctl: the image below state, mounted (detached) with flags.
 * Returns the mount's fd, -ENOENT (not logged) when there is no image,
 * another -errno after logging. */
int state_image_mount_at(int state, const char *shown, StateImageFlags flags, const StateImageCrypt *crypt);

/* The device the ext4 is on, from the loop device at loop (its fd
 * loop_fd): loop_fd itself for a state in the clear; with crypt, the
 * LUKS2 mapping over it (state-image-crypt.c), formatted first when the
 * image is blank (*ret_formatted), and its path into dev (size bytes).
 * A state whose encryption is not the profile's (LUKS2 without crypt, in
 * the clear with it) is -EMEDIUMTYPE. Takes loop_fd; returns an fd of
 * the device, or -errno after logging. */
/* For sandboxctl, which reads the state without the profile: whether the
 * image below state is encrypted (LUKS2), 0 when not (or when there is
 * none); 1 with crypt set for sandbox, its key decrypted from the state's
 * credential into key (state_key_from_credential()), which the caller
 * wipes. -errno after logging. */
int state_image_crypt_for(int state, const char *sandbox, const char *shown, StateImageCrypt *crypt, StateKey *key);

/* state_image_mount_at() for sandboxctl, with the encryption the image
 * has: the sandbox's mapping and the key from its credential when it is
 * LUKS2 (state_image_crypt_for()), in the clear otherwise. */
int state_image_mount_sandbox(int state, const char *sandbox, const char *shown, StateImageFlags flags);

int state_image_crypt_device(int loop_fd, const char *shown, const StateImageCrypt *crypt, char *dev, size_t size,
                             bool *ret_formatted);

/* The size of the image's file system and what is used of it, from the
 * mount (or any fd in it) with statfs(). Returns 0 or -errno. */
int state_image_usage(int fd, uint64_t *ret_used, uint64_t *ret_size);
