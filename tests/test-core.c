/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit tests of lib/core's readers of Linux facts: capability names,
 * /proc files and status fields, the processes of a sandbox, and
 * mountinfo. Prints TAP.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capability-names.h"
#include "macro.h"
#include "mountinfo.h"
#include "proc-file.h"
#include "proc-tree.h"

static unsigned tap_n, tap_failed;

static void _printf_(2, 3) check(bool good, const char *fmt, ...) {
        va_list ap;

        tap_n++;
        if (!good)
                tap_failed++;
        printf("%s %u - ", good ? "ok" : "not ok", tap_n);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
}

static void test_capability_names(void) {
        char name[CAPABILITY_NAME_MAX];
        char *s;

        check(capability_from_name("CAP_NET_ADMIN") == 12, "CAP_NET_ADMIN is 12");
        check(capability_from_name("CAP_CHOWN") == 0, "CAP_CHOWN is 0");
        check(capability_from_name("cap_net_admin") == -EINVAL, "lower case is refused where profiles' spelling is asked");
        check(capability_from_name("NET_ADMIN") == -EINVAL, "a name without CAP_ is refused");
        check(capability_from_name("CAP_") == -EINVAL, "CAP_ alone is refused");
        check(capability_from_name("CAP_NET-ADMIN") == -EINVAL, "a name with a character no name has is refused");
        check(capability_from_name("CAP_NO_SUCH_THING") == -EINVAL, "an unknown name is refused");
        check(capability_from_name("CAP_12") == -EINVAL, "a number is no name");
        check(capability_from_any_name("net_admin") == 12, "systemd's spelling: net_admin is 12");
        check(capability_from_any_name("cap_Net_Admin") == 12, "systemd's spelling: cap_Net_Admin is 12");
        check(capability_from_any_name("CAP_SYS_ADMIN") == 21, "systemd's spelling: CAP_SYS_ADMIN is 21");
        check(capability_from_any_name("no_such_thing") == -EINVAL, "systemd's spelling: an unknown name is refused");
        memset(name, 'A', sizeof(name));
        name[sizeof(name) - 1] = 0;
        check(capability_from_any_name(name) == -EINVAL, "a name longer than any is refused");
        check(capability_to_name(12, name) == 0 && streq(name, "CAP_NET_ADMIN"), "12 is CAP_NET_ADMIN");
        check(capability_to_name(63, name) == -EINVAL, "63 has no name");
        check(capability_to_name(64, name) == -EINVAL, "64 is no capability");
        s = capabilities_names(0);
        check(s && streq(s, ""), "no capabilities: \"\"");
        free(s);
        s = capabilities_names((UINT64_C(1) << 21) | (UINT64_C(1) << 12) | (UINT64_C(1) << 63));
        check(s && streq(s, "CAP_NET_ADMIN CAP_SYS_ADMIN"), "a mask: its names in number order, an unknown bit left out (%s)",
              s ? s : "NULL");
        free(s);
}

static void test_status_fields(void) {
        static const char status[] = "Name:\tsleep\nPPid:\t42\nPPidX:\t7\nNSpid:\t1234\t56\t1\nCapEff:\t0000000000000020\n";
        unsigned levels = 0;
        pid_t inner = 0;
        const char *v;

        v = proc_status_field(status, "Name");
        check(v && strncmp(v, "sleep\n", 6) == 0, "the first line's field");
        v = proc_status_field(status, "CapEff");
        check(v && strncmp(v, "0000000000000020", 16) == 0, "the last line's field");
        check(!proc_status_field(status, "Uid"), "a field not there: NULL");
        check(!proc_status_field(status, "PPi"), "a key is matched whole, not as a prefix");
        check(proc_status_pid(status, "PPid") == 42, "PPid 42, not PPidX's 7");
        check(proc_status_pid(status, "Tgid") == 0, "a PID not there: 0");
        check(proc_status_pid("PPid:\t0\n", "PPid") == 0, "PPid 0 (no parent): 0");
        check(proc_status_nspid(status, &inner, &levels) == 0 && inner == 1 && levels == 3,
              "NSpid of three namespaces, innermost 1 (%d, %u)", (int) inner, levels);
        check(proc_status_nspid("NSpid:\t77\n", &inner, &levels) == 0 && inner == 77 && levels == 1, "NSpid of one namespace");
        check(proc_status_nspid("NSpid:\t77\tx\n", &inner, &levels) == -EINVAL, "NSpid that is not a list of PIDs: -EINVAL");
        check(proc_status_nspid("NSpid:\t\n", &inner, &levels) == -EINVAL, "NSpid empty: -EINVAL");
        check(proc_status_nspid("Name:\tx\n", &inner, &levels) == -ENOENT, "no NSpid: -ENOENT");
}

static void test_proc_files(void) {
        _cleanup_free_ char *whole = NULL;
        char buf[4096], small[8];
        uint64_t start = 0;
        pid_t parent = 0;
        size_t n = 0;
        ssize_t k;

        k = proc_read_into(getpid(), "status", buf, sizeof(buf));
        check(k > 0 && proc_status_pid(buf, "Pid") == getpid(), "this process's status, its own Pid in it");
        k = proc_read_into(getpid(), "status", small, sizeof(small));
        check(k == (ssize_t) sizeof(small) - 1 && strlen(small) == sizeof(small) - 1, "a small buffer: cut, NUL-terminated");
        check(proc_read_whole(getpid(), "status", 1 << 20, &whole, &n) == 0 && n == strlen(whole) &&
              proc_status_pid(whole, "Pid") == getpid(), "status whole");
        free(TAKE_PTR(whole));
        check(proc_read_whole(getpid(), "status", 16, &whole, &n) == -EFBIG && !whole, "status past max: -EFBIG");
        check(proc_read_into(getpid(), "no-such-file", buf, sizeof(buf)) == -ENOENT, "a file /proc has not: -ENOENT");
        check(proc_stat_parent_start(getpid(), &parent, &start) == 0 && parent == getppid() && start > 0,
              "this process's parent and start time from its stat");
}

static pid_t child_pausing(int flags) {
        pid_t pid = (pid_t) syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);

        if (pid == 0) {
                pause();
                _exit(0);
        }
        return pid;
}

static void child_end(pid_t pid) {
        if (pid <= 0)
                return;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static void test_proc_tree(void) {
        pid_t first, second, init;

        first = child_pausing(0);
        usleep(20 * 1000); /* a later start time, past the clock's tick */
        second = child_pausing(0);
        check(first > 0 && second > 0 && proc_oldest_child(getpid()) == first, "the oldest child is the one started first");
        check(sandbox_init_find(getpid()) == 0, "no child in a PID namespace of its own: no init");
        init = child_pausing(CLONE_NEWPID);
        if (init < 0)
                check(true, "# SKIP a PID namespace: %s", strerror(errno));
        else
                check(sandbox_init_find(getpid()) == init, "the child that is PID 1 of its own PID namespace is the init");
        child_end(init);
        child_end(first);
        child_end(second);
        check(proc_oldest_child(getpid()) == 0, "no children: none");
}

/* a mountinfo text, as the kernel writes it, read through the parser */
static int parse(const char *text, MountInfo *ret, char **ret_copy) {
        _cleanup_(mountinfo_close) MountInfoFile f = {};
        int r;

        f.f = fmemopen((void *) text, strlen(text), "r");
        if (!f.f)
                return -errno;
        r = mountinfo_next(&f, ret);
        if (r > 0) {
                /* its fields point into the line, gone with f */
                *ret_copy = NULL;
                if (asprintf(ret_copy, "%s|%s|%s|%s|%s|%d", ret->mount_point, ret->options, ret->fstype, ret->source,
                             ret->super_options, ret->read_only) < 0)
                        return -ENOMEM;
        }
        return r;
}

static void test_mountinfo(void) {
        _cleanup_(mountinfo_close) MountInfoFile self = {}, gone = { .pid = INT32_MAX };
        _cleanup_free_ char *s = NULL, *longline = NULL;
        MountInfo m;
        bool root = false;
        int r;

        r = parse("36 35 98:0 /mnt1 /mnt\\040two rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n", &m, &s);
        check(r == 1 && m.id == 36 && streq(s, "/mnt two|rw,noatime|ext3|/dev/root|rw,errors=continue|0"),
              "a line with optional fields, an escaped space undone (%s)", s ? s : "");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / / rw - tmpfs none ro,size=4k\n", &m, &s);
        check(r == 1 && m.read_only, "a file system mounted read-only is read-only");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / / ro,nosuid - tmpfs none rw\n", &m, &s);
        check(r == 1 && m.read_only, "a mount read-only is read-only");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / / rootcontext=x - tmpfs none rw\n", &m, &s);
        check(r == 1 && !m.read_only, "\"ro\" only as a whole option");
        free(TAKE_PTR(s));
        r = parse("1 0 0:1 / /a rw - tmpfs\n2 0 0:1 / /b rw - tmpfs none rw\n", &m, &s);
        check(r == 1 && s && strncmp(s, "/b|", 3) == 0,
              "a line without its fields is skipped");
        free(TAKE_PTR(s));
        r = parse("x 0 0:1 / /a rw - tmpfs none rw\n", &m, &s);
        check(r == 0, "a line without a mount ID is skipped");
        longline = malloc(MOUNTINFO_LINE_MAX + 64);
        if (longline) {
                memset(longline, 'a', MOUNTINFO_LINE_MAX + 62);
                memcpy(longline, "1 0 0:1 / /", 11);
                longline[MOUNTINFO_LINE_MAX + 62] = '\n';
                longline[MOUNTINFO_LINE_MAX + 63] = 0;
        }
        check(longline && parse(longline, &m, &s) == -EBADMSG, "a line past MOUNTINFO_LINE_MAX: -EBADMSG");
        while ((r = mountinfo_next(&self, &m)) > 0)
                root = root || streq(m.mount_point, "/");
        check(r == 0 && root, "this process's mountinfo has its root");
        check(mountinfo_next(&gone, &m) == -ENOENT, "a process that is not there: -ENOENT");
}

int main(void) {
        test_capability_names();
        test_status_fields();
        test_proc_files();
        test_proc_tree();
        test_mountinfo();
        printf("1..%u\n", tap_n);
        return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
