/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "buffer.h"
#include "unit-props.h"

/*
 * The runtime directories a converted service needs, as
 * <runtime-directory> elements into b (convert-rundir.c). Shared with the
 * host at /run/NAME (share="host"), so that the host's clients find the
 * service's sockets where they always did, is each directory that one of
 * three sources names:
 *
 *  - the unit's RuntimeDirectory= (with RuntimeDirectoryMode=);
 *  - a tmpfiles.d line ("d" or "D") for /run/NAME (or /var/run/NAME) whose
 *    user is the unit's User=, or whose path the unit names (PIDFile=, a
 *    command's argument, Environment=, ReadWritePaths=);
 *  - a unix socket below /run/NAME/ that a process of the running unit's
 *    cgroup listens on (/proc/net/unix, by the socket inodes of
 *    /proc/PID/fd), unless a .socket unit triggers the unit: the socket
 *    is then that unit's, on the host.
 *
 * A RuntimeDirectory= that cannot be shared (a path, a name of the
 * system's own) stays the sandbox's own, and a note says so; so does each
 * one shared, with its source. Returns 0 or -ENOMEM.
 */
int convert_runtime_dirs(Buffer *b, const UnitProps *u, char ***notes);

/* Where tmpfiles.d files are read, in systemd-tmpfiles' order (a file
 * name in an earlier directory hides the same name in later ones);
 * $SANDBOX_TMPFILES_PATH, ":"-separated, replaces it. */
#define TMPFILES_PATH_DEFAULT "/etc/tmpfiles.d:/run/tmpfiles.d:/usr/local/lib/tmpfiles.d:/usr/lib/tmpfiles.d"
