/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A service unit read from its files, when there is no manager to ask:
 * the settings sandboxctl convert uses, parsed as systemd.syntax(7) says
 * (sections, "KEY=VALUE", "\" continuations, an empty value resetting a
 * list, quoted words), the fragment first and then its drop-ins.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cap-ng.h>

#include "buffer.h"
#include "log.h"
#include "macro.h"
#include "strv.h"
#include "unit-files.h"

#define UNIT_DIRS "/etc/systemd/system:/run/systemd/system:/usr/local/lib/systemd/system:/usr/lib/systemd/system:/lib/systemd/system"
#define UNIT_FILE_MAX (1U << 20)
#define USEC_PER_SEC UINT64_C(1000000)

typedef struct Names {
        const char *unit;     /* foo@bar.service */
        char *template;       /* foo@.service, or NULL */
        char *prefix, *instance;
} Names;

/* The words of a value: whitespace-separated, "double" or 'single'
 * quoted, with backslash escapes. */
static int split_words(const char *v, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (const char *p = v;;) {
                char *w, *o;
                char quote = 0;

                p += strspn(p, " \t");
                if (!*p)
                        break;
                w = o = malloc(strlen(p) + 1);
                if (!w)
                        return -ENOMEM;
                for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
                        if (quote && *p == quote)
                                quote = 0;
                        else if (!quote && (*p == '"' || *p == '\''))
                                quote = *p;
                        else if (*p == '\\' && p[1])
                                *o++ = *++p;
                        else
                                *o++ = *p;
                }
                *o = 0;
                if (strv_consume(&l, w) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* %i %I %n %N %p %P %% replaced; others left as they are */
static char *specifiers(const Names *n, const char *v) {
        _cleanup_buffer_ Buffer b = {};

        for (const char *p = v; *p; p++) {
                if (*p != '%' || !p[1]) {
                        buffer_append_char(&b, *p);
                        continue;
                }
                switch (*++p) {
                case 'i': case 'I': buffer_append(&b, n->instance ? n->instance : ""); break;
                case 'n': buffer_append(&b, n->unit); break;
                case 'N': buffer_append_n(&b, n->unit, strlen(n->unit) - strlen(".service")); break;
                case 'p': case 'P': buffer_append(&b, n->prefix); break;
                case '%': buffer_append_char(&b, '%'); break;
                default: buffer_append_char(&b, '%'); buffer_append_char(&b, *p); break;
                }
        }
        if (b.oom)
                return NULL;
        return b.data ? TAKE_PTR(b.data) : strdup("");
}

static uint64_t parse_usec(const char *v, uint64_t fallback) {
        char *end;
        double x;

        if (streq(v, "infinity"))
                return UINT64_MAX;
        x = strtod(v, &end);
        if (end == v)
                return fallback;
        end += strspn(end, " ");
        if (streq(end, "ms"))
                return (uint64_t) (x * 1000);
        if (streq(end, "min") || streq(end, "m"))
                return (uint64_t) (x * 60 * USEC_PER_SEC);
        if (streq(end, "h"))
                return (uint64_t) (x * 3600 * USEC_PER_SEC);
        return (uint64_t) (x * USEC_PER_SEC);
}

static uint64_t parse_bytes(const char *v) {
        char *end;
        uint64_t x;

        if (streq(v, "infinity") || !*v)
                return UINT64_MAX;
        x = strtoull(v, &end, 10);
        switch (*end) {
        case 'K': return x << 10;
        case 'M': return x << 20;
        case 'G': return x << 30;
        case 'T': return x << 40;
        default: return x;
        }
}

static bool parse_bool(const char *v) {
        return streq(v, "yes") || streq(v, "true") || streq(v, "on") || streq(v, "1");
}

/* the capabilities named (a first "~" is the caller's) */
static uint64_t parse_caps(char **words) {
        uint64_t mask = 0;

        STRV_FOREACH(w, words) {
                const char *name = *w + (w == words && **w == '~');
                int cap = capng_name_to_capability(strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name);

                if (cap >= 0 && cap < 64)
                        mask |= UINT64_C(1) << cap;
        }
        return mask;
}

/* the value of an Exec*= line as a command; "" resets the list */
static int add_command(UnitCommands *c, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        UnitCommand cmd = {};
        UnitCommand *t;
        const char *p;
        bool argv0 = false;

        if (!*v) {
                for (size_t i = 0; i < c->n; i++) {
                        free(c->items[i].path);
                        strv_free(c->items[i].argv);
                }
                c->n = 0;
                return 0;
        }
        if (split_words(v, &words) < 0 || !words || !*words)
                return words ? 0 : -ENOMEM;
        for (p = words[0]; *p && strchr("@-:+!", *p); p++) {
                if (*p == '-')
                        cmd.ignore_failure = true;
                if (*p == '@')
                        argv0 = true;
        }
        cmd.path = strdup(p);
        if (!cmd.path)
                return -ENOMEM;
        /* with "@", the second word is argv[0] */
        if (strv_extend(&cmd.argv, argv0 ? words + 1 : words) < 0 || !cmd.argv || !cmd.argv[0]) {
                free(cmd.path);
                strv_free(cmd.argv);
                return -ENOMEM;
        }
        if (!argv0) {
                free(cmd.argv[0]);
                cmd.argv[0] = strdup(cmd.path);
        }
        t = realloc(c->items, (c->n + 1) * sizeof(*t));
        if (!t || !cmd.argv[0]) {
                free(cmd.path);
                strv_free(cmd.argv);
                return -ENOMEM;
        }
        c->items = t;
        c->items[c->n++] = cmd;
        return 0;
}

/* a list setting: "" resets, else the words are added */
static int add_words(char ***l, const char *v) {
        _cleanup_strv_free_ char **words = NULL;

        if (!*v) {
                strv_free(*l);
                *l = NULL;
                return 0;
        }
        if (split_words(v, &words) < 0)
                return -ENOMEM;
        return strv_extend(l, words);
}

static int set_string(char **field, const char *v) {
        free(*field);
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

static int add_binds(UnitBinds *b, const char *v) {
        _cleanup_strv_free_ char **words = NULL;

        if (split_words(v, &words) < 0)
                return -ENOMEM;
        STRV_FOREACH(w, words) {
                char *src = *w + (**w == '-'), *colon = strchr(src, ':');
                UnitBind *t = realloc(b->items, (b->n + 1) * sizeof(*t));

                if (!t)
                        return -ENOMEM;
                b->items = t;
                if (colon)
                        *colon = 0;
                t[b->n] = (UnitBind) { strdup(src), strdup(colon ? colon + 1 : src), **w == '-' };
                if (colon && strchr(t[b->n].target, ':'))
                        *strchr(t[b->n].target, ':') = 0;
                if (!t[b->n].source || !t[b->n].target)
                        return -ENOMEM;
                b->n++;
        }
        return 0;
}

static int apply(UnitProps *u, const char *section, const char *key, const char *v) {
        _cleanup_strv_free_ char **words = NULL;

        if (streq(section, "Unit"))
                return streq(key, "Description") ? set_string(&u->description, v) : 0;
        if (streq(section, "Install"))
                return streq(key, "WantedBy") ? add_words(&u->wanted_by, v) : 0;
        if (!streq(section, "Service"))
                return 0;
        if (streq(key, "ExecStart")) return add_command(&u->exec_start, v);
        if (streq(key, "ExecStartPre")) return add_command(&u->exec_start_pre, v);
        if (streq(key, "ExecStartPost")) return add_command(&u->exec_start_post, v);
        if (streq(key, "ExecReload")) return add_command(&u->exec_reload, v);
        if (streq(key, "ExecStop")) return add_command(&u->exec_stop, v);
        if (streq(key, "ExecStopPost")) return add_command(&u->exec_stop_post, v);
        if (streq(key, "ExecCondition")) return add_command(&u->exec_condition, v);
        if (streq(key, "Type")) return set_string(&u->type, v);
        if (streq(key, "Restart")) return set_string(&u->restart, v);
        if (streq(key, "User")) return set_string(&u->user, v);
        if (streq(key, "Group")) return set_string(&u->group, v);
        if (streq(key, "WorkingDirectory")) return set_string(&u->working_directory, v);
        if (streq(key, "RootDirectory")) return set_string(&u->root_directory, v);
        if (streq(key, "PIDFile")) return set_string(&u->pid_file, v);
        if (streq(key, "ProtectSystem")) return set_string(&u->protect_system, v);
        if (streq(key, "ProtectHome")) return set_string(&u->protect_home, v);
        if (streq(key, "KillMode")) return set_string(&u->kill_mode, v);
        if (streq(key, "SyslogIdentifier")) return set_string(&u->syslog_identifier, v);
        if (streq(key, "SupplementaryGroups")) return add_words(&u->supplementary_groups, v);
        if (streq(key, "Environment")) return add_words(&u->environment, v);
        if (streq(key, "EnvironmentFile")) return *v ? strv_append(&u->environment_files, v) : add_words(&u->environment_files, v);
        if (streq(key, "StateDirectory")) return add_words(&u->state_directory, v);
        if (streq(key, "CacheDirectory")) return add_words(&u->cache_directory, v);
        if (streq(key, "LogsDirectory")) return add_words(&u->logs_directory, v);
        if (streq(key, "RuntimeDirectory")) return add_words(&u->runtime_directory, v);
        if (streq(key, "ConfigurationDirectory")) return add_words(&u->configuration_directory, v);
        if (streq(key, "ReadWritePaths")) return add_words(&u->read_write_paths, v);
        if (streq(key, "ReadOnlyPaths")) return add_words(&u->read_only_paths, v);
        if (streq(key, "InaccessiblePaths")) return add_words(&u->inaccessible_paths, v);
        if (streq(key, "NoExecPaths")) return add_words(&u->no_exec_paths, v);
        if (streq(key, "ExecPaths")) return add_words(&u->exec_paths, v);
        if (streq(key, "BindPaths")) return add_binds(&u->bind_paths, v);
        if (streq(key, "BindReadOnlyPaths")) return add_binds(&u->bind_read_only_paths, v);
        if (streq(key, "SystemCallFilter")) return add_words(&u->system_call_filter, v);
        if (streq(key, "RestrictAddressFamilies")) return add_words(&u->restrict_address_families, v);
        if (streq(key, "RuntimeDirectoryMode")) return u->runtime_directory_mode = (uint32_t) strtoul(v, NULL, 8), 0;
        if (streq(key, "UMask")) return u->umask = (uint32_t) strtoul(v, NULL, 8), 0;
        if (streq(key, "Nice")) return u->nice = (int32_t) strtol(v, NULL, 10), 0;
        if (streq(key, "OOMScoreAdjust")) return u->oom_score_adjust = (int32_t) strtol(v, NULL, 10), 0;
        if (streq(key, "PrivateTmp")) return u->private_tmp = parse_bool(v), 0;
        if (streq(key, "PrivateNetwork")) return u->private_network = parse_bool(v), 0;
        if (streq(key, "PrivateDevices")) return u->private_devices = parse_bool(v), 0;
        if (streq(key, "PrivateUsers")) return u->private_users = parse_bool(v), 0;
        if (streq(key, "NoNewPrivileges")) return u->no_new_privileges = parse_bool(v), 0;
        if (streq(key, "DynamicUser")) return u->dynamic_user = parse_bool(v), 0;
        if (streq(key, "RemainAfterExit")) return u->remain_after_exit = parse_bool(v), 0;
        if (streq(key, "MemoryDenyWriteExecute")) return u->memory_deny_write_execute = parse_bool(v), 0;
        if (streq(key, "ProtectKernelTunables")) return u->protect_kernel_tunables = parse_bool(v), 0;
        if (streq(key, "ProtectControlGroups")) return u->protect_control_groups = parse_bool(v), 0;
        if (streq(key, "ProtectClock")) return u->protect_clock = parse_bool(v), 0;
        if (streq(key, "MemoryMax")) return u->memory_max = parse_bytes(v), 0;
        if (streq(key, "TasksMax")) return u->tasks_max = streq(v, "infinity") ? UINT64_MAX : strtoull(v, NULL, 10), 0;
        if (streq(key, "CPUQuota")) return u->cpu_quota_per_sec_usec = strtoull(v, NULL, 10) * 10000, 0;
        if (streq(key, "IOWeight")) return u->io_weight = strtoull(v, NULL, 10), 0;
        if (streq(key, "RestartSec")) return u->restart_usec = parse_usec(v, u->restart_usec), 0;
        if (streq(key, "TimeoutStartSec")) return u->timeout_start_usec = parse_usec(v, u->timeout_start_usec), 0;
        if (streq(key, "TimeoutStopSec")) return u->timeout_stop_usec = parse_usec(v, u->timeout_stop_usec), 0;
        if (streq(key, "TimeoutSec")) {
                u->timeout_start_usec = u->timeout_stop_usec = parse_usec(v, u->timeout_start_usec);
                return 0;
        }
        if (streq(key, "CapabilityBoundingSet") || streq(key, "AmbientCapabilities")) {
                uint64_t *field = key[0] == 'C' ? &u->capability_bounding_set : &u->ambient_capabilities;

                if (split_words(v, &words) < 0)
                        return -ENOMEM;
                /* lines add up; "~" takes away; the bounding set is all
                 * until its first line, "" empties either */
                if (!words || !*words)
                        *field = 0;
                else if (words[0][0] == '~')
                        *field &= ~parse_caps(words);
                else
                        *field = (*field == UINT64_MAX ? 0 : *field) | parse_caps(words);
                return 0;
        }
        return 0;
}

static int parse_file(UnitProps *u, const Names *n, const char *path) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        _cleanup_free_ char *line = NULL, *logical = NULL;
        char section[64] = "";
        size_t size = 0, total = 0;
        ssize_t k;

        if (!f)
                return log_error_errno(-errno, "convert: %s: %m", path);
        while ((k = getline(&line, &size, f)) > 0) {
                char *l = line, *eq;
                size_t len;

                total += (size_t) k;
                if (total > UNIT_FILE_MAX)
                        return log_error_errno(-EFBIG, "convert: %s: too large", path);
                l[strcspn(l, "\r\n")] = 0;
                len = strlen(l);
                /* a "\" at the end continues the line */
                if (logical) {
                        char *j;
                        if (asprintf(&j, "%s %s", logical, l + strspn(l, " \t")) < 0)
                                return log_oom();
                        free(logical);
                        logical = j;
                } else if (!(logical = strdup(l)))
                        return log_oom();
                if (len > 0 && l[len - 1] == '\\') {
                        logical[strlen(logical) - 1] = 0;
                        continue;
                }
                l = logical + strspn(logical, " \t");
                if (*l == '#' || *l == ';' || !*l)
                        ;
                else if (*l == '[')
                        snprintf(section, sizeof(section), "%.*s", (int) strcspn(l + 1, "]"), l + 1);
                else if ((eq = strchr(l, '='))) {
                        _cleanup_free_ char *value = NULL;
                        char *key = l, *end = eq;

                        while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
                                end--;
                        *end = 0;
                        value = specifiers(n, eq + 1 + strspn(eq + 1, " \t"));
                        if (!value || apply(u, section, key, value) < 0)
                                return log_oom();
                }
                free(logical);
                logical = NULL;
        }
        return 0;
}

/* the first DIR/name along dirs that exists: its path, or NULL */
static char *find_first(char * const *dirs, const char *name) {
        STRV_FOREACH(d, dirs) {
                char *p;
                struct stat st;

                if (asprintf(&p, "%s/%s", *d, name) < 0)
                        return NULL;
                if (lstat(p, &st) == 0)
                        return p;
                free(p);
        }
        return NULL;
}

/* the drop-ins of name.d/ along dirs, each file name's first, by name */
static int dropins(char * const *dirs, const char *name, char ***paths) {
        _cleanup_strv_free_ char **seen = NULL;

        STRV_FOREACH(d, dirs) {
                _cleanup_closedir_ DIR *dir = NULL;
                char dpath[4200];
                struct dirent *e;

                snprintf(dpath, sizeof(dpath), "%s/%s.d", *d, name);
                dir = opendir(dpath);
                while (dir && (e = readdir(dir))) {
                        size_t n = strlen(e->d_name);
                        char *p;

                        if (n < 6 || !streq(e->d_name + n - 5, ".conf") || strv_contains(seen, e->d_name))
                                continue;
                        if (strv_append(&seen, e->d_name) < 0 || asprintf(&p, "%s/%s", dpath, e->d_name) < 0 ||
                            strv_consume(paths, p) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static int by_basename(const void *a, const void *b) {
        const char *x = strrchr(*(char * const *) a, '/'), *y = strrchr(*(char * const *) b, '/');
        return strcmp(x, y);
}

static void defaults(UnitProps *u) {
        u->capability_bounding_set = UINT64_MAX;
        u->memory_max = u->tasks_max = u->cpu_quota_per_sec_usec = u->io_weight = UINT64_MAX;
        u->restart_usec = 100000;
        u->timeout_start_usec = u->timeout_stop_usec = 90 * USEC_PER_SEC;
        u->default_timeout_start_usec = u->default_timeout_stop_usec = 90 * USEC_PER_SEC;
        u->restrict_namespaces = UINT64_MAX;
        u->umask = 0022;
        u->runtime_directory_mode = 0755;
}

int unit_props_from_files(const char *unit, UnitProps *ret, char **ret_source, size_t *ret_dropins) {
        _cleanup_strv_free_ char **dirs = NULL, **paths = NULL;
        _cleanup_free_ char *fragment = NULL, *template = NULL, *socket = NULL, *prefix = NULL, *socket_path = NULL;
        char target[16];
        ssize_t k;
        const char *at = strchr(unit, '@'), *search = getenv("SYSTEMD_UNIT_PATH");
        UnitProps u = {};
        Names n = { .unit = unit };
        int r = -ENOMEM;

        if (strv_split(search && *search ? search : UNIT_DIRS, ":", &dirs) < 0)
                return log_oom();
        prefix = strndup(unit, at ? (size_t) (at - unit) : strlen(unit) - 8);
        if (!prefix)
                return log_oom();
        n.prefix = prefix;
        if (at) {
                n.instance = strndup(at + 1, strlen(at + 1) - 8);
                if (asprintf(&template, "%s@.service", prefix) < 0 || !n.instance)
                        goto finish;
        }
        defaults(&u);
        if (!(u.id = strdup(unit)))
                goto finish;
        fragment = find_first(dirs, unit);
        if (!fragment && template)
                fragment = find_first(dirs, template);
        if (!fragment) {
                r = set_string(&u.load_state, "not-found");
                goto done;
        }
        k = readlink(fragment, target, sizeof(target) - 1);
        if (k == 9 && strncmp(target, "/dev/null", 9) == 0) {
                r = set_string(&u.load_state, "masked");
                goto done;
        }
        if (set_string(&u.load_state, "loaded") < 0 || set_string(&u.type, "simple") < 0 ||
            set_string(&u.restart, "no") < 0 || set_string(&u.fragment_path, fragment) < 0)
                goto finish;
        r = parse_file(&u, &n, fragment);
        if (r < 0)
                goto finish;
        r = -ENOMEM;
        if ((template && dropins(dirs, template, &paths) < 0) || dropins(dirs, unit, &paths) < 0)
                goto finish;
        if (paths)
                qsort(paths, strv_length(paths), sizeof(char *), by_basename);
        STRV_FOREACH(p, paths)
                if ((r = parse_file(&u, &n, *p)) < 0)
                        goto finish;
        r = -ENOMEM;
        /* a socket of the same name activates it */
        if (asprintf(&socket, "%s.socket", prefix) < 0)
                goto finish;
        socket_path = find_first(dirs, socket);
        if (socket_path && strv_append(&u.triggered_by, socket) < 0)
                goto finish;
        r = 0;
done:
        *ret_dropins = strv_length(paths);
        *ret_source = TAKE_PTR(fragment);
        *ret = u;
        u = (UnitProps) {};
finish:
        free(n.instance);
        unit_props_done(&u);
        return r == -ENOMEM ? log_oom() : r;
}
