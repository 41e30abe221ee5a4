/* TIOCSTI pushes characters into a terminal's input, to be read by the
 * shell outside once the sandbox ends. Try every terminal the probe
 * holds and its controlling terminal; say whether the terminals are the
 * sandbox's own (on the devpts of its /dev/pts) or another's. */
#include "probe.h"
#include <stdbool.h>
#include <sys/ioctl.h>

int main(void) {
        char c = '#';
        int ttys = 0, fd;

        struct stat pts, st;
        bool own = stat("/dev/pts/ptmx", &pts) == 0;

        for (int i = 0; i < 3; i++)
                if (isatty(i)) {
                        ttys++;
                        own = own && fstat(i, &st) == 0 && st.st_dev == pts.st_dev;
                        stepf(ioctl(i, TIOCSTI, &c), "tiocsti:fd%d", i);
                }
        say("terminals", "%d", ttys);
        say("terminals-of", "%s", ttys == 0 ? "none" : own ? "sandbox" : "other");
        fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
        step("open-dev-tty", fd);
        if (fd >= 0)
                step("tiocsti:dev-tty", ioctl(fd, TIOCSTI, &c));
        return 0;
}
