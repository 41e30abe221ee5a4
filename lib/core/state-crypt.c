/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <libcryptsetup.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "state-crypt.h"

static void crypt_freep(struct crypt_device **cd) {
        if (*cd)
                crypt_free(*cd);
}
#define _cleanup_crypt_ _cleanup_(crypt_freep)

/* libcryptsetup's own messages only with --debug: ours say what failed */
static void log_libcryptsetup(int level, const char *msg, void *userdata) {
        (void) level;
        (void) userdata;
        log_debug("libcryptsetup: %.*s", (int) strcspn(msg, "\n"), msg);
}

static int crypt_begin(const char *device, struct crypt_device **ret) {
        int r;

        crypt_set_log_callback(NULL, log_libcryptsetup, NULL);
        r = crypt_init(ret, device);
        if (r < 0)
                return log_error_errno(r, "state device %s: %m", device);
        crypt_set_log_callback(*ret, log_libcryptsetup, NULL);
        return 0;
}

int state_crypt_format(const char *device, const StateKey *key) {
        _cleanup_crypt_ struct crypt_device *cd = NULL;
        /* The key is STATE_KEY_SIZE random bytes, not a passphrase:
         * stretching it buys nothing against a guess among 2^512, and
         * argon2id's defaults would cost every start a second and up to a
         * GiB. PBKDF2 at libcryptsetup's least. */
        struct crypt_pbkdf_type pbkdf = {
                .type = CRYPT_KDF_PBKDF2,
                .hash = "sha256",
                .iterations = 1000,
                .flags = CRYPT_PBKDF_NO_BENCHMARK,
        };
        struct crypt_params_luks2 params = {
                .pbkdf = &pbkdf,
                .label = "sandbox-state",
        };
        int r;

        if (key->size < STATE_KEY_MIN)
                return log_error_errno(-EINVAL, "state device %s: no key", device);
        r = crypt_begin(device, &cd);
        if (r < 0)
                return r;
        /* LUKS2's default header is 16 MiB, most of it room for key slots
         * of argon2: 16 KiB of metadata and 1 MiB for the one key slot
         * (PBKDF2, 256 KiB of key material), so that a small <state
         * size=...> keeps most of its bytes for the file system */
        r = crypt_set_metadata_size(cd, 16 * 1024, 1024 * 1024);
        if (r < 0)
                return log_error_errno(r, "state device %s: LUKS2 header size: %m", device);
        /* a fresh 512-bit volume key: AES-256 in XTS mode */
        r = crypt_format(cd, CRYPT_LUKS2, "aes", "xts-plain64", NULL, NULL, 64, &params);
        if (r < 0)
                return log_error_errno(r, "state device %s: LUKS2 format: %m", device);
        r = crypt_keyslot_add_by_volume_key(cd, CRYPT_ANY_SLOT, NULL, 0, (const char *) key->bytes, key->size);
        if (r < 0)
                return log_error_errno(r, "state device %s: LUKS2 key slot: %m", device);
        return 0;
}

int state_crypt_close(const char *name) {
        int r = crypt_deactivate_by_name(NULL, name, 0);

        if (r == -ENODEV)
                return 0;
        if (r < 0)
                return log_error_errno(r, "state mapping %s: remove: %m", name);
        return 0;
}

/* whether the paths a and b are the same block device */
static bool same_device(const char *a, const char *b) {
        struct stat sa, sb;

        return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode) &&
               sa.st_rdev == sb.st_rdev;
}

static bool device_is_read_only(const char *device) {
        _cleanup_close_ int fd = open(device, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        int ro = 0;

        return fd >= 0 && ioctl(fd, BLKROGET, &ro) == 0 && ro;
}

/* 1 when the mapping name exists over device, 0 when it does not exist
 * (any other one of that name removed), -errno after logging. */
static int mapping_of(const char *name, const char *device) {
        _cleanup_crypt_ struct crypt_device *cd = NULL;
        const char *under;
        int r;

        if (crypt_status(NULL, name) != CRYPT_ACTIVE && crypt_status(NULL, name) != CRYPT_BUSY)
                return 0;
        r = crypt_init_by_name(&cd, name);
        if (r == -ENODEV)
                return 0; /* gone meanwhile */
        if (r < 0)
                return log_error_errno(r, "state mapping %s: %m", name);
        under = crypt_get_device_name(cd);
        if (under && same_device(under, device))
                return 1;
        r = crypt_deactivate_by_name(cd, name, 0);
        if (r == -EBUSY)
                return log_error_errno(r, "state mapping %s is in use over %s, not %s", name, under ?: "another device",
                                       device);
        if (r < 0 && r != -ENODEV)
                return log_error_errno(r, "state mapping %s: remove the one left over %s: %m", name,
                                       under ?: "another device");
        return 0;
}

int state_crypt_open(const char *device, const char *name, const StateKey *key) {
        _cleanup_crypt_ struct crypt_device *cd = NULL;
        bool read_only;
        char path[PATH_MAX];
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = crypt_begin(device, &cd);
        if (r < 0)
                return r;
        r = crypt_load(cd, CRYPT_LUKS2, NULL);
        if (r < 0)
                return log_error_errno(r, "state device %s: no LUKS2 header: %m", device);
        /* the key first, on its own (a key slot of PBKDF2 at its least
         * costs little), so that a wrong one is told apart from a kernel
         * without dm-crypt */
        r = crypt_activate_by_passphrase(cd, NULL, CRYPT_ANY_SLOT, (const char *) key->bytes, key->size, 0);
        if (r == -EPERM)
                return log_error_errno(r, "state device %s: the key does not open it", device);
        if (r < 0)
                return log_error_errno(r, "state device %s: key: %m", device);

        /* The mapping over this very device, when there is one (the
         * sandbox runs, and sandboxctl reads its state; or its teardown is
         * not done): taken as it is, so that the ext4 on it has one
         * superblock. One over another device (an image since deleted)
         * is removed when nothing holds it. */
        r = mapping_of(name, device);
        if (r < 0)
                return r;
        /* a reader's read-only loop device: a read-only mapping */
        read_only = device_is_read_only(device);
        if (r == 0) {
                r = crypt_activate_by_passphrase(cd, name, CRYPT_ANY_SLOT, (const char *) key->bytes, key->size,
                                                 read_only ? CRYPT_ACTIVATE_READONLY : 0);
                if (r < 0)
                        return log_error_errno(r, "state device %s: open as %s: %m", device, name);
        }

        /* Held open from now on, the mapping is marked for removal at
         * once: it goes with its last user, the file system mounted from
         * it, or with this fd if the start dies before that mount. */
        if ((size_t) snprintf(path, sizeof(path), "%s/%s", crypt_get_dir(), name) >= sizeof(path))
                r = -ENAMETOOLONG;
        else if ((fd = open(path, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NOCTTY)) < 0)
                r = -errno;
        else
                r = crypt_deactivate_by_name(cd, name, CRYPT_DEACTIVATE_DEFERRED);
        if (r < 0) {
                int e = r;

                if (fd >= 0) {
                        close(fd);
                        fd = -EBADF;
                }
                (void) crypt_deactivate_by_name(cd, name, 0);
                return log_error_errno(e, "state mapping %s: open and mark for removal: %m", name);
        }
        return TAKE_FD(fd);
}

int state_crypt_setup(const char *device, const char *name, const StateKey *key, bool *ret_formatted) {
        bool formatted = false;
        int r;

        r = state_crypt_is_luks(device);
        if (r < 0)
                return r;
        if (r == 0) {
                r = state_crypt_is_blank(device);
                if (r < 0)
                        return r;
                /* never formatted over: a state in the clear stays as it is */
                if (r == 0)
                        return log_error_errno(-EMEDIUMTYPE, "state device %s is not encrypted, but the profile "
                                               "asks for encryption; it is not encrypted in place: copy what it "
                                               "holds out and delete the state (sandboxctl delete)", device);
                r = state_crypt_format(device, key);
                if (r < 0)
                        return r;
                formatted = true;
        }
        r = state_crypt_open(device, name, key);
        if (r >= 0)
                *ret_formatted = formatted;
        return r;
}
