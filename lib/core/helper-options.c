/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "helper-options.h"

const struct option helper_options[] = {
#define HELPER_OPTION_ENTRY(id, name, argument, ...) { name, argument, NULL, HELPER_OPT_##id },
        HELPER_OPTIONS(HELPER_OPTION_ENTRY)
#undef HELPER_OPTION_ENTRY
        {}
};

const char *helper_option_flag(HelperOption o) {
        static char flags[HELPER_OPT_END_ - HELPER_OPT_FIRST_ - 1][32];
        unsigned i = (unsigned) (o - HELPER_OPT_FIRST_ - 1);

        if (o <= HELPER_OPT_FIRST_ || o >= HELPER_OPT_END_ || !helper_options[i].name)
                abort();
        if (!flags[i][0])
                snprintf(flags[i], sizeof flags[i], "--%s", helper_options[i].name);
        return flags[i];
}

char *helper_option_arg(HelperOption o, const char *value) {
        char *s;

        if (!value)
                return strdup(helper_option_flag(o));
        return asprintf(&s, "%s=%s", helper_option_flag(o), value) < 0 ? NULL : s;
}

char *helper_spec_join(const char *const *fields, unsigned n) {
        _cleanup_buffer_ Buffer b = {};

        for (unsigned i = 0; i < n; i++) {
                if (i > 0)
                        buffer_append_char(&b, ':');
                for (const char *p = fields[i] ? fields[i] : ""; *p; p++) {
                        if (*p == ':' || *p == '\\')
                                buffer_append_char(&b, '\\');
                        buffer_append_char(&b, *p);
                }
        }
        return buffer_steal(&b);
}

int helper_spec_split(const char *value, unsigned n, char **ret_fields) {
        _cleanup_buffer_ Buffer b = {};
        unsigned k = 0;

        for (unsigned i = 0; i < n; i++)
                ret_fields[i] = NULL;
        for (const char *p = value;; p++) {
                if (*p == '\\' && p[1]) {
                        buffer_append_char(&b, *++p);
                        continue;
                }
                if (*p == ':' || *p == 0) {
                        char *f = k < n ? buffer_steal(&b) : NULL;

                        if (k < n && !f)
                                goto nomem;
                        if (k < n)
                                ret_fields[k] = f;
                        k++;
                        if (*p == 0)
                                break;
                        continue;
                }
                buffer_append_char(&b, *p);
        }
        if (k == n)
                return 0;
        for (unsigned i = 0; i < n; i++)
                free(ret_fields[i]), ret_fields[i] = NULL;
        return -EINVAL;
nomem:
        for (unsigned i = 0; i < n; i++)
                free(ret_fields[i]), ret_fields[i] = NULL;
        return -ENOMEM;
}
