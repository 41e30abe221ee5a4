/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading the helper's command line: every value is checked before any
 * step runs, so a bad option never leaves a half-built sandbox. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address-families.h"
#include "capability-names.h"
#include "config.h"
#include "helper-config.h"
#include "helper-options.h"
#include "interfaces.h"
#include "log.h"
#include "names.h"
#include "paths.h"
#include "quantities.h"
#include "runtime-share.h"
#include "search-path.h"
#include "strv.h"
#include "syscall-sets.h"
#include "system-calls.h"

static int bad(const char *option, const char *value, const char *allowed) {
        log_error("--%s=%s: invalid value; allowed: %s", option, value, allowed);
        return -EINVAL;
}

static int set_string(char **field, const char *value) {
        free(*field);
        *field = strdup(value);
        return *field ? 0 : log_oom();
}

/* the words of one --exec-start-pre */
#define HOOK_ARGS_MAX 1024
#define HOOKS_MAX 64

/* --exec-start-pre=[-]COMMAND:ARG:...: fields joined as a mount's, the
 * command absolute; "-" before it, as systemd's prefix, ignores its
 * failure */
static int add_start_pre(HelperConfig *c, const char *value) {
        _cleanup_free_ char **f = NULL;
        HelperHook *h;
        unsigned n = 1;
        int r;

        for (const char *p = value; *p; p++)
                if (*p == '\\' && p[1])
                        p++;
                else if (*p == ':')
                        n++;
        if (n > HOOK_ARGS_MAX || c->n_start_pre >= HOOKS_MAX)
                return bad("exec-start-pre", value, "at most 64 commands of at most 1024 words");
        f = calloc(n + 1, sizeof(char *));
        if (!f)
                return log_oom();
        r = helper_spec_split(value, n, f);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return bad("exec-start-pre", value, "COMMAND:ARG:...");
        h = reallocarray(c->start_pre, c->n_start_pre + 1, sizeof(*h));
        if (!h) {
                strv_free(TAKE_PTR(f));
                return log_oom();
        }
        c->start_pre = h;
        h = &c->start_pre[c->n_start_pre++];
        *h = (HelperHook) { .argv = TAKE_PTR(f) };
        if (h->argv[0][0] == '-') {
                h->ignore_failure = true;
                memmove(h->argv[0], h->argv[0] + 1, strlen(h->argv[0]));
        }
        if (!path_is_normalized_absolute(h->argv[0]))
                return bad("exec-start-pre", value, "an absolute, normalised command, \"-\" before it to ignore its failure");
        return 0;
}

static bool is_dir_mode(const char *v) {
        return streq(v, "overlay") || streq(v, "host") || streq(v, "private") || streq(v, "tmpfs");
}

static int add_mount(HelperConfig *c, HelperOption o, const char *value) {
        char *f[3] = {};
        HelperMount m = {};
        HelperMount *t;
        unsigned n = o == HELPER_OPT_TMPFS ? 3 : 2;
        const char *opt = helper_option_flag(o) + 2;
        uint64_t bytes;
        unsigned mode;
        int r;

        r = helper_spec_split(value, n, f);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return bad(opt, value, o == HELPER_OPT_TMPFS ? "TARGET:SIZE:MODE (SIZE and MODE may be empty)"
                                       : o == HELPER_OPT_BLOCK || o == HELPER_OPT_BLOCK_RO ? "TAG:DEVICE" : "SOURCE:TARGET");
        switch (o) {
        case HELPER_OPT_BIND:
        case HELPER_OPT_BIND_RO:
        case HELPER_OPT_IMAGE:
        case HELPER_OPT_IMAGE_RO:
                m = (HelperMount) { o == HELPER_OPT_IMAGE || o == HELPER_OPT_IMAGE_RO ? HELPER_MOUNT_IMAGE : HELPER_MOUNT_BIND,
                                    o == HELPER_OPT_BIND_RO || o == HELPER_OPT_IMAGE_RO, .source = f[0], .target = f[1] };
                if (!path_is_normalized_absolute(f[0]) || !path_is_normalized_absolute(f[1]))
                        r = bad(opt, value, "SOURCE:TARGET, both absolute normalised paths");
                break;
        case HELPER_OPT_BLOCK:
        case HELPER_OPT_BLOCK_RO:
                m = (HelperMount) { HELPER_MOUNT_BLOCK, o == HELPER_OPT_BLOCK_RO, .tag = f[0], .source = f[1] };
                if (!tag_is_valid(f[0]) || !path_is_normalized_absolute(f[1]) || !path_is_at_or_below(f[1], "/dev"))
                        r = bad(opt, value, "TAG:DEVICE, a tag of letters, digits, \"_.-\" and a device under /dev");
                else if (asprintf(&m.target, "/dev/disk/by-tag/%s", f[0]) < 0)
                        r = log_oom();
                break;
        default:
                m = (HelperMount) { HELPER_MOUNT_TMPFS, false, .target = f[0], .size = f[1], .mode = f[2] };
                if (!path_is_normalized_absolute(f[0]) || (*f[1] && parse_size(f[1], &bytes) < 0) ||
                    (*f[2] && parse_mode(f[2], &mode) < 0))
                        r = bad(opt, value, "TARGET:SIZE:MODE, an absolute path, a size such as 64M, an octal mode");
                break;
        }
        t = r >= 0 ? realloc(c->mounts, (c->n_mounts + 1) * sizeof(*t)) : NULL;
        if (!t) {
                free(f[0]), free(f[1]), free(f[2]);
                if (m.kind == HELPER_MOUNT_BLOCK)
                        free(m.target); /* the only field not taken from f[] */
                return r < 0 ? r : log_oom();
        }
        c->mounts = t;
        c->mounts[c->n_mounts++] = m;
        return 0;
}

static int set_list(char ***field, const char *value, bool (*valid)(const char *), const char *opt, const char *allowed) {
        _cleanup_strv_free_ char **l = NULL;

        if (strv_split(value, ",", &l) < 0)
                return log_oom();
        STRV_FOREACH(i, l)
                if (valid && !valid(*i))
                        return bad(opt, value, allowed);
        strv_free(*field);
        *field = TAKE_PTR(l);
        return 0;
}

/* Upper case with the CAP_ prefix, and known to this build: an unknown
 * name is refused before anything is built, not when it is applied. */
static bool is_capability(const char *s) {
        return capability_from_name(s) >= 0;
}

/* A system call name or a known @set, with ":ERRNO" when with_errno;
 * whether the name is a system call of this architecture is libseccomp's
 * to say when the filter is built. */
static bool syscall_spec_is_valid(const char *v, bool with_errno) {
        const char *colon = strchr(v, ':');
        size_t n = colon ? (size_t) (colon - v) : strlen(v);
        char name[64];

        if (!!colon != with_errno || n == 0 || n >= sizeof(name))
                return false;
        memcpy(name, v, n);
        name[n] = 0;
        if (name[0] == '@' ? !syscall_set_find(name) : strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
                return false;
        return !colon || streq(colon + 1, "kill") || seccomp_errno_from_string(colon + 1) > 0;
}

/* NAME:MODE, NAME relative and normalised, MODE octal */
static bool runtime_dir_is_valid(const char *v) {
        const char *colon = strrchr(v, ':');
        _cleanup_free_ char *abs = NULL;
        unsigned mode;

        if (!colon || colon == v || parse_mode(colon + 1, &mode) < 0)
                return false;
        if (asprintf(&abs, "/%.*s", (int) (colon - v), v) < 0)
                return false;
        return path_is_normalized_absolute(abs) && !strchr(abs, ':');
}

/* NAME:MODE or NAME:MODE:USER:GROUP, NAME a plain name that may be
 * shared (runtime-share.h), USER and GROUP names, ids or empty (the
 * service's) */
static bool shared_runtime_dir_is_valid(const char *v) {
        char *f[4] = {};
        unsigned mode;
        bool valid;

        if (helper_spec_split(v, 4, f) < 0 && helper_spec_split(v, 2, f) < 0)
                return false;
        valid = f[0] && !shared_runtime_name_refused(f[0]) && parse_mode(f[1], &mode) >= 0 &&
                (!f[2] || !*f[2] || user_name_is_valid(f[2])) && (!f[3] || !*f[3] || user_name_is_valid(f[3]));
        for (size_t i = 0; i < ELEMENTSOF(f); i++)
                free(f[i]);
        return valid;
}

static void help(void) {
        printf("sandbox-helper [OPTIONS...] -- COMMAND [ARGUMENT...]\n\n"
               "Builds the sandbox its options describe and executes COMMAND in it.\n"
               "Normally started by sandbox@NAME.service; see sandbox-helper(8) for every option.\n");
}

static int parse_option(HelperConfig *c, int o, const char *v) {
        switch (o) {
        case HELPER_OPT_NAME:
                return sandbox_name_is_valid(v) ? set_string(&c->name, v) : bad("name", v, "a sandbox name");
        case HELPER_OPT_PROFILE:
                return set_string(&c->profile, v);
        case HELPER_OPT_STATE_ROOT:
                return path_is_normalized_absolute(v) ? set_string(&c->state_root, v) : bad("state-root", v, "an absolute path");
        case HELPER_OPT_ROOT_DIRECTORY:
                return path_is_normalized_absolute(v) ? set_string(&c->root_directory, v) : bad("root-directory", v, "an absolute path");
        case HELPER_OPT_ETC:
        case HELPER_OPT_VAR:
                if (!is_dir_mode(v))
                        return bad(o == HELPER_OPT_ETC ? "etc" : "var", v, "overlay, host, private, tmpfs");
                return set_string(o == HELPER_OPT_ETC ? &c->etc : &c->var, v);
        case HELPER_OPT_TMP_SIZE:
        case HELPER_OPT_RUN_SIZE:
        case HELPER_OPT_SHM_SIZE:
        case HELPER_OPT_ETC_SIZE:
        case HELPER_OPT_VAR_SIZE: {
                char **field = o == HELPER_OPT_TMP_SIZE ? &c->tmp_size : o == HELPER_OPT_RUN_SIZE ? &c->run_size :
                               o == HELPER_OPT_SHM_SIZE ? &c->shm_size : o == HELPER_OPT_ETC_SIZE ? &c->etc_size : &c->var_size;
                uint64_t bytes;

                if (parse_size(v, &bytes) < 0)
                        return bad(helper_option_flag((HelperOption) o) + 2, v, "a size such as 64M");
                return set_string(field, v);
        }
        case HELPER_OPT_BIND:
        case HELPER_OPT_BIND_RO:
        case HELPER_OPT_TMPFS:
        case HELPER_OPT_IMAGE:
        case HELPER_OPT_IMAGE_RO:
        case HELPER_OPT_BLOCK:
        case HELPER_OPT_BLOCK_RO:
                return add_mount(c, (HelperOption) o, v);
        case HELPER_OPT_MASK:
                if (!path_is_normalized_absolute(v) || streq(v, "/"))
                        return bad("mask", v, "an absolute path other than /");
                return strv_append(&c->masks, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_NO_EXEC_PATH:
        case HELPER_OPT_EXEC_PATH:
                if (!path_is_normalized_absolute(v + (*v == '-')))
                        return bad(o == HELPER_OPT_EXEC_PATH ? "exec-path" : "no-exec-path", v,
                                   "an absolute path, \"-\" before it when it may be missing");
                return strv_append(o == HELPER_OPT_EXEC_PATH ? &c->exec_paths : &c->no_exec_paths, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_RUNTIME_DIR:
                if (!runtime_dir_is_valid(v))
                        return bad("runtime-dir", v, "NAME:MODE, a relative path without \".\" or \"..\" and an octal mode");
                return strv_append(&c->runtime_dirs, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_SHARED_RUNTIME_DIR:
                if (!shared_runtime_dir_is_valid(v))
                        return bad("shared-runtime-dir", v, "NAME:MODE[:USER:GROUP], NAME " SHARED_RUNTIME_NAME_RULE ", an octal mode, and a user and group (empty: the service's)");
                return strv_append(&c->shared_runtime_dirs, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_NETWORK:
                if (!streq(v, "host") && !streq(v, "none") && !streq(v, "private"))
                        return bad("network", v, "host, none, private");
                return set_string(&c->network, v);
        case HELPER_OPT_HOSTNAME:
                return hostname_is_valid(v) ? set_string(&c->hostname, v) : bad("hostname", v, "a host name");
        case HELPER_OPT_USER_NAMESPACE:
                if (!streq(v, "identity"))
                        return bad("user-namespace", v, "identity");
                return set_string(&c->user_namespace, v);
        case HELPER_OPT_USER:
        case HELPER_OPT_GROUP:
                if (!user_name_is_valid(v))
                        return bad(o == HELPER_OPT_USER ? "user" : "group", v, "a user or group name or id");
                return set_string(o == HELPER_OPT_USER ? &c->user : &c->group, v);
        case HELPER_OPT_SUPPLEMENTARY_GROUPS:
                return set_list(&c->supplementary_groups, v, user_name_is_valid, "supplementary-groups", "group names separated by \",\"");
        case HELPER_OPT_WORKDIR:
                return path_is_normalized_absolute(v) ? set_string(&c->workdir, v) : bad("workdir", v, "an absolute path");
        case HELPER_OPT_KEEP_CAPS:
                return set_list(&c->keep_caps, v, is_capability, "keep-caps", "capability names such as CAP_NET_BIND_SERVICE separated by \",\"");
        case HELPER_OPT_ALLOW_NEW_PRIVILEGES:
                c->allow_new_privileges = true;
                return 0;
        case HELPER_OPT_SELINUX_LABEL:
                return set_string(&c->selinux_label, v);
        case HELPER_OPT_SELINUX_OPTIONAL:
                c->selinux_optional = true;
                return 0;
        case HELPER_OPT_SELINUX_MCS:
                c->selinux_mcs = true;
                return 0;
        case HELPER_OPT_APPARMOR_PROFILE:
                return set_string(&c->apparmor_profile, v);
        case HELPER_OPT_APPARMOR_OPTIONAL:
                c->apparmor_optional = true;
                return 0;
        case HELPER_OPT_SECCOMP_DEFAULT:
                if (!streq(v, "yes") && !streq(v, "no"))
                        return bad("seccomp-default", v, "yes, no");
                c->seccomp_no_default = streq(v, "no");
                return 0;
        case HELPER_OPT_SECCOMP_ALLOW:
                if (!syscall_spec_is_valid(v, false))
                        return bad("seccomp-allow", v, "a system call name or a set such as @mount");
                return strv_append(&c->seccomp_allow, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_SECCOMP_DENY:
                if (!syscall_spec_is_valid(v, true))
                        return bad("seccomp-deny", v, "NAME:ERRNO, a system call or set and an errno name, number or \"kill\"");
                return strv_append(&c->seccomp_deny, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_MEMORY_DENY_WRITE_EXECUTE:
                c->memory_deny_write_execute = true;
                return 0;
        case HELPER_OPT_ADDRESS_FAMILIES:
                if (!address_family_spec_is_valid(v))
                        return bad("address-families", v, "AF_NAME,... to allow only those, ~AF_NAME,... to refuse "
                                   "those, names such as AF_UNIX, AF_INET, AF_INET6, or none");
                return set_string(&c->address_families, v);
        case HELPER_OPT_SYSTEM_CALLS:
                if (!system_calls_spec_is_valid(v))
                        return bad("system-calls", v, "NAME,... to allow only those system calls, ~NAME,... to refuse "
                                   "those (never execve, exit, exit_group, rt_sigreturn, sigreturn)");
                return set_string(&c->system_calls, v);
        case HELPER_OPT_SYSTEM_CALLS_ERRNO:
                if (seccomp_errno_from_string(v) < 0)
                        return bad("system-calls-errno", v, "an errno name such as EPERM, or a number from 1 to 4095");
                return set_string(&c->system_calls_errno, v);
        case HELPER_OPT_LANDLOCK_RO:
        case HELPER_OPT_LANDLOCK_RW:
                if (!path_is_normalized_absolute(v))
                        return bad(o == HELPER_OPT_LANDLOCK_RO ? "landlock-ro" : "landlock-rw", v, "an absolute path");
                return strv_append(o == HELPER_OPT_LANDLOCK_RO ? &c->landlock_ro : &c->landlock_rw, v) < 0 ? log_oom() : 0;
        case HELPER_OPT_LANDLOCK_OPTIONAL:
                c->landlock_optional = true;
                return 0;
        case HELPER_OPT_LANDLOCK_DEFAULT:
                if (!streq(v, "yes") && !streq(v, "no"))
                        return bad("landlock-default", v, "yes, no");
                c->landlock_no_default = streq(v, "no");
                return 0;
        case HELPER_OPT_INTERFACES:
                if (interfaces_parse(v, &c->interfaces) < 0)
                        return bad("interfaces", v, "\"none\", or names of run-lock, journal, dev-log, dbus "
                                   "separated by \",\", each at most once");
                return 0;
        case HELPER_OPT_MISSING_PROFILE:
                return set_string(&c->missing_profile, v);
        case HELPER_OPT_JOIN:
                return sandbox_name_is_valid(v) ? set_string(&c->join, v) : bad("join", v, "a sandbox name");
        case HELPER_OPT_FORKING:
                c->forking = true;
                return 0;
        case HELPER_OPT_READY_ON_EXEC:
                c->ready_on_exec = true;
                return 0;
        case HELPER_OPT_FD_STORE:
                c->fd_store = true;
                return 0;
        case HELPER_OPT_EXEC_START_PRE:
                return add_start_pre(c, v);
        case HELPER_OPT_UNIT_COMMAND:
                c->unit_command = true;
                return 0;
        case HELPER_OPT_DEBUG:
                c->debug = true;
                return 0;
        case HELPER_OPT_DRY_RUN:
                c->dry_run = true;
                return 0;
        default:
                return -EINVAL; /* getopt has printed what was wrong */
        }
}

/* --join=NAME takes the sandbox as it runs, so nothing but --debug and
 * the command may come with it: an option that seemed to change the
 * sandbox would change nothing. The command is looked up in the
 * sandbox's PATH, and /bin/sh when there is none. */
static int join_argv(int argc, char *argv[], HelperConfig *c, unsigned other_options) {
        if (other_options > 0) {
                log_error("--join=%s: no option but --debug and --unit-command go with it (the sandbox is the running one)", c->join);
                return -EINVAL;
        }
        if (optind < argc && !streq(argv[optind - 1], "--")) {
                log_error("--join=%s: the command goes after \"--\"", c->join);
                return -EINVAL;
        }
        if (optind >= argc)
                return strv_append(&c->argv, "/bin/sh") < 0 ? log_oom() : 1;
        for (int i = optind; i < argc; i++)
                if (strv_append(&c->argv, argv[i]) < 0)
                        return log_oom();
        return 1;
}

int helper_parse_argv(int argc, char *argv[], HelperConfig *c) {
        unsigned other_options = 0;
        int o, r;

        c->interfaces = INTERFACES_DEFAULT;
        while ((o = getopt_long(argc, argv, "+", helper_options, NULL)) >= 0) {
                if (o == HELPER_OPT_HELP) {
                        help();
                        return 0;
                }
                if (o == HELPER_OPT_VERSION) {
                        printf("sandbox-helper %s\n", SANDBOX_VERSION);
                        return 0;
                }
                r = parse_option(c, o, optarg);
                if (r < 0)
                        return r;
                other_options += o != HELPER_OPT_JOIN && o != HELPER_OPT_DEBUG && o != HELPER_OPT_UNIT_COMMAND;
        }
        if (c->join)
                return join_argv(argc, argv, c, other_options);
        if (c->unit_command) {
                log_error("--unit-command goes only with --join");
                return -EINVAL;
        }
        if (c->missing_profile)
                return 1;
        if (!c->name) {
                log_error("--name=NAME is required");
                return -EINVAL;
        }
        if (c->forking && c->ready_on_exec) {
                log_error("--forking and --ready-on-exec: the service is ready either when its command exits 0 or "
                          "when it has been executed, not both");
                return -EINVAL;
        }
        if (c->system_calls_errno && !c->system_calls) {
                log_error("--system-calls-errno goes only with --system-calls");
                return -EINVAL;
        }
        /* the profile's filter is loaded after the change of user, where
         * only no_new_privs lets it be loaded (profile-filter.h) */
        if (c->system_calls && c->allow_new_privileges) {
                log_error("--system-calls needs no_new_privs: it does not go with --allow-new-privileges");
                return -EINVAL;
        }
        if (optind >= argc || !streq(argv[optind - 1], "--")) {
                log_error("no command: give the service's command line after \"--\"");
                return -EINVAL;
        }
        if (argv[optind][0] != '/') {
                log_error("the command \"%s\" must be an absolute path", argv[optind]);
                return -EINVAL;
        }
        for (int i = optind; i < argc; i++)
                if (strv_append(&c->argv, argv[i]) < 0)
                        return log_oom();
        return 1;
}

void helper_config_done(HelperConfig *c) {
        free(c->name), free(c->profile), free(c->state_root), free(c->root_directory);
        free(c->etc), free(c->var), free(c->network), free(c->user_namespace), free(c->tmp_size), free(c->run_size);
        free(c->shm_size), free(c->etc_size), free(c->var_size);
        for (size_t i = 0; i < c->n_mounts; i++) {
                HelperMount *m = &c->mounts[i];
                free(m->source), free(m->target), free(m->tag), free(m->size), free(m->mode);
        }
        free(c->mounts);
        strv_free(c->masks);
        strv_free(c->no_exec_paths);
        strv_free(c->exec_paths);
        strv_free(c->seccomp_allow);
        strv_free(c->seccomp_deny);
        strv_free(c->landlock_ro);
        strv_free(c->landlock_rw);
        strv_free(c->runtime_dirs);
        strv_free(c->shared_runtime_dirs);
        free(c->hostname), free(c->user), free(c->group), free(c->workdir);
        strv_free(c->supplementary_groups);
        strv_free(c->keep_caps);
        free(c->selinux_label), free(c->apparmor_profile), free(c->missing_profile);
        free(c->address_families);
        free(c->system_calls), free(c->system_calls_errno);
        free(c->join);
        for (size_t i = 0; i < c->n_start_pre; i++)
                strv_free(c->start_pre[i].argv);
        free(c->start_pre);
        strv_free(c->argv);
        *c = (HelperConfig) {};
}
