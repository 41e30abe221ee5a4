/* TIOCSTI pushes characters into a terminal's input, to be read by the
 * shell outside once the sandbox ends. Try every terminal the probe
 * holds and its controlling terminal. */
#include "probe.h"
#include <sys/ioctl.h>

int main(void) {
        char c = '#';
        int ttys = 0, fd;

        for (int i = 0; i < 3; i++)
                if (isatty(i)) {
                        ttys++;
                        stepf(ioctl(i, TIOCSTI, &c), "tiocsti:fd%d", i);
                }
        say("terminals", "%d", ttys);
        fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
        step("open-dev-tty", fd);
        if (fd >= 0)
                step("tiocsti:dev-tty", ioctl(fd, TIOCSTI, &c));
        return 0;
}
