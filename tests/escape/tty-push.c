/* The terminal a service is given, and TIOCSTI into it: a line pushed
 * into the admin's terminal would be read by the admin's shell once the
 * sandbox ends. Reports the terminal's name and whether it belongs to
 * the sandbox's own devpts, then pushes argv[1] and a newline into every
 * terminal the probe holds and into its controlling terminal. */
#include "probe.h"
#include <sys/ioctl.h>

static void push(const char *key, int fd, const char *line) {
        long r = 0;

        for (const char *p = line; *p && r >= 0; p++)
                r = ioctl(fd, TIOCSTI, p);
        if (r >= 0)
                r = ioctl(fd, TIOCSTI, "\n");
        step(key, r);
}

int main(int argc, char *argv[]) {
        const char *line = argc > 1 ? argv[1] : "true";
        struct stat fd0, ptmx;
        char *name;
        int fd;

        say("stdin-tty", "%s", isatty(0) ? "yes" : "no");
        name = ttyname(0);
        say("stdin-name", "%s", name ? name : "none");
        if (fstat(0, &fd0) == 0)
                say("stdin-dev", "%lu", (unsigned long) fd0.st_dev);
        /* the devpts mounted on this sandbox's /dev/pts */
        if (stat("/dev/pts/ptmx", &ptmx) == 0)
                say("own-devpts", "%s", fd0.st_dev == ptmx.st_dev ? "same" : "other");
        for (int i = 0; i < 3; i++)
                if (isatty(i)) {
                        char key[32];

                        snprintf(key, sizeof(key), "tiocsti:fd%d", i);
                        push(key, i, line);
                }
        fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        step("open-dev-tty", fd);
        if (fd >= 0)
                push("tiocsti:dev-tty", fd, line);
        return 0;
}
