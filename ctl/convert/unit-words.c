/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A unit file's words as systemd reads them, for sandboxctl convert
 * without a manager: tests/unit/test-convert-files.sh holds the result to the
 * argv systemd itself runs (tests/e2e/test-e2e-convert.sh).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "buffer.h"
#include "log.h"
#include "macro.h"
#include "regular-file.h"
#include "strv.h"
#include "unit-words.h"


/* unit_name_unescape(): "-" is "/", "\xNN" the byte */
static void unit_unescaped(Buffer *b, const char *s) {
        for (; *s; s++)
                if (*s == '-')
                        buffer_append_char(b, '/');
                else if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char) s[2]) && isxdigit((unsigned char) s[3])) {
                        char hex[3] = { s[2], s[3], 0 };

                        buffer_append_char(b, (char) strtoul(hex, NULL, 16));
                        s += 3;
                } else
                        buffer_append_char(b, *s);
}

/* the first line of file, up to max - 1 bytes */
static void first_line(const char *file, char *buf, size_t max) {
        _cleanup_free_ char *text = NULL;

        buf[0] = 0;
        if (read_regular_file(file, 4096, &text, NULL, NULL) >= 0)
                snprintf(buf, max, "%.*s", (int) strcspn(text, "\n"), text);
}

/* A word's specifiers (systemd.unit(5), "Specifiers"), as the system
 * manager resolves them: %u, %h, %s are the manager's user's, root's.
 * Those that need what only the manager knows refuse the conversion,
 * as does one systemd does not have (systemd ignores that line). */
int unit_specifiers(const Names *n, const char *v, char **ret) {
        _cleanup_buffer_ Buffer b = {};

        for (const char *p = v; *p; p++) {
                char buf[256];
                struct utsname un;
                const char *dash;

                if (*p != '%') {
                        buffer_append_char(&b, *p);
                        continue;
                }
                switch (*++p) {
                case 'i': buffer_append(&b, n->instance ? n->instance : ""); break;
                case 'I': unit_unescaped(&b, n->instance ? n->instance : ""); break;
                case 'n': buffer_append(&b, n->unit); break;
                case 'N': buffer_append_n(&b, n->unit, strlen(n->unit) - strlen(".service")); break;
                case 'p': buffer_append(&b, n->prefix); break;
                case 'P': unit_unescaped(&b, n->prefix); break;
                case 'j': case 'J':
                        dash = strrchr(n->prefix, '-');
                        if (*p == 'j')
                                buffer_append(&b, dash ? dash + 1 : n->prefix);
                        else
                                unit_unescaped(&b, dash ? dash + 1 : n->prefix);
                        break;
                case 'f':
                        buffer_append_char(&b, '/');
                        unit_unescaped(&b, n->instance ? n->instance : n->prefix);
                        break;
                case 'C': buffer_append(&b, "/var/cache"); break;
                case 'E': buffer_append(&b, "/etc"); break;
                case 'L': buffer_append(&b, "/var/log"); break;
                case 'S': buffer_append(&b, "/var/lib"); break;
                case 't': buffer_append(&b, "/run"); break;
                case 'T': buffer_append(&b, "/tmp"); break;
                case 'V': buffer_append(&b, "/var/tmp"); break;
                case 'd': buffer_printf(&b, "/run/credentials/%s", n->unit); break;
                case 'u': case 'g': buffer_append(&b, "root"); break;
                case 'U': case 'G': buffer_append(&b, "0"); break;
                case 'h': buffer_append(&b, "/root"); break;
                case 's': buffer_append(&b, "/bin/sh"); break;
                case 'y': buffer_append(&b, n->fragment); break;
                case 'Y': buffer_append_n(&b, n->fragment, (size_t) (strrchr(n->fragment, '/') - n->fragment)); break;
                case 'H': case 'l':
                        if (gethostname(buf, sizeof(buf)) < 0)
                                return log_error_errno(-errno, "convert: %s:%u: %%%c: %m", n->file, n->line, *p);
                        buf[sizeof(buf) - 1] = 0;
                        buffer_append_n(&b, buf, *p == 'l' ? strcspn(buf, ".") : strlen(buf));
                        break;
                case 'm': case 'b':
                        first_line(*p == 'm' ? "/etc/machine-id" : "/proc/sys/kernel/random/boot_id", buf, sizeof(buf));
                        for (char *c = buf; *c; c++)
                                if (*c != '-')
                                        buffer_append_char(&b, *c);
                        break;
                case 'v':
                        if (uname(&un) < 0)
                                return -errno;
                        buffer_append(&b, un.release);
                        break;
                case '%': buffer_append_char(&b, '%'); break;
                case 'a': case 'A': case 'B': case 'M': case 'o': case 'q': case 'w': case 'W':
                        return log_error_errno(-EINVAL, "convert: %s:%u: the specifier %%%c is resolved by the manager "
                                               "only; convert with systemd running", n->file, n->line, *p);
                default:
                        return log_error_errno(-EINVAL, "convert: %s:%u: \"%%%.1s\" is not a specifier systemd knows "
                                               "(systemd ignores the line); write %%%% for a %%", n->file, n->line, p);
                }
                if (!*p)
                        break;
        }
        if (b.oom)
                return -ENOMEM;
        *ret = b.data ? TAKE_PTR(b.data) : strdup("");
        return *ret ? 0 : -ENOMEM;
}

/* the code point c as UTF-8 */
static void utf8_append(Buffer *b, uint32_t c) {
        if (c < 0x80)
                buffer_append_char(b, (char) c);
        else if (c < 0x800) {
                buffer_append_char(b, (char) (0xc0 | (c >> 6)));
                buffer_append_char(b, (char) (0x80 | (c & 0x3f)));
        } else if (c < 0x10000) {
                buffer_append_char(b, (char) (0xe0 | (c >> 12)));
                buffer_append_char(b, (char) (0x80 | ((c >> 6) & 0x3f)));
                buffer_append_char(b, (char) (0x80 | (c & 0x3f)));
        } else {
                buffer_append_char(b, (char) (0xf0 | (c >> 18)));
                buffer_append_char(b, (char) (0x80 | ((c >> 12) & 0x3f)));
                buffer_append_char(b, (char) (0x80 | ((c >> 6) & 0x3f)));
                buffer_append_char(b, (char) (0x80 | (c & 0x3f)));
        }
}

/* One C escape after a "\" (systemd.syntax(7)): its length, or -EINVAL
 * for one systemd refuses (a NUL, an unknown letter) */
static int c_escape(const char *p, Buffer *b) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        unsigned digits = 0, base = 16;
        uint32_t c = 0;

        for (size_t i = 0; i + 1 < sizeof(simple); i += 2)
                if (*p == simple[i]) {
                        buffer_append_char(b, simple[i + 1]);
                        return 1;
                }
        switch (*p) {
        case 'x': digits = 2; break;
        case 'u': digits = 4; break;
        case 'U': digits = 8; break;
        default:
                if (*p >= '0' && *p <= '7') {
                        digits = 3, base = 8;
                        p--; /* the digits start here */
                } else
                        return -EINVAL;
        }
        for (unsigned i = 1; i <= digits; i++) {
                char ch = p[i];
                int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
                        ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : 99;

                if (d >= (int) base)
                        return -EINVAL;
                c = c * base + (uint32_t) d;
        }
        if (c == 0 || c > 0x10ffff || (base == 8 && c > 0377))
                return -EINVAL;
        if (*p == 'x' || base == 8)
                buffer_append_char(b, (char) c);
        else
                utf8_append(b, c);
        return base == 8 ? 3 : (int) digits + 1;
}

/* The words of a value as systemd extracts them: whitespace-separated,
 * "double" or 'single' quoted anywhere in a word, C escapes resolved;
 * then each word's specifiers. */
int unit_split_words(const Names *n, const char *v, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        size_t n_words = 0, size = 0;

        for (const char *p = v;;) {
                _cleanup_buffer_ Buffer w = {};
                _cleanup_free_ char *word = NULL;
                char quote = 0;
                int k;

                p += strspn(p, " \t");
                if (!*p)
                        break;
                for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
                        if (quote && *p == quote)
                                quote = 0;
                        else if (!quote && (*p == '"' || *p == '\''))
                                quote = *p;
                        else if (*p == '\\') {
                                if (!p[1])
                                        break;
                                k = c_escape(p + 1, &w);
                                if (k < 0)
                                        return log_error_errno(k, "convert: %s:%u: \"\\%.1s\" is not an escape systemd "
                                                               "knows (systemd ignores the line)", n->file, n->line, p + 1);
                                p += k;
                        } else
                                buffer_append_char(&w, *p);
                }
                buffer_append(&w, "");
                if (w.oom)
                        return -ENOMEM;
                k = unit_specifiers(n, w.data, &word);
                if (k < 0)
                        return k;
                /* the list grows by doubling, not a word at a time
                 * after counting its words: a value of a megabyte of
                 * words is split in linear time */
                if (n_words + 2 > size) {
                        size_t want = size ? size * 2 : 16;
                        char **t = reallocarray(l, want, sizeof(char *));

                        if (!t)
                                return -ENOMEM;
                        l = t;
                        l[n_words] = NULL;
                        size = want;
                }
                l[n_words++] = TAKE_PTR(word);
                l[n_words] = NULL;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
