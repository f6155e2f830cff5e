/* framelens._wordscan: the word tokens of framelens.text.WORD, scanned in C.
 *
 * framelens.text.WORD is the regular expression
 *
 *     \w(?:(?<=[^\W\d_])\.(?:[^\W\d_]\.)+|\w*(?:['\u2019\u2010\u2011-]\w+)*)
 *
 * and this module returns exactly what ``WORD.findall`` returns, without the regex
 * engine. The character classes are those of Python's ``re`` for str patterns
 * (CPython Modules/_sre/sre.c):
 *
 *     \w   SRE_UNI_IS_WORD(ch)  = Py_UNICODE_ISALNUM(ch) || ch == '_'
 *     \d   SRE_UNI_IS_DIGIT(ch) = Py_UNICODE_ISDECIMAL(ch)
 *
 * so a "letter" ([^\W\d_]) is a word character that is neither decimal nor '_'.
 * The scan, at each position i not inside an earlier token (findall's leftmost,
 * non-overlapping matches; every match starts with a word character):
 *
 *   1. a letter followed by '.', then one or more (letter '.') pairs, as many as
 *      there are: an initialism ("u.s.", "d.c.");
 *   2. otherwise the longest run of word characters, then, as long as a separator
 *      (' \u2019 \u2010 \u2011 -) is followed by a word character, the separator and
 *      the longest run after it.
 *
 * The first alternative that matches is taken and every repeat is greedy with
 * nothing after it in the pattern, so no backtracking can give another match.
 *
 * findall(text, lower): lower=False gives WORD.findall(text). lower=True gives
 * WORD.findall(text.lower().replace("\u2019", "'").replace("\u2010", "-")
 * .replace("\u2011", "-")), i.e. framelens.text.words(text), classifying and
 * copying each character's lowercase (Py_UNICODE_TOLOWER, which equals str.lower
 * character by character for every code point but U+0130, whose lowercase is two
 * characters, and U+03A3, whose lowercase depends on its neighbours); for a text
 * holding either of those two it returns None and the caller lowercases token by
 * token, as text.words does.
 *
 * number(text, index) numbers the tokens of findall(text, True) in the dict index
 * (word -> number; a new word gets len(index)) and returns the numbers as native
 * int64 bytes, or None for a text holding U+0130 or U+03A3 (index unchanged).
 *
 * count(text) is len(WORD.findall(text)) without building the tokens.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define SEP_APOS 0x27
#define SEP_HYPHEN 0x2D

/* Classes of the ASCII characters: bit 1 word (\w), bit 2 letter ([^\W\d_]). */
static unsigned char ascii_class[128];

#define CLS_WORD 1
#define CLS_LETTER 2

static inline int
char_class(Py_UCS4 ch)
{
    if (ch < 128) {
        return ascii_class[ch];
    }
    if (!Py_UNICODE_ISALNUM(ch)) {
        return 0;
    }
    return Py_UNICODE_ISDECIMAL(ch) ? CLS_WORD : (CLS_WORD | CLS_LETTER);
}

static inline int
is_sep(Py_UCS4 ch)
{
    return ch == SEP_APOS || ch == SEP_HYPHEN || ch == 0x2019 || ch == 0x2010 || ch == 0x2011;
}

/* The character at i as the scan sees it: raw, or lowercased with the curly
 * apostrophe and the unicode hyphens normalised. */
static inline __attribute__((always_inline)) Py_UCS4
get_char(int kind, const void *data, Py_ssize_t i, int lower)
{
    Py_UCS4 ch = PyUnicode_READ(kind, data, i);
    if (!lower) {
        return ch;
    }
    if (ch < 128) {
        return (ch >= 'A' && ch <= 'Z') ? ch + 32 : ch;
    }
    ch = Py_UNICODE_TOLOWER(ch);
    if (ch == 0x2019) {
        return SEP_APOS;
    }
    if (ch == 0x2010 || ch == 0x2011) {
        return SEP_HYPHEN;
    }
    return ch;
}

/* End of the token starting at i (a word character), or of the scan.
 */
static inline __attribute__((always_inline)) Py_ssize_t
token_end(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, int lower)
{
    Py_ssize_t j;
    int cls = char_class(get_char(kind, data, i, lower));
    /* 1. an initialism: letter '.' (letter '.')+ */
    if ((cls & CLS_LETTER) && i + 1 < n && get_char(kind, data, i + 1, lower) == '.') {
        Py_ssize_t pairs = 0;
        j = i + 2;
        while (j + 1 < n && (char_class(get_char(kind, data, j, lower)) & CLS_LETTER)
               && get_char(kind, data, j + 1, lower) == '.') {
            j += 2;
            pairs++;
        }
        if (pairs > 0) {
            return j;
        }
    }
    /* 2. a run of word characters joined by single separators */
    j = i + 1;
    for (;;) {
        while (j < n && (char_class(get_char(kind, data, j, lower)) & CLS_WORD)) {
            j++;
        }
        if (j + 1 < n && is_sep(get_char(kind, data, j, lower))
            && (char_class(get_char(kind, data, j + 1, lower)) & CLS_WORD)) {
            j += 2;
            continue;
        }
        return j;
    }
}

/* The token text[a:b], lowercased and normalised (lower) or as it is. */
static inline __attribute__((always_inline)) PyObject *
make_token(PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, int lower,
           Py_UCS4 **buf, Py_ssize_t *bufsize)
{
    Py_ssize_t len = b - a, k;
    Py_UCS4 maxchar = 0;
    PyObject *tok;
    if (!lower) {
        return PyUnicode_Substring(text, a, b);
    }
    if (len > *bufsize) {
        Py_UCS4 *grown = PyMem_Realloc(*buf, (size_t)len * sizeof(Py_UCS4));
        if (grown == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        *buf = grown;
        *bufsize = len;
    }
    for (k = 0; k < len; k++) {
        Py_UCS4 ch = get_char(kind, data, a + k, 1);
        (*buf)[k] = ch;
        if (ch > maxchar) {
            maxchar = ch;
        }
    }
    tok = PyUnicode_New(len, maxchar);
    if (tok == NULL) {
        return NULL;
    }
    {
        int tkind = PyUnicode_KIND(tok);
        void *tdata = PyUnicode_DATA(tok);
        for (k = 0; k < len; k++) {
            PyUnicode_WRITE(tkind, tdata, k, (*buf)[k]);
        }
    }
    return tok;
}

static int
has_lower_exception(int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t i;
    if (kind == PyUnicode_1BYTE_KIND) {
        return 0; /* U+0130 and U+03A3 are past U+00FF */
    }
    for (i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == 0x130 || ch == 0x3A3) {
            return 1;
        }
    }
    return 0;
}

#define MODE_LIST 0
#define MODE_COUNT 1
#define MODE_NUMBER 2

/* One token for the output: appended to the list (MODE_LIST), or looked up in the
 * index dict, numbered len(index) when new, and its number written to ids
 * (MODE_NUMBER). Returns 0, or -1 with an exception set. */
static inline __attribute__((always_inline)) int
emit(PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, int lower,
     int mode, PyObject *out, PyObject *index, long long *ids, Py_ssize_t count,
     Py_UCS4 **buf, Py_ssize_t *bufsize)
{
    PyObject *tok = make_token(text, kind, data, a, b, lower, buf, bufsize);
    if (tok == NULL) {
        return -1;
    }
    if (mode == MODE_LIST) {
        int rc = PyList_Append(out, tok);
        Py_DECREF(tok);
        return rc;
    }
    else {
        PyObject *num = PyDict_GetItemWithError(index, tok);  /* borrowed */
        if (num == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(tok);
                return -1;
            }
            num = PyLong_FromSsize_t(PyDict_GET_SIZE(index));
            if (num == NULL || PyDict_SetItem(index, tok, num) < 0) {
                Py_XDECREF(num);
                Py_DECREF(tok);
                return -1;
            }
            Py_DECREF(num);  /* the dict holds it */
        }
        Py_DECREF(tok);
        ids[count] = PyLong_AsLongLong(num);
        return 0;
    }
}

/* The scan of one text of one kind (a constant after inlining, so that
 * PyUnicode_READ's switch on the kind folds away). */
static inline __attribute__((always_inline)) PyObject *
scan_kind(PyObject *text, int kind, int lower, int mode, PyObject *index)
{
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0, count = 0;
    PyObject *out = NULL;
    long long *ids = NULL;
    Py_ssize_t idcap = 0;
    Py_UCS4 *buf = NULL;
    Py_ssize_t bufsize = 0;

    if (lower && has_lower_exception(kind, data, n)) {
        Py_RETURN_NONE;
    }
    if (mode == MODE_LIST) {
        out = PyList_New(0);
        if (out == NULL) {
            return NULL;
        }
    }
    else if (mode == MODE_NUMBER) {
        idcap = n / 4 + 16;  /* grown below when a text has more tokens */
        ids = PyMem_Malloc((size_t)idcap * sizeof(long long));
        if (ids == NULL) {
            return PyErr_NoMemory();
        }
    }
    while (i < n) {
        Py_ssize_t j;
        if (!(char_class(get_char(kind, data, i, lower)) & CLS_WORD)) {
            i++;
            continue;
        }
        j = token_end(kind, data, n, i, lower);
        if (mode == MODE_NUMBER && count == idcap) {
            long long *grown = PyMem_Realloc(ids, (size_t)idcap * 2 * sizeof(long long));
            if (grown == NULL) {
                PyMem_Free(ids);
                PyMem_Free(buf);
                return PyErr_NoMemory();
            }
            ids = grown;
            idcap *= 2;
        }
        if (mode != MODE_COUNT
            && emit(text, kind, data, i, j, lower, mode, out, index, ids, count, &buf, &bufsize) < 0) {
            Py_XDECREF(out);
            PyMem_Free(ids);
            PyMem_Free(buf);
            return NULL;
        }
        count++;
        i = j;
    }
    PyMem_Free(buf);
    if (mode == MODE_COUNT) {
        return PyLong_FromSsize_t(count);
    }
    if (mode == MODE_NUMBER) {
        out = PyBytes_FromStringAndSize((const char *)ids, count * (Py_ssize_t)sizeof(long long));
        PyMem_Free(ids);
    }
    return out;
}

static PyObject *
scan(PyObject *text, int lower, int mode, PyObject *index)
{
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return scan_kind(text, PyUnicode_1BYTE_KIND, lower, mode, index);
    case PyUnicode_2BYTE_KIND:
        return scan_kind(text, PyUnicode_2BYTE_KIND, lower, mode, index);
    default:
        return scan_kind(text, PyUnicode_4BYTE_KIND, lower, mode, index);
    }
}

static PyObject *
wordscan_findall(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    int lower;
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "findall expects 2 arguments (text, lower), got %zd", nargs);
        return NULL;
    }
    if (!PyUnicode_Check(args[0])) {
        PyErr_Format(PyExc_TypeError, "findall expects a str, got %.100s", Py_TYPE(args[0])->tp_name);
        return NULL;
    }
    lower = PyObject_IsTrue(args[1]);
    if (lower < 0) {
        return NULL;
    }
    return scan(args[0], lower, MODE_LIST, NULL);
}

static PyObject *
wordscan_count(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "count expects a str, got %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    return scan(text, 0, MODE_COUNT, NULL);
}

static PyObject *
wordscan_number(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "number expects 2 arguments (text, index), got %zd", nargs);
        return NULL;
    }
    if (!PyUnicode_Check(args[0])) {
        PyErr_Format(PyExc_TypeError, "number expects a str, got %.100s", Py_TYPE(args[0])->tp_name);
        return NULL;
    }
    if (!PyDict_CheckExact(args[1])) {
        PyErr_Format(PyExc_TypeError, "number expects a dict as index, got %.100s",
                     Py_TYPE(args[1])->tp_name);
        return NULL;
    }
    return scan(args[0], 1, MODE_NUMBER, args[1]);
}

static PyMethodDef wordscan_methods[] = {
    {"findall", (PyCFunction)(void (*)(void))wordscan_findall, METH_FASTCALL,
     "findall(text, lower, /)\n--\n\n"
     "WORD.findall(text); with lower true, the tokens of framelens.text.words(text),\n"
     "or None when text holds U+0130 or U+03A3 (lowercase them token by token)."},
    {"number", (PyCFunction)(void (*)(void))wordscan_number, METH_FASTCALL,
     "number(text, index, /)\n--\n\n"
     "The numbers of framelens.text.words(text) in index (a dict word -> number; a new\n"
     "word is added with the number len(index)), as native int64 bytes; None when text\n"
     "holds U+0130 or U+03A3 (index unchanged)."},
    {"count", (PyCFunction)wordscan_count, METH_O,
     "count(text, /)\n--\n\nlen(WORD.findall(text)), without building the tokens."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef wordscan_module = {
    PyModuleDef_HEAD_INIT, "_wordscan",
    "framelens.text.WORD's tokens scanned in C (see framelens.text.WORD_ENGINE).",
    -1, wordscan_methods,
};

PyMODINIT_FUNC
PyInit__wordscan(void)
{
    Py_UCS4 ch;
    for (ch = 0; ch < 128; ch++) {
        int cls = 0;
        if (Py_UNICODE_ISALNUM(ch) || ch == '_') {
            cls |= CLS_WORD;
            if (!Py_UNICODE_ISDECIMAL(ch) && ch != '_') {
                cls |= CLS_LETTER;
            }
        }
        ascii_class[ch] = (unsigned char)cls;
    }
    return PyModule_Create(&wordscan_module);
}
