/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The LUKS2 work, through libcryptsetup: only sandbox-state-crypt links
 * it (state-key.h says why). */

#include <stdbool.h>

#include "state-key.h"

/* Writes a new LUKS2 header to device, with a fresh volume key and one
 * key slot that key opens. Everything on device is lost: only for a
 * blank one. Returns 0 or -errno after logging. */
int state_crypt_format(const char *device, const StateKey *key);

/* Opens the LUKS2 device with key as the mapping name (read-only where
 * the device is). A mapping of that
 * name left by a start that was killed is removed first when nothing
 * holds it; one in use is -EBUSY. Returns an fd of the mapping's block
 * device (O_RDWR), already marked for deferred removal. A wrong key is
 * -EPERM; -errno after logging. */
int state_crypt_open(const char *device, const char *name, const StateKey *key);

/* state_crypt_open() of a device that is LUKS2, or blank (then formatted
 * first, and *ret_formatted true); one in the clear is -EMEDIUMTYPE. */
int state_crypt_setup(const char *device, const char *name, const StateKey *key, bool *ret_formatted);

/* Removes the mapping now: 0, also when there is none; -EBUSY while it is
 * in use; logged. */
int state_crypt_close(const char *name);
