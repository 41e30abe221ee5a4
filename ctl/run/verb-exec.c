/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl exec and shell: a command in a sandbox. In a running one,
 * the helper joins it (sandbox-helper --join), so the command runs as
 * one more of the service's processes; a sandbox that does not run gets
 * a fresh one from its profile, as sandboxctl run makes it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "helper-options.h"
#include "log.h"
#include "run-helper.h"
#include "sandboxctl.h"
#include "state-dir.h"
#include "strv.h"
#include "verbs.h"

#define SHELL "/bin/sh"

void verb_exec_help(const char *verb) {
        if (streq(verb, "shell"))
                printf("sandboxctl shell [--state-root=DIR] [--debug] NAME\n\n"
                       "Runs %s in sandbox NAME, as its service runs; see sandboxctl exec.\n", SHELL);
        else
                printf("sandboxctl exec [--state-root=DIR] [--debug] NAME [-- COMMAND [ARGUMENT...]]\n\n"
                       "Runs COMMAND (default %s) in sandbox NAME, as root. In a running sandbox it joins\n"
                       "the service: its namespaces, cgroups, user, capabilities, seccomp filter, labels,\n"
                       "working directory and environment; a sandbox that does not run gets a fresh one\n"
                       "from its profile, as with sandboxctl run. The exit status is the command's; 125\n"
                       "when it could not be started in the sandbox.\n", SHELL);
}

/* the running sandbox: the helper joins it, with the command as given
 * (looked up in the sandbox's PATH) */
static int exec_join(const char *name, bool debug, char **cmd) {
        const char *helper;
        _cleanup_strv_free_ char **args = NULL;

        if (run_helper_path("exec", &helper) < 0)
                return EXIT_INVALID;
        if (strv_append(&args, helper) < 0 ||
            strv_consume(&args, helper_option_arg(HELPER_OPT_JOIN, name)) < 0 ||
            (debug && strv_consume(&args, helper_option_arg(HELPER_OPT_DEBUG, NULL)) < 0) ||
            strv_append(&args, "--") < 0 || strv_extend(&args, cmd) < 0)
                return log_oom(), EXIT_INVALID;
        fflush(stdout);
        execv(args[0], args);
        log_error_errno(-errno, "execute %s: %m", args[0]);
        return EXIT_INVALID;
}

/* not running: sandboxctl run NAME -- COMMAND */
static int exec_fresh(const VerbArgs *a, char **cmd, char * const *dirs) {
        char *operands[] = { a->operands[0], NULL };
        VerbArgs run = {
                .verb = verb_find("run"),
                .operands = operands,
                .n_operands = 1,
                .command = cmd,
                .state_root_arg = a->state_root_arg,
        };

        verb_set(&run, "debug", verb_value(a, "debug"));
        return verb_run(&run, dirs);
}

/* exec and shell: the table tells them apart (shell takes no command) */
int verb_exec(VerbArgs *a, char * const *dirs) {
        static char *shell[] = { (char *) SHELL, NULL };
        const char *name = a->operands[0];
        char holder[LOCK_HOLDER_MAX], **cmd = a->command ?: shell;
        int r;

        /* looked up, not taken: a sandbox starting meanwhile would fail */
        r = sandbox_lock_held(name, holder);
        if (r < 0)
                return EXIT_INVALID;
        if (r > 0)
                return exec_join(name, verb_flag(a, "debug"), cmd);
        return exec_fresh(a, cmd, dirs);
}
