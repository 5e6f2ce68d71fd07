/* The settlement tally's per-row loop (SettlementTally._add_rows in settlement_tally.py), compiled.
 *
 * rows(ids, cells, units, sums, number, is_order_id, numbers_orders, slow, new_rows, start, last, n, base,
 *      capacity) -> (stop, i, last, n)
 *
 * Does what the Python loop does, row by row from ``start``: numbers each order on its first
 * row (``number[id] = base + len(new_rows)``, the row's index appended to ``new_rows``), adds
 * ``(units[i] << 32) + 1`` to ``sums[cell][n]`` for the rows of a fast-path cell, and appends to
 * ``slow`` the rows the Python code tallies after. It stops early at row ``i``, before adding
 * anything to a sum for it, when the columns must grow (``stop == 1``: an order to be numbered
 * ``capacity``; nothing is changed for row ``i`` then) or when row ``i``'s sum does not fit a
 * machine integer (``stop == 2``: the caller widens the cell, a list of Python integers, and calls
 * again from ``i``; row ``i``'s order may be numbered already, and is then the ``last`` order
 * returned, so the call from ``i`` adds the row to it); ``stop == 0`` when every row is done.
 * Sums held in lists are added as Python integers. Exact integers throughout: nothing is
 * rounded, and a sum that would not fit is never stored in 64 bits.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define SHIFT 32

typedef struct {
    Py_buffer *views; /* per cell: the array's buffer, or buf == NULL for a list (or no column) */
    Py_ssize_t count;
} Columns;

static void release(Columns *columns) {
    for (Py_ssize_t k = 0; k < columns->count; k++) {
        if (columns->views[k].buf != NULL) {
            PyBuffer_Release(&columns->views[k]);
        }
    }
    PyMem_Free(columns->views);
}

static int open_columns(PyObject *sums, Columns *columns) {
    Py_ssize_t count = PyList_GET_SIZE(sums);
    columns->views = PyMem_Calloc(count ? count : 1, sizeof(Py_buffer));
    columns->count = 0;
    if (columns->views == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *column = PyList_GET_ITEM(sums, k);
        columns->count = k + 1;
        if (column == Py_None || PyList_Check(column)) {
            continue;
        }
        if (PyObject_GetBuffer(column, &columns->views[k], PyBUF_WRITABLE | PyBUF_FORMAT) < 0) {
            columns->views[k].buf = NULL;
            release(columns);
            return -1;
        }
        if (columns->views[k].itemsize != 8 || columns->views[k].format == NULL
            || strcmp(columns->views[k].format, "q") != 0) {
            release(columns);
            PyErr_SetString(PyExc_TypeError, "a column of sums is not an array of 64-bit integers");
            return -1;
        }
    }
    return 0;
}

/* Add row units to column ``cell`` at ``n``: 0 done, 1 does not fit (nothing changed), -1 error. */
static int add(PyObject *sums, Columns *columns, Py_ssize_t cell, Py_ssize_t n, PyObject *units) {
    Py_buffer *view = &columns->views[cell];
    if (view->buf != NULL) {
        int overflow = 0;
        long long value = PyLong_AsLongLongAndOverflow(units, &overflow);
        if (value == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (overflow) {
            return 1;
        }
        if (n < 0 || n >= view->len / 8) {
            PyErr_SetString(PyExc_IndexError, "order number outside its column");
            return -1;
        }
        long long *slot = (long long *)view->buf + n;
        __int128 total = (__int128)*slot + (__int128)value * ((__int128)1 << SHIFT) + 1;
        if (total > (__int128)LLONG_MAX || total < (__int128)LLONG_MIN) {
            return 1;
        }
        *slot = (long long)total;
        return 0;
    }
    PyObject *column = PyList_GET_ITEM(sums, cell);
    if (!PyList_Check(column) || n < 0 || n >= PyList_GET_SIZE(column)) {
        PyErr_SetString(PyExc_TypeError, "a row's cell has no column of sums for its order");
        return -1;
    }
    PyObject *shift = PyLong_FromLong(SHIFT), *one = PyLong_FromLong(1);
    PyObject *shifted = shift && one ? PyNumber_Lshift(units, shift) : NULL;
    PyObject *packed = shifted ? PyNumber_Add(shifted, one) : NULL;
    Py_XDECREF(shift);
    Py_XDECREF(one);
    Py_XDECREF(shifted);
    if (packed == NULL) {
        return -1;
    }
    PyObject *total = PyNumber_Add(PyList_GET_ITEM(column, n), packed);
    Py_DECREF(packed);
    if (total == NULL) {
        return -1;
    }
    PyList_SetItem(column, n, total); /* steals the reference */
    return 0;
}

static int same(PyObject *a, PyObject *b) {
    if (b == NULL) {
        return 0;
    }
    if (a == b) {
        return 1;
    }
    if (PyUnicode_CheckExact(a) && PyUnicode_CheckExact(b) && PyUnicode_IS_READY(a) && PyUnicode_IS_READY(b)) {
        Py_ssize_t length = PyUnicode_GET_LENGTH(a);
        int kind = PyUnicode_KIND(a);
        return length == PyUnicode_GET_LENGTH(b) && kind == PyUnicode_KIND(b)
               && memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)length * kind) == 0;
    }
    return PyObject_RichCompareBool(a, b, Py_EQ);
}

/* An Amazon order id for certain: 3, 7 and 7 ASCII digits joined by dashes, the pattern of
 * connectors._settlement_values.is_amazon_order_id; any other id is asked of that function. */
static int amazon_form(PyObject *id) {
    if (!PyUnicode_Check(id) || PyUnicode_GET_LENGTH(id) != 19 || PyUnicode_KIND(id) != PyUnicode_1BYTE_KIND) {
        return 0;
    }
    const Py_UCS1 *c = PyUnicode_1BYTE_DATA(id);
    for (int k = 0; k < 19; k++) {
        if (k == 3 || k == 11 ? c[k] != '-' : (c[k] < '0' || c[k] > '9')) {
            return 0;
        }
    }
    return 1;
}

static int append_index(PyObject *list, Py_ssize_t i) {
    PyObject *index = PyLong_FromSsize_t(i);
    if (index == NULL) {
        return -1;
    }
    int status = PyList_Append(list, index);
    Py_DECREF(index);
    return status;
}

static PyObject *rows(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *ids, *cells, *units, *sums, *number, *is_order_id, *numbers_orders, *slow, *new_rows, *last;
    Py_ssize_t start, n, base, capacity;
    if (!PyArg_ParseTuple(args, "O!O!O!O!O!OO!O!O!nOnnn", &PyList_Type, &ids, &PyList_Type, &cells,
                          &PyList_Type, &units, &PyList_Type, &sums, &PyDict_Type, &number, &is_order_id,
                          &PyList_Type, &numbers_orders, &PyList_Type, &slow, &PyList_Type, &new_rows, &start,
                          &last, &n, &base, &capacity)) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(ids);
    if (PyList_GET_SIZE(cells) < count || PyList_GET_SIZE(units) < count) {
        PyErr_SetString(PyExc_ValueError, "the columns of a batch differ in length");
        return NULL;
    }
    Columns columns;
    if (open_columns(sums, &columns) < 0) {
        return NULL;
    }
    PyObject *held = last == Py_None ? NULL : last; /* the last order id numbered (borrowed from ids) */
    if (held != NULL) {
        Py_INCREF(held);
    }
    int stop = 0, failed = 0;
    Py_ssize_t i = start;
    for (; i < count; i++) {
        PyObject *order_id = PyList_GET_ITEM(ids, i);
        Py_ssize_t cell = PyLong_AsSsize_t(PyList_GET_ITEM(cells, i));
        if (cell == -1 && PyErr_Occurred()) {
            failed = 1;
            break;
        }
        if (cell >= columns.count || ~cell >= PyList_GET_SIZE(numbers_orders)) {
            PyErr_SetString(PyExc_IndexError, "a row's cell is not known");
            failed = 1;
            break;
        }
        int fast = cell >= 0;
        int repeat = same(order_id, held);
        if (repeat < 0) {
            failed = 1;
            break;
        }
        if (!fast && (repeat || !PyObject_IsTrue(PyList_GET_ITEM(numbers_orders, ~cell)))) {
            if (append_index(slow, i) < 0) {
                failed = 1;
                break;
            }
            continue;
        }
        if (fast && repeat) {
            int status = add(sums, &columns, cell, n, PyList_GET_ITEM(units, i));
            if (status != 0) {
                failed = status < 0;
                stop = 2;
                break;
            }
            continue;
        }
        Py_ssize_t found = base + PyList_GET_SIZE(new_rows); /* the number of an order numbered now */
        PyObject *known = NULL;
        int fresh = 0;
        if (amazon_form(order_id)) { /* numbered now unless it was before: one look-up */
            if (found >= capacity) { /* full columns: they grow only for an order not numbered yet */
                known = PyDict_GetItemWithError(number, order_id);
                if (known == NULL) {
                    failed = PyErr_Occurred() != NULL;
                    stop = 1;
                    break;
                }
            } else {
                PyObject *numbered = PyLong_FromSsize_t(found);
                known = numbered == NULL ? NULL : PyDict_SetDefault(number, order_id, numbered);
                fresh = known != NULL && known == numbered;
                Py_XDECREF(numbered); /* the dict holds it when it was put there */
                if (known == NULL) {
                    failed = 1;
                    break;
                }
            }
        } else {
            known = PyDict_GetItemWithError(number, order_id);
            if (known == NULL) {
                if (PyErr_Occurred()) {
                    failed = 1;
                    break;
                }
                int order = PyObject_IsTrue(order_id); /* not of the Amazon form: the rule decides */
                if (order > 0) {
                    PyObject *answer = PyObject_CallOneArg(is_order_id, order_id);
                    order = answer == NULL ? -1 : PyObject_IsTrue(answer);
                    Py_XDECREF(answer);
                }
                if (order < 0) {
                    failed = 1;
                    break;
                }
                if (!order) { /* the row belongs to no order */
                    if (append_index(slow, i) < 0) {
                        failed = 1;
                        break;
                    }
                    continue;
                }
                if (found >= capacity) {
                    stop = 1;
                    break;
                }
                PyObject *numbered = PyLong_FromSsize_t(found);
                if (numbered == NULL || PyDict_SetItem(number, order_id, numbered) < 0) {
                    Py_XDECREF(numbered);
                    failed = 1;
                    break;
                }
                Py_DECREF(numbered);
                fresh = 1;
            }
        }
        if (fresh) {
            if (append_index(new_rows, i) < 0) {
                failed = 1;
                break;
            }
        } else {
            found = PyLong_AsSsize_t(known);
            if (found == -1 && PyErr_Occurred()) {
                failed = 1;
                break;
            }
        }
        Py_INCREF(order_id);
        Py_XDECREF(held);
        held = order_id;
        n = found;
        if (fast) {
            int status = add(sums, &columns, cell, n, PyList_GET_ITEM(units, i));
            if (status != 0) {
                failed = status < 0;
                stop = 2;
                break;
            }
        } else if (append_index(slow, i) < 0) {
            failed = 1;
            break;
        }
    }
    release(&columns);
    if (failed) {
        Py_XDECREF(held);
        return NULL;
    }
    PyObject *result = Py_BuildValue("(inOn)", stop, i, held ? held : Py_None, n);
    Py_XDECREF(held);
    return result;
}

static PyMethodDef methods[] = {
    {"rows", rows, METH_VARARGS, "Tally a batch's rows from ``start`` (see the module's source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_tally_kernel",
    .m_doc = "The settlement tally's per-row loop, compiled.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__tally_kernel(void) {
    return PyModule_Create(&module);
}
