/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One handler per element of sandbox.profile(5). Each reads its
 * attributes, checks what the schema cannot (paths, sizes, names), and
 * stores the result in the Profile. Messages say what is wrong and what
 * is allowed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>

#include "interfaces.h"
#include "names.h"
#include "paths.h"
#include "profile-parse.h"
#include "quantities.h"
#include "runtime-share.h"
#include "state-image.h"
#include "strv.h"
#include "unit-settings.h"

static char *size_attr(ParseContext *c, xmlNodePtr n, const char *name, bool infinity_ok) {
        char *v = attr(n, name);
        uint64_t bytes;

        int r;

        if (!v || (infinity_ok && streq(v, "infinity")) || (r = parse_size(v, &bytes)) >= 0)
                return v;
        if (r == -ERANGE)
                problem(c, n, "%s \"%s\" is too large; allowed: at most 16E (2^64 - 1 bytes)", name, v);
        else
                problem(c, n, "%s \"%s\" is not a valid size; allowed: a whole number of bytes more than 0, "
                "optionally with K, M, G or T (1024-based)%s", name, v, infinity_ok ? ", or \"infinity\"" : "");
        free(v);
        return NULL;
}

static char *timespan_attr(ParseContext *c, xmlNodePtr n, const char *name) {
        char *v = attr(n, name);

        if (!v || parse_timespan(v) >= 0)
                return v;
        problem(c, n, "%s \"%s\" is not a valid time span; allowed: \"infinity\" or numbers with units "
                "as in systemd.time(7) (us, ms, s, min, h, d, w, M, y; seconds without a unit), e.g. \"1min 30s\"", name, v);
        free(v);
        return NULL;
}

static char *user_attr(ParseContext *c, xmlNodePtr n, const char *name) {
        char *v = attr(n, name);

        if (!v || user_name_is_valid(v))
                return v;
        problem(c, n, "%s \"%s\" is not a valid user or group name; allowed: a name of letters, digits, "
                "\"_\", \".\", \"-\" (not starting with a digit or \"-\"), or a numeric id", name, v);
        free(v);
        return NULL;
}

static void parse_env(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *name = attr(n, "name"), *value = attr(n, "value"), *entry = NULL;
        size_t k;

        if (!name || !value)
                return;
        if (!env_name_is_valid(name)) {
                problem(c, n, "name \"%s\" is not a valid variable name; allowed: letters, digits and \"_\", not starting with a digit", name);
                return;
        }
        /* NOTIFY_SOCKET=/etc was a host path bound into the sandbox */
        if (env_name_is_reserved(name)) {
                problem(c, n, "%s is set by systemd and the sandbox, not by a profile", name);
                return;
        }
        if (!text_is_printable(value)) {
                problem(c, n, "value of %s contains a control character (such as a newline); allowed: printable text", name);
                return;
        }
        if (asprintf(&entry, "%s=%s", name, value) < 0) {
                c->diags->error = -ENOMEM;
                return;
        }
        /* a later definition of the same variable replaces the earlier one */
        k = strlen(name);
        for (char **e = c->profile->environment; e && *e; e++)
                if (strncmp(*e, name, k) == 0 && (*e)[k] == '=') {
                        replace(e, TAKE_PTR(entry));
                        return;
                }
        if (strv_consume(&c->profile->environment, TAKE_PTR(entry)) < 0)
                c->diags->error = -ENOMEM;
}

/* A reference only: the file is read at each start, by systemd (the
 * drop-in's EnvironmentFile=) or by "sandboxctl run", never copied in */
static void parse_environment_file(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *path = path_attr(c, n, "path"), *entry = NULL;

        if (!path)
                return;
        /* systemd expands these as a glob; a path here names one file */
        if (strpbrk(path, "*?[")) {
                problem(c, n, "path \"%s\" has a glob character (* ? [); allowed: the path of one file", path);
                return;
        }
        /* a unit file's line would lose them */
        if (strchr(" \t\\", path[strlen(path) - 1])) {
                problem(c, n, "path \"%s\" ends in a space or \"\\\"; allowed: a path that does not", path);
                return;
        }
        if (asprintf(&entry, "%s%s", yes(n, "optional", false) ? "-" : "", path) < 0) {
                c->diags->error = -ENOMEM;
                return;
        }
        /* the same file twice would be read twice: once is enough */
        if (!strv_contains(c->profile->environment_files, entry) &&
            strv_consume(&c->profile->environment_files, TAKE_PTR(entry)) < 0)
                c->diags->error = -ENOMEM;
}

static void parse_exec(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_strv_free_ char **argv = NULL, **groups = NULL;
        _cleanup_free_ bool *expand = NULL;
        bool first = true, any_expand = false;
        char *v;

        p->exec_origin = (Origin) { c->file, line_of(n) };
        if ((v = user_attr(c, n, "user")))
                replace(&p->user, v);
        if ((v = user_attr(c, n, "group")))
                replace(&p->group, v);
        if ((v = path_attr(c, n, "workdir")))
                replace(&p->workdir, v);

        for (xmlNodePtr k = n->children; k; k = k->next) {
                if (is(k, "arg")) {
                        _cleanup_free_ char *a = text_of(k);

                        bool command = first;

                        first = false;
                        if (!a)
                                continue;
                        if (command && a[0] != '/') {
                                problem(c, k, "the command \"%s\" must be an absolute path", a);
                                continue;
                        }
                        if (command && !path_is_normalized_absolute(a)) {
                                problem(c, k, "the command \"%s\" is not a normalised path; it must be " PATH_RULE, a);
                                continue;
                        }
                        if (strchr(a, '\n') || strchr(a, '\r')) {
                                problem(c, k, "argument contains a line break; allowed: any text on one line");
                                continue;
                        }
                        bool e = yes(k, "expand", false);
                        /* the program is the profile's, never the environment's */
                        if (command && e) {
                                problem(c, k, "the command \"%s\" cannot be expanded; expand=\"yes\" is for its arguments", a);
                                continue;
                        }
                        size_t n = strv_length(argv);
                        bool *t = realloc(expand, (n + 1) * sizeof(bool));

                        if (!t || strv_consume(&argv, TAKE_PTR(a)) < 0) {
                                c->diags->error = -ENOMEM;
                                continue;
                        }
                        expand = t;
                        expand[n] = e;
                        any_expand = any_expand || e;
                } else if (is(k, "env"))
                        parse_env(c, k);
                else if (is(k, "environment-file"))
                        parse_environment_file(c, k);
                else if (is(k, "supplementary-group")) {
                        char *g = user_attr(c, k, "name");

                        if (g && strv_consume(&groups, g) < 0)
                                c->diags->error = -ENOMEM;
                }
        }
        /* an <exec> with arguments says the whole command line */
        if (argv) {
                strv_free(p->argv);
                p->argv = TAKE_PTR(argv);
                free(p->argv_expand);
                p->argv_expand = any_expand ? TAKE_PTR(expand) : NULL;
        }
        if (groups) {
                strv_free(p->supplementary_groups);
                p->supplementary_groups = TAKE_PTR(groups);
        }
}

static void parse_service(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *type = attr(n, "type");
        char *v;

        p->service_origin = (Origin) { c->file, line_of(n) };
        if (type && service_type_from_string(type) >= 0)
                p->service_type = (ServiceType) service_type_from_string(type);
        if ((v = attr(n, "restart")))
                replace(&p->restart, v);
        if ((v = timespan_attr(c, n, "restart-sec")))
                replace(&p->restart_sec, v);
        if ((v = timespan_attr(c, n, "timeout-start-sec")))
                replace(&p->timeout_start_sec, v);
        if ((v = timespan_attr(c, n, "timeout-stop-sec")))
                replace(&p->timeout_stop_sec, v);
        if ((v = attr(n, "fd-store"))) {
                uint64_t max;

                if (parse_uint_range(v, 1, FD_STORE_MAX, &max) >= 0)
                        replace(&p->fd_store, v);
                else {
                        problem(c, n, "fd-store \"%s\" is not a number of file descriptors; allowed: 1 to %d", v,
                                FD_STORE_MAX);
                        free(v);
                }
        }
}

static void parse_root(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *type = attr(n, "type"), *raw = attr(n, "path");
        char *path = path_attr(c, n, "path");

        if (!type)
                free(path);
        else if (streq(type, "host")) {
                if (raw)
                        problem(c, n, "type=\"host\" takes no path; use type=\"directory\" for a root of its own");
                free(path);
                c->profile->root_type = ROOT_HOST;
                replace(&c->profile->root_directory, NULL);
        } else if (streq(type, "directory")) {
                if (!raw)
                        problem(c, n, "type=\"directory\" needs path=\"/the/root/directory\"");
                else if (path && streq(path, "/"))
                        problem(c, n, "path \"/\" is the host root; use type=\"host\"");
                c->profile->root_type = ROOT_DIRECTORY;
                replace(&c->profile->root_directory, path);
        } else
                free(path);
}

static void add_mount(ParseContext *c, xmlNodePtr n, ProfileMount m) {
        Profile *p = c->profile;
        ProfileMount *t = realloc(p->mounts, (p->n_mounts + 1) * sizeof(*t));

        if (!t) {
                free(m.source), free(m.target), free(m.tag), free(m.size);
                c->diags->error = -ENOMEM;
                return;
        }
        m.origin = (Origin) { c->file, line_of(n) };
        p->mounts = t;
        p->mounts[p->n_mounts++] = m;
}

static void parse_bind_or_image(ParseContext *c, xmlNodePtr n, MountKind kind) {
        _cleanup_free_ char *raw_target = attr(n, "target");
        ProfileMount m = { .kind = kind, .readonly = yes(n, "readonly", kind == MOUNT_BIND) };

        m.source = path_attr(c, n, "source");
        m.target = path_attr(c, n, "target");
        if (!m.target && !raw_target && kind == MOUNT_BIND && m.source)
                m.target = strdup(m.source);
        if (!m.source || !m.target) {
                free(m.source), free(m.target);
                return;
        }
        add_mount(c, n, m);
}

static void parse_tmpfs(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *mode = attr(n, "mode");
        ProfileMount m = { .kind = MOUNT_TMPFS };
        bool ok = true;

        m.target = path_attr(c, n, "target");
        m.size = size_attr(c, n, "size", false);
        if (mode) {
                if (parse_mode(mode, &m.mode) < 0) {
                        problem(c, n, "mode \"%s\" is not a valid file mode; allowed: octal from 0 to 7777, e.g. \"0755\"", mode);
                        ok = false;
                } else
                        m.has_mode = true;
        }
        if (!m.target || !ok) {
                free(m.target), free(m.size);
                return;
        }
        add_mount(c, n, m);
}

static void parse_block(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *tag = attr(n, "tag");
        ProfileMount m = { .kind = MOUNT_BLOCK, .readonly = yes(n, "readonly", false) };

        m.source = path_attr(c, n, "source");
        if (m.source && (streq(m.source, "/dev") || !path_is_at_or_below(m.source, "/dev"))) {
                problem(c, n, "source \"%s\" is not a device path; allowed: a block device under /dev", m.source);
                replace(&m.source, NULL);
        }
        if (tag && !tag_is_valid(tag)) {
                problem(c, n, "tag \"%s\" is not valid; allowed: " NAME_RULE, tag);
                replace(&tag, NULL);
        }
        if (!m.source || !tag) {
                free(m.source);
                return;
        }
        if (asprintf(&m.target, "/dev/disk/by-tag/%s", tag) < 0) {
                free(m.source);
                c->diags->error = -ENOMEM;
                return;
        }
        m.tag = TAKE_PTR(tag);
        add_mount(c, n, m);
}

static void parse_mask(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        char *path = path_attr(c, n, "path");
        ProfileMask *t;

        if (!path)
                return;
        if (streq(path, "/")) {
                problem(c, n, "path \"/\" cannot be masked; mask a file or directory below it");
                free(path);
                return;
        }
        t = realloc(p->masks, (p->n_masks + 1) * sizeof(*t));
        if (!t) {
                free(path);
                c->diags->error = -ENOMEM;
                return;
        }
        p->masks = t;
        p->masks[p->n_masks++] = (ProfileMask) { path, { c->file, line_of(n) } };
}

/* share="host": /run/NAME of the host's, bound at the same path, so
 * that the host's clients find the service's sockets where they always
 * did. Only a plain name of the service's own (runtime-share.h). */
static void parse_shared_directory(ParseContext *c, xmlNodePtr n, const char *name, unsigned mode, const char *share) {
        Profile *p = c->profile;
        _cleanup_free_ char *user = NULL, *group = NULL;
        ProfileSharedDir *t;
        const char *why;
        char *copy;

        if (!streq(share, "host")) {
                problem(c, n, "share \"%s\" is not valid; allowed: \"host\" (/run/NAME of the host's, bound in) or "
                        "\"none\" (the sandbox's own, the default)", share);
                return;
        }
        why = shared_runtime_name_refused(name);
        if (why) {
                problem(c, n, "name \"%s\" cannot be shared with the host: %s; allowed: " SHARED_RUNTIME_NAME_RULE,
                        name, why);
                return;
        }
        for (size_t i = 0; i < p->n_shared_dirs; i++)
                if (streq(p->shared_dirs[i].name, name)) {
                        problem(c, n, "runtime directory \"%s\" is already shared at %s:%u; one element per directory",
                                name, p->shared_dirs[i].origin.file, p->shared_dirs[i].origin.line);
                        return;
                }
        user = user_attr(c, n, "user");
        group = user_attr(c, n, "group");
        if ((!user && xmlHasProp(n, (const xmlChar *) "user")) || (!group && xmlHasProp(n, (const xmlChar *) "group")))
                return; /* said by user_attr() */
        copy = strdup(name);
        t = copy ? realloc(p->shared_dirs, (p->n_shared_dirs + 1) * sizeof(*t)) : NULL;
        if (!t) {
                free(copy);
                c->diags->error = -ENOMEM;
                return;
        }
        p->shared_dirs = t;
        p->shared_dirs[p->n_shared_dirs++] = (ProfileSharedDir) {
                copy, mode, TAKE_PTR(user), TAKE_PTR(group), { c->file, line_of(n) }
        };
}

/* A directory below the sandbox's /run for the service, as systemd's
 * RuntimeDirectory= makes one: NAME relative, without "." or "..". */
static void parse_runtime_directory(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *name = attr(n, "name"), *mode = attr(n, "mode"), *share = attr(n, "share"), *abs = NULL;
        unsigned m = 0755;
        char *v;

        if (!name)
                return;
        if (asprintf(&abs, "/%s", name) < 0) {
                c->diags->error = -ENOMEM;
                return;
        }
        if (!*name || !path_is_normalized_absolute(abs) || strchr(name, ':')) {
                problem(c, n, "name \"%s\" is not valid; allowed: a relative path below /run without \".\" or \"..\", "
                        "e.g. \"postgresql\"", name);
                return;
        }
        if (mode && parse_mode(mode, &m) < 0) {
                problem(c, n, "mode \"%s\" is not a valid file mode; allowed: octal from 0 to 7777, e.g. \"0755\"", mode);
                return;
        }
        if (share && !streq(share, "none")) {
                parse_shared_directory(c, n, name, m, share);
                return;
        }
        /* the sandbox's own directory is the service's user's */
        if (xmlHasProp(n, (const xmlChar *) "user") || xmlHasProp(n, (const xmlChar *) "group")) {
                problem(c, n, "user= and group= are for a directory shared with the host (share=\"host\"); the "
                        "sandbox's own \"%s\" is the service's user's", name);
                return;
        }
        if (asprintf(&v, "%s:%04o", name, m) < 0 || strv_consume(&c->profile->runtime_dirs, v) < 0)
                c->diags->error = -ENOMEM;
}

/* <state size=...>: the cap of what the /etc and /var overlays keep */
static void parse_state(ParseContext *c, xmlNodePtr n) {
        char *v = size_attr(c, n, "size", false);
        uint64_t bytes;

        if (!v)
                return;
        if (parse_size(v, &bytes) < 0 || bytes < STATE_IMAGE_MIN_SIZE) {
                problem(c, n, "size \"%s\" is too small; allowed: at least 16M, the least an ext4 file system "
                        "with its journal and room for files takes", v);
                free(v);
                return;
        }
        replace(&c->profile->state_size, v);
        c->profile->state_origin = (Origin) { c->file, line_of(n) };
}

static void parse_filesystem(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;

        for (xmlNodePtr k = n->children; k; k = k->next) {
                _cleanup_free_ char *mode = NULL;
                char *v;

                if (is(k, "etc") || is(k, "var")) {
                        mode = attr(k, "mode");
                        if (mode && dir_mode_from_string(mode) >= 0)
                                *(is(k, "etc") ? &p->etc_mode : &p->var_mode) = (DirMode) dir_mode_from_string(mode);
                } else if (is(k, "tmp")) {
                        if ((v = size_attr(c, k, "size", false)))
                                replace(&p->tmp_size, v);
                } else if (is(k, "state")) {
                        parse_state(c, k);
                        profile_parse_state_encryption(c, k);
                } else if (is(k, "run")) {
                        if ((v = size_attr(c, k, "size", false)))
                                replace(&p->run_size, v);
                } else if (is(k, "proc")) {
                        _cleanup_free_ char *subset = attr(k, "subset");
                        if (subset)
                                p->proc_subset_pid = streq(subset, "pid");
                } else if (is(k, "bind"))
                        parse_bind_or_image(c, k, MOUNT_BIND);
                else if (is(k, "image"))
                        parse_bind_or_image(c, k, MOUNT_IMAGE);
                else if (is(k, "tmpfs"))
                        parse_tmpfs(c, k);
                else if (is(k, "block"))
                        parse_block(c, k);
                else if (is(k, "mask"))
                        parse_mask(c, k);
                else if (is(k, "no-exec-path") || is(k, "exec-path"))
                        profile_parse_exec_path(c, k, is(k, "exec-path"));
                else if (is(k, "runtime-directory"))
                        parse_runtime_directory(c, k);
        }
}

/* Each attribute given turns its interface on or off; one not given
 * keeps what an included profile, or the default, said. */
static void parse_interfaces(ParseContext *c, xmlNodePtr n) {
        static const Interface all[] = { INTERFACE_RUN_LOCK, INTERFACE_JOURNAL, INTERFACE_DEV_LOG, INTERFACE_DBUS };

        c->profile->interfaces_origin = (Origin) { c->file, line_of(n) };
        for (size_t i = 0; i < ELEMENTSOF(all); i++) {
                _cleanup_free_ char *v = attr(n, interface_to_string(all[i]));

                if (!v)
                        continue;
                if (streq(v, "yes"))
                        c->profile->interfaces |= all[i];
                else
                        c->profile->interfaces &= ~(unsigned) all[i];
        }
}

static void parse_resources(ParseContext *c, xmlNodePtr n) {
        Profile *p = c->profile;
        _cleanup_free_ char *cpu = attr(n, "cpu"), *tasks = attr(n, "tasks"), *io = attr(n, "io-weight");
        uint64_t v;
        unsigned pct;
        char *s;

        p->resources_origin = (Origin) { c->file, line_of(n) };
        if ((s = size_attr(c, n, "memory", true)))
                replace(&p->memory_max, s);
        if (cpu) {
                if (parse_percent(cpu, &pct) < 0)
                        problem(c, n, "cpu \"%s\" is not a valid CPU quota; allowed: a percentage of one CPU "
                                "from 1%% to 100000%%, e.g. \"50%%\" or \"200%%\"", cpu);
                else
                        replace(&p->cpu_quota, TAKE_PTR(cpu));
        }
        if (tasks) {
                if (!streq(tasks, "infinity") && parse_uint_range(tasks, 1, UINT32_MAX, &v) < 0)
                        problem(c, n, "tasks \"%s\" is not a valid task limit; allowed: a whole number from 1 "
                                "to 4294967295, or \"infinity\"", tasks);
                else
                        replace(&p->tasks_max, TAKE_PTR(tasks));
        }
        if (io) {
                if (parse_uint_range(io, 1, 10000, &v) < 0)
                        problem(c, n, "io-weight \"%s\" is not a valid weight; allowed: a whole number from 1 to 10000", io);
                else
                        replace(&p->io_weight, TAKE_PTR(io));
        }
}

static void parse_install(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *wanted = attr(n, "wanted-by");
        _cleanup_strv_free_ char **units = NULL;

        if (!wanted)
                return;
        if (strv_split(wanted, " \t\r\n", &units) < 0) {
                c->diags->error = -ENOMEM;
                return;
        }
        if (!units[0]) {
                problem(c, n, "wanted-by is empty; allowed: one or more unit names, e.g. \"sandbox.target\"");
                return;
        }
        STRV_FOREACH(u, units)
                if (!unit_name_is_valid(*u) || strchr(*u, '/')) {
                        problem(c, n, "wanted-by \"%s\" is not a valid unit name; allowed: unit names such as "
                                "\"sandbox.target\" or \"multi-user.target\"", *u);
                        return;
                }
        for (size_t i = 1; units[i]; i++)
                for (size_t j = 0; j < i; j++)
                        if (streq(units[i], units[j])) {
                                problem(c, n, "wanted-by names \"%s\" twice; allowed: each unit once", units[i]);
                                return;
                        }
        strv_free(c->profile->wanted_by);
        c->profile->wanted_by = TAKE_PTR(units);
}

static char *one_line_text(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *t = text_of(n);
        char *r, *o;
        bool space = false;

        if (!t)
                return NULL;
        /* fold white space, as a description is one line in the unit */
        r = o = malloc(strlen(t) + 1);
        if (!r) {
                c->diags->error = -ENOMEM;
                return NULL;
        }
        for (const char *s = t + strspn(t, " \t\r\n"); *s; s++) {
                if (strchr(" \t\r\n", *s)) {
                        space = true;
                        continue;
                }
                if (space)
                        *o++ = ' ';
                space = false;
                *o++ = (char) ((unsigned char) *s < 0x20 ? ' ' : *s);
        }
        *o = 0;
        return r;
}

void profile_parse_settings(ParseContext *c, xmlNodePtr root) {
        Profile *p = c->profile;

        for (xmlNodePtr n = root->children; n; n = n->next) {
                if (is(n, "description")) {
                        char *d = one_line_text(c, n);
                        if (d)
                                replace(&p->description, d);
                } else if (is(n, "exec"))
                        parse_exec(c, n);
                else if (is(n, "service"))
                        parse_service(c, n);
                else if (is(n, "root"))
                        parse_root(c, n);
                else if (is(n, "filesystem"))
                        parse_filesystem(c, n);
                else if (is(n, "network"))
                        profile_parse_network(c, n);
                else if (is(n, "hostname")) {
                        _cleanup_free_ char *h = text_of(n);
                        if (h && !hostname_is_valid(h))
                                problem(c, n, "\"%s\" is not a valid host name; allowed: labels of letters, digits "
                                        "and \"-\" separated by \".\", at most 64 characters", h);
                        else if (h)
                                replace(&p->hostname, TAKE_PTR(h));
                } else if (is(n, "user-namespace")) {
                        _cleanup_free_ char *mode = attr(n, "mode");
                        if (mode && user_namespace_mode_from_string(mode) > USERNS_NONE) {
                                p->user_namespace = (UserNamespaceMode) user_namespace_mode_from_string(mode);
                                p->user_namespace_origin = (Origin) { c->file, line_of(n) };
                        }
                } else if (is(n, "interfaces"))
                        parse_interfaces(c, n);
                else if (is(n, "security"))
                        profile_parse_security(c, n);
                else if (is(n, "resources"))
                        parse_resources(c, n);
                else if (is(n, "install"))
                        parse_install(c, n);
                else if (is(n, "unit-setting"))
                        profile_parse_unit_setting(c, n);
                else
                        (void) profile_parse_hook(c, n);
        }
}
