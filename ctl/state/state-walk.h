/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The one walk of a sandbox's state that diff, clone, delete and status
 * share (state-walk.c). The state is written by the sandboxed service,
 * which may be running meanwhile (diff, status), so:
 *
 * - it goes to any depth: no recursion, and no path longer than a
 *   component is ever given to the kernel. Only the deepest
 *   STATE_WALK_OPEN_MAX directories of the walk are held open; one above
 *   them is opened again, when the walk climbs back to it, as ".." of its
 *   child, and must be the directory it was (device and inode), or the
 *   walk stops (-ESTALE). That costs one open per directory, where
 *   opening each one again from the top, name by name, would cost as
 *   many opens as the tree is deep;
 * - nothing is opened but directories (O_DIRECTORY) and, when asked,
 *   regular files: those are opened O_PATH, which opens no device and
 *   no FIFO, checked with fstat() to be the regular file listed, and
 *   only then opened for reading, through /proc/self/fd. Device nodes,
 *   FIFOs and sockets are reported with their type and never opened;
 *   symbolic links are read with readlinkat(), never followed;
 * - it never enters another mount, nor a directory that changed between
 *   being listed and being opened.
 */

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

/* How many directories of a walk are held open at most; see above. */
#define STATE_WALK_OPEN_MAX 32

/* Directories opened one below the other, of which only the deepest
 * STATE_WALK_OPEN_MAX are held open. */
typedef struct DirStack {
        struct DirFrame *frames;
        size_t n, allocated;
} DirStack;

/* Pushes fd (taken over, closed on failure), a directory below the top
 * one (or the first), as the new top. Returns 0 or -ENOMEM. */
int dir_stack_push(DirStack *s, int fd);
/* The top directory, open. */
int dir_stack_top(const DirStack *s);
/* The one below the top, opened again as ".." of the top when it was
 * closed: its fd, or -ESTALE when ".." is not the directory it was, or
 * another -errno. Does not log. */
int dir_stack_parent(DirStack *s);
/* Drops the top; the one below it is open again (as by
 * dir_stack_parent()). Returns 0 or -errno. Does not log. */
int dir_stack_pop(DirStack *s);
size_t dir_stack_depth(const DirStack *s);
void dir_stack_done(DirStack *s);

typedef enum StateEvent {
        STATE_ENTER, /* a directory, before what is in it */
        STATE_LEAVE, /* a directory, after what is in it */
        STATE_ENTRY, /* anything else, or a directory not entered (mount) */
} StateEvent;

typedef struct StateEntry {
        StateEvent event;
        int dir;             /* the directory it is in, open */
        const char *name;    /* its name there */
        const char *path;    /* the walk's shown path and its names below, raw */
        struct stat st;      /* as listed, not followed; for a directory also as opened */
        int fd;              /* STATE_ENTER, STATE_LEAVE: the directory, open O_RDONLY */
        char * const *names; /* STATE_LEAVE: its entries as they were listed, sorted */
        size_t depth;        /* 0: the top */
        bool other_mount;    /* another file system is mounted there: never entered */
} StateEntry;

/* A negative value stops the walk. */
typedef int (*StateWalkFunc)(const StateEntry *e, void *userdata);

/* Walks name below dir, and all of it when it is a directory, depth
 * first, the names of a directory in strcmp() order, calling f for each
 * entry. An entry that vanishes before it is looked at is left out.
 * shown: name's path, for the entries' paths; verb: for messages
 * ("diff", "copy"...). Logs what fails in the walk itself, not what f
 * returns; returns 0 or the first negative value. */
int state_walk(int dir, const char *name, const char *shown, const char *verb, StateWalkFunc f, void *userdata);

/* The regular file e opened for reading (O_NONBLOCK, O_NOCTTY), as
 * described above: its fd, -ENOENT when it vanished, -ESTALE when it is
 * no longer the regular file listed, another -errno. Does not log. */
int state_entry_open(const StateEntry *e);

/* The target of symbolic link e, at most size - 1 bytes, NUL-terminated:
 * its length, -ENAMETOOLONG when longer, -EINVAL when e is no longer a
 * link, another -errno. Does not log. */
ssize_t state_entry_readlink(const StateEntry *e, char *buf, size_t size);

/* "fifo", "socket", "character device", "block device", "symbolic link",
 * "directory", "regular file" or "unknown". */
const char *state_type_name(mode_t mode);

/* path as messages show it: control characters and "\" escaped as diff
 * prints paths, and a path too long for a line of a message cut in its
 * middle. NULL when out of memory. */
char *state_path_shown(const char *path);

/* Logs "VERB PATH: WHAT: error" (WHAT may be NULL), the path as
 * state_path_shown() makes it; returns error. */
int state_log_error(int error, const char *verb, const char *path, const char *what);
