/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The sandbox's own terminal, the host's half: the admin's terminal
 * stays here, in raw mode, so that every key (^C, ^Z and ^D included)
 * reaches the sandbox's pty as it is and the pty's line discipline does
 * the rest, and bytes are relayed both ways. As systemd-nspawn's
 * forwarder does, in one poll loop with the signals read from a
 * signalfd: the waiting and forwarding of reap.c, and the window size.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "pty-relay.h"
#include "reap.h"

#define RELAY_BUFFER 4096

typedef struct Relay {
        int in, out, master; /* in, out: the admin's terminal, -1 where none */
        struct termios saved_in, saved_out;
        bool restore_in, restore_out, out_background;
        char to_pty[RELAY_BUFFER], to_term[RELAY_BUFFER];
        size_t n_to_pty, n_to_term;
} Relay;

/* Where the sandbox's output goes: standard output or error, whichever
 * is a terminal, else standard input, when that terminal was opened
 * for writing too (as a login's is): the echo of what is typed. */
static int output_terminal(void) {
        int flags;

        if (isatty(STDOUT_FILENO))
                return STDOUT_FILENO;
        if (isatty(STDERR_FILENO))
                return STDERR_FILENO;
        flags = fcntl(STDIN_FILENO, F_GETFL);
        return isatty(STDIN_FILENO) && flags >= 0 && (flags & O_ACCMODE) != O_RDONLY ? STDIN_FILENO : -1;
}

static bool same_terminal(int a, int b) {
        struct stat sa, sb;

        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

/* Raw input; on an output terminal of its own, only the output's
 * processing off: the pty already turned "\n" into "\r\n". */
static int raw_mode(Relay *r) {
        struct termios t;

        if (r->in >= 0) {
                if (tcgetattr(r->in, &r->saved_in) < 0)
                        return log_error_errno(-errno, "terminal: read the modes of standard input: %m");
                t = r->saved_in;
                cfmakeraw(&t);
                if (tcsetattr(r->in, TCSANOW, &t) < 0)
                        return log_error_errno(-errno, "terminal: raw mode: %m");
                r->restore_in = true;
        }
        if (r->out >= 0 && !r->out_background && (r->in < 0 || !same_terminal(r->in, r->out))) {
                if (tcgetattr(r->out, &r->saved_out) < 0)
                        return log_error_errno(-errno, "terminal: read the modes of the output: %m");
                t = r->saved_out;
                t.c_oflag &= ~(tcflag_t) OPOST;
                if (tcsetattr(r->out, TCSANOW, &t) < 0)
                        return log_error_errno(-errno, "terminal: raw output: %m");
                r->restore_out = true;
        }
        return 0;
}

static void restore_modes(Relay *r) {
        /* TCSADRAIN: what was written is shown with the modes it was
         * written for; TCSAFLUSH for the input: what the terminal answered
         * to the sandbox's last output (a query's reply) is dropped, not
         * left for the admin's shell to read as typed */
        if (r->restore_out)
                (void) tcsetattr(r->out, TCSADRAIN, &r->saved_out);
        if (r->restore_in)
                (void) tcsetattr(r->in, TCSAFLUSH, &r->saved_in);
        r->restore_in = r->restore_out = false;
}

static void copy_window_size(const Relay *r) {
        struct winsize ws;
        int from = r->in >= 0 ? r->in : r->out;

        if (from >= 0 && r->master >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0)
                (void) ioctl(r->master, TIOCSWINSZ, &ws);
}

/* A terminal that has gone away takes nothing more. */
static void write_out(Relay *r) {
        ssize_t n = r->out >= 0 ? write(r->out, r->to_term, r->n_to_term) : -1;

        if (n < 0 && r->out >= 0 && (errno == EINTR || errno == EAGAIN))
                return;
        if (n < 0) {
                r->out = -1;
                n = (ssize_t) r->n_to_term;
        }
        memmove(r->to_term, r->to_term + n, r->n_to_term - (size_t) n);
        r->n_to_term -= (size_t) n;
}

/* -EIO once no process holds the pty's peer any more: nothing more comes */
static int read_master(Relay *r) {
        ssize_t n = read(r->master, r->to_term + r->n_to_term, sizeof(r->to_term) - r->n_to_term);

        if (n < 0)
                return errno == EINTR || errno == EAGAIN ? -EAGAIN : -EIO;
        if (n == 0)
                return -EIO;
        r->n_to_term += (size_t) n;
        return 0;
}

/* What is left in the pty once the command has ended: as much as there
 * is, up to a bound, without waiting for processes it left behind in
 * the sandbox, which may write on and on. */
#define DRAIN_MAX (64 * RELAY_BUFFER)

static void drain(Relay *r) {
        size_t total = 0;

        for (;;) {
                /* what the loop read last, first */
                while (r->n_to_term > 0 && r->out >= 0)
                        write_out(r);
                r->n_to_term = 0;
                if (r->master < 0 || total >= DRAIN_MAX || read_master(r) < 0)
                        return;
                total += r->n_to_term;
        }
}

/* Takes the signals pending; *status set once child has been reaped. */
static int take_signals(Relay *r, int sfd, pid_t child, int *status) {
        struct signalfd_siginfo si;
        ssize_t n;

        while ((n = read(sfd, &si, sizeof(si))) == (ssize_t) sizeof(si)) {
                int wstatus;
                pid_t p;

                switch (si.ssi_signo) {
                case SIGCHLD:
                        while ((p = waitpid(-1, &wstatus, WNOHANG)) > 0)
                                if (p == child)
                                        *status = reap_exit_status(wstatus);
                        break;
                case SIGWINCH:
                        copy_window_size(r);
                        break;
                default:
                        (void) kill(child, (int) si.ssi_signo);
                }
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR)
                return log_error_errno(-errno, "terminal: read the signals: %m");
        return 0;
}

static int relay_loop(Relay *r, int sfd, pid_t child) {
        int status = -1;

        while (status < 0) {
                bool in_open = r->in >= 0 && r->n_to_pty < sizeof(r->to_pty);
                struct pollfd p[] = {
                        { .fd = sfd, .events = POLLIN },
                        { .fd = in_open ? r->in : -1, .events = POLLIN },
                        { .fd = r->master, .events = (r->n_to_term < sizeof(r->to_term) ? POLLIN : 0) |
                                                     (r->n_to_pty > 0 ? POLLOUT : 0) },
                        { .fd = r->n_to_term > 0 ? r->out : -1, .events = POLLOUT },
                };
                ssize_t n;

                if (poll(p, ELEMENTSOF(p), -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(-errno, "terminal: poll: %m");
                }
                if (p[0].revents && take_signals(r, sfd, child, &status) < 0)
                        return -EIO;
                if (p[1].revents) {
                        n = read(r->in, r->to_pty + r->n_to_pty, sizeof(r->to_pty) - r->n_to_pty);
                        if (n > 0)
                                r->n_to_pty += (size_t) n;
                        else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
                                /* the admin's terminal hung up: so does the
                                 * sandbox's, and its session gets SIGHUP */
                                r->in = -1;
                                r->n_to_pty = 0;
                                closep(&r->master);
                        }
                }
                if (r->master >= 0 && (p[2].revents & POLLOUT)) {
                        n = write(r->master, r->to_pty, r->n_to_pty);
                        if (n > 0) {
                                memmove(r->to_pty, r->to_pty + n, r->n_to_pty - (size_t) n);
                                r->n_to_pty -= (size_t) n;
                        }
                }
                if (r->master >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR)) && read_master(r) == -EIO)
                        /* no peer left, for now: only the command's end is waited for */
                        closep(&r->master);
                if (p[3].revents)
                        write_out(r);
        }
        drain(r);
        return status;
}

int pty_relay(int master, pid_t child, const sigset_t *set) {
        Relay r = { .in = isatty(STDIN_FILENO) ? STDIN_FILENO : -1, .out = output_terminal(), .master = master };
        _cleanup_close_ int sfd = -EBADF;
        int status;

        /* started in the background (a shell's "&"): the terminal is
         * left as it is, and its keys to the foreground, as a command
         * that does not read it would; changing its modes would stop
         * this process (SIGTTOU) */
        if (r.in >= 0 && tcgetpgrp(r.in) != getpgrp())
                r.in = -1;
        if (r.out >= 0 && tcgetpgrp(r.out) != getpgrp())
                r.out_background = true;
        sfd = signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
        if (sfd < 0 || fcntl(master, F_SETFL, O_NONBLOCK) < 0) {
                status = log_error_errno(-errno, "terminal: %m");
                goto out;
        }
        status = raw_mode(&r);
        if (status < 0)
                goto out;
        copy_window_size(&r);
        status = relay_loop(&r, sfd, child);
out:
        restore_modes(&r);
        closep(&r.master);
        if (status < 0) {
                /* the command does not outlive the relay: its terminal would be gone */
                (void) kill(child, SIGKILL);
                (void) waitpid(child, NULL, 0);
                return EXIT_SETUP;
        }
        return status;
}
