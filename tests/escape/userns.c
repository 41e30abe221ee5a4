/* Regain capabilities in a user namespace of one's own, then mount.
 * Reported step by step: the unshare, a tmpfs mounted with the regained
 * capabilities, and whether the sandbox's own mounts stayed as they are
 * (read-only root, masks) even there. */
#include "probe.h"
#include <sched.h>
#include <sys/mount.h>

static void write_file(const char *path, const char *text) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);

        if (fd >= 0) {
                if (write(fd, text, strlen(text)) < 0)
                        stepf(-1, "write:%s", path);
                close(fd);
        }
}

int main(void) {
        char line[256];
        FILE *f;

        if (step("unshare-user", unshare(CLONE_NEWUSER)) < 0)
                return 0;
        write_file("/proc/self/setgroups", "deny");
        write_file("/proc/self/uid_map", "0 0 1");
        write_file("/proc/self/gid_map", "0 0 1");
        f = fopen("/proc/self/status", "re");
        while (f && fgets(line, sizeof(line), f))
                if (!strncmp(line, "CapEff:\t", 8)) {
                        line[strcspn(line, "\n")] = 0;
                        say("capeff-in-userns", "%s", line + 8);
                }
        if (f)
                fclose(f);
        if (step("unshare-mount", unshare(CLONE_NEWNS)) < 0)
                return 0;
        mkdir("/tmp/userns", 0755);
        step("mount-tmpfs", mount("tmpfs", "/tmp/userns", "tmpfs", 0, NULL));
        /* what the sandbox set up is locked to the namespace that made it */
        step("locked-remount-root-rw", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
        step("locked-umount-mask", umount2("/etc/shadow", MNT_DETACH));
        step("locked-read-shadow", open("/etc/shadow", O_RDONLY | O_CLOEXEC));
        step("locked-write-usr", open_write("/usr/escape-userns", O_CREAT | O_EXCL));
        step("locked-umount-proc-sys", umount2("/proc/sys", MNT_DETACH));
        return 0;
}
