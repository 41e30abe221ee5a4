/* perf_event_open(2) beyond one's own processes: a CPU-wide counter
 * (every process on the host), and one that includes the kernel. */
#include "probe.h"
#include <linux/perf_event.h>

static long perf(struct perf_event_attr *a, pid_t pid, int cpu) {
        return syscall(SYS_perf_event_open, a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

int main(void) {
        struct perf_event_attr a = {
                .type = PERF_TYPE_SOFTWARE,
                .size = sizeof(a),
                .config = PERF_COUNT_SW_CPU_CLOCK,
                .disabled = 1,
        };

        step("cpu-wide", perf(&a, -1, 0));
        a.exclude_kernel = 0;
        step("self-with-kernel", perf(&a, 0, -1));
        return 0;
}
