/* Reach another sandbox's state (argv[2], its /etc upper dir) and the
 * state root (argv[1]) by their host paths; and by the host path of this
 * sandbox's own upper dir, when /proc/self/mountinfo shows one. */
#include "probe.h"
#include <limits.h>

static void attempt(const char *what, const char *dir) {
        char path[PATH_MAX + 64];

        stepf(open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), "open-dir:%s", what);
        snprintf(path, sizeof(path), "%s/escape", dir);
        stepf(open_write(path, O_CREAT), "create:%s", what);
        snprintf(path, sizeof(path), "/proc/self/root%s/escape", dir);
        stepf(open_write(path, O_CREAT), "create-via-proc:%s", what);
}

int main(int argc, char **argv) {
        char line[8192], upper[PATH_MAX] = "", other[PATH_MAX];
        FILE *f;

        if (argc < 3)
                return 2;
        attempt("state-root", argv[1]);
        attempt("other-upper", argv[2]);
        /* the overlay's options give the host path of this upper dir */
        f = fopen("/proc/self/mountinfo", "re");
        while (f && fgets(line, sizeof(line), f)) {
                char *u = strstr(line, "upperdir=");

                if (u && strstr(line, " /etc ")) {
                        u += strlen("upperdir=");
                        u[strcspn(u, ", \n")] = 0;
                        snprintf(upper, sizeof(upper), "%s", u);
                }
        }
        if (f)
                fclose(f);
        say("upperdir-shown", "%s", *upper ? upper : "none");
        /* a descriptor's path (/proc/self/fd/N) names nothing on the host */
        if (*upper && strncmp(upper, "/proc/", 6)) {
                char *s;

                attempt("own-upper", upper);
                /* STATE/NAME/etc/upper -> STATE/other/etc/upper */
                snprintf(other, sizeof(other), "%s", upper);
                for (int i = 0; i < 3 && (s = strrchr(other, '/')); i++)
                        *s = 0;
                strncat(other, "/other/etc/upper", sizeof(other) - strlen(other) - 1);
                attempt("other-upper-from-mountinfo", other);
        }
        return 0;
}
