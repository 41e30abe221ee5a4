/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* PrivateUsers=, DynamicUser= and --user-namespace= in a converted
 * profile (convert-userns.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "convert-userns.h"
#include "convert-widen.h"
#include "log.h"
#include "macro.h"
#include "regular-file.h"
#include "strv.h"

#define PASSWD_MAX (16U << 20)

/* Whether name has a line of the host's /etc/passwd, read as it is: not
 * through NSS, whose systemd module answers for a dynamic user while its
 * unit runs. One that cannot be read has none: the dynamic user's way,
 * the more confined. */
static bool static_user(const char *name) {
        _cleanup_free_ char *text = NULL;
        size_t n = strlen(name);

        if (read_regular_file("/etc/passwd", PASSWD_MAX, &text, NULL, NULL) < 0)
                return false;
        for (const char *line = text; *line; line += strcspn(line, "\n"), line += *line == '\n')
                if (strncmp(line, name, n) == 0 && line[n] == ':')
                        return true;
        return false;
}

/* The name systemd gives the dynamic user: User=, else the unit's name */
static char *dynamic_user_name(const UnitProps *u) {
        const char *id = u->id ? u->id : "";
        size_t n = strlen(id);

        if (!isempty(u->user))
                return strdup(u->user);
        return strndup(id, n > 8 && streq(id + n - 8, ".service") ? n - 8 : n);
}

static const struct {
        const char *setting, *base;
        size_t offset;
} directory_kinds[] = {
        { "StateDirectory", "/var/lib", offsetof(UnitProps, state_directory) },
        { "CacheDirectory", "/var/cache", offsetof(UnitProps, cache_directory) },
        { "LogsDirectory", "/var/log", offsetof(UnitProps, logs_directory) },
};

/* One directory of a dynamic user's, as systemd makes it: BASE/private/
 * NAME, a directory, and BASE/NAME a link to private/NAME. Its owner
 * into *owner (the same for all, and one of systemd's dynamic IDs unless
 * the user is a static one). */
static int dynamic_directory(const UnitProps *u, const char *setting, const char *base, const char *name,
                             bool static_one, uid_t *owner, ConvertUsers *c, char ***notes) {
        _cleanup_free_ char *private = NULL, *path = NULL, *link = NULL, *want = NULL;
        char target[PATH_MAX];
        struct stat st;
        ssize_t k;

        if (!*name || strchr(name, '/') || strchr(name, ':') || streq(name, ".") || streq(name, ".."))
                return log_error_errno(-EINVAL, "convert: %s: %s=%s with DynamicUser=yes: only a plain name is "
                                       "converted (no \"/\", no \":\"); write the profile by hand", u->id, setting,
                                       name);
        if (asprintf(&private, "%s/private", base) < 0 || asprintf(&path, "%s/private/%s", base, name) < 0 ||
            asprintf(&link, "%s/%s", base, name) < 0 || asprintf(&want, "private/%s", name) < 0)
                return -ENOMEM;
        if (lstat(path, &st) < 0) {
                if (errno == ENOENT)
                        return log_error_errno(-EINVAL, "convert: %s: %s=%s with DynamicUser=yes: systemd keeps it in "
                                               "%s, which is not there: it makes it at the unit's first start; start "
                                               "%s once, then convert again", u->id, setting, name, path, u->id);
                return log_error_errno(-errno, "convert: %s: %s=%s: %s: %m", u->id, setting, name, path);
        }
        if (!S_ISDIR(st.st_mode))
                return log_error_errno(-EINVAL, "convert: %s: %s=%s: %s is not a directory", u->id, setting, name, path);
        k = readlink(link, target, sizeof(target) - 1);
        if (k >= 0)
                target[k] = 0;
        if (k < 0 || !streq(target, want))
                return log_error_errno(-EINVAL, "convert: %s: %s=%s: %s is not the link to %s that systemd makes "
                                       "for a dynamic user; not converted", u->id, setting, name, link, want);
        if (!static_one && (st.st_uid < CONVERT_DYNAMIC_ID_FIRST || st.st_uid > CONVERT_DYNAMIC_ID_LAST ||
                            st.st_gid != st.st_uid))
                return log_error_errno(-EINVAL, "convert: %s: %s=%s: %s is owned by %u:%u, not by one of systemd's "
                                       "dynamic users (%u-%u, the group the same); not converted", u->id, setting,
                                       name, path, (unsigned) st.st_uid, (unsigned) st.st_gid,
                                       CONVERT_DYNAMIC_ID_FIRST, CONVERT_DYNAMIC_ID_LAST);
        if (!static_one && *owner != (uid_t) -1 && st.st_uid != *owner)
                return log_error_errno(-EINVAL, "convert: %s: %s=%s: %s is owned by %u, another of its directories "
                                       "by %u: not one dynamic user's; not converted", u->id, setting, name, path,
                                       (unsigned) st.st_uid, (unsigned) *owner);
        *owner = st.st_uid;
        if ((!strv_contains(c->private_dirs, private) && strv_append(&c->private_dirs, private) < 0) ||
            strv_append(&c->binds, path) < 0)
                return -ENOMEM;
        return strv_appendf(notes, "%s=%s with DynamicUser=yes: %s, where systemd keeps it, bound writable at "
                            "itself, on a tmpfs %s of the sandbox's own that shows only the unit's directories, as "
                            "systemd shows them to it; %s reaches it through its link", setting, name, path, private,
                            link);
}

static int dynamic_user(const UnitProps *u, ConvertUserns mode, ConvertUsers *c, char ***notes) {
        _cleanup_free_ char *name = dynamic_user_name(u);
        uid_t owner = (uid_t) -1;
        bool static_one;
        int r;

        if (!name)
                return -ENOMEM;
        static_one = static_user(name);
        if (mode == CONVERT_USERNS_IDENTITY && !static_one)
                return log_error_errno(-EINVAL, "convert: %s: DynamicUser=yes with --user-namespace=identity: its "
                                       "user %s exists only while systemd runs it, and identity maps only the "
                                       "host's own users (systemd hands its dynamic IDs to other units); not "
                                       "converted: --user-namespace=private gives it an ID of a range of its own",
                                       u->id, name);
        for (size_t i = 0; i < ELEMENTSOF(directory_kinds); i++) {
                char **dirs = *(char ***) ((const char *) u + directory_kinds[i].offset);

                STRV_FOREACH(d, dirs) {
                        r = dynamic_directory(u, directory_kinds[i].setting, directory_kinds[i].base, *d, static_one,
                                              &owner, c, notes);
                        if (r < 0)
                                return r;
                }
        }
        if (static_one) {
                if (isempty(u->user) && !(c->user = strdup(name)))
                        return -ENOMEM;
                return strv_appendf(notes, "DynamicUser=yes: %s is a user of the host's /etc/passwd, which systemd "
                                    "uses then rather than a dynamic one: the service runs as %s", name, name);
        }
        if (owner == (uid_t) -1)
                owner = CONVERT_DYNAMIC_ID_FIRST;
        c->dynamic = true;
        if (asprintf(&c->user, "%u", (unsigned) owner) < 0 || !(c->group = strdup(c->user)))
                return -ENOMEM;
        return strv_appendf(notes, "DynamicUser=yes: its user %s is none of the host's: the service runs as user and "
                            "group %u inside its user namespace, not root, %s; no name in the sandbox's /etc has "
                            "that ID, as none had on the host but through systemd", name, (unsigned) owner,
                            c->binds ? "the owner of the directories systemd made for it, which stay its own" :
                                       "the first of systemd's dynamic IDs (it has no directory of systemd's yet)");
}

static int mode_note(const UnitProps *u, ConvertUserns mode, const char *option, ConvertUsers *c, char ***notes) {
        bool root = !c->dynamic && !c->user && (isempty(u->user) || streq(u->user, "root") || streq(u->user, "0"));
        const char *setting = u->dynamic_user ? "DynamicUser=yes" : confining_value(u, "PrivateUsers") ?
                                                                     "PrivateUsers=yes" : NULL;

        if (mode == CONVERT_USERNS_IDENTITY)
                return strv_appendf(notes, "%s: carried, <user-namespace mode=\"identity\"/>%s: root, the service's "
                                    "user and its groups are themselves in a user namespace of its own, every other "
                                    "user and group the overflow ID (nobody); the capabilities it keeps act in that "
                                    "namespace only, and CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, CAP_NET_RAW and "
                                    "CAP_NET_BROADCAST are not kept: the kernel checks them in the host's user "
                                    "namespace, %s%s", setting ? setting :
                                    "--user-namespace=identity",
                                    !setting ? ", as asked (the unit has neither PrivateUsers= nor DynamicUser=)" :
                                    option ? ", as --user-namespace=identity asks" :
                                    " (what systemd does; --user-namespace=private gives it a range of the host's IDs "
                                    "of its own instead)",
                                    confining_value(u, "PrivateUsers") ? "where the unit had them no more" :
                                    "where the service has none, which the unit had (a bind() below 1024 fails)",
                                    root ? "; it runs as root, and root's capabilities are the namespace's, as under "
                                           "systemd: not over the host's network, devices or other users' files, "
                                           "while root's own files stay root's" : "");
        return strv_appendf(notes, "%s: <user-namespace mode=\"private\"/>%s: every user and group inside, root "
                            "among them, is an ID of a range of 65536 of the host's that is the sandbox's own, taken "
                            "at its first start and kept with its state; none is a user of the host's, and the "
                            "capabilities it keeps act in that namespace only; a client of the host's on a Unix "
                            "socket is the overflow ID (65534) to it, so authentication by the client's UID (a "
                            "database's peer method) refuses the host's users%s%s", setting ? setting :
                            "--user-namespace=private",
                            !setting ? ", as asked (the unit has neither PrivateUsers= nor DynamicUser=)" :
                            u->dynamic_user && !option ? " (for a dynamic user, whose user is none of the host's; "
                                                         "identity maps only the host's own)" :
                            u->dynamic_user || !option ? "" : ", as --user-namespace=private asks (systemd's "
                                                              "PrivateUsers=yes is identity)",
                            confining_value(u, "PrivateUsers") ? "; CAP_NET_BIND_SERVICE, CAP_NET_ADMIN, "
                            "CAP_NET_RAW and CAP_NET_BROADCAST are not kept, which the unit could not use either" : "",
                            root ? "; it runs as root inside, which is not root on the host" : "");
}

int convert_users(const UnitProps *u, const char *option, ConvertUsers *ret, char ***notes) {
        ConvertUserns asked = !option ? CONVERT_USERNS_NONE :
                              streq(option, "identity") ? CONVERT_USERNS_IDENTITY : CONVERT_USERNS_PRIVATE;

        _cleanup_strv_free_ char **user_notes = NULL;
        int r;

        *ret = (ConvertUsers) {};
        if (u->dynamic_user) {
                ret->mode = asked == CONVERT_USERNS_IDENTITY ? CONVERT_USERNS_IDENTITY : CONVERT_USERNS_PRIVATE;
                /* said after the mode */
                r = dynamic_user(u, ret->mode, ret, &user_notes);
                if (r < 0)
                        return r;
        } else if (confining_value(u, "PrivateUsers"))
                ret->mode = asked == CONVERT_USERNS_PRIVATE ? CONVERT_USERNS_PRIVATE : CONVERT_USERNS_IDENTITY;
        else
                ret->mode = asked;
        if (ret->mode == CONVERT_USERNS_NONE)
                return 0;
        r = mode_note(u, ret->mode, option, ret, notes);
        if (r < 0)
                return r;
        return strv_extend(notes, user_notes);
}

void convert_users_done(ConvertUsers *c) {
        free(c->user);
        free(c->group);
        strv_free(c->private_dirs);
        strv_free(c->binds);
        *c = (ConvertUsers) {};
}

void convert_users_element(Buffer *b, const ConvertUsers *c) {
        if (c->mode != CONVERT_USERNS_NONE)
                buffer_printf(b, "  <user-namespace mode=\"%s\"/>\n",
                              c->mode == CONVERT_USERNS_IDENTITY ? "identity" : "private");
}

void convert_users_filesystem(Buffer *b, const ConvertUsers *c) {
        STRV_FOREACH(d, c->private_dirs) {
                buffer_append(b, "    <tmpfs target=\"");
                buffer_append_xml(b, *d);
                buffer_append(b, "\" mode=\"0755\"/>\n");
        }
        STRV_FOREACH(d, c->binds) {
                buffer_append(b, "    <bind source=\"");
                buffer_append_xml(b, *d);
                buffer_append(b, "\" readonly=\"no\"/>\n");
        }
}
