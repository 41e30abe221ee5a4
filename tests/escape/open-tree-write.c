/* Open every file of a tree of kernel settings (the arguments: /proc/sys,
 * /sys, ...) that its mode lets root write, for writing; nothing is
 * written. Reports how many were tried and opened, and each distinct
 * error the refusals gave ("error EROFS", with the first file that gave
 * it as "refused-path EROFS PATH"). */
#include "probe.h"
#include <ftw.h>

static unsigned long files, opened;
static int seen[256];

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
        int fd;

        (void) ftw;
        if (type != FTW_F || !S_ISREG(st->st_mode) || !(st->st_mode & S_IWUSR))
                return 0;
        files++;
        fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0) {
                opened++;
                if (opened <= 5)
                        say("opened-path", "%s", path);
                close(fd);
        } else if (errno > 0 && errno < 256 && !seen[errno]++) {
                say("error", "%s", probe_errname(errno));
                say("refused-path", "%s %s", probe_errname(errno), path);
        }
        return 0;
}

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++)
                nftw(argv[i], visit, 32, FTW_PHYS);
        say("files", "%lu", files);
        say("opened", "%lu", opened);
        return 0;
}
