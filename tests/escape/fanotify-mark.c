/* fanotify through the shared superblock: the sandbox's / is a bind of
 * the host's root file system, so a mark on the file system, the mount
 * or one of its inodes sees the host's processes open files, and each
 * event carries a descriptor opened through the host's writable mount.
 * fanotify-mark WAIT INODE: marks what it can, then for WAIT seconds
 * counts the events it gets, and writes "escape" through the descriptor
 * of each that is the host's file INODE (only that file: every other
 * file is left alone even where the marks got through). */
#include "probe.h"
#include <poll.h>
#include <sys/fanotify.h>
#include <time.h>

static void watch(int fan, int seconds, unsigned long long inode) {
        char buf[8192];
        int events = 0, written = 0;
        time_t end = time(NULL) + seconds;

        while (time(NULL) < end) {
                struct pollfd p = { .fd = fan, .events = POLLIN };
                ssize_t n;

                if (poll(&p, 1, 200) <= 0)
                        continue;
                n = read(fan, buf, sizeof(buf));
                for (struct fanotify_event_metadata *m = (void *) buf; n > 0 && FAN_EVENT_OK(m, n);
                     m = FAN_EVENT_NEXT(m, n)) {
                        struct stat st;

                        if (m->fd < 0)
                                continue;
                        events++;
                        if (fstat(m->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_ino == inode &&
                            pwrite(m->fd, "escape\n", 7, 0) == 7)
                                written++;
                        close(m->fd);
                }
        }
        say("events", "%d", events);
        say("written-through-events", "%d", written);
}

int main(int argc, char *argv[]) {
        int wait = argc > 1 ? atoi(argv[1]) : 3, fan, marks = 0;
        unsigned long long inode = argc > 2 ? strtoull(argv[2], NULL, 10) : 0;

        fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDWR | O_LARGEFILE);
        step("init-content", fan);
        if (fan >= 0)
                close(fan);
        fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDWR | O_LARGEFILE);
        step("init-notif", fan);
        /* without an instance the marks are tried on -1: the filter's EPERM
         * comes before the kernel's EBADF */
        marks += step("mark-filesystem", fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
                                                       FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, "/")) == 0;
        marks += step("mark-mount", fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_MOUNT,
                                                  FAN_OPEN | FAN_CLOSE_WRITE, AT_FDCWD, "/")) == 0;
        marks += step("mark-inode", fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "/etc/passwd")) == 0;
        if (fan >= 0 && marks > 0)
                watch(fan, wait, inode);
        else
                say("events", "0");
        return 0;
}
