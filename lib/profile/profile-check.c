/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks over the merged profile, where settings from several files meet. */
#include <stdio.h>
#include <string.h>

#include "hidden-paths.h"
#include "interfaces.h"
#include "paths.h"
#include "profile-parse.h"
#include "state-dir.h"
#include "strv.h"
#include "unit-settings.h"

static const char *mount_element(MountKind k) {
        static const char *const names[] = {
                [MOUNT_BIND] = "bind", [MOUNT_TMPFS] = "tmpfs", [MOUNT_IMAGE] = "image", [MOUNT_BLOCK] = "block",
        };
        return names[k];
}

/* Mounted by the sandbox itself; a profile changes them with <etc>,
 * <var>, <tmp>, <run> and <root>, not by mounting over them. */
static const char *const reserved_targets[] = { "/", "/etc", "/var", "/tmp", "/run", "/dev", "/dev/shm", "/dev/pts" };

static unsigned check_mount_targets(const Profile *p, Diagnostics *d) {
        unsigned problems = 0;

        for (size_t i = 0; i < p->n_mounts; i++) {
                const ProfileMount *m = &p->mounts[i];
                const char *what = mount_element(m->kind);
                bool reserved = false, inside = false;

                for (size_t k = 0; k < ELEMENTSOF(reserved_targets) && !reserved; k++)
                        reserved = streq(m->target, reserved_targets[k]);
                /* API file systems the sandbox builds fresh; nothing goes inside them */
                for (size_t k = 0; k < host_kernel_trees_n && !inside; k++)
                        inside = path_is_at_or_below(m->target, host_kernel_trees[k]);
                if (inside) {
                        diag_add(d, m->origin.file, m->origin.line, "<%s>: target \"%s\" is inside /proc or /sys, which the "
                                 "sandbox mounts fresh; nothing may be mounted there", what, m->target);
                        problems++;
                        continue;
                }
                if (reserved) {
                        diag_add(d, m->origin.file, m->origin.line, "<%s>: target \"%s\" is set up by the sandbox itself; "
                                 "mount below it, or use <root>, <etc>, <var>, <tmp> or <run>", what, m->target);
                        problems++;
                        continue;
                }

                for (size_t j = 0; j < i; j++)
                        if (streq(p->mounts[j].target, m->target)) {
                                diag_add(d, m->origin.file, m->origin.line, "<%s>: target \"%s\" is already mounted by <%s> at %s:%u; "
                                         "one mount per target", what, m->target, mount_element(p->mounts[j].kind),
                                         p->mounts[j].origin.file, p->mounts[j].origin.line);
                                problems++;
                                break;
                        }

                for (size_t j = 0; j < p->n_masks; j++)
                        if (path_is_at_or_below(m->target, p->masks[j].path)) {
                                diag_add(d, m->origin.file, m->origin.line, "<%s>: target \"%s\" is masked by <mask path=\"%s\"> at %s:%u; "
                                         "nothing may be mounted over a masked path", what, m->target, p->masks[j].path,
                                         p->masks[j].origin.file, p->masks[j].origin.line);
                                problems++;
                                break;
                        }
        }
        return problems;
}

void profile_mask_host_path(const Profile *p, const ProfileMask *mask, char *buf, size_t size) {
        snprintf(buf, size, "%s%s", p->root_type == ROOT_DIRECTORY && p->root_directory ? p->root_directory : "",
                 mask->path);
}

/* A bind's source is the host's: one inside what the sandbox masks (the
 * secrets, the sandboxes' state, the host's /proc and /sys, the profile's
 * own masks) would show it again. The helper checks again, on the path
 * as it resolves then; a bind of a parent is masked there instead. */
static unsigned check_bind_sources(const Profile *p, Diagnostics *d) {
        unsigned problems = 0;

        for (size_t i = 0; i < p->n_mounts; i++) {
                const ProfileMount *m = &p->mounts[i];
                const char *why, *hidden = NULL;

                if (m->kind != MOUNT_BIND)
                        continue;
                why = bind_source_hidden(m->source, STATE_ROOT_DEFAULT, &hidden);
                if (why) {
                        diag_add(d, m->origin.file, m->origin.line, "<bind>: source \"%s\" is inside %s, %s; "
                                 "no bind may show it (bind a directory above it, in which it stays masked, or "
                                 "another path)", m->source, hidden, why);
                        problems++;
                        continue;
                }
                for (size_t j = 0; j < p->n_masks; j++) {
                        char host[SANDBOX_PATH_MAX * 2 + 2];

                        /* a mask is a path of the sandbox's root, a source one of the host's */
                        profile_mask_host_path(p, &p->masks[j], host, sizeof(host));
                        if (path_is_at_or_below(m->source, host)) {
                                diag_add(d, m->origin.file, m->origin.line, "<bind>: source \"%s\" is inside %s, "
                                         "masked by <mask path=\"%s\"> at %s:%u; no bind may show it", m->source, host,
                                         p->masks[j].path, p->masks[j].origin.file, p->masks[j].origin.line);
                                problems++;
                                break;
                        }
                }
        }
        return problems;
}

/* A shared runtime directory is the host's /run/NAME: nothing of the
 * profile's is mounted or masked in it (that would make mount points in
 * the host's directory), nor is a runtime directory of the sandbox's own
 * made in it. */
static unsigned check_shared_dirs(const Profile *p, Diagnostics *d) {
        unsigned problems = 0;

        for (size_t i = 0; i < p->n_shared_dirs; i++) {
                const ProfileSharedDir *s = &p->shared_dirs[i];
                char path[96];
                size_t n = strlen(s->name);

                snprintf(path, sizeof(path), "/run/%s", s->name);
                for (size_t j = 0; j < p->n_mounts; j++)
                        if (path_is_at_or_below(p->mounts[j].target, path)) {
                                diag_add(d, p->mounts[j].origin.file, p->mounts[j].origin.line, "<%s>: target \"%s\" is in "
                                         "the runtime directory shared with the host at %s:%u; nothing may be mounted there",
                                         mount_element(p->mounts[j].kind), p->mounts[j].target, s->origin.file,
                                         s->origin.line);
                                problems++;
                        }
                for (size_t j = 0; j < p->n_masks; j++)
                        if (path_is_at_or_below(p->masks[j].path, path)) {
                                diag_add(d, p->masks[j].origin.file, p->masks[j].origin.line, "<mask>: path \"%s\" is in "
                                         "the runtime directory shared with the host at %s:%u; the service writes there, "
                                         "a mask would hide nothing", p->masks[j].path, s->origin.file, s->origin.line);
                                problems++;
                        }
                STRV_FOREACH(r, p->runtime_dirs)
                        if (strncmp(*r, s->name, n) == 0 && ((*r)[n] == ':' || (*r)[n] == '/')) {
                                diag_add(d, s->origin.file, s->origin.line, "<runtime-directory>: \"%s\" is shared with "
                                         "the host, and also named as the sandbox's own (\"%.*s\"); one or the other",
                                         s->name, (int) strcspn(*r, ":"), *r);
                                problems++;
                        }
        }
        return problems;
}

static unsigned check_service(const Profile *p, Diagnostics *d) {
        if (p->service_type == SERVICE_ONESHOT && p->restart &&
            (streq(p->restart, "always") || streq(p->restart, "on-success"))) {
                diag_add(d, p->service_origin.file, p->service_origin.line, "<service>: restart=\"%s\" cannot be used with "
                         "type=\"oneshot\"; allowed there: no, on-failure, on-abnormal, on-watchdog, on-abort", p->restart);
                return 1;
        }
        return 0;
}

/* The system bus grants uid 0 every call, systemd's to start a unit
 * outside the sandbox among them, and CAP_SETUID could become uid 0: the
 * helper refuses to start such a sandbox, so validate refuses it first */
static unsigned check_bus(const Profile *p, Diagnostics *d) {
        bool root = !p->user || streq(p->user, "root") || streq(p->user, "0");

        if (!(p->interfaces & INTERFACE_DBUS))
                return 0;
        if (!root && !strv_contains(p->keep_caps, "CAP_SETUID") && !strv_contains(p->keep_caps_unsafe, "CAP_SETUID"))
                return 0;
        diag_add(d, p->interfaces_origin.file ? p->interfaces_origin.file : p->path, p->interfaces_origin.line,
                 "<interfaces>: dbus=\"yes\" for a service that %s: the system bus grants root every call, systemd's "
                 "to start a unit outside the sandbox among them; run the service as a user of its own (<exec user=>), "
                 "without CAP_SETUID", root ? "runs as root" : "keeps CAP_SETUID");
        return 1;
}

/* The profile's filter is loaded as the last step before execve(), after
 * the change of user: there the kernel takes it only with no_new_privs
 * (or CAP_SYS_ADMIN, which the service should not need for it) */
static unsigned check_system_calls(const Profile *p, Diagnostics *d) {
        if (!p->system_calls || p->no_new_privileges)
                return 0;
        diag_add(d, p->system_calls_origin.file, p->system_calls_origin.line,
                 "<system-calls>: needs no_new_privs, which <no-new-privileges enabled=\"no\"/> turns off: the filter "
                 "is loaded after the change of user, where the kernel takes it only with no_new_privs");
        return 1;
}

/* In a user namespace of its own the service's capabilities are that
 * namespace's, and the kernel checks these in the network namespace's
 * owner. Under identity the network namespace, the host's or the one the
 * helper makes before the user namespace, belongs to the host's user
 * namespace; under private only the host's network does, a network of
 * the sandbox's own (none, private, bridge) is made by the service's
 * user namespace, where they are real. Where they are not, the service
 * would start and fail at its first bind() below 1024 or raw socket. */
static const char *const userns_lost_caps[] = { "CAP_NET_BIND_SERVICE", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_NET_BROADCAST" };

static unsigned check_user_namespace(const Profile *p, Diagnostics *d) {
        const char *file = p->caps_origin.file ? p->caps_origin.file : p->path;
        bool private = p->user_namespace == USERNS_PRIVATE;
        unsigned problems = 0;

        if (p->user_namespace == USERNS_NONE || (private && p->network != NETWORK_HOST))
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(userns_lost_caps); i++) {
                if (!strv_contains(p->keep_caps, userns_lost_caps[i]) &&
                    !strv_contains(p->keep_caps_unsafe, userns_lost_caps[i]))
                        continue;
                diag_add(d, file, p->caps_origin.line, "<capabilities>: %s cannot be kept with <user-namespace mode=\"%s\"> "
                         "(%s:%u): the kernel checks it in the network namespace's owner, the host's user namespace, where "
                         "the service has no capability; leave it out, or the user namespace%s", userns_lost_caps[i],
                         user_namespace_mode_to_string(p->user_namespace), p->user_namespace_origin.file,
                         p->user_namespace_origin.line, private ? ", or give the sandbox a network of its own" : "");
                problems++;
        }
        return problems;
}

/* <state size=...> caps the overlays' upper dirs: without an overlay it
 * would cap nothing, and a private /etc or /var, the state directory
 * itself, would escape it */
static unsigned check_state(const Profile *p, Diagnostics *d) {
        if (!p->state_size)
                return 0;
        if (p->etc_mode == DIR_PRIVATE || p->var_mode == DIR_PRIVATE) {
                diag_add(d, p->state_origin.file, p->state_origin.line, "<state>: size=\"%s\" caps the /etc and /var "
                         "overlays, and <%s mode=\"private\"> would not be inside the cap; use mode=\"overlay\"",
                         p->state_size, p->etc_mode == DIR_PRIVATE ? "etc" : "var");
                return 1;
        }
        if (p->etc_mode != DIR_OVERLAY && p->var_mode != DIR_OVERLAY) {
                diag_add(d, p->state_origin.file, p->state_origin.line, "<state>: size=\"%s\" caps the /etc and /var "
                         "overlays, and neither <etc> nor <var> is one (mode=\"overlay\", the default)", p->state_size);
                return 1;
        }
        return 0;
}

unsigned profile_check(Profile *p, Diagnostics *d, bool complete) {
        unsigned problems = 0;

        problems += check_mount_targets(p, d);
        problems += check_bind_sources(p, d);
        problems += check_shared_dirs(p, d);
        problems += check_service(p, d);
        problems += check_state(p, d);
        if (complete)
                problems += check_bus(p, d) + check_system_calls(p, d);
        problems += profile_check_capabilities(p, d);
        problems += check_user_namespace(p, d);
        problems += profile_check_unit_settings(p, d);
        problems += profile_check_state_encryption(p, d);
        if (complete && strv_length(p->argv) == 0) {
                diag_add(d, p->path, p->line, "<sandbox>: no command to run; add <exec><arg>/path/to/program</arg></exec> "
                         "(here or in an included base profile)");
                problems++;
        }
        if (complete && p->landlock && !p->landlock_ro && !p->landlock_rw) {
                diag_add(d, p->landlock_origin.file, p->landlock_origin.line,
                         "<landlock>: no paths; with none the service could not even run its program: add "
                         "<read-only path=\"/usr\"/> and the other paths it needs");
                problems++;
        }
        return problems;
}
