/* Regain capabilities through file capabilities: give a copy of a
 * program every capability in its security.capability attribute. */
#include "probe.h"
#include <linux/capability.h>
#include <sys/xattr.h>

int main(void) {
        struct vfs_cap_data cap = { .magic_etc = VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE };
        int fd;

        for (int i = 0; i < VFS_CAP_U32_2; i++)
                cap.data[i].permitted = cap.data[i].inheritable = 0xffffffff;
        fd = open("/tmp/escape-fcaps", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        if (fd >= 0)
                close(fd);
        step("setxattr-tmp", setxattr("/tmp/escape-fcaps", "security.capability", &cap, sizeof(cap), 0));
        fd = open("/etc/escape-fcaps", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
        if (fd >= 0)
                close(fd);
        step("setxattr-etc", setxattr("/etc/escape-fcaps", "security.capability", &cap, sizeof(cap), 0));
        unlink("/etc/escape-fcaps");
        return 0;
}
