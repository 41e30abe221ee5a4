/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "unit-escape.h"

static bool is_plain(unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (c && strchr("_/.,:=+@-", c)) || c >= 0x80;
}

void unit_append_word(Buffer *b, const char *s, UnitQuote how) {
        /* quoted also when ending in a backslash, which at the end of a
         * line would continue it */
        bool quote = !*s || how == UNIT_QUOTE_WORD || s[strlen(s) - 1] == '\\';

        for (const unsigned char *p = (const unsigned char *) s; *p && !quote; p++)
                quote = !is_plain(*p) && *p != '%' && *p != '$';
        if (quote)
                buffer_append_char(b, '"');
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                size_t run = 0;

                /* most of a word needs no escaping: copy it in one go */
                while (p[run] && is_plain(p[run]))
                        run++;
                if (run > 0) {
                        buffer_append_n(b, (const char *) p, run);
                        p += run - 1;
                        continue;
                }
                if (*p == '%')
                        buffer_append(b, "%%");
                else if (*p == '$' && how == UNIT_QUOTE_EXEC)
                        buffer_append(b, "$$");
                else if (*p == '\\' || *p == '"')
                        buffer_printf(b, "\\%c", *p);
                else if (*p < 0x20 || *p == 0x7f)
                        buffer_printf(b, "\\x%02x", *p);
                else
                        buffer_append_char(b, (char) *p);
        }
        if (quote)
                buffer_append_char(b, '"');
}

void unit_append_text(Buffer *b, const char *s) {
        size_t n;

        s += strspn(s, " \t");
        /* a trailing backslash would continue the line */
        for (n = strlen(s); n > 0 && strchr(" \t\\", s[n - 1]); n--)
                ;
        for (const unsigned char *p = (const unsigned char *) s; p < (const unsigned char *) s + n; p++) {
                if (*p == '%')
                        buffer_append(b, "%%");
                else if (*p >= 0x20 && *p != 0x7f)
                        buffer_append_char(b, (char) *p);
        }
}
