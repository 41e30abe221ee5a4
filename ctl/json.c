/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "json.h"
#include "macro.h"

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

/* Length of the valid UTF-8 sequence at s, 0 when there is none. */
static size_t utf8_sequence(const unsigned char *s) {
        size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
                : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

        for (size_t i = 1; i < n; i++)
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
        if ((n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) ||
            (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))))
                return 0;
        return n;
}

void json_append_path(Buffer *b, const char *path) {
        _cleanup_buffer_ Buffer clean = {};

        if (!path) {
                buffer_append(b, "null");
                return;
        }
        for (const unsigned char *s = (const unsigned char *) path; *s;) {
                size_t n = utf8_sequence(s);

                if (n == 0) {
                        buffer_append(&clean, "\xef\xbf\xbd");
                        s++;
                } else {
                        buffer_append_n(&clean, (const char *) s, n);
                        s += n;
                }
        }
        json_append_string(b, clean.data ? clean.data : "");
        if (clean.oom)
                b->oom = true;
}

void escaped_append(Buffer *b, const char *s, size_t n) {
        const unsigned char *c = (const unsigned char *) s, *end = c + n;

        while (c < end) {
                size_t k = *c < 0x80 ? 1 : utf8_sequence(c);

                if (*c == '\\')
                        buffer_append(b, "\\\\");
                else if (*c == '\n')
                        buffer_append(b, "\\n");
                else if (*c == '\t')
                        buffer_append(b, "\\t");
                /* C0, DEL and C1 (U+0080-U+009F, which some terminals take
                 * as CSI and the like), and bytes that are not UTF-8 */
                else if (*c < 0x20 || *c == 0x7f || k == 0 || k > (size_t) (end - c) || (c[0] == 0xc2 && c[1] < 0xa0))
                        buffer_printf(b, "\\%03o", *c);
                else {
                        buffer_append_n(b, (const char *) c, k);
                        c += k;
                        continue;
                }
                c++;
        }
}

void print_escaped(const char *s, FILE *f) {
        _cleanup_(buffer_done) Buffer b = {};

        escaped_append(&b, s, strlen(s));
        if (b.data)
                fputs(b.data, f);
}
