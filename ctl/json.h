/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "buffer.h"

/* Appends s as a JSON string literal, or null for NULL. */
void json_append_string(Buffer *b, const char *s);
