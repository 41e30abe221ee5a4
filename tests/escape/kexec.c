/* Load a new kernel to boot into. The flags are invalid on purpose: the
 * permission check comes first (EPERM), and with the capability the call
 * would stop at the flags (EINVAL) without loading anything. */
#include "probe.h"

int main(void) {
        step("kexec-load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0xdead0000UL));
        step("kexec-file-load", syscall(SYS_kexec_file_load, -1, -1, 0UL, "", 0xdead0000UL));
        return 0;
}
