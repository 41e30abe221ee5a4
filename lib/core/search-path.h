/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Where profiles live. A profile NAME.xml in the first directory of the
 * search path that has one defines sandbox NAME, as systemd resolves unit
 * files. SANDBOX_PROFILE_PATH (colon-separated) replaces the default path.
 */

#include <stddef.h>

#define PROFILE_SEARCH_PATH_DEFAULT "/etc/sandbox/profiles:/run/sandbox/profiles:/usr/lib/sandbox/profiles"
#define PROFILE_SUFFIX ".xml"
/* Base profiles for <include name="..."/> live in this subdirectory. */
#define PROFILE_BASE_SUBDIR "base"

int profile_search_path(char ***ret);

/*
 * The path of NAME.xml in the first directory that has it, or -ENOENT.
 * A directory that fails the checks of dir-trust.h, or cannot be opened,
 * is skipped, and "DIR: skipped: WHY" added to *skipped when not NULL.
 */
int profile_find_noting(char * const *dirs, const char *name, char **ret_path, char ***skipped);
int profile_find(char * const *dirs, const char *name, char **ret_path);

typedef struct ProfileEntry {
        char *name; /* file name without .xml */
        char *path;
} ProfileEntry;

/* Every NAME.xml along the path, first of each name only, sorted by name.
 * Directories that do not exist are passed over; those that fail the
 * checks or cannot be read are skipped as profile_find_noting() does. */
int profile_enumerate(char * const *dirs, ProfileEntry **ret, size_t *ret_n, char ***skipped);
void profile_entries_free(ProfileEntry *e, size_t n);

/* NAME for ".../NAME.xml", NULL when the file name does not end in .xml. */
char *profile_name_from_path(const char *path);
