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

/* Environment= values go into the profile, which every user can read:
 * only from unit files every user could read already */
int convert_check_environment(const UnitProps *u) {
        const char *id = u->id ? u->id : "the unit";
        _cleanup_strv_free_ char **files = NULL;

        if (!u->environment)
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
                                               "unit has Environment=: its values would be in a profile every user "
                                               "can read; not converted (move them to an EnvironmentFile=, which "
                                               "the profile refers to)", id, *f, (unsigned) (st.st_mode & 07777));
        }
        return 0;
}

bool convert_word_at_start(const UnitProps *u, const char *w) {
        bool any = false;

        if (w[0] == '$' && w[1] != '{' && w[1] != '$')
                return u->environment_files || !env_get(u->environment, w + 1, strlen(w + 1));
        for (const char *p = w; *p; p++) {
                if (p[0] == '$' && p[1] == '$') {
                        p++;
                        continue;
                }
                size_t n;

                if (p[0] != '$' || p[1] != '{')
                        continue;
                n = strcspn(p + 2, "}:");
                if (p[2 + n] != '}')
                        continue;
                any = true;
                if (!env_get(u->environment, p + 2, n))
                        return true;
        }
        return any && u->environment_files;
}

static int unset_variable(const char *id, const char *name, size_t n) {
        return log_error_errno(-EINVAL, "%s: ExecStart= uses $%.*s, which no Environment= of the unit sets: systemd "
                               "takes its value at each start (from an EnvironmentFile=, or the manager's own "
                               "environment), and a profile's command is not expanded; not converted (set it with "
                               "Environment=, or write the profile by hand)", id, (int) n, name);
}

/* An ExecStart= word as systemd expands it at start (systemd.service(5),
 * "Command lines"; exec-expand.h): "$NAME" alone becomes the value's
 * words, "${NAME}" anywhere the value, "$$" a "$"; any other "$" stays,
 * "${NAME:-DEFAULT}" too, which systemd does not expand in a command
 * line. Only the unit's Environment= is known here: a variable it does
 * not set refuses the conversion. */
int convert_expand_word(char * const *e, const char *id, const char *w, char ***out) {
        _cleanup_buffer_ Buffer b = {};

        if (w[0] == '$' && w[1] && w[1] != '{' && w[1] != '$') {
                const char *v = env_get(e, w + 1, strlen(w + 1));

                if (!v)
                        return unset_variable(id, w + 1, strlen(w + 1));
                return env_value_words(v, out) < 0 ? log_oom() : 0;
        }
        for (const char *p = w; *p;) {
                const char *v;
                size_t n;

                if (p[0] == '$' && p[1] == '$') {
                        buffer_append_char(&b, '$');
                        p += 2;
                        continue;
                }
                /* "${NAME}" only: the first "}" or ":" after it ends NAME */
                n = p[0] == '$' && p[1] == '{' ? strcspn(p + 2, "}:") : 0;
                if (p[0] != '$' || p[1] != '{' || p[2 + n] != '}') {
                        buffer_append_char(&b, *p++);
                        continue;
                }
                v = env_get(e, p + 2, n);
                if (!v)
                        return unset_variable(id, p + 2, n);
                buffer_append(&b, v);
                p += n + 3;
        }
        if (b.oom || strv_append(out, b.data ? b.data : "") < 0)
                return log_oom();
        return 0;
}
