/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of encrypted state's parts that need no device-mapper: the
 * key's reader (bounds, O_NOFOLLOW, what is not a regular file), the
 * mapping's name, what a device holds (LUKS2, blank, in the clear), and
 * the drop-in lines the compiler writes for an encrypted state. Prints
 * TAP. Its files are in a temporary directory of its own, removed after.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "log.h"
#include "profile.h"
#include "state-key.h"
#include "tap.h"

static void write_bytes(const char *path, size_t n, unsigned char byte) {
        FILE *f = fopen(path, "we");

        if (!f)
                abort();
        for (size_t i = 0; i < n; i++)
                fputc(byte, f);
        fclose(f);
}

static void test_key_read(void) {
        StateKey k;

        write_bytes("key64", 64, 0xa5);
        check(state_key_read(AT_FDCWD, "key64", &k) == 0 && k.size == 64 && k.bytes[0] == 0xa5 && k.bytes[63] == 0xa5,
              "a key of 64 bytes is read whole");
        state_key_wipe(&k);
        check(k.size == 0 && k.bytes[0] == 0 && k.bytes[63] == 0, "wiped, its bytes are zero");

        write_bytes("key-min", STATE_KEY_MIN, 1);
        check(state_key_read(AT_FDCWD, "key-min", &k) == 0 && k.size == STATE_KEY_MIN, "a key of %d bytes, the least, is read",
              STATE_KEY_MIN);
        write_bytes("key-max", STATE_KEY_MAX, 1);
        check(state_key_read(AT_FDCWD, "key-max", &k) == 0 && k.size == STATE_KEY_MAX, "a key of %d bytes, the most, is read",
              STATE_KEY_MAX);
        write_bytes("key-short", STATE_KEY_MIN - 1, 1);
        check(state_key_read(AT_FDCWD, "key-short", &k) == -EBADMSG && k.size == 0, "%d bytes: -EBADMSG",
              STATE_KEY_MIN - 1);
        write_bytes("key-long", STATE_KEY_MAX + 1, 1);
        check(state_key_read(AT_FDCWD, "key-long", &k) == -EBADMSG, "%d bytes: -EBADMSG", STATE_KEY_MAX + 1);
        write_bytes("key-empty", 0, 1);
        check(state_key_read(AT_FDCWD, "key-empty", &k) == -EBADMSG, "an empty file: -EBADMSG");

        if (symlink("key64", "key-link") < 0)
                abort();
        check(state_key_read(AT_FDCWD, "key-link", &k) == -ELOOP, "a symbolic link to a good key: -ELOOP, not followed");
        if (mkfifo("key-fifo", 0600) < 0)
                abort();
        check(state_key_read(AT_FDCWD, "key-fifo", &k) == -EBADFD, "a FIFO: -EBADFD, without waiting for a writer");
        if (mkdir("key-dir", 0700) < 0)
                abort();
        check(state_key_read(AT_FDCWD, "key-dir", &k) == -EBADFD, "a directory: -EBADFD");
        check(state_key_read(AT_FDCWD, "/dev/zero", &k) == -EBADFD, "/dev/zero: -EBADFD, never read");
        check(state_key_read(AT_FDCWD, "key-missing", &k) == -ENOENT, "a missing key: -ENOENT");

        int fds[2];
        if (pipe(fds) < 0)
                abort();
        unsigned char many[STATE_KEY_MAX + 10];
        memset(many, 7, sizeof(many));
        if (write(fds[1], many, sizeof(many)) != (ssize_t) sizeof(many))
                abort();
        close(fds[1]);
        check(state_key_read_fd(fds[0], "pipe", &k) == -EBADMSG && k.size == 0,
              "a pipe with more than %d bytes: -EBADMSG, and nothing kept", STATE_KEY_MAX);
        close(fds[0]);

        StateKey a, b;
        check(state_key_generate(&a) == 0 && state_key_generate(&b) == 0 && a.size == STATE_KEY_SIZE &&
              memcmp(a.bytes, b.bytes, STATE_KEY_SIZE) != 0, "two keys generated: %d bytes each, and different",
              STATE_KEY_SIZE);
}

static void test_names(void) {
        char buf[STATE_CRYPT_NAME_MAX];
        char longest[SANDBOX_NAME_MAX + 1];

        check(state_crypt_name("web", "/dev/loop7", buf, sizeof(buf)) == 0 && streq(buf, "sandbox-state-web@loop7"),
              "the mapping of web on /dev/loop7 is sandbox-state-web@loop7");
        check(state_crypt_name_is_valid("sandbox-state-web@loop7"), "... which is a valid mapping name");
        memset(longest, 'a', SANDBOX_NAME_MAX);
        longest[SANDBOX_NAME_MAX] = 0;
        check(state_crypt_name(longest, "/dev/loop4294967295", buf, sizeof(buf)) == 0 && strlen(buf) < 128 &&
              state_crypt_name_is_valid(buf),
              "the longest sandbox name on the largest loop number gives a mapping name device-mapper takes (< 128)");
        check(state_crypt_name("../x", "/dev/loop0", buf, sizeof(buf)) == -EINVAL, "no mapping name for \"../x\"");
        check(state_crypt_name("a/b", "/dev/loop0", buf, sizeof(buf)) == -EINVAL, "no mapping name for \"a/b\"");
        check(state_crypt_name("web", "/dev/sda", buf, sizeof(buf)) == -EINVAL &&
              state_crypt_name("web", "/dev/loop", buf, sizeof(buf)) == -EINVAL &&
              state_crypt_name("web", "/dev/loop1x", buf, sizeof(buf)) == -EINVAL &&
              state_crypt_name("web", "/tmp/state.img", buf, sizeof(buf)) == -EINVAL,
              "no mapping name for a device that is not a loop device's path");
        check(!state_crypt_name_is_valid("sandbox-state-web") && !state_crypt_name_is_valid("root") &&
              !state_crypt_name_is_valid("sandbox-state-@loop1") && !state_crypt_name_is_valid("sandbox-state-web@loop") &&
              !state_crypt_name_is_valid("sandbox-state-../x@loop1") && !state_crypt_name_is_valid("sandbox-state-web@sda"),
              "names not of a sandbox's state on a loop device are not mapping names");
}

static void test_devices(void) {
        static const unsigned char luks[] = { 'L', 'U', 'K', 'S', 0xba, 0xbe, 0x00, 0x02 };
        int fd;

        if (truncate("blank.img", 0) < 0 && errno != ENOENT)
                abort();
        fd = open("blank.img", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, 4 << 20) < 0)
                abort();
        close(fd);
        check(state_crypt_is_blank("blank.img") == 1 && state_crypt_is_luks("blank.img") == 0,
              "a new sparse image is blank, not LUKS2");

        fd = open("luks.img", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, 4 << 20) < 0 || pwrite(fd, luks, sizeof(luks), 0) != sizeof(luks))
                abort();
        close(fd);
        check(state_crypt_is_luks("luks.img") == 1 && state_crypt_is_blank("luks.img") == 0,
              "an image with LUKS2's magic is LUKS2, not blank");

        /* ext4's magic, 0xEF53 at 1024 + 56 */
        fd = open("clear.img", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, 4 << 20) < 0 || pwrite(fd, "\x53\xef", 2, 1024 + 56) != 2)
                abort();
        close(fd);
        check(state_crypt_is_luks("clear.img") == 0 && state_crypt_is_blank("clear.img") == 0,
              "an image with a file system in the clear is neither");

        /* LUKS1 is not taken for LUKS2 */
        fd = open("luks1.img", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0 || ftruncate(fd, 4 << 20) < 0 || pwrite(fd, "LUKS\xba\xbe\x00\x01", 8, 0) != 8)
                abort();
        close(fd);
        check(state_crypt_is_luks("luks1.img") == 0, "a LUKS1 header is not LUKS2");
        check(state_crypt_is_luks("missing.img") == -ENOENT, "a missing device: -ENOENT");

        write_bytes("tiny.img", 10, 0);
        check(state_crypt_is_blank("tiny.img") == 1, "a device shorter than the header area, all zero: blank");
}

static void test_dropin(const char *profile) {
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_free_ char *plain = NULL, *text = NULL;
        Diagnostics d = {};

        if (profile_load(profile, NULL, &p, &d) < 0 || d.n > 0) {
                check(false, "%s loads", profile);
                diagnostics_print(&d, stdout);
                diagnostics_done(&d);
                return;
        }
        diagnostics_done(&d);
        check(profile_compile_dropin(p, "/usr/libexec/sandbox/sandbox-helper", &plain) == 0 &&
              !strstr(plain, "Credential") && !strstr(plain, "state-key"),
              "without encryption, the drop-in has no credential and no key");

        p->state_encrypted = true;
        if (profile_compile_dropin(p, "/usr/libexec/sandbox/sandbox-helper", &text) < 0) {
                check(false, "the drop-in of an encrypted state compiles");
                return;
        }
        const char *unit = strstr(text, "[Unit]"), *service = strstr(text, "[Service]");
        const char *req = strstr(text, "\nRequires=sandbox-state-key@vault.service\n");
        const char *after = strstr(text, "\nAfter=sandbox-state-key@vault.service\n");
        const char *cred = strstr(text, "\nLoadCredentialEncrypted=sandbox-state-key:/var/lib/sandbox/vault/state-key.cred\n");
        const char *start = strstr(text, "\nExecStart=/usr/libexec/sandbox/sandbox-helper ");
        const char *opt = start ? strstr(start, " --state-key=%d/sandbox-state-key -- /usr/bin/true\n") : NULL;

        check(unit && service && req && after && req > unit && req < service && after < service,
              "[Unit] requires sandbox-state-key@vault.service, after it");
        check(cred && cred > service, "[Service] loads the encrypted credential from the state directory");
        check(opt != NULL, "the helper's --state-key=%%d/sandbox-state-key, %%d unescaped for systemd, just before \"--\"");
        if (!(req && cred && opt))
                printf("# %s\n", text);
}

static const char *const made[] = {
        "key64", "key-min", "key-max", "key-short", "key-long", "key-empty", "key-link", "key-fifo",
        "blank.img", "luks.img", "clear.img", "luks1.img", "tiny.img",
};

int main(int argc, char **argv) {
        const char *tmp = getenv("TMPDIR");
        char dir[4096];

        if (argc != 2) {
                fprintf(stderr, "usage: test-state-crypt PROFILE\n");
                return EXIT_FAILURE;
        }
        snprintf(dir, sizeof(dir), "%s/test-state-crypt.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir) || chdir(dir) < 0) {
                perror(dir);
                return EXIT_FAILURE;
        }
        log_set_program("test-state-crypt");
        test_key_read();
        test_names();
        test_devices();
        test_dropin(argv[1]);
        for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++)
                (void) unlink(made[i]);
        (void) rmdir("key-dir");
        if (chdir("/") < 0 || rmdir(dir) < 0)
                check(false, "its temporary directory %s is left empty and removed", dir);
        printf("1..%u\n", tap_n);
        return tap_failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
