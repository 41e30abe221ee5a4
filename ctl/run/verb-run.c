/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandboxctl run: the sandbox of a profile in the foreground, without
 * systemd. The helper's command line is compiled by the same code as the
 * generator's ExecStart=, and the environment is the one systemd would
 * give the service: a fixed PATH, the profile's <env>, then its
 * <environment-file>s read as systemd reads them (env-file.h), in which
 * an <arg expand="yes"> is expanded as systemd expands it. The
 * profile's <resources> apply as under systemd (run-limits.h), or the
 * run is refused.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "compile.h"
#include "config.h"
#include "env-file.h"
#include "exec-expand.h"
#include "helper-options.h"
#include "run-helper.h"
#include "log.h"
#include "names.h"
#include "paths.h"
#include "run-limits.h"
#include "run-state-key.h"
#include "run-unprivileged.h"
#include "sandboxctl.h"
#include "strv.h"
#include "verbs.h"

/* CMD as the helper needs it: absolute, looked up in SERVICE_PATH when it
 * is a bare name (the sandbox's root is the host's, read-only). */
static int command_path(const char *cmd, char **ret) {
        if (strchr(cmd, '/'))
                return path_make_absolute(cmd, ret);
        return path_search(SERVICE_PATH, cmd, ret);
}

/* The profile's <environment-file>s, each over <env> and the one before,
 * as systemd orders them, into p->environment */
static int environment_files(Profile *p) {
        STRV_FOREACH(f, p->environment_files) {
                bool optional = **f == '-';
                const char *path = *f + optional;
                _cleanup_strv_free_ char **vars = NULL;
                int r;

                r = env_file_load(path, optional, &vars);
                if (r == -EBADFD)
                        return log_error_errno(r, "%s: <environment-file> %s: not a regular file", p->path, path);
                if (r == -EFBIG)
                        return log_error_errno(r, "%s: <environment-file> %s: larger than %u bytes", p->path, path,
                                               ENV_FILE_MAX);
                if (r == -EPERM)
                        return log_error_errno(r, "%s: <environment-file> %s: not root's, or writable by its group "
                                               "or others; whoever can write it sets the service's environment",
                                               p->path, path);
                if (r < 0)
                        return log_error_errno(r, "%s: <environment-file> %s: %m", p->path, path);
                STRV_FOREACH(v, vars) {
                        size_t k = strcspn(*v, "=") + 1;
                        _cleanup_free_ char *name = strndup(*v, k - 1);
                        bool replaced = false;

                        if (!name)
                                return log_oom();
                        /* what systemd and the helper give a meaning to, as for <env> */
                        if (env_name_is_reserved(name))
                                return log_error_errno(-EPERM, "%s: <environment-file> %s sets %.*s, which systemd "
                                                       "or the helper gives meaning to; not started", p->path, path,
                                                       (int) (k - 1), *v);
                        for (char **e = p->environment; e && *e && !replaced; e++)
                                if (strncmp(*e, *v, k) == 0) {
                                        char *copy = strdup(*v);

                                        if (!copy)
                                                return log_oom();
                                        free(*e);
                                        *e = copy;
                                        replaced = true;
                                }
                        if (!replaced && strv_append(&p->environment, *v) < 0)
                                return log_oom();
                }
        }
        return 0;
}

void verb_run_help(_unused_ const char *verb) {
        printf("sandboxctl run [--state-root=DIR] [--without-limits] [--debug] PATH|NAME [-- COMMAND [ARGUMENT...]]\n\n"
               "Runs the sandbox of a profile in the foreground, as root, without its unit; run by\n"
               "a user who is not root, in a user namespace of their IDs from /etc/subuid and\n"
               "/etc/subgid (newuidmap, newgidmap), with state in ~/.local/state/sandbox; with\n"
               "COMMAND, runs it instead of the profile's command, in the same sandbox. The exit\n"
               "status is the command's; 125 when the sandbox could not be built.\n"
               "The profile's <resources> apply: in a transient scope of systemd's where systemd\n"
               "runs, else in a cgroup of the run's own; where neither can be had, the run is\n"
               "refused unless --without-limits says to run without them.\n");
}

static pid_t child_pid;

static void forward_signal(int sig) {
        if (child_pid > 0)
                (void) kill(child_pid, sig);
}

/* The helper in the run's cgroups, from a child: the cgroups are removed
 * once it has ended. The terminal's signals reach the child itself (the
 * same process group); a signal sent to this process is passed on. */
static int run_in_cgroup(char **argv, RunCgroup *cg) {
        static const int forwarded[] = { SIGTERM, SIGHUP }, ignored[] = { SIGINT, SIGQUIT };
        int status;
        pid_t pid;

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0)
                return log_error_errno(-errno, "fork: %m"), EXIT_INVALID;
        if (pid == 0) {
                /* in before the helper runs a single instruction */
                if (run_cgroup_enter(cg, getpid()) < 0)
                        _exit(EXIT_INVALID);
                execv(argv[0], argv);
                log_error_errno(-errno, "execute %s: %m", argv[0]);
                _exit(EXIT_INVALID);
        }
        child_pid = pid;
        for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
                (void) sigaction(forwarded[i], &(struct sigaction) { .sa_handler = forward_signal }, NULL);
        for (size_t i = 0; i < ELEMENTSOF(ignored); i++)
                (void) sigaction(ignored[i], &(struct sigaction) { .sa_handler = SIG_IGN }, NULL);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR) {
                        log_error_errno(-errno, "wait for PID %d: %m", (int) pid);
                        status = EXIT_INVALID << 8;
                        break;
                }
        child_pid = 0;
        run_cgroup_remove(cg);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The profile's <resources> on what is about to run the helper: 0 when
 * this process runs it (in a scope, or without limits to apply), 1 when
 * a child in cg does; or the exit status of a refusal, negated. */
static int apply_limits(const Profile *p, bool without_limits, RunCgroup *cg) {
        bool host_filters = p->network == NETWORK_HOST && (p->net_allow || p->net_deny);
        RunLimits l;
        int r;

        r = run_limits_from_profile(p, &l);
        if (r < 0)
                return log_error_errno(r, "%s: <resources>: %m", p->path), -EXIT_INVALID;
        if (without_limits) {
                if (run_limits_any(&l))
                        log_warning("%s: running without the profile's <resources> (--without-limits)", p->name);
                if (p->n_unit_settings > 0)
                        log_warning("%s: running without the profile's <unit-setting>s (--without-limits)", p->name);
                if (host_filters)
                        log_warning("%s: running without the profile's <allow> and <deny> (--without-limits)", p->name);
                return 0;
        }
        /* limits and address filters that only systemd's unit applies */
        if (p->n_unit_settings > 0) {
                log_error("%s: the profile's <unit-setting>s apply only to its unit: start it as sandbox@%s.service, "
                          "or pass --without-limits to run without them", p->name, p->name);
                return -EXIT_INVALID;
        }
        if (host_filters) {
                log_error("%s: the profile's <allow> and <deny> of the host's network are its unit's IPAddressAllow= and "
                          "IPAddressDeny=: start it as sandbox@%s.service, or pass --without-limits to run without them",
                          p->name, p->name);
                return -EXIT_INVALID;
        }
        /* where systemd runs, always its scope: the unit's own defaults
         * (DefaultTasksMax=, the slice's limits) apply as well */
        if (sd_booted() > 0) {
                r = run_scope_enter(p->name, &l);
                if (r >= 0)
                        return 0;
                if (!run_limits_any(&l)) {
                        log_warning("%s: running outside a scope; the profile has no <resources>", p->name);
                        return 0;
                }
                log_error("%s: refusing to run without the profile's <resources>; pass --without-limits "
                          "to run without them", p->name);
                return -EXIT_INVALID;
        }
        if (!run_limits_any(&l))
                return 0;
        r = run_cgroup_make(p->name, &l, cg);
        if (r < 0) {
                log_error("%s: the profile's <resources> cannot be applied here: systemd is not running, and no cgroup "
                          "of the run's own could be made with them. Refusing to run with less confinement than the "
                          "profile asks for; start it as sandbox@%s.service under systemd, or pass --without-limits "
                          "to run it without them", p->name, p->name);
                return -EXIT_INVALID;
        }
        return 1;
}

int verb_run(VerbArgs *a, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_free_ char *command = NULL;
        _cleanup_strv_free_ char **args = NULL, **full = NULL;
        const char *helper;
        _cleanup_(run_cgroup_remove) RunCgroup cg = {};
        const char *profile = a->n_operands > 0 ? a->operands[0] : NULL;
        char **cmd = a->command;
        /* a user's run: in a user namespace of the caller's IDs */
        bool unprivileged = geteuid() != 0;
        RunRange range = {};
        int r;

        if (!profile && cmd && cmd[0]) {
                /* "run -- PATH": a path that starts with "-"; its command after another "--" */
                profile = *cmd++;
                if (*cmd && !streq(*cmd, "--")) {
                        fprintf(stderr, "sandboxctl run: unexpected \"%s\"; a command to run goes after \"--\"\n", *cmd);
                        return EXIT_USAGE;
                }
                cmd = *cmd ? cmd + 1 : NULL;
        }
        if (cmd && !cmd[0])
                cmd = NULL; /* "run PATH --": the profile's command */
        if (!profile) {
                fprintf(stderr, "sandboxctl run: expected a profile path or name\n");
                return EXIT_USAGE;
        }
        if (run_helper_path("run", &helper) < 0)
                return EXIT_INVALID;
        if (load_profile_absolute(profile, dirs, &p) < 0)
                return EXIT_INVALID;
        r = profile_compile_helper_argv(p, helper, &args);
        if (r < 0)
                return log_error_errno(r, "%s: cannot compile: %m", p->path), EXIT_INVALID;
        if (unprivileged && (run_range_read("/etc/subuid", "/etc/subgid", &range) < 0 ||
                             run_unprivileged_check(p, &range, verb_flag(a, "without-limits")) < 0))
                return EXIT_INVALID;

        /* the compiled options, ours, then "--" and the command */
        size_t dashdash = 0;
        while (args[dashdash] && !streq(args[dashdash], "--"))
                dashdash++;
        for (size_t j = 0; j < dashdash; j++)
                if (strv_append(&full, args[j]) < 0)
                        return log_oom(), EXIT_INVALID;
        if (unprivileged) {
                if (run_unprivileged_options(a->state_root_arg, &full) < 0)
                        return EXIT_INVALID;
        } else if (a->state_root_arg && strv_consume(&full, helper_option_arg(HELPER_OPT_STATE_ROOT, a->state_root_arg)) < 0)
                return log_oom(), EXIT_INVALID;
        if (verb_flag(a, "debug") && strv_consume(&full, helper_option_arg(HELPER_OPT_DEBUG, NULL)) < 0)
                return log_oom(), EXIT_INVALID;
        if (!unprivileged && run_state_key(p, a->state_root_arg, &full) < 0)
                return EXIT_INVALID;
        if (strv_append(&full, "--") < 0)
                return log_oom(), EXIT_INVALID;
        if (cmd) {
                r = command_path(cmd[0], &command);
                if (r < 0)
                        return log_error_errno(r, "%s: %m", cmd[0]), EXIT_INVALID;
                if (strv_append(&full, command) < 0 || strv_extend(&full, cmd + 1) < 0)
                        return log_oom(), EXIT_INVALID;
        }

        /* before the environment is the service's: the bus's address */
        int limited = unprivileged ? 0 : apply_limits(p, verb_flag(a, "without-limits"), &cg);
        if (limited < 0)
                return -limited;

        /* what systemd gives a service: not the caller's environment */
        const char *term = getenv("TERM");
        _cleanup_free_ char *keep_term = term ? strdup(term) : NULL;
        if (clearenv() != 0 || setenv("PATH", SERVICE_PATH, 1) < 0 || (keep_term && setenv("TERM", keep_term, 1) < 0))
                return log_error_errno(-errno, "environment: %m"), EXIT_INVALID;
        r = environment_files(p);
        if (r < 0)
                return EXIT_INVALID;
        STRV_FOREACH(e, p->environment)
                if (putenv(*e) < 0)
                        return log_error_errno(-errno, "environment: %m"), EXIT_INVALID;
        /* the profile's command, once its environment is known */
        if (!cmd)
                for (size_t j = 0; p->argv && p->argv[j]; j++) {
                        r = p->argv_expand && p->argv_expand[j] ? exec_expand_word(p->argv[j], environ, &full)
                                                                 : strv_append(&full, p->argv[j]);
                        if (r < 0)
                                return log_oom(), EXIT_INVALID;
                }

        if (limited > 0)
                return run_in_cgroup(full, &cg);
        if (unprivileged)
                return run_unprivileged_exec(full, &range), EXIT_INVALID;
        fflush(stdout);
        execv(full[0], full);
        log_error_errno(-errno, "execute %s: %m", full[0]);
        return EXIT_INVALID;
}
