/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

int userns_shift_tree(int dir, const char *path, uint32_t from, uint32_t to, uint32_t size);
