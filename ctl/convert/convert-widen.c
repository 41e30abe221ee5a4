/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * convert never writes a profile that confines less than the unit did:
 * every confining setting of the unit is carried by an element
 * (convert-profile.c, convert-network.c) or a <unit-setting>
 * (convert-settings.c), implied
 * by what every sandbox does, or refused here, one line each, unless the
 * widening is accepted on purpose.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cap-ng.h>

#include "address-families.h"
#include "convert-exec-paths.h"
#include "convert-network.h"
#include "convert-settings.h"
#include "convert-syscalls.h"
#include "convert-widen.h"
#include "log.h"
#include "macro.h"
#include "paths.h"
#include "strv.h"

#define HAS_CAP(mask, cap) (((mask) >> (cap)) & 1)

const ConfiningSetting confining_settings[] = {
        /* what every sandbox does already (sandbox.profile(5), the template) */
        { "ProtectSystem", "s", "no", "the sandbox's root is the host's, read-only; /etc and /var are its own" },
        { "ProtectHome", "s", "no", "/home and /root are masked in every sandbox" },
        { "PrivateDevices", "b", NULL, "the sandbox's /dev is its own, read-only, with only null, zero, full, random, "
          "urandom, tty and a pty; CAP_MKNOD and CAP_SYS_RAWIO are not kept" },
        { "PrivateMounts", "b", NULL, "the sandbox has a mount namespace of its own" },
        { "PrivateIPC", "b", NULL, "the sandbox has an IPC namespace of its own" },
        { "RemoveIPC", "b", NULL, "the sandbox's IPC namespace goes with it" },
        { "ProtectHostname", "b", NULL, "the sandbox has a UTS namespace of its own" },
        { "ProtectKernelTunables", "b", NULL, "the sandbox's /proc/sys and /sys are read-only" },
        { "ProtectKernelModules", "b", NULL, "the default seccomp filter refuses @module, CAP_SYS_MODULE is not kept, "
          "and the template sets it too" },
        { "ProtectKernelLogs", "b", NULL, "the default seccomp filter refuses syslog(), /dev/kmsg is not in the "
          "sandbox, CAP_SYSLOG is not kept, and the template sets it too" },
        { "ProtectControlGroups", "b", NULL, "the sandbox has a cgroup namespace, /sys/fs/cgroup read-only" },
        { "ProtectProc", "s", "default", "the sandbox's /proc shows only its own processes" },
        { "RestrictRealtime", "b", NULL, "the template sets it, for the service too" },
        { "LockPersonality", "b", NULL, "the template sets it, for the service too" },
        { "SystemCallArchitectures", "as", NULL, "the default seccomp filter kills a call of another architecture; "
          "the template sets SystemCallArchitectures=native" },
        { "RestrictSUIDSGID", "b", NULL, "the default seccomp filter refuses set-user-ID and set-group-ID bits (@setid)" },
        /* nothing in a profile does these */
        { "RootImage", "s", NULL, NULL },
        { "SecureBits", "i", NULL, NULL },
        { "SmackProcessLabel", "(bs)", NULL, NULL },
        /* carried by elements (convert_restrictions()), when valid */
        { "RestrictAddressFamilies", "(bas)", NULL, NULL },
        { "MemoryDenyWriteExecute", "b", NULL, NULL },
        { "SystemCallFilter", "(bas)", NULL, NULL }, /* from the manager (convert-syscalls.c) */
        { "PrivateUsers", "b", NULL, NULL }, /* convert-userns.c */
        { "RestrictFileSystems", "(bas)", NULL, NULL },
        { "RestrictNetworkInterfaces", "(bas)", NULL, NULL },
        { "ProcSubset", "s", "all", NULL },
        /* carried by <no-exec-path> and <exec-path> (convert-exec-paths.c),
         * when valid */
        { "NoExecPaths", "as", NULL, NULL },
        { "ExecPaths", "as", NULL, NULL },
        { "SocketBindAllow", "a(iiqq)", NULL, NULL },
        { "SocketBindDeny", "a(iiqq)", NULL, NULL },
        { "IPIngressFilterPath", "as", NULL, NULL },
        { "IPEgressFilterPath", "as", NULL, NULL },
        { "BPFProgram", "a(ss)", NULL, NULL },
        /* a namespace the unit joins: the sandbox makes its own, or has the host's */
        { "NetworkNamespacePath", "s", NULL, NULL },
        { "IPCNamespacePath", "s", NULL, NULL },
        { "MemoryHigh", "t", NULL, NULL },
        { "MemorySwapMax", "t", NULL, NULL },
        { "CPUWeight", "t", NULL, NULL },
        { "StartupCPUWeight", "t", NULL, NULL },
        { "AllowedCPUs", "ay", NULL, NULL },
        { "AllowedMemoryNodes", "ay", NULL, NULL },
        { "IODeviceWeight", "a(st)", NULL, NULL },
        { "IOReadBandwidthMax", "a(st)", NULL, NULL },
        { "IOWriteBandwidthMax", "a(st)", NULL, NULL },
        { "IOReadIOPSMax", "a(st)", NULL, NULL },
        { "IOWriteIOPSMax", "a(st)", NULL, NULL },
};
const unsigned n_confining_settings = ELEMENTSOF(confining_settings);

const char *const unit_limit_names[N_UNIT_LIMITS] = {
        "LimitCPU", "LimitFSIZE", "LimitDATA", "LimitSTACK", "LimitCORE", "LimitRSS", "LimitNOFILE", "LimitAS",
        "LimitNPROC", "LimitMEMLOCK", "LimitLOCKS", "LimitSIGPENDING", "LimitMSGQUEUE", "LimitNICE", "LimitRTPRIO",
        "LimitRTTIME",
};

const ConfiningSetting *confining_setting(const char *name) {
        for (unsigned i = 0; i < n_confining_settings; i++)
                if (streq(confining_settings[i].name, name))
                        return &confining_settings[i];
        return NULL;
}

const char *confining_value(const UnitProps *u, const char *name) {
        size_t n = strlen(name);

        STRV_FOREACH(c, u->confining)
                if (strncmp(*c, name, n) == 0 && (*c)[n] == '=')
                        return *c + n + 1;
        return NULL;
}

uint64_t convert_dropped_capabilities(const UnitProps *u) {
        uint64_t m = 0;

        if (confining_value(u, "PrivateDevices"))
                m |= UINT64_C(1) << CAP_MKNOD | UINT64_C(1) << CAP_SYS_RAWIO;
        if (confining_value(u, "ProtectKernelModules"))
                m |= UINT64_C(1) << CAP_SYS_MODULE;
        if (confining_value(u, "ProtectKernelLogs"))
                m |= UINT64_C(1) << CAP_SYSLOG;
        if (u->protect_clock)
                m |= UINT64_C(1) << CAP_SYS_TIME | UINT64_C(1) << CAP_WAKE_ALARM;
        /* in a user namespace of its own the unit could not use them
         * either: the network namespace is the host user namespace's
         * (validate refuses them there, lib/profile/profile-check.c) */
        if (confining_value(u, "PrivateUsers"))
                m |= UINT64_C(1) << CAP_NET_BIND_SERVICE | UINT64_C(1) << CAP_NET_ADMIN | UINT64_C(1) << CAP_NET_RAW |
                     UINT64_C(1) << CAP_NET_BROADCAST;
        return m;
}

/* RestrictAddressFamilies='s lines (";" between them, as unit-files.c
 * joins them; one from the manager) as systemd reads them: the first
 * decides allow or deny ("~"); a later one of the same kind adds, of the
 * other kind takes away; "none" allows none. -EINVAL for a name that is
 * not a family (not carried then). */
static int families_parse(const char *value, uint64_t *ret_set, bool *ret_deny) {
        _cleanup_strv_free_ char **lines = NULL;
        bool have = false, deny = false;
        uint64_t set = 0;

        if (strv_split(value, ";", &lines) < 0)
                return -ENOMEM;
        STRV_FOREACH(l, lines) {
                const char *s = *l + strspn(*l, " \t");
                _cleanup_strv_free_ char **words = NULL;
                bool inverted = s[0] == '~';

                if (strv_split(s + inverted, " \t", &words) < 0)
                        return -ENOMEM;
                if (!inverted && words && words[0] && streq(words[0], "none") && !words[1]) {
                        have = true, deny = false, set = 0;
                        continue;
                }
                if (!have)
                        have = true, deny = inverted, set = 0;
                STRV_FOREACH(w, words) {
                        int af = address_family_from_name(*w);

                        if (af < 0)
                                return -EINVAL;
                        if (inverted == deny)
                                set |= UINT64_C(1) << af;
                        else
                                set &= ~(UINT64_C(1) << af);
                }
        }
        if (!have || (deny && set == 0))
                return -EINVAL; /* nothing that confines: not recorded (unit-files.c) */
        *ret_set = set;
        *ret_deny = deny;
        return 0;
}

static bool restriction_carried(const UnitProps *u, const char *setting) {
        uint64_t set;
        bool deny;

        if (strncmp(setting, "MemoryDenyWriteExecute=", 23) == 0 || strncmp(setting, "PrivateUsers=", 13) == 0)
                return true; /* recorded only when it is set */
        if (streq(setting, "ProcSubset=pid"))
                return true; /* <proc subset="pid"/> (convert-profile.c) */
        if (strncmp(setting, "RestrictAddressFamilies=", 24) == 0)
                return families_parse(setting + 24, &set, &deny) == 0;
        /* the manager's whole list, which the setting shows cut short */
        if (strncmp(setting, "SystemCallFilter=", 17) == 0) {
                _cleanup_free_ char *why = NULL;

                return convert_system_calls_why(u, &why) == 0 && !why;
        }
        return false;
}

int convert_restrictions(Buffer *b, const UnitProps *u, char ***notes) {
        const char *families = confining_value(u, "RestrictAddressFamilies");
        uint64_t set;
        bool deny;
        int r;

        if (confining_value(u, "MemoryDenyWriteExecute")) {
                buffer_append(b, "    <memory-deny-write-execute/>\n");
                if (strv_appendf(notes, "MemoryDenyWriteExecute=yes: carried, the sandbox's own seccomp filter refuses "
                                 "memory both writable and executable") < 0)
                        return -ENOMEM;
        }
        r = convert_system_calls(b, u, notes);
        if (r < 0 || !families)
                return r;
        r = families_parse(families, &set, &deny);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0; /* refused (convert_widening()) */
        buffer_printf(b, "    <address-families %s=\"", deny ? "deny" : "allow");
        if (set == 0)
                buffer_append(b, "none");
        for (int af = 0, first = 1; af < ADDRESS_FAMILY_MAX; af++)
                if ((set >> af) & 1) {
                        buffer_printf(b, "%s%s", first ? "" : " ", address_family_to_name(af));
                        first = 0;
                }
        buffer_append(b, "\"/>\n");
        if (strv_appendf(notes, "RestrictAddressFamilies=%s: carried, the sandbox's own seccomp filter refuses "
                         "socket() of the other families", families) < 0)
                return -ENOMEM;
        return 0;
}

typedef struct Widening {
        const char *id;
        bool accept;
        char ***notes;
        unsigned refused;
} Widening;

/* one setting the profile cannot keep: refused, or lost on purpose */
static int widen(Widening *w, const char *setting, const char *why) {
        if (w->accept)
                return strv_appendf(w->notes, "%s: NOT CARRIED, the widening accepted on purpose: %s", setting, why);
        log_error("convert: %s: %s: %s; the profile would confine less than the unit (--accept-widening converts "
                  "it anyway, without it)", w->id, setting, why);
        w->refused++;
        return 0;
}

static bool is_loopback(const char *a) {
        return strncmp(a, "127.", 4) == 0 || streq(a, "::1/128") || streq(a, "localhost");
}

static bool is_any(const char *a) {
        return streq(a, "any") || streq(a, "0.0.0.0/0") || streq(a, "::/0");
}

bool convert_own_network(const UnitProps *u) {
        bool any = false, loopback_only = true;

        if (u->private_network)
                return true;
        STRV_FOREACH(a, u->ip_address_deny)
                any = any || is_any(*a);
        STRV_FOREACH(a, u->ip_address_allow)
                loopback_only = loopback_only && is_loopback(*a);
        return any && loopback_only;
}

/* IPAddressDeny=any with nothing but the loopback allowed is what a
 * network of its own does (convert-network.c gives one); anything else is
 * carried as <allow> and <deny>, which systemd applies to the sandbox's
 * cgroup as the same settings */
static int addresses(const UnitProps *u, Widening *w) {
        _cleanup_free_ char *deny = NULL, *allow = NULL, *s = NULL;

        if (!u->ip_address_deny || convert_own_network(u) || convert_addresses_mapped(u))
                return 0; /* a network of its own, or carried */
        deny = strv_join(u->ip_address_deny, " ");
        allow = strv_join(u->ip_address_allow, " ");
        if (!deny || !allow || asprintf(&s, "IPAddressDeny=%s IPAddressAllow=%s", deny, allow) < 0)
                return -ENOMEM;
        return widen(w, s, "<allow> and <deny> take addresses, prefixes, \"any\", \"localhost\", \"link-local\" and "
                     "\"multicast\", and one of these is none");
}

/* DevicePolicy=strict lets the service open only what DeviceAllow= lists;
 * every sandbox's /dev has these */
static int devices(const UnitProps *u, Widening *w) {
        static const char *const pseudo[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                                              "/dev/tty" };
        _cleanup_free_ char *missing = NULL, *why = NULL;

        if (!u->device_policy || !streq(u->device_policy, "strict"))
                return 0; /* "closed" allows exactly the sandbox's pseudo-devices */
        for (size_t i = 0; i < ELEMENTSOF(pseudo); i++) {
                bool found = false;

                STRV_FOREACH(d, u->device_allow)
                        found = found || (strncmp(*d, pseudo[i], strlen(pseudo[i])) == 0 &&
                                          (*d)[strlen(pseudo[i])] == ':' && strchr(*d + strlen(pseudo[i]), 'r') &&
                                          strchr(*d + strlen(pseudo[i]), 'w'));
                if (!found) {
                        char *m;

                        if (asprintf(&m, "%s%s%s", missing ? missing : "", missing ? " " : "", pseudo[i]) < 0)
                                return -ENOMEM;
                        free(missing);
                        missing = m;
                }
        }
        if (!missing)
                return 0;
        if (asprintf(&why, "the sandbox's /dev has %s, which the unit did not allow, and no device rule", missing) < 0)
                return -ENOMEM;
        return widen(w, "DevicePolicy=strict", why);
}

static int temporary_filesystems(const UnitProps *u, Widening *w) {
        STRV_FOREACH(t, u->temporary_filesystem) {
                const char *opts = strchr(*t, ':');
                _cleanup_strv_free_ char **l = NULL;

                if (!opts)
                        continue;
                if (strv_split(opts + 1, ",", &l) < 0)
                        return -ENOMEM;
                STRV_FOREACH(o, l)
                        if (!streq(*o, "rw") && !streq(*o, "nosuid") && !streq(*o, "nodev") &&
                            strncmp(*o, "mode=", 5) != 0 && strncmp(*o, "size=", 5) != 0) {
                                _cleanup_free_ char *s = NULL;

                                if (asprintf(&s, "TemporaryFileSystem=%s", *t) < 0)
                                        return -ENOMEM;
                                if (widen(w, s, "a profile's <tmpfs> is writable, nosuid and nodev, with a mode and "
                                          "a size only; the option is not carried") < 0)
                                        return -ENOMEM;
                                break;
                        }
        }
        return 0;
}

int convert_widening(const UnitProps *u, uint64_t keep, bool accept, char ***notes) {
        Widening w = { .id = u->id ? u->id : "the unit", .accept = accept, .notes = notes };

        STRV_FOREACH(c, u->confining) {
                size_t n = strcspn(*c, "=");
                _cleanup_free_ char *name = strndup(*c, n);
                const ConfiningSetting *s = name ? confining_setting(name) : NULL;

                if (!name)
                        return -ENOMEM;
                if (s && s->implied) {
                        if (strv_appendf(notes, "%s: done by the sandbox: %s", *c, s->implied) < 0)
                                return -ENOMEM;
                } else if (convert_carried(*c) || restriction_carried(u, *c) || convert_exec_paths_carried(u, *c))
                        continue; /* a <unit-setting> (convert-settings.c), or an element */
                else if (streq(name, "NoExecPaths") || streq(name, "ExecPaths")) {
                        if (widen(&w, *c, "<no-exec-path> and <exec-path> take absolute, normalised paths, each "
                                  "optional (\"-\") or not, no specifier, quote or \"+\", and no path in both") < 0)
                                return -ENOMEM;
                } else if (strncmp(*c, "SystemCallFilter=", 17) == 0) {
                        _cleanup_free_ char *why = NULL;

                        if (convert_system_calls_why(u, &why) < 0 ||
                            widen(&w, *c, why ? why : "a profile has nothing that does this") < 0)
                                return -ENOMEM;
                } else if (strncmp(*c, "Limit", 5) == 0) {
                        if (widen(&w, *c, "a <unit-setting> does not take the value as it is") < 0)
                                return -ENOMEM;
                } else if (widen(&w, *c, "a profile has nothing that does this") < 0)
                        return -ENOMEM;
        }
        if (addresses(u, &w) < 0 || devices(u, &w) < 0 || temporary_filesystems(u, &w) < 0)
                return -ENOMEM;
        STRV_FOREACH(p, u->read_only_paths) {
                const char *path = *p + (**p == '-' || **p == '+');
                _cleanup_free_ char *s = NULL;
                bool bound = false;

                /* below a BindPaths= it is bound read-only (convert-profile.c) */
                for (size_t i = 0; i < u->bind_paths.n && !bound; i++)
                        bound = path_is_at_or_below(path, u->bind_paths.items[i].target);
                if (bound || (!path_is_at_or_below(path, "/tmp") && !path_is_at_or_below(path, "/run") &&
                              !path_is_at_or_below(path, "/dev/shm")))
                        continue;
                if (asprintf(&s, "ReadOnlyPaths=%s", *p) < 0 ||
                    widen(&w, s, "it is in the sandbox's own tmpfs, which the service can write") < 0)
                        return -ENOMEM;
        }
        if (u->cpu_quota_per_sec_usec != UINT64_MAX && u->cpu_quota_per_sec_usec < 10000) {
                char s[64];

                snprintf(s, sizeof(s), "CPUQuota=%llu.%02llu%%", (unsigned long long) (u->cpu_quota_per_sec_usec / 10000),
                         (unsigned long long) (u->cpu_quota_per_sec_usec / 100 % 100));
                if (widen(&w, s, "a profile's cpu= is at least 1%") < 0)
                        return -ENOMEM;
        }
        /* UMask=, Nice= and the Limit*= are carried (convert-settings.c) */
        /* its capabilities are not kept (convert_dropped_capabilities()) */
        if (u->protect_clock &&
            strv_appendf(notes, "ProtectClock=yes: done by the sandbox: the default seccomp filter refuses @clock, and "
                 "CAP_SYS_TIME and CAP_WAKE_ALARM are not kept") < 0)
                return -ENOMEM;
        if (u->restrict_namespaces != UINT64_MAX && HAS_CAP(keep, CAP_SYS_ADMIN) &&
            widen(&w, "RestrictNamespaces=", "CAP_SYS_ADMIN is kept (keep-unsafe), and with it every namespace but "
                  "a user namespace") < 0)
                return -ENOMEM;
        if (u->restrict_namespaces != UINT64_MAX && !HAS_CAP(keep, CAP_SYS_ADMIN) &&
            strv_appendf(notes, "RestrictNamespaces=: done by the sandbox: user namespaces are refused by the default seccomp "
                 "filter, the others need CAP_SYS_ADMIN, which it does not keep") < 0)
                return -ENOMEM;
        return w.refused > 0;
}
