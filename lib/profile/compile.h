/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The one compiler from a profile to what runs it: the helper's command
 * line (sandbox-helper(8)) and the unit drop-in that carries it
 * (sandbox-generator(8)). The generator and sandboxctl both call these,
 * so they never disagree about what a profile means.
 */

#include "buffer.h"
#include "profile.h"

/* argv for sandbox-helper at helper_path: options, "--", the command. */
int profile_compile_helper_argv(const Profile *p, const char *helper_path, char ***ret);

/* Warnings for sizes of the profile's tmpfs mounts larger than its
 * memory limit, into d. */
void profile_size_warnings(const Profile *p, Diagnostics *d);

/* The text of sandbox@NAME.service.d/50-profile.conf. */
int profile_compile_dropin(const Profile *p, const char *helper_path, char **ret);

/* ExecStartPost=, ExecReload= and ExecStop= lines, each joining the
 * running sandbox with the helper (compile-hooks.c), into b. */
void compile_hook_lines(const Profile *p, const char *helper_path, Buffer *b);

#define DROPIN_FILE_NAME "50-profile.conf"
