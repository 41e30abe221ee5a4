/* The cgroup v1 release_agent escape: the kernel runs the hierarchy's
 * release_agent as root on the host when a cgroup with notify_on_release
 * empties. Write it, turn notification on, make a cgroup; and mount a
 * hierarchy of one's own to do the same. argv[1] is a unique token. */
#include "probe.h"
#include <dirent.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#define CGROUP_SUPER_MAGIC 0x27e0eb

int main(int argc, char **argv) {
        const char *token = argc > 1 ? argv[1] : "x";
        DIR *d = opendir("/sys/fs/cgroup");
        struct dirent *e;
        char path[4096];
        unsigned hierarchies = 0;

        while (d && (e = readdir(d))) {
                struct statfs sf;

                if (e->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/release_agent", e->d_name);
                if (statfs(path, &sf) < 0 || sf.f_type != CGROUP_SUPER_MAGIC)
                        continue;
                hierarchies++;
                stepf(open_write(path, 0), "release-agent:%s", e->d_name);
                snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/notify_on_release", e->d_name);
                stepf(open_write(path, 0), "notify-on-release:%s", e->d_name);
                snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/escape-%s", e->d_name, token);
                stepf(mkdir(path, 0755), "mkdir:%s", e->d_name);
        }
        if (d)
                closedir(d);
        say("hierarchies", "%u", hierarchies);
        mkdir("/tmp/cgroup", 0755);
        step("mount-cgroup-v1", mount("cgroup", "/tmp/cgroup", "cgroup", 0, "memory"));
        step("mount-cgroup-v1-none", mount("cgroup", "/tmp/cgroup", "cgroup", 0, "none,name=escape"));
        step("mount-cgroup2", mount("cgroup2", "/tmp/cgroup", "cgroup2", 0, NULL));
        return 0;
}
