/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The two LSM operations the helper needs, through the kernel's own
 * interfaces rather than libselinux and libapparmor: those libraries
 * would cost every start (libselinux reads /proc and /etc/selinux as it
 * loads and brings pcre2), and the helper is linked statically. What
 * they would do here is one write to /proc/thread-self/attr. In a build
 * without the support of one, it is never enabled, so that the rest here
 * is never called for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "config.h"
#include "lsm.h"
#include "macro.h"

#define SELINUX_MAGIC 0xf97cff8cU

/* Writes value to the calling thread's file of attr/ in one write(), as
 * the kernel takes it (a short write would be a different label). */
static int write_attr(const char *path, const char *value) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        size_t n = strlen(value);
        ssize_t k;

        if (fd < 0)
                return -errno;
        k = write(fd, value, n);
        if (k < 0)
                return -errno;
        return (size_t) k == n ? 0 : -EIO;
}

/* SELinux is enabled when its file system is mounted where the policy
 * tools and libselinux expect it. */
bool selinux_enabled(void) {
#if HAVE_SELINUX
        struct statfs s;

        return statfs("/sys/fs/selinux", &s) == 0 && (unsigned) s.f_type == SELINUX_MAGIC;
#else
        return false;
#endif
}

int selinux_set_exec_label(const char *label) {
        return write_attr("/proc/thread-self/attr/exec", label);
}

/* The directory of the policy named by SELINUXTYPE= in
 * /etc/selinux/config (the host's, read before the sandbox's /etc is in
 * place). */
static int selinux_policy_dir(char *path, size_t size) {
        _cleanup_fclose_ FILE *f = fopen("/etc/selinux/config", "re");
        char line[256];

        if (!f)
                return -errno;
        while (fgets(line, sizeof(line), f)) {
                char *v = line + strspn(line, " \t");

                if (strncmp(v, "SELINUXTYPE=", 12) != 0)
                        continue;
                v += 12;
                v[strcspn(v, " \t\r\n")] = 0;
                if (!*v || strchr(v, '/'))
                        return -EINVAL;
                return snprintf(path, size, "/etc/selinux/%s", v) < (int) size ? 0 : -ENAMETOOLONG;
        }
        return -ENOENT;
}

/* KEY = "CONTEXT" in an lxc_contexts file */
static int lxc_contexts_get(FILE *f, const char *key, char *buf, size_t size) {
        char line[512];
        size_t k = strlen(key);

        while (fgets(line, sizeof(line), f)) {
                char *p = line + strspn(line, " \t"), *q, *e;

                if (strncmp(p, key, k) != 0)
                        continue;
                p += k;
                p += strspn(p, " \t");
                if (*p != '=' || !(q = strchr(p, '"')) || !(e = strchr(q + 1, '"')))
                        continue;
                *e = 0;
                return snprintf(buf, size, "%s", q + 1) < (int) size ? 0 : -ENAMETOOLONG;
        }
        return -ENOENT;
}

/* the first line of a file of contexts */
static int first_line(FILE *f, char *buf, size_t size) {
        if (!fgets(buf, (int) size, f))
                return -ENOENT;
        buf[strcspn(buf, " \t\r\n")] = 0;
        return *buf ? 0 : -ENOENT;
}

/* Whether the loaded policy knows context, as the kernel says through
 * selinuxfs (what security_check_context() of libselinux asks). */
static bool context_valid(const char *context) {
        _cleanup_close_ int fd = open("/sys/fs/selinux/context", O_RDWR | O_CLOEXEC);

        return fd >= 0 && write(fd, context, strlen(context) + 1) >= 0;
}

int selinux_container_context(const char *key, char *buf, size_t size) {
        char dir[256], path[512];
        _cleanup_fclose_ FILE *f = NULL;
        int r = selinux_policy_dir(dir, sizeof(dir));

        if (r < 0)
                return r;
        /* a policy may name a type in lxc_contexts that it lacks
         * (Debian's names container_t): then libvirt's contexts */
        snprintf(path, sizeof(path), "%s/contexts/lxc_contexts", dir);
        f = fopen(path, "re");
        if (f && lxc_contexts_get(f, key, buf, size) == 0 && context_valid(buf))
                return 0;
        if (f)
                fclose(TAKE_PTR(f));
        snprintf(path, sizeof(path), "%s/contexts/%s", dir,
                 streq(key, "process") ? "virtual_domain_context" : "virtual_image_context");
        f = fopen(path, "re");
        if (!f)
                return -ENOENT;
        r = first_line(f, buf, size);
        return r < 0 ? r : context_valid(buf) ? 0 : -EINVAL;
}

char *selinux_context_at_level(const char *context, const char *level) {
        const char *t = context;
        int colons = 0;
        char *result;

        for (; *t && colons < 3; t++)
                colons += *t == ':';
        if (asprintf(&result, "%.*s:%s", (int) (colons == 3 ? t - context - 1 : (long) strlen(context)), context, level) < 0)
                return NULL;
        return result;
}

bool apparmor_enabled(void) {
#if HAVE_APPARMOR
        char c = 0;
        _cleanup_close_ int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

        return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
#else
        return false;
#endif
}

int apparmor_change_on_exec(const char *profile) {
        char cmd[4200];
        int r;

        if (snprintf(cmd, sizeof(cmd), "exec %s", profile) >= (int) sizeof(cmd))
                return -ENAMETOOLONG;
        /* the interface of AppArmor's own, where the kernel has it, else
         * the one shared by the LSMs */
        r = write_attr("/proc/thread-self/attr/apparmor/exec", cmd);
        if (r == -ENOENT)
                r = write_attr("/proc/thread-self/attr/exec", cmd);
        return r;
}
