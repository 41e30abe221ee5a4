/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>

#include "buffer.h"
#include "schema.h"

extern const char sandbox_rng[];
extern const size_t sandbox_rng_size;

/* Sized for sandbox.rng with room to grow; schema_compile() fails loudly
 * (-E2BIG) if the grammar ever outgrows them. */
#define NAME_LEN 32
#define MAX_ELEMENTS 80
#define MAX_ATTRS 12
#define MAX_CHILDREN 24
#define MAX_VALUES 12

typedef struct AttrRule {
        char name[NAME_LEN];
        bool required;
        int choice; /* > 0: exactly one attribute of this group is required */
        unsigned n_values;
        char values[MAX_VALUES][NAME_LEN];
} AttrRule;

typedef struct ChildRule {
        char name[NAME_LEN];
        bool multiple;
        unsigned element; /* its rule, in Schema.elements */
} ChildRule;

/* One rule per <element> of the grammar: two elements of one name in
 * different places (<seccomp>'s <allow syscall=> and <network>'s <allow
 * address=>) are two rules */
typedef struct ElementRule {
        char name[NAME_LEN];
        xmlNodePtr definition; /* in Schema.grammar */
        bool text;
        unsigned n_attrs, n_children;
        AttrRule attrs[MAX_ATTRS];
        ChildRule children[MAX_CHILDREN];
} ElementRule;

typedef struct Schema {
        ElementRule elements[MAX_ELEMENTS];
        unsigned n_elements;
        int n_choices;
        char start[NAME_LEN];
        xmlDocPtr grammar;
        xmlRelaxNGPtr rng;
        int error;
} Schema;

static Schema *schema;

typedef struct Walk {
        ElementRule *element;
        AttrRule *attr;
        bool optional, multiple;
        int choice;
} Walk;

static bool node_is(xmlNodePtr n, const char *name) {
        return n->type == XML_ELEMENT_NODE && streq((const char *) n->name, name);
}

static int copy_name(char dst[NAME_LEN], xmlNodePtr n) {
        _cleanup_free_ xmlChar *v = xmlGetProp(n, (const xmlChar *) "name");

        if (!v || strlen((const char *) v) >= NAME_LEN)
                return -E2BIG;
        strcpy(dst, (const char *) v);
        return 0;
}

static ElementRule *schema_element(Schema *s, xmlNodePtr definition) {
        for (unsigned i = 0; i < s->n_elements; i++)
                if (s->elements[i].definition == definition)
                        return &s->elements[i];
        return NULL;
}

static xmlNodePtr grammar_define(Schema *s, const char *name) {
        xmlNodePtr root = xmlDocGetRootElement(s->grammar);

        for (xmlNodePtr n = root->children; n; n = n->next) {
                _cleanup_free_ xmlChar *v = NULL;

                if (!node_is(n, "define"))
                        continue;
                v = xmlGetProp(n, (const xmlChar *) "name");
                if (v && streq((const char *) v, name))
                        return n;
        }
        return NULL;
}

static int walk_grammar(Schema *s, xmlNodePtr n, Walk w);

static int walk_children(Schema *s, xmlNodePtr parent, Walk w) {
        for (xmlNodePtr c = parent->children; c; c = c->next) {
                int r = walk_grammar(s, c, w);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int walk_element(Schema *s, xmlNodePtr n, Walk w) {
        ElementRule *e;
        ChildRule *c = NULL;
        char name[NAME_LEN];
        int r;

        r = copy_name(name, n);
        if (r < 0)
                return r;
        if (w.element) {
                if (w.element->n_children >= MAX_CHILDREN)
                        return -E2BIG;
                c = &w.element->children[w.element->n_children++];
                strcpy(c->name, name);
                c->multiple = w.multiple;
        } else
                strcpy(s->start, name);

        /* an element of a <define> used in several places is one rule */
        e = schema_element(s, n);
        if (e) {
                if (c)
                        c->element = (unsigned) (e - s->elements);
                return 0;
        }
        if (s->n_elements >= MAX_ELEMENTS)
                return -E2BIG;
        e = &s->elements[s->n_elements++];
        strcpy(e->name, name);
        e->definition = n;
        if (c)
                c->element = (unsigned) (e - s->elements);
        return walk_children(s, n, (Walk) { .element = e });
}

static int walk_attribute(Schema *s, xmlNodePtr n, Walk w) {
        AttrRule *a;
        int r;

        if (!w.element || w.element->n_attrs >= MAX_ATTRS)
                return -E2BIG;
        a = &w.element->attrs[w.element->n_attrs++];
        r = copy_name(a->name, n);
        if (r < 0)
                return r;
        a->required = !w.optional && w.choice == 0;
        a->choice = w.optional ? 0 : w.choice;
        w.attr = a;
        return walk_children(s, n, w);
}

static int walk_grammar(Schema *s, xmlNodePtr n, Walk w) {
        if (n->type != XML_ELEMENT_NODE)
                return 0;

        if (node_is(n, "element"))
                return walk_element(s, n, w);
        if (node_is(n, "attribute"))
                return walk_attribute(s, n, w);
        if (node_is(n, "optional") || node_is(n, "zeroOrMore") || node_is(n, "oneOrMore")) {
                w.optional = w.optional || !node_is(n, "oneOrMore");
                w.multiple = w.multiple || !node_is(n, "optional");
                return walk_children(s, n, w);
        }
        if (node_is(n, "choice")) {
                if (!w.attr && !w.optional)
                        w.choice = ++s->n_choices;
                return walk_children(s, n, w);
        }
        if (node_is(n, "interleave") || node_is(n, "group"))
                return walk_children(s, n, w);
        if (node_is(n, "ref")) {
                _cleanup_free_ xmlChar *v = xmlGetProp(n, (const xmlChar *) "name");
                xmlNodePtr d = v ? grammar_define(s, (const char *) v) : NULL;

                return d ? walk_children(s, d, w) : -EINVAL;
        }
        if (node_is(n, "text") || node_is(n, "data")) {
                if (!w.attr && w.element)
                        w.element->text = true;
                return 0;
        }
        if (node_is(n, "value")) {
                _cleanup_free_ xmlChar *v = xmlNodeGetContent(n);

                if (!w.attr || w.attr->n_values >= MAX_VALUES || !v || strlen((const char *) v) >= NAME_LEN)
                        return -E2BIG;
                strcpy(w.attr->values[w.attr->n_values++], (const char *) v);
                return 0;
        }
        if (node_is(n, "start"))
                return walk_children(s, n, w);
        return -EINVAL; /* a pattern this walker does not understand */
}

static int schema_compile(void) {
        xmlRelaxNGParserCtxtPtr pctx;
        xmlNodePtr root;
        Schema *s;
        int r = -EINVAL;

        if (schema)
                return schema->error;
        schema = s = calloc(1, sizeof(*s));
        if (!s)
                return -ENOMEM;

        s->grammar = xmlReadMemory(sandbox_rng, (int) sandbox_rng_size, "sandbox.rng", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
        root = s->grammar ? xmlDocGetRootElement(s->grammar) : NULL;
        for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next)
                if (node_is(n, "start"))
                        r = walk_grammar(s, n, (Walk) {});
        if (r < 0)
                return (s->error = r);

        pctx = xmlRelaxNGNewDocParserCtxt(s->grammar);
        if (!pctx)
                return (s->error = -ENOMEM);
        s->rng = xmlRelaxNGParse(pctx);
        xmlRelaxNGFreeParserCtxt(pctx);
        return (s->error = s->rng ? 0 : -EINVAL);
}

void schema_release(void) {
        if (!schema)
                return;
        if (schema->rng)
                xmlRelaxNGFree(schema->rng);
        if (schema->grammar)
                xmlFreeDoc(schema->grammar);
        free(schema);
        schema = NULL;
}

/* "a, b, c" */
static void append_list(Buffer *b, const char *item, bool first, bool angle) {
        if (!first)
                buffer_append(b, ", ");
        buffer_printf(b, angle ? "<%s>" : "%s", item);
}

static unsigned line_of(xmlNodePtr n) {
        long l = xmlGetLineNo(n);
        return l > 0 ? (unsigned) l : 0;
}

typedef struct Check {
        const char *file;
        Diagnostics *diags;
        unsigned problems;
} Check;

#define problem(c, n, ...)                                                  \
        do {                                                                \
                diag_add((c)->diags, (c)->file, line_of(n), __VA_ARGS__);   \
                (c)->problems++;                                            \
        } while (0)

static void check_attributes(Check *c, xmlNodePtr n, const ElementRule *e) {
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
                const char *name = (const char *) a->name;
                const AttrRule *rule = NULL;
                _cleanup_free_ xmlChar *v = NULL;

                if (a->ns) {
                        problem(c, n, "<%s>: attribute \"%s%s%s\" has an XML namespace; profile attributes have none",
                                e->name, a->ns->prefix ? (const char *) a->ns->prefix : "", a->ns->prefix ? ":" : "", name);
                        continue;
                }

                for (unsigned i = 0; i < e->n_attrs && !rule; i++)
                        if (!a->ns && streq(e->attrs[i].name, name))
                                rule = &e->attrs[i];
                if (!rule) {
                        _cleanup_buffer_ Buffer b = {};
                        for (unsigned i = 0; i < e->n_attrs; i++)
                                append_list(&b, e->attrs[i].name, i == 0, false);
                        if (e->n_attrs == 0)
                                problem(c, n, "<%s>: unknown attribute \"%s\"; <%s> takes no attributes", e->name, name, e->name);
                        else
                                problem(c, n, "<%s>: unknown attribute \"%s\"; allowed: %s", e->name, name, b.data ? b.data : "");
                        continue;
                }
                if (rule->n_values == 0)
                        continue;
                v = xmlNodeGetContent((xmlNodePtr) a);
                bool ok = false;
                for (unsigned i = 0; i < rule->n_values && v && !ok; i++)
                        ok = streq(rule->values[i], (const char *) v);
                if (!ok) {
                        _cleanup_buffer_ Buffer b = {};
                        for (unsigned i = 0; i < rule->n_values; i++)
                                append_list(&b, rule->values[i], i == 0, false);
                        problem(c, n, "<%s>: %s=\"%s\" is not allowed; allowed: %s", e->name, name, v ? (const char *) v : "", b.data ? b.data : "");
                }
        }

        for (unsigned i = 0; i < e->n_attrs; i++) {
                const AttrRule *rule = &e->attrs[i];
                unsigned found = 0;

                if (rule->required && !xmlHasProp(n, (const xmlChar *) rule->name))
                        problem(c, n, "<%s>: attribute \"%s\" is missing", e->name, rule->name);
                if (rule->choice == 0 || (i > 0 && e->attrs[i - 1].choice == rule->choice))
                        continue;
                /* the first attribute of a required choice reports the group */
                _cleanup_buffer_ Buffer b = {};
                for (unsigned j = i; j < e->n_attrs && e->attrs[j].choice == rule->choice; j++) {
                        found += xmlHasProp(n, (const xmlChar *) e->attrs[j].name) ? 1 : 0;
                        append_list(&b, e->attrs[j].name, j == i, false);
                }
                if (found != 1)
                        problem(c, n, "<%s>: needs exactly one of the attributes %s", e->name, b.data ? b.data : "");
        }
}

static void check_element(Check *c, xmlNodePtr n, const ElementRule *e) {
        unsigned counts[MAX_CHILDREN] = {};

        check_attributes(c, n, e);

        for (xmlNodePtr k = n->children; k; k = k->next) {
                const ChildRule *rule = NULL;
                unsigned idx = 0;

                if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
                        _cleanup_free_ xmlChar *t = xmlNodeGetContent(k);
                        const char *s = (const char *) t;

                        if (!e->text && s && s[strspn(s, " \t\r\n")])
                                problem(c, k, "<%s>: unexpected text; <%s> takes no text", e->name, e->name);
                        continue;
                }
                if (k->type == XML_ENTITY_REF_NODE) {
                        problem(c, k, "<%s>: entity reference &%s; is not allowed; write the text itself", e->name, (const char *) k->name);
                        continue;
                }
                if (k->type != XML_ELEMENT_NODE)
                        continue; /* comments, processing instructions */

                if (k->ns) {
                        problem(c, k, "<%s%s%s>: element in XML namespace \"%s\"; profile elements have no namespace",
                                k->ns->prefix ? (const char *) k->ns->prefix : "", k->ns->prefix ? ":" : "",
                                (const char *) k->name, k->ns->href ? (const char *) k->ns->href : "");
                        continue;
                }
                for (unsigned i = 0; i < e->n_children && !rule; i++)
                        if (streq(e->children[i].name, (const char *) k->name))
                                rule = &e->children[idx = i];
                if (!rule) {
                        _cleanup_buffer_ Buffer b = {};
                        for (unsigned i = 0; i < e->n_children; i++)
                                append_list(&b, e->children[i].name, i == 0, true);
                        if (e->n_children == 0)
                                problem(c, k, "<%s>: unknown element in <%s>; <%s> takes no elements", (const char *) k->name, e->name, e->name);
                        else
                                problem(c, k, "<%s>: unknown element in <%s>; allowed here: %s", (const char *) k->name, e->name, b.data ? b.data : "");
                        continue;
                }
                if (++counts[idx] == 2 && !rule->multiple)
                        problem(c, k, "<%s>: given more than once in <%s>; at most one is allowed", rule->name, e->name);
                check_element(c, k, &schema->elements[rule->element]);
        }
}

typedef struct RngErrors {
        Check *check;
        unsigned reported;
} RngErrors;

static void rng_error(void *userdata, xmlErrorPtr err) {
        RngErrors *e = userdata;

        /* Only the first: libxml2 reports one mismatch as a cascade. */
        if (e->reported++ > 0 || !err || !err->message)
                return;
        diag_add_text(e->check->diags, e->check->file, err->line > 0 ? (unsigned) err->line : 0,
                      "does not match the profile schema (", err->message, "); see sandbox.profile(5)");
        e->check->problems++;
}

int schema_check(xmlDocPtr doc, const char *file, Diagnostics *diags) {
        Check c = { .file = file, .diags = diags };
        xmlNodePtr root = xmlDocGetRootElement(doc);
        int r;

        r = schema_compile();
        if (r < 0)
                return r;

        if (!root) {
                diag_add(diags, file, 0, "the document has no root element; a profile is a <%s> element", schema->start);
                return 1;
        }
        if (root->ns) {
                problem(&c, root, "<%s%s%s>: root element in XML namespace \"%s\"; profile elements have no namespace",
                        root->ns->prefix ? (const char *) root->ns->prefix : "", root->ns->prefix ? ":" : "",
                        (const char *) root->name, root->ns->href ? (const char *) root->ns->href : "");
                return (int) c.problems;
        }
        if (!streq((const char *) root->name, schema->start)) {
                problem(&c, root, "<%s>: wrong root element; a profile's root element is <%s>", (const char *) root->name, schema->start);
                return (int) c.problems;
        }
        check_element(&c, root, &schema->elements[0]);

        /* The walk knows every rule the grammar states element by element;
         * the validator is the authority for anything it does not. */
        if (c.problems == 0) {
                RngErrors errors = { .check = &c };
                xmlRelaxNGValidCtxtPtr v = xmlRelaxNGNewValidCtxt(schema->rng);

                if (!v)
                        return -ENOMEM;
                xmlRelaxNGSetValidStructuredErrors(v, rng_error, &errors);
                r = xmlRelaxNGValidateDoc(v, doc);
                xmlRelaxNGFreeValidCtxt(v);
                if (r != 0 && c.problems == 0) {
                        diag_add(diags, file, line_of(root), "does not match the profile schema; see sandbox.profile(5)");
                        c.problems++;
                }
        }
        return (int) c.problems;
}
