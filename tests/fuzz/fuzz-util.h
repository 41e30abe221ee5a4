/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the fuzz targets share: a private directory made once per
 * process, and the input written to a file in it, so that each target
 * reads its input through the real file readers. */

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The directory (mode 0700, under $TMPDIR or /tmp), made at the first
 * call and removed at exit; NULL when it cannot be made. */
const char *fuzz_dir(void);

/* data written to fuzz_dir()/name, replacing what was there: the path
 * (static, until the next call), or NULL. */
const char *fuzz_write(const char *name, const uint8_t *data, size_t size);
