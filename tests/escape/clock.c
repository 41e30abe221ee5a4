/* Set the host's clock (there is no time namespace for CLOCK_REALTIME):
 * to the time it already is, and the tick to the value it already has,
 * so that nothing changes even where the call is allowed. */
#include "probe.h"
#include <sys/time.h>
#include <sys/timex.h>
#include <time.h>

int main(void) {
        struct timespec ts;
        struct timeval tv;
        struct timex tx = { .modes = 0 };

        clock_gettime(CLOCK_REALTIME, &ts);
        step("clock-settime", clock_settime(CLOCK_REALTIME, &ts));
        gettimeofday(&tv, NULL);
        step("settimeofday", settimeofday(&tv, NULL));
        if (adjtimex(&tx) >= 0) {
                tx.modes = ADJ_TICK;
                step("adjtimex-tick", adjtimex(&tx));
        }
        return 0;
}
