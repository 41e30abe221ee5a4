/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buffer.h"

/* The user namespace of the sandbox's service (<user-namespace>), for
 * "sandboxctl status": *ret NULL when it is the host's own, else its
 * maps as "uid_map IN OUT COUNT, ...; gid_map ...". 0, -ESRCH once the
 * process has ended, or another -errno; not logged. */
int status_userns(pid_t service, char **ret);

/* The range of <user-namespace mode="private"/>, as its record in the
 * sandbox's state keeps it (userns-range.h): "BASE SIZE STATE\n". */
typedef struct StatusRange {
        uint32_t base, size;
        bool shifting; /* a shift of its state is under way, redone at the next start */
} StatusRange;

/* The record in state, an fd of STATE_ROOT/NAME (userns_record_read()):
 * 0 and *ret; -ENOENT when there is none; -EBADMSG when it is not one of
 * ours; another -errno; each but -ENOENT logged with the record's path. */
int status_userns_range(int state, StatusRange *ret);

/* status_userns() of the service of sandbox name, found by its helper's
 * lock: -ESRCH when it does not run or its service is not found; -errno
 * logged only by sandbox_lock_held() */
int status_userns_running(const char *name, char **ret);

/* "\"user_namespace\": ..." for status --json and list --json: null
 * without a range and with the host's user namespace (or one not
 * known), else {"mode": "private", "base", "size", "uid_map",
 * "gid_map"}, or {"mode": "identity", "uid_map", "gid_map"} for a user
 * namespace of its own without a range. maps is status_userns()'s text,
 * NULL when not known; the maps are null then. A running service's
 * uid_map that maps root to another ID ("0 BASE SIZE", one line) is a
 * range too, and wins over range: it is what runs. */
void status_userns_json(Buffer *b, const StatusRange *range, const char *maps);
