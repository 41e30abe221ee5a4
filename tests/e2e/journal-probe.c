/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * journal-probe TOKEN: a daemon that logs the ways a Debian daemon does,
 * from inside its sandbox, then waits to be stopped:
 *
 *   - syslog(3) with the identifier "myd" (to /dev/log);
 *   - sd_journal_print(3), the journal's native protocol, with
 *     SYSLOG_IDENTIFIER=myd;
 *   - its standard output, as ever.
 *
 * Each line carries TOKEN, so the test finds this start's lines.
 */
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

int main(int argc, char *argv[]) {
        const char *token = argc > 1 ? argv[1] : "token";

        openlog("myd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
        syslog(LOG_NOTICE, "syslog line %s", token);
        closelog();
        if (sd_journal_send("MESSAGE=native line %s", token, "PRIORITY=5", "SYSLOG_IDENTIFIER=myd", NULL) < 0)
                fprintf(stderr, "sd_journal_send failed\n");
        sd_journal_print(LOG_NOTICE, "print line %s", token);
        printf("ready %s\n", token);
        fflush(stdout);
        pause();
        return 0;
}
