/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "mount-util.h"
#include "resolv-bind.h"

#define TARGET "/etc/resolv.conf"

/* A link to a file of /run (systemd-resolved's, resolvconf's) leads
 * into the sandbox's own /run, new and empty: the file is made there,
 * at the path returned in target. A missing file elsewhere is not made:
 * /etc is the host's, or its overlay, which would keep it. */
static bool leads_into_run(int root, char target[static PATH_MAX]) {
        _cleanup_close_ int etc = -EBADF;
        char link[PATH_MAX];
        ssize_t n;

        etc = open_in_root(root, "/etc", CREATE_NONE, "resolv.conf");
        if (etc < 0)
                return false;
        n = readlinkat(etc, "resolv.conf", link, sizeof(link) - 1);
        if (n <= 0)
                return false;
        link[n] = 0;
        if (strstr(link, "/../") || strstr(link, "/./"))
                return false;
        if (strncmp(link, "/run/", 5) == 0)
                strcpy(target, link);
        else if (strncmp(link, "../run/", 7) == 0)
                strcpy(target, link + 2);
        else
                return false;
        return true;
}

int resolv_conf_bind(int root, const char *rundir) {
        _cleanup_close_ int src = -EBADF, dst = -EBADF;
        char source[PATH_MAX], target[PATH_MAX];

        if ((size_t) snprintf(source, sizeof(source), "%s/%s", rundir, RESOLV_CONF_NAME) >= sizeof(source))
                return log_error_errno(-ENAMETOOLONG, "resolv.conf: %s: path too long", rundir);
        src = open(source, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (src < 0)
                return log_error_errno(-errno, "resolv.conf: %s: %m", source);
        dst = open_in_root(root, TARGET, CREATE_NONE, "resolv.conf");
        if (dst == -ENOENT && leads_into_run(root, target))
                dst = open_in_root(root, target, CREATE_FILE, "resolv.conf");
        if (dst == -ENOENT) {
                log_warning("resolv.conf: the sandbox has no %s to give its resolvers in; names resolve as its "
                            "root has it", TARGET);
                return 0;
        }
        if (dst < 0)
                return dst;
        return bind_fd_in_root(root, src, source, TARGET, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                               "resolv.conf");
}
