/* Terminal injection: TIOCSTI pushes input, TIOCLINUX pastes a console
 * selection (TIOCL_PASTESEL), TIOCCONS takes the console's output. On
 * the terminals the probe was given, and on a pty of its own (where
 * CAP_SYS_ADMIN alone would let TIOCSTI through). With the request's
 * upper 32 bits set too, which the kernel ignores. */
#include "probe.h"
#include <sys/ioctl.h>

static void attempt(int fd, const char *where) {
        char c = '#', paste = 3; /* TIOCL_PASTESEL */

        stepf(ioctl(fd, TIOCSTI, &c), "tiocsti:%s", where);
        stepf(syscall(SYS_ioctl, fd, 0xffffffff00000000UL | TIOCSTI, &c), "tiocsti-high-bits:%s", where);
        stepf(ioctl(fd, TIOCLINUX, &paste), "tioclinux:%s", where);
}

int main(void) {
        char name[64];
        int ttys = 0, master, slave = -1;

        for (int i = 0; i < 3; i++)
                if (isatty(i)) {
                        char where[16];

                        ttys++;
                        snprintf(where, sizeof(where), "fd%d", i);
                        attempt(i, where);
                }
        say("terminals", "%d", ttys);
        master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (step("open-pty", master) < 0)
                return 0;
        if (grantpt(master) == 0 && unlockpt(master) == 0 && ptsname_r(master, name, sizeof(name)) == 0)
                slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (step("open-pty-slave", slave) < 0)
                return 0;
        attempt(slave, "own-pty");
        /* closing the pty would end a redirection that got through */
        step("tioccons:own-pty", ioctl(slave, TIOCCONS));
        close(slave);
        close(master);
        return 0;
}
