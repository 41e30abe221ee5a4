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

/* The profile text at path (text, size bytes) with new_name where it
 * names sandbox old_name: <sandbox name="">, and, with hostname, a
 * <hostname> of its own (added when its host name comes from a base
 * profile). Logs; -EINVAL when it cannot be edited safely
 * (profile-rename.c). */
int profile_text_rename(const char *path, const char *text, size_t size, const char *old_name, const char *new_name,
                        bool hostname, char **ret);

int verb_validate(int argc, char *argv[], char * const *dirs);
int verb_list(int argc, char *argv[], char * const *dirs);
int verb_show(int argc, char *argv[], char * const *dirs);
int verb_run(int argc, char *argv[], char * const *dirs);
int verb_diff(int argc, char *argv[], char * const *dirs);
int verb_delete(int argc, char *argv[], char * const *dirs);
int verb_clone(int argc, char *argv[], char * const *dirs);
int verb_status(int argc, char *argv[], char * const *dirs);
int verb_exec(int argc, char *argv[], char * const *dirs);
int verb_shell(int argc, char *argv[], char * const *dirs);
int verb_convert(int argc, char *argv[], char * const *dirs);

/* For a command that reads its own options with getopt_long(): a new
 * vector of "sandboxctl VERB" (in *ret_program, freed by the caller) and
 * the arguments, with getopt reset to scan it and not to print. NULL
 * when out of memory. */
char **verb_args_new(const char *verb, int argc, char *argv[], char **ret_program);
/* The one-line message for getopt_long()'s '?' or ':'; returns EXIT_USAGE. */
int verb_usage_error(const char *verb, int c, char *args[]);
/* 0 for a valid sandbox name; else logs "VERB: ... is not a valid
 * sandbox name (the rule)" and returns EXIT_INVALID. */
int verb_name_check(const char *verb, const char *name);
/* 0 when running as root; else logs "VERB: needs root ..." and returns
 * EXIT_INVALID, before a bare "Permission denied" would come. */
int verb_need_root(const char *verb);
