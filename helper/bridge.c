/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bridge.h"
#include "config.h"
#include "helper-options.h"
#include "log.h"
#include "macro.h"
#include "resolv-bind.h"
#include "spawn.h"
#include "strv.h"

bool network_is_bridge(const HelperConfig *c) {
        return c->network && streq(c->network, "bridge");
}

static int option(char ***argv, HelperOption o, const char *value) {
        char *a = helper_option_arg(o, value);

        if (!a || strv_consume(argv, a) < 0)
                return log_oom();
        return 0;
}

static int options_all(char ***argv, HelperOption o, char **values) {
        STRV_FOREACH(v, values)
                if (option(argv, o, *v) < 0)
                        return -ENOMEM;
        return 0;
}

static pid_t start(char **argv) {
        /* nothing of the helper's environment: the program decides from
         * its arguments alone */
        char *envp[] = { (char *) "PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *) "LC_ALL=C", NULL };

        return spawn_program(SANDBOX_NETWORK_PATH, argv, envp, -1, -1, 127);
}

int bridge_setup_wait(pid_t pid) {
        int status;

        if (spawn_wait(pid, &status) < 0)
                return log_error_errno(-errno, "network: wait for sandbox-network: %m");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return -EIO; /* it said why */
        return 0;
}

pid_t bridge_setup_start(const HelperConfig *c, pid_t init, pid_t keeper, const char *state_root, const char *rundir) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_close_ int fd = -EBADF;
        char pid[16], resolv[4200];

        snprintf(pid, sizeof(pid), "%d", (int) init);
        snprintf(resolv, sizeof(resolv), "%s/%s", rundir, RESOLV_CONF_NAME);
        fd = open(resolv, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_error_errno(-errno, "network: %s: %m", resolv);
        if (strv_append(&argv, "sandbox-network") < 0 || strv_append(&argv, "setup") < 0 ||
            strv_appendf(&argv, "--name=%s", c->name) < 0 || strv_appendf(&argv, "--pid=%s", pid) < 0 ||
            strv_appendf(&argv, "--keeper=%d", (int) keeper) < 0 ||
            strv_appendf(&argv, "--state-root=%s", state_root) < 0 || strv_appendf(&argv, "--resolv-conf=%s", resolv) < 0 ||
            (c->debug && strv_append(&argv, "--debug") < 0) ||
            (c->net_bridge && option(&argv, HELPER_OPT_NET_BRIDGE, c->net_bridge) < 0) ||
            (c->net_mtu && option(&argv, HELPER_OPT_NET_MTU, c->net_mtu) < 0) ||
            (c->net_ipv6 && option(&argv, HELPER_OPT_NET_IPV6, NULL) < 0) ||
            option(&argv, HELPER_OPT_NET_OUTBOUND, c->net_no_outbound ? "no" : "yes") < 0 ||
            options_all(&argv, HELPER_OPT_NET_ADDRESS, c->net_addresses) < 0 ||
            options_all(&argv, HELPER_OPT_NET_GATEWAY, c->net_gateways) < 0 ||
            options_all(&argv, HELPER_OPT_NET_PORT, c->net_ports) < 0 ||
            options_all(&argv, HELPER_OPT_NET_ALLOW, c->net_allow) < 0 ||
            options_all(&argv, HELPER_OPT_NET_DENY, c->net_deny) < 0 ||
            options_all(&argv, HELPER_OPT_NET_DNS, c->net_dns) < 0)
                return log_oom();
        return start(argv);
}

int bridge_teardown(const char *name, const char *state_root, bool debug) {
        _cleanup_strv_free_ char **argv = NULL;
        pid_t pid;

        if (strv_append(&argv, "sandbox-network") < 0 || strv_append(&argv, "teardown") < 0 ||
            strv_appendf(&argv, "--name=%s", name) < 0 ||
            strv_appendf(&argv, "--state-root=%s", state_root) < 0 || (debug && strv_append(&argv, "--debug") < 0))
                return log_oom();
        pid = start(argv);
        return pid < 0 ? pid : bridge_setup_wait(pid);
}
