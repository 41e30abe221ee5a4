/* The flags of every mount the sandbox can reach, from its mount table:
 * "rw-nodev:MOUNT yes|no", "rw-nosuid:MOUNT yes|no", "ro-nodev:MOUNT
 * yes|no" and "noexec:MOUNT yes|no". A mount is reached when its mount
 * point leads to it (statx()'s mount id): one covered by another, or
 * below a covered one, is left out. So are devpts, whose nodes are its
 * own (mknod is refused there), and the sandbox's /dev, read-only with
 * the nodes the helper made in it. */
#include "probe.h"
#include <sys/stat.h>

/* mountinfo's octal escapes (\040 for a space) */
static void unescape(char *s) {
        char *o = s;

        for (; *s; s++, o++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
                        *o = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 3;
                } else
                        *o = *s;
        }
        *o = 0;
}

static int has(const char *opts, const char *flag) {
        size_t n = strlen(flag);

        for (const char *p = opts; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
                if (strncmp(p, flag, n) == 0 && (p[n] == ',' || p[n] == 0))
                        return 1;
        return 0;
}

int main(void) {
        FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[8192];

        if (!f)
                return 2;
        while (fgets(line, sizeof(line), f)) {
                char mnt[4096], opts[1024], type[256];
                unsigned id;
                struct statx stx;
                char *sep = strstr(line, " - ");

                if (!sep || sscanf(line, "%u %*u %*s %*s %4095s %1023s", &id, mnt, opts) != 3 ||
                    sscanf(sep + 3, "%255s", type) != 1)
                        continue;
                unescape(mnt);
                if (statx(AT_FDCWD, mnt, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID) ||
                    stx.stx_mnt_id != id)
                        continue; /* out of reach */
                printf("noexec:%s %s\n", mnt, has(opts, "noexec") ? "yes" : "no");
                if (strcmp(type, "devpts") == 0 || (strcmp(mnt, "/dev") == 0 && strcmp(type, "tmpfs") == 0))
                        continue;
                if (has(opts, "rw")) {
                        printf("rw-nodev:%s %s\n", mnt, has(opts, "nodev") ? "yes" : "no");
                        printf("rw-nosuid:%s %s\n", mnt, has(opts, "nosuid") ? "yes" : "no");
                } else
                        printf("ro-nodev:%s %s\n", mnt, has(opts, "nodev") ? "yes" : "no");
        }
        fclose(f);
        return 0;
}
