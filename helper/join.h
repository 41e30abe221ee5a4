/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "helper-config.h"

/* Runs argv (looked up in the sandbox's PATH when it has no "/") in the
 * running sandbox NAME, as its service runs: its namespaces, cgroups,
 * user, capabilities, seccomp filter, labels, working directory and
 * environment. Waits, passing signals on, and returns the command's
 * exit status (128+N after signal N), or EXIT_SETUP after logging.
 * MAINPID in its environment is the service's PID in the sandbox; with
 * mainpid_words, "$MAINPID" and "${MAINPID}" in argv are that too. */
int join_sandbox(const char *name, char ***argv, bool mainpid_words);
