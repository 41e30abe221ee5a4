/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A main() for the fuzz targets where libFuzzer is not there (a gcc
 * build): each file named, or each file of each directory named, given
 * once to LLVMFuzzerTestOneInput(), as libFuzzer does with files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz-util.h"
#include "macro.h"
#include "regular-file.h"

/* larger than any input of the corpora, and than -max_len */
#define INPUT_MAX (1024 * 1024)

static int run_file(const char *path) {
        _cleanup_free_ char *data = NULL;
        size_t size = 0;
        int r;

        r = read_regular_file(path, INPUT_MAX, &data, &size, NULL);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(-r));
                return r;
        }
        fprintf(stderr, "Running: %s\n", path);
        (void) LLVMFuzzerTestOneInput((const uint8_t *) data, size);
        return 0;
}

int main(int argc, char *argv[]) {
        int failed = 0;

        for (int i = 1; i < argc; i++) {
                struct stat st;
                struct dirent **names;
                int n;

                if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
                        failed |= run_file(argv[i]) < 0;
                        continue;
                }
                n = scandir(argv[i], &names, NULL, alphasort);
                if (n < 0) {
                        fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
                        return 1;
                }
                for (int k = 0; k < n; k++) {
                        char *p;

                        if (names[k]->d_name[0] != '.') {
                                if (asprintf(&p, "%s/%s", argv[i], names[k]->d_name) < 0)
                                        return 1;
                                failed |= run_file(p) < 0;
                                free(p);
                        }
                        free(names[k]);
                }
                free(names);
        }
        return failed;
}
