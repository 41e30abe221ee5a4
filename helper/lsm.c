/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>

#include "config.h"
#include "lsm.h"

#if HAVE_SELINUX
#include <selinux/selinux.h>

static struct {
        bool tried;
        __typeof__(is_selinux_enabled) *enabled;
        __typeof__(setexeccon) *setexeccon;
        __typeof__(selinux_lxc_contexts_path) *lxc_contexts_path;
} se;

static bool selinux_load(void) {
        void *h;

        if (!se.tried) {
                se.tried = true;
                h = dlopen("libselinux.so.1", RTLD_NOW | RTLD_LOCAL);
                if (h) {
                        se.enabled = (__typeof__(se.enabled)) dlsym(h, "is_selinux_enabled");
                        se.setexeccon = (__typeof__(se.setexeccon)) dlsym(h, "setexeccon");
                        se.lxc_contexts_path = (__typeof__(se.lxc_contexts_path)) dlsym(h, "selinux_lxc_contexts_path");
                }
        }
        return se.enabled && se.setexeccon && se.lxc_contexts_path;
}
#endif

bool selinux_enabled(void) {
#if HAVE_SELINUX
        return selinux_load() && se.enabled() > 0;
#else
        return false;
#endif
}

int selinux_set_exec_label(const char *label) {
#if HAVE_SELINUX
        if (!selinux_load())
                return -EOPNOTSUPP;
        return se.setexeccon(label) < 0 ? -errno : 0;
#else
        (void) label;
        return -EOPNOTSUPP;
#endif
}

const char *selinux_lxc_contexts(void) {
#if HAVE_SELINUX
        return selinux_load() ? se.lxc_contexts_path() : NULL;
#else
        return NULL;
#endif
}

#if HAVE_APPARMOR
#include <sys/apparmor.h>

static struct {
        bool tried;
        __typeof__(aa_is_enabled) *enabled;
        __typeof__(aa_change_onexec) *change_onexec;
} aa;

static bool apparmor_load(void) {
        void *h;

        if (!aa.tried) {
                aa.tried = true;
                h = dlopen("libapparmor.so.1", RTLD_NOW | RTLD_LOCAL);
                if (h) {
                        aa.enabled = (__typeof__(aa.enabled)) dlsym(h, "aa_is_enabled");
                        aa.change_onexec = (__typeof__(aa.change_onexec)) dlsym(h, "aa_change_onexec");
                }
        }
        return aa.enabled && aa.change_onexec;
}
#endif

bool apparmor_enabled(void) {
#if HAVE_APPARMOR
        return apparmor_load() && aa.enabled() > 0;
#else
        return false;
#endif
}

int apparmor_change_on_exec(const char *profile) {
#if HAVE_APPARMOR
        if (!apparmor_load())
                return -EOPNOTSUPP;
        return aa.change_onexec(profile) < 0 ? -errno : 0;
#else
        (void) profile;
        return -EOPNOTSUPP;
#endif
}
