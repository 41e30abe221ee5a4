/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>

/*
 * Logging for the programs. Each message is one line prefixed with the
 * program's name. Library-style code (the profile model) does not log: it
 * returns errors, and the program logs them once where it handles them.
 */

#include <stdbool.h>

#include "macro.h"

void log_set_program(const char *name);
const char *log_program(void);

/* Also copy every message to /dev/kmsg (generators run by systemd). */
void log_open_kmsg(void);

/* The debug level: messages from log_debug() are printed only when on. */
void log_set_debug(bool on);
bool log_debug_enabled(void);

void log_msg(int level, const char *fmt, ...) _printf_(2, 3);

/* Log with "%m" meaning strerror(-error); returns error (always < 0). */
int log_errno(int level, int error, const char *fmt, ...) _printf_(3, 4);

#define LOG_LEVEL_ERR 3
#define LOG_LEVEL_WARNING 4
#define LOG_LEVEL_INFO 6
#define LOG_LEVEL_DEBUG 7

#define log_error(...) log_msg(LOG_LEVEL_ERR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_error_errno(e, ...) log_errno(LOG_LEVEL_ERR, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_errno(LOG_LEVEL_WARNING, (e), __VA_ARGS__)

/* For a message about an operation that failed with error: what to do
 * when it was refused for want of root (EACCES, EPERM), else "". */
static inline const char *log_root_hint(int error) {
        return error == -EACCES || error == -EPERM || error == EACCES || error == EPERM ?
                "; this needs root, with root's privileges: run it as root (e.g. with sudo)" : "";
}

/* Out of memory: logs and returns -ENOMEM. */
int log_oom(void);
