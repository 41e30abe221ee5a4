/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A service unit, as systemd loaded it, made into a sandbox profile that
 * keeps the service working: what the unit lets it write becomes the
 * sandbox's overlays or binds, its capabilities the keep-list (but those
 * that reach past the sandbox), its user stays, an EnvironmentFile= a
 * reference read at each start. What has no equivalent is said, never
 * dropped silently; what confines and has none refuses the conversion
 * (convert-widen.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include "buffer.h"
#include "capabilities.h"
#include "capability-names.h"
#include "convert-env.h"
#include "convert-exec-paths.h"
#include "convert-hooks.h"
#include "convert-network.h"
#include "convert-profile.h"
#include "convert-rundir.h"
#include "convert-settings.h"
#include "convert-userns.h"
#include "convert-widen.h"
#include "log.h"
#include "macro.h"
#include "paths.h"
#include "strv.h"

static bool strv_any_ends_with(char * const *l, const char *suffix) {
        STRV_FOREACH(i, l) {
                size_t n = strlen(*i), k = strlen(suffix);

                if (n > k && streq(*i + n - k, suffix))
                        return true;
        }
        return false;
}

int convert_check(const UnitProps *u) {
        const char *id = u->id ? u->id : "the unit";

        if (!u->load_state || streq(u->load_state, "not-found"))
                return log_error_errno(-EINVAL, "%s: no such unit", id);
        if (streq(u->load_state, "masked"))
                return log_error_errno(-EINVAL, "%s: masked; unmask it first (systemctl unmask %s)", id, id);
        if (!streq(u->load_state, "loaded"))
                return log_error_errno(-EINVAL, "%s: not loaded (%s)", id, u->load_state);
        if (!u->type)
                return log_error_errno(-EINVAL, "%s: not a service", id);
        if (streq(u->type, "oneshot"))
                return log_error_errno(-EINVAL, "%s: Type=oneshot runs once and exits; a sandbox runs a service that "
                                       "stays (for a job, \"sandboxctl run\" a profile of your own)", id);
        /* a socket that starts one service keeps doing so, for the
         * sandbox (verb-convert.c); one per connection does not */
        if (u->accept_sockets)
                return log_error_errno(-EINVAL, "%s: socket-activated by %s with Accept=yes: each connection starts "
                                       "an instance of its own, and a sandbox is one service; not converted", id,
                                       u->accept_sockets[0]);
        if (u->exec_start.n != 1)
                return log_error_errno(-EINVAL, "%s: %zu ExecStart= commands; a sandbox runs exactly one", id,
                                       u->exec_start.n);
        if (u->root_directory && *u->root_directory)
                return log_error_errno(-EINVAL, "%s: RootDirectory=%s: write a profile with <root type=\"directory\"> "
                                       "by hand", id, u->root_directory);
        /* a shell's command line runs as it is: its own "$" are the
         * shell's, expanded by it from the environment the profile gives */
        return 0;
}

/* "--" cannot stand in an XML comment */
static void comment_escaped(Buffer *b, const char *s) {
        for (; *s; s++) {
                buffer_append_char(b, *s);
                if (s[0] == '-' && s[1] == '-')
                        buffer_append_char(b, ' ');
        }
}

static char *command_line(const UnitCommand *c) {
        _cleanup_buffer_ Buffer b = {};

        buffer_append(&b, c->ignore_failure ? "-" : "");
        STRV_FOREACH(a, c->argv) {
                if (a != c->argv)
                        buffer_append_char(&b, ' ');
                buffer_append(&b, *a);
        }
        return b.oom ? NULL : TAKE_PTR(b.data);
}

static int note_commands(char ***notes, const char *setting, const UnitCommands *c, const char *why) {
        for (size_t i = 0; i < c->n; i++) {
                _cleanup_free_ char *line = command_line(&c->items[i]);

                if (!line || strv_appendf(notes, "%s=%s: %s", setting, line, why) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* the paths a sandbox's own /etc, /var, /tmp, /run and /dev cover */
static bool covered(const char *p) {
        static const char *const dirs[] = { "/etc", "/var", "/tmp", "/run", "/dev/shm" };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                if (path_is_at_or_below(p, dirs[i]))
                        return true;
        return false;
}

static void cap_names(Buffer *b, char * const *caps) {
        STRV_FOREACH(c, caps) {
                if (c != caps)
                        buffer_append_char(b, ' ');
                buffer_append(b, *c);
        }
}

/* The capabilities of mask into keep=. Those that reach past the
 * sandbox's namespaces (capabilities.h) are left out, each a note, unless
 * keep_unsafe: then they go into keep-unsafe=, each a note too. */
static int capabilities(Buffer *b, uint64_t mask, bool host_network, bool keep_unsafe, char ***notes,
                        uint64_t *ret_kept) {
        _cleanup_strv_free_ char **keep = NULL, **unsafe = NULL;

        *ret_kept = 0;
        for (unsigned i = 0; i < 64; i++) {
                _cleanup_free_ char *name = NULL;
                char n[CAPABILITY_NAME_MAX];
                const char *why;

                if (!(mask & (UINT64_C(1) << i)) || capability_to_name(i, n) < 0)
                        continue;
                name = strdup(n);
                if (!name)
                        return -ENOMEM;
                why = capability_unsafe_why(name, host_network);
                if (!why || keep_unsafe)
                        *ret_kept |= UINT64_C(1) << i;
                if (!why) {
                        if (strv_consume(&keep, TAKE_PTR(name)) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (keep_unsafe ? strv_appendf(notes, "%s kept with keep-unsafe=, as asked: it lets the service %s", name, why) < 0 :
                                  strv_appendf(notes, "%s left out: it lets the service %s; add keep-unsafe=\"%s\" if the "
                                       "service needs it", name, why, name) < 0)
                        return -ENOMEM;
                if (keep_unsafe && strv_consume(&unsafe, TAKE_PTR(name)) < 0)
                        return -ENOMEM;
        }
        buffer_append(b, "    <capabilities keep=\"");
        cap_names(b, keep);
        if (unsafe) {
                buffer_append(b, "\" keep-unsafe=\"");
                cap_names(b, unsafe);
        }
        buffer_append(b, "\"/>\n");
        return 0;
}

static const char *service_type(const UnitProps *u, char ***notes) {
        if (streq(u->type, "simple") || streq(u->type, "exec") || streq(u->type, "notify") || streq(u->type, "forking"))
                return u->type;
        (void) strv_appendf(notes, "Type=%s: started as Type=simple%s", u->type,
                    streq(u->type, "dbus") ? "; its bus name is not waited for" : "");
        return "simple";
}

static int exec_element(Buffer *b, const UnitProps *u, const ConvertUsers *users, char ***notes) {
        const char *user = users->user ?: u->user, *group = users->group ?: u->group;
        const UnitCommand *c = &u->exec_start.items[0];
        _cleanup_strv_free_ char **args = NULL;
        _cleanup_free_ bool *at_start = NULL;
        size_t n = 0;

        if (strv_append(&args, c->path) < 0)
                return -ENOMEM;
        for (size_t i = 1; c->argv && c->argv[i]; i++) {
                bool later = convert_word_at_start(u, c->argv[i]);
                bool *t;

                /* left to systemd, at each start, as the unit had it */
                if (later ? strv_append(&args, c->argv[i]) < 0 : convert_expand_word(u->environment, u->id, c->argv[i], &args) < 0)
                        return later ? -ENOMEM : -EINVAL;
                t = realloc(at_start, strv_length(args) * sizeof(bool));
                if (!t)
                        return -ENOMEM;
                at_start = t;
                for (; n < strv_length(args); n++)
                        at_start[n] = later && n > 0;
        }
        if (c->argv && c->argv[0] && !streq(c->argv[0], c->path) &&
            strv_appendf(notes, "ExecStart=: argv[0] \"%s\" is not the program's path; the sandbox gives the path", c->argv[0]) < 0)
                return -ENOMEM;
        buffer_append(b, "  <exec");
        if (!isempty(user)) {
                buffer_append(b, " user=\"");
                buffer_append_xml(b, user);
                buffer_append_char(b, '"');
        }
        if (!isempty(group)) {
                buffer_append(b, " group=\"");
                buffer_append_xml(b, group);
                buffer_append_char(b, '"');
        }
        if (!isempty(u->working_directory)) {
                const char *w = u->working_directory + (u->working_directory[0] == '!' || u->working_directory[0] == '-');

                if (w[0] == '/') {
                        buffer_append(b, " workdir=\"");
                        buffer_append_xml(b, w);
                        buffer_append_char(b, '"');
                } else if (strv_appendf(notes, "WorkingDirectory=%s: not a path; the sandbox starts in /", u->working_directory) < 0)
                        return -ENOMEM;
        }
        buffer_append(b, ">\n");
        for (size_t i = 0; args[i]; i++) {
                buffer_append(b, i < n && at_start[i] ? "    <arg expand=\"yes\">" : "    <arg>");
                buffer_append_xml(b, args[i]);
                buffer_append(b, "</arg>\n");
        }
        STRV_FOREACH(e, u->environment) {
                const char *eq = strchr(*e, '=');

                if (!eq)
                        continue;
                buffer_append(b, "    <env name=\"");
                buffer_append_n(b, *e, (size_t) (eq - *e));
                buffer_append(b, "\" value=\"");
                buffer_append_xml(b, eq + 1);
                buffer_append(b, "\"/>\n");
        }
        /* a reference, read at each start as systemd reads it: never the
         * contents, which the unit's file mode may keep from others */
        STRV_FOREACH(f, u->environment_files) {
                bool optional = **f == '-';

                buffer_append(b, "    <environment-file path=\"");
                buffer_append_xml(b, *f + optional);
                buffer_append(b, optional ? "\" optional=\"yes\"/>\n" : "\"/>\n");
        }
        STRV_FOREACH(g, u->supplementary_groups) {
                buffer_append(b, "    <supplementary-group name=\"");
                buffer_append_xml(b, *g);
                buffer_append(b, "\"/>\n");
        }
        buffer_append(b, "  </exec>\n");
        return 0;
}

static void bind_element(Buffer *b, const char *source, const char *target, bool readonly) {
        buffer_append(b, "    <bind source=\"");
        buffer_append_xml(b, source);
        if (target && !streq(target, source)) {
                buffer_append(b, "\" target=\"");
                buffer_append_xml(b, target);
        }
        /* said either way: a <bind> is read-only unless it says otherwise */
        buffer_append(b, readonly ? "\" readonly=\"yes\"/>\n" : "\" readonly=\"no\"/>\n");
}

typedef struct Bind {
        const char *source, *target;
        bool readonly;
} Bind;

static int add_bind(Bind **binds, size_t *n, const char *source, const char *target, bool readonly) {
        Bind *t;

        /* one mount per target: read-only wins, as in systemd */
        for (size_t i = 0; i < *n; i++)
                if (streq((*binds)[i].target, target)) {
                        (*binds)[i].readonly = (*binds)[i].readonly || readonly;
                        return 0;
                }
        t = realloc(*binds, (*n + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        *binds = t;
        t[(*n)++] = (Bind) { source, target, readonly };
        return 0;
}

/* the writable bind deepest above path, or NULL */
static const Bind *writable_above(const Bind *binds, size_t n, const char *path) {
        const Bind *best = NULL;

        for (size_t i = 0; i < n; i++)
                if (!binds[i].readonly && path_is_at_or_below(path, binds[i].target) &&
                    (!best || strlen(binds[i].target) > strlen(best->target)))
                        best = &binds[i];
        return best;
}

/* A ReadOnlyPaths= the sandbox does not make read-only on its own: in
 * its /etc or /var overlay, or below a writable bind. There, what the
 * unit saw at that path (the host's, or what a BindPaths= above it put
 * there) is bound read-only; the helper mounts it after the writable
 * one above it (a parent before what is below it). *owned keeps the
 * source made here. */
static int read_only_path(Bind **binds, size_t *n, const char *spec, char ***owned, char ***notes) {
        bool optional = spec[0] == '-';
        const char *path = spec + (spec[0] == '-' || spec[0] == '+');
        const Bind *above = writable_above(*binds, *n, path);
        char *source;

        if (!above && !path_is_at_or_below(path, "/etc") && !path_is_at_or_below(path, "/var"))
                return 0; /* the sandbox's root is read-only; /tmp, /run: convert_widening() */
        if (!above)
                source = strdup(path);
        else if (asprintf(&source, "%s%s", above->source, path + strlen(above->target)) < 0)
                source = NULL;
        if (!source || strv_consume(owned, source) < 0)
                return -ENOMEM;
        if (optional && access(source, F_OK) < 0)
                return strv_appendf(notes, "ReadOnlyPaths=%s: %s is missing on the host, so not bound (the unit allowed that "
                            "with \"-\")", spec, source);
        if (strv_appendf(notes, "ReadOnlyPaths=%s: %s bound read-only there, over the sandbox's own", spec, source) < 0)
                return -ENOMEM;
        return add_bind(binds, n, source, path, true);
}

static int filesystem_element(Buffer *b, const UnitProps *u, const ConvertUsers *users, char ***notes) {
        _cleanup_free_ Bind *binds = NULL;
        _cleanup_strv_free_ char **owned = NULL;
        const char *proc;
        size_t n = 0;

        buffer_append(b, "  <filesystem>\n    <etc mode=\"overlay\"/>\n    <var mode=\"overlay\"/>\n");
        if (convert_runtime_dirs(b, u, notes) < 0)
                return -ENOMEM;
        STRV_FOREACH(p, u->read_write_paths) {
                const char *path = *p + (**p == '-' || **p == '+');

                if (covered(path))
                        continue; /* in the sandbox's own, writable and kept */
                if (add_bind(&binds, &n, path, path, false) < 0 ||
                    strv_appendf(notes, "ReadWritePaths=%s: bound writable: the service changes the host's %s, as it did", path,
                         path) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < u->bind_paths.n; i++)
                if (add_bind(&binds, &n, u->bind_paths.items[i].source, u->bind_paths.items[i].target, false) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < u->bind_read_only_paths.n; i++)
                if (add_bind(&binds, &n, u->bind_read_only_paths.items[i].source, u->bind_read_only_paths.items[i].target,
                             true) < 0)
                        return -ENOMEM;
        STRV_FOREACH(p, u->read_only_paths)
                if (read_only_path(&binds, &n, *p, &owned, notes) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                bind_element(b, binds[i].source, binds[i].target, binds[i].readonly);
        STRV_FOREACH(t, u->temporary_filesystem) {
                _cleanup_free_ char *path = strndup(*t, strcspn(*t, ":"));
                _cleanup_strv_free_ char **opts = NULL;

                if (!path || ((*t)[strlen(path)] == ':' && strv_split(*t + strlen(path) + 1, ",", &opts) < 0))
                        return -ENOMEM;
                buffer_append(b, "    <tmpfs target=\"");
                buffer_append_xml(b, path);
                buffer_append_char(b, '"');
                STRV_FOREACH(o, opts)
                        if (strncmp(*o, "mode=", 5) == 0 || strncmp(*o, "size=", 5) == 0) {
                                buffer_printf(b, " %.4s=\"", *o);
                                buffer_append_xml(b, *o + 5);
                                buffer_append_char(b, '"');
                        }
                buffer_append(b, "/>\n");
        }
        /* /tmp is the sandbox's own already; /var/tmp is in its /var, where
         * the host's files show through the overlay */
        if (u->private_tmp || u->dynamic_user) {
                buffer_append(b, "    <tmpfs target=\"/var/tmp\" mode=\"1777\"/>\n");
                if (strv_appendf(notes, "PrivateTmp=yes%s: /tmp is the sandbox's own; /var/tmp a tmpfs of its own",
                                 u->private_tmp ? "" : " (DynamicUser=yes implies it)") < 0)
                        return -ENOMEM;
        }
        STRV_FOREACH(p, u->inaccessible_paths) {
                const char *path = *p + (**p == '-' || **p == '+');

                buffer_append(b, "    <mask path=\"");
                buffer_append_xml(b, path);
                buffer_append(b, "\"/>\n");
        }
        proc = confining_value(u, "ProcSubset");
        if (proc && streq(proc, "pid")) {
                buffer_append(b, "    <proc subset=\"pid\"/>\n");
                if (strv_appendf(notes, "ProcSubset=pid: carried, the sandbox's /proc has only the process entries") < 0)
                        return -ENOMEM;
        }
        if (convert_exec_paths(b, u, notes) < 0)
                return -ENOMEM;
        convert_users_filesystem(b, users);
        buffer_append(b, "  </filesystem>\n");
        return 0;
}

static void resources_element(Buffer *b, const UnitProps *u) {
        _cleanup_buffer_ Buffer r = {};

        if (u->memory_max != UINT64_MAX && u->memory_max > 0)
                buffer_printf(&r, " memory=\"%llu\"", (unsigned long long) u->memory_max);
        if (u->cpu_quota_per_sec_usec != UINT64_MAX && u->cpu_quota_per_sec_usec >= 10000)
                buffer_printf(&r, " cpu=\"%llu%%\"", (unsigned long long) (u->cpu_quota_per_sec_usec / 10000));
        if (u->tasks_max != UINT64_MAX && u->tasks_max > 0 && u->tasks_max != u->default_tasks_max)
                buffer_printf(&r, " tasks=\"%llu\"", (unsigned long long) u->tasks_max);
        if (u->io_weight != UINT64_MAX && u->io_weight > 0)
                buffer_printf(&r, " io-weight=\"%llu\"", (unsigned long long) u->io_weight);
        if (r.data) {
                buffer_append(b, "  <resources");
                buffer_append(b, r.data);
                buffer_append(b, "/>\n");
        }
}

/* The unit's process settings that do not confine and that no element or
 * <unit-setting> carries (convert-widen.c has those that confine). */
static int other_settings_notes(const UnitProps *u, char ***notes) {
        if (!isempty(u->kill_mode) && !streq(u->kill_mode, "control-group") && !streq(u->kill_mode, "mixed") &&
            strv_appendf(notes, "KillMode=%s: the sandbox's unit has KillMode=mixed: every process ends with it", u->kill_mode) < 0)
                return -ENOMEM;
        return 0;
}

static int other_notes(const UnitProps *u, char ***notes) {
        STRV_FOREACH(t, u->triggered_by)
                if (strv_any_ends_with((char *[]) { *t, NULL }, ".socket") &&
                    strv_appendf(notes, "TriggeredBy=%s: the socket stays on the host and starts the sandbox instead, "
                         "which gets its file descriptors (enabled: Service= in %s/%s.d/%s)", *t,
                         SOCKET_DROPIN_DIR, *t, SOCKET_DROPIN_NAME) < 0)
                        return -ENOMEM;
        /* the others are the profile's (convert-hooks.c) */
        if (note_commands(notes, "ExecCondition", &u->exec_condition, "not checked") < 0 ||
            note_commands(notes, "ExecStopPost", &u->exec_stop_post, "not run in the sandbox") < 0)
                return -ENOMEM;
        if (!isempty(u->pid_file) && strv_appendf(notes, "PIDFile=%s: not needed, the sandbox's init follows the daemon",
                                          u->pid_file) < 0)
                return -ENOMEM;
        /* DynamicUser=yes implies NoNewPrivileges=yes */
        if (!u->no_new_privileges && !u->dynamic_user &&
            strv_appendf(notes, "NoNewPrivileges=no: the sandbox sets no_new_privs, so set-user-ID programs gain nothing; "
                 "add <no-new-privileges enabled=\"no\"/> if the service needs them") < 0)
                return -ENOMEM;
        if (!isempty(u->user) && u->ambient_capabilities == 0 && u->capability_bounding_set != 0 &&
            strv_appendf(notes, "CapabilityBoundingSet=: with User=%s and no AmbientCapabilities=, the service has no "
                 "capability; none kept", u->user) < 0)
                return -ENOMEM;
        return other_settings_notes(u, notes);
}

static void header(Buffer *b, const UnitProps *u, char * const *notes) {
        buffer_append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Converted from ");
        comment_escaped(b, u->id);
        buffer_append(b, " by \"sandboxctl convert\"");
        if (u->fragment_path) {
                buffer_append(b, " (");
                comment_escaped(b, u->fragment_path);
                buffer_append(b, ")");
        }
        buffer_append(b, ".\n");
        if (notes) {
                buffer_append(b, "     Settings of the unit this profile does not carry as they are:\n");
                STRV_FOREACH(n, notes) {
                        buffer_append(b, "       ");
                        comment_escaped(b, *n);
                        buffer_append_char(b, '\n');
                }
        }
        buffer_append(b, "-->\n");
}

/* <apparmor> or <selinux> from AppArmorProfile= or SELinuxContext= ("-"
 * first: optional="yes") */
static void label_element(Buffer *b, const char *element, const char *attribute, const char *value) {
        bool optional = value[0] == '-';

        buffer_printf(b, "    <%s %s=\"", element, attribute);
        buffer_append_xml(b, value + optional);
        buffer_append(b, optional ? "\" optional=\"yes\"/>\n" : "\"/>\n");
}

/* The network capabilities that a user namespace of the service's own
 * makes useless, which validate refuses: under identity with any
 * network, under private with the host's (whose network namespace the
 * host's user namespace owns). Identity's note says so already;
 * PrivateUsers= has them in convert_dropped_capabilities(). */
static int userns_network_caps(const UnitProps *u, const ConvertUsers *users, bool own_network, uint64_t mask,
                               uint64_t *ret_dropped, char ***notes) {
        const uint64_t net = UINT64_C(1) << CAP_NET_BIND_SERVICE | UINT64_C(1) << CAP_NET_ADMIN |
                             UINT64_C(1) << CAP_NET_RAW | UINT64_C(1) << CAP_NET_BROADCAST;

        *ret_dropped = 0;
        if (users->mode == CONVERT_USERNS_IDENTITY)
                *ret_dropped = net;
        if (users->mode != CONVERT_USERNS_PRIVATE || own_network || !(mask & net & ~convert_dropped_capabilities(u)))
                return 0;
        *ret_dropped = net;
        return strv_appendf(notes, "<user-namespace mode=\"private\"/> with the host's network: CAP_NET_BIND_SERVICE, "
                            "CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BROADCAST are not kept, as the kernel checks them "
                            "in the host's user namespace, where the service has none; a bind() below 1024 fails. A "
                            "network of its own (PrivateNetwork=yes, or <network mode=\"private\"/> or \"bridge\") "
                            "is its user namespace's, where they are real");
}

int convert_profile(const UnitProps *u, const char *name, const char *user_namespace, bool keep_unsafe,
                    bool accept_widening, char **ret_text, char ***ret_notes) {
        _cleanup_buffer_ Buffer body = {}, text = {};
        _cleanup_strv_free_ char **notes = NULL;
        _cleanup_(convert_users_done) ConvertUsers users = {};
        bool own_network = convert_own_network(u), root;
        uint64_t kept = 0, mask, lost;
        int r = 0;

        r = convert_check_environment(u);
        if (r < 0)
                return r;
        r = convert_users(u, user_namespace, &users, &notes);
        if (r < 0)
                return r == -ENOMEM ? log_oom() : r;
        /* a dynamic user is never root; its capabilities are its ambient ones */
        root = users.user ? streq(users.user, "root") || streq(users.user, "0") :
                            isempty(u->user) || streq(u->user, "root") || streq(u->user, "0");

        buffer_printf(&body, "<sandbox name=\"%s\">\n", name);
        if (!isempty(u->description)) {
                buffer_append(&body, "  <description>");
                buffer_append_xml(&body, u->description);
                buffer_append(&body, "</description>\n");
        }
        r = exec_element(&body, u, &users, &notes);
        if (r < 0)
                goto finish;
        buffer_printf(&body, "  <service type=\"%s\"", service_type(u, &notes));
        if (u->restart && !streq(u->restart, "no"))
                buffer_printf(&body, " restart=\"%s\" restart-sec=\"%llums\"", u->restart,
                              (unsigned long long) (u->restart_usec / 1000));
        if (u->timeout_start_usec == UINT64_MAX)
                buffer_append(&body, " timeout-start-sec=\"infinity\"");
        else if (u->timeout_start_usec != u->default_timeout_start_usec)
                buffer_printf(&body, " timeout-start-sec=\"%llums\"", (unsigned long long) (u->timeout_start_usec / 1000));
        if (u->timeout_stop_usec == UINT64_MAX)
                buffer_append(&body, " timeout-stop-sec=\"infinity\"");
        else if (u->timeout_stop_usec != u->default_timeout_stop_usec)
                buffer_printf(&body, " timeout-stop-sec=\"%llums\"", (unsigned long long) (u->timeout_stop_usec / 1000));
        buffer_append(&body, "/>\n");
        r = filesystem_element(&body, u, &users, &notes);
        if (r < 0)
                goto finish;
        r = convert_network(&body, u, &notes);
        if (r < 0)
                goto finish;
        convert_users_element(&body, &users);
        /* a service that takes a bus name talks to the system bus: its
         * socket, alone; the other interfaces are the defaults. Not for
         * root, nor one keeping CAP_SETUID: the bus grants root every
         * call, systemd's to start a unit outside the sandbox among them,
         * and validate refuses such a profile */
        if (streq(u->type, "dbus") || !isempty(u->bus_name)) {
                bool setuid = (u->ambient_capabilities & u->capability_bounding_set &
                               ~convert_dropped_capabilities(u)) & (UINT64_C(1) << CAP_SETUID);

                if (!root && !setuid)
                        buffer_append(&body, "  <interfaces dbus=\"yes\"/>\n");
                else if (strv_appendf(&notes, "BusName=, Type=dbus: the system bus is not given to a service that %s: "
                                      "the bus grants root every call, systemd's to start a unit outside the sandbox "
                                      "among them; run the service as a user of its own (User=), then add "
                                      "<interfaces dbus=\"yes\"/>", root ? "runs as root" : "keeps CAP_SETUID") < 0) {
                        r = -ENOMEM;
                        goto finish;
                }
        }
        if (own_network && !u->private_network &&
            strv_appendf(&notes, "IPAddressDeny=any, with only the loopback allowed: a network of the sandbox's own, with only "
                 "its own lo (the host's loopback is not reached either)") < 0) {
                r = -ENOMEM;
                goto finish;
        }
        buffer_append(&body, "  <security>\n");
        mask = (root ? u->capability_bounding_set : u->ambient_capabilities & u->capability_bounding_set) &
               ~convert_dropped_capabilities(u);
        r = userns_network_caps(u, &users, own_network, mask, &lost, &notes);
        if (r >= 0)
                r = capabilities(&body, mask & ~lost, !own_network, keep_unsafe, &notes, &kept);
        if (r < 0)
                goto finish;
        if (u->apparmor_profile)
                label_element(&body, "apparmor", "profile", u->apparmor_profile);
        if (u->selinux_context)
                label_element(&body, "selinux", "label", u->selinux_context);
        if (convert_restrictions(&body, u, &notes) < 0) {
                r = -ENOMEM;
                goto finish;
        }
        buffer_append(&body, "  </security>\n");
        resources_element(&body, u);
        if (convert_unit_settings(&body, u, &notes) < 0) {
                r = -ENOMEM;
                goto finish;
        }
        if (u->wanted_by) {
                buffer_append(&body, "  <install wanted-by=\"sandbox.target\"/>\n");
                _cleanup_free_ char *w = strv_join(u->wanted_by, " ");
                if (!w || strv_appendf(&notes, "WantedBy=%s: started at boot through sandbox.target instead", w) < 0)
                        r = -ENOMEM;
        }
        if (r >= 0)
                r = convert_hooks(&body, u, &notes);
        buffer_append(&body, "</sandbox>\n");
        if (r >= 0)
                r = other_notes(u, &notes);
        if (r < 0)
                goto finish;
        /* last: what convert would lose is refused whatever else is wrong */
        r = convert_widening(u, kept, accept_widening, &notes);
        if (r < 0)
                goto finish;
        if (r > 0) {
                r = log_error_errno(-EPERM, "convert: %s: not converted: the profile would confine less than the unit "
                                    "(see above)", u->id);
                goto finish;
        }
        header(&text, u, notes);
        buffer_append(&text, body.data);
        if (body.oom || text.oom) {
                r = log_oom();
                goto finish;
        }
        *ret_text = TAKE_PTR(text.data);
        *ret_notes = TAKE_PTR(notes);
finish:
        return r == -ENOMEM ? log_oom() : r;
}
