/*
 * multistatus._xml._cwriter: the property writer of the XML writer, in C.
 *
 * Writer.propstat() in _writer.py writes each property of a DAV:prop as text.
 * For properties, element content and whole responses whose every name the
 * writer has given a qualified name (Writer._qnames: Clark name -> "prefix:local"),
 * or can give one as Writer._qname would (its namespace has a prefix, or is a
 * well-known one whose declaration goes on the root), this module writes the
 * same text in one call; for anything else (a namespace that needs a new ns<N>
 * prefix, a status not met yet, a JSON value) it answers None and the Python
 * writer does the work.  The tests compare both outputs byte for byte.
 *
 * Escaping is the writer's: & < > and carriage return in text; in attribute
 * values also the double quote, newline and tab.  The model has already
 * refused every character XML 1.0 cannot carry.  It is optional: without a C
 * compiler the build leaves it out (MULTISTATUS_PURE_PYTHON=1 switches it off).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h> /* PyMemberDef before 3.12 */

#include "../_slots.h"
#include <string.h>

static PyTypeObject *property_type;
static PyTypeObject *element_type;
static PyTypeObject *frozenmap_type;
static Py_ssize_t off_prop_name, off_prop_value, off_prop_lang, off_prop_attributes;
static Py_ssize_t off_el_tag, off_el_children, off_el_attributes;
static Py_ssize_t off_map_data;
static PyTypeObject *propstat_type, *response_type, *error_type, *status_type;
static Py_ssize_t off_ps_props, off_ps_status, off_ps_error, off_ps_description, off_ps_extensions;
static Py_ssize_t off_r_hrefs, off_r_status, off_r_propstats, off_r_error, off_r_description, off_r_location,
    off_r_id, off_r_headers, off_r_body, off_r_extensions;
static Py_ssize_t off_err_conditions, off_err_problem, off_st_code, off_st_reason;
static PyObject *problem_ns; /* "{urn:ietf:rfc:7807}": problem members are elements of this namespace */

/* Deeper than the model lets element content go (MAX_NESTING): never reached
   for a valid value, and the C recursion stays far from the stack's end. */
#define MAX_C_DEPTH 256



/* Whether every slot of a value of the library's classes is set (one made with
   object.__new__ and never set up is not: Python reports it); one function per class. */
#define SET(obj, offset) (SLOT(obj, offset) != NULL)
static inline int whole_property_type(PyObject *o)
{
    return SET(o, off_prop_name) && SET(o, off_prop_value) && SET(o, off_prop_lang) && SET(o, off_prop_attributes);
}
static inline int whole_element_type(PyObject *o)
{
    return SET(o, off_el_tag) && SET(o, off_el_children) && SET(o, off_el_attributes);
}
static inline int whole_frozenmap_type(PyObject *o) { return SET(o, off_map_data); }
static inline int whole_propstat_type(PyObject *o)
{
    return SET(o, off_ps_props) && SET(o, off_ps_status) && SET(o, off_ps_error) && SET(o, off_ps_description) &&
           SET(o, off_ps_extensions);
}
static inline int whole_response_type(PyObject *o)
{
    return SET(o, off_r_hrefs) && SET(o, off_r_status) && SET(o, off_r_propstats) && SET(o, off_r_error) &&
           SET(o, off_r_description) && SET(o, off_r_location) && SET(o, off_r_id) && SET(o, off_r_headers) &&
           SET(o, off_r_body) && SET(o, off_r_extensions);
}
static inline int whole_error_type(PyObject *o) { return SET(o, off_err_conditions) && SET(o, off_err_problem); }
static inline int whole_status_type(PyObject *o) { return SET(o, off_st_code) && SET(o, off_st_reason); }

/* *obj* is a whole value of exactly *type* (one of the classes above, by its variable's name). */
#define IS(obj, type) (Py_TYPE(obj) == (type) && whole_##type(obj))

/* -- an output buffer of UTF-8 ------------------------------------------------------ */

/* The text written so far, as UTF-8 bytes (a lone surrogate as its three bytes,
   as "surrogatepass" writes it: take() reads it back into the same str). */
typedef struct {
    char *data;
    Py_ssize_t len, cap;
    int surrogates; /* a string held a lone surrogate (UTF-8 cannot encode it: the bytes writers give up) */
} buffer;

static int reserve(buffer *b, Py_ssize_t more)
{
    Py_ssize_t need = b->len + more, cap;
    char *data;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 16384;
    while (cap < need) {
        if (cap > PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return -1;
        }
        cap *= 2;
    }
    data = PyMem_Realloc(b->data, (size_t)cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

#ifndef Py_ALWAYS_INLINE
#define Py_ALWAYS_INLINE
#endif
static inline Py_ALWAYS_INLINE int put_bytes(buffer *b, const char *text, Py_ssize_t n)
{
    if (b->len + n > b->cap && reserve(b, n) < 0)
        return -1;
    memcpy(b->data + b->len, text, (size_t)n);
    b->len += n;
    return 0;
}

static int put_ascii(buffer *b, const char *text)
{
    return put_bytes(b, text, (Py_ssize_t)strlen(text));
}

/* A string literal, its length known when compiling. */
#define PUT(b, literal) put_bytes((b), (literal), (Py_ssize_t)sizeof(literal) - 1)

/* The character *c* in UTF-8 (room for 4 bytes reserved by the caller). */
static inline void put_char(buffer *b, Py_UCS4 c)
{
    unsigned char *p = (unsigned char *)b->data + b->len;
    if (c < 0x80) {
        p[0] = (unsigned char)c;
        b->len += 1;
    }
    else if (c < 0x800) {
        p[0] = (unsigned char)(0xc0 | (c >> 6));
        p[1] = (unsigned char)(0x80 | (c & 0x3f));
        b->len += 2;
    }
    else if (c < 0x10000) {
        p[0] = (unsigned char)(0xe0 | (c >> 12));
        p[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        p[2] = (unsigned char)(0x80 | (c & 0x3f));
        b->len += 3;
    }
    else {
        p[0] = (unsigned char)(0xf0 | (c >> 18));
        p[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
        p[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        p[3] = (unsigned char)(0x80 | (c & 0x3f));
        b->len += 4;
    }
}

/* The characters of the str *text* from *i* that need no escaping (by the
   table *special*, for one-byte characters; 0 for every other): copied as one
   run when *text* is ASCII.  Returns the index of the first one not copied. */
static inline Py_ssize_t put_run(buffer *b, PyObject *text, Py_ssize_t i, const unsigned char *special)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), k;
    const Py_UCS1 *src;
    char *dest;
    if (!PyUnicode_IS_ASCII(text))
        return i;
    src = PyUnicode_1BYTE_DATA(text) + i;
    dest = b->data + b->len; /* (room for n reserved by the caller) */
    for (k = 0; k < n - i && !special[src[k]]; k++)
        dest[k] = (char)src[k];
    b->len += k;
    return i + k;
}

/* The ASCII characters XML text escapes, and those an attribute value escapes. */
static const unsigned char xml_special[256] = {
    ['&'] = 1, ['<'] = 1, ['>'] = 1, ['\r'] = 1,
};
static const unsigned char xml_attr_special[256] = {
    ['&'] = 1, ['<'] = 1, ['>'] = 1, ['\r'] = 1, ['"'] = 1, ['\n'] = 1, ['\t'] = 1,
};
static const unsigned char no_special[256] = {0};

/* The str *text*, escaped as text (attr == 0) or as a double-quoted attribute value. */
static int put_str(buffer *b, PyObject *text, int escape, int attr)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (PyUnicode_IS_ASCII(text) && (!escape || !attr)) {
        /* ASCII: copied whole, or as far as the first character text escapes (libc's
           strcspn: the str ends with a NUL; a NUL inside stops it early, and the loop
           below goes on from there) */
        const char *src = (const char *)PyUnicode_1BYTE_DATA(text);
        if (escape && n <= 48) { /* short (an href, an id): copied and checked in one pass */
            if (b->len + n > b->cap && reserve(b, n) < 0)
                return -1;
            i = put_run(b, text, 0, xml_special);
        }
        else {
            i = escape ? (Py_ssize_t)strcspn(src, "&<>\r") : n;
            if (i > n)
                i = n;
            if (put_bytes(b, src, i) < 0)
                return -1;
        }
        if (i == n)
            return 0;
    }
    else
        i = 0;
    if (reserve(b, 4 * (n - i)) < 0)
        return -1;
    i = put_run(b, text, i, !escape ? no_special : attr ? xml_attr_special : xml_special);
    for (; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        const char *entity = NULL;
        if (escape) {
            switch (c) {
            case '&': entity = "&amp;"; break;
            case '<': entity = "&lt;"; break;
            case '>': entity = "&gt;"; break;
            case '\r': entity = "&#13;"; break;
            case '"': entity = attr ? "&quot;" : NULL; break;
            case '\n': entity = attr ? "&#10;" : NULL; break;
            case '\t': entity = attr ? "&#9;" : NULL; break;
            default: break;
            }
        }
        if (entity != NULL) {
            if (put_ascii(b, entity) < 0 || reserve(b, 4 * (n - i)) < 0)
                return -1;
            continue;
        }
        if (Py_UNICODE_IS_SURROGATE(c))
            b->surrogates = 1; /* (refused by the model: only a value forced past it) */
        put_char(b, c);
    }
    return 0;
}

/* The buffer as a str (UTF-8 read back, a lone surrogate included). */
static PyObject *take(buffer *b)
{
    return PyUnicode_DecodeUTF8(b->data ? b->data : "", b->len, "surrogatepass");
}

/* The decimal digits of *value*. */
static int put_long(buffer *b, long value)
{
    char digits[24];
    int i = (int)sizeof digits;
    unsigned long rest = value < 0 ? 0UL - (unsigned long)value : (unsigned long)value;
    digits[--i] = '\0';
    do {
        digits[--i] = (char)('0' + rest % 10);
        rest /= 10;
    } while (rest);
    if (value < 0)
        digits[--i] = '-';
    return put_bytes(b, digits + i, (Py_ssize_t)sizeof digits - 1 - i);
}

/* -- elements and properties ------------------------------------------------------ */

#define GIVE_UP 1 /* a return value: the Python writer must do it */

/* The writer's names: its qualified names (*qnames*, Clark name -> "prefix:local") and, to give
   a name it has not met one of its own, its prefixes (namespace -> prefix; NULL: learn none)
   and the list that takes the root declaration of a well-known namespace met here first
   (NULL: declare none, as when streaming, where the root is written already). */
typedef struct {
    PyObject *qnames, *prefixes, *decls;
    /* met in this call (borrowed; nothing here runs Python code that could drop them): */
    PyObject *rest_qname;        /* the qualified name of rest_id */
    PyObject *last_code, *last_status; /* the code of the last <D:status> written, and its text */
} names;

static PyObject *well_known; /* namespace -> its usual prefix (_writer.WELL_KNOWN) */
static PyObject *rest_id;    /* "{library namespace}id": the prefix of a batch item's id and headers */

/* Whether *prefixes* gives some namespace the prefix *prefix*. */
static int prefix_taken(PyObject *prefixes, PyObject *prefix)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(prefixes, &pos, &key, &value))
        if (!PyUnicode_CheckExact(value) || PyUnicode_Compare(value, prefix) == 0)
            return 1;
    return 0;
}

static int put_str(buffer *b, PyObject *text, int escape, int attr);

/* ' xmlns:prefix="namespace"', as Writer._qname declares a namespace on the root. */
static PyObject *declaration(PyObject *prefix, PyObject *uri)
{
    buffer b = {NULL, 0, 0, 0};
    PyObject *text = NULL;
    if (PUT(&b, " xmlns:") == 0 && put_str(&b, prefix, 0, 0) == 0 && PUT(&b, "=\"") == 0 &&
        put_str(&b, uri, 1, 1) == 0 && PUT(&b, "\"") == 0)
        text = take(&b);
    PyMem_Free(b.data);
    return text;
}

/* Clark name -> (namespace, prefix, qualified name, declaration) for names of well-known
   namespaces, which every writer names alike (under the usual prefix): met once a process,
   then learn() only looks them up.  Bounded: past USUAL_NAMES_MAX names, the rest are
   named the long way each time. */
static PyObject *usual_names;
#define USUAL_NAMES_MAX 4096

#define THE_LONG_WAY 2 /* a return value of learn_usual(): this writer gives the namespace another prefix */

/* Name *name* as the entry *known* of usual_names says: 0; GIVE_UP when the namespace needs a
   declaration this writer cannot make (streaming, or its usual prefix taken); THE_LONG_WAY. */
static int learn_usual(names *n, PyObject *name, PyObject *known, PyObject **qname)
{
    PyObject *uri = PyTuple_GET_ITEM(known, 0), *prefix = PyTuple_GET_ITEM(known, 1);
    PyObject *made = PyTuple_GET_ITEM(known, 2), *given = PyDict_GetItemWithError(n->prefixes, uri);
    if (given == NULL) {
        if (PyErr_Occurred())
            return -1;
        if (n->decls == NULL || prefix_taken(n->prefixes, prefix))
            return GIVE_UP;
        if (PyDict_SetItem(n->prefixes, uri, prefix) < 0 || PyList_Append(n->decls, PyTuple_GET_ITEM(known, 3)) < 0)
            return -1;
    }
    else if (given != prefix && (!PyUnicode_CheckExact(given) || PyUnicode_Compare(given, prefix) != 0))
        return THE_LONG_WAY;
    if (PyDict_SetItem(n->qnames, name, made) < 0)
        return -1;
    *qname = made; /* (borrowed: usual_names and the writer's dict hold it) */
    return 0;
}

/* Remember how *name* was named (its namespace *uri* is a well-known one, under its usual
   *prefix*), for the writers that meet it next. */
static int remember_usual(PyObject *name, PyObject *uri, PyObject *prefix, PyObject *made, PyObject *decl)
{
    PyObject *entry;
    int status;
    if (usual_names == NULL && (usual_names = PyDict_New()) == NULL)
        return -1;
    if (PyDict_GET_SIZE(usual_names) >= USUAL_NAMES_MAX)
        return 0;
    if (decl == NULL) {
        if ((decl = declaration(prefix, uri)) == NULL)
            return -1;
    }
    else
        Py_INCREF(decl);
    entry = PyTuple_Pack(4, uri, prefix, made, decl);
    Py_DECREF(decl);
    if (entry == NULL)
        return -1;
    status = PyDict_SetItem(usual_names, name, entry);
    Py_DECREF(entry);
    return status;
}

/* Give the Clark *name* its qualified name as Writer._qname does, when its namespace has a
   prefix already or, collecting declarations, is a well-known one whose usual prefix is free
   (the declaration goes to n->decls); GIVE_UP for any other (Python numbers new prefixes). */
static int learn(names *n, PyObject *name, PyObject **qname)
{
    Py_ssize_t len = PyUnicode_GET_LENGTH(name), end;
    PyObject *uri, *prefix, *usual, *local, *made, *decl = NULL, *known;
    int status = GIVE_UP;
    if (n->prefixes == NULL || len < 2 || PyUnicode_READ_CHAR(name, 0) != '{')
        return GIVE_UP;
    if (usual_names != NULL && (known = PyDict_GetItemWithError(usual_names, name)) != NULL &&
        (status = learn_usual(n, name, known, qname)) != THE_LONG_WAY)
        return status;
    if (PyErr_Occurred())
        return -1;
    status = GIVE_UP;
    end = PyUnicode_FindChar(name, '}', 1, len, 1);
    if (end < 0)
        return end == -1 ? GIVE_UP : -1;
    if ((uri = PyUnicode_Substring(name, 1, end)) == NULL)
        return -1;
    prefix = PyDict_GetItemWithError(n->prefixes, uri);
    usual = well_known == NULL || PyErr_Occurred() ? NULL : PyDict_GetItemWithError(well_known, uri);
    if (PyErr_Occurred() || (usual != NULL && !PyUnicode_CheckExact(usual)))
        goto done;
    if (prefix == NULL) {
        if (n->decls == NULL || usual == NULL || prefix_taken(n->prefixes, usual))
            goto done;
        prefix = usual;
        if ((decl = declaration(prefix, uri)) == NULL)
            goto fail;
        if (PyDict_SetItem(n->prefixes, uri, prefix) < 0 || PyList_Append(n->decls, decl) < 0)
            goto fail;
    }
    if (!PyUnicode_CheckExact(prefix))
        goto done;
    if ((local = PyUnicode_Substring(name, end + 1, len)) == NULL)
        goto fail;
    made = PyUnicode_GET_LENGTH(prefix) ? PyUnicode_FromFormat("%U:%U", prefix, local) : Py_NewRef(local);
    Py_DECREF(local);
    if (made == NULL || PyDict_SetItem(n->qnames, name, made) < 0 ||
        (usual != NULL && PyUnicode_Compare(prefix, usual) == 0 &&
         remember_usual(name, uri, usual, made, decl) < 0)) {
        Py_XDECREF(made);
        goto fail;
    }
    *qname = made; /* (borrowed: the writer's dict holds it) */
    Py_DECREF(made);
    status = 0;
    goto done;
fail:
    status = -1;
done:
    Py_DECREF(uri);
    Py_XDECREF(decl);
    if (status == GIVE_UP && PyErr_Occurred())
        status = -1;
    return status;
}

/* The qualified name of *name* (borrowed) in *qname*: 0, GIVE_UP (Python must name it) or -1. */
static int qname_of(names *n, PyObject *name, PyObject **qname)
{
    if (!PyUnicode_CheckExact(name))
        return GIVE_UP;
    *qname = PyDict_GetItemWithError(n->qnames, name);
    if (*qname != NULL)
        return PyUnicode_CheckExact(*qname) ? 0 : GIVE_UP;
    return PyErr_Occurred() ? -1 : learn(n, name, qname);
}

/* ' qname="value"' for each attribute of the FrozenMap *attributes*. */
static int put_attributes(buffer *b, names *n, PyObject *attributes)
{
    PyObject *data, *key, *value, *qname;
    Py_ssize_t pos = 0;
    int status;
    if (!IS(attributes, frozenmap_type))
        return GIVE_UP;
    data = SLOT(attributes, off_map_data);
    if (data == NULL || !PyDict_CheckExact(data))
        return GIVE_UP;
    while (PyDict_Next(data, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(value))
            return GIVE_UP;
        if ((status = qname_of(n, key, &qname)) != 0)
            return status;
        if (PUT(b, " ") < 0 || put_str(b, qname, 0, 0) < 0 || PUT(b, "=\"") < 0 ||
            put_str(b, value, 1, 1) < 0 || PUT(b, "\"") < 0)
            return -1;
    }
    return 0;
}

static int put_content(buffer *b, names *n, PyObject *content, int depth);

/* <qname attrs/> or <qname attrs>content</qname>; *content* a str, a tuple, or NULL/None/"" for empty. */
static int put_element(buffer *b, names *n, PyObject *name, PyObject *attributes, PyObject *lang,
                       PyObject *content, int depth)
{
    PyObject *qname;
    int status;
    if (name == NULL || attributes == NULL || content == NULL)
        return GIVE_UP;
    if ((status = qname_of(n, name, &qname)) != 0)
        return status;
    if (PUT(b, "<") < 0 || put_str(b, qname, 0, 0) < 0)
        return -1;
    status = put_attributes(b, n, attributes);
    if (status != 0)
        return status;
    if (lang != NULL && lang != Py_None) {
        if (!PyUnicode_CheckExact(lang))
            return GIVE_UP;
        if (PUT(b, " xml:lang=\"") < 0 || put_str(b, lang, 1, 1) < 0 || PUT(b, "\"") < 0)
            return -1;
    }
    if (content == NULL || content == Py_None ||
        ((PyUnicode_CheckExact(content) || PyTuple_CheckExact(content)) && PyObject_Length(content) == 0))
        return PUT(b, "/>");
    if (PUT(b, ">") < 0)
        return -1;
    if (PyUnicode_CheckExact(content))
        status = put_str(b, content, 1, 0);
    else if (PyTuple_CheckExact(content))
        status = put_content(b, n, content, depth + 1);
    else
        status = GIVE_UP;
    if (status != 0)
        return status;
    if (PUT(b, "</") < 0 || put_str(b, qname, 0, 0) < 0 || PUT(b, ">") < 0)
        return -1;
    return 0;
}

/* Mixed content: each str escaped, each Element written. */
static int put_content(buffer *b, names *n, PyObject *content, int depth)
{
    Py_ssize_t i;
    int status;
    if (depth > MAX_C_DEPTH)
        return GIVE_UP;
    for (i = 0; i < PyTuple_GET_SIZE(content); i++) {
        PyObject *item = PyTuple_GET_ITEM(content, i);
        if (PyUnicode_CheckExact(item))
            status = put_str(b, item, 1, 0);
        else if (IS(item, element_type))
            status = put_element(b, n, SLOT(item, off_el_tag), SLOT(item, off_el_attributes), NULL,
                                 SLOT(item, off_el_children), depth);
        else
            status = GIVE_UP;
        if (status != 0)
            return status;
    }
    return 0;
}

/* The properties of a propstat, as Writer.propstat writes them. */
static int put_props(buffer *b, names *n, PyObject *props)
{
    Py_ssize_t i;
    int status;
    if (!PyTuple_CheckExact(props))
        return GIVE_UP;
    for (i = 0; i < PyTuple_GET_SIZE(props); i++) {
        PyObject *prop = PyTuple_GET_ITEM(props, i);
        if (!IS(prop, property_type))
            return GIVE_UP;
        status = put_element(b, n, SLOT(prop, off_prop_name), SLOT(prop, off_prop_attributes),
                             SLOT(prop, off_prop_lang), SLOT(prop, off_prop_value), 0);
        if (status != 0)
            return status;
    }
    return 0;
}

/* The <D:status> element of a Status with its standard phrase, from the writer's cache
   (the last one met again: no lookup). */
static int put_status(buffer *b, names *n, PyObject *statuses, PyObject *status)
{
    PyObject *text, *code;
    if (!IS(status, status_type) || SLOT(status, off_st_reason) != Py_None ||
        !PyLong_CheckExact(code = SLOT(status, off_st_code)))
        return GIVE_UP; /* (an int subclass could run Python code in the lookup) */
    if (code == n->last_code)
        text = n->last_status;
    else {
        text = PyDict_GetItemWithError(statuses, code);
        if (text == NULL)
            return PyErr_Occurred() ? -1 : GIVE_UP;
        if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_ASCII(text))
            return GIVE_UP;
        n->last_code = code;
        n->last_status = text;
    }
    return put_bytes(b, (const char *)PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text));
}

/* <open>escaped text</close>, for text that is not None (open and close: string literals). */
#define PUT_WRAPPED(b, open, text, close) \
    put_wrapped((b), (open), sizeof(open) - 1, (text), (close), sizeof(close) - 1)
static inline int put_wrapped(buffer *b, const char *open, Py_ssize_t open_len, PyObject *text, const char *close,
                              Py_ssize_t close_len)
{
    if (text == Py_None)
        return 0;
    if (!PyUnicode_CheckExact(text))
        return GIVE_UP;
    if (put_bytes(b, open, open_len) < 0 || put_str(b, text, 1, 0) < 0 || put_bytes(b, close, close_len) < 0)
        return -1;
    return 0;
}

/* A tuple of Elements (extensions, conditions). */
static int put_elements(buffer *b, names *n, PyObject *elements)
{
    Py_ssize_t i;
    int status;
    if (!PyTuple_CheckExact(elements))
        return GIVE_UP;
    for (i = 0; i < PyTuple_GET_SIZE(elements); i++) {
        PyObject *item = PyTuple_GET_ITEM(elements, i);
        if (!IS(item, element_type))
            return GIVE_UP;
        status = put_element(b, n, SLOT(item, off_el_tag), SLOT(item, off_el_attributes), NULL,
                             SLOT(item, off_el_children), 0);
        if (status != 0)
            return status;
    }
    return 0;
}

/* <D:error>: the conditions, then each problem member whose value is a str. */
static int put_error(buffer *b, names *n, PyObject *error)
{
    PyObject *problem, *data, *key, *value, *name, *qname;
    Py_ssize_t pos = 0;
    int status;
    if (error == Py_None)
        return 0;
    if (!IS(error, error_type))
        return GIVE_UP;
    problem = SLOT(error, off_err_problem);
    if (!IS(problem, frozenmap_type) || (data = SLOT(problem, off_map_data)) == NULL || !PyDict_CheckExact(data))
        return GIVE_UP;
    if (PUT(b, "<D:error>") < 0)
        return -1;
    status = put_elements(b, n, SLOT(error, off_err_conditions));
    if (status != 0)
        return status;
    while (PyDict_Next(data, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyUnicode_CheckExact(value))
            return GIVE_UP; /* a JSON value: the Python writer dumps it */
        name = PyUnicode_Concat(problem_ns, key);
        if (name == NULL)
            return -1;
        status = qname_of(n, name, &qname);
        Py_DECREF(name); /* (the writer's dict holds it once named) */
        if (status != 0)
            return status;
        if (PUT(b, "<") < 0 || put_str(b, qname, 0, 0) < 0 || PUT(b, ">") < 0 ||
            put_str(b, value, 1, 0) < 0 || PUT(b, "</") < 0 || put_str(b, qname, 0, 0) < 0 ||
            PUT(b, ">") < 0)
            return -1;
    }
    return PUT(b, "</D:error>");
}

static int put_propstat(buffer *b, names *n, PyObject *statuses, PyObject *ps)
{
    int status;
    PyObject *props;
    if (!IS(ps, propstat_type))
        return GIVE_UP;
    props = SLOT(ps, off_ps_props);
    if (PUT(b, "<D:propstat><D:prop>") < 0)
        return -1;
    if ((status = put_props(b, n, props)) != 0)
        return status;
    if (PUT(b, "</D:prop>") < 0)
        return -1;
    if ((status = put_status(b, n, statuses, SLOT(ps, off_ps_status))) != 0 ||
        (status = put_error(b, n, SLOT(ps, off_ps_error))) != 0 ||
        (status = PUT_WRAPPED(b, "<D:responsedescription>", SLOT(ps, off_ps_description),
                              "</D:responsedescription>")) != 0 ||
        (status = put_elements(b, n, SLOT(ps, off_ps_extensions))) != 0)
        return status;
    return PUT(b, "</D:propstat>");
}

/* The prefix of the qualified name *qname* ("m:id" -> "m"), which is ASCII. */
static int put_prefix(buffer *b, PyObject *qname)
{
    const char *text = (const char *)PyUnicode_1BYTE_DATA(qname);
    const char *colon = memchr(text, ':', (size_t)PyUnicode_GET_LENGTH(qname));
    return put_bytes(b, text, colon - text);
}

/* <m:id>, <m:headers> of a REST batch item (no body: the Python writer dumps JSON). */
static int put_rest(buffer *b, names *n, PyObject *id, PyObject *headers)
{
    PyObject *data, *key, *value, *qname;
    Py_ssize_t pos = 0;
    int has_headers, status;
    if (!IS(headers, frozenmap_type) || (data = SLOT(headers, off_map_data)) == NULL || !PyDict_CheckExact(data))
        return GIVE_UP;
    has_headers = PyDict_GET_SIZE(data) > 0;
    if (id == Py_None && !has_headers)
        return 0;
    if ((qname = n->rest_qname) == NULL) {
        if (rest_id == NULL || (status = qname_of(n, rest_id, &qname)) != 0)
            return rest_id == NULL ? GIVE_UP : status;
        if (!PyUnicode_IS_ASCII(qname) ||
            memchr(PyUnicode_1BYTE_DATA(qname), ':', (size_t)PyUnicode_GET_LENGTH(qname)) == NULL)
            return GIVE_UP; /* (the library's namespace has a prefix: never the empty one) */
        n->rest_qname = qname;
    }
    if (id != Py_None) {
        if (!PyUnicode_CheckExact(id))
            return GIVE_UP;
        if (PUT(b, "<") < 0 || put_str(b, qname, 0, 0) < 0 || PUT(b, ">") < 0 || put_str(b, id, 1, 0) < 0 ||
            PUT(b, "</") < 0 || put_str(b, qname, 0, 0) < 0 || PUT(b, ">") < 0)
            return -1;
    }
    if (!has_headers)
        return 0;
    if (PUT(b, "<") < 0 || put_prefix(b, qname) < 0 || PUT(b, ":headers>") < 0)
        return -1;
    while (PyDict_Next(data, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyUnicode_CheckExact(value))
            return GIVE_UP;
        if (PUT(b, "<") < 0 || put_prefix(b, qname) < 0 || PUT(b, ":header name=\"") < 0 ||
            put_str(b, key, 1, 1) < 0 || PUT(b, "\">") < 0 || put_str(b, value, 1, 0) < 0 ||
            PUT(b, "</") < 0 || put_prefix(b, qname) < 0 || PUT(b, ":header>") < 0)
            return -1;
    }
    if (PUT(b, "</") < 0 || put_prefix(b, qname) < 0 || PUT(b, ":headers>") < 0)
        return -1;
    return 0;
}

static int put_response(buffer *b, names *n, PyObject *statuses, PyObject *r)
{
    PyObject *hrefs, *propstats, *status_value, *location;
    Py_ssize_t i;
    int status;
    if (!IS(r, response_type) || SLOT(r, off_r_body) != Py_None)
        return GIVE_UP;
    hrefs = SLOT(r, off_r_hrefs);
    propstats = SLOT(r, off_r_propstats);
    if (!PyTuple_CheckExact(hrefs) || !PyTuple_CheckExact(propstats))
        return GIVE_UP;
    if (PUT(b, "<D:response>") < 0)
        return -1;
    for (i = 0; i < PyTuple_GET_SIZE(hrefs); i++)
        if ((status = PUT_WRAPPED(b, "<D:href>", PyTuple_GET_ITEM(hrefs, i), "</D:href>")) != 0)
            return status;
    status_value = SLOT(r, off_r_status);
    if (status_value != Py_None && (status = put_status(b, n, statuses, status_value)) != 0)
        return status;
    for (i = 0; i < PyTuple_GET_SIZE(propstats); i++)
        if ((status = put_propstat(b, n, statuses, PyTuple_GET_ITEM(propstats, i))) != 0)
            return status;
    location = SLOT(r, off_r_location);
    if ((status = put_error(b, n, SLOT(r, off_r_error))) != 0 ||
        (status = PUT_WRAPPED(b, "<D:responsedescription>", SLOT(r, off_r_description), "</D:responsedescription>")) !=
            0 ||
        (status = PUT_WRAPPED(b, "<D:location><D:href>", location, "</D:href></D:location>")) != 0 ||
        (status = put_rest(b, n, SLOT(r, off_r_id), SLOT(r, off_r_headers))) != 0 ||
        (status = put_elements(b, n, SLOT(r, off_r_extensions))) != 0)
        return status;
    return PUT(b, "</D:response>");
}

/* The writer's names from the arguments *qnames*, *prefixes* and *decls* (the last two
   None or NULL when not given); -1 when one is not of its type. */
static int names_from(names *n, PyObject *qnames, PyObject *prefixes, PyObject *decls)
{
    n->qnames = qnames;
    n->rest_qname = n->last_code = n->last_status = NULL;
    n->prefixes = prefixes != NULL && prefixes != Py_None ? prefixes : NULL;
    n->decls = decls != NULL && decls != Py_None ? decls : NULL;
    if (!PyDict_CheckExact(n->qnames) || (n->prefixes != NULL && !PyDict_CheckExact(n->prefixes)) ||
        (n->decls != NULL && !PyList_CheckExact(n->decls)))
        return -1;
    return 0;
}

PyDoc_STRVAR(response_doc,
"response(response, qnames, statuses, prefixes=None, decls=None) -> str | None\n\n"
"The compact text of the Response *response*, as Writer.response writes it,\n"
"when every name in it has a qualified name in *qnames* (or gets one: its\n"
"namespace has one in *prefixes*, or is a well-known one whose declaration\n"
"goes to the list *decls*), every status has its standard phrase and a\n"
"<D:status> text in *statuses* (code -> text), and it has no body; None when\n"
"the Python writer must.");

static PyObject *py_response(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    buffer b = {NULL, 0, 0, 0};
    PyObject *result = NULL;
    names n;
    int status;
    (void)module;
    if (response_type == NULL || nargs < 3 || nargs > 5 || !PyDict_CheckExact(args[2]) ||
        names_from(&n, args[1], nargs > 3 ? args[3] : NULL, nargs > 4 ? args[4] : NULL) < 0) {
        PyErr_SetString(PyExc_TypeError,
                        "response() takes a response, two dicts, and a dict and a list or None, after setup()");
        return NULL;
    }
    status = put_response(&b, &n, args[2], args[0]);
    if (status == 0)
        result = take(&b);
    else if (status == GIVE_UP)
        result = Py_NewRef(Py_None);
    PyMem_Free(b.data);
    return result;
}

/* -- the JSON form of properties -------------------------------------------------- */

/* The one-byte characters a JSON string escapes: control characters, '"' and '\\'. */
static const unsigned char json_special[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

/* The str *text* as a JSON string, as json.encoder.encode_basestring writes it
   (ensure_ascii=False): quotes, backslashes and control characters escaped. */
static int put_json_str(buffer *b, PyObject *text, Py_ssize_t start)
{
    static const char hex[] = "0123456789abcdef";
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (b->len + 4 * n + 2 > b->cap && reserve(b, 4 * n + 2) < 0)
        return -1;
    b->data[b->len++] = '"';
    for (i = put_run(b, text, start, json_special); i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '"' || c == '\\' || c < 0x20) {
            char escaped[7];
            switch (c) {
            case '"': strcpy(escaped, "\\\""); break;
            case '\\': strcpy(escaped, "\\\\"); break;
            case '\n': strcpy(escaped, "\\n"); break;
            case '\r': strcpy(escaped, "\\r"); break;
            case '\t': strcpy(escaped, "\\t"); break;
            case '\b': strcpy(escaped, "\\b"); break;
            case '\f': strcpy(escaped, "\\f"); break;
            default:
                escaped[0] = '\\';
                escaped[1] = 'u';
                escaped[2] = '0';
                escaped[3] = '0';
                escaped[4] = hex[(c >> 4) & 0xf];
                escaped[5] = hex[c & 0xf];
                escaped[6] = '\0';
            }
            if (put_ascii(b, escaped) < 0 || reserve(b, 4 * (n - i) + 1) < 0)
                return -1;
            continue;
        }
        if (Py_UNICODE_IS_SURROGATE(c))
            b->surrogates = 1;
        put_char(b, c);
    }
    return PUT(b, "\"");
}

/* {"name":"value",...} of a FrozenMap of attributes: names without namespace lose their "{}". */
static int put_json_attributes(buffer *b, PyObject *attributes)
{
    PyObject *data, *key, *value;
    Py_ssize_t pos = 0;
    int first = 1;
    if (!IS(attributes, frozenmap_type) || (data = SLOT(attributes, off_map_data)) == NULL ||
        !PyDict_CheckExact(data))
        return GIVE_UP;
    if (PUT(b, "{") < 0)
        return -1;
    while (PyDict_Next(data, &pos, &key, &value)) {
        Py_ssize_t skip;
        if (!PyUnicode_CheckExact(key) || !PyUnicode_CheckExact(value) || PyUnicode_GET_LENGTH(key) < 2)
            return GIVE_UP;
        skip = PyUnicode_READ_CHAR(key, 1) == '}' ? 2 : 0;
        if ((!first && PUT(b, ",") < 0) || put_json_str(b, key, skip) < 0 || PUT(b, ":") < 0 ||
            put_json_str(b, value, 0) < 0)
            return -1;
        first = 0;
    }
    return PUT(b, "}");
}

static int map_size(PyObject *map)
{
    PyObject *data = SLOT(map, off_map_data);
    return data != NULL && PyDict_CheckExact(data) ? (int)(PyDict_GET_SIZE(data) > 0) : -1;
}

/* JsonML items of mixed content: each str a JSON string, each Element [tag, {attributes}?, content...]. */
static int put_json_content(buffer *b, PyObject *content, int depth)
{
    Py_ssize_t i;
    int status, has;
    if (depth > MAX_C_DEPTH || !PyTuple_CheckExact(content))
        return GIVE_UP;
    for (i = 0; i < PyTuple_GET_SIZE(content); i++) {
        PyObject *item = PyTuple_GET_ITEM(content, i);
        if (i > 0 && PUT(b, ",") < 0)
            return -1;
        if (PyUnicode_CheckExact(item)) {
            if (put_json_str(b, item, 0) < 0)
                return -1;
            continue;
        }
        if (!IS(item, element_type) || !PyUnicode_CheckExact(SLOT(item, off_el_tag)) ||
            !IS(SLOT(item, off_el_attributes), frozenmap_type))
            return GIVE_UP;
        if (PUT(b, "[") < 0 || put_json_str(b, SLOT(item, off_el_tag), 0) < 0)
            return -1;
        has = map_size(SLOT(item, off_el_attributes));
        if (has < 0)
            return GIVE_UP;
        if (has && (PUT(b, ",") < 0 || (status = put_json_attributes(b, SLOT(item, off_el_attributes))) != 0))
            return has && PyErr_Occurred() ? -1 : GIVE_UP;
        if (!PyTuple_CheckExact(SLOT(item, off_el_children)))
            return GIVE_UP;
        if (PyTuple_GET_SIZE(SLOT(item, off_el_children)) > 0) {
            if (PUT(b, ",") < 0)
                return -1;
            if ((status = put_json_content(b, SLOT(item, off_el_children), depth + 1)) != 0)
                return status;
        }
        if (PUT(b, "]") < 0)
            return -1;
    }
    return 0;
}

PyDoc_STRVAR(json_props_doc,
"json_props(props) -> str | None\n\n"
"The members of the JSON \"props\" object for the Property values *props* (a\n"
"tuple), as _json._writer writes them, without the braces; None when the\n"
"Python writer must (a name that repeats, or anything unexpected).");

/* The members of a "props" object (without braces); GIVE_UP when a name repeats. */
static int put_json_props(buffer *b, PyObject *props)
{
    PyObject *names = NULL;
    Py_ssize_t i, n;
    int status = 0, has;
    if (!PyTuple_CheckExact(props))
        return GIVE_UP;
    n = PyTuple_GET_SIZE(props);
    if (n > 1) {
        Py_INCREF(props); /* (held: the set's allocation may start a collection, and a finalizer
                             could replace the slot the caller read *props* from) */
        names = PySet_New(NULL);
        if (names == NULL) {
            Py_DECREF(props);
            return -1;
        }
    }
    for (i = 0; i < n && status == 0; i++) {
        PyObject *prop = PyTuple_GET_ITEM(props, i), *name, *value, *lang, *attributes;
        if (!IS(prop, property_type)) {
            status = GIVE_UP;
            break;
        }
        name = SLOT(prop, off_prop_name);
        value = SLOT(prop, off_prop_value);
        lang = SLOT(prop, off_prop_lang);
        attributes = SLOT(prop, off_prop_attributes);
        if (!PyUnicode_CheckExact(name) || !IS(attributes, frozenmap_type) ||
            (lang != Py_None && !PyUnicode_CheckExact(lang))) {
            status = GIVE_UP;
            break;
        }
        if (names != NULL) {
            int seen = PySet_Contains(names, name);
            if (seen != 0 || PySet_Add(names, name) < 0) {
                status = seen > 0 ? GIVE_UP : -1; /* a repeated name: one object per property (Python) */
                break;
            }
        }
        has = map_size(attributes);
        if (has < 0) {
            status = GIVE_UP;
            break;
        }
        if ((i > 0 && PUT(b, ",") < 0) || put_json_str(b, name, 0) < 0 || PUT(b, ":") < 0 ||
            ((lang != Py_None || has) && PUT(b, "{\"value\":") < 0)) {
            status = -1;
            break;
        }
        if (value == Py_None)
            status = PUT(b, "null");
        else if (PyUnicode_CheckExact(value))
            status = put_json_str(b, value, 0);
        else if (PyTuple_CheckExact(value)) {
            status = PUT(b, "[");
            if (status == 0)
                status = put_json_content(b, value, 0);
            if (status == 0)
                status = PUT(b, "]");
        }
        else
            status = GIVE_UP;
        if (status == 0 && lang != Py_None) {
            if (PUT(b, ",\"lang\":") < 0 || put_json_str(b, lang, 0) < 0)
                status = -1;
        }
        if (status == 0 && has) {
            if (PUT(b, ",\"attributes\":") < 0)
                status = -1;
            else
                status = put_json_attributes(b, attributes);
        }
        if (status == 0 && (lang != Py_None || has))
            status = PUT(b, "}");
    }
    if (names != NULL) {
        Py_DECREF(names);
        Py_DECREF(props);
    }
    return status;
}

static PyObject *py_json_props(PyObject *module, PyObject *props)
{
    buffer b = {NULL, 0, 0, 0};
    PyObject *result = NULL;
    int status;
    (void)module;
    if (property_type == NULL || !PyTuple_CheckExact(props)) {
        PyErr_SetString(PyExc_TypeError, "json_props() takes a tuple, after setup()");
        return NULL;
    }
    status = put_json_props(&b, props);
    if (status == 0)
        result = take(&b);
    else if (status == GIVE_UP)
        result = Py_NewRef(Py_None);
    PyMem_Free(b.data);
    return result;
}

/* "code" and, for a status with its own phrase, ,"reason":"..." (after the member name). */
static int put_json_status(buffer *b, PyObject *status)
{
    long code;
    PyObject *reason;
    if (!IS(status, status_type) || !PyLong_CheckExact(SLOT(status, off_st_code)))
        return GIVE_UP;
    code = PyLong_AsLong(SLOT(status, off_st_code));
    if (code == -1 && PyErr_Occurred()) {
        PyErr_Clear(); /* (beyond a C long: Python writes its digits) */
        return GIVE_UP;
    }
    if (put_long(b, code) < 0)
        return -1;
    reason = SLOT(status, off_st_reason);
    if (reason == Py_None)
        return 0;
    if (!PyUnicode_CheckExact(reason))
        return GIVE_UP;
    if (PUT(b, ",\"reason\":") < 0 || put_json_str(b, reason, 0) < 0)
        return -1;
    return 0;
}

/* ,"name":"text" for text that is not None. */
#define PUT_JSON_MEMBER(b, member, text) put_json_member((b), (member), sizeof(member) - 1, (text))
static inline int put_json_member(buffer *b, const char *member, Py_ssize_t member_len, PyObject *text)
{
    if (text == Py_None)
        return 0;
    if (!PyUnicode_CheckExact(text))
        return GIVE_UP;
    if (put_bytes(b, member, member_len) < 0 || put_json_str(b, text, 0) < 0)
        return -1;
    return 0;
}

/* ,"extensions":[JsonML...] for a non-empty tuple of Elements. */
static int put_json_extensions(buffer *b, PyObject *extensions)
{
    int status;
    if (!PyTuple_CheckExact(extensions))
        return GIVE_UP;
    if (PyTuple_GET_SIZE(extensions) == 0)
        return 0;
    if (PUT(b, ",\"extensions\":[") < 0)
        return -1;
    if ((status = put_json_content(b, extensions, 0)) != 0)
        return status;
    return PUT(b, "]");
}

/* ,"error":{"conditions":[...],"member":"text",...}: text members only (a JSON value: Python). */
static int put_json_error(buffer *b, PyObject *error)
{
    PyObject *conditions, *problem, *data, *key, *value;
    Py_ssize_t pos = 0;
    int status, first = 1;
    if (error == Py_None)
        return 0;
    if (!IS(error, error_type))
        return GIVE_UP;
    conditions = SLOT(error, off_err_conditions);
    problem = SLOT(error, off_err_problem);
    if (!PyTuple_CheckExact(conditions) || !IS(problem, frozenmap_type) ||
        (data = SLOT(problem, off_map_data)) == NULL || !PyDict_CheckExact(data))
        return GIVE_UP;
    if (PUT(b, ",\"error\":{") < 0)
        return -1;
    if (PyTuple_GET_SIZE(conditions) > 0) {
        if (PUT(b, "\"conditions\":[") < 0)
            return -1;
        if ((status = put_json_content(b, conditions, 0)) != 0)
            return status;
        if (PUT(b, "]") < 0)
            return -1;
        first = 0;
    }
    while (PyDict_Next(data, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key) || !PyUnicode_CheckExact(value))
            return GIVE_UP;
        if ((!first && PUT(b, ",") < 0) || put_json_str(b, key, 0) < 0 || PUT(b, ":") < 0 ||
            put_json_str(b, value, 0) < 0)
            return -1;
        first = 0;
    }
    return PUT(b, "}");
}

/* The propstats of a response, written (*propstats* held by the caller: put_json_props may
   allocate a set, and a collection it starts may run a finalizer that replaces the slot). */
static int put_json_propstats(buffer *b, PyObject *propstats)
{
    Py_ssize_t i;
    int status;
    if (PUT(b, ",\"propstats\":[") < 0)
        return -1;
    for (i = 0; i < PyTuple_GET_SIZE(propstats); i++) {
        PyObject *ps = PyTuple_GET_ITEM(propstats, i);
        if (!IS(ps, propstat_type))
            return GIVE_UP;
        if ((i == 0 ? PUT(b, "{\"status\":") : PUT(b, ",{\"status\":")) < 0)
            return -1;
        if ((status = put_json_status(b, SLOT(ps, off_ps_status))) != 0)
            return status;
        if (PUT(b, ",\"props\":{") < 0)
            return -1;
        if ((status = put_json_props(b, SLOT(ps, off_ps_props))) != 0)
            return status;
        if (PUT(b, "}") < 0)
            return -1;
        /* (the slots read afresh: the props may have run a finalizer) */
        if ((status = put_json_error(b, SLOT(ps, off_ps_error))) != 0 ||
            (status = PUT_JSON_MEMBER(b, ",\"description\":", SLOT(ps, off_ps_description))) != 0 ||
            (status = put_json_extensions(b, SLOT(ps, off_ps_extensions))) != 0)
            return status;
        if (PUT(b, "}") < 0)
            return -1;
    }
    return PUT(b, "]");
}

static int put_json_response(buffer *b, PyObject *r)
{
    PyObject *hrefs, *propstats, *status_value, *id, *headers, *data, *key, *value;
    Py_ssize_t i, pos = 0;
    int status;
    if (!IS(r, response_type) || SLOT(r, off_r_body) != Py_None)
        return GIVE_UP; /* a body is a JSON value: the Python writer's */
    hrefs = SLOT(r, off_r_hrefs);
    propstats = SLOT(r, off_r_propstats);
    id = SLOT(r, off_r_id);
    if (!PyTuple_CheckExact(hrefs) || PyTuple_GET_SIZE(hrefs) == 0 || !PyTuple_CheckExact(propstats))
        return GIVE_UP;
    if (PUT(b, "{") < 0)
        return -1;
    if (id != Py_None) {
        if (!PyUnicode_CheckExact(id))
            return GIVE_UP;
        if (PUT(b, "\"id\":") < 0 || put_json_str(b, id, 0) < 0 || PUT(b, ",") < 0)
            return -1;
    }
    for (i = 0; i < PyTuple_GET_SIZE(hrefs); i++) {
        PyObject *href = PyTuple_GET_ITEM(hrefs, i);
        if (!PyUnicode_CheckExact(href))
            return GIVE_UP;
        if ((i == 0 ? PUT(b, "\"href\":") : i == 1 ? PUT(b, ",\"additionalHrefs\":[") : PUT(b, ",")) < 0 ||
            put_json_str(b, href, 0) < 0)
            return -1;
    }
    if (PyTuple_GET_SIZE(hrefs) > 1 && PUT(b, "]") < 0)
        return -1;
    status_value = SLOT(r, off_r_status);
    if (status_value != Py_None) {
        if (PUT(b, ",\"status\":") < 0)
            return -1;
        if ((status = put_json_status(b, status_value)) != 0)
            return status;
    }
    else if (PyTuple_GET_SIZE(propstats) > 0) {
        Py_INCREF(propstats);
        status = put_json_propstats(b, propstats);
        Py_DECREF(propstats);
        if (status != 0)
            return status;
    }
    /* (the rest read after the propstats, which may have run a finalizer) */
    if ((status = PUT_JSON_MEMBER(b, ",\"location\":", SLOT(r, off_r_location))) != 0)
        return status;
    headers = SLOT(r, off_r_headers);
    if (!IS(headers, frozenmap_type) || (data = SLOT(headers, off_map_data)) == NULL || !PyDict_CheckExact(data))
        return GIVE_UP;
    if (PyDict_GET_SIZE(data) > 0) {
        int first = 1;
        if (PUT(b, ",\"headers\":{") < 0)
            return -1;
        while (PyDict_Next(data, &pos, &key, &value)) {
            if (!PyUnicode_CheckExact(key) || !PyUnicode_CheckExact(value))
                return GIVE_UP;
            if ((!first && PUT(b, ",") < 0) || put_json_str(b, key, 0) < 0 || PUT(b, ":") < 0 ||
                put_json_str(b, value, 0) < 0)
                return -1;
            first = 0;
        }
        if (PUT(b, "}") < 0)
            return -1;
    }
    if ((status = put_json_error(b, SLOT(r, off_r_error))) != 0 ||
        (status = PUT_JSON_MEMBER(b, ",\"description\":", SLOT(r, off_r_description))) != 0 ||
        (status = put_json_extensions(b, SLOT(r, off_r_extensions))) != 0)
        return status;
    return PUT(b, "}");
}

PyDoc_STRVAR(json_response_doc,
"json_response(response) -> str | None\n\n"
"The compact JSON text of the Response *response*, as _json._writer writes it;\n"
"None when the Python writer must (a body or a problem member that is a JSON\n"
"value, a property name that repeats, anything unexpected).");

static PyObject *py_json_response(PyObject *module, PyObject *r)
{
    buffer b = {NULL, 0, 0, 0};
    PyObject *result = NULL;
    int status;
    (void)module;
    if (response_type == NULL) {
        PyErr_SetString(PyExc_TypeError, "json_response() needs setup() first");
        return NULL;
    }
    status = put_json_response(&b, r);
    if (status == 0)
        result = take(&b);
    else if (status == GIVE_UP)
        result = Py_NewRef(Py_None);
    PyMem_Free(b.data);
    return result;
}

PyDoc_STRVAR(responses_doc,
"responses(responses, start, qnames, statuses, prefixes=None, decls=None, whole=None)\n"
"    -> tuple[bytes, int] | bytes\n\n"
"The UTF-8 text of responses[start:] (a tuple), as response() writes each, up\n"
"to the first one the Python writer must write or until it holds 64 KiB; and\n"
"the index of the first response not in it.  With *whole* (head, end): no size\n"
"limit, and when it writes them all, the whole document: head, the declarations\n"
"in *decls*, '>', the responses, end.");

/* What the XML writer needs besides a response: its names and its <D:status> texts. */
typedef struct {
    names n;
    PyObject *statuses;
} xml_context;

/* Writes one response into the buffer (0, GIVE_UP, or -1 with an exception); *context*
   holds what it needs besides (an xml_context, or nothing for JSON). */
typedef int (*response_writer)(buffer *b, PyObject *response, void *context);

static int put_xml_piece(buffer *b, PyObject *response, void *context)
{
    xml_context *x = context;
    return put_response(b, &x->n, x->statuses, response);
}

static int put_json_piece(buffer *b, PyObject *response, void *context)
{
    (void)context;
    return put_json_response(b, response);
}

/* Part *k* of *count* around the responses: whole[0] (the head), the declarations, whole[1] (the end). */
static PyObject *document_part(PyObject *whole, PyObject *decls, Py_ssize_t k, Py_ssize_t count)
{
    return k == 0 ? PyTuple_GET_ITEM(whole, 0) : k < count - 1 ? PyList_GET_ITEM(decls, k - 1) : PyTuple_GET_ITEM(whole, 1);
}

/* The whole document as bytes: whole[0] (the head up to the root's declarations), the
   declarations in *decls*, ">", the responses written in *b*, whole[1] (the end); each str
   ASCII (TypeError otherwise). */
static PyObject *document(buffer *b, PyObject *whole, PyObject *decls)
{
    Py_ssize_t size = b->len + 1, k, count = PyList_GET_SIZE(decls) + 2;
    PyObject *result, *text;
    char *out;
    for (k = 0; k < count; k++) { /* head, the declarations, end */
        text = document_part(whole, decls, k, count);
        if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_ASCII(text)) {
            PyErr_SetString(PyExc_TypeError, "the head, the end and the declarations are ASCII str");
            return NULL;
        }
        size += PyUnicode_GET_LENGTH(text);
    }
    if ((result = PyBytes_FromStringAndSize(NULL, size)) == NULL)
        return NULL;
    out = PyBytes_AS_STRING(result);
    for (k = 0; k < count; k++) {
        text = document_part(whole, decls, k, count);
        if (k == count - 1) { /* the start tag closed, then the responses */
            *out++ = '>';
            if (b->len)
                memcpy(out, b->data, (size_t)b->len);
            out += b->len;
        }
        memcpy(out, PyUnicode_1BYTE_DATA(text), (size_t)PyUnicode_GET_LENGTH(text));
        out += PyUnicode_GET_LENGTH(text);
    }
    return result;
}

/* (text, index): the responses from *start* written one after another (between them
   *separator*), until one the Python writer must write or about 64 KiB of UTF-8; the
   text as bytes when *as_bytes* (a str when it holds a lone surrogate, which UTF-8
   cannot carry: encoding it fails in Python, as it would have without C).  With *whole*
   (XML only: a tuple of the head and the end), no 64 KiB limit, and when every response is
   written, the whole document as bytes (see document()). */
static PyObject *pieces(PyObject *responses, PyObject *start_index, const char *separator, response_writer write,
                        void *context, int as_bytes, PyObject *whole)
{
    buffer b = {NULL, 0, 0, 0};
    PyObject *text, *result = NULL;
    Py_ssize_t i, mark, start = PyLong_AsSsize_t(start_index);
    int status = 0;
    if (start == -1 && PyErr_Occurred())
        return NULL;
    if (start < 0)
        start = 0;
    for (i = start; i < PyTuple_GET_SIZE(responses) && (whole != NULL || b.len < 65536); i++) {
        mark = b.len;
        status = i > start ? put_ascii(&b, separator) : 0;
        if (status == 0)
            status = write(&b, PyTuple_GET_ITEM(responses, i), context);
        if (status == GIVE_UP) {
            b.len = mark; /* (what it wrote of this one is dropped) */
            status = 0;
            break;
        }
        if (status < 0)
            break;
    }
    if (status == 0 && whole != NULL && i == PyTuple_GET_SIZE(responses) && !b.surrogates)
        result = document(&b, whole, ((xml_context *)context)->n.decls);
    else if (status == 0) {
        text = as_bytes && !b.surrogates ? PyBytes_FromStringAndSize(b.data ? b.data : "", b.len) : take(&b);
        if (text != NULL)
            result = Py_BuildValue("(Nn)", text, i);
    }
    PyMem_Free(b.data);
    return result;
}

static PyObject *py_responses(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    xml_context x;
    (void)module;
    if (response_type == NULL || nargs < 4 || nargs > 7 || !PyTuple_CheckExact(args[0]) ||
        !PyDict_CheckExact(args[3]) ||
        names_from(&x.n, args[2], nargs > 4 ? args[4] : NULL, nargs > 5 ? args[5] : NULL) < 0 ||
        (nargs > 6 && (!PyTuple_CheckExact(args[6]) || PyTuple_GET_SIZE(args[6]) != 2 || x.n.decls == NULL))) {
        PyErr_SetString(PyExc_TypeError, "responses() takes a tuple, an index, two dicts, a dict and a list or None, "
                                         "and (head, end) with a list, after setup()");
        return NULL;
    }
    x.statuses = args[3];
    return pieces(args[0], args[1], "", put_xml_piece, &x, 1, nargs > 6 ? args[6] : NULL);
}

PyDoc_STRVAR(json_responses_doc,
"json_responses(responses, start) -> tuple[str, int]\n\n"
"The JSON texts of responses[start:] (a tuple), comma-separated, as\n"
"json_response() writes each, up to the first one the Python writer must write\n"
"or until the text holds 64 KiB of UTF-8; and the index of the first response\n"
"not in it.");

static PyObject *py_json_responses(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (response_type == NULL || nargs != 2 || !PyTuple_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "json_responses() takes a tuple and an index, after setup()");
        return NULL;
    }
    return pieces(args[0], args[1], ",", put_json_piece, NULL, 0, NULL);
}

/* -- a whole JSON document: the responses and their summary ------------------------ */

/* The counts of the summary (Summary.of, Tally.add in _model/_document.py). */
typedef struct {
    Py_ssize_t outcome[4]; /* succeeded, failed, partial, other */
    Py_ssize_t by_status[500]; /* codes 100-599 */
    int truncated;
} tally;

/* The code of a whole Status whose code slot is an exact int in 100-599; GIVE_UP otherwise. */
static int status_code(PyObject *status, long *code)
{
    PyObject *number;
    if (!IS(status, status_type) || !PyLong_CheckExact(number = SLOT(status, off_st_code)))
        return GIVE_UP;
    *code = PyLong_AsLong(number);
    if (*code == -1 && PyErr_Occurred())
        PyErr_Clear(); /* (beyond a C long: Python counts it) */
    return *code < 100 || *code > 599 ? GIVE_UP : 0;
}

/* Whether the conditions of the Error *error* name DAV:number-of-matches-within-limits (RFC 5323 §5.2). */
static int counts_truncation(PyObject *error, int *found)
{
    static const char name[] = "{DAV:}number-of-matches-within-limits";
    PyObject *conditions;
    Py_ssize_t i;
    if (!IS(error, error_type) || !PyTuple_CheckExact(conditions = SLOT(error, off_err_conditions)))
        return GIVE_UP;
    for (i = 0; i < PyTuple_GET_SIZE(conditions); i++) {
        PyObject *condition = PyTuple_GET_ITEM(conditions, i), *tag;
        if (!IS(condition, element_type) || !PyUnicode_CheckExact(tag = SLOT(condition, off_el_tag)))
            return GIVE_UP;
        if (PyUnicode_IS_ASCII(tag) && PyUnicode_GET_LENGTH(tag) == (Py_ssize_t)sizeof name - 1 &&
            memcmp(PyUnicode_1BYTE_DATA(tag), name, sizeof name - 1) == 0)
            *found = 1;
    }
    return 0;
}

/* Count the Response *r* as Tally.add does; GIVE_UP for anything but whole values of the
   model's own classes and codes in 100-599 (Python counts those).  Reads slots only: no
   allocation, no Python code. */
static int count_response(tally *t, PyObject *r)
{
    PyObject *status, *propstats;
    Py_ssize_t i;
    long code;
    int ok = 0, bad = 0, other = 0;
    if (!IS(r, response_type))
        return GIVE_UP;
    status = SLOT(r, off_r_status);
    if (status != Py_None) { /* the status form: code < 300 succeeded, >= 400 failed */
        if (status_code(status, &code) != 0)
            return GIVE_UP;
        t->outcome[code < 300 ? 0 : code >= 400 ? 1 : 3]++;
        t->by_status[code - 100]++;
        if (code == 507 && SLOT(r, off_r_error) != Py_None)
            return counts_truncation(SLOT(r, off_r_error), &t->truncated);
        return 0;
    }
    /* the propstat form (Response.outcome): 2xx succeeded, >= 400 failed, both partial, other otherwise */
    propstats = SLOT(r, off_r_propstats);
    if (!PyTuple_CheckExact(propstats))
        return GIVE_UP;
    for (i = 0; i < PyTuple_GET_SIZE(propstats); i++) {
        PyObject *ps = PyTuple_GET_ITEM(propstats, i);
        if (!IS(ps, propstat_type) || status_code(SLOT(ps, off_ps_status), &code) != 0)
            return GIVE_UP;
        if (code >= 200 && code < 300)
            ok = 1;
        else if (code >= 400)
            bad = 1;
        else
            other = 1;
        t->by_status[code - 100]++;
    }
    t->outcome[other || !(ok || bad) ? 3 : ok && bad ? 2 : ok ? 0 : 1]++;
    return 0;
}

/* The decimal digits of the count *value*. */
static int put_count(buffer *b, Py_ssize_t value)
{
    char digits[32];
    int n = PyOS_snprintf(digits, sizeof digits, "%zd", value);
    return put_bytes(b, digits, n);
}

/* ,"summary":{...} as summary_text() writes it (the codes ascending), and the document's closing brace. */
static int put_json_summary(buffer *b, const tally *t, Py_ssize_t total)
{
    int i, first = 1;
    if (PUT(b, ",\"summary\":{\"total\":") < 0 || put_count(b, total) < 0 || PUT(b, ",\"succeeded\":") < 0 ||
        put_count(b, t->outcome[0]) < 0 || PUT(b, ",\"failed\":") < 0 || put_count(b, t->outcome[1]) < 0 ||
        PUT(b, ",\"partial\":") < 0 || put_count(b, t->outcome[2]) < 0 || PUT(b, ",\"other\":") < 0 ||
        put_count(b, t->outcome[3]) < 0 || PUT(b, ",\"byStatus\":{") < 0)
        return -1;
    for (i = 0; i < 500; i++) {
        if (t->by_status[i] == 0)
            continue;
        if ((!first && PUT(b, ",") < 0) || PUT(b, "\"") < 0 || put_long(b, i + 100) < 0 || PUT(b, "\":") < 0 ||
            put_count(b, t->by_status[i]) < 0)
            return -1;
        first = 0;
    }
    return t->truncated ? PUT(b, "},\"truncated\":true}}") : PUT(b, "},\"truncated\":false}}");
}

PyDoc_STRVAR(json_document_doc,
"json_document(responses) -> bytes | None\n\n"
"The compact JSON form, as UTF-8, of a document of the Response values\n"
"*responses* (a tuple) with no description, sync token or extensions: the\n"
"responses as json_response() writes each, then the summary as _json._writer\n"
"writes it.  None when the Python writer must (a response json_response()\n"
"leaves to it, one the C counter cannot count, or a lone surrogate, which\n"
"UTF-8 cannot encode).");

static PyObject *py_json_document(PyObject *module, PyObject *responses)
{
    buffer b = {NULL, 0, 0, 0};
    tally t;
    PyObject *result = NULL;
    Py_ssize_t i, n;
    int status = 0;
    (void)module;
    if (response_type == NULL || !PyTuple_CheckExact(responses)) {
        PyErr_SetString(PyExc_TypeError, "json_document() takes a tuple, after setup()");
        return NULL;
    }
    /* (the tuple is the caller's argument, held throughout: its items are safe to borrow) */
    n = PyTuple_GET_SIZE(responses);
    memset(&t, 0, sizeof t);
    for (i = 0; i < n && status == 0; i++) /* counted first: nothing is written for a document Python counts */
        status = count_response(&t, PyTuple_GET_ITEM(responses, i));
    if (status == 0)
        status = PUT(&b, "{\"responses\":[");
    for (i = 0; i < n && status == 0; i++) {
        if (i > 0 && PUT(&b, ",") < 0)
            status = -1;
        else
            status = put_json_response(&b, PyTuple_GET_ITEM(responses, i));
    }
    if (status == 0 && PUT(&b, "]") < 0)
        status = -1;
    if (status == 0)
        status = put_json_summary(&b, &t, n);
    if (status == 0 && !b.surrogates)
        result = PyBytes_FromStringAndSize(b.data, b.len);
    else if (status == GIVE_UP || (status == 0 && b.surrogates))
        result = Py_NewRef(Py_None);
    PyMem_Free(b.data);
    return result;
}

PyDoc_STRVAR(props_doc,
"props(props, qnames, prefixes=None, decls=None) -> str | None\n\n"
"The text of the Property values *props* (a tuple) inside a DAV:prop, as\n"
"Writer.property writes them one by one, when every name in them has a\n"
"qualified name in *qnames* (Clark name -> qualified name) or gets one as\n"
"response() gives it; None when the Python writer must.");

static PyObject *py_props(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    buffer b = {NULL, 0, 0, 0};
    PyObject *result = NULL;
    names n;
    int status;
    (void)module;
    if (property_type == NULL || nargs < 2 || nargs > 4 || !PyTuple_CheckExact(args[0]) ||
        names_from(&n, args[1], nargs > 2 ? args[2] : NULL, nargs > 3 ? args[3] : NULL) < 0) {
        PyErr_SetString(PyExc_TypeError, "props() takes a tuple and a dict, and a dict and a list or None, after setup()");
        return NULL;
    }
    status = put_props(&b, &n, args[0]);
    if (status == 0)
        result = take(&b);
    else if (status == GIVE_UP)
        result = Py_NewRef(Py_None);
    PyMem_Free(b.data);
    return result;
}

/* -- setup ------------------------------------------------------------------------ */

PyDoc_STRVAR(setup_doc,
"setup(Property, Element, FrozenMap, PropStat, Response, Error, Status, problem_ns, rest_id,\n"
"      well_known) -> None\n\n"
"Hand the module the classes whose slots it reads, the Clark prefix of the\n"
"problem members' namespace, the Clark name of a batch item's id, and the usual\n"
"prefixes of well-known namespaces (namespace -> prefix).");

static PyObject *py_setup(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 10 || !PyUnicode_CheckExact(args[7]) || !PyUnicode_CheckExact(args[8]) || !PyDict_CheckExact(args[9])) {
        PyErr_SetString(PyExc_TypeError, "setup() takes 7 classes, two str and a dict");
        return NULL;
    }
    if (take_type(args[0], &property_type, "Property") < 0 || take_type(args[1], &element_type, "Element") < 0 ||
        take_type(args[2], &frozenmap_type, "FrozenMap") < 0 || take_type(args[3], &propstat_type, "PropStat") < 0 ||
        take_type(args[4], &response_type, "Response") < 0 || take_type(args[5], &error_type, "Error") < 0 ||
        take_type(args[6], &status_type, "Status") < 0)
        goto fail;
    Py_INCREF(args[7]);
    Py_XSETREF(problem_ns, args[7]);
    Py_INCREF(args[8]);
    Py_XSETREF(rest_id, args[8]);
    Py_INCREF(args[9]);
    Py_XSETREF(well_known, args[9]);
    if ((off_prop_name = slot_offset(property_type, "name")) < 0 ||
        (off_prop_value = slot_offset(property_type, "value")) < 0 ||
        (off_prop_lang = slot_offset(property_type, "lang")) < 0 ||
        (off_prop_attributes = slot_offset(property_type, "attributes")) < 0 ||
        (off_el_tag = slot_offset(element_type, "tag")) < 0 ||
        (off_el_children = slot_offset(element_type, "children")) < 0 ||
        (off_el_attributes = slot_offset(element_type, "attributes")) < 0 ||
        (off_map_data = slot_offset(frozenmap_type, "_data")) < 0 ||
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
        (off_r_extensions = slot_offset(response_type, "extensions")) < 0 ||
        (off_err_conditions = slot_offset(error_type, "conditions")) < 0 ||
        (off_err_problem = slot_offset(error_type, "problem")) < 0 ||
        (off_st_code = slot_offset(status_type, "code")) < 0 ||
        (off_st_reason = slot_offset(status_type, "reason")) < 0)
        goto fail;
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
    {"json_props", (PyCFunction)py_json_props, METH_O, json_props_doc},
    {"json_response", (PyCFunction)py_json_response, METH_O, json_response_doc},
    {"json_responses", (PyCFunction)(void (*)(void))py_json_responses, METH_FASTCALL, json_responses_doc},
    {"json_document", (PyCFunction)py_json_document, METH_O, json_document_doc},
    {"setup", (PyCFunction)(void (*)(void))py_setup, METH_FASTCALL, setup_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "multistatus._xml._cwriter",
    .m_doc = "The property writer of the XML writer, in C (optional; see _xml/_writer.py).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__cwriter(void)
{
    return PyModule_Create(&module_def);
}
