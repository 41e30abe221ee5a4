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
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "console.h"
#include "identity.h"
#include "init-confine.h"
#include "init.h"
#include "log.h"
#include "mount-util.h"
#include "network.h"
#include "notify.h"
#include "paths.h"
#include "rootfs.h"
#include "start-pre.h"
#include "strv.h"
#include "profile-filter.h"
#include "step.h"
#include "userns.h"

typedef struct Service {
        const HelperConfig *c;
        const Identity *id;
        const sigset_t *set;
        int gate;    /* the service's end: a byte on it once process 1 is confined */
        int started; /* closed once process 1 is confined */
        int notify;  /* --forking, --ready-on-exec: process 1's to keep while it waits, or -EBADF */
        bool executed; /* the service's execve() succeeded */
} Service;

static int confine_init(const Service *s, int gate);

mode_t service_umask = 0022;

/* Sockets passed on by systemd are the service's only when LISTEN_PID
 * names it (sd_listen_fds() checks), and so is the watchdog when
 * WATCHDOG_PID does (sd_watchdog_enabled()): systemd set the helper's
 * PID there, which main.c has checked, and the service sees its own in
 * its PID namespace. Rewritten in place, the environment's slot pointing
 * to memory that outlives this process's stack. */
static void pids_to_self(void) {
        static char listen[32], watchdog[32];
        extern char **environ;

        for (char **e = environ; e && *e; e++)
                if (strncmp(*e, "LISTEN_PID=", 11) == 0) {
                        snprintf(listen, sizeof(listen), "LISTEN_PID=%d", (int) getpid());
                        *e = listen;
                } else if (strncmp(*e, "WATCHDOG_PID=", 13) == 0) {
                        snprintf(watchdog, sizeof(watchdog), "WATCHDOG_PID=%d", (int) getpid());
                        *e = watchdog;
                }
}

/* The service's process ends without having executed the service: a
 * byte on the gate before its end says so to process 1, which then
 * reports nothing ready (--ready-on-exec). The end alone is the
 * execve(). */
static _Noreturn void service_not_executed(const Service *s, int status) {
        (void) send(s->gate, "x", 1, MSG_NOSIGNAL);
        _exit(status);
}

/* The service's own process. It shares the helper's memory and the
 * helper waits until it has executed (or exited): no page is copied,
 * which on these machines is most of what a fork costs. So it writes
 * nothing the helper still needs, and makes only system calls, but for
 * messages on the way out. It goes on only once process 1 is confined
 * (confine_init()); the end of the gate, process 1's failure, stops it.
 * Its own end stays open until its execve() closes it: process 1 waits
 * for that. */
static int exec_service(void *userdata) {
        const Service *s = userdata;
        const HelperConfig *c = s->c;
        extern char **environ;
        StepTimer t = {};
        char go;
        int r;

        while ((r = (int) read(s->gate, &go, 1)) < 0 && errno == EINTR)
                ;
        if (r != 1)
                _exit(EXIT_SETUP);

        /* the service starts with no signal blocked, as a fresh process
         * (none has a handler: the helper only ever blocked them) */
        sigprocmask(SIG_UNBLOCK, s->set, NULL);

        /* a session of its own, without a controlling terminal: the
         * service cannot push input into a terminal it was started from
         * (TIOCSTI); keys typed there reach it through the helper */
        if (setsid() < 0) {
                log_error_errno(-errno, "new session: %m");
                service_not_executed(s, EXIT_SETUP);
        }
        /* the sandbox's own pty, if it has one, is its terminal */
        if (console_own(s->id->uid, s->id->gid) < 0 || console_take() < 0)
                service_not_executed(s, EXIT_SETUP);
        pids_to_self();
        if (c->selinux_label || c->apparmor_profile)
                step_begin(&t, c->selinux_label ? "selinux" : "apparmor");
        r = lsm_arm_exec(c);
        if (r >= 0)
                r = identity_apply(c, s->id, &t);
        if (r < 0)
                service_not_executed(s, EXIT_SETUP);
        /* the unit's UMask= holds for its pre-start commands too, as
         * systemd's for every command of a unit */
        umask(service_umask);
        if (c->n_start_pre > 0) {
                step_begin(&t, "exec-start-pre");
                r = run_start_pre(c, environ);
                if (r != 0)
                        service_not_executed(s, r);
        }
        step_begin(&t, NULL);
        log_debug("execute %s", c->argv[0]);
        /* the last step: nothing but execve() follows */
        r = profile_filter_load();
        if (r < 0) {
                log_error_errno(r, "system-calls: load the profile's filter: %m");
                service_not_executed(s, EXIT_SETUP);
        }
        execve(c->argv[0], c->argv, environ);
        r = errno;
        log_error_errno(-r, "execute %s: %m", c->argv[0]);
        service_not_executed(s, r == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

/* The service's process runs, until its execve(), on a stack below this
 * process's frame: this process waits meanwhile (as CLONE_VFORK would,
 * on the gate's end), and the set-up has already touched those pages, so
 * there is no mapping to make and unmake and no page to fault in. Its
 * deepest path, an error logged through stdio, needs less than half of
 * it. The two take turns: the service's process waits on the gate from
 * its start while this one confines itself, then this one waits for the
 * gate's end; no memory is written by both at once. */
#define SERVICE_STACK_SIZE (32 * 1024)

static pid_t start_service_process(Service *s) {
#if !defined(__SANITIZE_ADDRESS__)
        _Alignas(16) char stack[SERVICE_STACK_SIZE];
#endif
        _cleanup_close_ int gate = -EBADF;
        /* <user-namespace>: the service's process is made in a user
         * namespace of its own, after every mount and before anything of
         * the service's identity. unshare() could not make it there: the
         * process shares this one's memory. */
        const int userns = s->c->user_namespace ? CLONE_NEWUSER : 0;
        int pair[2], r, k;
        ssize_t n;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
                return log_error_errno(-errno, "start the service: %m");
        gate = pair[0];
        s->gate = pair[1];
#if defined(__SANITIZE_ADDRESS__)
        /* AddressSanitizer cannot follow a process onto a stack of its
         * own: a plain fork there, which behaves the same, only slower */
        pid = userns ? (pid_t) syscall(SYS_clone, (unsigned long) userns | SIGCHLD, NULL, NULL, NULL, 0) : fork();
        if (pid == 0)
                _exit(exec_service(s));
#else
        pid = clone(exec_service, stack + sizeof(stack), CLONE_VM | userns | SIGCHLD, s);
#endif
        r = -errno;
        close(s->gate);
        if (pid < 0 && userns)
                return log_error_errno(r, "start the service in a user namespace of its own: %m (the kernel refused "
                                       "one: user.max_user_namespaces, or a security module's policy)");
        if (pid < 0)
                return log_error_errno(r, "start the service: %m");
        /* the maps by this process, while it is still privileged in the
         * host's user namespace, where the kernel checks their writer;
         * the service's process waits on the gate meanwhile */
        r = userns ? userns_write_maps(pid, s->id) : 0;
        k = confine_init(s, gate);
        if (r >= 0)
                r = k;
        if (r >= 0 && write(gate, "g", 1) != 1)
                r = log_error_errno(-errno, "start the service: %m");
        /* else the service's process finds the gate's end, whatever
         * copies of this end there are, and stops */
        if (r < 0)
                (void) shutdown(gate, SHUT_WR);
        /* EOF: the service executed, or its process ended: a byte first
         * when it ended on its own; one killed before it executed leaves
         * none and counts as executed, its status failing the unit */
        while ((n = read(gate, &(char) { 0 }, 1)) < 0 && errno == EINTR)
                ;
        s->executed = r >= 0 && n == 0;
        return r < 0 ? r : pid;
}

/* Waiting needs no privilege but CAP_KILL (the service may run as
 * another user): both waiting processes drop the rest. Neither ever
 * executes anything, so its bounding set (forty system calls to clear)
 * would guard nothing that no_new_privs does not: with it, no execve()
 * could give back what is dropped here. Not dumpable, a service that
 * keeps CAP_KILL still cannot ptrace process 1 or read its memory; one
 * that keeps CAP_SYS_PTRACE can, and process 1's filter is what stops
 * it then (confine_init()). */
int drop_to_kill_only(void) {
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

/* Process 1 before the service runs: a service that keeps
 * CAP_SYS_PTRACE (or CAP_SYS_ADMIN, for /proc/1/map_files) can trace
 * process 1, write its memory and take its descriptors, whatever its
 * dumpable flag says. So, before the service's process may execute:
 *
 * - every descriptor is closed but standard error, which the service has
 *   too, and with --forking or --ready-on-exec notify (the socket
 *   READY=1 goes out on, to the relay outside, closed once it is sent,
 *   or once the service failed to execute; the relay's own socket
 *   was closed once bound). The instance lock above all: a host file,
 *   which /proc/1/fd/N would open anew, read-write (see run() in main.c
 *   for why process 1 need not hold it); so are whatever the helper was
 *   handed, the service's sockets (LISTEN_FDS), which it has from
 *   before, and started, which tells the helper outside that the
 *   service is about to execute;
 * - a session and process group of its own, from its clone on
 *   (main.c): in the helper's, outside, kill(0, ...) from it would reach
 *   the helper and whatever else shares its group on the host (a
 *   pipeline's other commands under "sandboxctl run");
 * - the capabilities go, but CAP_KILL, with no_new_privs;
 * - its own filter (init-filter-export.c) refuses every call it does not
 *   make while waiting: code put into it can make no namespace, open,
 *   map or mount nothing, trace and execute nothing.
 *
 * Its root and working directory are the sandbox's /, its environment
 * the service's own, its executable the helper (being executed: not
 * writable). */
static int confine_init(const Service *s, int gate) {
        const int keep[] = { s->started, s->notify, gate };
        int r;

        r = init_close_fds(keep, ELEMENTSOF(keep));
        if (r >= 0)
                r = drop_to_kill_only();
        if (r >= 0)
                r = init_filter_load();
        close(s->started);
        return r;
}

/* The helper outside, once process 1 has started the service. */
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

        r = wait_reaping(&w, set, &dropped);
        if (r != 0)
                return r;
        r = notify_ready(notify);
        if (notify >= 0)
                close(notify);
        if (r < 0)
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

/* The service's user and groups, as numbers (the host's /etc named
 * them, identity_resolve_names()), and its process. The lookup's memory is freed here, before the waiting
 * starts: on the way out, free() would fault back in code that
 * the waiting gave back. Returns the PID, or -errno after logging;
 * either way, process 1 has let go of all but notify, started among
 * them. With --ready-on-exec, notify is closed here: READY=1 went out
 * on it if the service has been executed, and the unit's start
 * (Type=notify) is done only then; otherwise the service's process has
 * said why it ended, and the start fails with its status. */
static pid_t start_service(const HelperConfig *c, const sigset_t *set, int started, int notify) {
        _cleanup_(identity_done) Identity id = {};
        Service s;
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
        s = (Service) { c, &id, set, -EBADF, started, notify, false };
        pid = start_service_process(&s);
        if (c->ready_on_exec && notify >= 0) {
                if (pid >= 0 && s.executed && notify_ready(notify) < 0)
                        pid = -EIO;
                close(notify);
        }
        return pid;
}

int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set, int started,
                 int overlays, int relay, Console *console) {
        StepTimer t = {};
        int notify = -EBADF;
        pid_t service;

        step_begin(&t, "propagation");
        if (rootfs_build(c, rundir, state_root, overlays, relay, &t) < 0)
                return EXIT_SETUP;
        close(overlays);
        /* the relay's socket is bound: the helper outside reads it */
        if (relay >= 0)
                close(relay);
        /* READY=1 from process 1 itself: not without a relay (no
         * NOTIFY_SOCKET, as under "sandboxctl run"), where nobody waits */
        if ((c->forking || c->ready_on_exec) && relay >= 0) {
                notify = notify_socket_connect();
                if (notify < 0)
                        return EXIT_SETUP;
        }
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
        service = start_service(c, set, started, notify);
        if (service < 0)
                return EXIT_SETUP;
        step_begin(&t, NULL);
        if (c->forking)
                return wait_as_forking_init(service, set, notify);
        return wait_reaping(&(Reaping) { .until = service, .signal_to = service }, set, &(bool) { false });
}
