/* The sandbox's process 1, traced by a service that keeps CAP_SYS_PTRACE
 * (and has ptrace allowed): made to run system calls of the service's
 * choosing, as code written into it would. Each is put in place of the
 * call process 1 is about to make (at its syscall-entry stop, which
 * seccomp checks after), its result read at the exit stop, and the
 * original call then made again. Only x86_64. */
#include "probe.h"
#include <sched.h>
#include <signal.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/user.h>
#include <sys/wait.h>

#if defined(__x86_64__)
static struct user_regs_struct saved;

/* the next syscall-entry stop of process 1; 0 or -1 */
static int to_entry_stop(void) {
        int status, sig = 0;

        for (;;) {
                if (ptrace(PTRACE_SYSCALL, 1, NULL, (void *) (long) sig) < 0 || waitpid(1, &status, __WALL) < 0)
                        return -1;
                if (!WIFSTOPPED(status))
                        return -1;
                if (WSTOPSIG(status) == (SIGTRAP | 0x80))
                        return 0;
                /* a signal for process 1 (not a stop of ours): passed on */
                sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
        }
}

/* inject NAME NR ARGS: the call in place of the one process 1 is
 * entering; reports its result as the probe's steps do */
static long inject(const char *key, long nr, long a0, long a1, long a2, long a3, long a4, long a5) {
        struct user_regs_struct r = saved;
        int status;
        long ret;

        r.orig_rax = (unsigned long) nr;
        r.rdi = (unsigned long) a0;
        r.rsi = (unsigned long) a1;
        r.rdx = (unsigned long) a2;
        r.r10 = (unsigned long) a3;
        r.r8 = (unsigned long) a4;
        r.r9 = (unsigned long) a5;
        if (ptrace(PTRACE_SETREGS, 1, NULL, &r) < 0 || ptrace(PTRACE_SYSCALL, 1, NULL, NULL) < 0 ||
            waitpid(1, &status, __WALL) < 0 || !WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80) ||
            ptrace(PTRACE_GETREGS, 1, NULL, &r) < 0) {
                say(key, "lost");
                return -1;
        }
        ret = (long) r.rax;
        if (ret < 0 && ret > -4096) {
                errno = (int) -ret;
                step(key, -1);
        } else
                say(key, "ok");
        /* back to the original call: its syscall instruction again */
        r = saved;
        r.rip -= 2;
        r.rax = saved.orig_rax;
        if (ptrace(PTRACE_SETREGS, 1, NULL, &r) < 0 || to_entry_stop() < 0 ||
            ptrace(PTRACE_GETREGS, 1, NULL, &saved) < 0) {
                say("restore", "lost");
                exit(1);
        }
        return ret;
}

/* writes s into process 1's memory at addr, a word at a time */
static int poke(unsigned long addr, const char *s, size_t n) {
        for (size_t i = 0; i < n; i += sizeof(long)) {
                long w = 0;

                memcpy(&w, s + i, n - i < sizeof(long) ? n - i : sizeof(long));
                if (ptrace(PTRACE_POKEDATA, 1, (void *) (addr + i), (void *) w) < 0)
                        return -1;
        }
        return 0;
}

int main(void) {
        /* scratch below process 1's stack pointer, well past the red zone */
        static const char strings[] = "/\0none\0/tmp\0tmpfs\0/bin/sh\0x";
        unsigned long scratch, root, none, tmp, tmpfs, sh, x;
        int status;

        if (step("seize", ptrace(PTRACE_SEIZE, 1, NULL, (void *) PTRACE_O_TRACESYSGOOD)) < 0)
                return 0;
        if (step("interrupt", ptrace(PTRACE_INTERRUPT, 1, NULL, NULL)) < 0 || waitpid(1, &status, __WALL) < 0)
                return 0;
        if (to_entry_stop() < 0 || ptrace(PTRACE_GETREGS, 1, NULL, &saved) < 0) {
                say("entry-stop", "lost");
                return 0;
        }
        say("entry-stop", "ok");
        scratch = (saved.rsp - 4096) & ~15UL;
        if (step("poke", poke(scratch, strings, sizeof(strings))) < 0)
                return 0;
        root = scratch;
        none = root + 2;
        tmp = none + 5;
        tmpfs = tmp + 5;
        sh = tmpfs + 6;
        x = sh + 8;

        /* the control: a call process 1 makes itself, answered in it */
        say("inject-getpid", "%ld", inject("inject-getpid-call", SYS_getpid, 0, 0, 0, 0, 0, 0));
        /* process 1's process group: its own, or (were it the helper's
         * outside) a signal to processes of the host; process 1 passes
         * SIGUSR2 on to this process, which ignores it */
        signal(SIGUSR2, SIG_IGN);
        inject("inject-kill-group", SYS_kill, 0, SIGUSR2, 0, 0, 0, 0);
        inject("inject-unshare-user", SYS_unshare, CLONE_NEWUSER, 0, 0, 0, 0, 0);
        inject("inject-unshare-ns", SYS_unshare, CLONE_NEWNS, 0, 0, 0, 0, 0);
        inject("inject-setns", SYS_setns, 2, 0, 0, 0, 0, 0);
        inject("inject-openat", SYS_openat, AT_FDCWD, (long) root, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0);
        inject("inject-open", SYS_open, (long) root, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, 0, 0, 0);
        inject("inject-open-by-handle", SYS_open_by_handle_at, AT_FDCWD, (long) scratch, O_RDONLY, 0, 0, 0);
        inject("inject-mount", SYS_mount, (long) none, (long) tmp, (long) tmpfs, 0, 0, 0);
        inject("inject-fsopen", SYS_fsopen, (long) tmpfs, 0, 0, 0, 0, 0);
        inject("inject-memfd", SYS_memfd_create, (long) x, 0, 0, 0, 0, 0);
        inject("inject-mmap-exec", SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        inject("inject-mprotect-exec", SYS_mprotect, (long) (saved.rsp & ~4095UL), 4096, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0);
        inject("inject-socket", SYS_socket, AF_UNIX, SOCK_DGRAM, 0, 0, 0, 0);
        inject("inject-ptrace", SYS_ptrace, PTRACE_TRACEME, 0, 0, 0, 0, 0);
        inject("inject-prctl-dumpable", SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0, 0);
        inject("inject-seccomp", SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, (long) scratch, 0, 0, 0);
        inject("inject-chdir", SYS_chdir, (long) root, 0, 0, 0, 0, 0);
        inject("inject-pidfd-open", SYS_pidfd_open, 1, 0, 0, 0, 0, 0);
        /* last: where it is not refused, process 1 is the shell now */
        inject("inject-execve", SYS_execve, (long) sh, 0, 0, 0, 0, 0);

        /* process 1 goes on with its own call, as if nothing happened */
        step("detach", ptrace(PTRACE_DETACH, 1, NULL, NULL));
        return 0;
}
#else
int main(void) {
        say("seize", "unsupported");
        return 0;
}
#endif
