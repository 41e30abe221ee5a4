/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * iface-use TOKEN: what a daemon does with the system's standard
 * interfaces in its sandbox, and what it must not be able to do to them.
 * Each message sent carries TOKEN.
 *
 *     run NAMES                what /run holds ("-": nothing)
 *     run-systemd NAMES        what /run/systemd holds
 *     journal-dir NAMES        what /run/systemd/journal holds
 *     run-lock MODE            /run/lock's type and mode ("none": absent)
 *     var-lock-create          a file made through /var/lock
 *     dev-log LINK             where /dev/log points ("none": absent)
 *     dev-log-send             a datagram sent to /dev/log
 *     (no line)                syslog(3), identifier "ifaced": the
 *                              listener outside says whether it came
 *     journal-send             a datagram to /run/systemd/journal/socket
 *     stdout-send              a stream to /run/systemd/journal/stdout
 *     dbus-send                a stream to /run/dbus/system_bus_socket
 *     remount-SOCKET           its bind made writable again
 *     unlink-SOCKET            the socket unlinked
 *     rename-SOCKET            the socket renamed away
 *     replace-SOCKET           a file made beside it renamed over it
 *     chmod-SOCKET             its mode changed
 *     mknod-SOCKET             a socket bound over it
 *     umount-SOCKET            its bind taken away (the sandbox's own
 *                              /run below it then)
 *     type-SOCKET              "socket" when it still is one
 *     unlink-dev-log-link      /dev/log removed
 */
#include "probe.h"

#include <dirent.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>

static const char *const sockets[][2] = {
        { "socket", "/run/systemd/journal/socket" },
        { "stdout", "/run/systemd/journal/stdout" },
        { "dev-log", "/run/systemd/journal/dev-log" },
        { "dbus", "/run/dbus/system_bus_socket" },
};

static long send_to(const char *path, int type, const char *msg) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
        long r;

        if (s < 0)
                return -1;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        r = connect(s, (struct sockaddr *) &sa, sizeof(sa));
        if (r >= 0)
                r = write(s, msg, strlen(msg));
        int e = errno;
        close(s);
        errno = e;
        return r;
}

/* the names in dir, sorted, joined by "," */
static void list(const char *key, const char *dir) {
        struct dirent **e;
        char names[1024] = "";
        int n = scandir(dir, &e, NULL, alphasort);

        if (n < 0) {
                say(key, "%s", probe_errname(errno));
                return;
        }
        for (int i = 0; i < n; i++) {
                if (strcmp(e[i]->d_name, ".") != 0 && strcmp(e[i]->d_name, "..") != 0)
                        snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", *names ? "," : "",
                                 e[i]->d_name);
                free(e[i]);
        }
        free(e);
        say(key, "%s", *names ? names : "-");
}

int main(int argc, char *argv[]) {
        const char *token = argc > 1 ? argv[1] : "token";
        char msg[256], link[256], key[64];
        struct stat st;
        ssize_t n;

        list("run", "/run");
        list("run-systemd", "/run/systemd");
        list("journal-dir", "/run/systemd/journal");
        if (stat("/run/lock", &st) < 0)
                say("run-lock", "none");
        else
                say("run-lock", "%s%04o", S_ISDIR(st.st_mode) ? "dir:" : "other:", st.st_mode & 07777);
        snprintf(msg, sizeof(msg), "/var/lock/iface-%s", token);
        step("var-lock-create", open_write(msg, O_CREAT | O_EXCL));

        n = readlink("/dev/log", link, sizeof(link) - 1);
        link[n < 0 ? 0 : n] = 0;
        say("dev-log", "%s", n < 0 ? "none" : link);
        snprintf(msg, sizeof(msg), "<14>ifaced: dev-log %s", token);
        step("dev-log-send", send_to("/dev/log", SOCK_DGRAM, msg));
        snprintf(msg, sizeof(msg), "journal %s", token);
        step("journal-send", send_to("/run/systemd/journal/socket", SOCK_DGRAM, msg));
        snprintf(msg, sizeof(msg), "stdout %s\n", token);
        step("stdout-send", send_to("/run/systemd/journal/stdout", SOCK_STREAM, msg));
        snprintf(msg, sizeof(msg), "dbus %s", token);
        step("dbus-send", send_to("/run/dbus/system_bus_socket", SOCK_STREAM, msg));
        /* syslog(3) reports nothing: the listener outside says whether it came */
        openlog("ifaced", LOG_PID | LOG_NDELAY, LOG_DAEMON);
        syslog(LOG_INFO, "syslog %s", token);
        closelog();

        for (size_t i = 0; i < sizeof(sockets) / sizeof(sockets[0]); i++) {
                const char *name = sockets[i][0], *path = sockets[i][1];
                struct sockaddr_un sa = { .sun_family = AF_UNIX };
                int s;

                if (lstat(path, &st) < 0)
                        continue;
                stepf(mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL), "remount-%s", name);
                stepf(unlink(path), "unlink-%s", name);
                snprintf(msg, sizeof(msg), "%s.moved", path);
                stepf(rename(path, msg), "rename-%s", name);
                /* beside it, in the sandbox's own /run: a rename across
                 * file systems would say EXDEV whatever it is */
                snprintf(msg, sizeof(msg), "%s.new", path);
                close((int) open_write(msg, O_CREAT));
                stepf(rename(msg, path), "replace-%s", name);
                stepf(chmod(path, 0777), "chmod-%s", name);
                s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
                snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
                stepf(bind(s, (struct sockaddr *) &sa, sizeof(sa)), "mknod-%s", name);
                close(s);
                stepf(umount2(path, MNT_DETACH), "umount-%s", name);
                snprintf(key, sizeof(key), "type-%s", name);
                say(key, "%s", lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) ? "socket" : "changed");
        }
        if (lstat("/dev/log", &st) == 0)
                step("unlink-dev-log-link", unlink("/dev/log"));
        return 0;
}
