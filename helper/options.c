/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading the helper's command line: every value is checked before any
 * step runs, so a bad option never leaves a half-built sandbox. */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "address-families.h"
#include "capability-names.h"
#include "config.h"
#include "helper-config.h"
#include "helper-options.h"
#include "interfaces.h"
#include "log.h"
#include "names.h"
#include "net-addr.h"
#include "paths.h"
#include "quantities.h"
#include "runtime-share.h"
#include "search-path.h"
#include "state-image.h"
#include "state-key.h"
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
static int add_start_pre(HelperConfig *c, HelperOption o, const char *value) {
        _cleanup_free_ char **f = NULL;
        HelperHook *h;
        unsigned n = 1;
        int r;

        (void) o;
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

static bool any_value(const char *v) {
        (void) v;
        return true;
}

static bool is_size(const char *v) {
        uint64_t bytes;

        return parse_size(v, &bytes) >= 0;
}

static bool state_size_is_valid(const char *v) {
        uint64_t bytes;

        return parse_size(v, &bytes) >= 0 && bytes >= STATE_IMAGE_MIN_SIZE;
}

static bool proc_subset_is_valid(const char *v) {
        return streq(v, "all") || streq(v, "pid");
}

static bool mask_is_valid(const char *v) {
        return path_is_normalized_absolute(v) && !streq(v, "/");
}

/* "-" before it when it may be missing */
static bool optional_path_is_valid(const char *v) {
        return path_is_normalized_absolute(v + (*v == '-'));
}

static bool network_mode_is_valid(const char *v) {
        return streq(v, "host") || streq(v, "none") || streq(v, "private") || streq(v, "bridge");
}

static bool user_namespace_is_valid(const char *v) {
        return streq(v, "identity") || streq(v, "private");
}

static bool syscall_allow_is_valid(const char *v) {
        return syscall_spec_is_valid(v, false);
}

static bool syscall_deny_is_valid(const char *v) {
        return syscall_spec_is_valid(v, true);
}

static bool errno_is_valid(const char *v) {
        return seccomp_errno_from_string(v) >= 0;
}

/* one static address and one gateway per family, IPv6 ones only with
 * --net-ipv6 */
static int bridge_options_check(const HelperConfig *c) {
        char **lists[] = { c->net_addresses, c->net_gateways };
        const char *names[] = { "--net-address", "--net-gateway" };

        for (size_t l = 0; l < ELEMENTSOF(lists); l++) {
                unsigned n4 = 0, n6 = 0;

                STRV_FOREACH(v, lists[l]) {
                        NetAddr a;

                        (void) net_addr_parse(*v, 0, &a);
                        if (a.family == AF_INET6 && !c->net_ipv6) {
                                log_error("%s=%s: an IPv6 address needs --net-ipv6", names[l], *v);
                                return -EINVAL;
                        }
                        n4 += a.family == AF_INET;
                        n6 += a.family == AF_INET6;
                }
                if (n4 > 1 || n6 > 1) {
                        log_error("%s: at most one IPv4 and one IPv6 address", names[l]);
                        return -EINVAL;
                }
        }
        /* rtnetlink acts on any network namespace the sandbox's has an
         * id for (IFLA_TARGET_NETNSID), checking CAP_NET_ADMIN in the
         * user namespace that namespace belongs to: the kernel gives the
         * host's one an id there, the namespace of eth0's peer, so root
         * with CAP_NET_ADMIN of the host's user namespace would list,
         * make, delete and move the host's links, a link of its own on
         * the bridge, without the rules that keep it to its address,
         * among them. In a user namespace of the service's own, the
         * capability is that namespace's and reaches neither. */
        STRV_FOREACH(k, c->keep_caps)
                if (capability_from_name(*k) == CAP_NET_ADMIN && !c->user_namespace) {
                        log_error("--keep-caps=%s with --network=bridge: the kernel lets CAP_NET_ADMIN reach the "
                                  "host's network namespace from the sandbox's (through the namespace id of eth0's "
                                  "peer), its links and its bridge; refusing to start (a service that needs it runs "
                                  "with --user-namespace=identity, where it reaches neither)", *k);
                        return -EINVAL;
                }
        STRV_FOREACH(v, c->net_ports) {
                NetPort p;

                (void) net_port_parse(*v, &p);
                if (p.host_addr.family == AF_INET6 && !c->net_ipv6) {
                        log_error("--net-port=%s: an IPv6 address needs --net-ipv6", *v);
                        return -EINVAL;
                }
        }
        return 0;
}

static int parse_interfaces(HelperConfig *c, HelperOption o, const char *v) {
        (void) o;
        if (interfaces_parse(v, &c->interfaces) < 0)
                return bad("interfaces", v, "\"none\", or names of run-lock, journal, dev-log, dbus "
                           "separated by \",\", each at most once");
        return 0;
}

static int set_yes_no(bool *no, const char *option, const char *v, const char *allowed) {
        if (!streq(v, "yes") && !streq(v, "no"))
                return bad(option, v, allowed);
        *no = streq(v, "no");
        return 0;
}

static int append(char ***field, const char *v) {
        return strv_append(field, v) < 0 ? log_oom() : 0;
}

/* how each KIND of helper-options.h reads its option */
#define READ_STRING(c, o, name, v, field, check, allowed) ((check)(v) ? set_string(&(c)->field, v) : bad(name, v, allowed))
#define READ_APPEND(c, o, name, v, field, check, allowed) ((check)(v) ? append(&(c)->field, v) : bad(name, v, allowed))
#define READ_LIST(c, o, name, v, field, check, allowed) set_list(&(c)->field, v, check, name, allowed)
#define READ_FLAG(c, o, name, v, field, check, allowed) ((c)->field = true, 0)
#define READ_NO(c, o, name, v, field, check, allowed) set_yes_no(&(c)->field, name, v, allowed)
#define READ_CUSTOM(c, o, name, v, field, check, allowed) check(c, o, v)
#define READ_MAIN(c, o, name, v, field, check, allowed) (-EINVAL)

static int parse_option(HelperConfig *c, int o, const char *v) {
        switch (o) {
#define READ_OPTION(id, name, argument, kind, field, check, allowed) \
        case HELPER_OPT_##id: \
                return READ_##kind(c, HELPER_OPT_##id, name, v, field, check, allowed);
        HELPER_OPTIONS(READ_OPTION)
#undef READ_OPTION
        default:
                return -EINVAL; /* getopt has printed what was wrong */
        }
}

static int unprivileged_refuse(const char *option, const char *why) {
        log_error("--unprivileged: %s %s: an unprivileged run cannot have it (it needs the host's root); "
                  "refusing to start with less than the command line asks for", option, why);
        return -EINVAL;
}

/* --unprivileged (rootless.h): what needs the host's root is refused,
 * and the roots that are root's by default must be given */
static int unprivileged_check(const HelperConfig *c) {
        int r = 0;

        if (!c->unprivileged) {
                if (c->runtime_root) {
                        log_error("--runtime-root goes only with --unprivileged (a run as root has /run/sandbox)");
                        return -EINVAL;
                }
                return 0;
        }
        if (!c->state_root || !c->runtime_root) {
                log_error("--unprivileged needs --state-root and --runtime-root: the default ones are root's");
                return -EINVAL;
        }
        for (size_t i = 0; i < c->n_mounts; i++)
                if (c->mounts[i].kind == HELPER_MOUNT_BLOCK)
                        r = unprivileged_refuse("--block", "(a block device: its node, which only the host's root may make)");
                else if (c->mounts[i].kind == HELPER_MOUNT_IMAGE)
                        r = unprivileged_refuse("--image", "(a loop device)");
        if (c->state_size)
                r = unprivileged_refuse("--state-size", "(the state's image, on a loop device)");
        if (c->state_key)
                r = unprivileged_refuse("--state-key", "(the state's encryption, device-mapper)");
        if (c->selinux_label || c->selinux_mcs)
                r = unprivileged_refuse("--selinux-label and --selinux-mcs", "(a label set by the policy's administrator)");
        if (c->apparmor_profile)
                r = unprivileged_refuse("--apparmor-profile", "(a profile only root may load and change to)");
        if (c->shared_runtime_dirs)
                r = unprivileged_refuse("--shared-runtime-dir", "(a directory in the host's /run)");
        if (c->network && streq(c->network, "bridge"))
                r = unprivileged_refuse("--network=bridge", "(the host's bridge, its addresses and nftables rules)");
        if (c->user_namespace)
                r = unprivileged_refuse("--user-namespace", "(the run is in the caller's user namespace already)");
        if (c->join)
                r = unprivileged_refuse("--join", "(a sandbox of root's)");
        return r;
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
        if (!c->network || !streq(c->network, "bridge")) {
                if (c->net_bridge || c->net_mtu || c->net_addresses || c->net_gateways || c->net_ipv6 ||
                    c->net_no_outbound || c->net_ports || c->net_allow || c->net_deny || c->net_dns) {
                        log_error("--net-* options go only with --network=bridge");
                        return -EINVAL;
                }
        } else if (bridge_options_check(c) < 0)
                return -EINVAL;
        if (c->forking && c->ready_on_exec) {
                log_error("--forking and --ready-on-exec: the service is ready either when its command exits 0 or "
                          "when it has been executed, not both");
                return -EINVAL;
        }
        /* fail closed: encrypted state this build cannot open is refused,
         * never kept in the clear */
        if (c->state_key && !state_crypt_supported()) {
                log_error("--state-key: encrypted state needs libcryptsetup, which this build of sandbox does not have");
                return -EINVAL;
        }
        if (c->state_key && !c->state_size) {
                log_error("--state-key: the state is encrypted only on a file system of its own, --state-size");
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
        /* a cap that would not hold is refused, never dropped: a private
         * /etc or /var is the state directory itself, outside the image */
        if (c->state_size && ((c->etc && streq(c->etc, "private")) || (c->var && streq(c->var, "private")) ||
                              (c->etc && !streq(c->etc, "overlay") && c->var && !streq(c->var, "overlay")))) {
                log_error("--state-size caps the /etc and /var overlays: it needs --etc or --var to be overlay, and "
                          "neither to be private");
                return -EINVAL;
        }
        if (unprivileged_check(c) < 0)
                return -EINVAL;
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

/* what each KIND of helper-options.h allocates */
#define FREE_STRING(field) free(c->field);
#define FREE_APPEND(field) strv_free(c->field);
#define FREE_LIST(field) strv_free(c->field);
#define FREE_FLAG(field)
#define FREE_NO(field)
#define FREE_CUSTOM(field)
#define FREE_MAIN(field)

void helper_config_done(HelperConfig *c) {
#define FREE_OPTION(id, name, argument, kind, field, ...) FREE_##kind(field)
        HELPER_OPTIONS(FREE_OPTION)
#undef FREE_OPTION
        /* what the CUSTOM options make */
        for (size_t i = 0; i < c->n_mounts; i++) {
                HelperMount *m = &c->mounts[i];
                free(m->source), free(m->target), free(m->tag), free(m->size), free(m->mode);
        }
        free(c->mounts);
        for (size_t i = 0; i < c->n_start_pre; i++)
                strv_free(c->start_pre[i].argv);
        free(c->start_pre);
        strv_free(c->argv);
        *c = (HelperConfig) {};
}
