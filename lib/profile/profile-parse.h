/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to the profile model: from one file's XML tree to Profile. */

#include <libxml/tree.h>
#include <stdlib.h>

#include "macro.h"
#include "paths.h"

#include "profile.h"

typedef struct ParseContext {
        Profile *profile;
        Diagnostics *diags;
        const char *file; /* a string in profile->files */
        unsigned problems;
} ParseContext;

/* Applies every setting of one file (all children of <sandbox> except
 * <include>) on top of what the profile already holds, checking each
 * value. Robust to documents the schema refused: what is missing or
 * malformed there was reported already and is skipped here. */
void profile_parse_settings(ParseContext *c, xmlNodePtr root);

/* <exec-start-pre> and the unit's other commands (profile-hooks.c):
 * one more hook after those the profile holds. false when n is no such
 * element. */
bool profile_parse_hook(ParseContext *c, xmlNodePtr n);

/* <state>'s encryption (profile-encryption.c), and its checks over the
 * merged profile; returns the number of problems added. */
void profile_parse_state_encryption(ParseContext *c, xmlNodePtr n);
unsigned profile_check_state_encryption(const Profile *p, Diagnostics *d);

/* Checks that look at the merged profile as a whole (one mount per
 * target, nothing over a mask, something to run). complete is false when
 * problems were found already, so that missing pieces are not reported
 * twice. Returns the number of problems added. */
unsigned profile_check(Profile *p, Diagnostics *diags, bool complete);

/* Where the host has what mask hides: its path below the profile's
 * <root> directory, or as it is. */
void profile_mask_host_path(const Profile *p, const ProfileMask *mask, char *buf, size_t size);

/* For the element handlers in profile-parse*.c. */

#define PATH_RULE "absolute and normalised (no \"//\", \".\", \"..\" or trailing \"/\")"

static inline unsigned line_of(xmlNodePtr n) {
        long l = xmlGetLineNo(n);
        return l > 0 ? (unsigned) l : 0;
}

/* "<element>: " and the message, at the element's line */
#define problem(c, n, fmt, ...)                                                                         \
        do {                                                                                            \
                diag_add((c)->diags, (c)->file, line_of(n), "<%s>: " fmt, (const char *) (n)->name,     \
                         ##__VA_ARGS__);                                                                \
                (c)->problems++;                                                                        \
        } while (0)

static inline bool is(xmlNodePtr n, const char *name) {
        return n->type == XML_ELEMENT_NODE && !n->ns && streq((const char *) n->name, name);
}

/* The attribute's value (caller frees), or NULL when absent. */
static inline char *attr(xmlNodePtr n, const char *name) {
        return (char *) xmlGetNoNsProp(n, (const xmlChar *) name);
}

static inline char *text_of(xmlNodePtr n) {
        return (char *) xmlNodeGetContent(n);
}

static inline void replace(char **field, char *value) {
        free(*field);
        *field = value;
}

static inline bool yes(xmlNodePtr n, const char *name, bool dflt) {
        _cleanup_free_ char *v = attr(n, name);
        return v ? streq(v, "yes") : dflt;
}

/* Reads an attribute that must be a path; NULL when absent or invalid. */
static inline char *path_attr(ParseContext *c, xmlNodePtr n, const char *name) {
        char *v = attr(n, name);

        if (!v)
                return NULL;
        if (v[0] != '/') {
                problem(c, n, "%s \"%s\" must be an absolute path", name, v);
                free(v);
                return NULL;
        }
        if (!path_is_normalized_absolute(v)) {
                problem(c, n, "%s \"%s\" is not a normalised path; it must be " PATH_RULE, name, v);
                free(v);
                return NULL;
        }
        return v;
}

/* <no-exec-path> (exec false) and <exec-path>, in profile-parse-exec.c */
void profile_parse_exec_path(ParseContext *c, xmlNodePtr n, bool exec);

/* <network>, in profile-parse-network.c */
void profile_parse_network(ParseContext *c, xmlNodePtr n);

/* <security>, in profile-parse-security.c */
void profile_parse_security(ParseContext *c, xmlNodePtr n);
/* Capabilities of capabilities.h's list only in keep-unsafe=, and only
 * they: returns the number of problems added. */
unsigned profile_check_capabilities(const Profile *p, Diagnostics *diags);
