/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-helper --join=NAME: a command in a sandbox that runs, as one
 * more of its processes. The settings are the running helper's own (its
 * command line, as the kernel keeps it), not the profile's as it may
 * have been edited since: the command gets the service's user, groups,
 * capabilities, seccomp filter, labels, working directory and
 * environment, its namespaces and its cgroups.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "buffer.h"
#include "console.h"
#include "identity.h"
#include "init.h"
#include "join-cgroups.h"
#include "join.h"
#include "log.h"
#include "selinux-mcs.h"
#include "paths.h"
#include "proc-file.h"
#include "proc-tree.h"
#include "profile-filter.h"
#include "pty-relay.h"
#include "quantities.h"
#include "reap.h"
#include "state-dir.h"
#include "strv.h"
#include "userns.h"
#include "userns-state.h"

/* bounds on what is read from /proc */
#define PROC_FILE_MAX (1U << 20)
#define CGROUPS_MAX 32
/* how long a sandbox being built is waited for */
#define JOIN_WAIT_MS 5000

typedef struct Target {
        pid_t helper, init;
        int helper_fd, init_fd; /* pidfds: the PIDs cannot be reused meanwhile */
        int userns_fd;          /* <user-namespace>: the service's, or -EBADF */
        HelperConfig service;   /* the running helper's command line */
        char **env;
        int cgroups[CGROUPS_MAX];
        size_t n_cgroups;
        pid_t main_pid;     /* the process of init's that executed the service, on the host */
        char mainpid[16];   /* its PID in the sandbox's PID namespace; "" when unknown */
} Target;

static void target_done(Target *t) {
        closep(&t->helper_fd);
        closep(&t->init_fd);
        closep(&t->userns_fd);
        helper_config_done(&t->service);
        strv_free(t->env);
        for (size_t i = 0; i < t->n_cgroups; i++)
                closep(&t->cgroups[i]);
}

/* The NUL-separated strings of /proc/PID/name as a vector. */
static int read_proc_strv(pid_t pid, const char *name, char ***ret) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_strv_free_ char **l = NULL;
        size_t n;
        int r;

        r = proc_read_whole(pid, name, PROC_FILE_MAX, &buf, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i += strlen(buf + i) + 1)
                if (strv_append(&l, buf + i) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

static int pidfd_open(pid_t pid) {
        int fd = (int) syscall(SYS_pidfd_open, pid, 0);

        return fd < 0 ? -errno : fd;
}

static bool still_runs(int pidfd) {
        return syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0;
}

/* The helper that holds the sandbox's lock, and its settings. */
static int find_helper(const char *name, Target *t) {
        _cleanup_strv_free_ char **argv = NULL;
        char holder[LOCK_HOLDER_MAX];
        int r;

        /* looked up, not taken: a sandbox starting meanwhile would fail */
        r = sandbox_lock_held(name, holder);
        if (r == 0)
                return log_error_errno(-ESRCH, "join: sandbox %s is not running", name);
        if (r < 0)
                return r;
        t->helper = lock_holder_pid(holder);
        if (t->helper <= 0)
                return log_error_errno(-ESRCH, "join: sandbox %s is locked, but its lock names no helper", name);
        t->helper_fd = pidfd_open(t->helper);
        if (t->helper_fd < 0)
                return log_error_errno(t->helper_fd, "join: sandbox %s: helper PID %d: %m", name, (int) t->helper);
        r = read_proc_strv(t->helper, "cmdline", &argv);
        if (r < 0)
                return log_error_errno(r, "join: sandbox %s: read the command line of helper PID %d: %m", name, (int) t->helper);
        optind = 0;
        if (helper_parse_argv((int) strv_length(argv), argv, &t->service) <= 0 || !t->service.name ||
            !streq(t->service.name, name) || t->service.join)
                return log_error_errno(-ESRCH, "join: PID %d, which holds the lock of sandbox %s, is not its helper",
                                       (int) t->helper, name);
        /* here, on the host's /sys, as the helper decided at its start */
        lsm_decide(&t->service);
        if (t->service.selinux_mcs && t->service.selinux_on)
                return selinux_mcs_resolve(&t->service, false);
        return 0;
}

/* Whether the service has been executed: the oldest child of process 1
 * (proc_oldest_child()) runs another program than the helper. That
 * child is the service's process, cloned before any other, whose
 * children (pre-start commands and what they leave running) process 1
 * adopts after it; or, once a forking service's first process has
 * ended, the oldest process adopted. The service's process, until its
 * execve(), is the helper's code with every capability and no filter
 * yet, which a command joined then could trace. 1, 0 (not yet), or
 * -errno. */
static int service_executed(Target *t) {
        struct stat helper, st;
        char path[64];
        pid_t pid;

        snprintf(path, sizeof(path), "/proc/%d/exe", (int) t->init);
        if (stat(path, &helper) < 0)
                return -errno;
        pid = proc_oldest_child(t->init);
        if (pid <= 0)
                return 0;
        snprintf(path, sizeof(path), "/proc/%d/exe", (int) pid);
        if (stat(path, &st) < 0 || (st.st_dev == helper.st_dev && st.st_ino == helper.st_ino))
                return 0;
        t->main_pid = pid;
        return 1;
}

/* PID 1 of the sandbox: the helper's only child. It is ready to be
 * joined once it has dropped to CAP_KILL with no_new_privs, which it
 * does only once the sandbox is finished (before, its mount namespace
 * still has the host's root), and once the service has executed.
 * -EAGAIN, not logged, until then. */
static int find_init(const char *name, Target *t) {
        _cleanup_free_ char *status = NULL;
        const char *cap, *nnp;
        size_t n;
        int r;

        t->init = sandbox_init_find(t->helper);
        if (t->init <= 0)
                return log_error_errno(-ESRCH, "join: sandbox %s is starting or stopping: its helper has no init", name);
        t->init_fd = pidfd_open(t->init);
        if (t->init_fd < 0)
                return log_error_errno(t->init_fd, "join: sandbox %s: init PID %d: %m", name, (int) t->init);
        r = proc_read_whole(t->init, "status", PROC_FILE_MAX, &status, &n);
        if (r < 0)
                return log_error_errno(r, "join: sandbox %s: init PID %d: %m", name, (int) t->init);
        cap = proc_status_field(status, "CapEff");
        nnp = proc_status_field(status, "NoNewPrivs");
        if (proc_status_pid(status, "PPid") != t->helper)
                return log_error_errno(-ESRCH, "join: sandbox %s is stopping", name);
        if (!cap || strtoull(cap, NULL, 16) != 1ULL << CAP_KILL || !nnp || *nnp != '1')
                return -EAGAIN; /* not logged: the caller waits */
        r = service_executed(t);
        if (r < 0)
                return log_error_errno(r, "join: sandbox %s: the processes of init PID %d: %m", name, (int) t->init);
        if (r == 0)
                return -EAGAIN;
        /* both alive after the reads: the reads were of them */
        if (!still_runs(t->helper_fd) || !still_runs(t->init_fd))
                return log_error_errno(-ESRCH, "join: sandbox %s is stopping", name);
        return 0;
}

/* $MAINPID for a command joined: the service's PID as the sandbox sees
 * it, the last of NSpid, read while a pidfd holds the process and it is
 * still init's child. That is the first child of init's that
 * service_executed() found: the service, or for a forking one whose
 * first process has ended, the daemon init adopted. Unknown is not an
 * error: MAINPID is then unset, and $MAINPID expands to nothing, as
 * systemd's. */
static void find_mainpid(Target *t) {
        _cleanup_free_ char *status = NULL;
        _cleanup_close_ int fd = -EBADF;
        unsigned levels;
        pid_t inner;
        size_t n;

        if (t->main_pid <= 0 || (fd = pidfd_open(t->main_pid)) < 0 ||
            proc_read_whole(t->main_pid, "status", PROC_FILE_MAX, &status, &n) < 0)
                return;
        if (proc_status_pid(status, "PPid") != t->init || proc_status_nspid(status, &inner, &levels) < 0 || !still_runs(fd))
                return;
        snprintf(t->mainpid, sizeof(t->mainpid), "%d", (int) inner);
}

/* <user-namespace>: the service's own, which a command joined enters
 * too, read from the service's process while a pidfd holds it and it is
 * still init's child, and checked to be a child of the host's. */
static int open_service_userns(const char *name, Target *t) {
        _cleanup_free_ char *status = NULL;
        _cleanup_close_ int fd = -EBADF, ns = -EBADF;
        size_t n;

        if (!t->service.user_namespace)
                return 0;
        if (t->main_pid <= 0 || (fd = pidfd_open(t->main_pid)) < 0 ||
            proc_read_whole(t->main_pid, "status", PROC_FILE_MAX, &status, &n) < 0 ||
            proc_status_pid(status, "PPid") != t->init)
                return log_error_errno(-ESRCH, "join: sandbox %s: its service's process is gone; its user namespace with it", name);
        ns = userns_open_child(t->main_pid);
        if (ns < 0)
                return ns;
        /* a range of its own: the service's IDs as the host sees them,
         * BASE+ID, from the map the kernel applies ("0 BASE SIZE") */
        if (userns_is_private(&t->service)) {
                _cleanup_free_ char *map = NULL;
                unsigned inside, base, size;

                if (proc_read_whole(t->main_pid, "uid_map", PROC_FILE_MAX, &map, &n) < 0 ||
                    sscanf(map, "%u %u %u", &inside, &base, &size) != 3 || inside != 0 || base == 0)
                        return log_error_errno(-ESRCH, "join: sandbox %s: its service's user namespace has no range "
                                               "of its own", name);
                t->service.userns_base = base;
        }
        if (!still_runs(fd))
                return log_error_errno(-ESRCH, "join: sandbox %s: its service's process is gone; its user namespace with it", name);
        t->userns_fd = TAKE_FD(ns);
        return 0;
}

/* systemd's rules, for MAINPID alone: a word that is "$MAINPID" is
 * replaced by the value (no word at all when it is unknown), and
 * "${MAINPID}" anywhere in a word by the value as it is. */
static int expand_mainpid_words(const Target *t, char ***argv) {
        _cleanup_strv_free_ char **l = NULL;

        STRV_FOREACH(a, *argv) {
                _cleanup_buffer_ Buffer b = {};
                const char *p = *a, *m;
                char *w;

                if (streq(*a, "$MAINPID")) {
                        if (t->mainpid[0] && strv_append(&l, t->mainpid) < 0)
                                return -ENOMEM;
                        continue;
                }
                while ((m = strstr(p, "${MAINPID}"))) {
                        buffer_append_n(&b, p, (size_t) (m - p));
                        buffer_append(&b, t->mainpid);
                        p = m + strlen("${MAINPID}");
                }
                buffer_append(&b, p);
                w = buffer_steal(&b);
                if (!w || strv_consume(&l, w) < 0)
                        return -ENOMEM;
        }
        if (!l || !l[0])
                return -EINVAL;
        strv_free(*argv);
        *argv = TAKE_PTR(l);
        return 0;
}

/* Whether the sandbox's init ends within a moment: its pidfd is
 * readable once it has. The kernel kills what is left in its PID
 * namespace before init's own end, so that end follows a joined
 * command's, not precedes it. */
#define SANDBOX_END_WAIT_MS 1000

static bool sandbox_ended(const Target *t) {
        struct pollfd p = { .fd = t->init_fd, .events = POLLIN };
        int r;

        if (t->init_fd < 0)
                return false;
        while ((r = poll(&p, 1, SANDBOX_END_WAIT_MS)) < 0 && errno == EINTR)
                ;
        return r > 0 && (p.revents & (POLLIN | POLLHUP));
}

/* cgroup.procs of every cgroup the sandbox's init is in (join-cgroups.h) */
static int open_cgroups(const char *name, Target *t) {
        _cleanup_free_ char *text = NULL;
        size_t n;
        int r;

        r = proc_read_whole(t->init, "cgroup", PROC_FILE_MAX, &text, &n);
        if (r < 0)
                return log_error_errno(r, "join: sandbox %s: the cgroups of init PID %d: %m", name, (int) t->init);
        return join_cgroups_open(name, t->init, text, t->cgroups, CGROUPS_MAX, &t->n_cgroups);
}

/* The service's environment: the helper's, without what systemd gave
 * the service alone (its sockets, its notification and watchdog), and
 * with the caller's TERM, for a command on a terminal. */
static int service_environment(const char *name, Target *t) {
        static const char *const own[] = { "NOTIFY_SOCKET=", "LISTEN_", "WATCHDOG_", "INVOCATION_ID=", "JOURNAL_STREAM=",
                                           "MAINPID=", "MANAGERPID=", "SYSTEMD_EXEC_PID=", "TRIGGER_", "MONITOR_",
                                           "SANDBOX_DEBUG=", "TERM=" };
        _cleanup_strv_free_ char **all = NULL;
        const char *term = getenv("TERM");
        int r;

        r = read_proc_strv(t->helper, "environ", &all);
        if (r < 0)
                return log_error_errno(r, "join: sandbox %s: the environment of helper PID %d: %m", name, (int) t->helper);
        STRV_FOREACH(e, all) {
                bool skip = false;

                for (size_t i = 0; i < ELEMENTSOF(own) && !skip; i++)
                        skip = strncmp(*e, own[i], strlen(own[i])) == 0;
                if (!skip && strv_append(&t->env, *e) < 0)
                        return log_oom();
        }
        if (term) {
                char *e;

                if (asprintf(&e, "TERM=%s", term) < 0 || strv_consume(&t->env, e) < 0)
                        return log_oom();
        }
        /* as systemd sets it for a unit's commands, but as the sandbox
         * sees it */
        if (t->mainpid[0]) {
                char *e;

                if (asprintf(&e, "MAINPID=%s", t->mainpid) < 0 || strv_consume(&t->env, e) < 0)
                        return log_oom();
        }
        return t->env ? 0 : (t->env = calloc(1, sizeof(char *))) ? 0 : log_oom();
}

/* A command without "/" from the environment's PATH, in the sandbox. */
static int command_path(char **env, const char *cmd, char **ret) {
        const char *search = SERVICE_PATH;

        STRV_FOREACH(e, env)
                if (strncmp(*e, "PATH=", 5) == 0)
                        search = *e + 5;
        return path_search(search, cmd, ret);
}

/* Every fd from first on; where close_range() is missing (Linux before
 * 5.9), one by one up to the limit on open files: /proc/self/fd, which
 * main.c lists there, is the sandbox's here and does not show this
 * process. */
static int close_from(unsigned first) {
        struct rlimit rl;

        if (close_range(first, ~0U, 0) == 0)
                return 0;
        if (errno != ENOSYS && errno != EINVAL)
                return -errno;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return -errno;
        for (rlim_t fd = first; fd < rl.rlim_max && fd < (rlim_t) INT_MAX; fd++)
                (void) close((int) fd);
        return 0;
}

/* The command's process, forked by a parent that is already in every
 * namespace of the sandbox and under all of its confinement: it is born
 * confined, and nothing is left to do but execve(). Between its fork and
 * its execve() it holds the joining process's memory, which has nothing
 * the service does not know (the sandbox's own settings and
 * environment), and the stdio the admin passed; every other fd is
 * closed. */
__attribute__((noreturn)) static void exec_command(const char *command, char **argv, char **env, const sigset_t *set,
                                                          bool filter_asked) {
        int r;

        /* ends with the joining process (and so with the caller); a
         * session of its own, as the service's, led by a process the
         * sandbox can see, with the sandbox's pty, if any */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || setsid() < 0) {
                log_error_errno(-errno, "join: PR_SET_PDEATHSIG, new session: %m");
                _exit(EXIT_SETUP);
        }
        if (console_take() < 0)
                _exit(EXIT_SETUP);
        sigprocmask(SIG_UNBLOCK, set, NULL);
        log_debug("execute %s", command);
        /* the profile's filter, as the service's: the last step */
        r = profile_filter_load(filter_asked);
        if (r < 0) {
                log_error_errno(r, "join: load the profile's system call filter: %m");
                _exit(EXIT_SETUP);
        }
        execve(command, argv, env);
        r = errno;
        log_error_errno(-r, "execute %s: %m", command);
        _exit(r == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

/* The joining process: in the host's PID namespace, so that nothing in
 * the sandbox can see it or name it in /proc, ever. It writes itself
 * into the sandbox's cgroups, enters its other namespaces (its children
 * are born in its PID namespace), takes the sandbox's pty, and applies
 * the steps of the service's own process (init.c): the exec label, user,
 * groups, capabilities, no_new_privs, Landlock and the seccomp filter.
 * Only then does it fork the command's process, and it stays to wait
 * for it, under the same confinement. Returns the command's status. */
static int join_confined(Target *t, Console *con, char **argv, const sigset_t *set) {
        _cleanup_(identity_done) Identity id = {};
        _cleanup_free_ char *command = NULL;
        StepTimer st = { .process = "join" };
        pid_t pid;
        int r;

        /* through the host's /proc, which names this process: the
         * sandbox's does not. The label waits in the credentials for the
         * command's execve(), and fork() copies it. */
        /* names to numbers in the host's /etc, before entering the
         * sandbox's, which its service writes */
        step_begin(&st, "names");
        if (identity_resolve_names(&t->service) < 0)
                return EXIT_SETUP;
        if (t->service.selinux_label || t->service.apparmor_profile)
                step_begin(&st, t->service.selinux_label ? "selinux" : "apparmor");
        if (lsm_arm_exec(&t->service) < 0)
                return EXIT_SETUP;
        step_begin(&st, "cgroups");
        for (size_t i = 0; i < t->n_cgroups; i++)
                if (write(t->cgroups[i], "0", 1) != 1)
                        return log_error_errno(-errno, "join: enter the sandbox's cgroups: %m"), EXIT_SETUP;
        step_begin(&st, "namespaces");
        if (setns(t->init_fd, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP) < 0)
                return log_error_errno(-errno, "join: enter the sandbox's namespaces: %m"), EXIT_SETUP;
        if (setns(t->init_fd, CLONE_NEWPID) < 0)
                return log_error_errno(-errno, "join: enter the sandbox's PID namespace: %m"), EXIT_SETUP;
        /* out of the caller's session: its controlling terminal is not
         * the command's (/dev/tty) */
        if (setsid() < 0 || chdir("/") < 0)
                return log_error_errno(-errno, "join: new session: %m"), EXIT_SETUP;
        step_begin(&st, "terminal");
        if (console_make(con) < 0)
                return EXIT_SETUP;
        /* nothing of the host's beyond the stdio the admin passed:
         * pidfds, cgroup.procs, the socket; but the user namespace, at 3,
         * entered last */
        if (t->userns_fd >= 0 && t->userns_fd != 3 && dup3(t->userns_fd, 3, O_CLOEXEC) < 0)
                return log_error_errno(-errno, "join: the user namespace: %m"), EXIT_SETUP;
        if (close_from(t->userns_fd >= 0 ? 4 : 3) < 0)
                return log_error_errno(-errno, "join: close the file descriptors: %m"), EXIT_SETUP;
        t->userns_fd = t->userns_fd >= 0 ? 3 : -EBADF;
        t->helper_fd = t->init_fd = -EBADF;
        t->n_cgroups = 0;
        step_begin(&st, "identity");
        t->service.joined = true;
        r = identity_resolve(&t->service, &id);
        if (r >= 0)
                r = console_own(t->service.userns_base + id.uid, t->service.userns_base + id.gid);
        /* after every other namespace, as the service's process is made
         * there after the sandbox is built: the same view and the same
         * capabilities, the namespace's */
        if (r >= 0 && t->userns_fd >= 0 && setns(t->userns_fd, CLONE_NEWUSER) < 0)
                r = log_error_errno(-errno, "join: enter the sandbox's user namespace: %m");
        closep(&t->userns_fd);
        if (r >= 0)
                r = identity_apply(&t->service, &id, &st);
        if (r < 0)
                return EXIT_SETUP;
        /* a change of user made it dumpable again where
         * fs.suid_dumpable says so: the command's process, until its
         * execve(), is not, for the service as for anyone */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return log_error_errno(-errno, "join: not dumpable: %m"), EXIT_SETUP;
        step_begin(&st, NULL);
        r = command_path(t->env, argv[0], &command);
        if (r < 0) {
                log_error_errno(r, "execute %s: %m", argv[0]);
                return r == -ENOENT ? EXIT_NOT_FOUND : EXIT_SETUP;
        }
        pid = fork();
        if (pid < 0)
                return log_error_errno(-errno, "join: fork: %m"), EXIT_SETUP;
        if (pid == 0)
                exec_command(command, argv, t->env, set, t->service.system_calls != NULL);
        r = wait_forwarding(pid, set);
        if (r < 0)
                return log_error_errno(r, "join: wait for the command: %m"), EXIT_SETUP;
        return r;
}

/* The joining process's status, with the terminal relayed meanwhile
 * when the caller has one. */
static int wait_joined(pid_t pid, Console *con, const sigset_t *set) {
        int master, r;

        if (con->terminals) {
                master = console_receive(con);
                /* a byte stream from the sandbox: relayed with no more
                 * privilege than the sandbox's own first process keeps */
                if (master >= 0 && drop_to_kill_only() < 0) {
                        close(master);
                        (void) kill(pid, SIGKILL);
                        (void) wait_forwarding(pid, set);
                        return EXIT_SETUP;
                }
                if (master >= 0)
                        return pty_relay(master, pid, set);
                /* else it ended before it sent one (-EPIPE), and said why */
                if (master != -EPIPE) {
                        (void) kill(pid, SIGKILL);
                        (void) wait_forwarding(pid, set);
                        return EXIT_SETUP;
                }
        }
        r = wait_forwarding(pid, set);
        if (r < 0)
                return log_error_errno(r, "join: wait for PID %d: %m", (int) pid), EXIT_SETUP;
        return r;
}

int join_sandbox(const char *name, char ***argv, bool unit_command) {
        _cleanup_(target_done) Target t = { .helper_fd = -EBADF, .init_fd = -EBADF, .userns_fd = -EBADF };
        _cleanup_(console_done) Console con = CONSOLE_NONE;
        StepTimer st = { .process = "join" };
        pid_t self = getpid(), pid;
        sigset_t set;
        int r;

        /* the service cannot read this process's memory or trace it,
         * nor its children's */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
                return log_error_errno(-errno, "join: not dumpable: %m"), EXIT_SETUP;
        step_begin(&st, "find");
        if (find_helper(name, &t) < 0)
                return EXIT_SETUP;
        /* a sandbox that is being built is waited for, a little */
        for (unsigned i = 0; (r = find_init(name, &t)) == -EAGAIN && i < JOIN_WAIT_MS / 20; i++) {
                closep(&t.init_fd);
                (void) usleep(20 * 1000);
        }
        if (r == -EAGAIN)
                log_error("join: sandbox %s is still being built after %u ms; try again", name, JOIN_WAIT_MS);
        if (r < 0)
                return EXIT_SETUP;
        find_mainpid(&t);
        if (unit_command && (r = expand_mainpid_words(&t, argv)) < 0)
                return log_error_errno(r, "join: sandbox %s: $MAINPID in the command: %s", name,
                                       r == -EINVAL ? "no command is left" : "out of memory"), EXIT_SETUP;
        if (open_service_userns(name, &t) < 0 || open_cgroups(name, &t) < 0 || service_environment(name, &t) < 0 ||
            console_prepare(&con) < 0)
                return EXIT_SETUP;

        reap_signal_set(&set);
        if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
                return log_error_errno(-errno, "join: block signals: %m"), EXIT_SETUP;
        /* this process stays in the host's namespaces, unconfined, and
         * waits: what else it starts (as a sanitizer's helper thread at
         * exit) stays here too */
        step_begin(&st, NULL);
        pid = fork();
        if (pid < 0)
                return log_error_errno(-errno, "join: fork: %m"), EXIT_SETUP;
        if (pid == 0) {
                /* ends with this process: checked after, it may have ended before */
                if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != self)
                        _exit(EXIT_SETUP);
                closep(&con.host);
                _exit(join_confined(&t, &con, *argv, &set));
        }
        closep(&con.sandbox);
        r = wait_joined(pid, &con, &set);
        /* one of the unit's commands (a stop command that ended the
         * service, most often) killed as the sandbox's PID namespace
         * ended under it: it did what it was for; the unit's result is
         * the service's own */
        if (unit_command && r == 128 + SIGKILL && sandbox_ended(&t)) {
                log_info("join: sandbox %s ended while the command ran", name);
                return EXIT_SUCCESS;
        }
        return r;
}
