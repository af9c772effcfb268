/*
 * multistatus._speedups: the property loop of the XML reader, in C.
 *
 * Reader.props() in _xml.py turns the children of a DAV:prop element into
 * Property values.  This module does the same by reading the libxml2 tree that
 * lxml already parsed, instead of asking lxml for a proxy object, a tag string,
 * an attribute view, a child count and a text string per element.  It is an
 * optional accelerator: _xml.py imports it when it is there and works the same
 * without it (MULTISTATUS_PURE_PYTHON=1 forces that; tests/test_speedups.py
 * checks that both give equal values).
 *
 * It never reports an error itself.  Whenever it meets something that is not a
 * plain element, text, CDATA section, comment or processing instruction (an
 * entity reference, an XInclude marker, a prefixed name without a namespace),
 * or content nested deeper than the limit, it undoes what it appended and
 * returns False, and the Python loop, which knows how to say what is wrong and
 * where, does the work.
 *
 * Nothing here parses: the tree was made by the hardened lxml parser.  Only
 * struct fields are read (no libxml2 function is called), so the module needs
 * neither libxml2's headers nor linking against it.  The declarations below
 * are the public, long-stable layouts of libxml2's xmlNode, xmlAttr and xmlNs
 * and of lxml's _Element (lxml.etree.h); setup() checks them on a probe tree
 * before the reader uses the module.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h> /* PyMemberDef before 3.12 */

#include "../_slots.h"
#include <string.h>

/* -- libxml2 and lxml layouts (libxml/tree.h, lxml/lxml.etree.h) ---------- */

enum { NODE_ELEMENT = 1, NODE_ATTRIBUTE = 2, NODE_TEXT = 3, NODE_CDATA = 4, NODE_PI = 7, NODE_COMMENT = 8 };

typedef struct xnode xnode;
typedef struct xattr xattr;

typedef struct xns {
    struct xns *next;
    int type;
    const unsigned char *href;
    const unsigned char *prefix;
    void *_private;
    void *context;
} xns;

struct xnode {
    void *_private;
    int type;
    const unsigned char *name;
    xnode *children;
    xnode *last;
    xnode *parent;
    xnode *next;
    xnode *prev;
    void *doc;
    xns *ns;
    unsigned char *content;
    xattr *properties;
    xns *nsDef;
    void *psvi;
    unsigned short line;
    unsigned short extra;
};

struct xattr {
    void *_private;
    int type;
    const unsigned char *name;
    xnode *children;
    xnode *last;
    xnode *parent;
    xattr *next;
    xattr *prev;
    void *doc;
    xns *ns;
};

typedef struct {
    PyObject_HEAD
    void *_doc;
    xnode *_c_node;
    PyObject *_tag;
} LxmlElement;

/* -- state set by setup() --------------------------------------------------- */

static PyTypeObject *element_type;  /* lxml.etree._Element */
static PyTypeObject *property_type; /* multistatus.Property */
static PyTypeObject *model_element_type; /* multistatus.Element */
static PyTypeObject *frozenmap_type; /* multistatus._frozen.FrozenMap */
static PyObject *empty_map;         /* the shared empty FrozenMap */
static PyObject *names;             /* Clark name -> the one str object for it (see MAX_SHARED_NAME) */
static PyObject *empty_str;
static Py_ssize_t off_prop_name, off_prop_value, off_prop_lang, off_prop_attributes;
static Py_ssize_t off_el_tag, off_el_children, off_el_attributes;
static Py_ssize_t off_map_data, off_map_hash;
static PyTypeObject *propstat_type; /* multistatus.PropStat */
static PyTypeObject *response_type; /* multistatus.Response */
static PyObject *statuses;          /* the reader's status line -> Status cache */
static Py_ssize_t off_ps_props, off_ps_status, off_ps_error, off_ps_description, off_ps_extensions;
static Py_ssize_t off_r_hrefs, off_r_status, off_r_propstats, off_r_error, off_r_description, off_r_location,
    off_r_id, off_r_headers, off_r_body, off_r_extensions;

#define MAX_NAMES 4096
/* Only names up to this many bytes are kept for sharing (a namespace can be
   megabytes long; the cache lives as long as the process). */
#define MAX_SHARED_NAME 256
/* Deeper than libxml2 lets the parsers go (256 levels without huge_tree): the
   C recursion never gets near the stack's end, whatever max_depth says. */
#define MAX_C_DEPTH 1000
#define XML_NAMESPACE "http://www.w3.org/XML/1998/namespace"

/* The result of a walk that gives up: the caller falls back to Python. */
#define GIVE_UP ((PyObject *)&give_up_marker)
static int give_up_marker;

static inline void set_slot(PyObject *obj, Py_ssize_t offset, PyObject *value) /* steals value */
{
    *(PyObject **)((char *)obj + offset) = value;
}

/* A new instance of a slotted class, its slots filled by the caller. */
static inline PyObject *new_instance(PyTypeObject *type)
{
    return type->tp_alloc(type, 0);
}

/* A new instance of *type* with its slots at offsets[i] set to values[i]; the
   values are stolen, also when it fails.  The values are immutable: when none of
   the values is tracked by the cyclic garbage collector, the new one cannot be
   part of a cycle either, and is untracked (as CPython does for such tuples and
   dicts), so that no collection spends time on it. */
static PyObject *filled(PyTypeObject *type, int n, const Py_ssize_t *offsets, PyObject *const *values)
{
    PyObject *obj = new_instance(type);
    int i, acyclic = 1;
    for (i = 0; i < n; i++) {
        if (PyObject_GC_IsTracked(values[i]))
            acyclic = 0;
        if (obj != NULL)
            set_slot(obj, offsets[i], values[i]);
        else
            Py_DECREF(values[i]);
    }
    if (obj != NULL && acyclic)
        PyObject_GC_UnTrack(obj);
    return obj;
}

/* Leave *tuple* to reference counting when none of its items is tracked: what
   CPython's collector does to such tuples on its next pass, done at once so no
   pass has to look at it (a new reference in, the same out). */
static PyObject *settled(PyObject *tuple)
{
    Py_ssize_t i;
    if (tuple == NULL || tuple == GIVE_UP)
        return tuple;
    for (i = 0; i < PyTuple_GET_SIZE(tuple); i++)
        if (PyObject_GC_IsTracked(PyTuple_GET_ITEM(tuple, i)))
            return tuple;
    PyObject_GC_UnTrack(tuple);
    return tuple;
}

/* Whether *obj* refers to an object the collector tracks (its class aside). */
typedef struct {
    PyObject *type;
    int tracked;
} refs_seen;

static int visit_ref(PyObject *ref, void *arg)
{
    refs_seen *seen = (refs_seen *)arg;
    if (ref != seen->type && PyObject_GC_IsTracked(ref)) {
        seen->tracked = 1;
        return 1; /* stops the traversal */
    }
    return 0;
}

/* Untrack the immutable value *obj* when nothing it refers to is tracked (its
   class is held by its module and cannot reach a value): no cycle can pass
   through it.  For values made elsewhere (a cached Status) and for the
   propstats and responses built here. */
static void untrack_acyclic(PyObject *obj)
{
    refs_seen seen = {(PyObject *)Py_TYPE(obj), 0};
    traverseproc traverse = Py_TYPE(obj)->tp_traverse;
    if (!PyObject_GC_IsTracked(obj) || traverse == NULL)
        return;
    (void)traverse(obj, visit_ref, &seen);
    if (!seen.tracked)
        PyObject_GC_UnTrack(obj);
}

/* -- names and text ---------------------------------------------------------- */

/* "{href}local" (or "{}local"), shared with earlier equal names.  GIVE_UP for a
   prefixed name with no namespace (only the Python path reports that one). */
static PyObject *clark(const xns *ns, const unsigned char *local)
{
    char stack[256];
    const char *href = (ns != NULL && ns->href != NULL) ? (const char *)ns->href : "";
    size_t href_len = strlen(href), local_len = strlen((const char *)local);
    size_t size = href_len + local_len + 2;
    char *buffer = stack;
    PyObject *name, *shared;

    if (ns == NULL && memchr(local, ':', local_len) != NULL)
        return GIVE_UP;
    if (size > sizeof stack) {
        buffer = PyMem_Malloc(size);
        if (buffer == NULL)
            return PyErr_NoMemory();
    }
    buffer[0] = '{';
    memcpy(buffer + 1, href, href_len);
    buffer[href_len + 1] = '}';
    memcpy(buffer + href_len + 2, local, local_len);
    name = PyUnicode_DecodeUTF8(buffer, (Py_ssize_t)size, "strict");
    if (buffer != stack)
        PyMem_Free(buffer);
    if (name == NULL)
        return NULL;
    shared = PyDict_GetItemWithError(names, name);
    if (shared != NULL) {
        Py_DECREF(name);
        Py_INCREF(shared);
        return shared;
    }
    if (PyErr_Occurred() ||
        (PyDict_GET_SIZE(names) < MAX_NAMES && size <= MAX_SHARED_NAME && PyDict_SetItem(names, name, name) < 0)) {
        Py_DECREF(name);
        return NULL;
    }
    return name;
}

static inline PyObject *text_of(const xnode *node)
{
    const char *text = (const char *)node->content;
    return PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "strict");
}

/* Text runs: one piece is the common case; several (split by comments or
   processing instructions, or CDATA sections) are joined once. */
typedef struct {
    PyObject *first;  /* the only piece so far, or NULL */
    PyObject *pieces; /* a list once there are two */
} run;

static int run_add(run *r, const xnode *node)
{
    PyObject *piece;
    if (node->content == NULL || node->content[0] == '\0')
        return 0;
    piece = text_of(node);
    if (piece == NULL)
        return -1;
    if (r->first == NULL && r->pieces == NULL) {
        r->first = piece;
        return 0;
    }
    if (r->pieces == NULL) {
        r->pieces = PyList_New(1);
        if (r->pieces == NULL) {
            Py_DECREF(piece);
            return -1;
        }
        PyList_SET_ITEM(r->pieces, 0, r->first);
        r->first = NULL;
    }
    if (PyList_Append(r->pieces, piece) < 0) {
        Py_DECREF(piece);
        return -1;
    }
    Py_DECREF(piece);
    return 0;
}

/* The joined text (a new reference), NULL with no exception when empty,
   NULL with an exception on failure.  The run is empty afterwards. */
static PyObject *run_take(run *r)
{
    PyObject *text;
    if (r->pieces != NULL) {
        text = PyUnicode_Join(empty_str, r->pieces);
        Py_CLEAR(r->pieces);
        return text;
    }
    text = r->first;
    r->first = NULL;
    return text;
}

static void run_clear(run *r)
{
    Py_CLEAR(r->first);
    Py_CLEAR(r->pieces);
}

/* Whether *node* has children the Python path counts with len(): elements,
   comments, processing instructions (and kinds this module gives up on). */
static int has_child_nodes(const xnode *node)
{
    const xnode *child;
    for (child = node->children; child != NULL; child = child->next)
        if (child->type != NODE_TEXT && child->type != NODE_CDATA)
            return 1;
    return 0;
}

/* The text of a node with no such children: its text and CDATA joined. */
static PyObject *plain_text(const xnode *node)
{
    run r = {NULL, NULL};
    const xnode *child;
    for (child = node->children; child != NULL; child = child->next) {
        if (run_add(&r, child) < 0) {
            run_clear(&r);
            return NULL;
        }
    }
    return run_take(&r);
}

/* -- attributes --------------------------------------------------------------- */

static PyObject *attribute_value(const xattr *attr)
{
    run r = {NULL, NULL};
    const xnode *child;
    PyObject *value;
    for (child = attr->children; child != NULL; child = child->next) {
        if (child->type != NODE_TEXT) {
            run_clear(&r);
            return GIVE_UP;
        }
        if (run_add(&r, child) < 0) {
            run_clear(&r);
            return NULL;
        }
    }
    value = run_take(&r);
    if (value == NULL && !PyErr_Occurred()) {
        value = empty_str;
        Py_INCREF(value);
    }
    return value;
}

/* The attributes of *node* as a FrozenMap keyed by Clark name.  With *lang*
   (properties), xml:lang is taken out of them and stored in *lang. */
static PyObject *attributes_of(const xnode *node, PyObject **lang)
{
    const xattr *attr;
    PyObject *data, *key, *value;

    if (node->properties == NULL) {
        Py_INCREF(empty_map);
        return empty_map;
    }
    data = PyDict_New();
    if (data == NULL)
        return NULL;
    for (attr = node->properties; attr != NULL; attr = attr->next) {
        if (attr->type != NODE_ATTRIBUTE)
            goto give_up;
        value = attribute_value(attr);
        if (value == NULL || value == GIVE_UP) {
            Py_DECREF(data);
            return value;
        }
        if (lang != NULL && attr->ns != NULL && attr->ns->href != NULL &&
            strcmp((const char *)attr->ns->href, XML_NAMESPACE) == 0 &&
            strcmp((const char *)attr->name, "lang") == 0) {
            if (*lang != NULL) { /* a second one: libxml2 refuses it today; lxml reads the first */
                Py_DECREF(value);
                Py_DECREF(data);
                return GIVE_UP;
            }
            *lang = value;
            continue;
        }
        key = clark(attr->ns, attr->name);
        if (key == NULL || key == GIVE_UP) {
            Py_DECREF(value);
            Py_DECREF(data);
            return key;
        }
        /* Twice the same name (two prefixes for one namespace): only a streaming
           parser gets this far, and lxml reads the first one; so does Python. */
        if (PyDict_Contains(data, key) != 0 || PyDict_SetItem(data, key, value) < 0) {
            if (!PyErr_Occurred()) {
                Py_DECREF(key);
                Py_DECREF(value);
                Py_DECREF(data);
                return GIVE_UP;
            }
            Py_DECREF(key);
            Py_DECREF(value);
            Py_DECREF(data);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    if (PyDict_GET_SIZE(data) == 0) {
        Py_DECREF(data);
        Py_INCREF(empty_map);
        return empty_map;
    }
    {
        const Py_ssize_t offsets[] = {off_map_data, off_map_hash};
        PyObject *const values[] = {data, Py_None};
        Py_INCREF(Py_None);
        return filled(frozenmap_type, 2, offsets, values);
    }
give_up:
    Py_DECREF(data);
    return GIVE_UP;
}

/* -- mixed content ------------------------------------------------------------ */

static PyObject *content(const xnode *node, long depth, long max_depth);

/* The children of an element: mixed content if it has child nodes, else its text. */
static PyObject *children_of(const xnode *node, long depth, long max_depth)
{
    PyObject *text, *children;
    if (has_child_nodes(node))
        return content(node, depth + 1, max_depth);
    text = plain_text(node);
    if (text == NULL)
        return PyErr_Occurred() ? NULL : PyTuple_New(0);
    children = PyTuple_Pack(1, text);
    Py_DECREF(text);
    return settled(children);
}

/* Append to the list *out* the (prefix, name) of each namespace declaration of the
   element *node* whose name is not in the set *names* yet (and add it there); the
   empty name is skipped.  -1 with an exception. */
static int add_declarations(const xnode *node, PyObject *out, PyObject *names)
{
    const xns *ns;
    PyObject *href, *prefix, *pair;
    int known, failed;
    for (ns = node->nsDef; ns != NULL; ns = ns->next) {
        if (ns->href == NULL || ns->href[0] == '\0')
            continue;
        href = PyUnicode_DecodeUTF8((const char *)ns->href, (Py_ssize_t)strlen((const char *)ns->href), "strict");
        if (href == NULL)
            return -1;
        known = PySet_Contains(names, href);
        if (known != 0) {
            Py_DECREF(href);
            if (known < 0)
                return -1;
            continue;
        }
        prefix = ns->prefix == NULL ? PyUnicode_FromString("")
                                    : PyUnicode_DecodeUTF8((const char *)ns->prefix,
                                                           (Py_ssize_t)strlen((const char *)ns->prefix), "strict");
        pair = prefix == NULL ? NULL : PyTuple_Pack(2, prefix, href);
        Py_XDECREF(prefix);
        failed = pair == NULL || PySet_Add(names, href) < 0 || PyList_Append(out, pair) < 0;
        Py_XDECREF(pair);
        Py_DECREF(href);
        if (failed)
            return -1;
    }
    return 0;
}

/* The namespace declarations met by the walk over a document in progress (NULL: not
   collected): (prefix, name) of the first declaration of each name, in document order,
   for the reader to check when the walk has seen every element. */
static PyObject *declared, *declared_names;

/* Note the namespace declarations of the element *node*; -1 with an exception. */
static int note(const xnode *node)
{
    if (declared == NULL || node->nsDef == NULL)
        return 0;
    return add_declarations(node, declared, declared_names);
}

/* The Clark name of *node* and its attributes (lang: as attributes_of).
   0 when both are set, else -1 (an exception) or 1 (give up) with neither. */
static int name_and_attributes(const xnode *node, PyObject **name, PyObject **attributes, PyObject **lang)
{
    if (note(node) < 0)
        return -1;
    *name = clark(node->ns, node->name);
    if (*name == NULL || *name == GIVE_UP)
        return *name == NULL ? -1 : 1;
    *attributes = attributes_of(node, lang);
    if (*attributes == NULL || *attributes == GIVE_UP) {
        Py_DECREF(*name);
        if (lang != NULL)
            Py_CLEAR(*lang);
        return *attributes == NULL ? -1 : 1;
    }
    return 0;
}

static PyObject *model_element(const xnode *node, long depth, long max_depth)
{
    PyObject *tag, *attributes, *children;
    int status = name_and_attributes(node, &tag, &attributes, NULL);

    if (status != 0)
        return status < 0 ? NULL : GIVE_UP;
    children = children_of(node, depth, max_depth);
    if (children == NULL || children == GIVE_UP) {
        Py_DECREF(tag);
        Py_DECREF(attributes);
        return children;
    }
    {
        const Py_ssize_t offsets[] = {off_el_tag, off_el_children, off_el_attributes};
        PyObject *const values[] = {tag, children, attributes};
        return filled(model_element_type, 3, offsets, values);
    }
}

static int append_stolen(PyObject *list, PyObject *item)
{
    int status = PyList_Append(list, item);
    Py_DECREF(item);
    return status;
}

/* Append the text run so far (if any) to *out*; -1 with an exception. */
static int flush_run(run *r, PyObject *out)
{
    PyObject *text = run_take(r);
    if (text == NULL)
        return PyErr_Occurred() ? -1 : 0;
    return append_stolen(out, text);
}

/* Mixed content of *node* at nesting *depth*: text runs and Elements. */
static PyObject *content(const xnode *node, long depth, long max_depth)
{
    run r = {NULL, NULL};
    const xnode *child;
    PyObject *out, *item, *result;

    if ((max_depth >= 0 && depth > max_depth) || depth > MAX_C_DEPTH)
        return GIVE_UP;
    out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (child = node->children; child != NULL; child = child->next) {
        switch (child->type) {
        case NODE_TEXT:
        case NODE_CDATA:
            if (run_add(&r, child) < 0)
                goto fail;
            break;
        case NODE_COMMENT:
        case NODE_PI:
            break;
        case NODE_ELEMENT:
            if (flush_run(&r, out) < 0)
                goto fail;
            item = model_element(child, depth, max_depth);
            if (item == NULL)
                goto fail;
            if (item == GIVE_UP)
                goto give_up;
            if (append_stolen(out, item) < 0)
                goto fail;
            break;
        default:
            goto give_up;
        }
    }
    if (flush_run(&r, out) < 0)
        goto fail;
    result = settled(PyList_AsTuple(out));
    Py_DECREF(out);
    return result;
give_up:
    run_clear(&r);
    Py_DECREF(out);
    return GIVE_UP;
fail:
    run_clear(&r);
    Py_DECREF(out);
    return NULL;
}

/* -- properties ---------------------------------------------------------------- */

/* The value of a property element: "" when empty, its text when text only,
   else its mixed content (as _model.content_value gives). */
static PyObject *property_value(const xnode *node, long depth, long max_depth)
{
    PyObject *value, *only;
    if (!has_child_nodes(node)) {
        value = plain_text(node);
        if (value == NULL && !PyErr_Occurred()) {
            value = empty_str;
            Py_INCREF(value);
        }
        return value;
    }
    value = content(node, depth + 1, max_depth);
    if (value == NULL || value == GIVE_UP)
        return value;
    if (PyTuple_GET_SIZE(value) == 0) {
        Py_DECREF(value);
        Py_INCREF(empty_str);
        return empty_str;
    }
    if (PyTuple_GET_SIZE(value) == 1 && PyUnicode_CheckExact(PyTuple_GET_ITEM(value, 0))) {
        only = PyTuple_GET_ITEM(value, 0);
        Py_INCREF(only);
        Py_DECREF(value);
        return only;
    }
    return value;
}

/* The reader's memo for the call in progress (borrowed; NULL: none): Clark name ->
   {text: Property} for properties of plain text, no attributes and no xml:lang,
   so that a document's equal properties are one immutable value.  Empty values
   are never shared (a propstat of another status than 2xx makes them None in place). */
static PyObject *memo;
#define MEMO_NAMES 64  /* names remembered per reader */
#define MEMO_VALUES 64 /* values remembered per name */
#define MEMO_TEXT 256  /* the longest text remembered */

/* The Property remembered for (name, text) (a new reference), NULL if none. */
static PyObject *remembered(PyObject *name, PyObject *text)
{
    PyObject *values, *prop;
    if (memo == NULL || PyUnicode_GET_LENGTH(text) == 0 || PyUnicode_GET_LENGTH(text) > MEMO_TEXT)
        return NULL;
    values = PyDict_GetItemWithError(memo, name); /* (str keys: no error) */
    if (values == NULL)
        return NULL;
    prop = PyDict_GetItemWithError(values, text);
    Py_XINCREF(prop);
    return prop;
}

/* Remember *prop* (plain text, no attributes, no lang) while there is room; -1 with an exception. */
static int remember(PyObject *prop, PyObject *name, PyObject *text)
{
    PyObject *values;
    int status;
    if (memo == NULL || PyUnicode_GET_LENGTH(text) == 0 || PyUnicode_GET_LENGTH(text) > MEMO_TEXT)
        return 0;
    values = PyDict_GetItemWithError(memo, name);
    if (values == NULL) {
        if (PyDict_GET_SIZE(memo) >= MEMO_NAMES)
            return 0;
        if ((values = PyDict_New()) == NULL)
            return -1;
        status = PyDict_SetItem(memo, name, values);
        Py_DECREF(values);
        if (status < 0)
            return -1;
    }
    if (PyDict_GET_SIZE(values) >= MEMO_VALUES)
        return 0;
    return PyDict_SetItem(values, text, prop);
}

static PyObject *property(const xnode *node, long depth, long max_depth, PyObject *inherited_lang)
{
    PyObject *name, *lang = NULL, *attributes, *value;
    int status = name_and_attributes(node, &name, &attributes, &lang);

    if (status != 0)
        return status < 0 ? NULL : GIVE_UP;
    if (lang == NULL) {
        lang = inherited_lang;
        Py_INCREF(lang);
    }
    value = property_value(node, depth, max_depth);
    if (value == NULL || value == GIVE_UP) {
        Py_DECREF(name);
        Py_DECREF(lang);
        Py_DECREF(attributes);
        return value;
    }
    if (lang == Py_None && attributes == empty_map && PyUnicode_CheckExact(value)) {
        PyObject *known = remembered(name, value);
        if (known != NULL) {
            Py_DECREF(name);
            Py_DECREF(value);
            Py_DECREF(lang);
            Py_DECREF(attributes);
            return known;
        }
        if (PyErr_Occurred())
            goto fail;
        {
            const Py_ssize_t offsets[] = {off_prop_name, off_prop_value, off_prop_lang, off_prop_attributes};
            PyObject *const values[] = {name, value, lang, attributes};
            PyObject *prop = filled(property_type, 4, offsets, values);
            if (prop != NULL && remember(prop, SLOT(prop, off_prop_name), SLOT(prop, off_prop_value)) < 0)
                Py_CLEAR(prop);
            return prop;
        }
    }
    {
        const Py_ssize_t offsets[] = {off_prop_name, off_prop_value, off_prop_lang, off_prop_attributes};
        PyObject *const values[] = {name, value, lang, attributes};
        return filled(property_type, 4, offsets, values);
    }
fail:
    Py_DECREF(name);
    Py_DECREF(value);
    Py_DECREF(lang);
    Py_DECREF(attributes);
    return NULL;
}

static xnode *node_of(PyObject *el)
{
    if (!PyObject_TypeCheck(el, element_type)) {
        PyErr_Format(PyExc_TypeError, "expected an lxml element, not %.100s", Py_TYPE(el)->tp_name);
        return NULL;
    }
    if (((LxmlElement *)el)->_c_node == NULL) {
        PyErr_SetString(PyExc_ValueError, "the lxml element has no node");
        return NULL;
    }
    return ((LxmlElement *)el)->_c_node;
}

/* Drop the items of *list* from index *size* on (what this call appended). */
static int cut_back(PyObject *list, Py_ssize_t size)
{
    return PyList_SetSlice(list, size, PyList_GET_SIZE(list), NULL);
}

/* Append a Property for each child element of *parent* (a DAV:prop at nesting
   *depth*) to *out*, and its name to *seen* unless that is NULL: 1 when done,
   0 to give up (both lists as they were), -1 with an exception (likewise). */
static int props_into(const xnode *parent, long depth, long max_depth, PyObject *lang, PyObject *out,
                      PyObject *seen)
{
    const xnode *child;
    PyObject *prop, *name;
    Py_ssize_t out_start = PyList_GET_SIZE(out), seen_start = seen == NULL ? 0 : PyList_GET_SIZE(seen);

    for (child = parent->children; child != NULL; child = child->next) {
        if (child->type != NODE_ELEMENT) {
            if (child->type == NODE_TEXT || child->type == NODE_CDATA || child->type == NODE_COMMENT ||
                child->type == NODE_PI)
                continue; /* whitespace, comments and PIs between properties */
            goto give_up;
        }
        prop = property(child, depth, max_depth, lang);
        if (prop == NULL)
            goto fail;
        if (prop == GIVE_UP)
            goto give_up;
        name = *(PyObject **)((char *)prop + off_prop_name);
        if (PyList_Append(out, prop) < 0 || (seen != NULL && PyList_Append(seen, name) < 0)) {
            Py_DECREF(prop);
            goto fail;
        }
        Py_DECREF(prop);
    }
    return 1;
give_up:
    if (cut_back(out, out_start) < 0 || (seen != NULL && cut_back(seen, seen_start) < 0))
        return -1;
    return 0;
fail:
    /* An exception (memory): leave the lists as they were, then report it. */
    {
        PyObject *type, *value, *traceback;
        PyErr_Fetch(&type, &value, &traceback);
        (void)cut_back(out, out_start);
        if (seen != NULL)
            (void)cut_back(seen, seen_start);
        PyErr_Restore(type, value, traceback);
    }
    return -1;
}

PyDoc_STRVAR(props_doc,
"props(prop, depth, max_depth, lang, out, names) -> bool\n\n"
"Append a Property for each child element of the lxml element *prop* to the\n"
"list *out* and its name to the list *names*, as Reader.props does; *depth* is\n"
"the nesting depth of *prop*, *max_depth* the limit (-1: none), *lang* the\n"
"inherited xml:lang (or None).  False, with both lists as they were, when the\n"
"Python loop must do it instead.");

static PyObject *py_props(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    const xnode *parent;
    PyObject *lang, *out, *seen;
    long depth, max_depth;
    int done;

    (void)module;
    if (property_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "multistatus._speedups.setup() was not called");
        return NULL;
    }
    if (nargs != 6 && nargs != 7) {
        PyErr_Format(PyExc_TypeError, "props() takes 6 arguments and a memo (%zd given)", nargs);
        return NULL;
    }
    parent = node_of(args[0]);
    if (parent == NULL)
        return NULL;
    depth = PyLong_AsLong(args[1]);
    if (depth == -1 && PyErr_Occurred())
        return NULL;
    max_depth = PyLong_AsLong(args[2]);
    if (max_depth == -1 && PyErr_Occurred())
        return NULL;
    lang = args[3];
    out = args[4];
    seen = args[5];
    if (!PyList_CheckExact(out) || !PyList_CheckExact(seen) || !(lang == Py_None || PyUnicode_Check(lang))) {
        PyErr_SetString(PyExc_TypeError, "props() wants two lists and a str or None for lang");
        return NULL;
    }
    {
        PyObject *before = memo, *outer_declared = declared;
        memo = nargs == 7 && PyDict_CheckExact(args[6]) ? args[6] : NULL;
        declared = NULL; /* (not a walk over a whole document) */
        done = props_into(parent, depth, max_depth, lang, out, seen);
        memo = before;
        declared = outer_declared;
    }
    if (done < 0)
        return NULL;
    return PyBool_FromLong(done);
}

/* -- propstats and responses ------------------------------------------------------ */

/* Whether *node* is the DAV: element *local*. */
static int is_dav(const xnode *node, const char *local)
{
    return node->ns != NULL && node->ns->href != NULL && strcmp((const char *)node->ns->href, "DAV:") == 0 &&
           strcmp((const char *)node->name, local) == 0;
}

/* Nodes the Python walks pass over between the parts of a response or propstat. */
static int skipped(const xnode *node)
{
    return node->type == NODE_TEXT || node->type == NODE_CDATA || node->type == NODE_COMMENT ||
           node->type == NODE_PI;
}

/* The plain text of *node* (no child elements, comments or PIs), or GIVE_UP;
   never empty. */
static PyObject *simple_text(const xnode *node)
{
    PyObject *text;
    if (has_child_nodes(node))
        return GIVE_UP;
    text = plain_text(node);
    if (text == NULL)
        return PyErr_Occurred() ? NULL : GIVE_UP;
    return text;
}

/* The cached Status for the text of a DAV:status element (a new reference), or
   GIVE_UP for anything the Python walk must parse (and then caches). */
static PyObject *status_of(const xnode *node)
{
    PyObject *text = simple_text(node), *status;
    if (text == NULL || text == GIVE_UP)
        return text;
    status = PyDict_GetItemWithError(statuses, text); /* borrowed */
    Py_DECREF(text);
    if (status == NULL)
        return PyErr_Occurred() ? NULL : GIVE_UP;
    untrack_acyclic(status); /* an int and a str: once, for every value holding it */
    Py_INCREF(status);
    return status;
}

/* Whether *status* (a Status) is a 2xx one; -1 with an exception. */
static int success(PyObject *status)
{
    PyObject *code = PyObject_GetAttrString(status, "code");
    long value;
    if (code == NULL)
        return -1;
    value = PyLong_AsLong(code);
    Py_DECREF(code);
    if (value == -1 && PyErr_Occurred())
        return -1;
    return value >= 200 && value < 300;
}

/* A DAV:propstat holding DAV:prop elements and one cached DAV:status, nothing
   else and no attributes: as Reader.propstat builds it.  *count* gets the
   number of properties added. */
static PyObject *propstat(const xnode *node, long depth, long max_depth, PyObject *lang, Py_ssize_t *count)
{
    const xnode *child;
    PyObject *props, *status = NULL, *tuple;
    Py_ssize_t i;
    int ok;

    if (node->properties != NULL)
        return GIVE_UP; /* xml:lang (or another attribute) on the propstat */
    props = PyList_New(0);
    if (props == NULL)
        return NULL;
    for (child = node->children; child != NULL; child = child->next) {
        if (child->type != NODE_ELEMENT) {
            if (skipped(child))
                continue;
            goto give_up;
        }
        if (note(child) < 0)
            goto fail;
        if (is_dav(child, "prop") && child->properties == NULL) {
            ok = props_into(child, depth + 1, max_depth, lang, props, NULL);
            if (ok <= 0) {
                if (ok < 0)
                    goto fail;
                goto give_up;
            }
        }
        else if (is_dav(child, "status") && status == NULL) {
            status = status_of(child);
            if (status == NULL)
                goto fail;
            if (status == GIVE_UP) {
                status = NULL;
                goto give_up;
            }
        }
        else
            goto give_up; /* an error, a description, an extension, a second status */
    }
    if (status == NULL)
        goto give_up;
    ok = success(status);
    if (ok < 0)
        goto fail;
    if (!ok) {
        /* The canonical empty value: "" only under a 2xx status (see Property). */
        for (i = 0; i < PyList_GET_SIZE(props); i++) {
            PyObject *prop = PyList_GET_ITEM(props, i);
            PyObject **slot = (PyObject **)((char *)prop + off_prop_value);
            if (PyUnicode_Check(*slot) && PyUnicode_GET_LENGTH(*slot) == 0) {
                Py_INCREF(Py_None);
                Py_SETREF(*slot, Py_None);
            }
        }
    }
    *count = PyList_GET_SIZE(props);
    tuple = settled(PyList_AsTuple(props));
    Py_DECREF(props);
    if (tuple == NULL) {
        Py_DECREF(status);
        return NULL;
    }
    {
        const Py_ssize_t offsets[] = {off_ps_props, off_ps_status, off_ps_error, off_ps_description, off_ps_extensions};
        PyObject *const values[] = {tuple, status, Py_NewRef(Py_None), Py_NewRef(Py_None), PyTuple_New(0)};
        PyObject *result;
        if (values[4] == NULL) {
            Py_DECREF(tuple);
            Py_DECREF(status);
            return NULL;
        }
        result = filled(propstat_type, 5, offsets, values);
        return result;
    }
give_up:
    Py_XDECREF(status);
    Py_DECREF(props);
    return GIVE_UP;
fail:
    Py_XDECREF(status);
    Py_DECREF(props);
    return NULL;
}

/* Whether the str *text* starts or ends with whitespace (str.strip would change it). */
static int padded(PyObject *text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    return n == 0 || Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, 0)) ||
           Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, n - 1));
}

/* A limit from the reader's tuple: -1 is none. */
static int over(Py_ssize_t count, long limit)
{
    return limit >= 0 && count > limit;
}

PyDoc_STRVAR(response_doc,
"response(response, depth, lang, limits) -> Response | None\n\n"
"The Response for the lxml element *response* at nesting *depth*, as\n"
"Reader.response builds it, when it holds only hrefs, propstats of properties\n"
"and a status, or one status, each in its plain form and within *limits*\n"
"(max_depth, max_hrefs, max_propstats, max_properties; -1: none).  None when\n"
"the Python walk must do it (anything else, and every error: it says which).");

typedef struct {
    long max_depth, max_hrefs, max_propstats, max_properties;
} limits_t;

/* The limits of the reader's tuple (max_depth, max_hrefs, max_propstats, max_properties); -1 with an exception. */
static int limits_of(PyObject *limits, limits_t *out)
{
    if (!PyTuple_CheckExact(limits) || PyTuple_GET_SIZE(limits) != 4) {
        PyErr_SetString(PyExc_TypeError, "the limits are a tuple of 4 ints");
        return -1;
    }
    out->max_depth = PyLong_AsLong(PyTuple_GET_ITEM(limits, 0));
    out->max_hrefs = PyLong_AsLong(PyTuple_GET_ITEM(limits, 1));
    out->max_propstats = PyLong_AsLong(PyTuple_GET_ITEM(limits, 2));
    out->max_properties = PyLong_AsLong(PyTuple_GET_ITEM(limits, 3));
    return PyErr_Occurred() ? -1 : 0;
}

/* The Response of the DAV:response *node* at nesting *depth*, GIVE_UP, or NULL with an exception. */
static PyObject *response_of(const xnode *node, long depth, PyObject *lang, const limits_t *limits)
{
    const xnode *child;
    PyObject *hrefs = NULL, *propstats = NULL, *status = NULL, *item;
    long max_depth = limits->max_depth, max_hrefs = limits->max_hrefs, max_propstats = limits->max_propstats,
         max_properties = limits->max_properties;
    Py_ssize_t count, properties = 0;

    if (node->properties != NULL)
        return GIVE_UP; /* xml:lang (or another attribute) on the response */
    if (note(node) < 0)
        return NULL;
    if ((hrefs = PyList_New(0)) == NULL || (propstats = PyList_New(0)) == NULL)
        goto fail;
    for (child = node->children; child != NULL; child = child->next) {
        if (child->type != NODE_ELEMENT) {
            if (skipped(child))
                continue;
            goto give_up;
        }
        if (note(child) < 0)
            goto fail;
        if (is_dav(child, "href")) {
            item = simple_text(child);
            if (item == NULL)
                goto fail;
            if (item == GIVE_UP)
                goto give_up;
            if (padded(item)) {
                Py_DECREF(item);
                goto give_up;
            }
            if (append_stolen(hrefs, item) < 0)
                goto fail;
            if (over(PyList_GET_SIZE(hrefs), max_hrefs))
                goto give_up;
        }
        else if (is_dav(child, "propstat")) {
            count = 0;
            item = propstat(child, depth + 1, max_depth, lang, &count);
            if (item == NULL)
                goto fail;
            if (item == GIVE_UP)
                goto give_up;
            if (append_stolen(propstats, item) < 0)
                goto fail;
            properties += count;
            if (over(PyList_GET_SIZE(propstats), max_propstats))
                goto give_up;
        }
        else if (is_dav(child, "status") && status == NULL) {
            status = status_of(child);
            if (status == NULL)
                goto fail;
            if (status == GIVE_UP) {
                status = NULL;
                goto give_up;
            }
        }
        else
            goto give_up;
    }
    /* What the Python walk reports as errors, it reports: no href, both forms, several hrefs with propstats. */
    if (PyList_GET_SIZE(hrefs) == 0 || (status != NULL && PyList_GET_SIZE(propstats) > 0) ||
        (PyList_GET_SIZE(propstats) > 0 && PyList_GET_SIZE(hrefs) > 1) || over(properties, max_properties))
        goto give_up;
    {
        const Py_ssize_t offsets[] = {off_r_hrefs,    off_r_status, off_r_propstats, off_r_error,   off_r_description,
                                      off_r_location, off_r_id,     off_r_headers,   off_r_body,    off_r_extensions};
        PyObject *values[10];
        PyObject *result;
        values[0] = settled(PyList_AsTuple(hrefs));
        values[2] = settled(PyList_AsTuple(propstats));
        Py_CLEAR(hrefs);
        Py_CLEAR(propstats);
        values[9] = PyTuple_New(0);
        if (values[0] == NULL || values[2] == NULL || values[9] == NULL) {
            Py_XDECREF(values[0]);
            Py_XDECREF(values[2]);
            Py_XDECREF(values[9]);
            Py_XDECREF(status);
            return NULL;
        }
        values[1] = status == NULL ? Py_NewRef(Py_None) : status;
        values[3] = Py_NewRef(Py_None);
        values[4] = Py_NewRef(Py_None);
        values[5] = Py_NewRef(Py_None);
        values[6] = Py_NewRef(Py_None);
        values[7] = Py_NewRef(empty_map);
        values[8] = Py_NewRef(Py_None);
        result = filled(response_type, 10, offsets, values);
        return result;
    }
give_up:
    Py_XDECREF(status);
    Py_XDECREF(hrefs);
    Py_XDECREF(propstats);
    return GIVE_UP;
fail:
    Py_XDECREF(status);
    Py_XDECREF(hrefs);
    Py_XDECREF(propstats);
    return NULL;
}


static PyObject *py_response(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    const xnode *node;
    limits_t limits;
    long depth;
    PyObject *result;

    (void)module;
    if (response_type == NULL || property_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "multistatus._speedups.setup() was not called");
        return NULL;
    }
    if ((nargs != 4 && nargs != 5) || !PyTuple_CheckExact(args[3]) || PyTuple_GET_SIZE(args[3]) != 4 ||
        !(args[2] == Py_None || PyUnicode_Check(args[2]))) {
        PyErr_SetString(PyExc_TypeError, "response() takes an element, a depth, a lang and a tuple of 4 limits");
        return NULL;
    }
    node = node_of(args[0]);
    if (node == NULL)
        return NULL;
    depth = PyLong_AsLong(args[1]);
    if ((depth == -1 && PyErr_Occurred()) || limits_of(args[3], &limits) < 0)
        return NULL;
    {
        PyObject *before = memo, *outer_declared = declared;
        memo = nargs == 5 && PyDict_CheckExact(args[4]) ? args[4] : NULL;
        declared = NULL; /* (not a walk over a whole document) */
        result = response_of(node, depth, args[2], &limits);
        memo = before;
        declared = outer_declared;
    }
    if (result == GIVE_UP)
        Py_RETURN_NONE;
    return result;
}

/* How many children of the root the walk leaves to Python before it stops: each is
   found again by index (lxml walks the siblings to it). */
#define MAX_LEFT 16

PyDoc_STRVAR(responses_doc,
"responses(root, lang, limits, max_responses, memo) -> tuple[list, int, int, list]\n\n"
"The children of the DAV:multistatus element *root* as Reader.multistatus\n"
"reads them, from the first: a Response for each response the C walk builds,\n"
"the index (as lxml counts children) of each child Python must read, none for\n"
"comments and processing instructions; and the index of the first child not\n"
"covered (it stops at the response over *max_responses*, -1: none, and after\n"
"16 children left to Python); how many children it left to Python; and the\n"
"(prefix, namespace name) of the first declaration of each name it met (all\n"
"of the document's when it left nothing to Python).");

static PyObject *py_responses(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    const xnode *root, *child;
    limits_t limits;
    long max_responses;
    Py_ssize_t index = 0, count = 0, left = 0;
    PyObject *items, *item, *before, *outer_declared = declared, *outer_names = declared_names;
    PyObject *own_declared = NULL, *own_names = NULL;

    (void)module;
    if (response_type == NULL || property_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "multistatus._speedups.setup() was not called");
        return NULL;
    }
    if ((nargs != 4 && nargs != 5) || !(args[1] == Py_None || PyUnicode_Check(args[1]))) {
        PyErr_SetString(PyExc_TypeError, "responses() takes the root, a lang, a tuple of 4 limits and an int");
        return NULL;
    }
    root = node_of(args[0]);
    if (root == NULL || limits_of(args[2], &limits) < 0)
        return NULL;
    max_responses = PyLong_AsLong(args[3]);
    if (max_responses == -1 && PyErr_Occurred())
        return NULL;
    items = PyList_New(0);
    if (items == NULL)
        return NULL;
    /* The memo and the declarations of this walk, in place of those of a walk this one
       interrupts (a finalizer run by a collection may parse another document), and
       put back at the end. */
    before = memo;
    memo = nargs == 5 && PyDict_CheckExact(args[4]) ? args[4] : NULL;
    own_declared = PyList_New(0);
    own_names = PySet_New(NULL);
    declared = own_declared;
    declared_names = own_names;
    if (own_declared == NULL || own_names == NULL || note(root) < 0)
        goto fail;
    for (child = root->children; child != NULL && left <= MAX_LEFT; child = child->next) {
        if (child->type != NODE_ELEMENT) {
            if (child->type == NODE_COMMENT || child->type == NODE_PI || child->type == 5 /* entity reference */)
                index++; /* (lxml counts them as children; Python passes over them) */
            continue;
        }
        item = NULL;
        if (is_dav(child, "response")) {
            if (max_responses >= 0 && count >= max_responses)
                break; /* Python reports it */
            count++;
            item = response_of(child, 2, args[1], &limits);
            if (item == NULL)
                goto fail;
            if (item == GIVE_UP)
                item = NULL;
        }
        if (item == NULL) {
            left++;
            item = PyLong_FromSsize_t(index);
            if (item == NULL)
                goto fail;
        }
        if (append_stolen(items, item) < 0)
            goto fail;
        index++;
    }
    memo = before;
    declared = outer_declared;
    declared_names = outer_names;
    {
        PyObject *result = Py_BuildValue("(NnnO)", items, index, left, own_declared);
        Py_DECREF(own_declared);
        Py_DECREF(own_names);
        return result;
    }
fail:
    memo = before;
    declared = outer_declared;
    declared_names = outer_names;
    Py_DECREF(items);
    Py_XDECREF(own_declared);
    Py_XDECREF(own_names);
    return NULL;
}

/* -- namespace declarations ------------------------------------------------------- */

PyDoc_STRVAR(namespaces_doc,
"namespaces(root) -> list[tuple[str, str]]\n\n"
"The (prefix, namespace name) of each namespace declaration in the tree under\n"
"the lxml element *root*, in document order, the first for each name only and\n"
"none for the empty name (what etree.iterwalk's start-ns events give, less the\n"
"repeats); prefix is '' for a default namespace.");

static PyObject *py_namespaces(PyObject *module, PyObject *root_el)
{
    const xnode *root, *node;
    PyObject *out, *seen;

    (void)module;
    root = node_of(root_el);
    if (root == NULL)
        return NULL;
    out = PyList_New(0);
    seen = PySet_New(NULL);
    if (out == NULL || seen == NULL)
        goto fail;
    node = root;
    while (node != NULL) {
        if (add_declarations(node, out, seen) < 0)
            goto fail;
        /* the next element in document order: first child, else next sibling, else up */
        if (node->children != NULL && node->children->type == NODE_ELEMENT) {
            node = node->children;
            continue;
        }
        if (node->children != NULL) {
            const xnode *child = node->children;
            while (child != NULL && child->type != NODE_ELEMENT)
                child = child->next;
            if (child != NULL) {
                node = child;
                continue;
            }
        }
        while (node != NULL && node != root) {
            const xnode *next = node->next;
            while (next != NULL && next->type != NODE_ELEMENT)
                next = next->next;
            if (next != NULL) {
                node = next;
                break;
            }
            node = node->parent;
        }
        if (node == root)
            break;
    }
    Py_DECREF(seen);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(seen);
    return NULL;
}

/* -- setup ------------------------------------------------------------------------ */

PyDoc_STRVAR(setup_doc,
"setup(lxml_element, Property, Element, FrozenMap, empty, PropStat, Response, statuses) -> None\n\n"
"Hand the module the classes it builds (it fills their slots directly) and the\n"
"reader's cache of status lines (a dict of str to Status).");

static PyObject *py_setup(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 8) {
        PyErr_Format(PyExc_TypeError, "setup() takes 8 arguments (%zd given)", nargs);
        return NULL;
    }
    if (take_type(args[0], &element_type, "lxml_element") < 0 || take_type(args[1], &property_type, "Property") < 0 ||
        take_type(args[2], &model_element_type, "Element") < 0 || take_type(args[3], &frozenmap_type, "FrozenMap") < 0 ||
        take_type(args[5], &propstat_type, "PropStat") < 0 || take_type(args[6], &response_type, "Response") < 0)
        goto fail;
    if (!PyDict_CheckExact(args[7])) {
        PyErr_SetString(PyExc_TypeError, "setup(): statuses must be a dict");
        goto fail;
    }
    Py_INCREF(args[7]);
    Py_XSETREF(statuses, args[7]);
    if (element_type->tp_basicsize < (Py_ssize_t)sizeof(LxmlElement)) {
        PyErr_SetString(PyExc_TypeError, "setup(): the lxml element layout is not the expected one");
        goto fail;
    }
    if (!PyObject_TypeCheck(args[4], frozenmap_type)) {
        PyErr_SetString(PyExc_TypeError, "setup(): empty must be a FrozenMap");
        goto fail;
    }
    Py_INCREF(args[4]);
    Py_XSETREF(empty_map, args[4]);
    if ((off_prop_name = slot_offset(property_type, "name")) < 0 ||
        (off_prop_value = slot_offset(property_type, "value")) < 0 ||
        (off_prop_lang = slot_offset(property_type, "lang")) < 0 ||
        (off_prop_attributes = slot_offset(property_type, "attributes")) < 0 ||
        (off_el_tag = slot_offset(model_element_type, "tag")) < 0 ||
        (off_el_children = slot_offset(model_element_type, "children")) < 0 ||
        (off_el_attributes = slot_offset(model_element_type, "attributes")) < 0 ||
        (off_map_data = slot_offset(frozenmap_type, "_data")) < 0 ||
        (off_map_hash = slot_offset(frozenmap_type, "_hash")) < 0 ||
        (off_ps_props = slot_offset(propstat_type, "props")) < 0 ||
        (off_ps_status = slot_offset(propstat_type, "status")) < 0 ||
        (off_ps_error = slot_offset(propstat_type, "error")) < 0 ||
        (off_ps_description = slot_offset(propstat_type, "description")) < 0 ||
        (off_ps_extensions = slot_offset(propstat_type, "extensions")) < 0 ||
        (off_r_hrefs = slot_offset(response_type, "hrefs")) < 0 ||
        (off_r_status = slot_offset(response_type, "status")) < 0 ||
        (off_r_propstats = slot_offset(response_type, "propstats")) < 0 ||
        (off_r_error = slot_offset(response_type, "error")) < 0 ||
        (off_r_description = slot_offset(response_type, "description")) < 0 ||
        (off_r_location = slot_offset(response_type, "location")) < 0 ||
        (off_r_id = slot_offset(response_type, "id")) < 0 ||
        (off_r_headers = slot_offset(response_type, "headers")) < 0 ||
        (off_r_body = slot_offset(response_type, "body")) < 0 ||
        (off_r_extensions = slot_offset(response_type, "extensions")) < 0)
        goto fail;
    {
        /* The shared empty map holds an empty dict: no cycle can pass through it. */
        PyObject *data = *(PyObject **)((char *)empty_map + off_map_data);
        if (data != NULL && !PyObject_GC_IsTracked(data))
            PyObject_GC_UnTrack(empty_map);
    }
    Py_RETURN_NONE;
fail:
    Py_CLEAR(property_type); /* props() and response() refuse to run */
    Py_CLEAR(response_type);
    return NULL;
}

static PyMethodDef methods[] = {
    {"props", (PyCFunction)(void (*)(void))py_props, METH_FASTCALL, props_doc},
    {"response", (PyCFunction)(void (*)(void))py_response, METH_FASTCALL, response_doc},
    {"responses", (PyCFunction)(void (*)(void))py_responses, METH_FASTCALL, responses_doc},
    {"namespaces", (PyCFunction)py_namespaces, METH_O, namespaces_doc},
    {"setup", (PyCFunction)(void (*)(void))py_setup, METH_FASTCALL, setup_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "multistatus._xml._speedups",
    .m_doc = "The property loop of the XML reader, in C (optional; see _xml.py).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__speedups(void)
{
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    if (names == NULL && (names = PyDict_New()) == NULL)
        goto fail;
    if (empty_str == NULL && (empty_str = PyUnicode_FromStringAndSize("", 0)) == NULL)
        goto fail;
    return module;
fail:
    Py_DECREF(module);
    return NULL;
}
