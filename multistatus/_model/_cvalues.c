/*
 * multistatus._model._cvalues: the common constructors of the model, in C.
 *
 * Building a value checks it (names, the characters XML 1.0 can carry, the
 * nesting limit) and freezes it.  For the shapes servers build by the
 * thousand (a property map of names to text, an Element of cached names and
 * plain content) this module does the same checks and fills the slots
 * directly; for anything else, and for every error, it answers "no" and the
 * Python constructor, which says what is wrong and where, does the work.  So
 * it never raises a checking error itself and never accepts what Python
 * refuses.  It is optional: without a C compiler the build leaves it out
 * (MULTISTATUS_PURE_PYTHON=1 switches it off; the model tests run both ways).
 *
 * Names are only taken from the model's cache of names Python has checked
 * (_element._name_cache: raw name -> canonical Clark name): a name not seen
 * before goes to Python once, which checks and caches it.
 *
 * The values are immutable and built from str, None and other values: when
 * nothing a new value holds is tracked by the cyclic garbage collector, the
 * value is untracked too (as CPython does for such tuples and dicts), so no
 * collection spends time on it.  Nothing process-wide is changed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h> /* PyMemberDef before 3.12 */

#include "../_slots.h"

static PyTypeObject *property_type;
static PyTypeObject *element_type;
static PyTypeObject *frozenmap_type;
static PyObject *empty_map;  /* the shared empty FrozenMap */
static PyObject *name_cache; /* the model's dict of checked names */
static PyObject *empty_str;
static PyObject *no_attribute; /* "{}xmlns": refused as an attribute name */
static long max_nesting;
static Py_ssize_t off_prop_name, off_prop_value, off_prop_lang, off_prop_attributes;
static Py_ssize_t off_el_tag, off_el_children, off_el_attributes;
static Py_ssize_t off_map_data, off_map_hash;

/* -- checks -------------------------------------------------------------------- */

/* Whether XML 1.0 can carry every character of the str *text* (the model's
   _BAD_CHARS: tab, newline, carriage return, U+0020-U+D7FF, U+E000-U+FFFD,
   U+10000-U+10FFFF). */
static int carried(PyObject *text)
{
    Py_ssize_t i, n = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: {
        const Py_UCS1 *p = (const Py_UCS1 *)data;
        for (i = 0; i < n; i++)
            if (p[i] < 0x20 && p[i] != 0x09 && p[i] != 0x0a && p[i] != 0x0d)
                return 0;
        return 1;
    }
    case PyUnicode_2BYTE_KIND: {
        const Py_UCS2 *p = (const Py_UCS2 *)data;
        for (i = 0; i < n; i++) {
            Py_UCS2 c = p[i];
            if ((c < 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) || (c >= 0xd800 && c <= 0xdfff) || c >= 0xfffe)
                return 0;
        }
        return 1;
    }
    default: {
        const Py_UCS4 *p = (const Py_UCS4 *)data;
        for (i = 0; i < n; i++) {
            Py_UCS4 c = p[i];
            if ((c < 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) || (c >= 0xd800 && c <= 0xdfff) ||
                c == 0xfffe || c == 0xffff || c > 0x10ffff)
                return 0;
        }
        return 1;
    }
    }
}

/* The canonical form of a name Python checked before (borrowed), or NULL. */
static PyObject *known_name(PyObject *name)
{
    if (!PyUnicode_CheckExact(name))
        return NULL;
    return PyDict_GetItemWithError(name_cache, name); /* (a str key: no error) */
}

/* -- slots and the collector --------------------------------------------------- */


static inline void put(PyObject *obj, Py_ssize_t offset, PyObject *value) /* steals value */
{
    Py_XSETREF(*(PyObject **)((char *)obj + offset), value);
}

/* Untrack *obj* when none of *n* values it holds is tracked. */
static void settle(PyObject *obj, Py_ssize_t n, PyObject *const *values)
{
    Py_ssize_t i;
    for (i = 0; i < n; i++)
        if (PyObject_GC_IsTracked(values[i]))
            return;
    if (PyObject_GC_IsTracked(obj))
        PyObject_GC_UnTrack(obj);
}

static PyObject *settled_tuple(PyObject *tuple)
{
    if (tuple != NULL)
        settle(tuple, PyTuple_GET_SIZE(tuple), &PyTuple_GET_ITEM(tuple, 0));
    return tuple;
}

/* -- content ------------------------------------------------------------------- */

/* How many levels of elements *content* (a tuple of str and Element) holds,
   counted up to *cap* (as _element._height). */
static long height(PyObject *content, long cap)
{
    Py_ssize_t i;
    long best = 0, h;
    for (i = 0; i < PyTuple_GET_SIZE(content); i++) {
        PyObject *item = PyTuple_GET_ITEM(content, i);
        if (Py_TYPE(item) != element_type)
            continue;
        if (cap <= 1)
            return 1;
        {
            PyObject *children = *(PyObject **)((char *)item + off_el_children);
            if (children == NULL || !PyTuple_CheckExact(children))
                return cap; /* an Element never set up: Python reports it (as too deep, or otherwise) */
            h = 1 + height(children, cap - 1);
        }
        if (h > best)
            best = h;
        if (best >= cap)
            return best;
    }
    return best;
}

/* Mixed content from a str, or a list or tuple of str and Element, as
   normalize_content makes it: a new tuple, or NULL with no exception when
   Python must do it (anything else, a text XML cannot carry, adjacent texts
   to merge), or NULL with an exception. */
static PyObject *plain_content(PyObject *items)
{
    PyObject *out, *item, *result;
    Py_ssize_t i, n;
    int last_text = 0;

    if (PyUnicode_CheckExact(items)) {
        if (PyUnicode_GET_LENGTH(items) == 0)
            return PyTuple_New(0);
        if (!carried(items))
            return NULL;
        return PyTuple_Pack(1, items);
    }
    if (!PyList_CheckExact(items) && !PyTuple_CheckExact(items))
        return NULL;
    out = PyList_New(0); /* (first: an allocation may run a finalizer that changes *items*) */
    if (out == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(items);
    for (i = 0; i < n; i++) {
        if (i >= PySequence_Fast_GET_SIZE(items))
            goto python; /* (shrunk meanwhile: Python reads what is left) */
        item = PySequence_Fast_GET_ITEM(items, i);
        if (Py_TYPE(item) == element_type) {
            last_text = 0;
        }
        else if (PyUnicode_CheckExact(item)) {
            if (PyUnicode_GET_LENGTH(item) == 0)
                continue;
            if (last_text || !carried(item))
                goto python;
            last_text = 1;
        }
        else
            goto python;
        if (PyList_Append(out, item) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    result = PyList_AsTuple(out);
    Py_DECREF(out);
    return result;
python:
    Py_DECREF(out);
    return NULL;
}

/* Attributes from None or a dict of cached names to text: a FrozenMap (new
   reference), or NULL with no exception when Python must do it. */
static PyObject *plain_attributes(PyObject *attributes)
{
    PyObject *data, *key, *value, *name, *map;
    Py_ssize_t pos = 0;

    if (attributes == Py_None || (PyDict_CheckExact(attributes) && PyDict_GET_SIZE(attributes) == 0)) {
        Py_INCREF(empty_map);
        return empty_map;
    }
    if (!PyDict_CheckExact(attributes))
        return NULL;
    data = PyDict_New();
    if (data == NULL)
        return NULL;
    while (PyDict_Next(attributes, &pos, &key, &value)) {
        name = known_name(key);
        if (name == NULL && PyErr_Occurred()) {
            Py_DECREF(data);
            return NULL;
        }
        if (name == NULL || !PyUnicode_CheckExact(value) || !carried(value) ||
            PyUnicode_Compare(name, no_attribute) == 0 || PyDict_SetItem(data, name, value) < 0)
            goto python;
    }
    if (PyDict_GET_SIZE(data) != PyDict_GET_SIZE(attributes))
        goto python; /* two spellings of one name: Python says so */
    map = frozenmap_type->tp_alloc(frozenmap_type, 0);
    if (map == NULL) {
        Py_DECREF(data);
        return NULL;
    }
    put(map, off_map_data, data);
    put(map, off_map_hash, Py_NewRef(Py_None));
    if (!PyObject_GC_IsTracked(data))
        PyObject_GC_UnTrack(map);
    return map;
python:
    Py_DECREF(data);
    return NULL;
}

PyDoc_STRVAR(element_init_doc,
"element_init(element, tag, children, attributes) -> bool\n\n"
"Fill a new Element as Element.__init__ does, when the tag is a cached name,\n"
"the children a str or a list or tuple of str and Element, and the attributes\n"
"None or a dict of cached names to str; False (nothing set) when Python must.");

static PyObject *py_element_init(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *self, *tag, *children, *attributes;
    (void)module;
    if (element_type == NULL || nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "element_init() takes 4 arguments, after setup()");
        return NULL;
    }
    self = args[0];
    if (Py_TYPE(self) != element_type)
        Py_RETURN_FALSE;
    if (SLOT(self, off_el_tag) != NULL || SLOT(self, off_el_children) != NULL) {
        /* Set up a second time (a frozen value should not be): Python does it, and the
           collector must see the value again in case it now holds a cycle. */
        if (!PyObject_GC_IsTracked(self))
            PyObject_GC_Track(self);
        Py_RETURN_FALSE;
    }
    tag = known_name(args[1]);
    if (tag == NULL)
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_False);
    Py_INCREF(tag); /* (held: the allocations below may run a finalizer) */
    children = plain_content(args[2]);
    if (children == NULL) {
        Py_DECREF(tag);
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_False);
    }
    if (height(children, max_nesting) >= max_nesting) {
        Py_DECREF(tag);
        Py_DECREF(children);
        Py_RETURN_FALSE;
    }
    attributes = plain_attributes(args[3]);
    if (attributes == NULL) {
        Py_DECREF(tag);
        Py_DECREF(children);
        return PyErr_Occurred() ? NULL : Py_NewRef(Py_False);
    }
    children = settled_tuple(children);
    {
        PyObject *const values[] = {tag, children, attributes};
        put(self, off_el_tag, tag);
        put(self, off_el_children, children);
        put(self, off_el_attributes, attributes);
        settle(self, 3, values);
    }
    Py_RETURN_TRUE;
}

/* -- properties ------------------------------------------------------------------- */

static PyObject *new_property(PyObject *name, PyObject *value) /* steals value */
{
    PyObject *prop = property_type->tp_alloc(property_type, 0);
    if (prop == NULL) {
        Py_DECREF(value);
        return NULL;
    }
    put(prop, off_prop_name, Py_NewRef(name));
    put(prop, off_prop_value, value);
    put(prop, off_prop_lang, Py_NewRef(Py_None));
    put(prop, off_prop_attributes, Py_NewRef(empty_map));
    if (!PyObject_GC_IsTracked(value) && !PyObject_GC_IsTracked(empty_map))
        PyObject_GC_UnTrack(prop);
    return prop;
}

/* The canonical value of a property (new reference), or NULL with no exception
   when Python must do it: "" / None for empty under success / failure, a str,
   or a tuple of Elements. */
static PyObject *plain_value(PyObject *value, int success)
{
    PyObject *content;
    if (value == Py_None || (PyUnicode_CheckExact(value) && PyUnicode_GET_LENGTH(value) == 0))
        return Py_NewRef(success ? empty_str : Py_None);
    if (PyUnicode_CheckExact(value))
        return carried(value) ? Py_NewRef(value) : NULL;
    if (Py_TYPE(value) == element_type)
        return settled_tuple(PyTuple_Pack(1, value));
    content = plain_content(value);
    if (content == NULL)
        return NULL;
    if (PyTuple_GET_SIZE(content) == 0) {
        Py_DECREF(content);
        return Py_NewRef(success ? empty_str : Py_None);
    }
    if (PyTuple_GET_SIZE(content) == 1 && PyUnicode_CheckExact(PyTuple_GET_ITEM(content, 0))) {
        value = Py_NewRef(PyTuple_GET_ITEM(content, 0));
        Py_DECREF(content);
        return value;
    }
    return settled_tuple(content);
}

PyDoc_STRVAR(mapped_props_doc,
"mapped_props(mapping, success) -> tuple[Property, ...] | None\n\n"
"The properties of a dict of cached names to values (None, str, an Element,\n"
"or a list or tuple of str and Element), canonical for a 2xx (*success*) or\n"
"other status, as _property._mapped_props makes them; None when Python must.");

static PyObject *py_mapped_props(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *mapping, *key, *value, *name, *out, *prop, *canonical;
    Py_ssize_t pos = 0, i = 0;
    int success;
    (void)module;
    if (property_type == NULL || nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "mapped_props() takes 2 arguments, after setup()");
        return NULL;
    }
    mapping = args[0];
    success = PyObject_IsTrue(args[1]);
    if (success < 0)
        return NULL;
    if (!PyDict_CheckExact(mapping))
        Py_RETURN_NONE;
    out = PyTuple_New(PyDict_GET_SIZE(mapping));
    if (out == NULL)
        return NULL;
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        /* Building allocates, and a collection it starts may run a finalizer that
           changes the mapping: the item is held meanwhile, and a change sends the
           work to Python. */
        if (i >= PyTuple_GET_SIZE(out) || PyDict_GET_SIZE(mapping) != PyTuple_GET_SIZE(out))
            goto python;
        name = known_name(key);
        if (name == NULL) {
            if (PyErr_Occurred())
                goto fail;
            goto python;
        }
        Py_INCREF(name);
        Py_INCREF(value);
        canonical = plain_value(value, success);
        Py_DECREF(value);
        if (canonical == NULL) {
            Py_DECREF(name);
            if (PyErr_Occurred())
                goto fail;
            goto python;
        }
        prop = new_property(name, canonical);
        Py_DECREF(name);
        if (prop == NULL)
            goto fail;
        PyTuple_SET_ITEM(out, i++, prop);
    }
    if (i != PyTuple_GET_SIZE(out))
        goto python;
    return settled_tuple(out);
python:
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    Py_DECREF(out);
    return NULL;
}

/* -- status-form responses (Results.succeeded, Results.failed) ---------------------- */

static PyTypeObject *response_type;
static PyTypeObject *error_type;
static PyTypeObject *status_type;
static PyObject *status_cache; /* _status._CACHE: int -> Status (filled by Python) */
static PyObject *empty_tuple;
static PyObject *problem_keys[5]; /* type, title, detail, code, message: in the order Python merges them */
static Py_ssize_t off_resp[10];   /* hrefs, status, propstats, error, description, location, id, headers, body, extensions */
static Py_ssize_t off_err_conditions, off_err_problem, off_status_code;

/* Whether *text* (an exact str) is an href or location as Response keeps it:
   not empty, no white space at either end (Python strips it), XML-carried. */
static int plain_href(PyObject *text)
{
    Py_ssize_t n;
    if (!PyUnicode_CheckExact(text) || (n = PyUnicode_GET_LENGTH(text)) == 0)
        return 0;
    if (Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, 0)) || Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, n - 1)))
        return 0;
    return carried(text);
}

/* The cached Status of *status* (an int, or an exact Status) when its code is
   in [low, high): a borrowed reference, or NULL (no exception) for Python. */
static PyObject *plain_status(PyObject *status, long low, long high)
{
    PyObject *code;
    long value;
    if (PyLong_CheckExact(status)) {
        status = PyDict_GetItemWithError(status_cache, status);
        if (status == NULL || Py_TYPE(status) != status_type)
            return NULL;
    }
    else if (Py_TYPE(status) != status_type)
        return NULL;
    code = SLOT(status, off_status_code);
    if (code == NULL || !PyLong_CheckExact(code))
        return NULL;
    value = PyLong_AsLong(code);
    if (value == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return NULL;
    }
    return (value >= low && value < high) ? status : NULL;
}

/* A new Response of one href and a status (new reference), the other parts
   given (borrowed; None or checked); NULL with an exception on failure. */
static PyObject *new_status_response(PyObject *href, PyObject *status, PyObject *error, PyObject *location, PyObject *id)
{
    PyObject *hrefs, *response;
    int i;
    hrefs = settled_tuple(PyTuple_Pack(1, href));
    if (hrefs == NULL)
        return NULL;
    response = response_type->tp_alloc(response_type, 0);
    if (response == NULL) {
        Py_DECREF(hrefs);
        return NULL;
    }
    {
        PyObject *const values[10] = {hrefs, status, empty_tuple, error, Py_None, location, id, empty_map, Py_None, empty_tuple};
        put(response, off_resp[0], hrefs);
        for (i = 1; i < 10; i++)
            put(response, off_resp[i], Py_NewRef(values[i]));
        settle(response, 10, values);
    }
    return response;
}

PyDoc_STRVAR(succeeded_doc,
"succeeded(href, status, id, location) -> Response | None\n\n"
"The Response Results.succeeded records for a str href, a 2xx status (an int\n"
"Python cached, or a Status) and id and location None or str, when Python\n"
"would keep each as it is; None when Python must build it (and say what is wrong).");

static PyObject *py_succeeded(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *status, *response;
    (void)module;
    if (response_type == NULL || nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "succeeded() takes 4 arguments, after setup_responses()");
        return NULL;
    }
    status = plain_status(args[1], 200, 300);
    if (status == NULL || !plain_href(args[0]) || (args[2] != Py_None && !(PyUnicode_CheckExact(args[2]) && carried(args[2]))) ||
        (args[3] != Py_None && !plain_href(args[3])))
        Py_RETURN_NONE;
    Py_INCREF(status); /* (held: the allocations may run a finalizer that drops the cache's entry) */
    response = new_status_response(args[0], status, Py_None, args[3], args[2]);
    Py_DECREF(status);
    return response;
}

PyDoc_STRVAR(failed_doc,
"failed(href, status, id, type, title, detail, code, message) -> Response | None\n\n"
"The Response Results.failed records for a str href, a 4xx or 5xx status (an\n"
"int Python cached, or a Status), an id and problem members None or str;\n"
"None when Python must build it (and say what is wrong).");

static PyObject *py_failed(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *status, *data = NULL, *problem, *error, *response;
    Py_ssize_t i;
    (void)module;
    if (response_type == NULL || nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "failed() takes 8 arguments, after setup_responses()");
        return NULL;
    }
    status = plain_status(args[1], 400, 600);
    if (status == NULL || !plain_href(args[0]) || (args[2] != Py_None && !(PyUnicode_CheckExact(args[2]) && carried(args[2]))))
        Py_RETURN_NONE;
    for (i = 0; i < 5; i++)
        if (args[3 + i] != Py_None && !(PyUnicode_CheckExact(args[3 + i]) && carried(args[3 + i])))
            Py_RETURN_NONE;
    Py_INCREF(status); /* (held: the allocations below may run a finalizer) */
    for (i = 0; i < 5; i++) {
        if (args[3 + i] == Py_None)
            continue;
        if (data == NULL && (data = PyDict_New()) == NULL)
            goto fail;
        if (PyDict_SetItem(data, problem_keys[i], args[3 + i]) < 0)
            goto fail;
    }
    if (data == NULL) { /* no member: Python's Error() is empty, and an empty error is none */
        response = new_status_response(args[0], status, Py_None, Py_None, args[2]);
        Py_DECREF(status);
        return response;
    }
    problem = frozenmap_type->tp_alloc(frozenmap_type, 0);
    if (problem == NULL)
        goto fail;
    put(problem, off_map_data, data);
    put(problem, off_map_hash, Py_NewRef(Py_None));
    if (!PyObject_GC_IsTracked(data))
        PyObject_GC_UnTrack(problem);
    error = error_type->tp_alloc(error_type, 0);
    if (error == NULL) {
        Py_DECREF(problem);
        Py_DECREF(status);
        return NULL;
    }
    put(error, off_err_conditions, Py_NewRef(empty_tuple));
    put(error, off_err_problem, problem);
    {
        PyObject *const values[] = {empty_tuple, problem};
        settle(error, 2, values);
    }
    response = new_status_response(args[0], status, error, Py_None, args[2]);
    Py_DECREF(error);
    Py_DECREF(status);
    return response;
fail:
    Py_XDECREF(data);
    Py_DECREF(status);
    return NULL;
}

PyDoc_STRVAR(tally_doc,
"tally(responses) -> tuple[int, int, int, int, dict[int, int]] | None\n\n"
"The counts Summary.of makes of a tuple of status-form Responses: total,\n"
"succeeded, failed, other and the count of each code (in ascending order);\n"
"None when Python must count (a propstat form, a 507 with an error, anything else).");

static PyObject *py_tally(PyObject *module, PyObject *responses)
{
    Py_ssize_t counts[500] = {0}, i, n, outcome[3] = {0, 0, 0};
    PyObject *by_status, *key, *value;
    long code;
    (void)module;
    if (response_type == NULL) {
        PyErr_SetString(PyExc_TypeError, "tally() needs setup_responses() first");
        return NULL;
    }
    if (!PyTuple_CheckExact(responses))
        Py_RETURN_NONE;
    n = PyTuple_GET_SIZE(responses);
    for (i = 0; i < n; i++) {
        PyObject *r = PyTuple_GET_ITEM(responses, i), *status, *number;
        if (Py_TYPE(r) != response_type || (status = SLOT(r, off_resp[1])) == NULL || Py_TYPE(status) != status_type ||
            (number = SLOT(status, off_status_code)) == NULL || !PyLong_CheckExact(number))
            Py_RETURN_NONE;
        code = PyLong_AsLong(number);
        if (code < 100 || code > 599) {
            PyErr_Clear(); /* (an overflow: Python counts it) */
            Py_RETURN_NONE;
        }
        if (code == 507 && SLOT(r, off_resp[3]) != Py_None)
            Py_RETURN_NONE; /* maybe truncated: Python looks at the conditions */
        counts[code - 100]++;
        outcome[code < 300 ? 0 : code >= 400 ? 1 : 2]++;
    }
    by_status = PyDict_New();
    if (by_status == NULL)
        return NULL;
    for (i = 0; i < 500; i++) {
        if (counts[i] == 0)
            continue;
        key = PyLong_FromSsize_t(i + 100);
        value = PyLong_FromSsize_t(counts[i]);
        if (key == NULL || value == NULL || PyDict_SetItem(by_status, key, value) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(value);
            Py_DECREF(by_status);
            return NULL;
        }
        Py_DECREF(key);
        Py_DECREF(value);
    }
    return Py_BuildValue("(nnnnN)", n, outcome[0], outcome[1], outcome[2], by_status);
}

PyDoc_STRVAR(setup_responses_doc,
"setup_responses(Response, Error, Status, cache) -> None\n\n"
"Hand the module the classes of status-form responses and the dict of cached\n"
"statuses by code (after setup()).");

static PyObject *py_setup_responses(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    static const char *const response_slots[10] = {"hrefs", "status", "propstats", "error", "description",
                                                    "location", "id", "headers", "body", "extensions"};
    static const char *const keys[5] = {"type", "title", "detail", "code", "message"};
    int i;
    (void)module;
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "setup_responses() takes 4 arguments (%zd given)", nargs);
        return NULL;
    }
    if (empty_map == NULL || frozenmap_type == NULL) {
        PyErr_SetString(PyExc_TypeError, "setup_responses() comes after setup()");
        return NULL;
    }
    if (take_type(args[0], &response_type, "Response") < 0 || take_type(args[1], &error_type, "Error") < 0 ||
        take_type(args[2], &status_type, "Status") < 0)
        goto fail;
    if (!PyDict_CheckExact(args[3])) {
        PyErr_SetString(PyExc_TypeError, "setup_responses(): cache must be a dict");
        goto fail;
    }
    Py_INCREF(args[3]);
    Py_XSETREF(status_cache, args[3]);
    for (i = 0; i < 10; i++)
        if ((off_resp[i] = slot_offset(response_type, response_slots[i])) < 0)
            goto fail;
    if ((off_err_conditions = slot_offset(error_type, "conditions")) < 0 ||
        (off_err_problem = slot_offset(error_type, "problem")) < 0 ||
        (off_status_code = slot_offset(status_type, "code")) < 0)
        goto fail;
    for (i = 0; i < 5; i++)
        if (problem_keys[i] == NULL && (problem_keys[i] = PyUnicode_InternFromString(keys[i])) == NULL)
            goto fail;
    Py_RETURN_NONE;
fail:
    Py_CLEAR(response_type); /* the functions refuse to run */
    return NULL;
}

/* -- setup ------------------------------------------------------------------------ */

PyDoc_STRVAR(setup_doc,
"setup(Property, Element, FrozenMap, empty, names, max_nesting) -> None\n\n"
"Hand the module the classes it fills, the shared empty FrozenMap, the dict of\n"
"checked names and the nesting limit of element content.");

static PyObject *py_setup(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 6) {
        PyErr_Format(PyExc_TypeError, "setup() takes 6 arguments (%zd given)", nargs);
        return NULL;
    }
    if (take_type(args[0], &property_type, "Property") < 0 || take_type(args[1], &element_type, "Element") < 0 ||
        take_type(args[2], &frozenmap_type, "FrozenMap") < 0)
        goto fail;
    if (!PyObject_TypeCheck(args[3], frozenmap_type) || !PyDict_CheckExact(args[4])) {
        PyErr_SetString(PyExc_TypeError, "setup(): empty must be a FrozenMap and names a dict");
        goto fail;
    }
    Py_INCREF(args[3]);
    Py_XSETREF(empty_map, args[3]);
    Py_INCREF(args[4]);
    Py_XSETREF(name_cache, args[4]);
    max_nesting = PyLong_AsLong(args[5]);
    if (max_nesting == -1 && PyErr_Occurred())
        goto fail;
    if ((off_prop_name = slot_offset(property_type, "name")) < 0 ||
        (off_prop_value = slot_offset(property_type, "value")) < 0 ||
        (off_prop_lang = slot_offset(property_type, "lang")) < 0 ||
        (off_prop_attributes = slot_offset(property_type, "attributes")) < 0 ||
        (off_el_tag = slot_offset(element_type, "tag")) < 0 ||
        (off_el_children = slot_offset(element_type, "children")) < 0 ||
        (off_el_attributes = slot_offset(element_type, "attributes")) < 0 ||
        (off_map_data = slot_offset(frozenmap_type, "_data")) < 0 ||
        (off_map_hash = slot_offset(frozenmap_type, "_hash")) < 0)
        goto fail;
    {
        /* The shared empty map holds an empty dict: no cycle can pass through it. */
        PyObject *data = *(PyObject **)((char *)empty_map + off_map_data);
        if (data != NULL && !PyObject_GC_IsTracked(data) && PyObject_GC_IsTracked(empty_map))
            PyObject_GC_UnTrack(empty_map);
    }
    Py_RETURN_NONE;
fail:
    Py_CLEAR(property_type); /* the functions refuse to run */
    Py_CLEAR(element_type);
    return NULL;
}

static PyMethodDef methods[] = {
    {"element_init", (PyCFunction)(void (*)(void))py_element_init, METH_FASTCALL, element_init_doc},
    {"mapped_props", (PyCFunction)(void (*)(void))py_mapped_props, METH_FASTCALL, mapped_props_doc},
    {"succeeded", (PyCFunction)(void (*)(void))py_succeeded, METH_FASTCALL, succeeded_doc},
    {"failed", (PyCFunction)(void (*)(void))py_failed, METH_FASTCALL, failed_doc},
    {"tally", (PyCFunction)py_tally, METH_O, tally_doc},
    {"setup", (PyCFunction)(void (*)(void))py_setup, METH_FASTCALL, setup_doc},
    {"setup_responses", (PyCFunction)(void (*)(void))py_setup_responses, METH_FASTCALL, setup_responses_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "multistatus._model._cvalues",
    .m_doc = "The common constructors of the model, in C (optional; see _model/_accel.py).",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__cvalues(void)
{
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    if (empty_str == NULL && (empty_str = PyUnicode_FromStringAndSize("", 0)) == NULL)
        goto fail;
    if (no_attribute == NULL && (no_attribute = PyUnicode_FromString("{}xmlns")) == NULL)
        goto fail;
    if (empty_tuple == NULL && (empty_tuple = PyTuple_New(0)) == NULL)
        goto fail;
    return module;
fail:
    Py_DECREF(module);
    return NULL;
}
