/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#define USERNS_RANGE_SIZE 65536u
#define USERNS_POOL_FIRST 0x70000000u
#define USERNS_POOL_END   0x7FFE0000u
#define USERNS_RECORD     "userns"

typedef enum { USERNS_READY, USERNS_SHIFTING } UsernsState;
typedef struct UsernsRecord {
        uint32_t base, size;
        UsernsState state;
} UsernsRecord;

int userns_record_read(int state, UsernsRecord *ret);
int userns_record_write(int state, const UsernsRecord *r);
int userns_record_remove(int state);
int userns_range_acquire(const char *state_root, const char *name, int state, UsernsState initial, UsernsRecord *ret);
