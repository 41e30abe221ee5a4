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
#include "bridge.h"
#include "network.h"
#include "notify.h"
#include "paths.h"
#include "plan.h"
#include "rootfs.h"
#include "runtime-dirs.h"
#include "start-pre.h"
#include "strv.h"
#include "profile-filter.h"
#include "step.h"
#include "idmap.h"
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

/* The service's process once it may go on: its steps, in the walk's
 * state, with the status it ends with when one fails */
typedef struct ServiceWalk {
        const Service *s;
        int status;
} ServiceWalk;

static bool selinux_asked(const HelperConfig *c, const void *state) {
        (void) state;
        return c->selinux_label || c->selinux_mcs;
}

static int step_selinux(void *state, StepTimer *t) {
        (void) t;
        return lsm_arm_selinux(((ServiceWalk *) state)->s->c);
}

static bool apparmor_asked(const HelperConfig *c, const void *state) {
        (void) state;
        return c->apparmor_profile;
}

static int step_apparmor(void *state, StepTimer *t) {
        (void) t;
        return lsm_arm_apparmor(((ServiceWalk *) state)->s->c);
}

static int step_identity(void *state, StepTimer *t) {
        const Service *s = ((ServiceWalk *) state)->s;

        return identity_apply(s->c, s->id, t);
}

static void plan_identity_steps(const HelperConfig *c, Plan *p) {
        steps_plan(identity_steps, n_identity_steps, c, p);
}

/* the unit's UMask= holds for its pre-start commands too, as systemd's
 * for every command of a unit */
static int step_umask(void *state, StepTimer *t) {
        (void) state;
        (void) t;
        umask(service_umask);
        return 0;
}

static bool has_start_pre(const HelperConfig *c, const void *state) {
        (void) state;
        return c->n_start_pre > 0;
}

static int step_start_pre(void *state, StepTimer *t) {
        ServiceWalk *w = state;
        extern char **environ;
        int r;

        (void) t;
        r = run_start_pre(w->s->c, environ);
        if (r == 0)
                return 0;
        w->status = r;
        return -ECANCELED;
}

/* the last step that is logged: once the profile's filter is loaded,
 * nothing but execve() follows */
static int step_system_calls(void *state, StepTimer *t) {
        ServiceWalk *w = state;
        int r;

        step_begin(t, NULL);
        log_debug("execute %s", w->s->c->argv[0]);
        r = profile_filter_load(w->s->c->system_calls != NULL);
        if (r < 0)
                return log_error_errno(r, "system-calls: load the profile's filter: %m");
        return 0;
}

static int step_execve(void *state, StepTimer *t) {
        ServiceWalk *w = state;
        const HelperConfig *c = w->s->c;
        extern char **environ;
        int r;

        (void) t;
        execve(c->argv[0], c->argv, environ);
        r = errno;
        log_error_errno(-r, "execute %s: %m", c->argv[0]);
        w->status = r == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
        return -r;
}

/* The service's process, from its labels to its execve(). The last two
 * leave no line in --debug's log. */
static const Step service_steps[] = {
        { "selinux", selinux_asked, step_selinux, plan_selinux },
        { "apparmor", apparmor_asked, step_apparmor, plan_apparmor },
        { NULL, NULL, step_identity, plan_identity_steps },
        { NULL, NULL, step_umask, NULL },
        { "exec-start-pre", has_start_pre, step_start_pre, plan_start_pre },
        { NULL, NULL, step_system_calls, plan_system_calls },
        { NULL, NULL, step_execve, plan_execve },
};

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
        ServiceWalk w;
        StepTimer t = { .process = "service" };
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
        /* the sandbox's own pty, if it has one, is its terminal: its
         * user's, as the host sees that user */
        if (console_own(c->userns_base + s->id->uid, c->userns_base + s->id->gid) < 0 || console_take() < 0)
                service_not_executed(s, EXIT_SETUP);
        /* <user-namespace mode="private"/>: the namespace the mounts are
         * idmapped with, made before them; from here on every
         * capability is that namespace's, and its IDs are the ones the
         * service's identity names */
        if (idmap_get() >= 0 && setns(idmap_get(), CLONE_NEWUSER) < 0) {
                log_error_errno(-errno, "enter the sandbox's user namespace: %m");
                service_not_executed(s, EXIT_SETUP);
        }
        pids_to_self();
        w = (ServiceWalk) { s, EXIT_SETUP };
        (void) steps_run(STEPS(service_steps), c, &w, &t);
        service_not_executed(s, w.status);
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
        const int userns = s->c->user_namespace && idmap_get() < 0 ? CLONE_NEWUSER : 0;
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

/* Process 1, from its new namespaces to the service's start */
typedef struct Init {
        const HelperConfig *c;
        const char *rundir, *state_root;
        const sigset_t *set;
        int started, overlays, relay;
        Console *console;
        int notify;
        pid_t service;
} Init;

static int step_rootfs(void *state, StepTimer *t) {
        Init *x = state;

        return rootfs_build(x->c, x->rundir, x->state_root, x->overlays, x->relay, t);
}

static void plan_rootfs(const HelperConfig *c, Plan *p) {
        steps_plan(rootfs_steps, n_rootfs_steps, c, p);
}

/* A bridged sandbox's network is made by the helper outside while this
 * process builds the root: its one byte after the overlays says it is
 * made; a closed socket, that it failed (and the helper said why). */
static int network_wait(int sock) {
        char c = 0;
        ssize_t k;

        do
                k = recv(sock, &c, 1, 0);
        while (k < 0 && errno == EINTR);
        if (k < 0)
                return log_error_errno(-errno, "network: wait for the helper: %m");
        return k == 1 && c == 'n' ? 0 : -ECANCELED;
}

static int step_notify(void *state, StepTimer *t) {
        Init *x = state;
        const bool relayed = x->relay >= 0;
        int r;

        (void) t;
        if (network_is_bridge(x->c)) {
                r = network_wait(x->overlays);
                if (r < 0)
                        return r;
        }
        close(TAKE_FD(x->overlays));
        /* the relay's socket is bound: the helper outside reads it */
        if (relayed)
                close(TAKE_FD(x->relay));
        /* READY=1 from process 1 itself: not without a relay (no
         * NOTIFY_SOCKET, as under "sandboxctl run"), where nobody waits */
        if ((x->c->forking || x->c->ready_on_exec) && relayed) {
                x->notify = notify_socket_connect();
                if (x->notify < 0)
                        return x->notify;
        }
        return 0;
}

static int step_network(void *state, StepTimer *t) {
        const HelperConfig *c = ((Init *) state)->c;

        (void) t;
        if (c->network && !streq(c->network, "host"))
                return loopback_up();
        return 0;
}

static bool has_hostname(const HelperConfig *c, const void *state) {
        (void) state;
        return c->hostname;
}

static int step_hostname(void *state, StepTimer *t) {
        const HelperConfig *c = ((Init *) state)->c;

        (void) t;
        if (sethostname(c->hostname, strlen(c->hostname)) < 0)
                return log_error_errno(-errno, "hostname %s: %m", c->hostname);
        return 0;
}

/* the sandbox's pty in place of the admin's terminal, before anything
 * runs in the sandbox */
static int step_terminal(void *state, StepTimer *t) {
        (void) t;
        return console_make(((Init *) state)->console);
}

static int step_init(void *state, StepTimer *t) {
        Init *x = state;

        (void) t;
        x->service = start_service(x->c, x->set, x->started, x->notify);
        return x->service < 0 ? (int) x->service : 0;
}

/* Process 1, in order: the file system, then what is the sandbox's own,
 * then the service's start (its own steps, service_steps, run meanwhile
 * in its own process) */
static const Step init_steps[] = {
        { NULL, NULL, step_rootfs, plan_rootfs },
        { NULL, NULL, step_notify, NULL },
        { "network", NULL, step_network, plan_network },
        { "hostname", has_hostname, step_hostname, plan_hostname },
        { "terminal", NULL, step_terminal, plan_terminal },
        { "init", NULL, step_init, plan_init },
};

void init_print_plan(const HelperConfig *c, Plan *p) {
        steps_plan(STEPS(init_steps), c, p);
}

void service_print_plan(const HelperConfig *c, Plan *p) {
        steps_plan(STEPS(service_steps), c, p);
}

int sandbox_init(const HelperConfig *c, const char *rundir, const char *state_root, const sigset_t *set, int started,
                 int overlays, int relay, Console *console) {
        Init x = { c, rundir, state_root, set, started, overlays, relay, console, -EBADF, -1 };
        StepTimer t = { .process = "init" };

        if (steps_run(STEPS(init_steps), c, &x, &t) < 0)
                return EXIT_SETUP;
        step_begin(&t, NULL);
        if (c->forking)
                return wait_as_forking_init(x.service, set, x.notify);
        return wait_reaping(&(Reaping) { .until = x.service, .signal_to = x.service }, set, &(bool) { false });
}
