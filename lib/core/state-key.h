/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A sandbox's encrypted state (docs/encrypted-state.md): LUKS2 on the
 * device that holds its state file system (a loop device over its
 * image), opened as the mapping "sandbox-state-NAME" between the loop
 * device and the file system. The key is random bytes kept as a systemd
 * credential, never a passphrase typed.
 *
 * This part has nothing of libcryptsetup: the key, what a device holds,
 * and the call of sandbox-state-crypt, the small program that does the
 * LUKS2 work (state-crypt.h). The helper is linked statically and
 * libcryptsetup has no static library; the program is linked with it,
 * and only builds with libcryptsetup have it. Without it, a profile
 * that asks for encryption is refused, never run with its state in the
 * clear.
 */

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

/* the bytes of a new key; a key read is at least MIN and at most MAX */
#define STATE_KEY_SIZE 64
#define STATE_KEY_MIN 32
#define STATE_KEY_MAX 1024

/* the credential's name, in the unit's LoadCredentialEncrypted= and in
 * the credential's own header (systemd-creds --name=) */
#define STATE_KEY_CREDENTIAL "sandbox-state-key"
/* the encrypted credential, below STATE_ROOT/NAME/ */
#define STATE_KEY_FILE "state-key.cred"

/* the device-mapper name: "sandbox-state-", the sandbox's name, "@" and
 * the loop device's ("loopN"): one mapping per loop device, so that the
 * file system on it has one superblock, and a reader's read-only loop
 * device has a mapping of its own beside a starting sandbox's */
#define STATE_CRYPT_PREFIX "sandbox-state-"
#define STATE_CRYPT_NAME_MAX (sizeof(STATE_CRYPT_PREFIX) + SANDBOX_NAME_MAX + sizeof("@loop") + 10)

typedef struct StateKey {
        unsigned char bytes[STATE_KEY_MAX];
        size_t size;
} StateKey;

/* whether this build has libcryptsetup, and so sandbox-state-crypt */
bool state_crypt_supported(void);

/* Reads the key at path below dir (AT_FDCWD for a path from /): its last
 * component is not followed (O_NOFOLLOW), it must be a regular file of
 * STATE_KEY_MIN to STATE_KEY_MAX bytes. Returns 0, or -errno after
 * logging. */
int state_key_read(int dir, const char *path, StateKey *ret);

/* The same from an open fd (a regular file or a pipe); shown names it. */
int state_key_read_fd(int fd, const char *shown, StateKey *ret);

/* The key of the state whose directory is state (STATE_ROOT/NAME), from
 * its credential STATE_KEY_FILE, decrypted by systemd-creds: for
 * sandboxctl, which runs it as root, outside any unit. shown names the
 * state. -ENOENT when there is no credential; -errno after logging. */
int state_key_from_credential(int state, const char *shown, StateKey *ret);

/* The key the helper's --state-key names: a file (the credential systemd
 * decrypted, read as state_key_read() does), or "/proc/self/fd/N", an fd
 * sandboxctl run passed, read from its start and closed. */
int state_key_read_option(const char *value, StateKey *ret);

/* Makes the state's credential STATE_KEY_FILE below state when it has
 * none: STATE_KEY_SIZE random bytes, encrypted by systemd-creds (the
 * host's key, and its TPM2 where it has one), written under a temporary
 * name and renamed. 1 when made, 0 when there was one; -errno after
 * logging. What sandbox-state-key@.service does for a unit. */
int state_key_credential_make(int state, const char *shown);

/* STATE_KEY_SIZE random bytes. */
int state_key_generate(StateKey *ret);

/* Wipes the key. */
void state_key_wipe(StateKey *k);

/* "sandbox-state-NAME@loopN" into buf (STATE_CRYPT_NAME_MAX bytes) for
 * the loop device at device ("/dev/loopN"); -EINVAL for an invalid
 * sandbox name or a device that is not a loop device's path. */
int state_crypt_name(const char *sandbox, const char *device, char *buf, size_t size);

/* Whether name is one state_crypt_name() makes. */
bool state_crypt_name_is_valid(const char *name);

/* Whether device holds a LUKS2 header: 1, 0 when it does not, -errno
 * after logging. */
int state_crypt_is_luks(const char *device);

/* Whether the first bytes of device, where any file system or LUKS
 * header would be, are all zero: 1 for a new, never formatted image, 0
 * otherwise, -errno after logging. */
int state_crypt_is_blank(const char *device);

/* Opens the state on device (a LUKS2 one, or a blank one, which is
 * formatted first) as the mapping of sandbox, by running
 * sandbox-state-crypt with key. Returns an fd of the mapping's block
 * device, which is already marked for deferred removal: the mapping goes
 * once that fd is closed and what was mounted from it is unmounted.
 * *ret_formatted says whether it was formatted now, and so needs its file
 * system made. A device in the clear is -EMEDIUMTYPE, a wrong key -EPERM,
 * a build without libcryptsetup -EOPNOTSUPP; logged. The caller holds the
 * sandbox's lock. */
int state_crypt_attach(const char *device, const char *sandbox, const StateKey *key, bool *ret_formatted);
