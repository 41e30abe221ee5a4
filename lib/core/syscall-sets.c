/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "quantities.h"
#include "syscall-sets.h"

#define SYSCALLS(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define SET(name, description, ...) { name, description, SYSCALLS(__VA_ARGS__), false }
#define BY_ARGUMENT(name, description, ...) { name, description, SYSCALLS(__VA_ARGS__), true }

const SyscallSet syscall_sets[] = {
        BY_ARGUMENT("@af-alg", "the kernel's crypto API sockets (AF_ALG)",
            "socket"),
        BY_ARGUMENT("@af-vsock", "sockets to the hypervisor and its guests (AF_VSOCK), past any network namespace",
            "socket"),
        SET("@clock", "setting the system clock",
            "adjtimex", "clock_adjtime", "clock_settime", "settimeofday"),
        SET("@debug", "tracing and reading other processes",
            "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd"),
        SET("@fanotify", "watching a whole file system's or mount's files (fanotify)",
            "fanotify_init", "fanotify_mark"),
        BY_ARGUMENT("@fs-admin", "ioctls on a whole file system: freeze, thaw, trim, shut down, resize, relabel",
            "ioctl"),
        SET("@io-uring", "io_uring, whose operations no system call filter sees",
            "io_uring_setup", "io_uring_enter", "io_uring_register"),
        SET("@keyring", "the kernel's key rings",
            "keyctl", "add_key", "request_key"),
        SET("@module", "loading and unloading kernel modules",
            "init_module", "finit_module", "delete_module"),
        SET("@mount", "mounting, unmounting and changing the root",
            "mount", "umount2", "pivot_root", "move_mount", "open_tree", "open_tree_attr", "fsopen",
            "fsconfig", "fsmount", "fspick", "mount_setattr"),
        SET("@quota", "file system quotas",
            "quotactl", "quotactl_fd"),
        SET("@raw-io", "raw I/O ports and PCI configuration",
            "ioperm", "iopl", "pciconfig_iobase", "pciconfig_read", "pciconfig_write"),
        SET("@reboot", "rebooting and loading a new kernel",
            "reboot", "kexec_load", "kexec_file_load"),
        BY_ARGUMENT("@setid", "making set-user-ID and set-group-ID files",
            "chmod", "fchmod", "fchmodat", "fchmodat2", "creat", "open", "openat", "openat2",
            "mknod", "mknodat"),
        SET("@swap", "enabling and disabling swap",
            "swapon", "swapoff"),
        BY_ARGUMENT("@tty-inject", "pushing input into a terminal, taking the console (TIOCSTI, TIOCLINUX, TIOCCONS)",
            "ioctl"),
        {}
};

/* kcmp stays: it compares the kernel objects of two processes the caller
 * may already read (PTRACE_MODE_READ, in the sandbox's PID namespace),
 * and Mesa uses it to compare descriptors */
const char *const seccomp_default_deny[] = {
        "@af-alg", "@af-vsock", "@clock", "@fanotify", "@fs-admin", "@io-uring", "@keyring", "@module",
        "@mount", "@quota", "@raw-io", "@reboot", "@setid", "@swap", "@tty-inject",
        "acct", "bpf", "lookup_dcookie", "nfsservctl", "open_by_handle_at", "perf_event_open",
        "pidfd_getfd", "process_vm_readv", "process_vm_writev", "ptrace", "syslog", "uselib",
        "userfaultfd", "vhangup",
        NULL,
};

const SyscallSet *syscall_set_find(const char *name) {
        for (const SyscallSet *s = syscall_sets; s->name; s++)
                if (streq(s->name, name))
                        return s;
        return NULL;
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
