/* The settlement tally's loops, compiled: its per-row loop (SettlementTally._add_rows in
 * settlement_tally.py), the look-up of each row's cell, and the look-up of synced orders
 * (EngineStore.synced_flags in store.py).
 *
 * rows(ids, cells, units, sums, number, is_order_id, recorded_cells, slow, slow_units, recorded, recorded_units,
 *      new_rows, start, last, n, base, capacity) -> (stop, i, last, n, read)
 *
 * Does what the Python loop does, row by row from ``start``: numbers each order on its first
 * row (``number[id] = base + len(new_rows)``, the row's index appended to ``new_rows``), adds
 * ``(units[i] << 32) + 1`` to ``sums[cell][n]`` for the rows of a fast-path cell, and hands on to
 * ``slow`` the rows the Python code tallies after (those of no order, and those of a cell off the
 * fast path). A cell off the fast path is ``~k``; ``recorded_cells[k]`` is the cell its rows are
 * summed in when the connector model also wants each of them (its refund rows), else -1. Such a
 * row of an order is tallied as a fast-path row of that cell and handed on to ``recorded`` once
 * its sum is added. It stops early at row ``i``, before adding anything to a
 * sum for it, when the columns must grow (``stop == 1``: an order to be numbered ``capacity``;
 * nothing is changed for row ``i`` then) or when row ``i``'s sum does not fit a machine integer
 * (``stop == 2``: the caller widens the cell, a list of Python integers, and calls again from
 * ``i``; row ``i``'s order may be numbered already, and is then the ``last`` order returned, so
 * the call from ``i`` adds the row to it); ``stop == 0`` when every row is done. Sums held in
 * lists are added as Python integers. Exact integers throughout: nothing is rounded, and a sum
 * that would not fit is never stored in 64 bits. ``units`` is a list of each row's units, or the
 * amounts' text (one to a line, ``-12.30`` read as -1230 units), read as the loop goes; ``read`` is
 * then the sum of the units of rows ``start`` to ``i`` (before ``i``), else 0. A row handed on to
 * ``slow`` or ``recorded`` has its units appended to ``slow_units`` or ``recorded_units``.
 *
 * cells(columns, cell_of, memo) -> list
 *
 * What ``list(map(cell_of.get, zip(*columns)))`` gives: each row's cell, from the dict keyed by
 * the tuple of the row's texts (one per column), ``None`` where it has none. A settlement's rows
 * fall in a few hundred cells: ``memo`` (from ``memo()``, one per ``cell_of``) remembers the
 * texts of rows found in ``cell_of`` and their cell, and a row whose texts are those (each the
 * same text) is given that cell without a tuple being built and hashed. Only found cells are
 * remembered, so ``cell_of`` may gain keys between calls but must not change or lose any.
 *
 * lookup(numbers) -> a look-up; lookup_rows(lookup, rows); lookup_flags(lookup) -> bytes
 *
 * Which of the orders ``numbers`` numbers (order id -> number, 0 up to len(numbers) - 1) are among
 * the ids of ``rows`` (sequences whose first item is an order id, as a cursor gives them), given a
 * chunk at a time: byte ``n`` of the flags is 1 when the order numbered ``n`` was given. Ids of the
 * Amazon form are compared as the 17-digit numbers they spell, by sorting and merging, which reads
 * memory in order where a dict look-up per id reads it at random; other ids are looked up in
 * ``numbers``.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

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

/* A row's amount in units: from a list of ints (``object``, ``value`` when it ``fits`` 64 bits) or
 * read from the amounts' text (``object`` NULL; it always fits). */
typedef struct {
    long long value;
    int fits;
    PyObject *object; /* borrowed */
} Amount;

/* The amount as an int (a new reference). */
static PyObject *amount_object(const Amount *amount) {
    if (amount->object != NULL) {
        Py_INCREF(amount->object);
        return amount->object;
    }
    return PyLong_FromLongLong(amount->value);
}

/* The amounts' text: one amount to a line, each ``-?[0-9]+`` with at most one ``.`` among its digits
 * (``-12.30`` is -1230 units), at most 18 digits. */
typedef struct {
    const Py_UCS1 *next, *end;
} Amounts;

/* Read the next line's amount: 0, or -1 with ValueError when the text is not such lines. */
static int read_amount(Amounts *amounts, Amount *amount) {
    const Py_UCS1 *c = amounts->next, *end = amounts->end;
    int negative = c < end && *c == '-', digits = 0, points = 0;
    long long value = 0;
    for (c += negative; c < end && *c != '\n'; c++) {
        if (*c == '.' && !points) {
            points = 1;
        } else if (*c >= '0' && *c <= '9' && digits < 18) {
            value = value * 10 + (*c - '0');
            digits++;
        } else {
            digits = 0;
            break;
        }
    }
    if (digits == 0 || (c < end && *c != '\n')) {
        PyErr_SetString(PyExc_ValueError, "an amount's text is not plain digits");
        return -1;
    }
    amounts->next = c < end ? c + 1 : c;
    amount->value = negative ? -value : value;
    amount->fits = 1;
    amount->object = NULL;
    return 0;
}

/* Add a row's amount to column ``cell`` at ``n``: 0 done, 1 does not fit (nothing changed), -1 error. */
static int add(PyObject *sums, Columns *columns, Py_ssize_t cell, Py_ssize_t n, const Amount *amount) {
    Py_buffer *view = &columns->views[cell];
    if (view->buf != NULL) {
        if (!amount->fits) {
            return 1;
        }
        if (n < 0 || n >= view->len / 8) {
            PyErr_SetString(PyExc_IndexError, "order number outside its column");
            return -1;
        }
        long long *slot = (long long *)view->buf + n;
        __int128 total = (__int128)*slot + (__int128)amount->value * ((__int128)1 << SHIFT) + 1;
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
    PyObject *units = amount_object(amount);
    PyObject *shift = PyLong_FromLong(SHIFT), *one = PyLong_FromLong(1);
    PyObject *shifted = units && shift && one ? PyNumber_Lshift(units, shift) : NULL;
    PyObject *packed = shifted ? PyNumber_Add(shifted, one) : NULL;
    Py_XDECREF(units);
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

/* Hand row ``i`` on: its index to ``rows``, its amount to ``units``. */
static int hand_on(PyObject *rows, PyObject *units, Py_ssize_t i, const Amount *amount) {
    PyObject *value = amount_object(amount);
    if (value == NULL) {
        return -1;
    }
    int status = PyList_Append(units, value);
    Py_DECREF(value);
    return status < 0 ? -1 : append_index(rows, i);
}

/* An exact 128-bit integer as an int. */
static PyObject *from_int128(__int128 value) {
    if (value >= (__int128)LLONG_MIN && value <= (__int128)LLONG_MAX) {
        return PyLong_FromLongLong((long long)value);
    }
    unsigned char bytes[16];
    for (int k = 0; k < 16; k++) {
        bytes[k] = (unsigned char)((unsigned __int128)value >> (8 * k));
    }
    return _PyLong_FromByteArray(bytes, 16, 1, 1); /* little endian, signed */
}

static PyObject *rows(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *ids, *cells, *units, *sums, *number, *is_order_id, *recorded_cells, *slow, *slow_units, *recorded;
    PyObject *recorded_units, *new_rows, *last;
    Py_ssize_t start, n, base, capacity;
    if (!PyArg_ParseTuple(args, "O!O!OO!O!OO!O!O!O!O!O!nOnnn", &PyList_Type, &ids, &PyList_Type, &cells, &units,
                          &PyList_Type, &sums, &PyDict_Type, &number, &is_order_id, &PyList_Type, &recorded_cells,
                          &PyList_Type, &slow, &PyList_Type, &slow_units, &PyList_Type, &recorded, &PyList_Type,
                          &recorded_units, &PyList_Type, &new_rows, &start, &last, &n, &base, &capacity)) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(ids);
    Amounts amounts = {NULL, NULL};
    if (PyUnicode_Check(units)) {
        if (PyUnicode_READY(units) < 0) {
            return NULL;
        }
        if (PyUnicode_KIND(units) != PyUnicode_1BYTE_KIND) {
            PyErr_SetString(PyExc_ValueError, "an amount's text is not plain digits");
            return NULL;
        }
        amounts.next = PyUnicode_1BYTE_DATA(units);
        amounts.end = amounts.next + PyUnicode_GET_LENGTH(units);
        Amount skipped;
        for (Py_ssize_t k = 0; k < start; k++) { /* the rows tallied before this call */
            if (read_amount(&amounts, &skipped) < 0) {
                return NULL;
            }
        }
    } else if (!PyList_Check(units) || PyList_GET_SIZE(units) < count) {
        PyErr_SetString(PyExc_ValueError, "the columns of a batch differ in length");
        return NULL;
    }
    if (PyList_GET_SIZE(cells) < count) {
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
    __int128 read = 0; /* the units read from the text, of rows start to i */
    Py_ssize_t i = start;
    for (; i < count; i++) {
        PyObject *order_id = PyList_GET_ITEM(ids, i);
        Amount amount;
        __int128 before = read;
        if (amounts.next == NULL) {
            int overflow = 0;
            amount.object = PyList_GET_ITEM(units, i);
            amount.value = PyLong_AsLongLongAndOverflow(amount.object, &overflow);
            amount.fits = !overflow;
            if (amount.value == -1 && PyErr_Occurred()) {
                failed = 1;
                break;
            }
        } else if (read_amount(&amounts, &amount) < 0) {
            failed = 1;
            break;
        } else {
            read += amount.value;
        }
        Py_ssize_t cell = PyLong_AsSsize_t(PyList_GET_ITEM(cells, i));
        if (cell == -1 && PyErr_Occurred()) {
            failed = 1;
            break;
        }
        int record = 0;
        if (cell < 0) { /* off the fast path: to the Python code, unless its rows are recorded */
            if (~cell >= PyList_GET_SIZE(recorded_cells)) {
                PyErr_SetString(PyExc_IndexError, "a row's cell is not known");
                failed = 1;
                break;
            }
            cell = PyLong_AsSsize_t(PyList_GET_ITEM(recorded_cells, ~cell));
            if (cell == -1 && PyErr_Occurred()) {
                failed = 1;
                break;
            }
            if (cell < 0) {
                if (hand_on(slow, slow_units, i, &amount) < 0) {
                    failed = 1;
                    break;
                }
                continue;
            }
            record = 1;
        }
        if (cell >= columns.count) {
            PyErr_SetString(PyExc_IndexError, "a row's cell is not known");
            failed = 1;
            break;
        }
        int repeat = same(order_id, held);
        if (repeat < 0) {
            failed = 1;
            break;
        }
        if (!repeat) {
            Py_ssize_t found = base + PyList_GET_SIZE(new_rows); /* the number of an order numbered now */
            PyObject *known = NULL;
            int fresh = 0;
            if (amazon_form(order_id)) { /* numbered now unless it was before: one look-up */
                if (found >= capacity) { /* full columns: they grow only for an order not numbered yet */
                    known = PyDict_GetItemWithError(number, order_id);
                    if (known == NULL) {
                        failed = PyErr_Occurred() != NULL;
                        stop = 1;
                        read = before;
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
                        if (hand_on(slow, slow_units, i, &amount) < 0) {
                            failed = 1;
                            break;
                        }
                        continue;
                    }
                    if (found >= capacity) {
                        stop = 1;
                        read = before;
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
        }
        int status = add(sums, &columns, cell, n, &amount);
        if (status != 0) {
            failed = status < 0;
            stop = 2;
            read = before;
            break;
        }
        if (record && hand_on(recorded, recorded_units, i, &amount) < 0) {
            failed = 1;
            break;
        }
    }
    release(&columns);
    if (failed) {
        Py_XDECREF(held);
        return NULL;
    }
    if (!stop && amounts.next != NULL && amounts.next != amounts.end) {
        Py_XDECREF(held);
        PyErr_SetString(PyExc_ValueError, "the amounts' text has more lines than the batch has rows");
        return NULL;
    }
    PyObject *units_read = from_int128(read);
    PyObject *result = units_read == NULL ? NULL : Py_BuildValue("(inOnN)", stop, i, held ? held : Py_None, n,
                                                                 units_read);
    Py_XDECREF(held);
    return result;
}

#define KEY_COLUMNS 4
#define REMEMBERED 1024 /* cells a memo remembers: a power of two */
#define MEMO "syncproof.settlement_tally.cells"

typedef struct {
    PyObject *texts[KEY_COLUMNS]; /* the texts of the row that filled the entry (NULL past its columns) */
    PyObject *cell;               /* NULL: an empty entry */
    Py_uhash_t hash;
} Remembered;

static void forget(Remembered *entry) {
    for (Py_ssize_t c = 0; c < KEY_COLUMNS; c++) {
        Py_CLEAR(entry->texts[c]);
    }
    Py_CLEAR(entry->cell);
}

static void free_memo(PyObject *capsule) {
    Remembered *table = PyCapsule_GetPointer(capsule, MEMO);
    if (table != NULL) {
        for (Py_ssize_t k = 0; k < REMEMBERED; k++) {
            forget(&table[k]);
        }
        PyMem_Free(table);
    }
}

static PyObject *memo(PyObject *Py_UNUSED(module), PyObject *Py_UNUSED(args)) {
    Remembered *table = PyMem_Calloc(REMEMBERED, sizeof(Remembered));
    if (table == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(table, MEMO, free_memo);
    if (capsule == NULL) {
        PyMem_Free(table);
    }
    return capsule;
}

/* Eight bytes of a text as a word, zero-padded when it has fewer. */
static inline uint64_t word_at(const unsigned char *data, size_t size) {
    uint64_t word = 0;
    memcpy(&word, data, size < 8 ? size : 8);
    return word;
}

static inline uint64_t mix(uint64_t hash, uint64_t word) {
    hash = (hash ^ word) * 0x9E3779B97F4A7C15ULL;
    return hash ^ (hash >> 29);
}

/* A cheap hash of a row's texts (their sizes, first and last bytes), every bit of them reaching
 * the low bits (murmur3's finalizer); 0 when one is not a str. */
static Py_uhash_t texts_hash(PyObject **texts, Py_ssize_t count) {
    uint64_t hash = 1469598103934665603ULL;
    for (Py_ssize_t c = 0; c < count; c++) {
        PyObject *text = texts[c];
        if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_READY(text)) {
            return 0;
        }
        size_t size = (size_t)PyUnicode_GET_LENGTH(text) * PyUnicode_KIND(text);
        const unsigned char *data = PyUnicode_DATA(text);
        hash = mix(mix(hash, size), word_at(data, size));
        if (size > 8) {
            hash = mix(hash, word_at(data + size - 8, 8));
        }
    }
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ULL;
    hash ^= hash >> 33;
    return hash ? (Py_uhash_t)hash : 1;
}

static PyObject *cells(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *columns, *cell_of, *capsule;
    if (!PyArg_ParseTuple(args, "O!O!O", &PyList_Type, &columns, &PyDict_Type, &cell_of, &capsule)) {
        return NULL;
    }
    Remembered *table = PyCapsule_GetPointer(capsule, MEMO);
    if (table == NULL) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(columns);
    if (count < 1 || count > KEY_COLUMNS) {
        PyErr_SetString(PyExc_ValueError, "a cell is keyed by 1 to 4 columns");
        return NULL;
    }
    Py_ssize_t rows = -1;
    for (Py_ssize_t c = 0; c < count; c++) {
        PyObject *column = PyList_GET_ITEM(columns, c);
        if (!PyList_Check(column) || (rows >= 0 && PyList_GET_SIZE(column) != rows)) {
            PyErr_SetString(PyExc_ValueError, "the columns of a batch are lists of one length");
            return NULL;
        }
        rows = PyList_GET_SIZE(column);
    }
    PyObject *found = PyList_New(rows);
    if (found == NULL) {
        return NULL;
    }
    PyObject *texts[KEY_COLUMNS];
    for (Py_ssize_t i = 0; i < rows; i++) {
        for (Py_ssize_t c = 0; c < count; c++) {
            texts[c] = PyList_GET_ITEM(PyList_GET_ITEM(columns, c), i);
        }
        Py_uhash_t hash = texts_hash(texts, count);
        /* two places a row's texts may be remembered in; a new entry goes to an empty one, else the second */
        Remembered *entry = &table[hash & (REMEMBERED - 1)];
        PyObject *cell = NULL;
        for (int place = 0; place < 2 && hash && cell == NULL; place++) {
            entry = &table[(place ? hash >> 32 : hash) & (REMEMBERED - 1)];
            if (entry->cell != NULL && entry->hash == hash) {
                int equal = 1;
                for (Py_ssize_t c = 0; c < count && equal; c++) {
                    equal = same(texts[c], entry->texts[c]); /* both exact str: no error */
                }
                cell = equal == 1 ? entry->cell : NULL;
            }
        }
        if (cell == NULL && hash && table[hash & (REMEMBERED - 1)].cell == NULL) {
            entry = &table[hash & (REMEMBERED - 1)];
        }
        if (cell == NULL) {
            PyObject *key = PyTuple_New(count);
            if (key == NULL) {
                Py_DECREF(found); /* its unset items are NULL, which a list's dealloc skips */
                return NULL;
            }
            for (Py_ssize_t c = 0; c < count; c++) {
                Py_INCREF(texts[c]);
                PyTuple_SET_ITEM(key, c, texts[c]);
            }
            cell = PyDict_GetItemWithError(cell_of, key); /* borrowed */
            Py_DECREF(key);
            if (cell == NULL) {
                if (PyErr_Occurred()) {
                    Py_DECREF(found);
                    return NULL;
                }
                cell = Py_None; /* no cell yet: not remembered */
            } else if (hash) {
                forget(entry);
                for (Py_ssize_t c = 0; c < count; c++) {
                    Py_INCREF(texts[c]);
                    entry->texts[c] = texts[c];
                }
                Py_INCREF(cell);
                entry->cell = cell;
                entry->hash = hash;
            }
        }
        Py_INCREF(cell);
        PyList_SET_ITEM(found, i, cell);
    }
    return found;
}

#define LOOKUP "syncproof.settlement_tally.lookup"

typedef struct {
    uint64_t key;
    Py_ssize_t number;
} Numbered;

typedef struct {
    PyObject *numbers;   /* the mapping asked about (a strong reference) */
    Numbered *orders;    /* its ids of the Amazon form, sorted by key */
    Py_ssize_t orders_count;
    uint64_t *given;     /* the keys of the ids given of the Amazon form */
    Py_ssize_t given_count, given_capacity;
    unsigned char *flags; /* per number: given (an id not of the Amazon form) */
    Py_ssize_t size;
} Lookup;

/* The 17 digits of an id of the Amazon form (see amazon_form) as a number. */
static uint64_t form_key(PyObject *id) {
    const Py_UCS1 *c = PyUnicode_1BYTE_DATA(id);
    uint64_t key = 0;
    for (int k = 0; k < 19; k++) {
        if (k != 3 && k != 11) {
            key = key * 10 + (uint64_t)(c[k] - '0');
        }
    }
    return key;
}

static int by_key(const void *a, const void *b) {
    uint64_t x = ((const Numbered *)a)->key, y = ((const Numbered *)b)->key;
    return (x > y) - (x < y);
}

static int by_value(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void free_lookup(PyObject *capsule) {
    Lookup *lookup = PyCapsule_GetPointer(capsule, LOOKUP);
    if (lookup != NULL) {
        Py_XDECREF(lookup->numbers);
        PyMem_Free(lookup->orders);
        PyMem_Free(lookup->given);
        PyMem_Free(lookup->flags);
        PyMem_Free(lookup);
    }
}

static PyObject *lookup(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *numbers;
    if (!PyArg_ParseTuple(args, "O!", &PyDict_Type, &numbers)) {
        return NULL;
    }
    Py_ssize_t size = PyDict_GET_SIZE(numbers);
    Lookup *found = PyMem_Calloc(1, sizeof(Lookup));
    if (found == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *capsule = PyCapsule_New(found, LOOKUP, free_lookup);
    if (capsule == NULL) {
        PyMem_Free(found);
        return NULL;
    }
    Py_INCREF(numbers);
    found->numbers = numbers;
    found->size = size;
    found->orders = PyMem_Malloc((size ? size : 1) * sizeof(Numbered));
    found->flags = PyMem_Calloc(size ? size : 1, 1);
    if (found->orders == NULL || found->flags == NULL) {
        Py_DECREF(capsule);
        return PyErr_NoMemory();
    }
    Py_ssize_t position = 0;
    PyObject *id, *number;
    while (PyDict_Next(numbers, &position, &id, &number)) {
        Py_ssize_t n = PyLong_AsSsize_t(number);
        if (n == -1 && PyErr_Occurred()) {
            Py_DECREF(capsule);
            return NULL;
        }
        if (n < 0 || n >= size) {
            Py_DECREF(capsule);
            PyErr_SetString(PyExc_ValueError, "the orders are not numbered 0 up to their count");
            return NULL;
        }
        if (amazon_form(id)) {
            found->orders[found->orders_count].key = form_key(id);
            found->orders[found->orders_count++].number = n;
        }
    }
    qsort(found->orders, (size_t)found->orders_count, sizeof(Numbered), by_key);
    return capsule;
}

static PyObject *lookup_rows(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *capsule, *rows;
    if (!PyArg_ParseTuple(args, "OO!", &capsule, &PyList_Type, &rows)) {
        return NULL;
    }
    Lookup *found = PyCapsule_GetPointer(capsule, LOOKUP);
    if (found == NULL) {
        return NULL;
    }
    Py_ssize_t count = PyList_GET_SIZE(rows);
    if (found->given_count + count > found->given_capacity) {
        Py_ssize_t capacity = found->given_capacity * 2 > found->given_count + count
                              ? found->given_capacity * 2 : found->given_count + count + 1024;
        uint64_t *given = PyMem_Realloc(found->given, (size_t)capacity * sizeof(uint64_t));
        if (given == NULL) {
            return PyErr_NoMemory();
        }
        found->given = given;
        found->given_capacity = capacity;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *row = PyList_GET_ITEM(rows, i);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) < 1) {
            PyErr_SetString(PyExc_TypeError, "a row is not a tuple starting with its order id");
            return NULL;
        }
        PyObject *id = PyTuple_GET_ITEM(row, 0);
        if (amazon_form(id)) {
            found->given[found->given_count++] = form_key(id);
            continue;
        }
        PyObject *number = PyDict_GetItemWithError(found->numbers, id);
        if (number == NULL) {
            if (PyErr_Occurred()) {
                return NULL;
            }
            continue; /* not asked about */
        }
        Py_ssize_t n = PyLong_AsSsize_t(number);
        if (n < 0 || n >= found->size) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_ValueError, "the orders are not numbered 0 up to their count");
            }
            return NULL;
        }
        found->flags[n] = 1;
    }
    Py_RETURN_NONE;
}

static PyObject *lookup_flags(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *capsule;
    if (!PyArg_ParseTuple(args, "O", &capsule)) {
        return NULL;
    }
    Lookup *found = PyCapsule_GetPointer(capsule, LOOKUP);
    if (found == NULL) {
        return NULL;
    }
    uint64_t *given = found->given;
    Py_ssize_t given_count = found->given_count;
    for (Py_ssize_t k = 1; k < given_count; k++) { /* a cursor on an index gives them in order */
        if (given[k - 1] > given[k]) {
            qsort(given, (size_t)given_count, sizeof(uint64_t), by_value);
            break;
        }
    }
    Numbered *orders = found->orders;
    for (Py_ssize_t a = 0, b = 0; a < found->orders_count && b < given_count;) {
        if (orders[a].key < given[b]) {
            a++;
        } else if (orders[a].key > given[b]) {
            b++;
        } else {
            found->flags[orders[a++].number] = 1;
        }
    }
    return PyBytes_FromStringAndSize((const char *)found->flags, found->size);
}

static PyMethodDef methods[] = {
    {"rows", rows, METH_VARARGS, "Tally a batch's rows from ``start`` (see the module's source)."},
    {"cells", cells, METH_VARARGS, "Each row's cell, as list(map(cell_of.get, zip(*columns))) gives them."},
    {"memo", memo, METH_NOARGS, "A new memo of cells for cells() (one per dict of cells)."},
    {"lookup", lookup, METH_VARARGS, "A look-up of which numbered orders are among ids given (see the source)."},
    {"lookup_rows", lookup_rows, METH_VARARGS, "Give a look-up a chunk of rows, each starting with an order id."},
    {"lookup_flags", lookup_flags, METH_VARARGS, "Per order number, 1 when its id was given to the look-up."},
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
