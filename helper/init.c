/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <link.h>
#include <linux/capability.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "console.h"
#include "identity.h"
#include "init.h"
#include "log.h"
#include "mount-util.h"
#include "network.h"
#include "notify.h"
#include "paths.h"
#include "rootfs.h"
#include "strv.h"
#include "step.h"

typedef struct Service {
        const HelperConfig *c;
        const Identity *id;
        const sigset_t *set;
} Service;

/* The service's own process. It shares the helper's memory and the
 * helper waits until it has executed (or exited): no page is copied,
 * which on these machines is most of what a fork costs. So it writes
 * nothing the helper still needs, and makes only system calls, but for
 * messages on the way out. */
/* Sockets passed on by systemd are the service's only when LISTEN_PID
 * names it (sd_listen_fds() checks): systemd set the helper's PID there.
 * Rewritten in place, the environment's slot pointing to memory that
 * outlives this process's stack. */
static void listen_pid_to_self(void) {
        static char value[32];
        extern char **environ;

        for (char **e = environ; e && *e; e++)
                if (strncmp(*e, "LISTEN_PID=", 11) == 0) {
                        snprintf(value, sizeof(value), "LISTEN_PID=%d", (int) getpid());
                        *e = value;
                        return;
                }
}

static int exec_service(void *userdata) {
        const Service *s = userdata;
        const HelperConfig *c = s->c;
        extern char **environ;
        StepTimer t = {};
        int r;

        /* the service starts with no signal blocked, as a fresh process
         * (none has a handler: the helper only ever blocked them) */
        sigprocmask(SIG_UNBLOCK, s->set, NULL);

        /* a session of its own, without a controlling terminal: the
         * service cannot push input into a terminal it was started from
         * (TIOCSTI); keys typed there reach it through the helper */
        if (setsid() < 0) {
                log_error_errno(-errno, "new session: %m");
                _exit(EXIT_SETUP);
        }
        /* the sandbox's own pty, if it has one, is its terminal */
        if (console_own(s->id->uid, s->id->gid) < 0 || console_take() < 0)
                _exit(EXIT_SETUP);
        listen_pid_to_self();
        if (c->selinux_label || c->apparmor_profile)
                step_begin(&t, c->selinux_label ? "selinux" : "apparmor");
        r = lsm_arm_exec(c);
        if (r >= 0)
                r = identity_apply(c, s->id, &t);
        if (r < 0)
                _exit(EXIT_SETUP);
        step_begin(&t, NULL);
        log_debug("execute %s", c->argv[0]);
        execve(c->argv[0], c->argv, environ);
        r = errno;
        log_error_errno(-r, "execute %s: %m", c->argv[0]);
        _exit(r == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

/* The service's process runs, until its execve(), on a stack below this
 * process's frame: this process waits meanwhile (CLONE_VFORK), and the
 * set-up has already touched those pages, so there is no mapping to make
 * and unmake and no page to fault in. Its deepest path, an error logged
 * through stdio, needs less than half of it. */
#define SERVICE_STACK_SIZE (32 * 1024)

static pid_t start_service_process(const Service *s) {
        _Alignas(16) char stack[SERVICE_STACK_SIZE];
        pid_t pid;

#if defined(__SANITIZE_ADDRESS__)
        /* AddressSanitizer cannot follow a process onto a stack of its
         * own: a plain fork there, which behaves the same, only slower */
        pid = fork();
        if (pid == 0)
                _exit(exec_service((void *) s));
        return pid < 0 ? -errno : pid;
#endif

        pid = clone(exec_service, stack + sizeof(stack), CLONE_VM | CLONE_VFORK | SIGCHLD, (void *) s);
        return pid < 0 ? -errno : pid;
}

/* Waiting needs no privilege but CAP_KILL (the service may run as
 * another user); as PID 1 inside the sandbox, the waiter is better off
 * without the rest. It never executes anything, so its bounding set
 * (forty system calls to clear) would guard nothing that no_new_privs
 * does not: with it, no execve() could give back what is dropped here.
 * Not dumpable, a service that keeps CAP_KILL still cannot ptrace it or
 * read its memory. */
static int drop_to_kill_only(void) {
        int r = capabilities_set(UINT64_C(1) << CAP_KILL, 0);

        if (r < 0)
                return log_error_errno(r, "capabilities: drop all but CAP_KILL: %m");
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return log_error_errno(-errno, "capabilities: no_new_privs, not dumpable: %m");
        return 0;
}

/* The helper's own code and read-only data are mapped in whole once the
 * sandbox is built (the kernel maps the pages around each one touched),
 * but waiting runs through few of them: unmapped from this process, they
 * come back as they are touched, and the process that stays holds a
 * fraction of that memory. Only segments that are never written: their
 * pages are the file's. */
static int drop_program_pages(struct dl_phdr_info *info, size_t size, void *userdata) {
        const uintptr_t page = (uintptr_t) sysconf(_SC_PAGESIZE);

        (void) size;
        (void) userdata;
        for (size_t i = 0; i < info->dlpi_phnum; i++) {
                const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
                uintptr_t start, end;

                if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
                        continue;
                /* whole pages only, none shared with a writable segment */
                start = (info->dlpi_addr + ph->p_vaddr + page - 1) & ~(page - 1);
                end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(page - 1);
                if (end > start)
                        (void) madvise((void *) start, end - start, MADV_DONTNEED);
        }
        return 1; /* the first object is the program itself */
}

/* The pages are given back once the service has run for this long: its
 * own start, when it needs the machine most, does not compete with the
 * unmapping and with the faults that bring back what waiting touches,
 * and a service that ends sooner (a check, a short job) spares both
 * processes that work altogether. */
#define PAGES_KEPT_MS 100

/* Waits as reap_forwarding_for() does; the first time the waiting
 * takes PAGES_KEPT_MS, the pages are given back (*dropped says so). */
static int reap_dropping_pages(Reaping *w, const sigset_t *set, bool *dropped) {
        const struct timespec kept = { .tv_nsec = PAGES_KEPT_MS * 1000000L };
        int r;

        if (!*dropped) {
                r = reap_forwarding_for(w, set, &kept);
                if (r != -EAGAIN)
                        return r;
                (void) dl_iterate_phdr(drop_program_pages, NULL);
                *dropped = true;
        }
        return reap_forwarding_for(w, set, NULL);
}

static int wait_reaping(Reaping *w, const sigset_t *set, bool *dropped) {
        int r = reap_dropping_pages(w, set, dropped);

        if (r < 0 && w->until == REAP_ALL)
                log_error_errno(r, "wait for the sandbox's processes: %m");
        else if (r < 0)
                log_error_errno(r, "wait for PID %d: %m", (int) w->until);
        return r < 0 ? EXIT_SETUP : r;
}

int wait_as_init(pid_t child, const sigset_t *set) {
        Reaping w = { .until = child, .signal_to = child };
        bool dropped = false;

        if (drop_to_kill_only() < 0) {
                (void) kill(child, SIGKILL);
                return EXIT_SETUP;
        }
        return wait_reaping(&w, set, &dropped);
}

/* --forking: the command's process starts the daemon and exits 0 once
 * it is ready, which is then told to systemd (the helper outside stays
 * the unit's main process: Type=notify). Any other end of the command
 * is the failed start. From then on the daemon is whatever processes are
 * left: the sandbox lasts as long as any of them does, they all get the
 * forwarded signals, and the last one to end gives the status, so that
 * a daemon that crashes fails the unit and one that stops cleanly does
 * not. Signals go to every process from the start: the command may have
 * forked before it ends. */
static int wait_as_forking_init(pid_t child, const sigset_t *set, int notify) {
        Reaping w = { .until = child, .signal_to = REAP_ALL };
        bool dropped = false;
        int r;

        if (drop_to_kill_only() < 0) {
                (void) kill(child, SIGKILL);
                return EXIT_SETUP;
        }
        r = wait_reaping(&w, set, &dropped);
        if (r != 0)
                return r;
        if (notify_ready(notify) < 0)
                return EXIT_SETUP;
        w.until = REAP_ALL;
        return wait_reaping(&w, set, &dropped);
}

/* /run/NAME for each --runtime-dir=NAME:MODE, as systemd's
 * RuntimeDirectory= makes it: the directories above it root's, itself
 * the service's user's and group's with MODE. Walked by fd, without
 * following a symbolic link and without leaving /run's tmpfs: a profile's
 * bind below /run must not have its source, the host's, chowned. */
static int make_runtime_dir(int run, const struct stat *run_st, const char *spec, const Identity *id) {
        const char *colon = strrchr(spec, ':');
        unsigned mode = (unsigned) strtoul(colon + 1, NULL, 8);
        _cleanup_free_ char *name = strndup(spec, (size_t) (colon - spec));
        _cleanup_close_ int dir = fcntl(run, F_DUPFD_CLOEXEC, 3);
        char part[NAME_MAX + 1];
        const char *p = name;
        bool last = false;
        int r;

        if (!name || dir < 0)
                return log_oom();
        while ((r = path_next_component(&p, part, &last)) > 0) {
                struct stat st;
                int next;

                if (mkdirat(dir, part, last ? 0700 : 0755) < 0 && errno != EEXIST)
                        return log_error_errno(-errno, "runtime directory /run/%s: %m", name);
                next = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return log_error_errno(-errno, "runtime directory /run/%s: %s: %m", name, part);
                close(dir);
                dir = next;
                if (fstat(dir, &st) < 0)
                        return log_error_errno(-errno, "runtime directory /run/%s: %m", name);
                if (st.st_dev != run_st->st_dev)
                        return log_error_errno(-EXDEV, "runtime directory /run/%s: %s is another mount, not the "
                                               "sandbox's /run", name, part);
        }
        if (r < 0)
                return log_error_errno(r, "runtime directory /run/%s: %m", name);
        if (fchown(dir, id->uid, id->gid) < 0 || fchmod(dir, mode) < 0)
                return log_error_errno(-errno, "runtime directory /run/%s: %m", name);
        return 0;
}

static int make_runtime_dirs(const HelperConfig *c, const Identity *id) {
        _cleanup_close_ int run = -EBADF;
        struct stat st;
        int r;

        if (!c->runtime_dirs)
                return 0;
        run = open("/run", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (run < 0 || fstat(run, &st) < 0)
                return log_error_errno(-errno, "runtime directories: /run: %m");
        STRV_FOREACH(d, c->runtime_dirs) {
                r = make_runtime_dir(run, &st, *d, id);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The service's user and groups, looked up in the sandbox's /etc, and
 * its process. The lookup's memory is freed here, before the waiting
 * starts: on the way out, free() would fault back in code that
 * wait_as_init() gave back. Returns the PID, or -errno after logging. */
static pid_t start_service(const HelperConfig *c, const sigset_t *set) {
        _cleanup_(identity_done) Identity id = {};
        pid_t pid;
        int r;

        r = identity_resolve(c, &id);
        if (r >= 0 && id.caps_missing) {
                _cleanup_free_ char *names = capabilities_names(id.caps_missing);
                log_info("capabilities: not in the bounding set given here, so not kept: %s", names ? names : "(out of memory)");
        }
        if (r >= 0)
                r = make_runtime_dirs(c, &id);
        if (r < 0)
                return r;
        pid = start_service_process(&(Service) { c, &id, set });
        if (pid < 0)
                return log_error_errno(pid, "start the service: %m");
        return pid;
}

int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set, int started,
                 int overlays, int notify, Console *console) {
        StepTimer t = {};
        pid_t service;

        step_begin(&t, "propagation");
        if (rootfs_build(c, rundir, state_root, overlays, &t) < 0)
                return EXIT_SETUP;
        close(overlays);
        step_begin(&t, "network");
        if (c->network && !streq(c->network, "host") && loopback_up() < 0)
                return EXIT_SETUP;
        if (c->hostname)
                step_begin(&t, "hostname");
        if (c->hostname && sethostname(c->hostname, strlen(c->hostname)) < 0) {
                log_error_errno(-errno, "hostname %s: %m", c->hostname);
                return EXIT_SETUP;
        }
        /* the sandbox's pty in place of the admin's terminal, before
         * anything runs in the sandbox */
        step_begin(&t, "terminal");
        if (console_make(console) < 0)
                return EXIT_SETUP;
        step_begin(&t, "init");
        service = start_service(c, set);
        if (service < 0)
                return EXIT_SETUP;
        step_begin(&t, NULL);
        close(started);
        return c->forking ? wait_as_forking_init(service, set, notify) : wait_as_init(service, set);
}
