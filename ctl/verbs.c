/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sandboxctl's commands and what each takes, and the one reader of their
 * command lines. */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "macro.h"
#include "names.h"
#include "paths.h"
#include "search-path.h"
#include "sandboxctl.h"
#include "state.h"
#include "verbs.h"

#define EXPECTED_NAME(verb) "expected exactly one sandbox name; see sandboxctl " verb " --help"

#define FLAG(n) { .name = n, .value = false }
#define VALUE(n) { .name = n, .value = true }

const Verb verbs[] = {
        {
                .name = "validate",
                .synopsis = "validate [PATH|NAME...]",
                .summary = "Check profiles (without arguments, every profile on\n"
                           "the search path); print every problem as PATH:LINE: ...\n"
                           "and a warning for each capability kept with keep-unsafe=",
                .run = verb_validate,
                .takes = VERB_JSON,
                .max_operands = SIZE_MAX,
        }, {
                .name = "list",
                .synopsis = "list",
                .summary = "List the profiles on the search path",
                .run = verb_list,
                .takes = VERB_JSON,
                .operands_error = "takes no arguments",
        }, {
                .name = "show",
                .synopsis = "show PATH|NAME",
                .summary = "Print the drop-in the generator writes for a profile",
                .run = verb_show,
                .takes = VERB_JSON,
                .min_operands = 1, .max_operands = 1,
                .operands_error = "expected exactly one profile path or name",
        }, {
                .name = "run",
                .synopsis = "run PATH|NAME [-- COMMAND...]",
                .summary = "Run a profile's sandbox in the foreground (root's, or a user's unprivileged)",
                .run = verb_run,
                .takes = VERB_STATE_ROOT | VERB_COMMAND,
                .max_operands = 1, /* "run -- PATH" too: verb_run() says when there is none */
                .unexpected = "a command to run goes after \"--\"",
                .options = (const VerbOption[]) { FLAG("without-limits"), FLAG("debug"), {} },
                .help = verb_run_help,
        }, {
                .name = "diff",
                .synopsis = "diff NAME",
                .summary = "Show what a sandbox changed in its /etc and /var",
                .run = verb_diff,
                .takes = VERB_JSON | VERB_STATE_DIR | VERB_NAMES | VERB_ROOT,
                .min_operands = 1, .max_operands = 1,
                .operands_error = EXPECTED_NAME("diff"),
                .help = verb_diff_help,
        }, {
                .name = "delete",
                .synopsis = "delete NAME",
                .summary = "Delete a sandbox's state",
                .run = verb_delete,
                .takes = VERB_STATE_DIR | VERB_NAMES | VERB_ROOT,
                .min_operands = 1, .max_operands = 1,
                .operands_error = EXPECTED_NAME("delete"),
                .options = (const VerbOption[]) { FLAG("force"), {} },
                .help = verb_delete_help,
        }, {
                .name = "clone",
                .synopsis = "clone SRC DST",
                .summary = "Copy a sandbox's profile and state to a new name",
                .run = verb_clone,
                .takes = VERB_STATE_DIR | VERB_NAMES,
                .min_operands = 2, .max_operands = 2,
                .operands_error = "expected a source and a new sandbox name; see sandboxctl clone --help",
                .options = (const VerbOption[]) { VALUE("profile-dir"), {} },
                .help = verb_clone_help,
        }, {
                .name = "status",
                .synopsis = "status NAME",
                .summary = "Show a sandbox's unit, whether it runs, its mounts and state",
                .run = verb_status,
                .takes = VERB_JSON | VERB_STATE_DIR | VERB_NAMES | VERB_ROOT,
                .min_operands = 1, .max_operands = 1,
                .operands_error = EXPECTED_NAME("status"),
                .help = verb_status_help,
        }, {
                .name = "exec",
                .synopsis = "exec NAME [-- COMMAND...]",
                .summary = "Run a command in a sandbox, joining it when it runs",
                .run = verb_exec,
                .takes = VERB_STATE_ROOT | VERB_NAMES | VERB_ROOT | VERB_COMMAND | VERB_COMMAND_NEEDED,
                .min_operands = 1, .max_operands = 1,
                .operands_error = "expected a sandbox name",
                .unexpected = "a command goes after \"--\"",
                .options = (const VerbOption[]) { FLAG("debug"), {} },
                .help = verb_exec_help,
        }, {
                .name = "shell",
                .synopsis = "shell NAME",
                .summary = "Run a shell in a sandbox, joining it when it runs",
                .run = verb_exec,
                .takes = VERB_STATE_ROOT | VERB_NAMES | VERB_ROOT | VERB_COMMAND | VERB_NO_COMMAND,
                .min_operands = 1, .max_operands = 1,
                .operands_error = "expected a sandbox name",
                .unexpected = "shell takes only a name",
                .options = (const VerbOption[]) { FLAG("debug"), {} },
                .help = verb_exec_help,
        }, {
                .name = "convert",
                .synopsis = "convert UNIT",
                .summary = "Write a profile that runs a service unit in a sandbox",
                .run = verb_convert,
                .min_operands = 1, .max_operands = 1,
                .operands_error = "expected exactly one unit",
                .options = (const VerbOption[]) {
                        VALUE("name"), VALUE("output"), FLAG("enable"), FLAG("replace"),
                        FLAG("keep-unsafe-caps"), FLAG("accept-widening"), VALUE("user-namespace"), {},
                },
                .help = verb_convert_help,
        },
        {}
};

const Verb *verb_find(const char *name) {
        for (const Verb *v = verbs; v->name; v++)
                if (streq(v->name, name))
                        return v;
        return NULL;
}

void verbs_help(void) {
        printf("sandboxctl [OPTIONS...] COMMAND ...\n\n"
               "Manage sandbox profiles and the sandboxed services made from them.\n\n"
               "Commands:\n");
        for (const Verb *v = verbs; v->name; v++) {
                const char *s = v->summary;
                size_t n = strcspn(s, "\n");

                if (strlen(v->synopsis) <= 22)
                        printf("  %-22s %.*s\n", v->synopsis, (int) n, s);
                else
                        printf("  %s\n%25s%.*s\n", v->synopsis, "", (int) n, s);
                for (s += n; *s; s += n) {
                        s++;
                        n = strcspn(s, "\n");
                        printf("%25s%.*s\n", "", (int) n, s);
                }
        }
        printf("\nOptions:\n"
               "  -h --help              Show this help\n"
               "     --version           Show the version\n"
               "     --json              Print the output of");
        for (const Verb *v = verbs, *last = NULL; v->name; v++) {
                if (!(v->takes & VERB_JSON))
                        continue;
                const Verb *next = v + 1;
                while (next->name && !(next->takes & VERB_JSON))
                        next++;
                printf("%s %s", !last ? "" : next->name ? "," : " and", v->name);
                last = v;
        }
        printf(" as JSON\n\n"
               "Profiles are found in %s,\n"
               "or along the colon-separated $SANDBOX_PROFILE_PATH. See sandboxctl(1).\n",
               PROFILE_SEARCH_PATH_DEFAULT);
}

static int option_index(const Verb *v, const char *option) {
        for (int i = 0; v->options && v->options[i].name; i++)
                if (streq(v->options[i].name, option))
                        return i;
        abort(); /* not in the verb's table: a mistake in the code, not the command line */
}

const char *verb_value(const VerbArgs *a, const char *option) {
        return a->values[option_index(a->verb, option)];
}

bool verb_flag(const VerbArgs *a, const char *option) {
        return verb_value(a, option);
}

void verb_set(VerbArgs *a, const char *option, const char *value) {
        a->values[option_index(a->verb, option)] = value;
}

void verb_args_done(VerbArgs *a) {
        free(a->operands);
        free(a->state_root);
        *a = (VerbArgs) {};
}

int verb_name_check(const char *verb, const char *name) {
        if (sandbox_name_is_valid(name))
                return 0;
        log_error("%s: \"%s\" is not a valid sandbox name (" SANDBOX_NAME_RULE ")", verb, name);
        return EXIT_INVALID;
}

int verb_need_root(const char *verb) {
        if (geteuid() == 0)
                return 0;
        log_error("%s: needs root: sandboxes' state, runtime directories and processes are root's; "
                  "run \"sandboxctl %s\" as root (e.g. with sudo)", verb, verb);
        return EXIT_INVALID;
}

enum { ARG_STATE_ROOT = 0x100, ARG_JSON, ARG_OWN };

/* The message for getopt_long()'s '?' or ':', one line; EXIT_USAGE. */
static int usage_error(const Verb *v, int c, char *args[]) {
        const char *arg = optind > 0 ? args[optind - 1] : "";
        const char *verb = v->name;

        if (!v->help) /* validate, list and show: sandboxctl --help is theirs, and their operands are paths */
                fprintf(stderr, "sandboxctl %s: unknown option \"%s\"; see sandboxctl --help "
                        "(a path that starts with \"-\" goes after \"--\")\n", verb, arg);
        else if (c == ':')
                fprintf(stderr, "sandboxctl %s: option \"%s\" needs a value; see sandboxctl %s --help\n", verb, arg, verb);
        else if (optopt > ' ' && optopt < 0x7f && (optind < 1 || args[optind - 1][1] != '-'))
                fprintf(stderr, "sandboxctl %s: unknown option \"-%c\"; see sandboxctl %s --help\n", verb, optopt, verb);
        else
                fprintf(stderr, "sandboxctl %s: unknown option \"%s\"; see sandboxctl %s --help\n", verb, arg, verb);
        return EXIT_USAGE;
}

static int operands_check(const Verb *v, const VerbArgs *a) {
        bool extra_dashdash = a->command &&
                ((v->takes & VERB_NO_COMMAND) || (!a->command[0] && (v->takes & VERB_COMMAND_NEEDED)));

        if (a->n_operands < v->min_operands || (a->n_operands > v->max_operands && !v->unexpected)) {
                fprintf(stderr, "sandboxctl %s: %s\n", v->name, v->operands_error);
                return EXIT_USAGE;
        }
        if (a->n_operands > v->max_operands || extra_dashdash) {
                fprintf(stderr, "sandboxctl %s: unexpected \"%s\"; %s\n", v->name,
                        a->n_operands > v->max_operands ? a->operands[v->max_operands] : "--", v->unexpected);
                return EXIT_USAGE;
        }
        return 0;
}

int verb_args_parse(const Verb *v, int argc, char *argv[], VerbArgs *ret) {
        struct option options[3 + VERB_OPTIONS_MAX + 1] = {
                { "help", no_argument, NULL, 'h' },
        };
        _cleanup_free_ char **args = NULL;
        size_t k = 1;
        int end = argc + 1, c, r;

        *ret = (VerbArgs) { .verb = v };
        if (v->takes & (VERB_STATE_ROOT | VERB_STATE_DIR))
                options[k++] = (struct option) { "state-root", required_argument, NULL, ARG_STATE_ROOT };
        if (v->takes & VERB_JSON)
                options[k++] = (struct option) { "json", no_argument, NULL, ARG_JSON };
        for (int i = 0; v->options && v->options[i].name; i++) {
                assert(i < VERB_OPTIONS_MAX);
                options[k++] = (struct option) { v->options[i].name, v->options[i].value ? required_argument : no_argument,
                                                 NULL, ARG_OWN + i };
        }

        /* the verb and its arguments: a fresh scan, getopt's messages left to us */
        args = calloc((size_t) argc + 2, sizeof(char *));
        if (!args)
                return log_oom(), EXIT_INVALID;
        args[0] = (char *) v->name;
        for (int i = 0; i < argc; i++)
                args[i + 1] = argv[i];
        if (v->takes & VERB_COMMAND) {
                /* options anywhere before "--", the command after it */
                for (end = 1; end < argc + 1 && !streq(args[end], "--"); end++)
                        ;
                if (end < argc + 1)
                        ret->command = argv + end; /* past "--": argv is args shifted by one */
        }
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(end, args, ":h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        if (v->help)
                                v->help(v->name);
                        else
                                verbs_help();
                        return EXIT_SUCCESS;
                case ARG_STATE_ROOT:
                        ret->state_root_arg = optarg;
                        break;
                case ARG_JSON:
                        arg_json = true;
                        break;
                default:
                        if (c >= ARG_OWN && c < ARG_OWN + VERB_OPTIONS_MAX)
                                ret->values[c - ARG_OWN] = optarg ?: "";
                        else
                                return usage_error(v, c, args);
                }

        ret->n_operands = (size_t) (end - optind);
        ret->operands = calloc(ret->n_operands + 1, sizeof(char *));
        if (!ret->operands)
                return log_oom(), EXIT_INVALID;
        for (size_t i = 0; i < ret->n_operands; i++)
                ret->operands[i] = args[optind + i];
        r = operands_check(v, ret);
        if (r != 0)
                return r;

        if (v->takes & VERB_NAMES)
                for (size_t i = 0; i < ret->n_operands; i++)
                        if (verb_name_check(v->name, ret->operands[i]) != 0)
                                return EXIT_INVALID;
        if ((v->takes & VERB_ROOT) && verb_need_root(v->name) != 0)
                return EXIT_INVALID;
        if ((v->takes & VERB_STATE_DIR) &&
            state_root_absolute(ret->state_root_arg ?: STATE_ROOT_DEFAULT, &ret->state_root) < 0)
                return EXIT_INVALID;
        /* passed on to the helper, which takes only an absolute path: a
         * relative one is the working directory's, as for the others */
        if ((v->takes & VERB_STATE_ROOT) && ret->state_root_arg) {
                if (state_root_absolute(ret->state_root_arg, &ret->state_root) < 0)
                        return EXIT_INVALID;
                ret->state_root_arg = ret->state_root;
        }
        return -1;
}
