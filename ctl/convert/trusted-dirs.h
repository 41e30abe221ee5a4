/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The directories convert reads units and tmpfiles.d files from: the
 * system's own, or those of a colon-separated environment variable
 * (SYSTEMD_UNIT_PATH, SANDBOX_TMPFILES_PATH). convert runs as root, often
 * with an environment a less trusted caller set (sudo -E), and whatever
 * it reads there becomes a root service's profile; so a directory the
 * variable names is used only when dir_open_trusted() accepts it (owned
 * by root or the caller and writable by no one else, as is every
 * directory above it). One that is not is left out with a warning.
 */

/* The directories of the variable var when set and not empty, else of
 * dflt, into *ret; -ENOMEM. */
int convert_search_dirs(const char *var, const char *dflt, char ***ret);
