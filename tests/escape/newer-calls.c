/* System calls newer than the filter's libseccomp knows (Linux 6.8 and
 * later): statmount, listmount, mseal, file_getattr, file_setattr, made
 * with arguments that make each fail early. A kernel that has them says
 * EINVAL, EFAULT or the like; one without them, or the sandbox's filter,
 * ENOSYS. */
#include "probe.h"

int main(void) {
        static const struct {
                const char *name;
                long nr;
        } calls[] = {
                { "statmount", 457 }, { "listmount", 458 }, { "mseal", 462 },
                { "file_getattr", 468 }, { "file_setattr", 469 },
        };

        for (size_t i = 0; i < sizeof(calls) / sizeof(*calls); i++)
                step(calls[i].name, syscall(calls[i].nr, NULL, 0, ~0UL, 0, 0));
        return 0;
}
