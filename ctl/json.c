/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json.h"

void json_append_string(Buffer *b, const char *s) {
        if (!s) {
                buffer_append(b, "null");
                return;
        }
        buffer_append_char(b, '"');
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        buffer_printf(b, "\\%c", *p);
                else if (*p == '\n')
                        buffer_append(b, "\\n");
                else if (*p == '\t')
                        buffer_append(b, "\\t");
                else if (*p < 0x20 || *p == 0x7f)
                        buffer_printf(b, "\\u%04x", *p);
                else
                        buffer_append_char(b, (char) *p);
        }
        buffer_append_char(b, '"');
}
