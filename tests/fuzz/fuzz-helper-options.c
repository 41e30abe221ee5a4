/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The helper's command line: the bytes split into words (at NUL and
 * newline bytes, so that a word may hold any other byte) after
 * "sandbox-helper", parsed by helper_parse_argv() into a HelperConfig
 * and freed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-util.h"
#include "helper-config.h"
#include "log.h"
#include "macro.h"
#include "strv.h"

/* more words than any profile makes */
#define WORDS_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = malloc(size + 1);
        _cleanup_free_ char **argv = NULL;
        HelperConfig c = {};
        int argc = 0;

        if (!text || !(argv = calloc(WORDS_MAX + 2, sizeof(char *))))
                abort();
        memcpy(text, data, size);
        text[size] = 0;
        argv[argc++] = (char *) "sandbox-helper";
        for (size_t i = 0; i <= size && argc < WORDS_MAX + 1;) {
                size_t n = strcspn(text + i, "\n");

                text[i + n] = 0;
                argv[argc++] = text + i;
                i += n + 1;
        }
        /* getopt's state starts again (glibc's own way) */
        optind = 0;
        opterr = 0;
        (void) helper_parse_argv(argc, argv, &c);
        helper_config_done(&c);
        return 0;
}
