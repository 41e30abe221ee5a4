/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "helper-config.h"

/* Runs argv (looked up in the sandbox's PATH when it has no "/") in the
 * running sandbox NAME, as its service runs: its namespaces, cgroups,
 * user, capabilities, seccomp filter, labels, working directory and
 * environment. Waits, passing signals on, and returns the command's
 * exit status (128+N after signal N), or EXIT_SETUP after logging.
 * MAINPID in its environment is the service's PID in the sandbox. With
 * unit_command, argv is one of the unit's commands (ExecStartPost=,
 * ExecReload=, ExecStop=): "$MAINPID" and "${MAINPID}" in it are that
 * PID too, and it succeeds when the sandbox's end kills it. */
int join_sandbox(const char *name, char ***argv, bool unit_command);
