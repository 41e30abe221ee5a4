/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A service unit, as systemd loaded it, made into a sandbox profile that
 * keeps the service working: what the unit lets it write becomes the
 * sandbox's overlays or binds, its capabilities the keep-list (but those
 * that reach past the sandbox), its user stays. What has no equivalent
 * is said, never dropped silently.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>

#include "buffer.h"
#include "capabilities.h"
#include "convert-profile.h"
#include "log.h"
#include "macro.h"
#include "paths.h"
#include "strv.h"

#define ENV_FILE_MAX (1U << 20)

static bool is_shell(const char *path) {
        const char *base = strrchr(path, '/');

        base = base ? base + 1 : path;
        return streq(base, "sh") || streq(base, "bash") || streq(base, "dash") || streq(base, "zsh");
}

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
        if (strv_any_ends_with(u->triggered_by, ".socket"))
                return log_error_errno(-EINVAL, "%s: socket-activated (TriggeredBy=%s): its socket would still start "
                                       "the unsandboxed unit; not converted", id, u->triggered_by[0]);
        if (u->dynamic_user)
                return log_error_errno(-EINVAL, "%s: DynamicUser=yes: its user exists only while systemd runs it, not "
                                       "in a sandbox's /etc/passwd", id);
        if (u->exec_start.n != 1)
                return log_error_errno(-EINVAL, "%s: %zu ExecStart= commands; a sandbox runs exactly one", id,
                                       u->exec_start.n);
        if (u->root_directory && *u->root_directory)
                return log_error_errno(-EINVAL, "%s: RootDirectory=%s: write a profile with <root type=\"directory\"> "
                                       "by hand", id, u->root_directory);
        const UnitCommand *c = &u->exec_start.items[0];
        for (size_t i = 0; c->argv && c->argv[i]; i++)
                if (is_shell(c->path) && streq(c->argv[i], "-c") && c->argv[i + 1] && strchr(c->argv[i + 1], '$'))
                        return log_error_errno(-EINVAL, "%s: ExecStart= runs a shell command line with variables "
                                               "(%s -c '%s'): what it runs and writes cannot be told from the unit; "
                                               "write the profile by hand", id, c->path, c->argv[i + 1]);
        return 0;
}

typedef struct Env {
        char **vars; /* NAME=VALUE, the unit's Environment= and EnvironmentFile= */
} Env;

static const char *env_get(const Env *e, const char *name, size_t n) {
        const char *v = NULL;

        STRV_FOREACH(i, e->vars)
                if (strncmp(*i, name, n) == 0 && (*i)[n] == '=')
                        v = *i + n + 1; /* the last one wins, as in systemd */
        return v;
}

/* A line "NAME=VALUE" of an environment file, with quotes around VALUE
 * taken off; NULL for comments and empty lines. */
static char *env_file_line(char *line) {
        char *eq, *v;
        size_t n;

        line += strspn(line, " \t");
        if (!*line || *line == '#' || *line == ';')
                return NULL;
        if (strncmp(line, "export ", 7) == 0)
                line += 7;
        eq = strchr(line, '=');
        if (!eq || eq == line)
                return NULL;
        v = eq + 1;
        n = strlen(v);
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
                v[--n] = 0;
        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                memmove(v, v + 1, n - 2);
                v[n - 2] = 0;
        }
        return line;
}

static int env_read_file(Env *e, const char *spec, char ***notes) {
        bool missing_ok = spec[0] == '-';
        const char *path = spec + missing_ok;
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        char line[4096];
        size_t total = 0;

        if (!f) {
                if (missing_ok && errno == ENOENT)
                        return 0;
                return log_error_errno(-errno, "EnvironmentFile=%s: %m", path);
        }
        while (fgets(line, sizeof(line), f)) {
                char *l;

                total += strlen(line);
                if (total > ENV_FILE_MAX)
                        return log_error_errno(-EFBIG, "EnvironmentFile=%s: too large", path);
                line[strcspn(line, "\n")] = 0;
                l = env_file_line(line);
                if (l && strv_append(&e->vars, l) < 0)
                        return log_oom();
        }
        char *n;
        if (asprintf(&n, "EnvironmentFile=%s: its variables as they are now, copied into <env>; later edits of "
                     "the file do not reach the sandbox", path) < 0 || strv_consume(notes, n) < 0)
                return log_oom();
        return 0;
}

/* systemd's expansion of an ExecStart= word: "$NAME" alone becomes the
 * value's words, "${NAME}" anywhere the value. */
static int expand_word(const Env *e, const char *w, char ***out) {
        _cleanup_buffer_ Buffer b = {};

        if (w[0] == '$' && w[1] != '{' && w[1]) {
                const char *v = env_get(e, w + 1, strlen(w + 1));
                _cleanup_strv_free_ char **words = NULL;

                if (v && strv_split(v, " \t\n", &words) < 0)
                        return -ENOMEM;
                return strv_extend(out, words);
        }
        for (const char *p = w; *p;) {
                const char *end;

                if (p[0] == '$' && p[1] == '{' && (end = strchr(p + 2, '}'))) {
                        const char *v = env_get(e, p + 2, (size_t) (end - p - 2));

                        buffer_append(&b, v ? v : "");
                        p = end + 1;
                } else if (p[0] == '$' && p[1] == '$') {
                        buffer_append_char(&b, '$');
                        p += 2;
                } else
                        buffer_append_char(&b, *p++);
        }
        if (b.oom)
                return -ENOMEM;
        return strv_append(out, b.data ? b.data : "");
}

static void xml_escaped(Buffer *b, const char *s) {
        for (; *s; s++)
                switch (*s) {
                case '&': buffer_append(b, "&amp;"); break;
                case '<': buffer_append(b, "&lt;"); break;
                case '>': buffer_append(b, "&gt;"); break;
                case '"': buffer_append(b, "&quot;"); break;
                default: buffer_append_char(b, *s);
                }
}

/* "--" cannot stand in an XML comment */
static void comment_escaped(Buffer *b, const char *s) {
        for (; *s; s++) {
                buffer_append_char(b, *s);
                if (s[0] == '-' && s[1] == '-')
                        buffer_append_char(b, ' ');
        }
}

static int note(char ***notes, const char *fmt, ...) _printf_(2, 3);
static int note(char ***notes, const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return strv_consume(notes, s);
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

                if (!line || note(notes, "%s=%s: %s", setting, line, why) < 0)
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
static int capabilities(Buffer *b, uint64_t mask, bool host_network, bool keep_unsafe, char ***notes) {
        _cleanup_strv_free_ char **keep = NULL, **unsafe = NULL;

        for (unsigned i = 0; i < 64; i++) {
                _cleanup_free_ char *name = NULL;
                const char *n, *why;

                if (!(mask & (UINT64_C(1) << i)) || !(n = capng_capability_to_name(i)))
                        continue;
                if (asprintf(&name, "CAP_%s", n) < 0)
                        return -ENOMEM;
                for (char *c = name; *c; c++)
                        *c = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
                why = capability_unsafe_why(name, host_network);
                if (!why) {
                        if (strv_consume(&keep, TAKE_PTR(name)) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (keep_unsafe ? note(notes, "%s kept with keep-unsafe=, as asked: it lets the service %s", name, why) < 0 :
                                  note(notes, "%s left out: it lets the service %s; add keep-unsafe=\"%s\" if the "
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
        (void) note(notes, "Type=%s: started as Type=simple%s", u->type,
                    streq(u->type, "dbus") ? "; its bus name is not waited for (and the system bus socket is in the "
                                             "host's /run, which the sandbox does not see)" : "");
        return "simple";
}

static int exec_element(Buffer *b, const UnitProps *u, const Env *env, char ***notes) {
        const UnitCommand *c = &u->exec_start.items[0];
        _cleanup_strv_free_ char **args = NULL;

        if (strv_append(&args, c->path) < 0)
                return -ENOMEM;
        for (size_t i = 1; c->argv && c->argv[i]; i++)
                if (expand_word(env, c->argv[i], &args) < 0)
                        return -ENOMEM;
        if (c->argv && c->argv[0] && !streq(c->argv[0], c->path) &&
            note(notes, "ExecStart=: argv[0] \"%s\" is not the program's path; the sandbox gives the path", c->argv[0]) < 0)
                return -ENOMEM;
        buffer_append(b, "  <exec");
        if (!isempty(u->user)) {
                buffer_append(b, " user=\"");
                xml_escaped(b, u->user);
                buffer_append_char(b, '"');
        }
        if (!isempty(u->group)) {
                buffer_append(b, " group=\"");
                xml_escaped(b, u->group);
                buffer_append_char(b, '"');
        }
        if (!isempty(u->working_directory)) {
                const char *w = u->working_directory + (u->working_directory[0] == '!' || u->working_directory[0] == '-');

                if (w[0] == '/') {
                        buffer_append(b, " workdir=\"");
                        xml_escaped(b, w);
                        buffer_append_char(b, '"');
                } else if (note(notes, "WorkingDirectory=%s: not a path; the sandbox starts in /", u->working_directory) < 0)
                        return -ENOMEM;
        }
        buffer_append(b, ">\n");
        STRV_FOREACH(a, args) {
                buffer_append(b, "    <arg>");
                xml_escaped(b, *a);
                buffer_append(b, "</arg>\n");
        }
        STRV_FOREACH(e, env->vars) {
                const char *eq = strchr(*e, '=');

                if (!eq)
                        continue;
                buffer_append(b, "    <env name=\"");
                buffer_append_n(b, *e, (size_t) (eq - *e));
                buffer_append(b, "\" value=\"");
                xml_escaped(b, eq + 1);
                buffer_append(b, "\"/>\n");
        }
        STRV_FOREACH(g, u->supplementary_groups) {
                buffer_append(b, "    <supplementary-group name=\"");
                xml_escaped(b, *g);
                buffer_append(b, "\"/>\n");
        }
        buffer_append(b, "  </exec>\n");
        return 0;
}

static void bind_element(Buffer *b, const char *source, const char *target, bool readonly) {
        buffer_append(b, "    <bind source=\"");
        xml_escaped(b, source);
        if (target && !streq(target, source)) {
                buffer_append(b, "\" target=\"");
                xml_escaped(b, target);
        }
        /* said either way: a <bind> is read-only unless it says otherwise */
        buffer_append(b, readonly ? "\" readonly=\"yes\"/>\n" : "\" readonly=\"no\"/>\n");
}

static int filesystem_element(Buffer *b, const UnitProps *u, char ***notes) {
        buffer_append(b, "  <filesystem>\n    <etc mode=\"overlay\"/>\n    <var mode=\"overlay\"/>\n");
        /* the sandbox's /run is its own: made there, as systemd would */
        STRV_FOREACH(d, u->runtime_directory) {
                buffer_append(b, "    <runtime-directory name=\"");
                xml_escaped(b, *d);
                buffer_printf(b, "\" mode=\"%04o\"/>\n", (unsigned) (u->runtime_directory_mode & 07777));
        }
        STRV_FOREACH(p, u->read_write_paths) {
                const char *path = *p + (**p == '-' || **p == '+');

                if (covered(path))
                        continue; /* in the sandbox's own, writable and kept */
                bind_element(b, path, NULL, false);
                if (note(notes, "ReadWritePaths=%s: bound writable: the service changes the host's %s, as it did", path,
                         path) < 0)
                        return -ENOMEM;
        }
        /* read-only everywhere else already; in the overlays, not */
        STRV_FOREACH(p, u->read_only_paths) {
                const char *path = *p + (**p == '-' || **p == '+');

                if (covered(path) && note(notes, "ReadOnlyPaths=%s: writable in the sandbox's own %s (its overlay or "
                                          "tmpfs, never the host's)", path, path) < 0)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < u->bind_paths.n; i++)
                bind_element(b, u->bind_paths.items[i].source, u->bind_paths.items[i].target, false);
        for (size_t i = 0; i < u->bind_read_only_paths.n; i++)
                bind_element(b, u->bind_read_only_paths.items[i].source, u->bind_read_only_paths.items[i].target, true);
        STRV_FOREACH(p, u->inaccessible_paths) {
                const char *path = *p + (**p == '-' || **p == '+');

                buffer_append(b, "    <mask path=\"");
                xml_escaped(b, path);
                buffer_append(b, "\"/>\n");
        }
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

static int note_list(char ***notes, const char *setting, char * const *l, const char *why) {
        _cleanup_free_ char *v = NULL;

        if (!l || !*l)
                return 0;
        v = strv_join(l, " ");
        return v ? note(notes, "%s=%s: %s", setting, v, why) : -ENOMEM;
}

/* The unit's process settings and its own hardening: none has a profile
 * equivalent; the hardening's place is taken by the sandbox's own. */
static int other_settings_notes(const UnitProps *u, char ***notes) {
        static const char *const instead = "the unit's own hardening; the sandbox's confinement applies instead";

        if ((u->umask != 0022 && note(notes, "UMask=%04o: not set; the service starts with 0022", u->umask) < 0) ||
            (u->limit_nofile != u->default_limit_nofile && u->default_limit_nofile &&
             note(notes, "LimitNOFILE=%llu: not set; the sandbox's unit has the default", (unsigned long long) u->limit_nofile) < 0) ||
            (u->oom_score_adjust && note(notes, "OOMScoreAdjust=%d: not set", (int) u->oom_score_adjust) < 0) ||
            (u->nice && note(notes, "Nice=%d: not set", (int) u->nice) < 0) ||
            (!isempty(u->kill_mode) && !streq(u->kill_mode, "control-group") && !streq(u->kill_mode, "mixed") &&
             note(notes, "KillMode=%s: the sandbox's unit has KillMode=mixed: every process ends with it", u->kill_mode) < 0) ||
            (!isempty(u->syslog_identifier) && note(notes, "SyslogIdentifier=%s: the journal names the helper instead",
                                                    u->syslog_identifier) < 0))
                return -ENOMEM;
        if (note_list(notes, "SystemCallFilter", u->system_call_filter, instead) < 0 ||
            note_list(notes, "RestrictAddressFamilies", u->restrict_address_families, instead) < 0 ||
            note_list(notes, "NoExecPaths", u->no_exec_paths, instead) < 0 ||
            note_list(notes, "ExecPaths", u->exec_paths, instead) < 0)
                return -ENOMEM;
        if ((u->memory_deny_write_execute && note(notes, "MemoryDenyWriteExecute=yes: %s", instead) < 0) ||
            (u->private_users && note(notes, "PrivateUsers=yes: %s", instead) < 0) ||
            (u->restrict_namespaces != UINT64_MAX && u->restrict_namespaces != 0 &&
             note(notes, "RestrictNamespaces=: %s (it cannot make user namespaces in any case)", instead) < 0) ||
            (u->protect_kernel_tunables && note(notes, "ProtectKernelTunables=yes: the sandbox's /proc/sys and /sys are "
                                                "read-only anyway") < 0) ||
            (u->protect_control_groups && note(notes, "ProtectControlGroups=yes: the sandbox's /sys is read-only anyway") < 0) ||
            (u->protect_clock && note(notes, "ProtectClock=yes: %s", instead) < 0) ||
            (!isempty(u->protect_system) && !streq(u->protect_system, "no") &&
             note(notes, "ProtectSystem=%s: the sandbox's root is read-only anyway", u->protect_system) < 0) ||
            (!isempty(u->protect_home) && !streq(u->protect_home, "no") &&
             note(notes, "ProtectHome=%s: not carried; mask /home, /root and /run/user with <mask> if wanted",
                  u->protect_home) < 0))
                return -ENOMEM;
        return 0;
}

static int other_notes(const UnitProps *u, char ***notes) {
        if (note_commands(notes, "ExecStartPre", &u->exec_start_pre, "not run in the sandbox") < 0 ||
            note_commands(notes, "ExecStartPost", &u->exec_start_post, "not run in the sandbox") < 0 ||
            note_commands(notes, "ExecCondition", &u->exec_condition, "not checked") < 0 ||
            note_commands(notes, "ExecReload", &u->exec_reload, "\"systemctl reload\" does not run it") < 0 ||
            note_commands(notes, "ExecStop", &u->exec_stop, "not run; the sandbox's stop sends SIGTERM") < 0 ||
            note_commands(notes, "ExecStopPost", &u->exec_stop_post, "not run in the sandbox") < 0)
                return -ENOMEM;
        if (!isempty(u->pid_file) && note(notes, "PIDFile=%s: not needed, the sandbox's init follows the daemon",
                                          u->pid_file) < 0)
                return -ENOMEM;
        if (!u->no_new_privileges &&
            note(notes, "NoNewPrivileges=no: the sandbox sets no_new_privs, so set-user-ID programs gain nothing; "
                 "add <no-new-privileges enabled=\"no\"/> if the service needs them") < 0)
                return -ENOMEM;
        if (u->private_devices && note(notes, "PrivateDevices=yes: the sandbox's /dev is minimal anyway") < 0)
                return -ENOMEM;
        if (!isempty(u->user) && u->ambient_capabilities == 0 && u->capability_bounding_set != 0 &&
            note(notes, "CapabilityBoundingSet=: with User=%s and no AmbientCapabilities=, the service has no "
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

int convert_profile(const UnitProps *u, const char *name, bool keep_unsafe, char **ret_text, char ***ret_notes) {
        _cleanup_buffer_ Buffer body = {}, text = {};
        _cleanup_strv_free_ char **notes = NULL;
        Env env = {};
        int r = 0;

        if (strv_extend(&env.vars, u->environment) < 0)
                return log_oom();
        STRV_FOREACH(f, u->environment_files)
                if ((r = env_read_file(&env, *f, &notes)) < 0)
                        goto finish;

        buffer_printf(&body, "<sandbox name=\"%s\">\n", name);
        if (!isempty(u->description)) {
                buffer_append(&body, "  <description>");
                xml_escaped(&body, u->description);
                buffer_append(&body, "</description>\n");
        }
        r = exec_element(&body, u, &env, &notes);
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
        r = filesystem_element(&body, u, &notes);
        if (r < 0)
                goto finish;
        buffer_printf(&body, "  <network mode=\"%s\"/>\n", u->private_network ? "none" : "host");
        buffer_append(&body, "  <security>\n");
        r = capabilities(&body, isempty(u->user) || streq(u->user, "root") || streq(u->user, "0") ?
                                u->capability_bounding_set : u->ambient_capabilities & u->capability_bounding_set,
                         !u->private_network, keep_unsafe, &notes);
        if (r < 0)
                goto finish;
        buffer_append(&body, "  </security>\n");
        resources_element(&body, u);
        if (u->wanted_by) {
                buffer_append(&body, "  <install wanted-by=\"sandbox.target\"/>\n");
                _cleanup_free_ char *w = strv_join(u->wanted_by, " ");
                if (!w || note(&notes, "WantedBy=%s: started at boot through sandbox.target instead", w) < 0)
                        r = -ENOMEM;
        }
        buffer_append(&body, "</sandbox>\n");
        if (r >= 0)
                r = other_notes(u, &notes);
        if (r < 0)
                goto finish;
        header(&text, u, notes);
        buffer_append(&text, body.data);
        if (body.oom || text.oom) {
                r = log_oom();
                goto finish;
        }
        *ret_text = TAKE_PTR(text.data);
        *ret_notes = TAKE_PTR(notes);
finish:
        strv_free(env.vars);
        return r == -ENOMEM ? log_oom() : r;
}
