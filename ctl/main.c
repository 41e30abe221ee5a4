/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sandboxctl: the administrator's tool around sandbox profiles. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "config.h"
#include "log.h"
#include "names.h"
#include "sandboxctl.h"
#include "schema.h"
#include "search-path.h"
#include "strv.h"

bool arg_json;

static const struct {
        const char *name;
        int (*run)(int argc, char *argv[], char * const *dirs);
        bool own_options; /* reads its arguments itself: "--" and a command follow */
} verbs[] = {
        { "validate", verb_validate, false },
        { "list",     verb_list, false },
        { "show",     verb_show, false },
        { "run",      verb_run, true },
        { "diff",     verb_diff, true },
        { "delete",   verb_delete, true },
        { "clone",    verb_clone, true },
        { "status",   verb_status, true },
        { "exec",     verb_exec, true },
        { "shell",    verb_shell, true },
        { "convert",  verb_convert, true },
};

static void help(void) {
        printf("sandboxctl [OPTIONS...] COMMAND ...\n\n"
               "Manage sandbox profiles and the sandboxed services made from them.\n\n"
               "Commands:\n"
               "  validate [PATH|NAME...]\n"
               "                         Check profiles (without arguments, every profile on\n"
               "                         the search path); print every problem as PATH:LINE: ...\n"
               "                         and a warning for each capability kept with keep-unsafe=\n"
               "  list                   List the profiles on the search path\n"
               "  show PATH|NAME         Print the drop-in the generator writes for a profile\n"
               "  run PATH|NAME [-- COMMAND...]\n"
               "                         Run a profile's sandbox in the foreground (as root)\n"
               "  diff NAME              Show what a sandbox changed in its /etc and /var\n"
               "  delete NAME            Delete a sandbox's state\n"
               "  clone SRC DST          Copy a sandbox's profile and state to a new name\n"
               "  status NAME            Show a sandbox's unit, whether it runs, its mounts and state\n"
               "  exec NAME [-- COMMAND...]\n"
               "                         Run a command in a sandbox, joining it when it runs\n"
               "  shell NAME             Run a shell in a sandbox, joining it when it runs\n"
               "  convert UNIT           Write a profile that runs a service unit in a sandbox\n\n"
               "Options:\n"
               "  -h --help              Show this help\n"
               "     --version           Show the version\n"
               "     --json              Print the output of list, diff and status as JSON\n\n"
               "Profiles are found in %s,\n"
               "or along the colon-separated $SANDBOX_PROFILE_PATH. See sandboxctl(1).\n",
               PROFILE_SEARCH_PATH_DEFAULT);
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_JSON };
        static const struct option options[] = {
                { "help",    no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "json",    no_argument, NULL, ARG_JSON },
                {}
        };
        int c;

        /* "+": options stop at the command, whose own arguments follow */
        while ((c = getopt_long(argc, argv, "+h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("sandboxctl %s\n", SANDBOX_VERSION);
                        return 0;
                case ARG_JSON:
                        arg_json = true;
                        break;
                default:
                        return -EINVAL;
                }
        return 1;
}

char **verb_args_new(const char *verb, int argc, char *argv[], char **ret_program) {
        char **args;

        if (asprintf(ret_program, "sandboxctl %s", verb) < 0)
                return NULL;
        args = calloc((size_t) argc + 2, sizeof(char *));
        if (!args) {
                free(*ret_program);
                return NULL;
        }
        args[0] = *ret_program;
        for (int i = 0; i < argc; i++)
                args[i + 1] = argv[i];
        /* a fresh scan of the new vector, with getopt's messages left to us */
        optind = 0;
        opterr = 0;
        return args;
}

int verb_usage_error(const char *verb, int c, char *args[]) {
        const char *arg = optind > 0 ? args[optind - 1] : "";

        if (c == ':')
                fprintf(stderr, "sandboxctl %s: option \"%s\" needs a value; see sandboxctl %s --help\n", verb, arg, verb);
        else if (optopt > ' ' && optopt < 0x7f && (optind < 1 || args[optind - 1][1] != '-'))
                fprintf(stderr, "sandboxctl %s: unknown option \"-%c\"; see sandboxctl %s --help\n", verb, optopt, verb);
        else
                fprintf(stderr, "sandboxctl %s: unknown option \"%s\"; see sandboxctl %s --help\n", verb, arg, verb);
        return EXIT_USAGE;
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

int main(int argc, char *argv[]) {
        _cleanup_strv_free_ char **dirs = NULL;
        int r;

        log_set_program("sandboxctl");
        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_SUCCESS;
        if (optind >= argc) {
                fprintf(stderr, "sandboxctl: no command given; see sandboxctl --help\n");
                return EXIT_USAGE;
        }
        r = profile_search_path(&dirs);
        if (r < 0)
                return log_oom(), EXIT_INVALID;

        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(argv[optind], verbs[i].name)) {
                        /* the command's own options (--json) may follow it */
                        int k = optind + 1;
                        char **rest = argv + k;
                        int n = argc - k, m = 0;

                        bool options = true;

                        if (verbs[i].own_options)
                                m = n;
                        for (int j = 0; j < n && !verbs[i].own_options; j++) {
                                if (options && streq(rest[j], "--"))
                                        options = false; /* what follows is never an option */
                                else if (!options)
                                        rest[m++] = rest[j];
                                else if (streq(rest[j], "--json"))
                                        arg_json = true;
                                else if (streq(rest[j], "--help") || streq(rest[j], "-h")) {
                                        help();
                                        return EXIT_SUCCESS;
                                } else if (rest[j][0] == '-' && rest[j][1]) {
                                        fprintf(stderr, "sandboxctl %s: unknown option \"%s\"; see sandboxctl --help "
                                                "(a path that starts with \"-\" goes after \"--\")\n", verbs[i].name, rest[j]);
                                        return EXIT_USAGE;
                                } else
                                        rest[m++] = rest[j];
                        }
                        r = verbs[i].run(m, rest, dirs);
                        profile_load_release();
                        schema_release();
                        xmlCleanupParser();
                        return r;
                }
        fprintf(stderr, "sandboxctl: unknown command \"%s\"; commands: validate, list, show, run, diff, delete, clone, status, exec, shell, convert\n", argv[optind]);
        return EXIT_USAGE;
}
