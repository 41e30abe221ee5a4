/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The pass-through of unit settings. A key passes only when it cannot
 * widen what the sandbox confines: it limits resources, names the
 * service in logs, orders or pulls in other units, or hands the service
 * data systemd reads for it (credentials). Whatever the sandbox decides
 * (the command, the user, the type, the notification and kill policy,
 * the cgroup, the template's hardening) is its own and refused here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hidden-paths.h"
#include "names.h"
#include "paths.h"
#include "quantities.h"
#include "state-dir.h"
#include "strv.h"
#include "unit-settings.h"

typedef enum ValueKind {
        V_LIMIT,        /* a count or a size: N, NK..NE, infinity; SOFT:HARD */
        V_LIMIT_TIME,   /* LimitCPU=, LimitRTTIME=: a time span */
        V_LIMIT_NICE,   /* LimitNICE=: -20..19, or 0..40 raw */
        V_UMASK,
        V_SIGNAL,
        V_TIMESPAN,
        V_IDENTIFIER,
        V_FACILITY,
        V_OOM_SCORE,
        V_NICE,
        V_MEMORY,
        V_CPU_WEIGHT,
        V_IO_WEIGHT,
        V_IO_BANDWIDTH, /* "PATH BYTES" */
        V_IO_IOPS,      /* "PATH N" */
        V_LOAD_CREDENTIAL,
        V_SET_CREDENTIAL,
        V_ADDRESSES,
        V_UNITS,
        V_RESTART,
} ValueKind;

typedef struct Key {
        const char *name;
        const char *section;
        ValueKind kind;
        bool list;      /* each element adds a line; otherwise the last one counts */
} Key;

static const Key keys[] = {
        { "LimitCPU", "Service", V_LIMIT_TIME, false },
        { "LimitFSIZE", "Service", V_LIMIT, false },
        { "LimitDATA", "Service", V_LIMIT, false },
        { "LimitSTACK", "Service", V_LIMIT, false },
        { "LimitCORE", "Service", V_LIMIT, false },
        { "LimitRSS", "Service", V_LIMIT, false },
        { "LimitNOFILE", "Service", V_LIMIT, false },
        { "LimitAS", "Service", V_LIMIT, false },
        { "LimitNPROC", "Service", V_LIMIT, false },
        { "LimitMEMLOCK", "Service", V_LIMIT, false },
        { "LimitLOCKS", "Service", V_LIMIT, false },
        { "LimitSIGPENDING", "Service", V_LIMIT, false },
        { "LimitMSGQUEUE", "Service", V_LIMIT, false },
        { "LimitNICE", "Service", V_LIMIT_NICE, false },
        { "LimitRTPRIO", "Service", V_LIMIT, false },
        { "LimitRTTIME", "Service", V_LIMIT_TIME, false },
        { "UMask", "Service", V_UMASK, false },
        { "KillSignal", "Service", V_SIGNAL, false },
        { "TimeoutStartSec", "Service", V_TIMESPAN, false },
        { "TimeoutStopSec", "Service", V_TIMESPAN, false },
        { "RestartSec", "Service", V_TIMESPAN, false },
        { "Restart", "Service", V_RESTART, false },
        { "WatchdogSec", "Service", V_TIMESPAN, false },
        { "SyslogIdentifier", "Service", V_IDENTIFIER, false },
        { "SyslogFacility", "Service", V_FACILITY, false },
        { "OOMScoreAdjust", "Service", V_OOM_SCORE, false },
        { "Nice", "Service", V_NICE, false },
        { "MemoryHigh", "Service", V_MEMORY, false },
        { "CPUWeight", "Service", V_CPU_WEIGHT, false },
        { "IOWeight", "Service", V_IO_WEIGHT, false },
        { "IOReadBandwidthMax", "Service", V_IO_BANDWIDTH, true },
        { "IOWriteBandwidthMax", "Service", V_IO_BANDWIDTH, true },
        { "IOReadIOPSMax", "Service", V_IO_IOPS, true },
        { "IOWriteIOPSMax", "Service", V_IO_IOPS, true },
        { "LoadCredential", "Service", V_LOAD_CREDENTIAL, true },
        { "SetCredential", "Service", V_SET_CREDENTIAL, true },
        { "IPAddressAllow", "Service", V_ADDRESSES, true },
        { "IPAddressDeny", "Service", V_ADDRESSES, true },
        { "After", "Unit", V_UNITS, true },
        { "Before", "Unit", V_UNITS, true },
        { "Wants", "Unit", V_UNITS, true },
        { "Requires", "Unit", V_UNITS, true },
        { "PartOf", "Unit", V_UNITS, true },
        { "BindsTo", "Unit", V_UNITS, true },
        { "Conflicts", "Unit", V_UNITS, true },
};

/* what the sandbox decides, and where a profile says it if it can */
static const struct {
        const char *name, *instead;
} owned[] = {
        { "Type", "<service type=>" },
        { "ExecStart", "<exec>" },
        { "ExecStartPre", NULL },
        { "ExecStartPost", NULL },
        { "ExecReload", NULL },
        { "ExecStop", NULL },
        { "ExecStopPost", NULL },
        { "ExecCondition", NULL },
        { "User", "<exec user=>" },
        { "Group", "<exec group=>" },
        { "DynamicUser", NULL },
        { "SupplementaryGroups", "<supplementary-group>" },
        { "WorkingDirectory", "<exec workdir=>" },
        { "Environment", "<env>" },
        { "EnvironmentFile", "<environment-file>" },
        { "PassEnvironment", NULL },
        { "UnsetEnvironment", NULL },
        { "NotifyAccess", NULL },
        { "KillMode", NULL },
        { "Slice", NULL },
        { "Delegate", NULL },
        { "PIDFile", NULL },
        { "RootDirectory", "<root>" },
        { "RootImage", NULL },
        { "PrivateNetwork", "<network mode=\"none\">" },
        { "MemoryMax", "<resources memory=>" },
        { "CPUQuota", "<resources cpu=>" },
        { "TasksMax", "<resources tasks=>" },
        { "FileDescriptorStoreMax", "<service fd-store=>" },
        { "RuntimeDirectory", "<runtime-directory>" },
        { "Description", "<description>" },
        { "SourcePath", NULL },
};

/* the lines of the message that lists what passes */
#define ALLOWED_KEYS                                                                                            \
        "Limit*=, UMask=, KillSignal=, TimeoutStartSec=, TimeoutStopSec=, Restart=, RestartSec=, WatchdogSec=, " \
        "SyslogIdentifier=, SyslogFacility=, OOMScoreAdjust=, Nice=, MemoryHigh=, CPUWeight=, IOWeight=, "     \
        "IO{Read,Write}{Bandwidth,IOPS}Max=, LoadCredential=, SetCredential=, IPAddressAllow=, "              \
        "IPAddressDeny= ([Service]); After=, Before=, Wants=, Requires=, PartOf=, BindsTo=, Conflicts= ([Unit])"

static const Key *find_key(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (streq(keys[i].name, name))
                        return &keys[i];
        return NULL;
}

bool unit_setting_allowed(const char *name, const char **ret_section, bool *ret_list) {
        const Key *k = find_key(name);

        if (k && ret_section)
                *ret_section = k->section;
        if (k && ret_list)
                *ret_list = k->list;
        return k;
}

static bool is_digits(const char *s) {
        return *s && strspn(s, "0123456789") == strlen(s);
}

static bool integer_in(const char *s, long min, long max) {
        char *end;
        long v;

        if (!*s || !strchr("+-0123456789", *s) || strlen(s) > 12)
                return false;
        errno = 0;
        v = strtol(s, &end, 10);
        return errno == 0 && !*end && v >= min && v <= max;
}

/* a count, or bytes with a 1024-based suffix, as systemd's rlimits take them */
static bool limit_part(const char *s, ValueKind kind) {
        size_t n = strspn(s, "0123456789");

        if (streq(s, "infinity"))
                return true;
        if (kind == V_LIMIT_TIME)
                return parse_timespan(s) >= 0;
        if (kind == V_LIMIT_NICE)
                return strchr("+-", s[0]) ? integer_in(s, -20, 19) : integer_in(s, 0, 40);
        return n > 0 && n <= 19 && (!s[n] || (strchr("KMGTPE", s[n]) && !s[n + 1]));
}

/* the rlimit a part means, to compare soft with hard: nice levels with a
 * sign are 20 - level, as the kernel counts them; 0 for a time span,
 * which is not compared */
static uint64_t limit_number(const char *s, ValueKind kind) {
        static const char suffixes[] = "KMGTPE";
        uint64_t v;
        char *end;

        if (streq(s, "infinity"))
                return UINT64_MAX;
        if (kind == V_LIMIT_TIME)
                return 0;
        if (kind == V_LIMIT_NICE)
                return strchr("+-", s[0]) ? (uint64_t) (20 - strtol(s, NULL, 10)) : strtoull(s, NULL, 10);
        v = strtoull(s, &end, 10);
        if (*end)
                for (size_t i = 0; i <= (size_t) (strchr(suffixes, *end) - suffixes); i++)
                        v = v > UINT64_MAX / 1024 ? UINT64_MAX : v * 1024;
        return v;
}

static bool limit_value(const char *s, ValueKind kind) {
        const char *colon = strchr(s, ':');
        _cleanup_free_ char *soft = NULL;

        if (!colon)
                return limit_part(s, kind);
        soft = strndup(s, colon - s);
        /* systemd ignores a soft limit above the hard one */
        return soft && limit_part(soft, kind) && limit_part(colon + 1, kind) &&
                limit_number(soft, kind) <= limit_number(colon + 1, kind);
}

static bool signal_value(const char *s) {
        const char *name = strncmp(s, "SIG", 3) == 0 ? s + 3 : s;

        if (is_digits(s))
                return integer_in(s, 1, 64);
        for (int i = 1; i < 32; i++) {
                const char *a = sigabbrev_np(i);

                if (a && streq(a, name))
                        return true;
        }
        return false;
}

static bool facility_value(const char *s) {
        static const char *const names[] = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
                                             "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
                                             "local3", "local4", "local5", "local6", "local7" };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(names[i], s))
                        return true;
        return false;
}

static bool credential_id(const char *s, size_t n) {
        if (n == 0 || n > 255 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@", s[i]))
                        return false;
        return true;
}

static bool address_value(const char *s) {
        _cleanup_strv_free_ char **words = NULL;

        if (strv_split(s, " ", &words) < 0 || !words[0])
                return false;
        STRV_FOREACH(w, words) {
                char *slash = strchr(*w, '/');
                unsigned char buf[sizeof(struct in6_addr)];
                int family;

                if (streq(*w, "any") || streq(*w, "localhost") || streq(*w, "link-local") || streq(*w, "multicast"))
                        continue;
                if (slash)
                        *slash = 0;
                family = strchr(*w, ':') ? AF_INET6 : AF_INET;
                if (inet_pton(family, *w, buf) != 1)
                        return false;
                if (slash && !integer_in(slash + 1, 0, family == AF_INET6 ? 128 : 32))
                        return false;
        }
        return true;
}

static bool units_value(const char *s) {
        _cleanup_strv_free_ char **words = NULL;

        if (strv_split(s, " ", &words) < 0 || !words[0])
                return false;
        STRV_FOREACH(w, words)
                if (!unit_name_is_valid(*w) || strchr(*w, '\\'))
                        return false;
        return true;
}

/* "PATH VALUE": a device or a file on the file system it limits */
static bool io_value(const char *s, ValueKind kind) {
        const char *space = strrchr(s, ' ');
        _cleanup_free_ char *path = NULL;
        uint64_t v;

        if (!space)
                return false;
        path = strndup(s, space - s);
        if (!path || strchr(path, ' ') || !path_is_normalized_absolute(path))
                return false;
        if (streq(space + 1, "infinity"))
                return true;
        return kind == V_IO_IOPS ? parse_uint_range(space + 1, 1, UINT64_MAX - 1, &v) >= 0
                                 : parse_size(space + 1, &v) >= 0;
}

/* one line in the unit, taken as it is: no escapes, no specifiers (a
 * percentage of the memory is a value, not one) */
static const char *text_problem(const Key *k, const char *value) {
        const char *percent = strchr(value, '%');

        return !*value ? "is empty"
                : strlen(value) > 1024 ? "is longer than 1024 bytes"
                : !text_is_printable(value) ? "has a control character (such as a newline)"
                : strchr(value, '\\') ? "has a \"\\\""
                : percent && (k->kind != V_MEMORY || percent[1]) ? "has a \"%\""
                : value[0] == ' ' || value[strlen(value) - 1] == ' ' ? "begins or ends with a space"
                : NULL;
}

const char *unit_setting_check_value(const char *name, const char *value) {
        const Key *k = find_key(name);
        const char *colon;
        uint64_t v;
        unsigned m;

        if (!k)
                return "a key of the list";
        if (text_problem(k, value))
                return "one line of text, taken as it is";
        switch (k->kind) {
        case V_LIMIT:
        case V_LIMIT_TIME:
        case V_LIMIT_NICE:
                if (limit_value(value, k->kind))
                        return NULL;
                return k->kind == V_LIMIT_TIME ? "a time span or \"infinity\", or SOFT:HARD of them"
                        : k->kind == V_LIMIT_NICE ? "a nice level from -20 to 19 (or 0 to 40 as the kernel counts), or SOFT:HARD of them, soft not above hard"
                        : "a whole number, optionally with K, M, G, T, P or E, or \"infinity\", or SOFT:HARD of them, soft not above hard";
        case V_UMASK:
                return parse_mode(value, &m) >= 0 && m <= 0777 ? NULL : "octal from 0000 to 0777, e.g. \"0027\"";
        case V_SIGNAL:
                return signal_value(value) ? NULL : "a signal name such as \"SIGINT\" or \"QUIT\", or a number from 1 to 64";
        case V_TIMESPAN:
                return parse_timespan(value) >= 0 ? NULL : "a time span as in systemd.time(7), e.g. \"90s\", or \"infinity\"";
        case V_RESTART: {
                static const char *const modes[] = { "no", "always", "on-success", "on-failure", "on-abnormal",
                                                     "on-abort", "on-watchdog" };

                for (size_t i = 0; i < ELEMENTSOF(modes); i++)
                        if (streq(value, modes[i]))
                                return NULL;
                return "no, always, on-success, on-failure, on-abnormal, on-abort or on-watchdog";
        }
        case V_IDENTIFIER:
                return strlen(value) <= 64 && strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789_.@-") == strlen(value)
                        ? NULL : "at most 64 letters, digits, \"_\", \".\", \"@\" and \"-\"";
        case V_FACILITY:
                return facility_value(value) ? NULL : "a facility of syslog(3): kern, user, mail, daemon, auth, syslog, "
                        "lpr, news, uucp, cron, authpriv, ftp, local0 to local7";
        case V_OOM_SCORE:
                return integer_in(value, -1000, 1000) ? NULL : "a whole number from -1000 to 1000";
        case V_NICE:
                return integer_in(value, -20, 19) ? NULL : "a whole number from -20 to 19";
        case V_MEMORY:
                return streq(value, "infinity") || parse_size(value, &v) >= 0 ||
                        (value[strlen(value) - 1] == '%' && parse_percent(value, &m) >= 0 && m <= 100)
                        ? NULL : "a size with K, M, G or T (1024-based), a percentage of the memory, or \"infinity\"";
        case V_CPU_WEIGHT:
                return streq(value, "idle") || parse_uint_range(value, 1, 10000, &v) >= 0
                        ? NULL : "a whole number from 1 to 10000, or \"idle\"";
        case V_IO_WEIGHT:
                return parse_uint_range(value, 1, 10000, &v) >= 0 ? NULL : "a whole number from 1 to 10000";
        case V_IO_BANDWIDTH:
                return io_value(value, k->kind) ? NULL : "\"/dev/DEVICE BYTES\": an absolute path and a size with "
                        "K, M, G or T, or \"infinity\"";
        case V_IO_IOPS:
                return io_value(value, k->kind) ? NULL : "\"/dev/DEVICE N\": an absolute path and a number of "
                        "operations a second, or \"infinity\"";
        case V_LOAD_CREDENTIAL:
                colon = strchr(value, ':');
                if (!credential_id(value, colon ? (size_t) (colon - value) : strlen(value)))
                        return "ID or ID:PATH, ID of letters, digits, \"_\", \".\", \"@\" and \"-\" (not \".\" or \"..\")";
                if (colon && !path_is_normalized_absolute(colon + 1))
                        return "ID:PATH with PATH " PATH_RULE;
                return NULL;
        case V_SET_CREDENTIAL:
                colon = strchr(value, ':');
                return colon && credential_id(value, colon - value)
                        ? NULL : "ID:DATA, ID of letters, digits, \"_\", \".\", \"@\" and \"-\" (not \".\" or \"..\")";
        case V_ADDRESSES:
                return address_value(value) ? NULL : "addresses with an optional /PREFIX, \"any\", \"localhost\", "
                        "\"link-local\" or \"multicast\", separated by spaces";
        case V_UNITS:
                return units_value(value) ? NULL : "unit names such as \"postgresql.service\", separated by spaces";
        }
        return "a key of the list";
}

static void add_setting(ParseContext *c, xmlNodePtr n, const Key *k, char *value) {
        Profile *p = c->profile;
        UnitSetting *t;

        /* a later one of a single-valued key replaces the earlier one, as
         * an included base's setting is replaced by the profile's */
        if (!k->list)
                for (size_t i = 0; i < p->n_unit_settings; i++)
                        if (streq(p->unit_settings[i].name, k->name)) {
                                replace(&p->unit_settings[i].value, value);
                                p->unit_settings[i].origin = (Origin) { c->file, line_of(n) };
                                return;
                        }
        t = realloc(p->unit_settings, (p->n_unit_settings + 1) * sizeof(*t));
        if (!t) {
                free(value);
                c->diags->error = -ENOMEM;
                return;
        }
        p->unit_settings = t;
        t[p->n_unit_settings] = (UnitSetting) { .section = strdup(k->section), .name = strdup(k->name),
                                                .value = value, .origin = { c->file, line_of(n) } };
        if (!t[p->n_unit_settings].section || !t[p->n_unit_settings].name)
                c->diags->error = -ENOMEM;
        p->n_unit_settings++;
}

void profile_parse_unit_setting(ParseContext *c, xmlNodePtr n) {
        _cleanup_free_ char *section = attr(n, "section"), *name = attr(n, "name"), *value = attr(n, "value");
        const char *why, *hidden = NULL;
        const Key *k;

        if (!section || !name || !value)
                return;
        for (size_t i = 0; i < ELEMENTSOF(owned); i++)
                if (streq(owned[i].name, name)) {
                        problem(c, n, "%s= is the sandbox's; not passed through%s%s", name,
                                owned[i].instead ? "; a profile sets it with " : "",
                                owned[i].instead ? owned[i].instead : "");
                        return;
                }
        if (streq(name, "DeviceAllow")) {
                problem(c, n, "DeviceAllow= is not passed through: the sandbox's /dev has no node but its own "
                        "pseudo-devices and its <block> devices, so the device would not be there");
                return;
        }
        k = find_key(name);
        if (!k) {
                problem(c, n, "%s= is not a setting that passes through; allowed: " ALLOWED_KEYS,
                        strlen(name) > 64 ? "the name" : name);
                return;
        }
        if (!streq(section, k->section)) {
                problem(c, n, "%s= is a setting of section \"%s\", not \"%s\"", name, k->section, section);
                return;
        }
        why = text_problem(k, value);
        if (why) {
                problem(c, n, "value of %s= %s; allowed: one line of text, taken as it is", name, why);
                return;
        }
        why = unit_setting_check_value(name, value);
        if (why) {
                problem(c, n, "value \"%s\" is not valid for %s=; allowed: %s", value, name, why);
                return;
        }
        /* systemd reads the file as root for the service: what no bind may
         * show, no credential may either */
        if (k->kind == V_LOAD_CREDENTIAL && strchr(value, ':') &&
            (why = bind_source_hidden(strchr(value, ':') + 1, STATE_ROOT_DEFAULT, &hidden))) {
                problem(c, n, "LoadCredential= path \"%s\" is inside %s, %s; no credential may be read from it",
                        strchr(value, ':') + 1, hidden, why);
                return;
        }
        /* a directory is read whole, every file below it */
        if (k->kind == V_LOAD_CREDENTIAL && strchr(value, ':') &&
            (why = path_holds_hidden(strchr(value, ':') + 1, STATE_ROOT_DEFAULT, &hidden))) {
                problem(c, n, "LoadCredential= path \"%s\" holds %s, %s; systemd would read every file below it",
                        strchr(value, ':') + 1, hidden, why);
                return;
        }
        add_setting(c, n, k, TAKE_PTR(value));
}

/* Why systemd, reading path as root for the service at each start, could
 * be led to what the sandbox hides: the path is where the service or
 * other users write (a symbolic link planted there is followed), below a
 * mask of the profile's, or resolves now into a hidden path. NULL when
 * none of these. */
static const char *credential_path_problem(const Profile *p, const char *path, char **ret_detail) {
        static const char *const shared[] = { "/tmp", "/var/tmp", "/dev/shm", "/run/user" };
        _cleanup_free_ char *real = NULL;
        const char *hidden = NULL;

        real = realpath(path, NULL);
        if (real && !streq(real, path) &&
            (bind_source_hidden(real, STATE_ROOT_DEFAULT, &hidden) ||
             path_holds_hidden(real, STATE_ROOT_DEFAULT, &hidden))) {
                *ret_detail = strdup(real);
                return "resolves into or above a path the sandbox always masks";
        }
        for (size_t i = 0; i < ELEMENTSOF(shared); i++)
                if (path_is_at_or_below(path, shared[i]))
                        return "is in a directory every user can write";
        for (size_t i = 0; i < p->n_mounts; i++)
                if (p->mounts[i].kind == MOUNT_BIND && !p->mounts[i].readonly &&
                    (path_is_at_or_below(path, p->mounts[i].source) || path_is_at_or_below(p->mounts[i].source, path)))
                        return "is in or above a writable <bind> source, which the service writes";
        for (size_t i = 0; i < p->n_masks; i++) {
                char host[SANDBOX_PATH_MAX * 2 + 2];

                profile_mask_host_path(p, &p->masks[i], host, sizeof(host));
                if (path_is_at_or_below(path, host) || path_is_at_or_below(host, path))
                        return "is masked by a <mask> of the profile, or holds one";
        }
        return NULL;
}

unsigned profile_check_unit_settings(const Profile *p, Diagnostics *d) {
        const struct {
                const char *name, *element;
                const char *set;
        } elements[] = {
                { "Restart", "<service restart=>", p->restart },
                { "RestartSec", "<service restart-sec=>", p->restart_sec },
                { "TimeoutStartSec", "<service timeout-start-sec=>", p->timeout_start_sec },
                { "TimeoutStopSec", "<service timeout-stop-sec=>", p->timeout_stop_sec },
                { "IOWeight", "<resources io-weight=>", p->io_weight },
        };
        unsigned problems = 0;

        for (size_t i = 0; i < p->n_unit_settings; i++) {
                const UnitSetting *u = &p->unit_settings[i];
                const char *colon = strchr(u->value, ':'), *why;
                _cleanup_free_ char *detail = NULL;

                if (!streq(u->name, "LoadCredential") || !colon)
                        continue;
                why = credential_path_problem(p, colon + 1, &detail);
                if (why) {
                        diag_add(d, u->origin.file, u->origin.line, "<unit-setting>: LoadCredential= path \"%s\" %s%s%s; "
                                 "systemd reads it as root at every start; allowed: a file only root can change",
                                 colon + 1, why, detail ? ": " : "", detail ? detail : "");
                        problems++;
                }
        }
        for (size_t i = 0; i < p->n_unit_settings; i++)
                for (size_t j = 0; j < ELEMENTSOF(elements); j++)
                        if (elements[j].set && streq(p->unit_settings[i].name, elements[j].name)) {
                                diag_add(d, p->unit_settings[i].origin.file, p->unit_settings[i].origin.line,
                                         "<unit-setting>: %s= is set by %s already; one of them", elements[j].name,
                                         elements[j].element);
                                problems++;
                        }
        return problems;
}

void unit_settings_append(Buffer *b, const Profile *p, const char *section) {
        for (size_t i = 0; i < p->n_unit_settings; i++)
                if (streq(p->unit_settings[i].section, section))
                        buffer_printf(b, "%s=%s\n", p->unit_settings[i].name, p->unit_settings[i].value);
}
