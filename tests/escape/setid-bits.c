/* Set-ID files in a writable directory: a file made set-user-ID root in
 * a bind of a host directory is one on the host, whose own mount of the
 * directory honours the bit. setid-bits DIR: every way to set S_ISUID or
 * S_ISGID on a new or existing file in DIR, then the modes that must
 * still work (no set-ID bit; open() without O_CREAT whatever its mode). */
#include "probe.h"
#include <linux/openat2.h>
#include <sys/sysmacros.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static char dir[4096];

static const char *in(const char *name) {
        static char path[4200];

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        return path;
}

static long created(long fd) {
        if (fd >= 0)
                close((int) fd);
        return fd < 0 ? -1 : 0;
}

static void bit(const char *tag, mode_t b) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd;
        char key[64];
        struct open_how how = { .flags = O_CREAT | O_WRONLY | O_CLOEXEC, .mode = 0755 | b };

#define KEY(what) (snprintf(key, sizeof(key), "%s:%s", what, tag), key)
        fd = open(in("plain"), O_RDONLY | O_CLOEXEC);
        step(KEY("chmod"), chmod(in("plain"), 0755 | b));
        step(KEY("fchmod"), fchmod(fd, 0755 | b));
        step(KEY("fchmodat"), fchmodat(dfd, "plain", 0755 | b, 0));
        step(KEY("fchmodat2"), syscall(SYS_fchmodat2, dfd, "plain", 0755 | b, 0));
        step(KEY("open-creat"), created(open(in(KEY("new-open")), O_CREAT | O_WRONLY | O_CLOEXEC, 0755 | b)));
        step(KEY("openat-creat"), created(openat(dfd, KEY("new-openat"), O_CREAT | O_WRONLY | O_CLOEXEC, 0755 | b)));
        step(KEY("creat"), created(creat(in(KEY("new-creat")), 0755 | b)));
        step(KEY("open-tmpfile"), created(open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0755 | b)));
        step(KEY("openat2-creat"), created(syscall(SYS_openat2, dfd, KEY("new-openat2"), &how, sizeof(how))));
        step(KEY("mknod"), mknod(in(KEY("new-mknod")), S_IFREG | 0755 | b, 0));
        step(KEY("mknodat"), mknodat(dfd, KEY("new-mknodat"), S_IFREG | 0755 | b, 0));
#undef KEY
        if (fd >= 0)
                close(fd);
        close(dfd);
}

int main(int argc, char *argv[]) {
        struct stat st;
        int fd;

        if (argc < 2 || strlen(argv[1]) >= sizeof(dir) - 64)
                return 2;
        strcpy(dir, argv[1]);
        /* copy a root-owned program, as the escape did with dash */
        fd = open(in("plain"), O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
        if (step("create-plain", fd) < 0)
                return 0;
        close(fd);
        bit("suid", S_ISUID);
        bit("sgid", S_ISGID);
        /* what must keep working */
        step("chmod-0700", chmod(in("plain"), 0700));
        step("chmod-sticky", chmod(in("plain"), 01755));
        step("open-creat-0644", created(open(in("new-0644"), O_CREAT | O_WRONLY | O_CLOEXEC, 0644)));
        step("open-no-creat-mode-ignored", created(open(in("plain"), O_RDONLY | O_CLOEXEC, 04755)));
        step("mkdir-2775", mkdir(in("dir-2775"), 02775));
        if (stat(in("plain"), &st) == 0)
                say("mode:plain", "%o", st.st_mode & 07777);
        return 0;
}
