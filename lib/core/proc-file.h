/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What /proc says about a process: its files read with a bound, and the
 * fields of its status file. For the helper's --join and sandboxctl
 * status alike. Nothing here logs. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* /proc/PID/NAME (NAME may have slashes: "task/PID/children"), up to
 * size - 1 bytes into buf, NUL-terminated: for a file whose first part
 * is enough. Returns the number of bytes read, or -errno. */
ssize_t proc_read_into(pid_t pid, const char *name, char *buf, size_t size);

/* /proc/PID/NAME whole, NUL-terminated, into *ret (its length without
 * that NUL into *ret_size): -EFBIG when it has max bytes or more, as a
 * file cut there could not be told from a whole one. 0 or -errno. */
int proc_read_whole(pid_t pid, const char *name, size_t max, char **ret, size_t *ret_size);

/* The parent of pid and its start time (clock ticks after boot), from
 * /proc/PID/stat, which, unlike its status, anyone may read. 0, or
 * -errno (-EINVAL for a text without them). */
int proc_stat_parent_start(pid_t pid, pid_t *ret_parent, uint64_t *ret_start);
/* The same, of a stat text already read (NUL-terminated). */
int proc_stat_parse_parent_start(const char *stat, pid_t *ret_parent, uint64_t *ret_start);

/* The value of a "Key:\tvalue" line of a /proc/PID/status text, after
 * its blanks and up to the end of the line; NULL without the line. */
const char *proc_status_field(const char *status, const char *key);

/* The PID a field of /proc/PID/status starts with ("PPid"); 0 when the
 * field is missing or says none. */
pid_t proc_status_pid(const char *status, const char *key);

/* NSpid: the PID in the innermost PID namespace (*ret_inner) and in how
 * many namespaces it has one (*ret_levels). -ENOENT without the field
 * (a kernel before 4.1), -EINVAL for one that is not a list of PIDs. */
int proc_status_nspid(const char *status, pid_t *ret_inner, unsigned *ret_levels);
