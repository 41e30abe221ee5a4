/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A profile's text with another sandbox name where it names the sandbox,
 * for "sandboxctl clone". The text is edited, not parsed and written
 * again: comments, layout and everything else stay as they were.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "buffer.h"
#include "log.h"
#include "sandboxctl.h"

typedef enum HostnameKind {
        HOSTNAME_NONE,   /* no <hostname> of its own */
        HOSTNAME_TEXT,   /* plain text, to replace */
        HOSTNAME_MARKUP, /* entities or comments in it: not rewritten */
} HostnameKind;

/* Where in a profile's text the sandbox is named. */
typedef struct ProfileText {
        bool has_name;
        size_t name_start, name_end; /* the value of <sandbox name=""> */
        HostnameKind hostname;
        size_t hostname_start, hostname_end;
        size_t close; /* where </sandbox> starts */
} ProfileText;

static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool starts(const char *p, const char *end, const char *token) {
        size_t n = strlen(token);

        return (size_t) (end - p) >= n && memcmp(p, token, n) == 0;
}

static const char *skip_past(const char *p, const char *end, const char *token) {
        for (; p < end; p++)
                if (starts(p, end, token))
                        return p + strlen(token);
        return NULL;
}

static size_t name_length(const char *p, const char *end) {
        const char *s = p;

        while (s < end && !is_space(*s) && *s != '>' && *s != '/' && *s != '=')
                s++;
        return (size_t) (s - p);
}

static bool token_is(const char *p, size_t n, const char *word) {
        return n == strlen(word) && memcmp(p, word, n) == 0;
}

/* A scan of the markup, just enough to find the <sandbox> element's name
 * attribute, its <hostname> child and its end tag without parsing (and
 * reformatting) the document. The loader has read the same text. */
static int profile_scan(const char *text, size_t size, ProfileText *ret) {
        const char *p = text, *end = text + size;
        ProfileText t = {};
        bool closed = false;
        unsigned depth = 0;

        while (p && (p = memchr(p, '<', (size_t) (end - p)))) {
                if (starts(p, end, "<!--"))
                        p = skip_past(p + 4, end, "-->");
                else if (starts(p, end, "<![CDATA["))
                        p = skip_past(p + 9, end, "]]>");
                else if (starts(p, end, "<?"))
                        p = skip_past(p + 2, end, "?>");
                else if (starts(p, end, "<!"))
                        return -EINVAL; /* a DOCTYPE, which profiles may not have */
                else if (starts(p, end, "</")) {
                        size_t k = name_length(p + 2, end);

                        if (depth == 0)
                                return -EINVAL;
                        if (--depth == 0 && token_is(p + 2, k, "sandbox")) {
                                t.close = (size_t) (p - text);
                                closed = true;
                        }
                        p = memchr(p, '>', (size_t) (end - p));
                        if (p)
                                p++;
                } else {
                        const char *element = p + 1;
                        size_t k = name_length(element, end);
                        bool sandbox = depth == 0 && token_is(element, k, "sandbox");
                        bool hostname = depth == 1 && token_is(element, k, "hostname");
                        bool empty = false;

                        for (p = element + k;;) {
                                const char *attr, *quote;
                                size_t ak;

                                while (p < end && is_space(*p))
                                        p++;
                                if (p < end && *p == '>') {
                                        p++;
                                        break;
                                }
                                if (starts(p, end, "/>")) {
                                        p += 2;
                                        empty = true;
                                        break;
                                }
                                attr = p;
                                ak = name_length(attr, end);
                                for (p += ak; p < end && is_space(*p); p++)
                                        ;
                                if (ak == 0 || p >= end || *p != '=')
                                        return -EINVAL;
                                for (p++; p < end && is_space(*p); p++)
                                        ;
                                if (p >= end || (*p != '"' && *p != '\''))
                                        return -EINVAL;
                                quote = memchr(p + 1, *p, (size_t) (end - p - 1));
                                if (!quote)
                                        return -EINVAL;
                                if (sandbox && token_is(attr, ak, "name")) {
                                        t.has_name = true;
                                        t.name_start = (size_t) (p + 1 - text);
                                        t.name_end = (size_t) (quote - text);
                                }
                                p = quote + 1;
                        }
                        if (hostname) {
                                const char *stop = empty ? p : memchr(p, '<', (size_t) (end - p));

                                if (!stop)
                                        return -EINVAL;
                                t.hostname = !empty && starts(stop, end, "</hostname>") && !memchr(p, '&', (size_t) (stop - p))
                                        ? HOSTNAME_TEXT : HOSTNAME_MARKUP;
                                t.hostname_start = (size_t) (p - text);
                                t.hostname_end = (size_t) (stop - text);
                        }
                        if (!empty)
                                depth++;
                }
        }
        if (!closed)
                return -EINVAL;
        *ret = t;
        return 0;
}

static bool span_is(const char *text, size_t start, size_t end, const char *word) {
        return token_is(text + start, end - start, word);
}

int profile_text_rename(const char *path, const char *text, size_t size, const char *old_name, const char *new_name,
                        bool hostname, char **ret) {
        _cleanup_buffer_ Buffer b = {};
        ProfileText t;
        size_t pos = 0;

        if (profile_scan(text, size, &t) < 0)
                return log_error_errno(-EINVAL, "%s: cannot find its <sandbox> element to rename; copy and edit it by "
                                       "hand", path);
        if (t.has_name && !span_is(text, t.name_start, t.name_end, old_name))
                return log_error_errno(-EINVAL, "%s: <sandbox name=\"\"> is not written as plain \"%s\"; copy and edit "
                                       "it by hand", path, old_name);
        if (hostname && t.hostname == HOSTNAME_MARKUP)
                return log_error_errno(-EINVAL, "%s: <hostname> is not plain text; copy and edit it by hand", path);

        if (t.has_name) {
                buffer_append_n(&b, text, t.name_start);
                buffer_append(&b, new_name);
                pos = t.name_end;
        }
        if (hostname && t.hostname == HOSTNAME_TEXT) {
                buffer_append_n(&b, text + pos, t.hostname_start - pos);
                buffer_append(&b, new_name);
                pos = t.hostname_end;
        } else if (hostname) {
                /* set by a base profile: this one's own setting overrides it */
                size_t line = t.close;
                bool own_line;

                while (line > pos && (text[line - 1] == ' ' || text[line - 1] == '\t'))
                        line--;
                own_line = line == 0 || text[line - 1] == '\n';
                if (!own_line)
                        line = t.close;
                buffer_append_n(&b, text + pos, line - pos);
                buffer_printf(&b, own_line ? "  <hostname>%s</hostname>\n" : "<hostname>%s</hostname>", new_name);
                pos = line;
        }
        buffer_append_n(&b, text + pos, size - pos);
        *ret = buffer_steal(&b);
        return *ret ? 0 : log_oom();
}
