/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* convert's reader of unit files: the bytes as the fragment of a
 * template service in a directory of its own ($SYSTEMD_UNIT_PATH), read
 * by unit_props_from_files() for an instance of it, with the word and
 * value parsers it uses, and freed. */
#include <stdlib.h>

#include "fuzz-util.h"
#include "macro.h"
#include "unit-files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *source = NULL;
        UnitProps u = {};
        size_t dropins = 0;

        if (!fuzz_write("fuzz@.service", data, size) || setenv("SYSTEMD_UNIT_PATH", fuzz_dir(), 1) < 0)
                abort();
        if (unit_props_from_files("fuzz@in\\x2dstance.service", &u, &source, &dropins) >= 0)
                unit_props_done(&u);
        return 0;
}
