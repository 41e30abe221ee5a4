/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of the small parts of lib/: quantities, names, paths, the
 * helper's option specs, unit-file quoting, string vectors and the
 * expansion of command-line words; and lib/core's readers of Linux
 * facts: capability names, /proc files and status fields, the processes
 * of a sandbox, and mountinfo; the record of MCS categories. Prints TAP.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buffer.h"
#include "capability-names.h"
#include "exec-expand.h"
#include "helper-options.h"
#include "mcs-record.h"
#include "mountinfo.h"
#include "names.h"
#include "paths.h"
#include "proc-file.h"
#include "proc-tree.h"
#include "quantities.h"
#include "run-lock.h"
#include "strv.h"
#include "unit-escape.h"
#include "unit-settings.h"
#include "tap.h"

/* s, printable: control characters, quotes and backslashes as C escapes */
static const char *show(const char *s) {
        static char bufs[4][512];
        static unsigned k;
        char *b = bufs[k++ % 4], *o = b;

        if (!s)
                return "(null)";
        *o++ = '"';
        for (const unsigned char *p = (const unsigned char *) s; *p && o < b + sizeof bufs[0] - 8; p++) {
                if (*p < 0x20 || *p == 0x7f)
                        o += sprintf(o, "\\x%02x", *p);
                else if (*p == '"' || *p == '\\')
                        o += sprintf(o, "\\%c", *p);
                else if (*p == '#')
                        o += sprintf(o, "\\x23"); /* "#" starts a TAP directive */
                else
                        *o++ = (char) *p;
        }
        *o++ = '"';
        *o = 0;
        return b;
}

static const char *errname(int r) {
        switch (r) {
        case 0:
                return "0";
        case -EINVAL:
                return "-EINVAL";
        case -ERANGE:
                return "-ERANGE";
        case -ENOMEM:
                return "-ENOMEM";
        default:
                return "other";
        }
}

/* ---------------------------------------------------------------------- */

typedef struct NumberCase {
        const char *s;
        int r;
        uint64_t value;
} NumberCase;

static void test_parse_size(void) {
        static const NumberCase cases[] = {
                { .s = "1", .r = 0, .value = 1 },
                { .s = "4096", .r = 0, .value = 4096 },
                { .s = "1K", .r = 0, .value = 1024 },
                { .s = "64M", .r = 0, .value = 64ULL << 20 },
                { .s = "2G", .r = 0, .value = 2ULL << 30 },
                { .s = "3T", .r = 0, .value = 3ULL << 40 },
                { .s = "007K", .r = 0, .value = 7 << 10 },
                { .s = "16777215T", .r = 0, .value = 16777215ULL << 40 },
                { .s = "18446744073709551615", .r = 0, .value = UINT64_MAX },
                /* overflow */
                { .s = "16777216T", .r = -ERANGE, .value = 0 },
                { .s = "17179869184G", .r = -ERANGE, .value = 0 },
                { .s = "18446744073709551616", .r = -ERANGE, .value = 0 },
                { .s = "99999999999999999999999", .r = -ERANGE, .value = 0 },
                /* invalid */
                { .s = "0", .r = -EINVAL, .value = 0 },
                { .s = "0K", .r = -EINVAL, .value = 0 },
                { .s = "", .r = -EINVAL, .value = 0 },
                { .s = "K", .r = -EINVAL, .value = 0 },
                { .s = "1k", .r = -EINVAL, .value = 0 },
                { .s = "1KB", .r = -EINVAL, .value = 0 },
                { .s = "1KK", .r = -EINVAL, .value = 0 },
                { .s = "1E", .r = -EINVAL, .value = 0 },
                { .s = "1 K", .r = -EINVAL, .value = 0 },
                { .s = " 1", .r = -EINVAL, .value = 0 },
                { .s = "1 ", .r = -EINVAL, .value = 0 },
                { .s = "-1", .r = -EINVAL, .value = 0 },
                { .s = "+1", .r = -EINVAL, .value = 0 },
                { .s = "1.5G", .r = -EINVAL, .value = 0 },
                { .s = "0x10", .r = -EINVAL, .value = 0 },
                { .s = "infinity", .r = -EINVAL, .value = 0 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t v = 0;
                int r = parse_size(cases[i].s, &v);
                bool good = r == cases[i].r && (r < 0 || v == cases[i].value);

                check(good, "parse_size(%s) = %s%s", show(cases[i].s), errname(cases[i].r),
                    cases[i].r == 0 ? ", value right" : "");
                if (!good)
                        diag("got %s, %llu", errname(r), (unsigned long long) v);
        }
}

static void test_parse_percent(void) {
        static const NumberCase cases[] = {
                { .s = "1%", .r = 0, .value = 1 },
                { .s = "50%", .r = 0, .value = 50 },
                { .s = "100%", .r = 0, .value = 100 },
                { .s = "100000%", .r = 0, .value = 100000 },
                { .s = "007%", .r = 0, .value = 7 },
                { .s = "0%", .r = -ERANGE, .value = 0 },
                { .s = "100001%", .r = -ERANGE, .value = 0 },
                { .s = "99999999999999999999999%", .r = -ERANGE, .value = 0 },
                { .s = "", .r = -EINVAL, .value = 0 },
                { .s = "%", .r = -EINVAL, .value = 0 },
                { .s = "50", .r = -EINVAL, .value = 0 },
                { .s = "50 %", .r = -EINVAL, .value = 0 },
                { .s = " 50%", .r = -EINVAL, .value = 0 },
                { .s = "50%%", .r = -EINVAL, .value = 0 },
                { .s = "50% ", .r = -EINVAL, .value = 0 },
                { .s = "1.5%", .r = -EINVAL, .value = 0 },
                { .s = "-5%", .r = -EINVAL, .value = 0 },
                { .s = "0.5", .r = -EINVAL, .value = 0 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                unsigned v = 0;
                int r = parse_percent(cases[i].s, &v);
                bool good = r == cases[i].r && (r < 0 || v == cases[i].value);

                check(good, "parse_percent(%s) = %s%s", show(cases[i].s), errname(cases[i].r),
                      cases[i].r == 0 ? ", value right" : "");
                if (!good)
                        diag("got %s, %u", errname(r), v);
        }
}

static void test_parse_uint_range(void) {
        static const struct {
                const char *s;
                uint64_t min, max;
                int r;
                uint64_t value;
        } cases[] = {
                { .s = "5", .min = 1, .max = 10, .r = 0, .value = 5 },
                { .s = "1", .min = 1, .max = 10, .r = 0, .value = 1 },
                { .s = "10", .min = 1, .max = 10, .r = 0, .value = 10 },
                { .s = "007", .min = 0, .max = 10, .r = 0, .value = 7 },
                { .s = "0", .min = 0, .max = 0, .r = 0, .value = 0 },
                { .s = "4294967295", .min = 1, .max = UINT32_MAX, .r = 0, .value = UINT32_MAX },
                { .s = "18446744073709551614", .min = 0, .max = UINT64_MAX, .r = 0, .value = UINT64_MAX - 1 },
                { .s = "18446744073709551615", .min = 0, .max = UINT64_MAX, .r = 0, .value = UINT64_MAX },
                { .s = "0", .min = 1, .max = 10, .r = -ERANGE },
                { .s = "11", .min = 1, .max = 10, .r = -ERANGE },
                { .s = "4294967296", .min = 1, .max = UINT32_MAX, .r = -ERANGE },
                { .s = "18446744073709551616", .min = 0, .max = UINT64_MAX, .r = -ERANGE },
                { .s = "", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "1a", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "a1", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "-1", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "+1", .min = 0, .max = 10, .r = -EINVAL },
                { .s = " 1", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "1 ", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "1.0", .min = 0, .max = 10, .r = -EINVAL },
                { .s = "infinity", .min = 0, .max = 10, .r = -EINVAL },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t v = 0;
                int r = parse_uint_range(cases[i].s, cases[i].min, cases[i].max, &v);
                bool good = r == cases[i].r && (r < 0 || v == cases[i].value);

                check(good, "parse_uint_range(%s, %llu, %llu) = %s%s", show(cases[i].s),
                    (unsigned long long) cases[i].min, (unsigned long long) cases[i].max, errname(cases[i].r),
                    cases[i].r == 0 ? ", value right" : "");
                if (!good)
                        diag("got %s, %llu", errname(r), (unsigned long long) v);
        }
}

static void test_parse_timespan(void) {
        static const struct {
                const char *s;
                bool valid;
        } cases[] = {
                { .s = "infinity", .valid = true },
                { .s = "0", .valid = true },
                { .s = "90", .valid = true },
                { .s = "0.5", .valid = true },
                { .s = "5s", .valid = true },
                { .s = "5sec", .valid = true },
                { .s = "1.5s", .valid = true },
                { .s = "100ms", .valid = true },
                { .s = "250us", .valid = true },
                { .s = "250\xc2\xb5s", .valid = true },
                { .s = "2m", .valid = true },
                { .s = "2min", .valid = true },
                { .s = "5 min", .valid = true },
                { .s = "1h", .valid = true },
                { .s = "1hr", .valid = true },
                { .s = "2 hours", .valid = true },
                { .s = "2d", .valid = true },
                { .s = "1w", .valid = true },
                { .s = "1M", .valid = true },
                { .s = "1y", .valid = true },
                { .s = "1min 30s", .valid = true },
                { .s = "1h30min", .valid = true },
                { .s = "55s500ms", .valid = true },
                { .s = "1h 30min 10s 5ms", .valid = true },
                { .s = "1min  30s", .valid = true },
                { .s = " 5s ", .valid = true },
                { .s = "30000w", .valid = true },
                { .s = "", .valid = false },
                { .s = " ", .valid = false },
                { .s = "s", .valid = false },
                { .s = "5x", .valid = false },
                { .s = "5S", .valid = false },
                { .s = "5mins", .valid = false },
                { .s = "-5s", .valid = false },
                { .s = "+5s", .valid = false },
                { .s = "1.", .valid = false },
                { .s = ".5s", .valid = true },
                { .s = ".", .valid = false },
                { .s = ".s", .valid = false },
                { .s = "5.s", .valid = false },
                { .s = "1y 1.5M", .valid = true },
                { .s = "0.0000000001s", .valid = true },
                { .s = "1..5s", .valid = false },
                { .s = "1.5.5s", .valid = false },
                { .s = "5s,", .valid = false },
                { .s = "5s;", .valid = false },
                { .s = "infinity 5s", .valid = false },
                { .s = "Infinity", .valid = false },
                { .s = "5\ts", .valid = false },
                { .s = "5\ns", .valid = false },
                { .s = "99999999999999999999s", .valid = false },
                /* systemd keeps time spans in 64-bit microseconds and
                 * refuses these ("Numerical result out of range"): the
                 * unit would silently lose the setting */
                { .s = "600000y", .valid = false },
                { .s = "10000000000000000000s", .valid = false },
                { .s = "584541y", .valid = true },
                { .s = "584542y", .valid = false },
                { .s = "584541y 1y", .valid = true },
                { .s = "584541y 584541y", .valid = false },
                { .s = "9223372036854775807us", .valid = true },
                { .s = "9223372036854775808us", .valid = false },
                { .s = "9223372036854775807us 9223372036854775807us", .valid = true },
                { .s = "9223372036854775807us 9223372036854775807us 1us", .valid = false },
                { .s = "1.99999999999y", .valid = true },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                int r = parse_timespan(cases[i].s);
                bool good = cases[i].valid ? r == 0 : r < 0;

                check(good, "parse_timespan(%s) %s", show(cases[i].s),
                    cases[i].valid ? "is valid" : "fails");
                if (!good)
                        diag("got %s", errname(r));
        }
}

static void test_parse_mode(void) {
        static const NumberCase cases[] = {
                { .s = "0", .r = 0, .value = 0 },
                { .s = "755", .r = 0, .value = 0755 },
                { .s = "0755", .r = 0, .value = 0755 },
                { .s = "1777", .r = 0, .value = 01777 },
                { .s = "2775", .r = 0, .value = 02775 },
                { .s = "7777", .r = 0, .value = 07777 },
                { .s = "07777", .r = 0, .value = 07777 },
                { .s = "10000", .r = -ERANGE, .value = 0 },
                { .s = "77777", .r = -ERANGE, .value = 0 },
                { .s = "", .r = -EINVAL, .value = 0 },
                { .s = "8", .r = -EINVAL, .value = 0 },
                { .s = "0758", .r = -EINVAL, .value = 0 },
                { .s = "0o755", .r = -EINVAL, .value = 0 },
                { .s = "0x1ff", .r = -EINVAL, .value = 0 },
                { .s = "-1", .r = -EINVAL, .value = 0 },
                { .s = " 755", .r = -EINVAL, .value = 0 },
                { .s = "755 ", .r = -EINVAL, .value = 0 },
                { .s = "rwx", .r = -EINVAL, .value = 0 },
                { .s = "u+rwx", .r = -EINVAL, .value = 0 },
                { .s = "7777777777777777777777", .r = -EINVAL, .value = 0 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                unsigned v = 0;
                int r = parse_mode(cases[i].s, &v);
                bool good = cases[i].r == 0 ? r == 0 && v == cases[i].value : r < 0;

                check(good, "parse_mode(%s) %s", show(cases[i].s),
                      cases[i].r == 0 ? "= its value" : "fails");
                if (!good)
                        diag("got %s, %04o", errname(r), v);
        }
}

/* ---------------------------------------------------------------------- */

typedef struct NameCase {
        const char *s;
        bool valid;
} NameCase;

static void name_cases(const char *fn, bool (*f)(const char *), const NameCase *cases, size_t n) {
        for (size_t i = 0; i < n; i++) {
                bool v = f(cases[i].s);

                check(v == cases[i].valid, "%s(%s) is %s", fn, show(cases[i].s), cases[i].valid ? "true" : "false");
        }
}

#define NAME_CASES(f, ...)                                                      \
        do {                                                                    \
                static const NameCase c[] = { __VA_ARGS__ };                    \
                name_cases(#f, f, c, ELEMENTSOF(c));                            \
        } while (0)

static char *repeat(char c, size_t n, const char *prefix, const char *suffix) {
        size_t p = strlen(prefix), s = strlen(suffix);
        char *r = malloc(p + n + s + 1);

        if (!r)
                abort();
        memcpy(r, prefix, p);
        memset(r + p, c, n);
        memcpy(r + p + n, suffix, s + 1);
        return r;
}

/* checks f on a string of n times c between prefix and suffix */
static void long_name(const char *fn, bool (*f)(const char *), char c, size_t n, const char *prefix,
                      const char *suffix, bool valid) {
        _cleanup_free_ char *s = repeat(c, n, prefix, suffix);

        check(f(s) == valid, "%s(%s + %zu x '%c' + %s, %zu bytes) is %s", fn, show(prefix), n, c, show(suffix),
              strlen(s), valid ? "true" : "false");
}

static void test_names(void) {
        NAME_CASES(sandbox_name_is_valid,
                   { "a", true }, { "web", true }, { "Web2", true }, { "0", true },
                   { "a.b-c_d", true }, { "nightly-report", true }, { "a..b", true },
                   { "", false }, { "-a", false }, { "_a", false }, { ".a", false },
                   { "a b", false }, { "a/b", false }, { "a@b", false }, { "a:b", false },
                   { "a\\b", false }, { "a%b", false }, { "\xc3\xa9", false }, { "a\n", false },
                   { "profiles", false }, { "profiles2", true }, { "Profiles", true });
        NAME_CASES(profile_name_is_valid, { "profiles", true }, { "web", true }, { "-a", false }, { "a/b", false });
        long_name("sandbox_name_is_valid", sandbox_name_is_valid, 'a', 64, "", "", true);
        long_name("sandbox_name_is_valid", sandbox_name_is_valid, 'a', 65, "", "", false);

        NAME_CASES(unit_name_is_valid,
                   { "sandbox.target", true }, { "multi-user.target", true }, { "sandbox@web.service", true },
                   { "sandbox@.service", true }, { "a.b.c.service", true }, { "foo\\x2dbar.mount", true },
                   { "dev-disk-by\\x2dlabel-x:y.device", true }, { "-.slice", true },
                   { "", false }, { "sandbox", false }, { ".service", false }, { "a.", false },
                   { "@a.service", false }, { "a@b@c.service", false }, { "a b.service", false },
                   { "a/b.service", false }, { "a.Service", false }, { "a.serv1ce", false },
                   { "a%i.service", false }, { "a\n.service", false });
        long_name("unit_name_is_valid", unit_name_is_valid, 'a', 247, "", ".service", true);
        long_name("unit_name_is_valid", unit_name_is_valid, 'a', 248, "", ".service", false);

        NAME_CASES(hostname_is_valid,
                   { "web", true }, { "web.example", true }, { "a-b", true }, { "a1.b2.c3", true },
                   { "0", true }, { "A-Z", true },
                   { "", false }, { "-a", false }, { "a-", false }, { "a-.b", false }, { "a.-b", false },
                   { "a.b-", false }, { ".a", false }, { "a.", false }, { "a..b", false }, { "a_b", false },
                   { "a b", false }, { "a/b", false }, { "\xc3\xa9", false }, { "a\n", false });
        long_name("hostname_is_valid", hostname_is_valid, 'a', 63, "", "", true);
        long_name("hostname_is_valid", hostname_is_valid, 'a', 64, "", "", false);
        long_name("hostname_is_valid", hostname_is_valid, 'a', 62, "b.", "", true);
        long_name("hostname_is_valid", hostname_is_valid, 'a', 63, "b.", "", false);

        NAME_CASES(user_name_is_valid,
                   { "root", true }, { "www-data", true }, { "_apt", true }, { "systemd-network", true },
                   { "a.b", true }, { "Admin", true }, { "0", true }, { "1000", true }, { "65534", true },
                   { .s = "machine$", .valid = true },
                   { "", false }, { "1abc", false }, { "-x", false }, { ".x", false }, { "a b", false },
                   { "a:b", false }, { "a$b", false }, { "$", false }, { "a/b", false }, { "\xc3\xa9", false },
                   { "a\n", false }, { "-1", false });
        long_name("user_name_is_valid", user_name_is_valid, 'a', 32, "", "", true);
        long_name("user_name_is_valid", user_name_is_valid, 'a', 33, "", "", false);

        NAME_CASES(env_name_is_valid,
                   { "A", true }, { "_", true }, { "LANG", true }, { "a_b1", true }, { "_1", true },
                   { "", false }, { "1A", false }, { "A-B", false }, { "A.B", false }, { "A=B", false },
                   { "A B", false }, { "$A", false }, { "\xc3\xa9", false });
        long_name("env_name_is_valid", env_name_is_valid, 'A', 255, "", "", true);
        long_name("env_name_is_valid", env_name_is_valid, 'A', 256, "", "", false);

        NAME_CASES(tag_is_valid,
                   { "data", true }, { "archive.1", true }, { "a-b_c", true }, { "0", true },
                   { "", false }, { "-x", false }, { ".x", false }, { "_x", false }, { "a/b", false },
                   { "..", false }, { "a b", false }, { "a:b", false });
        long_name("tag_is_valid", tag_is_valid, 'a', 64, "", "", true);
        long_name("tag_is_valid", tag_is_valid, 'a', 65, "", "", false);

        NAME_CASES(text_is_printable,
                   { "", true }, { "plain text", true }, { "\xc3\xa9 \xe6\x97\xa5", true }, { "%$\"'\\", true },
                   { "a\tb", false }, { "a\nb", false }, { "a\rb", false }, { "\x7f", false }, { "\x1b[0m", false });
}

/* ---------------------------------------------------------------------- */

static void test_paths(void) {
        NAME_CASES(path_is_normalized_absolute,
                   { "/", true }, { "/a", true }, { "/a/b", true }, { "/a.b", true }, { "/...", true },
                   { "/a..b", true }, { "/a/.hidden", true }, { "/a b", true }, { "/\xc3\xa9", true },
                   { "/a:b", true }, { "/a\\b", true },
                   { "", false }, { "a", false }, { "a/b", false }, { "./a", false }, { "//", false },
                   { "//a", false }, { "/a/", false }, { "/a//b", false }, { "/.", false }, { "/..", false },
                   { "/a/.", false }, { "/a/..", false }, { "/./a", false }, { "/a/../b", false },
                   { "/a\tb", false }, { "/a\nb", false }, { "/a\x7f", false });
        long_name("path_is_normalized_absolute", path_is_normalized_absolute, 'a', 4094, "/", "", true);
        long_name("path_is_normalized_absolute", path_is_normalized_absolute, 'a', 4095, "/", "", false);

        static const struct {
                const char *path, *prefix;
                bool below;
        } below[] = {
                { "/a/b", "/a", true },
                { "/a", "/a", true },
                { "/a/b/c", "/a/b", true },
                { "/", "/", true },
                { "/a", "/", true },
                { "/etc/shadow", "/etc", true },
                { "/proc/sys/kernel", "/proc", true },
                { "/ab", "/a", false },
                { "/etcx", "/etc", false },
                { "/a", "/a/b", false },
                { "/", "/a", false },
                { "/b/a", "/a", false },
        };
        for (size_t i = 0; i < ELEMENTSOF(below); i++)
                check(path_is_at_or_below(below[i].path, below[i].prefix) == below[i].below,
                      "path_is_at_or_below(%s, %s) is %s", show(below[i].path), show(below[i].prefix),
                      below[i].below ? "true" : "false");

        /* path_next_component: every component in order, the last marked */
        {
                const char *p = "//etc/./ssh//", *expected[] = { "etc", ".", "ssh" };
                char name[NAME_MAX + 1];
                bool last = false, good = true;
                size_t n = 0;
                int r;

                while ((r = path_next_component(&p, name, &last)) > 0) {
                        good = good && n < ELEMENTSOF(expected) && streq(name, expected[n]) &&
                               last == (n == ELEMENTSOF(expected) - 1);
                        n++;
                }
                check(good && r == 0 && n == 3, "path_next_component(\"//etc/./ssh//\") gives etc, ., ssh (last)");

                char longname[NAME_MAX + 3] = "/";
                memset(longname + 1, 'x', NAME_MAX + 1);
                p = longname;
                check(path_next_component(&p, name, &last) == -ENAMETOOLONG,
                      "path_next_component() refuses a component longer than NAME_MAX");
                p = "/";
                check(path_next_component(&p, name, &last) == 0, "path_next_component(\"/\") has no component");
        }

        /* path_make_absolute, from a known working directory */
        _cleanup_free_ char *cwd = getcwd(NULL, 0);
        static const struct {
                const char *in, *out;
        } abs[] = {
                { .in = "/etc/sandbox/profiles", .out = "/etc/sandbox/profiles" },
                { .in = "profiles", .out = "/tmp/profiles" },
                { .in = "./profiles", .out = "/tmp/profiles" },
                { .in = ".//profiles", .out = "/tmp/profiles" },
                { .in = ".", .out = "/tmp" },
                { .in = "./", .out = "/tmp" },
                { .in = "profiles/", .out = "/tmp/profiles" },
                { .in = "/etc//sandbox/./profiles/", .out = "/etc/sandbox/profiles" },
                { .in = "/", .out = "/" },
                { .in = "//", .out = "/" },
                { .in = "/.", .out = "/" },
                { .in = "a/../b", .out = "/tmp/a/../b" },
                { .in = ".hidden/.x", .out = "/tmp/.hidden/.x" },
        };
        if (!cwd || chdir("/tmp") < 0) {
                check(false, "chdir(\"/tmp\") for path_make_absolute()");
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(abs); i++) {
                _cleanup_free_ char *r = NULL;
                int k = path_make_absolute(abs[i].in, &r);

                check(k == 0 && r && streq(r, abs[i].out), "path_make_absolute(%s) in /tmp = %s",
                    show(abs[i].in), show(abs[i].out));
                if (k < 0 || !r || !streq(r, abs[i].out))
                        diag("got %s, %s", errname(k), show(r));
        }
        if (chdir(cwd) < 0)
                abort();
}

/* ---------------------------------------------------------------------- */

static void test_helper_spec(void) {
        static const struct {
                const char *fields[3];
                unsigned n;
                const char *joined;
        } cases[] = {
                { { "/src", "/dst" }, 2, "/src:/dst" },
                { { "/a:b", "/c" }, 2, "/a\\:b:/c" },
                { { "/a\\b", "/c" }, 2, "/a\\\\b:/c" },
                { { "/a\\", "/b" }, 2, "/a\\\\:/b" },
                { { "\\:", ":\\" }, 2, "\\\\\\::\\:\\\\" },
                { { "::", "" }, 2, "\\:\\::" },
                { { "", "" }, 2, ":" },
                { { "/t", "", "" }, 3, "/t::" },
                { { "/t", "64M", "1777" }, 3, "/t:64M:1777" },
                { { "" }, 1, "" },
                { { "a:b:c" }, 1, "a\\:b\\:c" },
                { { "/d i r/\xc3\xa9 %$", "x" }, 2, "/d i r/\xc3\xa9 %$:x" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *j = helper_spec_join(cases[i].fields, cases[i].n);
                char *f[3] = {};
                bool same = true;
                int r;

                check(j && streq(j, cases[i].joined), "helper_spec_join(%u fields) = %s", cases[i].n,
                      show(cases[i].joined));
                if (!j)
                        continue;
                r = helper_spec_split(j, cases[i].n, f);
                for (unsigned k = 0; k < cases[i].n; k++)
                        same = same && r == 0 && f[k] && streq(f[k], cases[i].fields[k]);
                check(same, "helper_spec_split(%s, %u) gives the fields back", show(j), cases[i].n);
                for (unsigned k = 0; k < cases[i].n; k++)
                        free(f[k]);
        }

        /* NULL fields join as empty ones */
        {
                const char *fields[] = { NULL, "/x" };
                _cleanup_free_ char *j = helper_spec_join(fields, 2);
                check(j && streq(j, ":/x"), "helper_spec_join(NULL, \"/x\") = \":/x\"");
        }

        static const struct {
                const char *value;
                unsigned n;
        } wrong[] = {
                { "a", 2 },
                { "a:b", 3 },
                { "a:b:c", 2 },
                { "a\\:b", 2 },
                { "", 2 },
                { ":", 1 },
                { "a:b:", 2 },
                { "::", 2 },
        };
        for (size_t i = 0; i < ELEMENTSOF(wrong); i++) {
                char *f[3] = { (char *) "unset", (char *) "unset", (char *) "unset" };
                int r = helper_spec_split(wrong[i].value, wrong[i].n, f);
                bool cleared = true;

                for (unsigned k = 0; k < wrong[i].n; k++)
                        cleared = cleared && !f[k];
                check(r == -EINVAL && cleared, "helper_spec_split(%s, %u) = -EINVAL, fields NULL", show(wrong[i].value),
                      wrong[i].n);
                if (r == 0)
                        for (unsigned k = 0; k < wrong[i].n; k++)
                                free(f[k]);
        }

        /* the flag names come from the one option table */
        check(streq(helper_option_flag(HELPER_OPT_BIND_RO), "--bind-ro"), "helper_option_flag(BIND_RO) = \"--bind-ro\"");
        check(streq(helper_option_flag(HELPER_OPT_NAME), "--name"), "helper_option_flag(NAME) = \"--name\"");
        check(streq(helper_option_flag(HELPER_OPT_VERSION), "--version"), "helper_option_flag(VERSION) = \"--version\"");
        bool table = true;
        for (const struct option *o = helper_options; o->name; o++)
                table = table && o->val >= HELPER_OPT_NAME && o->val <= HELPER_OPT_VERSION &&
                        streq(helper_option_flag((HelperOption) o->val) + 2, o->name);
        check(table, "every helper option's flag is \"--\" and its name");
}

/* ---------------------------------------------------------------------- */

static void test_unit_escape(void) {
        static const struct {
                const char *in;
                UnitQuote how;
                const char *out;
        } words[] = {
                { "plain", UNIT_QUOTE_EXEC, "plain" },
                { "/usr/bin/x", UNIT_QUOTE_EXEC, "/usr/bin/x" },
                { "--a=b,c:d@e+f.g-h_i", UNIT_QUOTE_EXEC, "--a=b,c:d@e+f.g-h_i" },
                { "", UNIT_QUOTE_EXEC, "\"\"" },
                { "a b", UNIT_QUOTE_EXEC, "\"a b\"" },
                { "%i", UNIT_QUOTE_EXEC, "%%i" },
                { "100%", UNIT_QUOTE_EXEC, "100%%" },
                { "%%", UNIT_QUOTE_EXEC, "%%%%" },
                { "$HOME", UNIT_QUOTE_EXEC, "$$HOME" },
                { "${X}", UNIT_QUOTE_EXEC, "\"$${X}\"" },
                { "$$", UNIT_QUOTE_EXEC, "$$$$" },
                { "\"", UNIT_QUOTE_EXEC, "\"\\\"\"" },
                { "'", UNIT_QUOTE_EXEC, "\"'\"" },
                { "\\", UNIT_QUOTE_EXEC, "\"\\\\\"" },
                { "\\n", UNIT_QUOTE_EXEC, "\"\\\\n\"" },
                { "trailing\\", UNIT_QUOTE_EXEC, "\"trailing\\\\\"" },
                { ";", UNIT_QUOTE_EXEC, "\";\"" },
                { "\\;", UNIT_QUOTE_EXEC, "\"\\\\;\"" },
                { "a\tb", UNIT_QUOTE_EXEC, "\"a\\x09b\"" },
                { "\x7f", UNIT_QUOTE_EXEC, "\"\\x7f\"" },
                { "\xc3\xa9\xe6\x97\xa5\xf0\x9f\xa6\x8a", UNIT_QUOTE_EXEC, "\xc3\xa9\xe6\x97\xa5\xf0\x9f\xa6\x8a" },
                { "--flag=a b", UNIT_QUOTE_EXEC, "\"--flag=a b\"" },
                { "-x", UNIT_QUOTE_EXEC, "-x" },
                { "@x", UNIT_QUOTE_EXEC, "@x" },
                { "#x", UNIT_QUOTE_EXEC, "\"#x\"" },
                { "daemon off; master_process on;", UNIT_QUOTE_EXEC, "\"daemon off; master_process on;\"" },
                /* a word of Environment=: always quoted, "$" kept */
                { "LANG=C.UTF-8", UNIT_QUOTE_WORD, "\"LANG=C.UTF-8\"" },
                { "A=$HOME ${X}", UNIT_QUOTE_WORD, "\"A=$HOME ${X}\"" },
                { "A=100% %i", UNIT_QUOTE_WORD, "\"A=100%% %%i\"" },
                { "A=\"q\" 'q'", UNIT_QUOTE_WORD, "\"A=\\\"q\\\" 'q'\"" },
                { "A=a\\b\\", UNIT_QUOTE_WORD, "\"A=a\\\\b\\\\\"" },
                { "", UNIT_QUOTE_WORD, "\"\"" },
        };

        for (size_t i = 0; i < ELEMENTSOF(words); i++) {
                _cleanup_buffer_ Buffer b = {};
                _cleanup_free_ char *s = NULL;

                unit_append_word(&b, words[i].in, words[i].how);
                s = buffer_steal(&b);
                check(s && streq(s, words[i].out), "unit_append_word(%s, %s) = %s", show(words[i].in),
                      words[i].how == UNIT_QUOTE_EXEC ? "EXEC" : "WORD", show(words[i].out));
                if (!s || !streq(s, words[i].out))
                        diag("got %s", show(s));
        }

        static const struct {
                const char *in, *out;
        } texts[] = {
                { "Static web server", "Static web server" },
                { "50% of a CPU", "50%% of a CPU" },
                { "%i %%", "%%i %%%%" },
                { "  leading", "leading" },
                { "\t leading tab", "leading tab" },
                { "trailing  ", "trailing" },
                { "trailing\\", "trailing" },
                { "trailing\\ \\\t", "trailing" },
                { "in\\side", "in\\side" },
                { "a\tb\nc\x7f" "d", "abcd" },
                { "\"q\" 'q' $HOME ;", "\"q\" 'q' $HOME ;" },
                { "", "" },
                { "   ", "" },
        };
        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                _cleanup_buffer_ Buffer b = {};
                _cleanup_free_ char *s = NULL;

                unit_append_text(&b, texts[i].in);
                s = buffer_steal(&b);
                check(s && streq(s, texts[i].out), "unit_append_text(%s) = %s", show(texts[i].in), show(texts[i].out));
                if (!s || !streq(s, texts[i].out))
                        diag("got %s", show(s));
        }
}

/* ---------------------------------------------------------------------- */

static bool strv_equal(char **l, const char *const *want) {
        size_t i = 0;

        for (; want[i]; i++)
                if (!l || !l[i] || !streq(l[i], want[i]))
                        return false;
        return l && !l[i];
}

static void test_strv(void) {
        static const struct {
                const char *s, *sep;
                const char *want[5];
        } splits[] = {
                { "a b c", " ", { "a", "b", "c" } },
                { "  a   b  ", " ", { "a", "b" } },
                { "a", " ", { "a" } },
                { "", " ", { NULL } },
                { "   ", " ", { NULL } },
                { ":/a::/b:", ":", { "/a", "/b" } },
                { "x\ty,z\n w", " \t\n,", { "x", "y", "z", "w" } },
                { "CAP_A CAP_B", " \t\r\n,", { "CAP_A", "CAP_B" } },
                { "abc", "", { "abc" } },
        };
        for (size_t i = 0; i < ELEMENTSOF(splits); i++) {
                _cleanup_strv_free_ char **l = NULL;
                int r = strv_split(splits[i].s, splits[i].sep, &l);

                check(r == 0 && l && strv_equal(l, splits[i].want), "strv_split(%s, %s) gives %zu words",
                      show(splits[i].s), show(splits[i].sep), strv_length((char **) splits[i].want));
        }

        {
                _cleanup_strv_free_ char **l = NULL;
                _cleanup_free_ char *j1 = NULL, *j2 = NULL, *j3 = NULL, *j0 = NULL, *jn = NULL;
                _cleanup_strv_free_ char **back = NULL;

                check(strv_append(&l, "a") == 0 && strv_append(&l, "b c") == 0 && strv_append(&l, "") == 0 &&
                      strv_consume(&l, strdup("d")) == 0 && strv_length(l) == 4,
                      "strv_append/strv_consume build a 4-element vector");
                check(strv_contains(l, "b c") && strv_contains(l, "") && !strv_contains(l, "b"),
                      "strv_contains finds whole elements only");
                j1 = strv_join(l, ",");
                check(j1 && streq(j1, "a,b c,,d"), "strv_join(, \",\") = \"a,b c,,d\"");
                j2 = strv_join(l, "");
                check(j2 && streq(j2, "ab cd"), "strv_join with an empty separator");
                j3 = strv_join(l, ", ");
                check(j3 && streq(j3, "a, b c, , d"), "strv_join(, \", \") = \"a, b c, , d\"");
                jn = strv_join(NULL, ",");
                check(jn && streq(jn, ""), "strv_join(NULL) = \"\"");
                {
                        char *empty[] = { NULL };
                        j0 = strv_join(empty, ",");
                        check(j0 && streq(j0, ""), "strv_join of no elements = \"\"");
                }
                check(strv_split(j1, ",", &back) == 0 && strv_equal(back, (const char *const[]) { "a", "b c", "d", NULL }),
                      "strv_split undoes strv_join except for empty elements");
                check(strv_consume(&l, NULL) == -ENOMEM && strv_length(l) == 4, "strv_consume(NULL) = -ENOMEM, vector unchanged");
        }
        {
                _cleanup_strv_free_ char **a = NULL, **b = NULL;

                check(strv_split("x y", " ", &a) == 0 && strv_split("z", " ", &b) == 0 && strv_extend(&a, b) == 0 &&
                      strv_equal(a, (const char *const[]) { "x", "y", "z", NULL }),
                      "strv_extend appends copies");
                check(strv_extend(&a, NULL) == 0 && strv_length(a) == 3, "strv_extend with NULL changes nothing");
                check(strv_length(NULL) == 0 && !strv_contains(NULL, "x"), "strv_length/strv_contains accept NULL");
        }
}

static int lookup_refuse_unset(const char *name, size_t n, const char **ret, void *userdata) {
        *ret = env_get(userdata, name, n);
        return *ret ? 0 : -ENOENT;
}

static void test_exec_expand(void) {
        char *env[] = { "A=x y", "A=one \"two three\" f\\\\our", "B=b", "C=", "D=}", NULL };
        static const struct {
                const char *word;
                const char *want[5];
        } cases[] = {
                { "$A", { "one", "two three", "f\\our" } },
                { "${A}", { "one \"two three\" f\\\\our" } },
                { "-${B}-${B}", { "-b-b" } },
                { "$UNSET", { NULL } },
                { "${UNSET}z", { "z" } },
                { "$C", { NULL } },
                { "${C}", { "" } },
                { "$", { NULL } },
                { "$$B", { "$B" } },
                { "a$$", { "a$" } },
                { "x$B", { "x$B" } },
                { "${B:-d}", { "${B:-d}" } },
                { "${B", { "${B" } },
                { "${D}}", { "}}" } },
                { "${1B}", { "" } },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_strv_free_ char **l = NULL;
                int r = exec_expand_word(cases[i].word, env, &l);

                check(r == 0 && (cases[i].want[0] ? strv_equal(l, cases[i].want) : strv_length(l) == 0), "exec_expand_word(%s) gives %zu words, %s first",
                      show(cases[i].word), strv_length((char **) cases[i].want), show(cases[i].want[0]));
        }
        {
                _cleanup_strv_free_ char **l = NULL;

                check(exec_expand_word_with("a${B}${NONE}", lookup_refuse_unset, env, &l) == -ENOENT,
                      "exec_expand_word_with stops at the lookup's error");
                check(exec_expand_word_with("$NONE", lookup_refuse_unset, env, &l) == -ENOENT,
                      "exec_expand_word_with stops at the lookup's error for a word alone");
                check(exec_expand_word_with("$$NONE", lookup_refuse_unset, env, &l) == 0 &&
                      strv_equal(l, (const char *const[]) { "$NONE", NULL }),
                      "exec_expand_word_with looks nothing up for \"$$\"");
        }
}

/* what convert and validate both ask of a value that passes through */
static void test_unit_setting_values(void) {
        static const struct {
                const char *name, *value;
                bool good;
        } cases[] = {
                { "MemoryHigh", "50%", true },
                { "MemoryHigh", "%H", false },
                { "SetCredential", "a:b%n", false },
                { "SetCredential", "a:b\\nExecStart=/bin/sh", false },
                { "SetCredential", "a:b\nExecStartPre=/bin/sh", false },
                { "SetCredential", "a:b\r[Service]", false },
                { "SetCredential", "a:b c", true },
                { "SetCredential", "a:b ", false },
                { "LimitNOFILE", "", false },
                { "LimitNOFILE", "1024:4096", true },
                { "After", "a.service\tb.service", false },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                check(!unit_setting_check_value(cases[i].name, cases[i].value) == cases[i].good,
                      "unit_setting_check_value(%s, %s) %s it", cases[i].name, show(cases[i].value),
                      cases[i].good ? "takes" : "refuses");
}

static void test_lock_holder(void) {
        static const struct {
                const char *holder;
                pid_t pid;
        } cases[] = { { "4242", 4242 }, { "1", 1 }, { "", 0 }, { "0", 0 }, { "-3", 0 }, { "12x", 0 }, { "99999999999", 0 } };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char holder[LOCK_HOLDER_MAX];

                snprintf(holder, sizeof(holder), "%s", cases[i].holder);
                check(lock_holder_pid(holder) == cases[i].pid, "the lock holder \"%s\" is PID %d", cases[i].holder,
                      (int) cases[i].pid);
        }
}

static void test_capability_names(void) {
        char name[CAPABILITY_NAME_MAX];
        char *s;

        check(capability_from_name("CAP_NET_ADMIN") == 12, "CAP_NET_ADMIN is 12");
        check(capability_from_name("CAP_CHOWN") == 0, "CAP_CHOWN is 0");
        check(capability_from_name("cap_net_admin") == -EINVAL, "lower case is refused where profiles' spelling is asked");
        check(capability_from_name("NET_ADMIN") == -EINVAL, "a name without CAP_ is refused");
        check(capability_from_name("CAP_") == -EINVAL, "CAP_ alone is refused");
        check(capability_from_name("CAP_NET-ADMIN") == -EINVAL, "a name with a character no name has is refused");
        check(capability_from_name("CAP_NO_SUCH_THING") == -EINVAL, "an unknown name is refused");
        check(capability_from_name("CAP_12") == -EINVAL, "a number is no name");
        check(capability_from_any_name("net_admin") == 12, "systemd's spelling: net_admin is 12");
        check(capability_from_any_name("cap_Net_Admin") == 12, "systemd's spelling: cap_Net_Admin is 12");
        check(capability_from_any_name("CAP_SYS_ADMIN") == 21, "systemd's spelling: CAP_SYS_ADMIN is 21");
        check(capability_from_any_name("no_such_thing") == -EINVAL, "systemd's spelling: an unknown name is refused");
        memset(name, 'A', sizeof(name));
        name[sizeof(name) - 1] = 0;
        check(capability_from_any_name(name) == -EINVAL, "a name longer than any is refused");
        check(capability_to_name(12, name) == 0 && streq(name, "CAP_NET_ADMIN"), "12 is CAP_NET_ADMIN");
        check(capability_to_name(63, name) == -EINVAL, "63 has no name");
        check(capability_to_name(64, name) == -EINVAL, "64 is no capability");
        s = capabilities_names(0);
        check(s && streq(s, ""), "no capabilities: \"\"");
        free(s);
        s = capabilities_names((UINT64_C(1) << 21) | (UINT64_C(1) << 12) | (UINT64_C(1) << 63));
        check(s && streq(s, "CAP_NET_ADMIN CAP_SYS_ADMIN"), "a mask: its names in number order, an unknown bit left out (%s)",
              s ? s : "NULL");
        free(s);
}

static void test_status_fields(void) {
        static const char status[] = "Name:\tsleep\nPPid:\t42\nPPidX:\t7\nNSpid:\t1234\t56\t1\nCapEff:\t0000000000000020\n";
        unsigned levels = 0;
        pid_t inner = 0;
        const char *v;

        v = proc_status_field(status, "Name");
        check(v && strncmp(v, "sleep\n", 6) == 0, "the first line's field");
        v = proc_status_field(status, "CapEff");
        check(v && strncmp(v, "0000000000000020", 16) == 0, "the last line's field");
        check(!proc_status_field(status, "Uid"), "a field not there: NULL");
        check(!proc_status_field(status, "PPi"), "a key is matched whole, not as a prefix");
        check(proc_status_pid(status, "PPid") == 42, "PPid 42, not PPidX's 7");
        check(proc_status_pid(status, "Tgid") == 0, "a PID not there: 0");
        check(proc_status_pid("PPid:\t0\n", "PPid") == 0, "PPid 0 (no parent): 0");
        check(proc_status_nspid(status, &inner, &levels) == 0 && inner == 1 && levels == 3,
              "NSpid of three namespaces, innermost 1 (%d, %u)", (int) inner, levels);
        check(proc_status_nspid("NSpid:\t77\n", &inner, &levels) == 0 && inner == 77 && levels == 1, "NSpid of one namespace");
        check(proc_status_nspid("NSpid:\t77\tx\n", &inner, &levels) == -EINVAL, "NSpid that is not a list of PIDs: -EINVAL");
        check(proc_status_nspid("NSpid:\t\n", &inner, &levels) == -EINVAL, "NSpid empty: -EINVAL");
        check(proc_status_nspid("Name:\tx\n", &inner, &levels) == -ENOENT, "no NSpid: -ENOENT");
}

static void test_proc_files(void) {
        _cleanup_free_ char *whole = NULL;
        char buf[4096], small[8];
        uint64_t start = 0;
        pid_t parent = 0;
        size_t n = 0;
        ssize_t k;

        k = proc_read_into(getpid(), "status", buf, sizeof(buf));
        check(k > 0 && proc_status_pid(buf, "Pid") == getpid(), "this process's status, its own Pid in it");
        k = proc_read_into(getpid(), "status", small, sizeof(small));
        check(k == (ssize_t) sizeof(small) - 1 && strlen(small) == sizeof(small) - 1, "a small buffer: cut, NUL-terminated");
        check(proc_read_whole(getpid(), "status", 1 << 20, &whole, &n) == 0 && n == strlen(whole) &&
              proc_status_pid(whole, "Pid") == getpid(), "status whole");
        free(TAKE_PTR(whole));
        check(proc_read_whole(getpid(), "status", 16, &whole, &n) == -EFBIG && !whole, "status past max: -EFBIG");
        check(proc_read_into(getpid(), "no-such-file", buf, sizeof(buf)) == -ENOENT, "a file /proc has not: -ENOENT");
        check(proc_stat_parent_start(getpid(), &parent, &start) == 0 && parent == getppid() && start > 0,
              "this process's parent and start time from its stat");
}

static pid_t child_pausing(int flags) {
        pid_t pid = (pid_t) syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);

        if (pid == 0) {
                pause();
                _exit(0);
        }
        return pid;
}

static void child_end(pid_t pid) {
        if (pid <= 0)
                return;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static void test_proc_tree(void) {
        pid_t first, second, init;

        first = child_pausing(0);
        usleep(20 * 1000); /* a later start time, past the clock's tick */
        second = child_pausing(0);
        check(first > 0 && second > 0 && proc_oldest_child(getpid()) == first, "the oldest child is the one started first");
        check(sandbox_init_find(getpid()) == 0, "no child in a PID namespace of its own: no init");
        init = child_pausing(CLONE_NEWPID);
        if (init < 0)
                check(true, "# SKIP a PID namespace: %s", strerror(errno));
        else
                check(sandbox_init_find(getpid()) == init, "the child that is PID 1 of its own PID namespace is the init");
        child_end(init);
        child_end(first);
        child_end(second);
        check(proc_oldest_child(getpid()) == 0, "no children: none");
}

/* a mountinfo text, as the kernel writes it, read through the parser */
static int parse(const char *text, MountInfo *ret, char **ret_copy) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        int r;

        f.f = fmemopen((void *) text, strlen(text), "r");
        if (!f.f)
                return -errno;
        r = mountinfo_next(&f, ret);
        if (r > 0) {
                /* its fields point into the line, gone with f */
                *ret_copy = NULL;
                if (asprintf(ret_copy, "%s|%s|%s|%s|%s|%d", ret->mount_point, ret->options, ret->fstype, ret->source,
                             ret->super_options, ret->read_only) < 0)
                        return -ENOMEM;
        }
        return r;
}

static void test_mountinfo(void) {
        _cleanup_(mountinfo_close) MountInfoFile self = {}, gone = { .pid = INT32_MAX };
        _cleanup_free_ char *s = NULL, *longline = NULL;
        MountInfo m;
        bool root = false;
        int r;

        r = parse("36 35 98:0 /mnt1 /mnt\\040two rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n", &m, &s);
        check(r == 1 && m.id == 36 && streq(s, "/mnt two|rw,noatime|ext3|/dev/root|rw,errors=continue|0"),
              "a line with optional fields, an escaped space undone (%s)", s ? s : "");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / / rw - tmpfs none ro,size=4k\n", &m, &s);
        check(r == 1 && m.read_only, "a file system mounted read-only is read-only");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / / ro,nosuid - tmpfs none rw\n", &m, &s);
        check(r == 1 && m.read_only, "a mount read-only is read-only");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / / rootcontext=x - tmpfs none rw\n", &m, &s);
        check(r == 1 && !m.read_only, "\"ro\" only as a whole option");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / /a rw - tmpfs\n2 0 0:1 / /b rw - tmpfs none rw\n", &m, &s);
        check(r == 1 && s && strncmp(s, "/b|", 3) == 0,
              "a line without its fields is skipped");
        free(TAKE_PTR(s));
        r = parse("x 0 0:1 / /a rw - tmpfs none rw\n", &m, &s);
        check(r == 0, "a line without a mount ID is skipped");
        longline = malloc(MOUNTINFO_LINE_MAX + 64);
        if (longline) {
                memset(longline, 'a', MOUNTINFO_LINE_MAX + 62);
                memcpy(longline, "1 0 0:1 / /", 11);
                longline[MOUNTINFO_LINE_MAX + 62] = '\n';
                longline[MOUNTINFO_LINE_MAX + 63] = 0;
        }
        check(longline && parse(longline, &m, &s) == -EBADMSG, "a line past MOUNTINFO_LINE_MAX: -EBADMSG");
        if (longline) {
                /* at the bound, its newline counted: read; one byte more: refused */
                static const char tail[] = " rw - tmpfs none rw\n";
                size_t at = MOUNTINFO_LINE_MAX - (sizeof(tail) - 1);

                memcpy(longline + at, tail, sizeof(tail));
                r = parse(longline, &m, &s);
                check(r == 1 && s && strlen(s) > 0, "a line of MOUNTINFO_LINE_MAX bytes with its newline is read");
                free(TAKE_PTR(s));
                memmove(longline + at + 1, longline + at, sizeof(tail));
                longline[at] = 'a';
                check(parse(longline, &m, &s) == -EBADMSG, "one byte more: -EBADMSG");
        }
        r = parse("1 0 0:1 / /last rw - tmpfs none rw", &m, &s);
        check(r == 1 && s && strncmp(s, "/last|", 6) == 0, "a last line without its newline is read");
        free(TAKE_PTR(s));
        while ((r = mountinfo_next(&self, &m)) > 0)
                root = root || streq(m.mount_point, "/");
        check(r == 0 && root, "this process's mountinfo has its root");
        check(mountinfo_next(&gone, &m) == -ENOENT, "a process that is not there: -ENOENT");
}

/* the record as a file's text, for mcs_record_*() */
static void mcs_text(int root, char *buf, size_t size) {
        int fd = openat(root, MCS_RECORD, O_RDONLY | O_CLOEXEC);
        ssize_t k = fd < 0 ? -1 : read(fd, buf, size - 1);

        buf[k > 0 ? k : 0] = 0;
        if (fd >= 0)
                close(fd);
}

static void mcs_write(int root, const char *text) {
        int fd = openat(root, MCS_RECORD, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

        if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text))
                diag("write the record: %m");
        if (fd >= 0)
                close(fd);
}

/* The record of MCS categories, as the helper adds to it (only under
 * SELinux, elsewhere only here) and sandboxctl delete takes from it. */
static void test_mcs_record(void) {
        char dir[] = "/tmp/test-lib-mcs.XXXXXX", text[512], want[512];
        unsigned a1 = 0, b1 = 0, a2 = 0, b2 = 0, a = 0, b = 0;
        int root, r;

        if (geteuid() != 0) {
                printf("ok %u - # SKIP the record must be root's\n", ++tap_n);
                return;
        }
        if (!mkdtemp(dir) || (root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
                check(false, "mcs record: a temporary directory: %m");
                return;
        }
        check(mcs_record_pair(root, dir, "alpha", false, &a, &b) == -ENOENT, "mcs: no record: -ENOENT without add");
        r = mcs_record_pair(root, dir, "alpha", true, &a1, &b1);
        check(r == 1 && a1 < b1 && b1 < MCS_CATEGORIES, "mcs: a pair added: %d c%u,c%u", r, a1, b1);
        r = mcs_record_pair(root, dir, "alpha", true, &a, &b);
        check(r == 0 && a == a1 && b == b1, "mcs: the same pair at the next start, none added: %d", r);
        /* a record that holds alpha's first choice for another: beta is
         * given the pair after it, and never alpha's */
        snprintf(text, sizeof(text), "beta c%u,c%u\n", a1, b1);
        mcs_write(root, text);
        r = mcs_record_pair(root, dir, "alpha", true, &a2, &b2);
        check(r == 1 && (a2 != a1 || b2 != b1), "mcs: its first choice taken, another pair: c%u,c%u", a2, b2);
        /* a line cut short is dropped before the next is added */
        mcs_text(root, text, sizeof(text));
        strcat(text, "cut c1,c");
        mcs_write(root, text);
        r = mcs_record_pair(root, dir, "gamma", true, &a, &b);
        mcs_text(root, text, sizeof(text));
        snprintf(want, sizeof(want), "beta c%u,c%u\nalpha c%u,c%u\ngamma c%u,c%u\n", a1, b1, a2, b2, a, b);
        check(r == 1 && streq(text, want), "mcs: a line cut short is dropped before the next is added");
        r = mcs_record_release(root, dir, "alpha", &a, &b);
        mcs_text(root, text, sizeof(text));
        check(r == 1 && a == a2 && b == b2 && !strstr(text, "alpha"), "mcs: alpha's line released: %d", r);
        check(mcs_record_release(root, dir, "alpha", &a, &b) == 0, "mcs: released twice: nothing to do");
        check(mcs_record_pair(root, dir, "alpha", false, &a, &b) == -ENOENT, "mcs: alpha has no pair any more");
        mcs_write(root, "beta c3,c2\n");
        check(mcs_record_pair(root, dir, "alpha", true, &a, &b) == -EBADMSG, "mcs: a < b or the record is not used");
        (void) unlinkat(root, MCS_RECORD, 0);
        (void) unlinkat(root, MCS_RECORD ".new", 0);
        close(root);
        (void) rmdir(dir);
}

int main(void) {
        test_parse_size();
        test_parse_percent();
        test_parse_uint_range();
        test_parse_timespan();
        test_parse_mode();
        test_names();
        test_paths();
        test_helper_spec();
        test_unit_escape();
        test_strv();
        test_exec_expand();
        test_unit_setting_values();
        test_lock_holder();
        test_capability_names();
        test_status_fields();
        test_proc_files();
        test_proc_tree();
        test_mountinfo();
        test_mcs_record();

        printf("1..%u\n", tap_n);
        return tap_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
