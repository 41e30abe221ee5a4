/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "compile.h"
#include "config.h"
#include "json.h"
#include "log.h"
#include "sandboxctl.h"
#include "verbs.h"

/* The line of text that starts at s, up to its "\n" (not included). */
static size_t line_length(const char *s) {
        return strcspn(s, "\n");
}

static const char *next_line(const char *s) {
        size_t n = line_length(s);

        return s + n + (s[n] == '\n');
}

/* The length of the key of the setting on line s ("Key=value"), 0 when
 * the line is none: blank, a comment or a section's header. */
static size_t setting_key_length(const char *s) {
        size_t n = line_length(s), k = strcspn(s, "=");

        return n > 0 && k < n && s[0] != '#' && s[0] != ';' && s[0] != '[' ? k : 0;
}

/* Whether line s sets the key of k bytes at key. */
static bool line_sets(const char *s, const char *key, size_t k) {
        return setting_key_length(s) == k && strncmp(s, key, k) == 0;
}

/* The settings of the section whose lines start at s, up to the next
 * section: {"Key": ["value", ...], ...}, each key once, at its first
 * place, with every value it is given in order ("" when it is reset). */
static void json_append_section(Buffer *b, const char *s) {
        bool first = true;

        buffer_append_char(b, '{');
        for (const char *l = s; *l && *l != '['; l = next_line(l)) {
                size_t k = setting_key_length(l);
                bool seen = false;

                if (k == 0)
                        continue;
                for (const char *m = s; m < l && !seen; m = next_line(m))
                        seen = line_sets(m, l, k);
                if (seen) /* written with all its values */
                        continue;

                _cleanup_free_ char *key = strndup(l, k);
                if (!key) {
                        b->oom = true;
                        return;
                }
                buffer_append(b, first ? "\n  " : ",\n  ");
                first = false;
                json_append_path(b, key);
                buffer_append_char(b, ':');
                for (const char *m = l, *sep = " ["; *m && *m != '['; m = next_line(m)) {
                        if (!line_sets(m, l, k))
                                continue;
                        _cleanup_free_ char *value = strndup(m + k + 1, line_length(m) - k - 1);
                        if (!value) {
                                b->oom = true;
                                return;
                        }
                        buffer_append(b, sep);
                        sep = ", ";
                        json_append_path(b, value);
                }
                buffer_append_char(b, ']');
        }
        buffer_append(b, first ? "}" : "\n }");
}

/* {"name": ..., "path": ..., "dropin": {"Unit": {...}, "Service": {...}}}:
 * the drop-in's sections and their settings, as show prints them. */
static int print_json(const Profile *p, const char *dropin) {
        _cleanup_buffer_ Buffer b = {};
        bool first = true;

        buffer_append(&b, "{\"name\": ");
        json_append_path(&b, p->name);
        buffer_append(&b, ", \"path\": ");
        json_append_path(&b, p->path);
        buffer_append(&b, ", \"dropin\": {");
        for (const char *l = dropin; *l; l = next_line(l)) {
                size_t n = line_length(l);

                if (l[0] != '[' || n < 2 || l[n - 1] != ']')
                        continue;
                _cleanup_free_ char *section = strndup(l + 1, n - 2);
                if (!section)
                        return log_oom();
                buffer_append(&b, first ? "\n " : ",\n ");
                first = false;
                json_append_path(&b, section);
                buffer_append(&b, ": ");
                json_append_section(&b, l + n + (l[n] == '\n'));
        }
        buffer_append(&b, "}}\n");
        if (b.oom)
                return log_oom();
        fputs(b.data, stdout);
        return 0;
}

int verb_show(VerbArgs *a, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_free_ char *dropin = NULL;
        int r;

        if (load_profile_absolute(a->operands[0], dirs, &p) < 0)
                return EXIT_INVALID;
        r = profile_compile_dropin(p, SANDBOX_HELPER_PATH, &dropin);
        if (r < 0)
                return log_error_errno(r, "%s: cannot compile: %m", p->path), EXIT_INVALID;
        if (arg_json)
                return print_json(p, dropin) < 0 ? EXIT_INVALID : 0;
        fputs(dropin, stdout);
        return 0;
}
