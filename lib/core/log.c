/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static const char *program = "sandbox";
static int kmsg_fd = -1;
static bool debug_on;

void log_set_program(const char *name) {
        program = name;
}

const char *log_program(void) {
        return program;
}

void log_open_kmsg(void) {
        if (kmsg_fd < 0)
                kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

void log_set_debug(bool on) {
        debug_on = on;
}

bool log_debug_enabled(void) {
        return debug_on;
}

static void log_write(int level, const char *text) {
        if (level >= LOG_LEVEL_DEBUG && !debug_on)
                return;

        fprintf(stderr, "%s: %s\n", program, text);

        if (kmsg_fd >= 0 && level < LOG_LEVEL_DEBUG) {
                char line[2048];
                int n = snprintf(line, sizeof line, "<%d>%s: %s\n", level, program, text);
                if (n > 0)
                        (void) !write(kmsg_fd, line, (size_t) n < sizeof line ? (size_t) n : sizeof line - 1);
        }
}

/* A message is one line, and nothing in it acts on a terminal: the
 * callers escape what they print of names a sandbox made, and a control
 * character that still got in is shown as "?" rather than sent. */
static void neutralize_controls(char *text) {
        for (unsigned char *c = (unsigned char *) text; *c; c++)
                if (c[0] == 0xc2 && c[1] >= 0x80 && c[1] < 0xa0)
                        c[0] = c[1] = '?';
                else if (*c < 0x20 || *c == 0x7f)
                        *c = '?';
}

static void log_vformat(int level, int error, const char *fmt, va_list ap) {
        char text[1800];
        int saved = errno;

        if (error != 0)
                errno = error < 0 ? -error : error; /* for %m */
        vsnprintf(text, sizeof text, fmt, ap);
        errno = saved;
        neutralize_controls(text);
        log_write(level, text);
}

void log_msg(int level, const char *fmt, ...) {
        va_list ap;

        /* not even formatted: a debugging message costs nothing when off */
        if (level >= LOG_LEVEL_DEBUG && !debug_on)
                return;
        va_start(ap, fmt);
        log_vformat(level, 0, fmt, ap);
        va_end(ap);
}

int log_errno(int level, int error, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        log_vformat(level, error, fmt, ap);
        va_end(ap);
        return error < 0 ? error : -error;
}

int log_oom(void) {
        log_error("Out of memory.");
        return -ENOMEM;
}
