/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The unit's environment in a converted profile: Environment= values only
 * from unit files every user can read, and ExecStart= expanded from them
 * as systemd expands it at start; a word that needs what only the start
 * knows is left to systemd, at each start.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "buffer.h"
#include "convert-env.h"
#include "exec-expand.h"
#include "log.h"
#include "macro.h"
#include "names.h"
#include "strv.h"

/* Environment= and SetCredential= values go into the profile, which
 * every user can read: only from unit files every user could read already */
int convert_check_environment(const UnitProps *u) {
        const char *id = u->id ? u->id : "the unit";
        _cleanup_strv_free_ char **files = NULL;

        if (!u->environment && !u->set_credential)
                return 0;
        /* the names a profile may not set: validate would refuse the profile */
        STRV_FOREACH(e, u->environment) {
                _cleanup_free_ char *name = strndup(*e, strcspn(*e, "="));

                if (!name)
                        return log_oom();
                if (env_name_is_reserved(name))
                        return log_error_errno(-EPERM, "%s: Environment=%s: systemd and the sandbox set this variable "
                                               "and give it a meaning, a profile may not; not converted (remove it "
                                               "from the unit)", id, name);
        }
        if ((u->fragment_path && strv_append(&files, u->fragment_path) < 0) || strv_extend(&files, u->dropin_paths) < 0)
                return log_oom();
        STRV_FOREACH(f, files) {
                struct stat st;

                if (stat(*f, &st) < 0)
                        return log_error_errno(-errno, "%s: %s: %m", id, *f);
                if (!(st.st_mode & S_IROTH))
                        return log_error_errno(-EPERM, "%s: %s (mode %04o) is not readable by every user, and the "
                                               "unit has %s: its values would be in a profile every user can read; "
                                               "not converted (move them to %s, which the profile refers to)", id,
                                               *f, (unsigned) (st.st_mode & 07777),
                                               u->environment ? "Environment=" : "SetCredential=",
                                               u->environment ? "an EnvironmentFile=" : "a LoadCredential= file");
        }
        return 0;
}

typedef struct AtStart {
        const UnitProps *unit;
        bool any, unset;
} AtStart;

static int lookup_at_start(const char *name, size_t n, const char **ret, void *userdata) {
        AtStart *a = userdata;

        a->any = true;
        *ret = env_get(a->unit->environment, name, n);
        a->unset = a->unset || !*ret;
        return 0;
}

bool convert_word_at_start(const UnitProps *u, const char *w) {
        _cleanup_strv_free_ char **discard = NULL;
        AtStart a = { .unit = u };

        /* on no memory, left to systemd */
        if (exec_expand_word_with(w, lookup_at_start, &a, &discard) < 0)
                return true;
        return a.unset || (a.any && u->environment_files);
}

typedef struct Known {
        char * const *env;
        const char *id;
} Known;

static int lookup_known(const char *name, size_t n, const char **ret, void *userdata) {
        const Known *k = userdata;

        *ret = env_get(k->env, name, n);
        if (*ret)
                return 0;
        return log_error_errno(-EINVAL, "%s: ExecStart= uses $%.*s, which no Environment= of the unit sets: systemd "
                               "takes its value at each start (from an EnvironmentFile=, or the manager's own "
                               "environment), and a profile's command is not expanded; not converted (set it with "
                               "Environment=, or write the profile by hand)", k->id, (int) n, name);
}

/* An ExecStart= word as systemd expands it at start (exec-expand.h), from
 * the unit's Environment= only: a variable it does not set refuses the
 * conversion. */
int convert_expand_word(char * const *e, const char *id, const char *w, char ***out) {
        Known k = { e, id };
        int r = exec_expand_word_with(w, lookup_known, &k, out);

        return r == -ENOMEM ? log_oom() : r;
}
