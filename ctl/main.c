/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sandboxctl: the administrator's tool around sandbox profiles. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "config.h"
#include "log.h"
#include "sandboxctl.h"
#include "schema.h"
#include "search-path.h"
#include "strv.h"
#include "verbs.h"

bool arg_json;

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
                        verbs_help();
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

int main(int argc, char *argv[]) {
        _cleanup_strv_free_ char **dirs = NULL;
        VerbArgs a = {};
        const Verb *v;
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

        v = verb_find(argv[optind]);
        if (!v) {
                fprintf(stderr, "sandboxctl: unknown command \"%s\"; commands:", argv[optind]);
                for (const Verb *w = verbs; w->name; w++)
                        fprintf(stderr, "%s %s", w == verbs ? "" : ",", w->name);
                fputc('\n', stderr);
                return EXIT_USAGE;
        }
        r = verb_args_parse(v, argc - optind - 1, argv + optind + 1, &a);
        if (r < 0)
                r = v->run(&a, dirs);
        verb_args_done(&a);
        profile_load_release();
        schema_release();
        xmlCleanupParser();
        return r;
}
