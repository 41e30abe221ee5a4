/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <string.h>

#include "buffer.h"
#include "exec-expand.h"
#include "names.h"
#include "strv.h"

const char *env_get(char * const *env, const char *name, size_t n) {
        const char *v = NULL;

        STRV_FOREACH(i, env)
                if (strncmp(*i, name, n) == 0 && (*i)[n] == '=')
                        v = *i + n + 1;
        return v;
}

int env_value_words(const char *v, char ***out) {
        for (const char *p = v;;) {
                _cleanup_buffer_ Buffer w = {};
                char quote = 0;

                p += strspn(p, " \t\n\r");
                if (!*p)
                        return 0;
                for (; *p && (quote || !strchr(" \t\n\r", *p)); p++) {
                        if (quote && *p == quote)
                                quote = 0;
                        else if (!quote && (*p == '"' || *p == '\''))
                                quote = *p;
                        else if (*p == '\\' && p[1])
                                buffer_append_char(&w, *++p);
                        else
                                buffer_append_char(&w, *p);
                }
                if (w.oom || strv_append(out, w.data ? w.data : "") < 0)
                        return -ENOMEM;
        }
}

int exec_expand_word_with(const char *word, ExecExpandLookup lookup, void *userdata, char ***out) {
        _cleanup_buffer_ Buffer b = {};
        const char *v = NULL;
        int r;

        if (word[0] == '$' && word[1] != '{' && word[1] != '$') {
                r = lookup(word + 1, strlen(word + 1), &v, userdata);
                if (r < 0)
                        return r;
                return v && env_value_words(v, out) < 0 ? -ENOMEM : 0;
        }
        for (const char *p = word; *p;) {
                size_t n;

                if (p[0] == '$' && p[1] == '$') {
                        buffer_append_char(&b, '$');
                        p += 2;
                        continue;
                }
                /* "${NAME}" only: the first "}" or ":" after it ends NAME */
                n = p[0] == '$' && p[1] == '{' ? strcspn(p + 2, "}:") : 0;
                if (p[0] != '$' || p[1] != '{' || p[2 + n] != '}') {
                        buffer_append_char(&b, *p++);
                        continue;
                }
                v = NULL;
                r = lookup(p + 2, n, &v, userdata);
                if (r < 0)
                        return r;
                buffer_append(&b, v ? v : "");
                p += n + 3;
        }
        if (b.oom || strv_append(out, b.data ? b.data : "") < 0)
                return -ENOMEM;
        return 0;
}

static int lookup_env(const char *name, size_t n, const char **ret, void *userdata) {
        _cleanup_free_ char *s = strndup(name, n);

        if (!s)
                return -ENOMEM;
        *ret = env_name_is_valid(s) ? env_get(userdata, name, n) : NULL;
        return 0;
}

int exec_expand_word(const char *word, char * const *env, char ***out) {
        return exec_expand_word_with(word, lookup_env, (void *) env, out);
}
