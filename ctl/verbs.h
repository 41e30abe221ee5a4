/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * sandboxctl's commands, one table (verbs.c): what each takes is said
 * there once, and the options common to several (--state-root, --json,
 * a sandbox NAME and its check) are read once for all of them; the usage
 * text and the dispatch read the same table.
 */

#include <stdbool.h>
#include <stddef.h>

typedef enum VerbTakes {
        VERB_JSON       = 1 << 0, /* --json */
        VERB_STATE_ROOT = 1 << 1, /* --state-root=DIR, passed on as given */
        VERB_STATE_DIR  = 1 << 2, /* --state-root=DIR, worked on: made absolute (default STATE_ROOT_DEFAULT) */
        VERB_NAMES      = 1 << 3, /* its operands are sandbox names, each checked */
        VERB_ROOT       = 1 << 4, /* needs root; checked after the names */
        VERB_COMMAND    = 1 << 5, /* options before "--", a command after it */
        VERB_COMMAND_NEEDED = 1 << 6, /* a "--" needs a command after it */
        VERB_NO_COMMAND = 1 << 7, /* VERB_COMMAND's "--", but no command: "--" is unexpected */
} VerbTakes;

/* One of a verb's own options: a flag, or one with a value. */
typedef struct VerbOption {
        const char *name;
        bool value;
} VerbOption;

#define VERB_OPTIONS_MAX 8

typedef struct Verb Verb;

/* A command line as the table read it. */
typedef struct VerbArgs {
        const Verb *verb;
        char **operands;            /* the arguments that are not options (before "--" with VERB_COMMAND) */
        size_t n_operands;
        char **command;             /* VERB_COMMAND: what follows "--", NULL without one */
        const char *state_root_arg; /* --state-root as given, NULL without */
        char *state_root;           /* VERB_STATE_DIR: absolute */
        const char *values[VERB_OPTIONS_MAX]; /* the verb's own options: a value, "" for a flag, NULL when not given */
} VerbArgs;

struct Verb {
        const char *name;
        const char *synopsis;       /* its line in sandboxctl --help */
        const char *summary;        /* what it does there, lines joined by "\n" */
        int (*run)(VerbArgs *a, char * const *dirs);
        VerbTakes takes;
        size_t min_operands, max_operands; /* SIZE_MAX: any number */
        const char *operands_error; /* the message when their number is wrong */
        const char *unexpected;     /* VERB_COMMAND: why an operand too many is wrong */
        const VerbOption *options;  /* its own, ended by {}; NULL for none */
        void (*help)(const char *verb); /* its own --help; NULL: sandboxctl --help */
};

extern const Verb verbs[];

const Verb *verb_find(const char *name);

/* Reads a verb's command line (the arguments after its name). Returns -1
 * to run it, else the exit status (its message printed). */
int verb_args_parse(const Verb *v, int argc, char *argv[], VerbArgs *ret);
void verb_args_done(VerbArgs *a);

/* The value of one of the verb's own options ("" for a flag), NULL when
 * not given; verb_flag() whether it was. An option not in the verb's
 * table aborts. */
const char *verb_value(const VerbArgs *a, const char *option);
bool verb_flag(const VerbArgs *a, const char *option);
void verb_set(VerbArgs *a, const char *option, const char *value);

/* sandboxctl --help, from the table. */
void verbs_help(void);
