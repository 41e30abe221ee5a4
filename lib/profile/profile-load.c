/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a profile: the file checks (owner, mode, size, no symlink), a
 * locked-down XML parse (no network, no DTD, no entities), the schema, the
 * includes, and then the settings of each file in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "dir-trust.h"
#include "interfaces.h"
#include "names.h"
#include "profile-limits.h"
#include "profile-parse.h"
#include "schema.h"
#include "search-path.h"
#include "strv.h"

#define PROFILE_SIZE_MAX (1024 * 1024)
#define INCLUDE_DEPTH_MAX 8

typedef struct Loader {
        Profile *profile;
        Diagnostics *diags;
        char **include_dirs;
        struct stat stack[INCLUDE_DEPTH_MAX + 1]; /* files being read, for cycles */
        unsigned depth;
        struct stat *seen; /* every file read, so that a base is applied once */
        size_t n_seen;
        unsigned problems;
} Loader;

DEFINE_POINTER_CLEANUP(xmlDoc, xmlFreeDoc);

static int read_profile_file(Loader *l, const char *path, const char *shown, struct stat *ret_st, char **ret_data, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *data = NULL;
        struct stat st;
        size_t n = 0;

        /* read relative to the directory checked, so that the directory
         * read from is the one checked; a sticky one is fine here, as the
         * file itself must be root's (the search path refuses them, for
         * what others add there) */
        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir = slash ? strndup(path, slash == path ? 1 : (size_t) (slash - path)) : strdup(".");
        _cleanup_free_ char *why = NULL;
        _cleanup_close_ int dfd = -EBADF;

        if (!dir)
                return -ENOMEM;
        dfd = dir_open_trusted(dir, true, &why);
        if (dfd == -ENOMEM)
                return dfd;
        if (dfd < 0) {
                if (dfd == -EPERM)
                        diag_add(l->diags, shown, 0, "not read: %s", why ? why : strerror(-dfd));
                else if (dfd == -ENOENT || dfd == -ENOTDIR || !why)
                        diag_add(l->diags, shown, 0, "cannot open: %s", strerror(-dfd));
                else
                        diag_add(l->diags, shown, 0, "cannot open: %s", why);
                return -EINVAL;
        }
        fd = openat(dfd, slash ? slash + 1 : path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                if (errno == ELOOP)
                        diag_add(l->diags, shown, 0, "is a symbolic link; a profile must be a regular file (copy it instead of linking)");
                else
                        diag_add(l->diags, shown, 0, "cannot open: %s", strerror(errno));
                return -EINVAL;
        }
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode)) {
                diag_add(l->diags, shown, 0, "is not a regular file; a profile must be a regular file");
                return -EINVAL;
        }
        /* root's tools trust only root's files; anyone may check their own */
        if (st.st_uid != 0 && st.st_uid != geteuid()) {
                diag_add(l->diags, shown, 0, "is owned by uid %u; a profile must be owned by root", (unsigned) st.st_uid);
                return -EINVAL;
        }
        if (st.st_mode & (S_IWGRP | S_IWOTH)) {
                diag_add(l->diags, shown, 0, "is writable by %s (mode %04o); a profile must be writable only by its owner (chmod go-w)",
                         (st.st_mode & S_IWOTH) ? "others" : "its group", (unsigned) (st.st_mode & 07777));
                return -EINVAL;
        }
        if (st.st_size > PROFILE_SIZE_MAX) {
                diag_add(l->diags, shown, 0, "is %lld bytes; a profile may be at most 1 MiB", (long long) st.st_size);
                return -EINVAL;
        }

        /* room for the size fstat() gave and one byte more, to see a file
         * that grew meanwhile; a short read of a regular file is its end */
        size_t room = (size_t) st.st_size + 1;
        data = malloc(room);
        if (!data)
                return -ENOMEM;
        for (;;) {
                ssize_t k = read(fd, data + n, room - n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                n += (size_t) k;
                if (n > PROFILE_SIZE_MAX) {
                        diag_add(l->diags, shown, 0, "is larger than 1 MiB; a profile may be at most 1 MiB");
                        return -EINVAL;
                }
                if (n < room)
                        break;
                room = room * 2 > PROFILE_SIZE_MAX + 1 ? PROFILE_SIZE_MAX + 1 : room * 2;
                char *bigger = realloc(data, room);
                if (!bigger)
                        return -ENOMEM;
                data = bigger;
        }
        *ret_st = st;
        *ret_data = TAKE_PTR(data);
        *ret_size = n;
        return 0;
}

typedef struct XmlErrors {
        Diagnostics *diags;
        const char *file;
        unsigned n;
        unsigned doctype_line; /* > 0 once a DOCTYPE was seen */
} XmlErrors;

static void xml_error(void *userdata, xmlErrorPtr err) {
        XmlErrors *e = userdata;

        /* the first error only, what follows is mostly its echo; none
         * after a DOCTYPE, which stopped the parser on purpose */
        if (!err || err->level < XML_ERR_ERROR || e->doctype_line > 0 || e->n++ > 0)
                return;
        if (err->message && strstr(err->message, "not proper UTF-8"))
                diag_add(e->diags, e->file, err->line > 0 ? (unsigned) err->line : 0,
                         "the file is not valid UTF-8; profiles are UTF-8 text");
        else
                diag_add_text(e->diags, e->file, err->line > 0 ? (unsigned) err->line : 0, "malformed XML: ",
                              err->message ? err->message : "unknown error", "; a profile must be well-formed UTF-8 XML");
}

/* A DOCTYPE stops the parse where it stands, before any entity or DTD
 * is parsed, let alone expanded or loaded. */
static void on_doctype(void *ctx, const xmlChar *name _unused_, const xmlChar *external_id _unused_,
                       const xmlChar *system_id _unused_) {
        xmlParserCtxtPtr ctxt = ctx;
        XmlErrors *e = ctxt->_private;

        e->doctype_line = ctxt->input && ctxt->input->line > 0 ? (unsigned) ctxt->input->line : 1;
        xmlStopParser(ctxt);
}

static xmlDocPtr parse_xml(Loader *l, const char *shown, const char *data, size_t size) {
        XmlErrors errors = { .diags = l->diags, .file = shown };
        xmlParserCtxtPtr ctxt;
        xmlDocPtr doc;

        if (size == 0 || data[strspn(data, " \t\r\n")] == 0) {
                diag_add(l->diags, shown, 0, "is empty; a profile is a <sandbox> element");
                l->problems++;
                return NULL;
        }

        ctxt = xmlNewParserCtxt();
        if (!ctxt) {
                l->diags->error = -ENOMEM;
                return NULL;
        }
        ctxt->_private = &errors;
        ctxt->sax->internalSubset = on_doctype;

        /* No NOENT, DTDLOAD or DTDATTR: entities stay unexpanded and no
         * external file or URL is ever read; NONET as a second lock. */
        xmlSetStructuredErrorFunc(&errors, xml_error);
        doc = xmlCtxtReadMemory(ctxt, data, (int) size, shown, NULL,
                                XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
        xmlSetStructuredErrorFunc(NULL, NULL);
        xmlFreeParserCtxt(ctxt);

        if (doc && (errors.n > 0 || errors.doctype_line > 0)) {
                xmlFreeDoc(doc);
                doc = NULL;
        }
        if (errors.doctype_line > 0)
                diag_add(l->diags, shown, errors.doctype_line,
                         "<!DOCTYPE>: document type declarations and entities are not allowed in profiles");
        else if (!doc && errors.n == 0)
                diag_add(l->diags, shown, 0, "malformed XML; a profile must be well-formed UTF-8 XML");
        if (!doc) {
                l->problems++;
                return NULL;
        }
        if (doc->encoding && strcasecmp((const char *) doc->encoding, "UTF-8") != 0) {
                diag_add(l->diags, shown, 1, "encoding \"%s\" is not allowed; profiles are UTF-8", (const char *) doc->encoding);
                l->problems++;
                xmlFreeDoc(doc);
                return NULL;
        }
        return doc;
}

static int load_file(Loader *l, const char *path, unsigned include_line, const char *includer);

/* Base profiles parsed and found well-formed and schema-valid, kept for
 * the life of the process: a thousand profiles that include one base parse
 * it once. Keyed by path and the exact bytes read, so a changed file is
 * parsed anew; the documents are only ever read. */
typedef struct BaseCache {
        char *path;
        char *data;
        size_t size;
        xmlDocPtr doc;
} BaseCache;

static BaseCache *base_cache;
static size_t n_base_cache;

static xmlDocPtr base_cache_find(const char *path, const char *data, size_t size) {
        for (size_t i = 0; i < n_base_cache; i++)
                if (base_cache[i].size == size && streq(base_cache[i].path, path) && memcmp(base_cache[i].data, data, size) == 0)
                        return base_cache[i].doc;
        return NULL;
}

/* Takes data and doc; on failure leaves them to the caller. */
static int base_cache_add(const char *path, char **data, size_t size, xmlDocPtr *doc) {
        char *p = strdup(path);
        BaseCache *t;

        if (!p)
                return -ENOMEM;
        t = realloc(base_cache, (n_base_cache + 1) * sizeof(*t));
        if (!t) {
                free(p);
                return -ENOMEM;
        }
        base_cache = t;
        base_cache[n_base_cache++] = (BaseCache) { .path = p, .data = TAKE_PTR(*data), .size = size, .doc = TAKE_PTR(*doc) };
        return 0;
}

void profile_load_release(void) {
        for (size_t i = 0; i < n_base_cache; i++) {
                free(base_cache[i].path);
                free(base_cache[i].data);
                xmlFreeDoc(base_cache[i].doc);
        }
        free(base_cache);
        base_cache = NULL;
        n_base_cache = 0;
}

static int load_include(Loader *l, xmlNodePtr n, const char *file) {
        _cleanup_free_ xmlChar *name = xmlGetProp(n, (const xmlChar *) "name");
        _cleanup_free_ char *path = NULL, *searched = NULL;
        _cleanup_strv_free_ char **skipped = NULL;
        unsigned line = (unsigned) xmlGetLineNo(n);
        int r;

        if (!name)
                return 0; /* reported by the schema */
        if (!profile_name_is_valid((const char *) name)) {
                diag_add(l->diags, file, line, "<include>: name \"%s\" is not a valid profile name; "
                         "allowed: " NAME_RULE, (const char *) name);
                l->problems++;
                return 0;
        }
        r = profile_find_noting(l->include_dirs, (const char *) name, &path, &skipped);
        /* a base directory skipped might have held the base meant */
        STRV_FOREACH(m, skipped) {
                diag_add(l->diags, file, line, "<include>: %s", *m);
                l->problems++;
        }
        if (r == -ENOENT) {
                searched = strv_join(l->include_dirs, ", ");
                diag_add(l->diags, file, line, "<include>: no base profile \"%s\"; looked for %s%s in %s",
                         (const char *) name, (const char *) name, PROFILE_SUFFIX, searched ? searched : "(out of memory)");
                l->problems++;
                return 0;
        }
        if (r < 0)
                return r;
        return load_file(l, path, line, file);
}

static int load_file(Loader *l, const char *path, unsigned include_line, const char *includer) {
        _cleanup_(xmlFreeDocp) xmlDocPtr doc = NULL;
        _cleanup_free_ char *data = NULL, *stem = NULL;
        _cleanup_free_ xmlChar *declared = NULL;
        const char *file;
        xmlNodePtr root;
        struct stat st;
        size_t size = 0;
        int r;

        if (strv_append(&l->profile->files, path) < 0)
                return -ENOMEM;
        file = l->profile->files[strv_length(l->profile->files) - 1];

        r = read_profile_file(l, path, file, &st, &data, &size);
        if (r == -EINVAL) {
                l->problems++;
                return 0;
        }
        if (r < 0)
                return r;

        for (unsigned i = 0; i < l->depth; i++)
                if (l->stack[i].st_dev == st.st_dev && l->stack[i].st_ino == st.st_ino) {
                        diag_add(l->diags, includer, include_line, "<include>: %s is already being included (include cycle); "
                                 "a profile cannot include itself, directly or through another", file);
                        l->problems++;
                        return 0;
                }
        if (l->depth > INCLUDE_DEPTH_MAX) {
                diag_add(l->diags, includer, include_line, "<include>: %s would be nested more than %d includes deep; "
                         "allowed: at most %d levels", file, INCLUDE_DEPTH_MAX, INCLUDE_DEPTH_MAX);
                l->problems++;
                return 0;
        }
        /* a base reached twice (a diamond) is applied once, where first met */
        for (size_t i = 0; i < l->n_seen; i++)
                if (l->seen[i].st_dev == st.st_dev && l->seen[i].st_ino == st.st_ino)
                        return 0;
        struct stat *t = realloc(l->seen, (l->n_seen + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        l->seen = t;
        l->seen[l->n_seen++] = st;

        xmlDocPtr use = l->depth > 0 ? base_cache_find(file, data, size) : NULL;
        if (!use) {
                doc = parse_xml(l, file, data, size);
                if (!doc)
                        return 0;
                r = schema_check(doc, file, l->diags);
                if (r < 0)
                        return r;
                l->problems += (unsigned) r;
                use = doc;
                if (l->depth > 0 && r == 0) {
                        r = base_cache_add(file, &data, size, &doc);
                        if (r < 0)
                                return r;
                }
        }

        root = xmlDocGetRootElement(use);
        if (!root || !streq((const char *) root->name, "sandbox"))
                return 0;

        if (l->depth == 0)
                l->profile->line = (unsigned) xmlGetLineNo(root);
        stem = profile_name_from_path(path);
        declared = xmlGetProp(root, (const xmlChar *) "name");
        if (declared && (!stem || !streq(stem, (const char *) declared))) {
                diag_add(l->diags, file, (unsigned) xmlGetLineNo(root), "<sandbox>: name \"%s\" does not match the file name; "
                         "the profile of sandbox NAME is NAME%s", (const char *) declared, PROFILE_SUFFIX);
                l->problems++;
        }

        /* Includes first, in document order; this file's own settings then
         * override single values and extend lists. */
        l->stack[l->depth++] = st;
        for (xmlNodePtr n = root->children; n; n = n->next)
                if (n->type == XML_ELEMENT_NODE && streq((const char *) n->name, "include")) {
                        r = load_include(l, n, file);
                        if (r < 0)
                                return r;
                }
        l->depth--;

        ParseContext c = { .profile = l->profile, .diags = l->diags, .file = file };
        profile_parse_settings(&c, root);
        l->problems += c.problems;
        return 0;
}

static int include_dirs_for(const char *path, char * const *search_dirs, char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        const char *slash = strrchr(path, '/');
        int dir_len = slash ? (int) (slash - path) : 1;
        char *own;

        if (asprintf(&own, "%.*s/%s", dir_len, slash ? path : ".", PROFILE_BASE_SUBDIR) < 0 || strv_consume(&dirs, own) < 0)
                return -ENOMEM;
        STRV_FOREACH(d, search_dirs) {
                char *b;
                if (asprintf(&b, "%s/%s", *d, PROFILE_BASE_SUBDIR) < 0 || strv_consume(&dirs, b) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(dirs);
        return 0;
}

int profile_load(const char *path, char * const *search_dirs, Profile **ret, Diagnostics *diags) {
        _cleanup_profile_ Profile *p = NULL;
        _cleanup_strv_free_ char **include_dirs = NULL;
        Loader l = { .diags = diags };
        int r;

        p = calloc(1, sizeof(*p));
        if (!p)
                return -ENOMEM;
        p->no_new_privileges = true;
        p->seccomp_default = true;
        p->landlock_default = true;
        p->interfaces = INTERFACES_DEFAULT;
        p->net_outbound = true;
        p->path = strdup(path);
        p->name = profile_name_from_path(path);
        if (!p->path)
                return -ENOMEM;
        if (!p->name) {
                diag_add(diags, path, 0, "the file name does not end in %s; the profile of sandbox NAME is NAME%s",
                         PROFILE_SUFFIX, PROFILE_SUFFIX);
                return -EINVAL;
        }
        if (!sandbox_name_is_valid(p->name)) {
                diag_add(diags, path, 0, "\"%s\" is not a valid sandbox name; the file name must be NAME%s with a NAME of "
                         SANDBOX_NAME_RULE, p->name, PROFILE_SUFFIX);
                return -EINVAL;
        }

        r = include_dirs_for(path, search_dirs, &include_dirs);
        if (r < 0)
                return r;
        l.profile = p;
        l.include_dirs = include_dirs;

        r = load_file(&l, path, 0, path);
        free(l.seen);
        if (r < 0)
                return r;
        l.problems += profile_check(p, diags, l.problems == 0);
        /* what systemd and the kernel would refuse at the start */
        if (l.problems == 0)
                l.problems += profile_check_limits(p, diags);
        diagnostics_sort(diags);
        if (diags->error < 0)
                return diags->error;
        if (l.problems > 0)
                return -EINVAL;
        *ret = TAKE_PTR(p);
        return 0;
}
