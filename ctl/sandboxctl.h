/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "profile.h"

/* Exit statuses, documented in sandboxctl(1). */
#define EXIT_INVALID 1  /* a profile is invalid, or the operation failed */
#define EXIT_USAGE 2    /* wrong command line */

extern bool arg_json;

/* A PATH (contains "/" or ends in .xml) as it is, or a NAME looked up on
 * the profile search path. Logs and returns -ENOENT when there is none. */
int resolve_profile(const char *arg, char * const *dirs, char **ret_path);

/* Loads a profile and prints every problem to stderr as PATH:LINE: ...
 * Returns 0, -EINVAL for an invalid profile, or another -errno. */
int load_profile_verbose(const char *path, char * const *dirs, Profile **ret);

/* resolve_profile(), its path made absolute, load_profile_verbose(). */
int load_profile_absolute(const char *arg, char * const *dirs, Profile **ret);

int verb_validate(int argc, char *argv[], char * const *dirs);
int verb_list(int argc, char *argv[], char * const *dirs);
int verb_show(int argc, char *argv[], char * const *dirs);
int verb_run(int argc, char *argv[], char * const *dirs);
