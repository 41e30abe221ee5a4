/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The words of a unit file's setting as systemd reads them
 * (systemd.syntax(7), systemd.unit(5)): quotes, C escapes, then the
 * specifiers, as the system manager resolves them.
 */

typedef struct Names {
        const char *unit;     /* foo@bar.service */
        char *template;       /* foo@.service, or NULL */
        char *prefix, *instance;
        const char *fragment; /* for %y and %Y */
        const char *file;     /* where the line is, for messages */
        unsigned line;
} Names;

/* v with its specifiers resolved, into *ret. One that only the manager
 * can resolve, or that systemd does not know, is -EINVAL, logged with
 * the file and line. */
int unit_specifiers(const Names *n, const char *v, char **ret);

/* The words of v: whitespace-separated, "double" or 'single' quoted
 * anywhere in a word, C escapes resolved (an escape systemd refuses is
 * -EINVAL, logged), then each word's specifiers. */
int unit_split_words(const Names *n, const char *v, char ***ret);
