/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-helper: builds the sandbox its command line describes and
 * executes the service in it (sandbox-helper(8)). The whole command line
 * is checked first; then the steps of helper_steps below: what the kernel
 * cannot give is refused before anything changes; then the namespaces,
 * and PID 1 of the new PID namespace builds the rest (init.c, rootfs.c,
 * identity.c). --dry-run prints the same tables (step.h).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bridge.h"
#include "config.h"
#include "console.h"
#include "helper-config.h"
#include "identity.h"
#include "idmap.h"
#include "init.h"
#include "join.h"
#include "run-lock.h"
#include "log.h"
#include "lsm.h"
#include "mount-util.h"
#include "names.h"
#include "notify-relay.h"
#include "overlay.h"
#include "plan.h"
#include "pty-relay.h"
#include "quantities.h"
#include "rootfs.h"
#include "rootless.h"
#include "shared-dirs.h"
#include "selinux-mcs.h"
#include "search-path.h"
#include "state.h"
#include "state-dir.h"
#include "step.h"
#include "strv.h"
#include "userns.h"
#include "userns-range.h"
#include "userns-state.h"

/* name as a message shows it: the first 64 bytes, each one that a sandbox
 * name may not hold as \xHH */
static void name_shown(const char *name, char buf[static 64 * 4 + 4]) {
        size_t n = 0, i;

        for (i = 0; name[i] && i < 64; i++)
                if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", name[i]))
                        buf[n++] = name[i];
                else
                        n += (size_t) sprintf(buf + n, "\\x%02x", (unsigned char) name[i]);
        strcpy(buf + n, name[i] ? "..." : "");
}

/* The template's fallback for an instance without a drop-in: a NAME.xml
 * that is there was skipped as invalid, or came after the last reload. */
static int report_missing_profile(const char *name) {
        _cleanup_strv_free_ char **dirs = NULL, **skipped = NULL;
        _cleanup_free_ char *searched = NULL, *found = NULL;

        /* the unit's instance, %i: no path, nothing for a terminal */
        if (!sandbox_name_is_valid(name)) {
                char shown[64 * 4 + 4];

                name_shown(name, shown);
                log_error("sandbox@%s.service: \"%s\" is not a valid sandbox name (" SANDBOX_NAME_RULE "), so it has no "
                          "profile; a profile is NAME%s with a valid NAME", shown, shown, PROFILE_SUFFIX);
                return EXIT_FAILURE;
        }
        if (profile_search_path(&dirs) >= 0) {
                searched = strv_join(dirs, ", ");
                (void) profile_find_noting(dirs, name, &found, &skipped);
        }
        STRV_FOREACH(m, skipped)
                log_error("%s; its profiles are not used", *m);
        if (found)
                log_error("sandbox@%s.service has no drop-in from its profile %s: the generator skipped it as invalid "
                          "(\"sandboxctl validate %s\" says why), or it was added after the last \"systemctl daemon-reload\". "
                          "Fix it and run \"systemctl daemon-reload\".", name, found, name);
        else
                log_error("sandbox@%s.service has no profile: there is no %s%s in %s. "
                          "Create /etc/sandbox/profiles/%s%s and run \"systemctl daemon-reload\"; "
                          "\"sandboxctl list\" shows the profiles found and why any was skipped.",
                          name, name, PROFILE_SUFFIX, searched ? searched : PROFILE_SEARCH_PATH_DEFAULT, name,
                          PROFILE_SUFFIX);
        return EXIT_FAILURE;
}

/* Sockets systemd passed to this process (LISTEN_PID names it); others'
 * leftovers in the environment are not the service's, and are unset. */
static unsigned parse_listen_fds(void) {
        const char *e = getenv("LISTEN_FDS"), *p = getenv("LISTEN_PID");
        uint64_t n, pid;

        if (e && parse_uint_range(e, 1, 1024, &n) >= 0 && p && parse_uint_range(p, 1, INT_MAX, &pid) >= 0 &&
            (pid_t) pid == getpid())
                return (unsigned) n;
        unsetenv("LISTEN_FDS");
        unsetenv("LISTEN_PID");
        unsetenv("LISTEN_FDNAMES");
        return 0;
}

/* The watchdog systemd set up is the service's only when WATCHDOG_PID
 * names this process, as for LISTEN_PID; init.c gives the service its
 * own PID there. */
static void parse_watchdog(void) {
        const char *u = getenv("WATCHDOG_USEC"), *p = getenv("WATCHDOG_PID");
        uint64_t usec, pid;

        if (u && parse_uint_range(u, 1, UINT64_MAX - 1, &usec) >= 0 && p &&
            parse_uint_range(p, 1, INT_MAX, &pid) >= 0 && (pid_t) pid == getpid())
                return;
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
}

/* Marks every file descriptor from first on close-on-exec: with
 * close_range() (Linux 5.11), else one by one as /proc/self/fd lists
 * them. A descriptor the service could inherit is a way out of the
 * sandbox (CVE-2024-21626), so failing here stops the start. */
static int inherited_fds_cloexec(unsigned first) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;

        if (close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        if (errno != ENOSYS && errno != EINVAL)
                return -errno;
        d = opendir("/proc/self/fd");
        if (!d)
                return -errno;
        while ((errno = 0, de = readdir(d))) {
                uint64_t fd;

                if (parse_uint_range(de->d_name, first, INT_MAX, &fd) < 0 || (int) fd == dirfd(d))
                        continue;
                if (fcntl((int) fd, F_SETFD, FD_CLOEXEC) < 0 && errno != EBADF)
                        return -errno;
        }
        return errno ? -errno : 0;
}

/* What would make the sandbox weaker than asked is refused here, before
 * any namespace or mount exists. */
static int preflight(const HelperConfig *c) {
        if (c->unprivileged && rootless_enter(c) < 0)
                return -EPERM;
        if (geteuid() != 0) {
                log_error("building a sandbox needs root (mounts and namespaces); run as root or under systemd");
                return -EPERM;
        }
        if ((c->selinux_label || c->selinux_mcs) && !c->selinux_on) {
                const char *what = c->selinux_label ? c->selinux_label : "of MCS categories of its own";

                if (!c->selinux_optional) {
                        log_error("selinux: a label %s was asked for, but SELinux is not enabled on this system%s; "
                                  "refusing to start unconfined (mark it optional in the profile to allow that)",
                                  what, HAVE_SELINUX ? "" : " (or this build lacks SELinux support)");
                        return -EOPNOTSUPP;
                }
                log_debug("selinux: not enabled; the optional label %s is not applied", what);
        }
        /* the network asked for, or no start */
        if (network_is_bridge(c) && access(SANDBOX_NETWORK_PATH, X_OK) < 0) {
                log_error("network: a bridged network is made by %s, which is not there (%m): this build of "
                          "sandbox lacks it (it needs libmnl and libnftables), or it is not installed",
                          SANDBOX_NETWORK_PATH);
                return -EOPNOTSUPP;
        }
        if (c->apparmor_profile && !c->apparmor_on) {
                if (!c->apparmor_optional) {
                        log_error("apparmor: the profile %s was asked for, but AppArmor is not enabled on this system%s; "
                                  "refusing to start unconfined (mark it optional in the profile to allow that)",
                                  c->apparmor_profile, HAVE_APPARMOR ? "" : " (or this build lacks AppArmor support)");
                        return -EOPNOTSUPP;
                }
                log_debug("apparmor: not enabled; the optional profile %s is not applied", c->apparmor_profile);
        }
        return 0;
}

/* PID 1 of the sandbox can only say 128+N when signal N ended the
 * service. The helper that systemd sees ends by that signal itself when
 * it is one that ends a process without a core dump, so that "systemctl
 * stop" (SIGTERM) leaves the unit inactive rather than failed, as it
 * would for the service outside a sandbox; a shell sees 128+N either
 * way. Otherwise it returns status. */
static int end_like(int status) {
        static const int clean[] = { SIGHUP, SIGINT, SIGTERM, SIGPIPE, SIGKILL, SIGUSR1, SIGUSR2, SIGALRM };
        sigset_t one;

        for (size_t i = 0; i < ELEMENTSOF(clean); i++) {
                if (status != 128 + clean[i])
                        continue;
                fflush(NULL);
                signal(clean[i], SIG_DFL);
                sigemptyset(&one);
                sigaddset(&one, clean[i]);
                sigprocmask(SIG_UNBLOCK, &one, NULL);
                kill(getpid(), clean[i]);
                break;
        }
        return status;
}

/* The first process, with the sandbox's pty: the admin's terminal
 * relayed to it, with no more privilege than wait_as_init() keeps. */
static int relay_as_init(int master, pid_t init, const sigset_t *set) {
        if (drop_to_kill_only() < 0) {
                close(master);
                (void) kill(init, SIGKILL);
                return EXIT_SETUP;
        }
        return pty_relay(master, init, set);
}

/* What the first process does once the service runs: waits, relays
 * the service's notifications, and the terminal when the sandbox has a
 * pty. */
static int wait_service(Console *con, pid_t init, const sigset_t *set, NotifyRelay *relay) {
        int master;

        /* the relay reads what the sandbox sends: with no more privilege
         * than the waiting keeps */
        if (drop_to_kill_only() < 0 || notify_relay_start(relay) < 0) {
                (void) kill(init, SIGKILL);
                (void) wait_as_init(init, set);
                return EXIT_SETUP;
        }

        if (!con->terminals)
                return wait_as_init(init, set);
        master = console_receive(con);
        if (master >= 0)
                return relay_as_init(master, init, set);
        /* -EPIPE: process 1 ended before it sent one, and said why */
        if (master == -EPIPE)
                return wait_as_init(init, set);
        (void) kill(init, SIGKILL);
        (void) wait_as_init(init, set);
        return EXIT_SETUP;
}

/* Once the sandbox has ended there is nothing left to do: the helper
 * exits at once, without freeing its memory or running exit handlers,
 * which would only fault back in the code wait_as_init() gave back, page
 * by page, while systemd waits for the helper to end. Nothing is left
 * buffered: messages go to standard error, which has no buffer. With
 * AddressSanitizer it returns, for the leak check at exit. */
static int end_now(int status) {
#if !defined(__SANITIZE_ADDRESS__)
        _exit(status);
#endif
        return status;
}

/* The helper on the host, from its checks to the service's start: the
 * walk's state. c is changed only by the label that
 * <selinux mcs="dynamic"/> makes. */
typedef struct Outer {
        HelperConfig *c;
        const char *state_root;
        NotifyRelay relay;
        Console con;
        int lock, root;
        char *context; /* the mounts' SELinux context: mount_set_context() keeps it */
        int flags;
        char rundir[4200];
        int started[2], overlays[2];
        int keeper_done, note;
        sigset_t set;
        pid_t init, keeper, network;
        int userns, netns; /* <user-namespace mode="private"/>'s: userns.h */
} Outer;

static int step_preflight(void *state, StepTimer *t) {
        Outer *o = state;
        int r;

        (void) t;
        r = preflight(o->c);
        if (r < 0)
                return r;
        /* names to numbers while the host's /etc is the only one there is */
        r = identity_resolve_names(o->c);
        if (r < 0)
                return r;
        /* NOTIFY_SOCKET is checked before anything is made: it decides
         * where the relay sends, and nothing else */
        return notify_relay_prepare(&o->relay, o->c->fd_store);
}

static int step_lock(void *state, StepTimer *t) {
        Outer *o = state;
        HelperConfig *c = o->c;
        const char *root_directory = c->root_directory ? c->root_directory : "/";
        int r;

        (void) t;
        o->lock = instance_lock(c->name, o->rundir, sizeof(o->rundir));
        if (o->lock < 0)
                return o->lock;
        o->note = lock_note_open(o->rundir);
        if (o->note < 0)
                return o->note;
        /* the sandbox's own categories, labelling its state: under its lock */
        if (c->selinux_mcs && c->selinux_on) {
                r = selinux_mcs_resolve(c, true);
                if (r < 0)
                        return r;
        }
        /* for both processes that mount: this one makes the overlays,
         * their lower directories below the tree the new root binds */
        o->context = selinux_mount_context(c);
        mount_set_context(o->context);
        o->root = open(root_directory, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (o->root < 0)
                return log_error_errno(-errno, "root %s: %m", root_directory);
        if (c->network && !streq(c->network, "host"))
                o->flags |= CLONE_NEWNET;
        /* the admin's terminal stays here: the sandbox gets a pty */
        r = console_prepare(&o->con);
        if (r < 0)
                return r;
        /* blocked before the fork, so none is lost in between */
        reap_signal_set(&o->set);
        if (sigprocmask(SIG_BLOCK, &o->set, NULL) < 0)
                return log_error_errno(-errno, "block signals: %m");
        /* closed by PID 1 once it is confined, as the service is about
         * to execute: only then does this process drop its capabilities
         * and wait */
        if (pipe2(o->started, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, o->overlays) < 0)
                return log_error_errno(-errno, "namespaces: %m");
        return 0;
}

/* on the host, as late as can be: nothing else fails after it but what
 * removes it again */
static int step_shared_dirs(void *state, StepTimer *t) {
        Outer *o = state;

        (void) t;
        return shared_dirs_make(o->c, o->state_root);
}

/* <user-namespace mode="private"/>: the sandbox's range, from its state
 * (shifted there first when the state was made without it, or back when
 * the mode was turned off: userns-state.c), and its user namespace, with
 * its network namespace in it unless the network is the host's */
static int step_userns(void *state, StepTimer *t) {
        Outer *o = state;
        int r;

        (void) t;
        r = userns_state_prepare(o->c, o->state_root);
        if (r <= 0)
                return r;
        o->c->userns_base = (unsigned) r;
        state_dir_set_owner(o->c->userns_base);
        r = userns_make_private(o->c->userns_base, USERNS_RANGE_SIZE, o->flags & CLONE_NEWNET, &o->userns,
                                (o->flags & CLONE_NEWNET) ? &o->netns : NULL);
        if (r < 0)
                return r;
        idmap_set(o->userns);
        return idmap_check_root(o->c->root_directory ? o->c->root_directory : "/");
}

/* or a state with a range, to be shifted back out of it */
static bool is_private_userns(const HelperConfig *c, const void *state) {
        return userns_is_private(c) || (state && userns_state_has_record(c, ((const Outer *) state)->state_root));
}

/* Process 1, in the new namespaces: it never returns */
static _Noreturn void start_init(Outer *o) {
        close(o->started[0]);
        close(o->overlays[0]);
        closep(&o->con.host);
        /* a way back to the host's tree: not for the sandbox */
        close(TAKE_FD(o->root));
        /* The instance lock is this process's alone. Process 1 has a copy
         * only because clone() gave it one (O_CLOEXEC acts on execve()
         * alone), and that copy would be a host file, open read-write,
         * that a service allowed to trace process 1 opens anew through
         * /proc/1/fd/N: whatever else holds it, process 1 must not. Nor
         * does it need to: the lock is to outlive the sandbox's processes
         * and mounts, and this process waits for process 1 to be reaped,
         * which the kernel does only once every process of its PID
         * namespace has ended. Should this process be killed, process 1
         * is too (PR_SET_PDEATHSIG), and a copy there would cover no
         * more: an ending process closes its files before, as init, it
         * ends the rest of its namespace. */
        close(TAKE_FD(o->lock));
        /* the note beside it, the same */
        closep(&o->note);
        /* systemd's socket is the helper's alone to send to */
        closep(&o->relay.out);
        /* the sandbox ends with the helper that started it (its parent is
         * outside the namespace: getppid() says 0) */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
                _exit(EXIT_SETUP);
        /* out of the caller's session and process group: its controlling
         * terminal, if any, is not the sandbox's to open (/dev/tty), and
         * kill(0, ...) from here reaches nothing of the host's */
        if (setsid() < 0)
                _exit(EXIT_SETUP);
        _exit(sandbox_init(o->c, o->rundir, o->state_root, &o->set, o->started[1], o->overlays[1], o->relay.sandbox,
                           &o->con));
}

/* An image's file system is the image's, not the sandbox's: whoever
 * mounts the image next, the run lock does not keep out, and would meet
 * it still mounted, its last writes perhaps not on the image yet. For a
 * sandbox with one, the helper waits for the keeper to have taken the
 * mounts down, as it did before there was a keeper. */
static bool mounts_images(const HelperConfig *c) {
        for (size_t i = 0; i < c->n_mounts; i++)
                if (c->mounts[i].kind == HELPER_MOUNT_IMAGE)
                        return true;
        return false;
}

/* Process 1's mount namespace, for the lock's keeper to hold: opened
 * while process 1 is this process's unreaped child, so that its PID
 * names no other process */
static int open_mount_ns(pid_t init) {
        char path[64];
        int fd;

        /* a link the kernel resolves to the namespace itself, which is
         * checked for what it is */
        snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int) init);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(-errno, "namespaces: %s: %m", path);
        if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNS) {
                close(fd);
                return log_error_errno(-EBADF, "namespaces: %s is not a mount namespace", path);
        }
        return fd;
}

/* Process 1, in the new namespaces. A network namespace made already
 * (in the sandbox's user namespace) is entered for the clone() alone:
 * process 1 is made in it, and this process goes back to the host's. */
static pid_t clone_init(Outer *o) {
        _cleanup_close_ int host = -EBADF;
        pid_t pid;
        int r;

        if (o->netns < 0)
                return (pid_t) syscall(SYS_clone, (unsigned long) o->flags | SIGCHLD, NULL, NULL, NULL, 0);
        host = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (host < 0 || setns(o->netns, CLONE_NEWNET) < 0)
                return -1;
        pid = (pid_t) syscall(SYS_clone, (unsigned long) (o->flags & ~CLONE_NEWNET) | SIGCHLD, NULL, NULL, NULL, 0);
        if (pid == 0)
                return 0;
        r = errno;
        /* without the way back, this process would go on in the sandbox's */
        if (setns(host, CLONE_NEWNET) < 0)
                abort();
        errno = r;
        return pid;
}

/* only PID 1 enters the new namespaces: this process, which systemd sees
 * as the service's main process, stays in the host's (pivot_root would
 * move it into the sandbox's root too) */
static int step_namespaces(void *state, StepTimer *t) {
        Outer *o = state;
        int mntns;

        o->init = clone_init(o);
        if (o->init < 0) {
                log_error_errno(-errno, "namespaces: clone: %m");
                shared_dirs_remove(o->c);
                return -ECHILD;
        }
        if (o->init == 0)
                start_init(o);
        step_begin(t, NULL);
        close(o->started[1]);
        close(o->overlays[1]);
        closep(&o->con.sandbox);
        /* the run lock is held, and the mount namespace kept, by a
         * process of its own until process 1 has ended; it then removes
         * the shared runtime directories, takes the mounts down and frees
         * the lock. This process keeps no copy of the namespace: its own
         * end must not be the one that unmounts. */
        mntns = open_mount_ns(o->init);
        o->keeper = mntns < 0 ? mntns
                              : shared_dirs_keeper(o->c, o->init, o->lock, mntns, o->note, mounts_images(o->c),
                                                   &o->keeper_done);
        if (mntns >= 0)
                close(mntns);
        if (o->keeper > 0)
                lock_note(o->note, getpid(), o->keeper, false);
        /* who may notify: the processes of process 1's PID namespace */
        if (o->keeper < 0 || notify_relay_attach(&o->relay, o->init) < 0) {
                (void) kill(o->init, SIGKILL);
                if (o->keeper < 0)
                        shared_dirs_remove(o->c);
                (void) wait_as_init(o->init, &o->set);
                shared_dirs_keeper_wait(o->keeper_done);
                return -ECHILD;
        }
        return 0;
}

/* the sandbox's network, in its namespace, before process 1 gets its
 * overlays and so before anything of the sandbox runs */
static bool is_bridged(const HelperConfig *c, const void *state) {
        (void) state;
        return network_is_bridge(c);
}

/* process 1 ended, and the keeper's work waited for: a start that fails
 * once they are there */
static int init_abort(Outer *o) {
        (void) kill(o->init, SIGKILL);
        (void) wait_as_init(o->init, &o->set);
        shared_dirs_keeper_wait(TAKE_FD(o->keeper_done));
        return -ECHILD;
}

static int step_bridge(void *state, StepTimer *t) {
        Outer *o = state;

        (void) t;
        o->network = bridge_setup_start(o->c, o->init, o->keeper, o->state_root, o->rundir);
        return o->network > 0 ? 0 : init_abort(o);
}

/* Once the overlays are sent: process 1 is told the network is made, by
 * one byte after them, which it waits for before anything of the sandbox
 * runs; or finds the socket closed, and stops. */
static int step_bridge_wait(void *state, StepTimer *t) {
        Outer *o = state;
        int r;

        (void) t;
        r = bridge_setup_wait(o->network);
        if (r >= 0 && o->overlays[0] >= 0 && send(o->overlays[0], "n", 1, MSG_NOSIGNAL) != 1)
                r = log_error_errno(-errno, "network: tell process 1: %m");
        closep(&o->overlays[0]);
        return r >= 0 ? 0 : init_abort(o);
}

/* while process 1 builds the root; when this fails, process 1 finds the
 * socket closed and stops. It names its steps, etc and var. */
static int step_overlays(void *state, StepTimer *t) {
        Outer *o = state;

        /* a bridged sandbox's socket stays open for the network's word */
        if (overlays_send(o->c, o->root, o->state_root, o->overlays[0], t) < 0 || !network_is_bridge(o->c))
                closep(&o->overlays[0]);
        close(TAKE_FD(o->root));
        return 0;
}

/* The helper on the host, in order; process 1's steps (init.c) start
 * with "namespaces", and run while this process makes the overlays */
static const Step helper_steps[] = {
        { "preflight", NULL, step_preflight, plan_preflight },
        { "lock", NULL, step_lock, plan_lock },
        { "userns", is_private_userns, step_userns, plan_userns },
        { NULL, NULL, step_shared_dirs, NULL },
        { "namespaces", NULL, step_namespaces, plan_namespaces },
        { "bridge", is_bridged, step_bridge, plan_bridge },
        { NULL, NULL, step_overlays, plan_overlays },
        { NULL, is_bridged, step_bridge_wait, NULL },
};

void helper_print_plan(const HelperConfig *c) {
        Plan p = {};

        printf("sandbox %s%s%s\n", c->name, c->profile ? " from " : "", c->profile ? c->profile : "");
        printf("the helper, on the host:\n");
        steps_plan(STEPS(helper_steps), c, &p);
        printf("process 1, in the new namespaces:\n");
        init_print_plan(c, &p);
        printf("the service's process:\n");
        service_print_plan(c, &p);
}

static void outer_done(Outer *o) {
        console_done(&o->con);
        notify_relay_done(&o->relay);
        free(o->context);
        closep(&o->root);
        closep(&o->lock);
        closep(&o->userns);
        closep(&o->netns);
        closep(&o->note);
}

static int run(HelperConfig *c) {
        _cleanup_(outer_done) Outer o = {
                .c = c, .state_root = c->state_root ? c->state_root : STATE_ROOT_DEFAULT,
                .relay = NOTIFY_RELAY_NONE, .con = CONSOLE_NONE, .lock = -EBADF, .root = -EBADF,
                .keeper_done = -EBADF, .note = -EBADF, .userns = -EBADF, .netns = -EBADF,
                .flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWCGROUP,
        };
        StepTimer t = { .process = "helper" };
        int status;

        if (steps_run(STEPS(helper_steps), c, &o, &t) < 0)
                return EXIT_SETUP;
        /* the signals stay blocked and pending meanwhile: the waiting
         * process forwards them */
        while (read(o.started[0], &(char) { 0 }, 1) < 0 && errno == EINTR)
                ;
        close(o.started[0]);
        status = wait_service(&o.con, o.init, &o.set, &o.relay);
        notify_relay_flush(&o.relay);
        /* Process 1 has ended, its service with it; the sandbox's mounts
         * are still being taken down by the keeper, which frees the lock
         * after them. A start meanwhile waits for it, as the note beside
         * the lock now says. The shared runtime directories are waited
         * for: they are the host's, and gone once the helper has ended;
         * so are images, see mounts_images(). */
        lock_note(o.note, getpid(), o.keeper, true);
        if (c->shared_runtime_dirs || mounts_images(c))
                shared_dirs_keeper_wait(o.keeper_done);
        else
                closep(&o.keeper_done);
        return end_now(end_like(status));
}

int main(int argc, char *argv[]) {
        HelperConfig c = {};
        static char program[128];
        unsigned keep_fds;
        int r;

        log_set_program("sandbox-helper");
        r = helper_parse_argv(argc, argv, &c);
        if (c.debug || getenv("SANDBOX_DEBUG"))
                log_set_debug(true);
        if (r <= 0) {
                helper_config_done(&c);
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        }
        if (c.missing_profile) {
                r = report_missing_profile(c.missing_profile);
                helper_config_done(&c);
                return r;
        }
        if (step_fault_setup() < 0) {
                helper_config_done(&c);
                return EXIT_SETUP;
        }
        if (c.dry_run) {
                helper_print_plan(&c);
                helper_config_done(&c);
                return EXIT_SUCCESS;
        }
        /* what the helper was handed beyond stdio is not the service's,
         * but for sockets passed on by systemd (LISTEN_FDS) */
        keep_fds = c.join ? 0 : parse_listen_fds();
        if (!c.join)
                parse_watchdog();
        /* the unit's UMask= is the service's: the sandbox's own
         * directories and sockets are made with 0022 */
        if (!c.join)
                service_umask = umask(0022);
        r = inherited_fds_cloexec(3 + keep_fds);
        if (r < 0) {
                log_error_errno(r, "inherited file descriptors: cannot keep them from the service: %m");
                helper_config_done(&c);
                return EXIT_SETUP;
        }

        /* every message from here on says which sandbox it is about */
        snprintf(program, sizeof(program), "sandbox-helper: %s", c.join ? c.join : c.name);
        log_set_program(program);
        if (c.join && geteuid() != 0) {
                log_error("joining a sandbox needs root (its namespaces and processes are root's); run it as root");
                helper_config_done(&c);
                return EXIT_SETUP;
        }
        lsm_decide(&c);
        r = c.join ? end_like(join_sandbox(c.join, &c.argv, c.unit_command)) : run(&c);
        helper_config_done(&c);
        return r;
}
