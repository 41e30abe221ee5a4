/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "quantities.h"
#include "syscall-sets.h"

#define SYSCALLS(...) ((const char *const[]) { __VA_ARGS__, NULL })

const SyscallSet syscall_sets[] = {
        { "@clock", "setting the system clock",
          SYSCALLS("adjtimex", "clock_adjtime", "clock_settime", "settimeofday") },
        { "@debug", "tracing and reading other processes",
          SYSCALLS("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd") },
        { "@keyring", "the kernel's key rings",
          SYSCALLS("keyctl", "add_key", "request_key") },
        { "@module", "loading and unloading kernel modules",
          SYSCALLS("init_module", "finit_module", "delete_module") },
        { "@mount", "mounting, unmounting and changing the root",
          SYSCALLS("mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen",
                   "fsconfig", "fsmount", "fspick", "mount_setattr") },
        { "@raw-io", "raw I/O ports and PCI configuration",
          SYSCALLS("ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write") },
        { "@reboot", "rebooting and loading a new kernel",
          SYSCALLS("reboot", "kexec_load", "kexec_file_load") },
        { "@swap", "enabling and disabling swap",
          SYSCALLS("swapon", "swapoff") },
        {}
};

const char *const seccomp_default_deny[] = {
        "@keyring", "@module", "@mount", "@raw-io", "@reboot", "@swap",
        "acct", "bpf", "open_by_handle_at", "perf_event_open", "userfaultfd",
        NULL,
};

const SyscallSet *syscall_set_find(const char *name) {
        for (const SyscallSet *s = syscall_sets; s->name; s++)
                if (streq(s->name, name))
                        return s;
        return NULL;
}

bool seccomp_default_denies(const char *syscall) {
        for (const char *const *d = seccomp_default_deny; *d; d++) {
                const SyscallSet *s = syscall_set_find(*d);

                if (!s) {
                        if (streq(*d, syscall))
                                return true;
                        continue;
                }
                for (const char *const *k = s->syscalls; *k; k++)
                        if (streq(*k, syscall))
                                return true;
        }
        return false;
}

static const struct {
        const char *name;
        int value;
} errnos[] = {
        { "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
        { "EOPNOTSUPP", EOPNOTSUPP }, { "ENOTSUP", ENOTSUP }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
        { "EROFS", EROFS }, { "EIO", EIO }, { "ENOENT", ENOENT }, { "EBUSY", EBUSY },
};

int seccomp_errno_from_string(const char *s) {
        uint64_t v;

        for (size_t i = 0; i < ELEMENTSOF(errnos); i++)
                if (streq(errnos[i].name, s))
                        return errnos[i].value;
        if (parse_uint_range(s, 1, 4095, &v) < 0)
                return -EINVAL;
        return (int) v;
}

const char *seccomp_errno_to_string(int e) {
        for (size_t i = 0; i < ELEMENTSOF(errnos); i++)
                if (errnos[i].value == e)
                        return errnos[i].name;
        return NULL;
}
