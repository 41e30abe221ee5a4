/* Built as a shared object, not a probe: planted as /etc/ld.so.preload in
 * a sandbox's persistent /etc, it is loaded by every dynamically linked
 * program the sandbox runs from then on, and logs who loaded it (PID,
 * effective capabilities, program) to /etc/escape-preload.log. A
 * privileged process of the helper's must never be among them. */
#include "probe.h"

__attribute__((constructor)) static void loaded(void) {
        char line[256], exe[256] = "?", caps[256] = "?";
        FILE *f = fopen("/proc/self/status", "re"), *log;
        ssize_t n;

        while (f && fgets(line, sizeof(line), f))
                if (!strncmp(line, "CapEff:\t", 8)) {
                        line[strcspn(line, "\n")] = 0;
                        snprintf(caps, sizeof(caps), "%s", line + 8);
                }
        if (f)
                fclose(f);
        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        exe[n < 0 ? 1 : n] = 0;
        log = fopen("/etc/escape-preload.log", "ae");
        if (log) {
                fprintf(log, "loaded-by:%d:%s %s\n", (int) getpid(), exe, caps);
                fclose(log);
        }
}
