/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* A program of the host's run by root for the state (mkfs.ext4,
 * resize2fs, systemd-creds, sandbox-state-crypt): fork(), and in the
 * child every signal at its default and unblocked (nothing of the
 * caller's handling: a stop ends it), in and out (where >= 0) as its
 * standard input and output, then execve(program, argv, envp), envp
 * being the caller's own clean environment, never the caller's. Where
 * the child cannot get that far it logs why and exits with
 * failed_status. Returns the child's PID, or -errno after logging. */
pid_t spawn_program(const char *program, char *const argv[], char *const envp[], int in, int out, int failed_status);

/* waitpid() for pid, again on EINTR: 0 and its wait status, or -errno. */
int spawn_wait(pid_t pid, int *ret_status);
