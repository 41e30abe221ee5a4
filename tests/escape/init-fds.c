/* What of the sandbox's process 1 a service that keeps CAP_SYS_PTRACE,
 * CAP_SYS_ADMIN and CAP_DAC_* reaches through /proc/1 and pidfd_getfd():
 * its descriptors (each should be one the service holds itself, none a
 * host file of process 1's own), its root and working directory (the
 * sandbox's /), its environment (nothing the service's lacks), its
 * executable and mapped files (not writable). */
#include "probe.h"
#include <dirent.h>
#include <limits.h>

/* whether st is one of the files this process has on 0, 1 or 2 */
static int shared(const struct stat *st) {
        for (int fd = 0; fd <= 2; fd++) {
                struct stat own;

                if (fstat(fd, &own) == 0 && own.st_dev == st->st_dev && own.st_ino == st->st_ino)
                        return 1;
        }
        return 0;
}

/* the names of NAME=VALUE entries in buf (n bytes) */
static int has_name(const char *env, size_t n, const char *entry) {
        size_t len = strcspn(entry, "=");

        for (const char *p = env; p < env + n; p += strlen(p) + 1)
                if (strncmp(p, entry, len) == 0 && p[len] == '=')
                        return 1;
        return 0;
}

static ssize_t read_all(const char *path, char *buf, size_t size) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = 0, k;

        if (fd < 0)
                return -1;
        while (n < (ssize_t) size && (k = read(fd, buf + n, size - (size_t) n)) > 0)
                n += k;
        close(fd);
        return n;
}

static void same_dir(const char *key, const char *path) {
        struct stat a, b;

        if (stat(path, &a) < 0) {
                step(key, -1);
                return;
        }
        stat("/", &b);
        say(key, a.st_dev == b.st_dev && a.st_ino == b.st_ino ? "same" : "other");
}

int main(int argc, char **argv) {
        char list[1024] = "", path[PATH_MAX];
        static char env1[65536], envself[65536];
        long pidfd = syscall(SYS_pidfd_open, 1, 0);
        int own = 0, extra = 0;
        struct dirent *e;
        ssize_t n1, ns;
        DIR *d;

        /* --forking: the daemon looks once process 1 has sent READY=1 */
        if (argc > 1)
                usleep((useconds_t) atoi(argv[1]) * 1000);
        d = opendir("/proc/1/fd");
        if (!d) {
                step("init-fd-list", -1);
                return 0;
        }
        while ((e = readdir(d))) {
                struct stat st;
                int fd, got;

                if (e->d_name[0] == '.')
                        continue;
                snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", *list ? "," : "", e->d_name);
                snprintf(path, sizeof(path), "/proc/1/fd/%s", e->d_name);
                if (stat(path, &st) == 0 && shared(&st))
                        continue;
                /* process 1's own: it must not open anew, nor be taken */
                own++;
                {
                        char target[PATH_MAX];
                        ssize_t k = readlink(path, target, sizeof(target) - 1);

                        target[k < 0 ? 0 : k] = 0;
                        say("init-fd-own-target", "%s %s", e->d_name, target);
                }
                stepf(open(path, O_RDWR | O_CLOEXEC), "init-fd-reopen-rw:%s", e->d_name);
                fd = atoi(e->d_name);
                got = pidfd < 0 ? -1 : (int) syscall(SYS_pidfd_getfd, pidfd, fd, 0);
                stepf(got, "init-fd-getfd:%s", e->d_name);
        }
        closedir(d);
        say("init-fd-list", "%s", *list ? list : "none");
        say("init-fd-own", "%d", own);

        same_dir("init-root", "/proc/1/root/");
        same_dir("init-cwd", "/proc/1/cwd/");

        n1 = read_all("/proc/1/environ", env1, sizeof(env1));
        ns = read_all("/proc/self/environ", envself, sizeof(envself));
        if (n1 < 0)
                step("init-environ", -1);
        else {
                for (const char *p = env1; p < env1 + n1; p += strlen(p) + 1)
                        if (*p && !has_name(envself, (size_t) (ns < 0 ? 0 : ns), p)) {
                                say("init-environ-only", "%.*s", (int) strcspn(p, "="), p);
                                extra++;
                        }
                say("init-environ-extra", "%d", extra);
        }

        step("init-exe-write", open("/proc/1/exe", O_WRONLY | O_CLOEXEC));
        /* every file process 1 has mapped: the helper and, built
         * dynamically, its libraries, all the host's */
        struct stat exe = {};
        stat("/proc/1/exe", &exe);
        d = opendir("/proc/1/map_files");
        if (!d)
                step("init-map-files", -1);
        while (d && (e = readdir(d))) {
                struct stat st = {};

                if (e->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/proc/1/map_files/%s", e->d_name);
                stat(path, &st);
                /* the helper is opened for writing (ETXTBSY while it
                 * runs); a library is only asked (access(2) says EROFS
                 * on a read-only mount): opened for writing, a host
                 * library would make every exec of a program that maps
                 * it fail with ETXTBSY meanwhile */
                if (st.st_dev == exe.st_dev && st.st_ino == exe.st_ino)
                        stepf(open(path, O_WRONLY | O_CLOEXEC), "init-map-write-exe:%s", e->d_name);
                else
                        stepf(access(path, W_OK), "init-map-write-lib:%s", e->d_name);
        }
        if (d)
                closedir(d);
        return 0;
}
