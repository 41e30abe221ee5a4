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

typedef struct VerbArgs VerbArgs;

/* The commands, as verbs.c's table calls them; the help of those with
 * options of their own. */
int verb_validate(VerbArgs *a, char * const *dirs);
int verb_list(VerbArgs *a, char * const *dirs);
int verb_show(VerbArgs *a, char * const *dirs);
int verb_run(VerbArgs *a, char * const *dirs);
int verb_diff(VerbArgs *a, char * const *dirs);
int verb_delete(VerbArgs *a, char * const *dirs);
int verb_clone(VerbArgs *a, char * const *dirs);
int verb_status(VerbArgs *a, char * const *dirs);
int verb_exec(VerbArgs *a, char * const *dirs); /* and shell */
int verb_convert(VerbArgs *a, char * const *dirs);
void verb_run_help(const char *verb);
void verb_diff_help(const char *verb);
void verb_delete_help(const char *verb);
void verb_clone_help(const char *verb);
void verb_status_help(const char *verb);
void verb_exec_help(const char *verb);
void verb_convert_help(const char *verb);

/* 0 for a valid sandbox name; else logs "VERB: ... is not a valid
 * sandbox name (the rule)" and returns EXIT_INVALID. */
int verb_name_check(const char *verb, const char *name);
/* 0 when running as root; else logs "VERB: needs root ..." and returns
 * EXIT_INVALID, before a bare "Permission denied" would come. */
int verb_need_root(const char *verb);
