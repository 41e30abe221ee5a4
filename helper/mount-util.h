/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Mounting inside the sandbox's root. Every function here logs its own
 * failure (what, where, why) and returns -errno; callers only pass the
 * error on. */

#include <limits.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/types.h>

/* "/proc/self/fd/N": a path naming exactly the file fd was opened on. */
#define FD_PATH_MAX sizeof("/proc/self/fd/-2147483648")
void fd_path(int fd, char buf[static FD_PATH_MAX]);
/* The path fd was opened on, as this mount namespace shows it; -EXDEV
 * for a file of another namespace, or one gone; logs nothing. */
int fd_real_path(int fd, char buf[static PATH_MAX]);

int mount_logged(const char *source, const char *target, const char *type, unsigned long flags, const char *data);

/* Adds flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC) to the mount
 * fd is the top of (an O_PATH fd) and every mount below it. Flags the
 * mounts already have are kept, never cleared; a flag asked for that
 * the mount then does not show fails with -EPERM. */
int mount_add_flags(int fd, unsigned long flags, const char *shown);

/* noexec off the mount fd is the top of (an O_PATH fd), and off no
 * other mount; no other flag changes. */
int mount_clear_noexec(int fd, const char *shown);

/* Read-only, and flags added, on path and every mount below it. */
int make_readonly_recursive(const char *path, unsigned long flags);

typedef enum CreateMode {
        CREATE_NONE,  /* the path must exist */
        CREATE_DIR,   /* missing components are made as directories */
        CREATE_FILE,  /* the same, and the last one an empty file */
} CreateMode;

/* Opens path below root (an O_PATH fd of the sandbox's root) as O_PATH,
 * resolving every symlink as if root were "/", so nothing leads out of
 * the sandbox's tree. what names the step for messages. */
int open_in_root(int root, const char *path, CreateMode create, const char *what);

/* The host's file at path (absolute), opened O_PATH: every component
 * walked from / without following a symbolic link, every one root's,
 * the last of type (S_IFSOCK, S_IFDIR). Returns the fd, or -ENOENT or
 * -ENOTDIR (not there), -ELOOP (a symbolic link), -EPERM (not root's),
 * -ENOTSOCK (a socket was asked for; -ENOTDIR for a directory) or
 * -errno; logs nothing. */
int open_host_file(const char *path, mode_t type);

/* Bind source (a host path) on target inside root, recursively, with
 * flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC) added on every
 * submount. MS_NODEV is left out for a device bound on purpose: a
 * device node, or a read-only bind of a path below the host's /dev. */
int bind_in_root(int root, const char *source, const char *target, unsigned long flags, const char *what);

/* The same with the source already opened (src, an O_PATH fd; source
 * names it in messages). */
int bind_fd_in_root(int root, int src, const char *source, const char *target, unsigned long flags, const char *what);

/* With SELinux: the context every tmpfs and overlay of the sandbox gets
 * (context= mount option), so that the service's label may use them;
 * NULL (the default) for none. mount_context() gives it back (NULL for
 * none), mount_context_option() "" or ",context=\"...\"" to append to
 * mount options. */
void mount_set_context(const char *context);
const char *mount_context(void);
const char *mount_context_option(void);

/* A tmpfs on target inside root, created when missing. */
int tmpfs_in_root(int root, const char *target, unsigned long flags, const char *options, const char *what);
