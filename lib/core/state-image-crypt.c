/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one layer between a state image's loop device and its ext4:
 * LUKS2, where the profile asks for it (state-image.h, state-key.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "state-image.h"
#include "state-key.h"

int state_image_crypt_device(int loop_fd, const char *shown, const StateImageCrypt *crypt, char *dev, size_t size,
                             bool *ret_formatted) {
        _cleanup_close_ int loop = loop_fd;
        char name[STATE_CRYPT_NAME_MAX];
        int r, fd;

        *ret_formatted = false;
        r = state_crypt_is_luks(dev);
        if (r < 0)
                return r;
        if (!crypt) {
                if (r > 0)
                        return log_error_errno(-EMEDIUMTYPE, "state image %s: is encrypted (LUKS2), but the profile "
                                               "does not ask for encryption (<state encryption=\"luks2\">)", shown);
                return TAKE_FD(loop);
        }
        r = state_crypt_name(crypt->sandbox, dev, name, sizeof(name));
        if (r < 0)
                return log_error_errno(r, "state image %s: no mapping name for %s on %s", shown, crypt->sandbox, dev);
        /* the mapping holds the loop device from now on, and goes with
         * the last mount of its file system (state-key.h) */
        fd = state_crypt_attach(dev, crypt->sandbox, crypt->key, ret_formatted);
        if (fd < 0)
                return fd;
        if ((size_t) snprintf(dev, size, "/dev/mapper/%s", name) >= size) {
                close(fd);
                return log_error_errno(-ENAMETOOLONG, "state image %s: /dev/mapper/%s: %m", shown, name);
        }
        return fd;
}

int state_image_crypt_for(int state, const char *sandbox, const char *shown, StateImageCrypt *crypt, StateKey *key) {
        static const unsigned char magic[] = { 'L', 'U', 'K', 'S', 0xba, 0xbe, 0x00, 0x02 };
        _cleanup_close_ int image = state_image_open(state, shown);
        unsigned char h[sizeof(magic)] = {};
        int r;

        if (image == -ENOENT)
                return 0;
        if (image < 0)
                return image;
        if (pread(image, h, sizeof(h), 0) < 0)
                return log_error_errno(-errno, "state image %s: %m", shown);
        if (memcmp(h, magic, sizeof(magic)) != 0)
                return 0;
        r = state_key_from_credential(state, shown, key);
        if (r < 0)
                return r;
        *crypt = (StateImageCrypt) { .sandbox = sandbox, .key = key };
        return 1;
}

int state_image_mount_sandbox(int state, const char *sandbox, const char *shown, StateImageFlags flags) {
        StateImageCrypt crypt;
        StateKey key;
        int r, mnt;

        r = state_image_crypt_for(state, sandbox, shown, &crypt, &key);
        if (r < 0)
                return r;
        mnt = state_image_mount_at(state, shown, flags, r > 0 ? &crypt : NULL);
        state_key_wipe(&key);
        return mnt;
}
