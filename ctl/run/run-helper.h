/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The helper that run, exec and shell execute: the installed one, or
 * SANDBOX_HELPER's (a build tree's). sandboxctl runs as root, often with
 * an environment a less trusted caller set (sudo -E), so the variable is
 * trusted as a profile is: an absolute path to a regular, executable file
 * owned by root (or by the caller) and writable by no one else, in a
 * directory that dir_open_trusted() accepts. No one else can then swap
 * the program between the check and its execution.
 */

/* 0 and *ret (static, or the environment's string); else logs why
 * SANDBOX_HELPER is refused, for verb, and returns -EPERM. */
int run_helper_path(const char *verb, const char **ret);
