/* framelens.textscan: framelens.text's word tokens and sentence spans, scanned in C.
 *
 * framelens.text uses it when framelens.text.WORD_ENGINE is "c" (the default once it is
 * built); Python's re gives the same results otherwise (tests/test_textscan.py).
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
 * Vocabulary().number(text) numbers the tokens of findall(text, True) in first-seen
 * order (a new word gets the number len(vocabulary)) and returns the numbers as
 * native int64 bytes, or None for a text holding U+0130 or U+03A3 (nothing added);
 * .add(word) numbers one word, .words() lists them in the order of their numbers.
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

/* Writes the characters of text[a:b] as the lowercasing scan sees them into *buf
 * (grown as needed); returns their largest, or (Py_UCS4)-1 when out of memory. */
static inline __attribute__((always_inline)) Py_UCS4
lowered_chars(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_UCS4 **buf,
              Py_ssize_t *bufsize)
{
    Py_ssize_t len = b - a, k;
    Py_UCS4 maxchar = 0;
    if (len > *bufsize) {
        Py_UCS4 *grown = PyMem_Realloc(*buf, (size_t)len * sizeof(Py_UCS4));
        if (grown == NULL) {
            PyErr_NoMemory();
            return (Py_UCS4)-1;
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
    return maxchar;
}

/* A new str of the len characters in buf, the largest of them maxchar. */
static PyObject *
str_of(const Py_UCS4 *buf, Py_ssize_t len, Py_UCS4 maxchar)
{
    Py_ssize_t k;
    PyObject *tok = PyUnicode_New(len, maxchar);
    if (tok == NULL) {
        return NULL;
    }
    {
        int tkind = PyUnicode_KIND(tok);
        void *tdata = PyUnicode_DATA(tok);
        for (k = 0; k < len; k++) {
            PyUnicode_WRITE(tkind, tdata, k, buf[k]);
        }
    }
    return tok;
}

/* The token text[a:b], lowercased and normalised (lower) or as it is. */
static inline __attribute__((always_inline)) PyObject *
make_token(PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, int lower,
           Py_UCS4 **buf, Py_ssize_t *bufsize)
{
    Py_UCS4 maxchar;
    if (!lower) {
        return PyUnicode_Substring(text, a, b);
    }
    maxchar = lowered_chars(kind, data, a, b, buf, bufsize);
    if (maxchar == (Py_UCS4)-1) {
        return NULL;
    }
    return str_of(*buf, b - a, maxchar);
}

/* ------------------------------------------------------------------------------
 * Vocabulary: words numbered in first-seen order, in an open-addressing hash table
 * keyed by the words' characters, so that a word already seen costs a hash and a
 * comparison, and no str is made for it. */

typedef struct {
    Py_uhash_t hash;
    PyObject *word;  /* NULL: empty slot */
    Py_ssize_t id;
} Slot;

typedef struct {
    PyObject_HEAD
    Slot *slots;
    Py_ssize_t mask;   /* table size - 1 (a power of two) */
    PyObject *words;   /* list: words[id] */
} Vocabulary;

static Py_uhash_t
hash_chars(const Py_UCS4 *buf, Py_ssize_t len)
{
    /* FNV-1a, 64 bits, over the code points */
    Py_uhash_t h = (Py_uhash_t)14695981039346656037ULL;
    Py_ssize_t k;
    for (k = 0; k < len; k++) {
        h ^= (Py_uhash_t)buf[k];
        h *= (Py_uhash_t)1099511628211ULL;
    }
    return h;
}

static int
same_chars(PyObject *word, const Py_UCS4 *buf, Py_ssize_t len)
{
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    Py_ssize_t k;
    if (PyUnicode_GET_LENGTH(word) != len) {
        return 0;
    }
    for (k = 0; k < len; k++) {
        if (PyUnicode_READ(kind, data, k) != buf[k]) {
            return 0;
        }
    }
    return 1;
}

static int
vocab_grow(Vocabulary *v)
{
    Py_ssize_t size = (v->mask + 1) * 2, k;
    Slot *slots = PyMem_Calloc((size_t)size, sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k <= v->mask; k++) {
        if (v->slots[k].word != NULL) {
            Py_ssize_t at = (Py_ssize_t)(v->slots[k].hash & (Py_uhash_t)(size - 1));
            while (slots[at].word != NULL) {
                at = (at + 1) & (size - 1);
            }
            slots[at] = v->slots[k];
        }
    }
    PyMem_Free(v->slots);
    v->slots = slots;
    v->mask = size - 1;
    return 0;
}

/* The number of the word in buf[:len] (largest character maxchar), added when new;
 * -1 with an exception set on failure. */
static Py_ssize_t
vocab_id(Vocabulary *v, const Py_UCS4 *buf, Py_ssize_t len, Py_UCS4 maxchar)
{
    Py_uhash_t h = hash_chars(buf, len);
    Py_ssize_t at = (Py_ssize_t)(h & (Py_uhash_t)v->mask), id;
    PyObject *word;
    while (v->slots[at].word != NULL) {
        if (v->slots[at].hash == h && same_chars(v->slots[at].word, buf, len)) {
            return v->slots[at].id;
        }
        at = (at + 1) & v->mask;
    }
    word = str_of(buf, len, maxchar);
    if (word == NULL) {
        return -1;
    }
    id = PyList_GET_SIZE(v->words);
    if (PyList_Append(v->words, word) < 0) {  /* the list holds the reference we keep */
        Py_DECREF(word);
        return -1;
    }
    Py_DECREF(word);
    v->slots[at].hash = h;
    v->slots[at].word = word;
    v->slots[at].id = id;
    if ((id + 1) * 2 > v->mask + 1 && vocab_grow(v) < 0) {
        return -1;
    }
    return id;
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

/* One token for the output: appended to the list (MODE_LIST), or numbered in the
 * vocabulary and its number written to ids[count] (MODE_NUMBER). Returns 0, or -1
 * with an exception set. */
static inline __attribute__((always_inline)) int
emit(PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, int lower,
     int mode, PyObject *out, Vocabulary *vocab, long long *ids, Py_ssize_t count,
     Py_UCS4 **buf, Py_ssize_t *bufsize)
{
    if (mode == MODE_LIST) {
        int rc;
        PyObject *tok = make_token(text, kind, data, a, b, lower, buf, bufsize);
        if (tok == NULL) {
            return -1;
        }
        rc = PyList_Append(out, tok);
        Py_DECREF(tok);
        return rc;
    }
    else {
        Py_UCS4 maxchar = lowered_chars(kind, data, a, b, buf, bufsize);
        Py_ssize_t id;
        if (maxchar == (Py_UCS4)-1) {
            return -1;
        }
        id = vocab_id(vocab, *buf, b - a, maxchar);
        if (id < 0) {
            return -1;
        }
        ids[count] = id;
        return 0;
    }
}

/* The scan of one text of one kind (a constant after inlining, so that
 * PyUnicode_READ's switch on the kind folds away). */
static inline __attribute__((always_inline)) PyObject *
scan_kind(PyObject *text, int kind, int lower, int mode, Vocabulary *vocab)
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
            && emit(text, kind, data, i, j, lower, mode, out, vocab, ids, count, &buf, &bufsize) < 0) {
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
scan(PyObject *text, int lower, int mode, Vocabulary *vocab)
{
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return scan_kind(text, PyUnicode_1BYTE_KIND, lower, mode, vocab);
    case PyUnicode_2BYTE_KIND:
        return scan_kind(text, PyUnicode_2BYTE_KIND, lower, mode, vocab);
    default:
        return scan_kind(text, PyUnicode_4BYTE_KIND, lower, mode, vocab);
    }
}

static PyObject *
textscan_findall(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
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
textscan_count(PyObject *module, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "count expects a str, got %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    return scan(text, 0, MODE_COUNT, NULL);
}

static PyObject *
vocab_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Vocabulary *v;
    if (PyTuple_GET_SIZE(args) != 0 || (kwds != NULL && PyDict_GET_SIZE(kwds) != 0)) {
        PyErr_SetString(PyExc_TypeError, "Vocabulary() takes no arguments");
        return NULL;
    }
    v = (Vocabulary *)type->tp_alloc(type, 0);
    if (v == NULL) {
        return NULL;
    }
    v->mask = 1023;
    v->slots = PyMem_Calloc((size_t)(v->mask + 1), sizeof(Slot));
    v->words = PyList_New(0);
    if (v->slots == NULL || v->words == NULL) {
        int no_memory = v->slots == NULL;
        Py_DECREF(v);
        return no_memory ? PyErr_NoMemory() : NULL;
    }
    return (PyObject *)v;
}

static void
vocab_dealloc(Vocabulary *v)
{
    PyMem_Free(v->slots);  /* the slots borrow the words from the list */
    Py_XDECREF(v->words);
    Py_TYPE(v)->tp_free((PyObject *)v);
}

static PyObject *
vocab_number(Vocabulary *v, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "number expects a str, got %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    return scan(text, 1, MODE_NUMBER, v);
}

static PyObject *
vocab_add(Vocabulary *v, PyObject *word)
{
    Py_ssize_t len, k, id;
    Py_UCS4 *buf, maxchar = 0;
    int kind;
    const void *data;
    if (!PyUnicode_Check(word)) {
        PyErr_Format(PyExc_TypeError, "add expects a str, got %.100s", Py_TYPE(word)->tp_name);
        return NULL;
    }
    len = PyUnicode_GET_LENGTH(word);
    kind = PyUnicode_KIND(word);
    data = PyUnicode_DATA(word);
    buf = PyMem_Malloc((size_t)(len > 0 ? len : 1) * sizeof(Py_UCS4));
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    for (k = 0; k < len; k++) {
        buf[k] = PyUnicode_READ(kind, data, k);
        if (buf[k] > maxchar) {
            maxchar = buf[k];
        }
    }
    id = vocab_id(v, buf, len, maxchar);
    PyMem_Free(buf);
    return id < 0 ? NULL : PyLong_FromSsize_t(id);
}

static PyObject *
vocab_words(Vocabulary *v, PyObject *Py_UNUSED(ignored))
{
    return PyList_GetSlice(v->words, 0, PyList_GET_SIZE(v->words));
}

static Py_ssize_t
vocab_len(Vocabulary *v)
{
    return PyList_GET_SIZE(v->words);
}

static PyMethodDef vocab_methods[] = {
    {"number", (PyCFunction)vocab_number, METH_O,
     "number(text, /)\n--\n\n"
     "The numbers of framelens.text.words(text), a new word numbered len(self), as\n"
     "native int64 bytes; None when text holds U+0130 or U+03A3 (nothing added)."},
    {"add", (PyCFunction)vocab_add, METH_O,
     "add(word, /)\n--\n\nThe number of word, added when new."},
    {"words", (PyCFunction)vocab_words, METH_NOARGS,
     "words()\n--\n\nThe words in the order of their numbers (a new list)."},
    {NULL, NULL, 0, NULL}
};

static PySequenceMethods vocab_as_sequence = {
    .sq_length = (lenfunc)vocab_len,
};

static PyTypeObject VocabularyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "framelens.textscan.Vocabulary",
    .tp_basicsize = sizeof(Vocabulary),
    .tp_dealloc = (destructor)vocab_dealloc,
    .tp_as_sequence = &vocab_as_sequence,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Vocabulary()\n--\n\nWords numbered 0, 1, ... in first-seen order.",
    .tp_methods = vocab_methods,
    .tp_new = vocab_new,
};

/* ------------------------------------------------------------------------------
 * Sentence spans: framelens.text.sentence_spans's rules, scanned in C.
 *
 * sentence_spans(text, titles, number_abbreviations, abbreviations, starters) gives
 * the spans that framelens.text.sentence_spans gives (its docstring states the rules;
 * the four sets are its TITLES, NUMBER_ABBREVIATIONS, ABBREVIATIONS and
 * SENTENCE_STARTERS). Line breaks (LINE_BREAK_CHARS) end paragraphs. In a paragraph,
 * a candidate stop is a maximal run of . ! ? \u2026 \u203d and the closing quotes or
 * brackets after it, followed by whitespace (str.isspace) or the paragraph's end
 * (_TERMINAL); the run after the next whitespace, opening quotes and word (_NEXT),
 * and the token before the stop, decide whether it ends a sentence (_is_boundary).
 * The abbreviation sets are consulted with the token's str.lower(), as in Python. */

static inline int
is_line_break(Py_UCS4 ch)
{
    return ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f' || ch == 0x1c || ch == 0x1d
           || ch == 0x1e || ch == 0x85 || ch == 0x2028 || ch == 0x2029;
}

static inline int
is_terminal(Py_UCS4 ch)
{
    return ch == '.' || ch == '!' || ch == '?' || ch == 0x2026 || ch == 0x203d;
}

static inline int
is_closer(Py_UCS4 ch)
{
    return ch == '"' || ch == '\'' || ch == 0x201d || ch == 0x2019 || ch == 0xbb || ch == 0x203a
           || ch == ')' || ch == ']' || ch == '}';
}

static inline int
is_opener(Py_UCS4 ch)
{
    return ch == '"' || ch == '\'' || ch == 0x201c || ch == 0x2018 || ch == 0xab || ch == 0x2039
           || ch == '(' || ch == '[' || ch == '{' || ch == 0x201e || ch == 0x201a;
}

/* str.lower() of text[a:b] in the set; -1 with an exception set on failure. */
static int
lower_in(PyObject *text, Py_ssize_t a, Py_ssize_t b, PyObject *set)
{
    PyObject *tok, *low;
    int found;
    tok = PyUnicode_Substring(text, a, b);
    if (tok == NULL) {
        return -1;
    }
    low = PyObject_CallMethod(tok, "lower", NULL);
    Py_DECREF(tok);
    if (low == NULL) {
        return -1;
    }
    found = PySequence_Contains(set, low);
    Py_DECREF(low);
    return found;
}

/* Whether the stop text[ms:me] (its terminal run ending at re) ends a sentence of the
 * paragraph [ps, pe): 1 or 0, -1 with an exception set. */
static int
is_boundary(PyObject *text, int kind, const void *data, Py_ssize_t ps, Py_ssize_t pe,
            Py_ssize_t ms, Py_ssize_t rend, Py_ssize_t me, PyObject *const *sets)
{
    Py_ssize_t i = me, first_at, word_end, tok_start;
    Py_UCS4 first;
    int starts, found, is_initial, dotted;
    /* _NEXT: \s*([openers]*)([^\s.,;:!?closers]*) */
    while (i < pe && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
        i++;
    }
    while (i < pe && is_opener(PyUnicode_READ(kind, data, i))) {
        i++;
    }
    first_at = i;
    if (first_at >= pe) {
        return 1;  /* nothing but whitespace and opening quotes follows */
    }
    word_end = first_at;
    while (word_end < pe) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, word_end);
        if (Py_UNICODE_ISSPACE(ch) || ch == '.' || ch == ',' || ch == ';' || ch == ':' || ch == '!'
            || ch == '?' || is_closer(ch)) {
            break;
        }
        word_end++;
    }
    first = PyUnicode_READ(kind, data, first_at);
    starts = Py_UNICODE_ISUPPER(first) || Py_UNICODE_ISDIGIT(first);
    if (!(rend - ms == 1 && PyUnicode_READ(kind, data, ms) == '.')) {
        return starts;  /* "!", "?", "...": no abbreviation can hide behind them */
    }
    /* the whitespace-delimited token before the full stop, opening quotes removed */
    tok_start = ms;
    while (tok_start > ps && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, tok_start - 1))) {
        tok_start--;
    }
    while (tok_start < ms && is_opener(PyUnicode_READ(kind, data, tok_start))) {
        tok_start++;
    }
    found = lower_in(text, tok_start, ms, sets[0]);  /* TITLES */
    if (found != 0) {
        return found < 0 ? -1 : 0;
    }
    if (Py_UNICODE_ISDIGIT(first)) {
        found = lower_in(text, tok_start, ms, sets[1]);  /* NUMBER_ABBREVIATIONS */
        if (found != 0) {
            return found < 0 ? -1 : 0;
        }
    }
    is_initial = ms - tok_start == 1 && Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, tok_start));
    /* _DOTTED_ACRONYM: ^(?:\w\.)+\w$ */
    dotted = (ms - tok_start) >= 3 && (ms - tok_start) % 2 == 1;
    for (i = tok_start; dotted && i < ms; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        dotted = ((i - tok_start) % 2 == 0) ? (Py_UNICODE_ISALNUM(ch) || ch == '_') : ch == '.';
    }
    if (!is_initial && !dotted) {
        found = lower_in(text, tok_start, ms, sets[2]);  /* ABBREVIATIONS */
        if (found < 0) {
            return -1;
        }
        if (!found) {
            return starts;
        }
    }
    if (is_initial && word_end - first_at == 1 && word_end < pe
        && PyUnicode_READ(kind, data, word_end) == '.') {
        return 0;  /* "J. R. R. Tolkien" */
    }
    if (!starts) {
        return 0;
    }
    return lower_in(text, first_at, word_end, sets[3]);  /* SENTENCE_STARTERS */
}

/* Appends text[a:b] without its surrounding whitespace, if anything is left. */
static int
add_span(PyObject *spans, int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    PyObject *span;
    int rc;
    while (a < b && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a))) {
        a++;
    }
    while (b > a && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1))) {
        b--;
    }
    if (b <= a) {
        return 0;
    }
    span = Py_BuildValue("(nn)", a, b);
    if (span == NULL) {
        return -1;
    }
    rc = PyList_Append(spans, span);
    Py_DECREF(span);
    return rc;
}

static PyObject *
textscan_sentence_spans(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *text, *spans;
    int kind;
    const void *data;
    Py_ssize_t n, ps = 0;
    if (nargs != 5) {
        PyErr_Format(PyExc_TypeError, "sentence_spans expects 5 arguments (text, titles, "
                     "number_abbreviations, abbreviations, starters), got %zd", nargs);
        return NULL;
    }
    text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "sentence_spans expects a str, got %.100s",
                     Py_TYPE(text)->tp_name);
        return NULL;
    }
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    spans = PyList_New(0);
    if (spans == NULL) {
        return NULL;
    }
    while (ps <= n) {
        Py_ssize_t pe = ps, p, cut;
        while (pe < n && !is_line_break(PyUnicode_READ(kind, data, pe))) {
            pe++;
        }
        cut = ps;
        p = ps;
        while (p < pe) {
            Py_ssize_t rend, me;
            if (!is_terminal(PyUnicode_READ(kind, data, p))) {
                p++;
                continue;
            }
            rend = p;
            while (rend < pe && is_terminal(PyUnicode_READ(kind, data, rend))) {
                rend++;
            }
            me = rend;
            while (me < pe && is_closer(PyUnicode_READ(kind, data, me))) {
                me++;
            }
            if (me == pe || Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, me))) {
                int b = is_boundary(text, kind, data, ps, pe, p, rend, me, args + 1);
                if (b < 0) {
                    Py_DECREF(spans);
                    return NULL;
                }
                if (b) {
                    if (add_span(spans, kind, data, cut, me) < 0) {
                        Py_DECREF(spans);
                        return NULL;
                    }
                    cut = me;
                }
            }
            p = me;  /* no stop starts inside this run or its closers */
        }
        if (add_span(spans, kind, data, cut, pe) < 0) {
            Py_DECREF(spans);
            return NULL;
        }
        if (pe >= n) {
            break;
        }
        ps = pe;  /* skip the run of line breaks */
        while (ps < n && is_line_break(PyUnicode_READ(kind, data, ps))) {
            ps++;
        }
    }
    return spans;
}

static PyMethodDef textscan_methods[] = {
    {"findall", (PyCFunction)(void (*)(void))textscan_findall, METH_FASTCALL,
     "findall(text, lower, /)\n--\n\n"
     "WORD.findall(text); with lower true, the tokens of framelens.text.words(text),\n"
     "or None when text holds U+0130 or U+03A3 (lowercase them token by token)."},
    {"sentence_spans", (PyCFunction)(void (*)(void))textscan_sentence_spans, METH_FASTCALL,
     "sentence_spans(text, titles, number_abbreviations, abbreviations, starters, /)\n--\n\n"
     "framelens.text.sentence_spans(text) with those four sets."},
    {"count", (PyCFunction)textscan_count, METH_O,
     "count(text, /)\n--\n\nlen(WORD.findall(text)), without building the tokens."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef textscan_module = {
    PyModuleDef_HEAD_INIT, "textscan",
    "framelens.text's word tokens and sentence spans scanned in C (see framelens.text.WORD_ENGINE).",
    -1, textscan_methods,
};

PyMODINIT_FUNC
PyInit_textscan(void)
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
    PyObject *m;
    if (PyType_Ready(&VocabularyType) < 0) {
        return NULL;
    }
    m = PyModule_Create(&textscan_module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&VocabularyType);
    if (PyModule_AddObject(m, "Vocabulary", (PyObject *)&VocabularyType) < 0) {
        Py_DECREF(&VocabularyType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
