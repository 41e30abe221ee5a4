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
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "convert-widen.h"
#include "log.h"
#include "macro.h"
#include "regular-file.h"
#include "strv.h"
#include "trusted-dirs.h"
#include "unit-files.h"
#include "unit-settings.h"
#include "unit-values.h"
#include "unit-words.h"

#define UNIT_DIRS "/etc/systemd/system:/run/systemd/system:/usr/local/lib/systemd/system:/usr/lib/systemd/system:/lib/systemd/system"
#define UNIT_FILE_MAX (1U << 20)
#define USEC_PER_SEC UINT64_C(1000000)

/* the value of an Exec*= line as a command; "" resets the list */
static int add_command(const Names *n, UnitCommands *c, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        int r;
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
        r = unit_split_words(n, v, &words);
        if (r < 0)
                return r;
        if (!words || !*words)
                return 0;
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
static int add_words(const Names *n, char ***l, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if (!*v) {
                strv_free(*l);
                *l = NULL;
                return 0;
        }
        if ((r = unit_split_words(n, v, &words)) < 0)
                return r;
        return strv_extend(l, words);
}

static int set_string(char **field, const char *v) {
        free(*field);
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

/* a string setting, its specifiers resolved */
static int set_spec(const Names *n, char **field, const char *v) {
        char *e;
        int r;

        r = unit_specifiers(n, v, &e);
        if (r < 0)
                return r;
        free(*field);
        *field = e;
        return 0;
}

static int add_binds(const Names *n, UnitBinds *b, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if ((r = unit_split_words(n, v, &words)) < 0)
                return r;
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

/* A confining setting without an element of its own (convert-widen.h),
 * or a Limit*=: "KEY=VALUE" into u->confining, the last line winning; a
 * value that does not confine (empty, "no", the default) takes it out */
static int record_confining(UnitProps *u, const char *key, const char *v) {
        const ConfiningSetting *c = confining_setting(key);
        size_t k = strlen(key);
        bool list = false;
        char *e;

        /* a list that passes through (IOReadBandwidthMax=) adds up, line
         * by line, until an empty one */
        (void) unit_setting_allowed(key, NULL, &list);
        /* RestrictAddressFamilies= lines add to or take from the first
         * one's list: kept all, ";" between them (convert-widen.c) */
        /* NoExecPaths= and ExecPaths= lines add up, " " between them */
        if ((streq(key, "RestrictAddressFamilies") || streq(key, "NoExecPaths") || streq(key, "ExecPaths")) && *v)
                for (char **i = u->confining; i && *i; i++)
                        if (strncmp(*i, key, k) == 0 && (*i)[k] == '=') {
                                if (asprintf(&e, "%s%s%s", *i, key[0] == 'R' ? ";" : " ", v) < 0)
                                        return -ENOMEM;
                                free(*i);
                                *i = e;
                                return 0;
                        }
        for (char **i = u->confining; (!list || !*v) && i && *i;)
                if (strncmp(*i, key, k) == 0 && (*i)[k] == '=') {
                        free(*i);
                        /* the vector stays whole: the last entry moves here */
                        *i = u->confining[strv_length(u->confining) - 1];
                        u->confining[strv_length(u->confining) - 1] = NULL;
                } else
                        i++;
        /* a boolean that does not say no confines, or is ignored after
         * the line before it: kept either way */
        if (!*v || (c && streq(c->signature, "b") && unit_parse_boolean(v) == 0) || (c && c->unset && streq(v, c->unset)))
                return 0;
        if (asprintf(&e, "%s=%s", key, v) < 0)
                return -ENOMEM;
        return strv_consume(&u->confining, e);
}

/* "PATH RWM" of DeviceAllow= as "PATH:RWM"; the label settings' "-" kept */
static int add_device(const Names *n, UnitProps *u, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        int r;
        char *e;

        if (!*v)
                return add_words(n, &u->device_allow, v);
        if ((r = unit_split_words(n, v, &words)) < 0)
                return r;
        if (!words || !words[0])
                return 0;
        if (asprintf(&e, "%s:%s", words[0], words[1] ? words[1] : "rwm") < 0)
                return -ENOMEM;
        return strv_consume(&u->device_allow, e);
}

/* "ID:DATA" as it is when DATA has no escape or specifier to resolve
 * ("\\", "%"), else "ID" alone: not carried as it is */
static int add_credential(const Names *n, char ***l, const char *v) {
        const char *colon = strchr(v, ':');
        char *id;

        if (!*v)
                return add_words(n, l, v);
        if (colon && !strpbrk(v, "\\%"))
                return strv_append(l, v);
        id = strndup(v, colon ? (size_t) (colon - v) : strlen(v));
        return id ? strv_consume(l, id) : -ENOMEM;
}

static int apply(UnitProps *u, const Names *n, const char *section, const char *key, const char *v) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if (streq(section, "Unit")) {
                if (streq(key, "After")) return add_words(n, &u->after, v);
                if (streq(key, "Before")) return add_words(n, &u->before, v);
                if (streq(key, "Wants")) return add_words(n, &u->wants, v);
                if (streq(key, "Requires")) return add_words(n, &u->requires, v);
                if (streq(key, "PartOf")) return add_words(n, &u->part_of, v);
                if (streq(key, "BindsTo")) return add_words(n, &u->binds_to, v);
                return streq(key, "Description") ? set_spec(n, &u->description, v) : 0;
        }
        if (streq(section, "Install"))
                return streq(key, "WantedBy") ? add_words(n, &u->wanted_by, v) : 0;
        /* of a socket unit, read for the service it starts */
        if (streq(section, "Socket") && streq(key, "Accept")) {
                bool yes = unit_parse_bool(v);

                if (yes == strv_contains(u->accept_sockets, n->unit))
                        return 0;
                if (yes)
                        return strv_append(&u->accept_sockets, n->unit);
                strv_free(u->accept_sockets); /* only ever this socket's */
                u->accept_sockets = NULL;
                return 0;
        }
        if (!streq(section, "Service"))
                return 0;
        if (confining_setting(key) || (strncmp(key, "Limit", 5) == 0 && key[5]))
                return record_confining(u, key, v);
        if (streq(key, "KillSignal")) return u->kill_signal = unit_signal_number(v), 0;
        if (streq(key, "WatchdogSec")) return u->watchdog_usec = unit_parse_usec(v, u->watchdog_usec), 0;
        if (streq(key, "LoadCredential")) return add_words(n, &u->load_credential, v);
        if (streq(key, "SetCredential")) return add_credential(n, &u->set_credential, v);
        if (streq(key, "IPAddressAllow")) return add_words(n, &u->ip_address_allow, v);
        if (streq(key, "IPAddressDeny")) return add_words(n, &u->ip_address_deny, v);
        if (streq(key, "TemporaryFileSystem")) return add_words(n, &u->temporary_filesystem, v);
        if (streq(key, "DevicePolicy")) return set_spec(n, &u->device_policy, v);
        if (streq(key, "DeviceAllow")) return add_device(n, u, v);
        if (streq(key, "AppArmorProfile")) return set_spec(n, &u->apparmor_profile, v);
        if (streq(key, "SELinuxContext")) return set_spec(n, &u->selinux_context, v);
        if (streq(key, "ExecStart")) return add_command(n, &u->exec_start, v);
        if (streq(key, "ExecStartPre")) return add_command(n, &u->exec_start_pre, v);
        if (streq(key, "ExecStartPost")) return add_command(n, &u->exec_start_post, v);
        if (streq(key, "ExecReload")) return add_command(n, &u->exec_reload, v);
        if (streq(key, "ExecStop")) return add_command(n, &u->exec_stop, v);
        if (streq(key, "ExecStopPost")) return add_command(n, &u->exec_stop_post, v);
        if (streq(key, "ExecCondition")) return add_command(n, &u->exec_condition, v);
        if (streq(key, "Type")) return set_spec(n, &u->type, v);
        if (streq(key, "Restart")) return set_spec(n, &u->restart, v);
        if (streq(key, "User")) return set_spec(n, &u->user, v);
        if (streq(key, "Group")) return set_spec(n, &u->group, v);
        if (streq(key, "WorkingDirectory")) return set_spec(n, &u->working_directory, v);
        if (streq(key, "RootDirectory")) return set_spec(n, &u->root_directory, v);
        if (streq(key, "PIDFile")) return set_spec(n, &u->pid_file, v);
        if (streq(key, "BusName")) return set_spec(n, &u->bus_name, v);
        if (streq(key, "KillMode")) return set_spec(n, &u->kill_mode, v);
        if (streq(key, "SyslogIdentifier")) return set_spec(n, &u->syslog_identifier, v);
        if (streq(key, "SupplementaryGroups")) return add_words(n, &u->supplementary_groups, v);
        if (streq(key, "Environment")) return add_words(n, &u->environment, v);
        if (streq(key, "EnvironmentFile")) {
                char *e = NULL;

                /* one path, its specifiers resolved, no escapes */
                if (!*v)
                        return add_words(n, &u->environment_files, v);
                r = unit_specifiers(n, v, &e);
                return r < 0 ? r : strv_consume(&u->environment_files, e);
        }
        if (streq(key, "StateDirectory")) return add_words(n, &u->state_directory, v);
        if (streq(key, "CacheDirectory")) return add_words(n, &u->cache_directory, v);
        if (streq(key, "LogsDirectory")) return add_words(n, &u->logs_directory, v);
        if (streq(key, "RuntimeDirectory")) return add_words(n, &u->runtime_directory, v);
        if (streq(key, "ConfigurationDirectory")) return add_words(n, &u->configuration_directory, v);
        if (streq(key, "ReadWritePaths")) return add_words(n, &u->read_write_paths, v);
        if (streq(key, "ReadOnlyPaths")) return add_words(n, &u->read_only_paths, v);
        if (streq(key, "InaccessiblePaths")) return add_words(n, &u->inaccessible_paths, v);
        if (streq(key, "BindPaths")) return add_binds(n, &u->bind_paths, v);
        if (streq(key, "BindReadOnlyPaths")) return add_binds(n, &u->bind_read_only_paths, v);
        if (streq(key, "RuntimeDirectoryMode")) return u->runtime_directory_mode = (uint32_t) strtoul(v, NULL, 8), 0;
        if (streq(key, "UMask")) return u->umask = (uint32_t) strtoul(v, NULL, 8), 0;
        if (streq(key, "Nice")) return u->nice = (int32_t) strtol(v, NULL, 10), 0;
        if (streq(key, "OOMScoreAdjust")) return u->oom_score_adjust = (int32_t) strtol(v, NULL, 10), 0;
        if (streq(key, "PrivateTmp"))
                return streq(v, "disconnected") ? (u->private_tmp = true, 0) : unit_set_bool(&u->private_tmp, v);
        if (streq(key, "PrivateNetwork")) return unit_set_bool(&u->private_network, v);
        if (streq(key, "NoNewPrivileges")) return unit_set_bool(&u->no_new_privileges, v);
        if (streq(key, "DynamicUser")) return unit_set_bool(&u->dynamic_user, v);
        if (streq(key, "RemainAfterExit")) return unit_set_bool(&u->remain_after_exit, v);
        if (streq(key, "ProtectClock")) return unit_set_bool(&u->protect_clock, v);
        /* which namespaces does not matter here (convert-widen.c), only whether any is refused */
        if (streq(key, "RestrictNamespaces"))
                return u->restrict_namespaces = !*v || streq(v, "no") || streq(v, "false") ? UINT64_MAX : 0, 0;
        if (streq(key, "MemoryMax")) return unit_set_bytes(&u->memory_max, v), 0;
        if (streq(key, "TasksMax")) return u->tasks_max = streq(v, "infinity") ? UINT64_MAX : strtoull(v, NULL, 10), 0;
        if (streq(key, "CPUQuota")) return u->cpu_quota_per_sec_usec = strtoull(v, NULL, 10) * 10000, 0;
        if (streq(key, "IOWeight")) return u->io_weight = strtoull(v, NULL, 10), 0;
        if (streq(key, "RestartSec")) return u->restart_usec = unit_parse_usec(v, u->restart_usec), 0;
        if (streq(key, "TimeoutStartSec")) return u->timeout_start_usec = unit_parse_usec(v, u->timeout_start_usec), 0;
        if (streq(key, "TimeoutStopSec")) return u->timeout_stop_usec = unit_parse_usec(v, u->timeout_stop_usec), 0;
        if (streq(key, "TimeoutSec")) {
                u->timeout_start_usec = u->timeout_stop_usec = unit_parse_usec(v, u->timeout_start_usec);
                return 0;
        }
        if (streq(key, "CapabilityBoundingSet") || streq(key, "AmbientCapabilities")) {
                uint64_t *field = key[0] == 'C' ? &u->capability_bounding_set : &u->ambient_capabilities;

                if ((r = unit_split_words(n, v, &words)) < 0)
                        return r;
                /* lines add up; "~" takes away; the bounding set is all
                 * until its first line, "" empties either */
                if (!words || !*words)
                        *field = 0;
                else if (words[0][0] == '~')
                        *field &= ~unit_parse_caps(words);
                else
                        *field = (*field == UINT64_MAX ? 0 : *field) | unit_parse_caps(words);
                return 0;
        }
        return 0;
}

static int parse_file(UnitProps *u, const Names *names, const char *path) {
        _cleanup_free_ char *text = NULL;
        _cleanup_buffer_ Buffer logical = {};
        Names n = *names;
        char section[64] = "";
        unsigned first = 1;
        bool continued = false;
        int r;

        /* bounded, a regular file only (a unit linked to /dev/zero or a
         * FIFO is refused, not read forever), a read error an error */
        r = read_regular_file(path, UNIT_FILE_MAX, &text, NULL, NULL);
        if (r == -EBADFD)
                return log_error_errno(r, "convert: %s: not a regular file", path);
        if (r == -EFBIG)
                return log_error_errno(r, "convert: %s: larger than %u bytes", path, UNIT_FILE_MAX);
        if (r < 0)
                return log_error_errno(r, "convert: %s: %m", path);
        n.file = path;
        n.line = 0;
        for (char *l = text, *next; l; l = next) {
                char *eq;
                size_t len;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                n.line++;
                l[strcspn(l, "\r")] = 0;
                len = strlen(l);
                /* a "\" at the end continues the line: appended to, not
                 * copied again for each of its lines (a megabyte of them
                 * would take minutes) */
                if (continued) {
                        buffer_append_char(&logical, ' ');
                        buffer_append(&logical, l + strspn(l, " \t"));
                } else {
                        logical.len = 0;
                        buffer_append(&logical, l);
                        first = n.line;
                }
                if (logical.oom)
                        return log_oom();
                continued = len > 0 && l[len - 1] == '\\';
                if (continued) {
                        logical.data[--logical.len] = 0;
                        continue;
                }
                l = logical.data + strspn(logical.data, " \t");
                if (*l == '#' || *l == ';' || !*l)
                        ;
                else if (*l == '[')
                        snprintf(section, sizeof(section), "%.*s", (int) strcspn(l + 1, "]"), l + 1);
                else if ((eq = strchr(l, '='))) {
                        char *key = l, *end = eq;
                        unsigned last = n.line;

                        while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
                                end--;
                        *end = 0;
                        n.line = first;
                        r = apply(u, &n, section, key, eq + 1 + strspn(eq + 1, " \t"));
                        n.line = last;
                        if (r == -ENOMEM)
                                return log_oom();
                        if (r < 0)
                                return r;
                }
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
        const char *at = strchr(unit, '@');
        UnitProps u = {};
        Names n = { .unit = unit };
        int r = -ENOMEM;

        if (convert_search_dirs("SYSTEMD_UNIT_PATH", UNIT_DIRS, &dirs) < 0)
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
        n.fragment = fragment;
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
        if (strv_extend(&u.dropin_paths, paths) < 0) {
                r = -ENOMEM;
                goto finish;
        }
        r = -ENOMEM;
        /* a socket of the same name activates it */
        if (asprintf(&socket, "%s.socket", prefix) < 0)
                goto finish;
        socket_path = find_first(dirs, socket);
        if (socket_path && strv_append(&u.triggered_by, socket) < 0)
                goto finish;
        if (socket_path) {
                _cleanup_strv_free_ char **socket_dropins = NULL;
                UnitProps s = {};
                Names sn = { .unit = socket, .prefix = prefix };

                r = dropins(dirs, socket, &socket_dropins) < 0 ? -ENOMEM : parse_file(&s, &sn, socket_path);
                STRV_FOREACH(p, socket_dropins)
                        if (r >= 0)
                                r = parse_file(&s, &sn, *p);
                u.accept_sockets = TAKE_PTR(s.accept_sockets);
                unit_props_done(&s);
                if (r < 0)
                        goto finish;
        }
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
