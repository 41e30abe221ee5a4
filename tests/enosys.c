/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* enosys SYSCALL[,SYSCALL...] COMMAND...: runs COMMAND with those system
 * calls answering ENOSYS, as on an older kernel or under a seccomp
 * filter of systemd's (RestrictSUIDSGID= does so to openat2()), so that
 * the tests see the helper's way around them. Knows openat2,
 * close_range, fsopen, landlock_create_ruleset and mount_setattr;
 * x86-64 only. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct {
        const char *name;
        long nr;
} known[] = { { "openat2", SYS_openat2 }, { "close_range", SYS_close_range }, { "fsopen", SYS_fsopen },
                 { "landlock_create_ruleset", SYS_landlock_create_ruleset }, { "mount_setattr", SYS_mount_setattr } };

#define N_KNOWN (sizeof(known) / sizeof(known[0]))

int main(int argc, char *argv[]) {
        struct sock_filter filter[5 + 2 * N_KNOWN];
        struct sock_fprog prog = { .filter = filter };
        unsigned short n = 0, calls = 0;
        char list[256];

        if (argc < 3 || strlen(argv[1]) >= sizeof(list)) {
                fprintf(stderr, "usage: enosys SYSCALL[,SYSCALL...] COMMAND...\n");
                return 2;
        }
        filter[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
        filter[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
        filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        filter[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
        strcpy(list, argv[1]);
        for (char *s = strtok(list, ","); s; s = strtok(NULL, ",")) {
                size_t i;

                for (i = 0; i < N_KNOWN && strcmp(known[i].name, s) != 0; i++)
                        ;
                if (i == N_KNOWN || calls++ == N_KNOWN) {
                        fprintf(stderr, "enosys: %s: not a system call this program knows, or too many\n", s);
                        return 2;
                }
                filter[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned) known[i].nr, 0, 1);
                filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
        }
        filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
        prog.len = n;
        if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
                perror("enosys: seccomp");
                return 2;
        }
        execv(argv[2], argv + 2);
        perror(argv[2]);
        return 127;
}
