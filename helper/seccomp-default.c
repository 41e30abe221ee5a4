/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The default filter, written out as classic BPF: a dozen instructions
 * need no library at run time (libseccomp's load alone cost half a
 * millisecond of every start).
 */
#include <endian.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "seccomp-default.h"

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH AUDIT_ARCH_RISCV64
#elif defined(__i386__)
#define NATIVE_ARCH AUDIT_ARCH_I386
#elif defined(__arm__) && __BYTE_ORDER == __LITTLE_ENDIAN
#define NATIVE_ARCH AUDIT_ARCH_ARM
#else
/* where clone()'s flags are not its first argument (s390) or the
 * architecture is not known here: better no build than a wrong filter */
#error "the default seccomp filter does not know this architecture"
#endif

/* the low 32 bits of the first argument, where CLONE_NEWUSER is */
#define ARG0_LOW (offsetof(struct seccomp_data, args[0]) + (__BYTE_ORDER == __BIG_ENDIAN ? 4 : 0))

#define LOAD(what) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (what))
#define RETURN(action) BPF_STMT(BPF_RET | BPF_K, (action))
#define IF_EQUAL(value, then_skip, else_skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (value), (then_skip), (else_skip))

int seccomp_load_default(void) {
        static const struct sock_filter filter[] = {
                LOAD(offsetof(struct seccomp_data, arch)),
                IF_EQUAL(NATIVE_ARCH, 1, 0),
                RETURN(SECCOMP_RET_KILL_PROCESS),
                LOAD(offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
                /* the x32 ABI shares the architecture: its numbers have this bit */
                BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1),
                RETURN(SECCOMP_RET_KILL_PROCESS),
#endif
                IF_EQUAL(__NR_clone3, 0, 1),
                RETURN(SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
                IF_EQUAL(__NR_keyctl, 2, 0),
                IF_EQUAL(__NR_add_key, 1, 0),
                IF_EQUAL(__NR_request_key, 0, 1),
                RETURN(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
                IF_EQUAL(__NR_unshare, 1, 0),
                IF_EQUAL(__NR_clone, 0, 3),
                LOAD(ARG0_LOW),
                BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1),
                RETURN(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
                RETURN(SECCOMP_RET_ALLOW),
        };
        const struct sock_fprog program = {
                .len = ELEMENTSOF(filter),
                .filter = (struct sock_filter *) filter,
        };

        /* with CAP_SYS_ADMIN: no_new_privs stays the profile's choice */
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &program) < 0)
                return log_error_errno(-errno, "seccomp: load the default filter: %m");
        return 0;
}
