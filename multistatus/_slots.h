/*
 * What the library's C modules share: reading the slot layout of the value
 * classes they fill or read, and holding a class handed to setup().
 * (Included by _model/_cvalues.c and _xml/_cwriter.c.)
 */
#ifndef MULTISTATUS_SLOTS_H
#define MULTISTATUS_SLOTS_H

#include <Python.h>
#include <structmember.h> /* PyMemberDef before 3.12 */

/* The object in the slot at *offset* of *obj* (borrowed; NULL when never set). */
#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

/* The offset of slot *name* of *type*, or -1 with an exception. */
static Py_ssize_t slot_offset(PyTypeObject *type, const char *name)
{
    PyObject *descr = PyDict_GetItemString(type->tp_dict, name); /* borrowed */
    PyMemberDef *member;
    if (descr == NULL || !PyObject_TypeCheck(descr, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "%.100s.%s is not a slot", type->tp_name, name);
        return -1;
    }
    member = ((PyMemberDescrObject *)descr)->d_member;
    if (member->type != 16 /* T_OBJECT_EX, Py_T_OBJECT_EX */ || member->offset <= 0 ||
        (size_t)member->offset + sizeof(PyObject *) > (size_t)type->tp_basicsize) {
        PyErr_Format(PyExc_TypeError, "%.100s.%s is not an object slot", type->tp_name, name);
        return -1;
    }
    return member->offset;
}

/* Hold the class *obj* in *where*; -1 with an exception when it is not a class. */
static int take_type(PyObject *obj, PyTypeObject **where, const char *what)
{
    if (!PyType_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "setup(): %s must be a class", what);
        return -1;
    }
    Py_INCREF(obj);
    Py_XSETREF(*where, (PyTypeObject *)obj);
    return 0;
}

#endif
