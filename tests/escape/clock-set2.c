/* The host's clock (CLOCK_REALTIME has no namespace), every way: set to
 * the time it already is, the tick to the value it has, so that nothing
 * changes where a call gets through. Reading with adjtimex() is refused
 * too: the filter cannot see the structure's modes. */
#include "probe.h"
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>

int main(void) {
        struct timespec ts;
        struct timeval tv;
        struct timex read_only = { .modes = 0 }, tick = { .modes = 0 };

        clock_gettime(CLOCK_REALTIME, &ts);
        step("clock-settime", clock_settime(CLOCK_REALTIME, &ts));
        gettimeofday(&tv, NULL);
        step("settimeofday", settimeofday(&tv, NULL));
        step("adjtimex-read", adjtimex(&read_only));
        tick.modes = ADJ_TICK;
        tick.tick = read_only.tick ? read_only.tick : 10000;
        step("adjtimex-tick", adjtimex(&tick));
        step("clock-adjtime-read", syscall(SYS_clock_adjtime, CLOCK_REALTIME, &read_only));
        return 0;
}
