/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Masks: what the sandbox must not see of the host, hidden under an
 * empty, read-only file or directory of mode 0000 bound over it. The
 * kernel's interfaces that the OCI runtime's defaults mask (runc's list)
 * and a few more; /etc/shadow and its kind; every private key below
 * /etc/ssh, found by a bounded walk; /root and /home, each under an
 * empty tmpfs that a profile's mount below them can still lie on.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hidden-paths.h"
#include "log.h"
#include "masks.h"
#include "mount-util.h"

/* What a fresh /proc and /sys must not show: at least the OCI runtime's
 * default masked paths, and /proc/mtrr, whose writes reprogram the
 * CPU's memory ranges and whose reads show physical addresses. */
static const char *const proc_masked[] = {
        "/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats",
        "/proc/timer_stats", "/proc/acpi", "/proc/scsi", "/proc/asound", "/proc/interrupts",
        "/proc/mtrr",
};
/* The sandbox's /sys is a sysfs of its own, without what the host
 * mounts below its /sys (debugfs, tracefs, pstore: rootfs.c); of sysfs
 * itself, the firmware's tables and variables, and the power meters
 * whose readings leak what other processes compute (Platypus). */
static const char *const sys_masked[] = {
        "/sys/firmware", "/sys/devices/virtual/powercap",
};
/* masked before the profile's mounts, which may lie below them */
static const char *const home_masks[] = { "/root", "/home" };
_Static_assert(ELEMENTSOF(home_masks) == ELEMENTSOF(((Masks *) NULL)->home), "one fd per mask of /root and /home");

/* Masks what fd (O_PATH, in the new root) is, shown as path. */
static int mask_fd(Masks *m, int fd, const char *path) {
        char p[FD_PATH_MAX], source[FD_PATH_MAX];
        struct stat st;

        if (fstat(fd, &st) < 0)
                return log_error_errno(-errno, "mask %s: %m", path);
        fd_path(fd, p);
        fd_path(S_ISDIR(st.st_mode) ? m->dir : m->file, source);
        /* a bind from the mask sources' mount, which is read-only, is
         * read-only as well (the kernel copies the flag) */
        if (mount(source, p, NULL, MS_BIND, NULL) < 0)
                return log_error_errno(-errno, "mask %s: %m", path);
        return 0;
}

/* A path missing from the sandbox has nothing to hide; any other error
 * stops the start, rather than leave the path readable. */
int mask_path(Masks *m, const char *path) {
        _cleanup_close_ int fd = open_in_root(m->root, path, CREATE_NONE, "mask");

        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return log_error_errno(fd, "mask %s: %m", path);
        return mask_fd(m, fd, path);
}

/* Empty, unreadable file and directory that masks are bound from; they
 * live on a tmpfs of the helper's namespace outside the new root, and
 * are kept as O_PATH fds (closed by masks_done()). */
int masks_prepare(Masks *m, const char *rundir) {
        _cleanup_close_ int top = -EBADF;
        char dir[PATH_MAX];
        int r;

        snprintf(dir, sizeof(dir), "%s/mask", rundir);
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return log_error_errno(-errno, "create %s: %m", dir);
        r = mount_logged("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=4k");
        if (r < 0)
                return r;
        top = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (top < 0)
                return log_error_errno(-errno, "open %s: %m", dir);
        r = openat(top, "file", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0000);
        if (r < 0)
                return log_error_errno(-errno, "create %s/file: %m", dir);
        close(r);
        if (mkdirat(top, "dir", 0000) < 0)
                return log_error_errno(-errno, "create %s/dir: %m", dir);
        m->file = openat(top, "file", O_PATH | O_NOFOLLOW | O_CLOEXEC);
        m->dir = openat(top, "dir", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (m->file < 0 || m->dir < 0)
                return log_error_errno(-errno, "open the mask sources in %s: %m", dir);
        return mount_logged(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

/* Bounds on the walk of /etc/ssh: beyond them the sandbox is refused,
 * rather than started with a key not looked at. */
#define SSH_DEPTH_MAX 8
#define SSH_ENTRIES_MAX 4096

/* A private key by its first line: PEM ("-----BEGIN ... PRIVATE
 * KEY-----", which OpenSSH's own format uses too), SSH1's or PuTTY's. */
static bool private_key_header(const char *line) {
        if (strncmp(line, "SSH PRIVATE KEY FILE FORMAT", 27) == 0 || strncmp(line, "PuTTY-User-Key-File-", 20) == 0)
                return true;
        if (strncmp(line, "-----BEGIN ", 11) != 0)
                return false;
        line = strstr(line, "PRIVATE KEY-----");
        return line != NULL;
}

int ssh_secret(int dir, const char *name, const struct stat *st, const char *path) {
        _cleanup_close_ int fd = -EBADF;
        char line[128];
        struct stat now;
        ssize_t n;

        if (ssh_key_name(name) || (st->st_uid == 0 && (st->st_mode & 0044) == 0))
                return 1;
        /* not following a link, not blocking, and only the file stat()
         * saw: nothing but a regular file is opened */
        fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "mask the SSH keys: open %s: %m", path);
        if (fstat(fd, &now) < 0)
                return log_error_errno(-errno, "mask the SSH keys: %s: %m", path);
        if (!S_ISREG(now.st_mode) || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
                return log_error_errno(-ESTALE, "mask the SSH keys: %s changed while it was read", path);
        n = read(fd, line, sizeof(line) - 1);
        if (n < 0)
                return log_error_errno(-errno, "mask the SSH keys: read %s: %m", path);
        line[n] = 0;
        line[strcspn(line, "\r\n")] = 0;
        return private_key_header(line);
}

static int mask_at(Masks *m, int dir, const char *name, const char *path) {
        _cleanup_close_ int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

        if (fd < 0)
                return log_error_errno(-errno, "mask %s: %m", path);
        return mask_fd(m, fd, path);
}

/* Masks every secret below the directory dir (an fd it owns) at path,
 * at most SSH_DEPTH_MAX directories down and SSH_ENTRIES_MAX entries in
 * all; any error stops the start. */
static int mask_ssh_dir(Masks *m, int dir, const char *path, unsigned depth, unsigned *entries) {
        _cleanup_closedir_ DIR *d = fdopendir(dir);
        int r = 0;

        if (!d) {
                r = log_error_errno(-errno, "mask the SSH keys: %s: %m", path);
                close(dir);
                return r;
        }
        for (struct dirent *e; r >= 0 && (errno = 0, e = readdir(d));) {
                char child[PATH_MAX];
                struct stat st;

                if (streq(e->d_name, ".") || streq(e->d_name, ".."))
                        continue;
                if (++*entries > SSH_ENTRIES_MAX)
                        return log_error_errno(-E2BIG, "mask the SSH keys: more than %d entries below %s",
                                               SSH_ENTRIES_MAX, path);
                if ((size_t) snprintf(child, sizeof(child), "%s/%s", path, e->d_name) >= sizeof(child))
                        return log_error_errno(-ENAMETOOLONG, "mask the SSH keys: %s/%s: %m", path, e->d_name);
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return log_error_errno(-errno, "mask the SSH keys: %s: %m", child);

                if (S_ISLNK(st.st_mode)) {
                        /* what a key's name leads to, in the root; other
                         * links lead to what the walk sees elsewhere, or
                         * out of /etc/ssh */
                        if (ssh_key_name(e->d_name))
                                r = mask_path(m, child);
                        continue;
                }
                if (S_ISDIR(st.st_mode) && !ssh_key_name(e->d_name)) {
                        int sub;

                        if (depth + 1 > SSH_DEPTH_MAX)
                                return log_error_errno(-E2BIG, "mask the SSH keys: %s is more than %d directories deep",
                                                       child, SSH_DEPTH_MAX);
                        sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                return log_error_errno(-errno, "mask the SSH keys: open %s: %m", child);
                        r = mask_ssh_dir(m, sub, child, depth + 1, entries);
                        continue;
                }
                if (S_ISREG(st.st_mode)) {
                        r = ssh_secret(dirfd(d), e->d_name, &st, child);
                        if (r > 0)
                                r = mask_at(m, dirfd(d), e->d_name, child);
                } else if (ssh_key_name(e->d_name))
                        r = mask_at(m, dirfd(d), e->d_name, child);
                /* else a socket, FIFO or device node: no key's content */
        }
        /* an entry not listed would be a key not masked */
        if (r >= 0 && errno != 0)
                return log_error_errno(-errno, "mask the SSH keys: read %s: %m", path);
        return r;
}

int masks_ssh_keys_at(Masks *m, const char *path) {
        _cleanup_close_ int ssh = open_in_root(m->root, path, CREATE_NONE, "mask");
        unsigned entries = 0;
        struct stat st;
        int dir;

        if (ssh == -ENOENT)
                return 0;
        if (ssh < 0)
                return log_error_errno(ssh, "mask the SSH keys: %s: %m", path);
        if (fstat(ssh, &st) < 0)
                return log_error_errno(-errno, "mask the SSH keys: %s: %m", path);
        if (!S_ISDIR(st.st_mode))
                return mask_fd(m, ssh, path);
        dir = openat(ssh, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return log_error_errno(-errno, "mask the SSH keys: %s: %m", path);
        return mask_ssh_dir(m, dir, path, 0, &entries);
}

/* /root and /home are masked before the profile's mounts, which may lie
 * below them: with an empty tmpfs of their own (mode 0000), in which
 * the mounts make their mount points, and which is made read-only once
 * they are in (masks_home_seal()). What the host has there is never
 * seen; a bind below them is. */
int masks_home_mount(Masks *m) {
        for (size_t i = 0; i < ELEMENTSOF(home_masks); i++) {
                _cleanup_close_ int fd = open_in_root(m->root, home_masks[i], CREATE_NONE, "mask");
                char p[FD_PATH_MAX], options[600];
                struct stat st;

                if (fd == -ENOENT)
                        continue;
                if (fd < 0)
                        return log_error_errno(fd, "mask %s: %m", home_masks[i]);
                if (fstat(fd, &st) < 0)
                        return log_error_errno(-errno, "mask %s: %m", home_masks[i]);
                if (!S_ISDIR(st.st_mode)) {
                        int r = mask_fd(m, fd, home_masks[i]);

                        if (r < 0)
                                return r;
                        continue;
                }
                fd_path(fd, p);
                snprintf(options, sizeof(options), "mode=0000,size=64k%s", mount_context_option());
                if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) < 0)
                        return log_error_errno(-errno, "mask %s: tmpfs: %m", home_masks[i]);
                /* the tmpfs itself, whatever is mounted on it later */
                m->home[i] = open_in_root(m->root, home_masks[i], CREATE_NONE, "mask");
                if (m->home[i] < 0)
                        return log_error_errno(m->home[i], "mask %s: %m", home_masks[i]);
        }
        return 0;
}

/* Once the profile's mounts are in: the masks of /root and /home
 * read-only, and searchable (0755) when a mount point was made in them,
 * so that the service reaches its binds there and nothing else. */
int masks_home_seal(Masks *m) {
        for (size_t i = 0; i < ELEMENTSOF(home_masks); i++) {
                _cleanup_closedir_ DIR *d = NULL;
                char p[FD_PATH_MAX];
                bool empty = true;

                if (m->home[i] < 0)
                        continue;
                fd_path(m->home[i], p);
                d = opendir(p);
                if (!d)
                        return log_error_errno(-errno, "mask %s: %m", home_masks[i]);
                for (struct dirent *e; empty && (e = readdir(d));)
                        empty = streq(e->d_name, ".") || streq(e->d_name, "..");
                if (!empty && chmod(p, 0755) < 0)
                        return log_error_errno(-errno, "mask %s: %m", home_masks[i]);
                if (mount(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
                        return log_error_errno(-errno, "mask %s: make it read-only: %m", home_masks[i]);
        }
        return 0;
}

static int mask_list(Masks *m, const char *const *paths, size_t n) {
        for (size_t i = 0; i < n; i++) {
                int r = mask_path(m, paths[i]);

                if (r < 0)
                        return r;
        }
        return 0;
}

int masks_proc(Masks *m) {
        return mask_list(m, proc_masked, ELEMENTSOF(proc_masked));
}

int masks_sys(Masks *m) {
        return mask_list(m, sys_masked, ELEMENTSOF(sys_masked));
}

int masks_default(Masks *m) {
        int r = mask_list(m, host_secret_paths, host_secret_paths_n);

        return r < 0 ? r : masks_ssh_keys_at(m, HOST_SSH_DIR);
}

void masks_done(Masks *m) {
        closep(&m->file);
        closep(&m->dir);
        for (size_t i = 0; i < ELEMENTSOF(m->home); i++)
                closep(&m->home[i]);
}
