/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "names.h"

_Static_assert(SANDBOX_NAME_MAX == 64, "SANDBOX_NAME_RULE says 64");

static bool is_alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool all_chars_in(const char *s, const char *extra) {
        for (; *s; s++)
                if (!is_alnum(*s) && !strchr(extra, *s))
                        return false;
        return true;
}

bool profile_name_is_valid(const char *s) {
        size_t n = strlen(s);

        return n > 0 && n <= SANDBOX_NAME_MAX && is_alnum(s[0]) && all_chars_in(s, "_.-");
}

bool sandbox_name_is_valid(const char *s) {
        return profile_name_is_valid(s) && strcmp(s, "profiles") != 0;
}

bool unit_name_is_valid(const char *s) {
        const char *dot = strrchr(s, '.');
        const char *at = strchr(s, '@');
        size_t n = strlen(s);

        if (n == 0 || n > 255 || !dot || dot == s || !dot[1])
                return false;
        if (!all_chars_in(s, ":-_.\\@"))
                return false;
        if (at && (at == s || strchr(at + 1, '@')))
                return false;
        /* the suffix is a unit type: letters only */
        for (const char *p = dot + 1; *p; p++)
                if (!(*p >= 'a' && *p <= 'z'))
                        return false;
        return true;
}

bool hostname_is_valid(const char *s) {
        size_t n = strlen(s), label = 0;

        if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.' || s[n - 1] == '-')
                return false;
        for (const char *p = s; *p; p++) {
                if (*p == '.') {
                        if (label == 0 || p[-1] == '-')
                                return false;
                        label = 0;
                        continue;
                }
                if (!is_alnum(*p) && *p != '-')
                        return false;
                if (label == 0 && *p == '-')
                        return false;
                if (++label > 63)
                        return false;
        }
        return true;
}

bool user_name_is_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > 32)
                return false;
        if (strspn(s, "0123456789") == n) {
                /* (uid_t) -1 means "unchanged" to setresuid(), and 65535
                 * is the same in 16 bits: neither names a user */
                unsigned long long v = strtoull(s, NULL, 10);
                return n <= 10 && v < 4294967295ULL && v != 65535;
        }
        if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!is_alnum(s[i]) && !strchr("_.-", s[i]) && !(s[i] == '$' && i == n - 1))
                        return false;
        return true;
}

bool env_name_is_valid(const char *s) {
        if (!*s || (s[0] >= '0' && s[0] <= '9'))
                return false;
        return strlen(s) <= 255 && all_chars_in(s, "_");
}

bool env_name_is_reserved(const char *s) {
        static const char *const names[] = {
                "NOTIFY_SOCKET", "MAINPID", "MANAGERPID", "SYSTEMD_EXEC_PID", "INVOCATION_ID", "JOURNAL_STREAM",
                "CREDENTIALS_DIRECTORY", "RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY",
                "LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY", "FDSTORE", "LOG_NAMESPACE",
                "SERVICE_RESULT", "EXIT_CODE", "EXIT_STATUS", "REMOTE_ADDR", "REMOTE_PORT", "DEBUG_INVOCATION",
        };
        static const char *const prefixes[] = {
                "LISTEN_", "WATCHDOG_", "SANDBOX_", "MEMORY_PRESSURE_", "TRIGGER_", "MONITOR_",
        };

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (strcmp(s, names[i]) == 0)
                        return true;
        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
                if (strncmp(s, prefixes[i], strlen(prefixes[i])) == 0)
                        return true;
        return false;
}

bool tag_is_valid(const char *s) {
        /* the same rule, so that one message (NAME_RULE) says it */
        return profile_name_is_valid(s);
}

bool text_is_printable(const char *s) {
        for (; *s; s++)
                if ((unsigned char) *s < 0x20 || *s == 0x7f)
                        return false;
        return true;
}
