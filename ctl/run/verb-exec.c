/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl exec and shell: a command in a sandbox. In a running one,
 * the helper joins it (sandbox-helper --join), so the command runs as
 * one more of the service's processes; a sandbox that does not run gets
 * a fresh one from its profile, as sandboxctl run makes it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "sandboxctl.h"
#include "state-dir.h"
#include "strv.h"

#define SHELL "/bin/sh"

static void help_exec(const char *verb) {
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
        const char *helper = getenv("SANDBOX_HELPER");
        _cleanup_strv_free_ char **args = NULL;
        char *join;

        if (strv_append(&args, helper ? helper : SANDBOX_HELPER_PATH) < 0 || asprintf(&join, "--join=%s", name) < 0 ||
            strv_consume(&args, join) < 0 || (debug && strv_append(&args, "--debug") < 0) ||
            strv_append(&args, "--") < 0 || strv_extend(&args, cmd) < 0)
                return log_oom(), EXIT_INVALID;
        fflush(stdout);
        execv(args[0], args);
        log_error_errno(-errno, "execute %s: %m", args[0]);
        return EXIT_INVALID;
}

/* not running: sandboxctl run NAME -- COMMAND */
static int exec_fresh(const char *name, const char *state_root, bool debug, char **cmd, char * const *dirs) {
        _cleanup_strv_free_ char **args = NULL;
        char *o;

        if (state_root && (asprintf(&o, "--state-root=%s", state_root) < 0 || strv_consume(&args, o) < 0))
                return log_oom(), EXIT_INVALID;
        if ((debug && strv_append(&args, "--debug") < 0) || strv_append(&args, name) < 0 ||
            strv_append(&args, "--") < 0 || strv_extend(&args, cmd) < 0)
                return log_oom(), EXIT_INVALID;
        return verb_run((int) strv_length(args), args, dirs);
}

static int verb_exec_or_shell(const char *verb, int argc, char *argv[], char * const *dirs) {
        enum { ARG_STATE_ROOT = 0x100, ARG_DEBUG };
        static const struct option options[] = {
                { "help",       no_argument,       NULL, 'h' },
                { "state-root", required_argument, NULL, ARG_STATE_ROOT },
                { "debug",      no_argument,       NULL, ARG_DEBUG },
                {}
        };
        _cleanup_free_ char *program = NULL;
        _cleanup_free_ char **args = verb_args_new(verb, argc, argv, &program);
        static char *shell[] = { (char *) SHELL, NULL };
        const char *state_root = NULL, *name;
        char holder[LOCK_HOLDER_MAX], **cmd = shell;
        bool debug = false;
        int c, r;

        if (!args)
                return log_oom(), EXIT_INVALID;
        /* options anywhere before "--", the command after it */
        int end = 1;
        while (end < argc + 1 && !streq(args[end], "--"))
                end++;
        while ((c = getopt_long(end, args, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help_exec(verb);
                        return EXIT_SUCCESS;
                case ARG_STATE_ROOT:
                        state_root = optarg;
                        break;
                case ARG_DEBUG:
                        debug = true;
                        break;
                default:
                        return verb_usage_error(verb, c, args);
                }
        if (optind >= end) {
                fprintf(stderr, "sandboxctl %s: expected a sandbox name\n", verb);
                return EXIT_USAGE;
        }
        name = args[optind++];
        if (optind < end || (end < argc + 1 && (streq(verb, "shell") || end + 1 >= argc + 1))) {
                const char *what = optind < end ? args[optind] : "--";

                fprintf(stderr, "sandboxctl %s: unexpected \"%s\"; %s\n", verb, what,
                        streq(verb, "shell") ? "shell takes only a name" : "a command goes after \"--\"");
                return EXIT_USAGE;
        }
        if (end < argc + 1)
                cmd = args + end + 1;
        r = verb_name_check(verb, name);
        if (r == 0)
                r = verb_need_root(verb);
        if (r != 0)
                return r;
        /* looked up, not taken: a sandbox starting meanwhile would fail */
        r = sandbox_lock_held(name, holder);
        if (r < 0)
                return EXIT_INVALID;
        if (r > 0)
                return exec_join(name, debug, cmd);
        return exec_fresh(name, state_root, debug, cmd, dirs);
}

int verb_exec(int argc, char *argv[], char * const *dirs) {
        return verb_exec_or_shell("exec", argc, argv, dirs);
}

int verb_shell(int argc, char *argv[], char * const *dirs) {
        return verb_exec_or_shell("shell", argc, argv, dirs);
}
