/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interfaces.h"
#include "interfaces-mount.h"
#include "log.h"
#include "macro.h"
#include "mount-util.h"
#include "strv.h"

#define DEV_LOG_SOCKET "/run/systemd/journal/dev-log"

static const struct {
        Interface interface;
        const char *path;
} sockets[] = {
        { INTERFACE_JOURNAL, "/run/systemd/journal/socket" },
        { INTERFACE_JOURNAL, "/run/systemd/journal/stdout" },
        { INTERFACE_DEV_LOG, DEV_LOG_SOCKET },
        { INTERFACE_DBUS,    "/run/dbus/system_bus_socket" },
};

static int bind_socket(int root, const char *path, Interface interface) {
        _cleanup_close_ int src = open_host_file(path, S_IFSOCK);
        int r;

        if (src == -ENOENT || src == -ENOTDIR) {
                /* a host without a journal is common (no systemd); one
                 * the profile asked for by name is worth saying */
                if (interface & INTERFACES_DEFAULT)
                        log_debug("interfaces: the host has no %s; left out", path);
                else
                        log_warning("interfaces: the host has no %s, which the profile asks for; left out", path);
                return 0;
        }
        if (src < 0) {
                /* not what systemd makes there: nothing of it is bound in */
                log_warning_errno(src, "interfaces: %s on the host is not a socket of root's (%m); left out", path);
                return 0;
        }
        /* connect(2) needs write access to the socket's inode, which a
         * read-only mount does not take away; unlink, rename and chmod
         * it does (EBUSY, EROFS) */
        r = bind_fd_in_root(root, src, path, path, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "interfaces");
        return r < 0 ? r : 1;
}

static int make_run_lock(int root) {
        _cleanup_close_ int run = open_in_root(root, "/run", CREATE_NONE, "interfaces");

        if (run < 0)
                return log_error_errno(run, "interfaces: /run: %m");
        /* as on the host: every user's, sticky, for lock files such as
         * /var/lock/NAME (/var/lock is ../run/lock) */
        if (mkdirat(run, "lock", 0755) < 0 || fchmodat(run, "lock", 01777, 0) < 0)
                return log_error_errno(-errno, "interfaces: create /run/lock: %m");
        return 0;
}

/* The system bus grants uid 0 every call, systemd's StartTransientUnit
 * among them: a unit of root's own, outside any sandbox. So it is never
 * given to a service that is root, or that may become root. */
static int check_dbus(const HelperConfig *c) {
        if (!c->user || streq(c->user, "0"))
                return log_error_errno(-EPERM, "interfaces: dbus for a service that runs as root: the system bus "
                                       "grants root every call, systemd's to start a unit outside the sandbox "
                                       "among them; refusing to start (run the service as a user of its own)");
        if (strv_contains(c->keep_caps, "CAP_SETUID"))
                return log_error_errno(-EPERM, "interfaces: dbus for a service that keeps CAP_SETUID, and may "
                                       "become root, whom the system bus grants every call; refusing to start");
        return 0;
}

int interfaces_run(int root, const HelperConfig *c) {
        unsigned set = c->interfaces, made = 0;
        int r;

        if (set & INTERFACE_DBUS) {
                r = check_dbus(c);
                if (r < 0)
                        return r;
        }

        if (set & INTERFACE_RUN_LOCK) {
                r = make_run_lock(root);
                if (r < 0)
                        return r;
                made |= INTERFACE_RUN_LOCK;
        }
        for (size_t i = 0; i < ELEMENTSOF(sockets); i++) {
                if (!(set & sockets[i].interface))
                        continue;
                r = bind_socket(root, sockets[i].path, sockets[i].interface);
                if (r < 0)
                        return r;
                if (r > 0)
                        made |= sockets[i].interface;
        }
        return (int) made;
}

int interfaces_dev(int dev, unsigned made) {
        if (!(made & INTERFACE_DEV_LOG))
                return 0;
        if (symlinkat(DEV_LOG_SOCKET, dev, "log") < 0)
                return log_error_errno(-errno, "interfaces: symlink /dev/log: %m");
        return 0;
}
