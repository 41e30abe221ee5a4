/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/*
 * Profile directories are trusted as profiles are: whoever can write a
 * directory, or any directory above it, can swap the profiles in it. A
 * trusted directory is owned by root (or by the caller, who may check
 * their own files) and writable by no one else; so is each directory
 * above it, where a sticky directory (/tmp) may be writable by others,
 * as they cannot move what they do not own out of it.
 */

/*
 * Opens the directory at path for reading, following symbolic links
 * component by component from "/" and checking every directory passed
 * through (each symlink's own directory, the target, and the target's
 * ancestors) and every symlink's owner. Returns the fd, or -errno with
 * *ret_why saying which directory failed and why: -ENOENT or -ENOTDIR
 * when it does not exist, -EPERM when a check failed, another -errno when
 * it could not be opened. With sticky_ok, the directory itself may be
 * sticky and writable by others too (a profile named by its path in
 * /tmp): only a lookup by name in a search-path directory must not find
 * what others added there.
 */
int dir_open_trusted(const char *path, bool sticky_ok, char **ret_why);
