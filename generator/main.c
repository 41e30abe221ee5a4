/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sandbox-generator: turns every profile on the search path into a
 * drop-in for sandbox@NAME.service and the wants links its <install>
 * asks for (systemd.generator(7), sandbox-generator(8)). One bad profile
 * is logged and skipped; the others are still written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "capabilities.h"
#include "compile.h"
#include "config.h"
#include "log.h"
#include "schema.h"
#include "search-path.h"
#include "strv.h"

static bool arg_dry_run;

static int write_file_exclusive(int dirfd, const char *name, const char *text) {
        _cleanup_close_ int fd = -EBADF;
        size_t n = strlen(text);

        /* O_EXCL: two profiles never silently share one output file */
        fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        for (const char *p = text; n > 0;) {
                ssize_t k = write(fd, p, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Output directories are the generator's own (systemd empties them before
 * each run), so paths below them are used as they are. */
static int make_subdir(int dirfd, const char *name) {
        if (mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* The NAME.wants directories already made, so that 1,000 profiles wanted
 * by one target cost one mkdir, not 1,000. */
static char **wants_made;

static int make_wants_dir(int outfd, const char *wants) {
        int r;

        if (strv_contains(wants_made, wants))
                return 0;
        r = make_subdir(outfd, wants);
        if (r < 0)
                return r;
        return strv_append(&wants_made, wants);
}

static int emit(int outfd, const char *outdir, const Profile *p, const char *dropin) {
        _cleanup_free_ char *unit = NULL, *unitdir = NULL, *file = NULL, *template = NULL;
        int r;

        if (asprintf(&unit, "sandbox@%s.service", p->name) < 0 ||
            asprintf(&unitdir, "%s.d", unit) < 0 ||
            asprintf(&file, "%s/%s", unitdir, DROPIN_FILE_NAME) < 0 ||
            asprintf(&template, "%s/sandbox@.service", SANDBOX_UNIT_DIR) < 0)
                return log_oom();

        if (arg_dry_run) {
                printf("# %s\n%s", file, dropin);
                STRV_FOREACH(w, p->wanted_by)
                        printf("# %s.wants/%s -> %s\n", *w, unit, template);
                printf("\n");
                return 0;
        }

        r = make_subdir(outfd, unitdir);
        if (r < 0)
                return log_error_errno(r, "%s: cannot create %s/%s: %m", p->path, outdir, unitdir);
        r = write_file_exclusive(outfd, file, dropin);
        if (r < 0)
                return log_error_errno(r, "%s: cannot write %s/%s: %m", p->path, outdir, file);

        size_t made = 0;
        r = 0;
        STRV_FOREACH(w, p->wanted_by) {
                _cleanup_free_ char *wants = NULL, *link = NULL;

                if (asprintf(&wants, "%s.wants", *w) < 0 || asprintf(&link, "%s/%s", wants, unit) < 0) {
                        r = log_oom();
                        break;
                }
                r = make_wants_dir(outfd, wants);
                if (r < 0) {
                        r = log_error_errno(r, "%s: cannot create %s/%s: %m", p->path, outdir, wants);
                        break;
                }
                if (symlinkat(template, outfd, link) < 0) {
                        r = log_error_errno(errno, "%s: cannot link %s/%s: %m", p->path, outdir, link);
                        break;
                }
                made++;
        }
        if (r < 0) {
                /* nothing half-written: a sandbox is emitted whole or not at all */
                (void) unlinkat(outfd, file, 0);
                (void) unlinkat(outfd, unitdir, AT_REMOVEDIR);
                for (size_t i = 0; i < made; i++) {
                        _cleanup_free_ char *link = NULL;
                        if (asprintf(&link, "%s.wants/%s", p->wanted_by[i], unit) >= 0)
                                (void) unlinkat(outfd, link, 0);
                }
        }
        return r;
}

/* A profile that keeps capabilities reaching past the sandbox
 * (keep-unsafe=), or gives a service that runs as root the system bus, is
 * compiled as asked, but not silently: the warnings "sandboxctl
 * validate" prints, one for each. */
static void warn_unsafe_capabilities(const Profile *p) {
        Diagnostics warnings = {};

        capability_unsafe_warnings(p, &warnings);
        for (size_t i = 0; i < warnings.n; i++) {
                _cleanup_free_ char *line = diag_format(&warnings.items[i]);

                log_warning("%s", line ? line : warnings.items[i].message);
        }
        diagnostics_done(&warnings);
}

static int generate_one(int outfd, const char *outdir, const ProfileEntry *e, char * const *dirs) {
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_free_ char *dropin = NULL;
        Diagnostics diags = {};
        int r;

        r = profile_load(e->path, dirs, &p, &diags);
        for (size_t i = 0; i < diags.n; i++) {
                _cleanup_free_ char *line = diag_format(&diags.items[i]);
                log_error("%s", line ? line : diags.items[i].message);
        }
        diagnostics_done(&diags);
        if (r == -EINVAL) {
                log_error("%s: skipped; sandbox@%s.service has no profile until this is fixed", e->path, e->name);
                return r;
        }
        if (r < 0)
                return log_error_errno(r, "%s: cannot load: %m", e->path);

        warn_unsafe_capabilities(p);
        r = profile_compile_dropin(p, SANDBOX_HELPER_PATH, &dropin);
        if (r < 0)
                return log_error_errno(r, "%s: cannot compile: %m", e->path);
        return emit(outfd, outdir, p, dropin);
}

static void help(void) {
        printf("%s [--dry-run] [NORMAL_DIR [EARLY_DIR LATE_DIR]]\n\n"
               "Writes a sandbox@NAME.service drop-in for every sandbox profile.\n\n"
               "  -h --help     Show this help\n"
               "     --version  Show the version\n"
               "     --dry-run  Print what would be written instead of writing it\n\n"
               "Profiles are read from %s,\n"
               "or from the colon-separated $SANDBOX_PROFILE_PATH. See sandbox-generator(8).\n",
               program_invocation_short_name, PROFILE_SEARCH_PATH_DEFAULT);
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_VERSION = 0x100, ARG_DRY_RUN };
        static const struct option options[] = {
                { "help",    no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                {}
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("sandbox-generator %s\n", SANDBOX_VERSION);
                        return 0;
                case ARG_DRY_RUN:
                        arg_dry_run = true;
                        break;
                default:
                        return -EINVAL;
                }

        int n = argc - optind;
        if (!(n == 1 || n == 3 || (n == 0 && arg_dry_run))) {
                log_error("expected 1 or 3 output directories (or --dry-run), got %d", n);
                return -EINVAL;
        }
        return 1;
}

int main(int argc, char *argv[]) {
        _cleanup_strv_free_ char **dirs = NULL, **skipped = NULL;
        _cleanup_close_ int outfd = -EBADF;
        ProfileEntry *entries = NULL;
        size_t n = 0;
        const char *outdir;
        int r, failed = 0;

        log_set_program("sandbox-generator");
        /* run by systemd: the kernel log is where boot problems are read */
        if (getenv("SYSTEMD_SCOPE") || getppid() == 1)
                log_open_kmsg();

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
        outdir = optind < argc ? argv[optind] : NULL;

        if (outdir && !arg_dry_run) {
                outfd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (outfd < 0) {
                        log_error_errno(errno, "cannot open output directory %s: %m", outdir);
                        return EXIT_FAILURE;
                }
        }

        r = profile_search_path(&dirs);
        if (r >= 0)
                r = profile_enumerate(dirs, &entries, &n, &skipped);
        if (r < 0) {
                log_error_errno(r, "cannot list profiles: %m");
                return EXIT_FAILURE;
        }
        /* the other directories' profiles are still written */
        STRV_FOREACH(m, skipped) {
                log_error("%s; its profiles are not used", *m);
                failed++;
        }

        for (size_t i = 0; i < n; i++)
                if (generate_one(outfd, outdir, &entries[i], dirs) < 0)
                        failed++;

        profile_entries_free(entries, n);
        strv_free(wants_made);
        profile_load_release();
        schema_release();
        xmlCleanupParser();
        return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
