/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Environment files as systemd reads an EnvironmentFile=, for the places
 * where no systemd reads them: "sandboxctl run". The rules are in
 * env-file.h; the tests hold them against systemd itself
 * (tests/e2e/test-e2e-convert.sh).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "env-file.h"
#include "names.h"
#include "regular-file.h"
#include "strv.h"

/* the bytes of s form valid UTF-8 (no overlong forms, no surrogates) */
static bool utf8_valid(const unsigned char *s) {
        while (*s) {
                unsigned n, c;

                if (*s < 0x80) {
                        s++;
                        continue;
                }
                if ((*s & 0xe0) == 0xc0)
                        n = 1, c = *s & 0x1f;
                else if ((*s & 0xf0) == 0xe0)
                        n = 2, c = *s & 0x0f;
                else if ((*s & 0xf8) == 0xf0)
                        n = 3, c = *s & 0x07;
                else
                        return false;
                for (unsigned i = 1; i <= n; i++) {
                        if ((s[i] & 0xc0) != 0x80)
                                return false;
                        c = (c << 6) | (s[i] & 0x3f);
                }
                if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10ffff)) ||
                    (c >= 0xd800 && c <= 0xdfff))
                        return false;
                s += n + 1;
        }
        return true;
}

/* NAME=VALUE into env, replacing NAME's earlier value; 1 when taken, 0
 * when ignored */
static int push(char ***env, const char *key, const char *value) {
        size_t k = strlen(key);
        char *e;

        if (!env_name_is_valid(key) || !utf8_valid((const unsigned char *) value))
                return 0;
        if (asprintf(&e, "%s=%s", key, value) < 0)
                return -ENOMEM;
        for (char **i = *env; i && *i; i++)
                if (strncmp(*i, key, k) == 0 && (*i)[k] == '=') {
                        free(*i);
                        *i = e;
                        return 1;
                }
        return strv_consume(env, e) < 0 ? -ENOMEM : 1;
}

/* the end of one assignment: trailing whitespace of the key (and of an
 * unquoted value, when trim) dropped, then pushed */
static int assignment(char ***env, Buffer *key, size_t key_ws, Buffer *value, size_t value_ws, bool trim) {
        int r;

        buffer_append(key, "");
        buffer_append(value, "");
        if (key->oom || value->oom)
                return -ENOMEM;
        if (key_ws != SIZE_MAX)
                key->len = key_ws;
        if (trim && value_ws != SIZE_MAX)
                value->len = value_ws;
        key->data[key->len] = value->data[value->len] = 0;
        r = push(env, key->data, value->data);
        key->len = value->len = 0;
        return r;
}

int env_file_parse(const char *text, char ***env) {
        enum { PRE_KEY, KEY, PRE_VALUE, VALUE, VALUE_ESCAPE, SINGLE, DOUBLE, DOUBLE_ESCAPE, COMMENT,
               COMMENT_ESCAPE } state = PRE_KEY;
        _cleanup_buffer_ Buffer key = {}, value = {};
        /* where trailing whitespace of the key or an unquoted value began */
        size_t key_ws = SIZE_MAX, value_ws = SIZE_MAX;
        int ignored = 0, r;


        for (const char *p = text; *p; p++) {
                char c = *p;
                bool newline = c == '\n' || c == '\r';

                switch (state) {
                case PRE_KEY:
                        if (c == '#' || c == ';')
                                state = COMMENT;
                        else if (!strchr(" \t\n\r", c)) {
                                state = KEY;
                                key_ws = SIZE_MAX;
                                buffer_append_char(&key, c);
                        }
                        break;
                case KEY:
                        if (newline) {
                                /* no "=": not an assignment */
                                state = PRE_KEY;
                                key.len = 0;
                                ignored++;
                        } else if (c == '=') {
                                state = PRE_VALUE;
                                value_ws = SIZE_MAX;
                        } else {
                                if (c != ' ' && c != '\t')
                                        key_ws = SIZE_MAX;
                                else if (key_ws == SIZE_MAX)
                                        key_ws = key.len;
                                buffer_append_char(&key, c);
                        }
                        break;
                case PRE_VALUE:
                        if (newline) {
                                state = PRE_KEY;
                                if ((r = assignment(env, &key, key_ws, &value, value_ws, false)) < 0)
                                        return r;
                                ignored += r == 0;
                        } else if (c == '\'')
                                state = SINGLE;
                        else if (c == '"')
                                state = DOUBLE;
                        else if (c == '\\')
                                state = VALUE_ESCAPE;
                        else if (c != ' ' && c != '\t') {
                                state = VALUE;
                                buffer_append_char(&value, c);
                        }
                        break;
                case VALUE:
                        if (newline) {
                                state = PRE_KEY;
                                if ((r = assignment(env, &key, key_ws, &value, value_ws, true)) < 0)
                                        return r;
                                ignored += r == 0;
                        } else if (c == '\\') {
                                state = VALUE_ESCAPE;
                                value_ws = SIZE_MAX;
                        } else {
                                if (c != ' ' && c != '\t')
                                        value_ws = SIZE_MAX;
                                else if (value_ws == SIZE_MAX)
                                        value_ws = value.len;
                                buffer_append_char(&value, c);
                        }
                        break;
                case VALUE_ESCAPE:
                        state = VALUE;
                        if (!newline) /* an escaped line end joins the lines */
                                buffer_append_char(&value, c);
                        break;
                case SINGLE:
                        if (c == '\'')
                                state = PRE_VALUE;
                        else
                                buffer_append_char(&value, c);
                        break;
                case DOUBLE:
                        if (c == '"')
                                state = PRE_VALUE;
                        else if (c == '\\')
                                state = DOUBLE_ESCAPE;
                        else
                                buffer_append_char(&value, c);
                        break;
                case DOUBLE_ESCAPE:
                        state = DOUBLE;
                        if (strchr("\"\\`$", c))
                                buffer_append_char(&value, c);
                        else if (c != '\n') {
                                buffer_append_char(&value, '\\');
                                buffer_append_char(&value, c);
                        }
                        break;
                case COMMENT:
                        if (c == '\\')
                                state = COMMENT_ESCAPE;
                        else if (newline)
                                state = PRE_KEY;
                        break;
                case COMMENT_ESCAPE:
                        state = COMMENT;
                        break;
                }
        }
        switch (state) {
        case PRE_VALUE: case VALUE: case VALUE_ESCAPE: case SINGLE: case DOUBLE: case DOUBLE_ESCAPE:
                if ((r = assignment(env, &key, key_ws, &value, value_ws, state == VALUE)) < 0)
                        return r;
                ignored += r == 0;
                break;
        case KEY:
                ignored++;
                break;
        default:
                break;
        }
        return ignored;
}

int env_file_load(const char *path, bool optional, char ***env) {
        _cleanup_free_ char *text = NULL;
        struct stat st;
        int r;

        r = read_regular_file(path, ENV_FILE_MAX, &text, NULL, &st);
        if (r == -ENOENT && optional)
                return 0;
        if (r < 0)
                return r;
        if (st.st_uid != 0 || (st.st_mode & 0022))
                return -EPERM;
        return env_file_parse(text, env);
}
