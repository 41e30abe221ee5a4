/* The kernel keyrings of uid 0 are shared by every root process on the
 * host, in or out of a sandbox without a user namespace. Modes:
 *   host-add TOKEN    (outside) add key escape-host-TOKEN to root's user
 *                     keyring; prints its serial
 *   host-find DESC    (outside) is key DESC in root's user keyring?
 *   host-remove DESC  (outside) unlink key DESC from it, if it is there
 *   probe TOKEN       (inside) find and read the host's key, add one */
#include "probe.h"
#include <linux/keyctl.h>

static long add_key(const char *desc, const char *payload, long ring) {
        return syscall(SYS_add_key, "user", desc, payload, strlen(payload), ring);
}

static long search(const char *desc) {
        return syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", desc, 0);
}

int main(int argc, char **argv) {
        char desc[128], buf[256];
        long id;

        if (argc < 3)
                return 2;
        if (!strcmp(argv[1], "host-add")) {
                snprintf(desc, sizeof(desc), "escape-host-%s", argv[2]);
                id = add_key(desc, "host secret", KEY_SPEC_USER_KEYRING);
                if (id < 0)
                        return 1;
                printf("%ld\n", id);
                return 0;
        }
        if (!strcmp(argv[1], "host-find"))
                return search(argv[2]) < 0 ? 1 : 0;
        if (!strcmp(argv[1], "host-remove")) {
                id = search(argv[2]);
                return id >= 0 && syscall(SYS_keyctl, KEYCTL_UNLINK, id, KEY_SPEC_USER_KEYRING) < 0;
        }

        snprintf(desc, sizeof(desc), "escape-host-%s", argv[2]);
        id = step("search-host-key", search(desc));
        if (id >= 0) {
                long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);

                step("read-host-key", n);
                if (n >= 0 && n < (long) sizeof(buf)) {
                        buf[n] = 0;
                        say("host-key-payload", "%s", buf);
                }
        }
        snprintf(desc, sizeof(desc), "escape-in-%s", argv[2]);
        step("add-user-key", add_key(desc, "from the sandbox", KEY_SPEC_USER_KEYRING));
        step("keyctl-get-user-keyring", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
        return 0;
}
