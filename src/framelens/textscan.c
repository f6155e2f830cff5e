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
 *
 * TermTable(heads, vetoed).find(text, fold, extra, veto, rows) finds the literal terms
 * of a lexicon and chooses its hits, for framelens.lexicon.LexiconMatcher (see the
 * section "TermTable" below).
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

/* ------------------------------------------------------------------------------
 * TermTable: the literal terms of a lexicon (framelens.lexicon.LexiconMatcher),
 * found word by word.
 *
 * The text is read folded as framelens.wording.matcher._fold folds it: each character's
 * lowercase (Py_UNICODE_TOLOWER; the caller folds a text holding U+0130 or U+03A3
 * itself and passes fold=False), U+2019 as "'", tab and U+00A0 as a space. A word is
 * a maximal run of word characters of the folded text (Py_UNICODE_ISALNUM or '_', as
 * \w of Python's re). Each word is looked up in an open-addressing table of the
 * terms' first words ("heads"); a head may be a one-word term (its row) and the first
 * word of phrases, tried in the order given (the caller's alternation order, longest
 * first): a phrase matches at the word's start when its characters follow there, each
 * space of the phrase matching a run of one or more spaces, and, when it ends with a
 * word character, no word character follows. The first phrase that matches is the
 * head's phrase hit.
 *
 * find(text, fold, extra, veto, rows) returns the hits that LexiconMatcher.find keeps:
 * the candidates above plus ``extra`` (a list of (start, end, row), e.g. the regular
 * expression terms' hits), in (start, -end, row) order; a candidate of a row listed in
 * ``vetoed`` is dropped when veto(start, row) is true (asked only of candidates that
 * would otherwise be kept); then the leftmost, longest, earliest-row candidates that do
 * not overlap: a list of (start, end, row), or with rows true their rows as native
 * int64 bytes. None (nothing done) when fold is true and the text holds U+0130 or
 * U+03A3.
 *
 * That is what the "re" engine gives (tests/test_lexicon_engines.py): there a word is
 * " word " found by Aho-Corasick in a copy of the folded text whose non-word characters
 * are spaces, and a head's phrases are one alternation of Python's re, run at the
 * word's start: the first alternative that matches wins, and a space of a phrase is
 * " +", which needs no backtracking because the phrase's next character is no space. */

/* A bit per hash value modulo FILTER_BITS (8 KiB, in the first-level cache), so that most
 * words that are no head are told so without a probe of the table. */
#define FILTER_BITS 65536

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t len;
    Py_ssize_t row;
    int tail;  /* ends with a word character: no word character may follow */
} Phrase;

typedef struct {
    Py_uhash_t hash;
    Py_UCS4 *word;  /* NULL: empty slot */
    Py_ssize_t len;
    Py_ssize_t single;  /* row of the one-word term, or -1 */
    Phrase *phrases;
    Py_ssize_t n_phrases;
} Head;

typedef struct {
    PyObject_HEAD
    Head *heads;
    Py_ssize_t mask;
    Py_ssize_t longest;  /* the longest head, in characters */
    unsigned char filter[FILTER_BITS / 8];  /* bit (hash % FILTER_BITS) set for every head */
    unsigned char *vetoed;
    Py_ssize_t n_vetoed;
} TermTable;

typedef struct {
    Py_ssize_t start, end, row;
} Cand;

/* Folded latin-1 characters and whether each folded one is a word character. */
static Py_UCS4 fold_latin1[256];
static unsigned char word_latin1[256];

static inline int
is_word_char(Py_UCS4 ch)
{
    if (ch < 256) {
        return word_latin1[ch];
    }
    return Py_UNICODE_ISALNUM(ch) ? 1 : 0;
}

static void
table_free_heads(Head *heads, Py_ssize_t size)
{
    Py_ssize_t k, p;
    if (heads == NULL) {
        return;
    }
    for (k = 0; k < size; k++) {
        PyMem_Free(heads[k].word);
        for (p = 0; p < heads[k].n_phrases; p++) {
            PyMem_Free(heads[k].phrases[p].chars);
        }
        PyMem_Free(heads[k].phrases);
    }
    PyMem_Free(heads);
}

static void
table_dealloc(TermTable *t)
{
    table_free_heads(t->heads, t->heads == NULL ? 0 : t->mask + 1);
    PyMem_Free(t->vetoed);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

/* The characters of a str as a new array (*len set); NULL with an exception set. */
static Py_UCS4 *
chars_of(PyObject *s, Py_ssize_t *len)
{
    Py_UCS4 *buf;
    if (!PyUnicode_Check(s)) {
        PyErr_Format(PyExc_TypeError, "TermTable expects str words, got %.100s",
                     Py_TYPE(s)->tp_name);
        return NULL;
    }
    *len = PyUnicode_GET_LENGTH(s);
    buf = PyUnicode_AsUCS4Copy(s);  /* PyMem_Malloc'ed, with a terminating 0 */
    return buf;
}

static int
table_add_head(TermTable *t, PyObject *item)
{
    PyObject *word, *single, *phrases, *fast = NULL;
    Py_ssize_t len, at, k, n;
    Py_UCS4 *chars;
    Py_uhash_t h;
    Head *head;
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3) {
        PyErr_SetString(PyExc_TypeError, "TermTable expects (word, single_row, phrases) tuples");
        return -1;
    }
    word = PyTuple_GET_ITEM(item, 0);
    single = PyTuple_GET_ITEM(item, 1);
    phrases = PyTuple_GET_ITEM(item, 2);
    chars = chars_of(word, &len);
    if (chars == NULL) {
        return -1;
    }
    if (len == 0) {
        PyMem_Free(chars);
        PyErr_SetString(PyExc_ValueError, "TermTable: a head word is empty");
        return -1;
    }
    for (k = 0; k < len; k++) {
        if (!is_word_char(chars[k])) {
            PyMem_Free(chars);
            PyErr_Format(PyExc_ValueError, "TermTable: head %R holds a character that is not a "
                         "word character", word);
            return -1;
        }
    }
    h = hash_chars(chars, len);
    at = (Py_ssize_t)(h & (Py_uhash_t)t->mask);
    while (t->heads[at].word != NULL) {
        if (t->heads[at].hash == h && t->heads[at].len == len
            && memcmp(t->heads[at].word, chars, (size_t)len * sizeof(Py_UCS4)) == 0) {
            PyMem_Free(chars);
            PyErr_Format(PyExc_ValueError, "TermTable: head %R is given twice", word);
            return -1;
        }
        at = (at + 1) & t->mask;
    }
    head = &t->heads[at];
    t->filter[(h % FILTER_BITS) / 8] |= (unsigned char)(1u << (h % 8));
    head->hash = h;
    head->word = chars;
    head->len = len;
    if (len > t->longest) {
        t->longest = len;
    }
    head->single = PyLong_AsSsize_t(single);
    if (head->single == -1 && PyErr_Occurred()) {
        return -1;
    }
    fast = PySequence_Fast(phrases, "TermTable expects a list of (key, row) phrases");
    if (fast == NULL) {
        return -1;
    }
    n = PySequence_Fast_GET_SIZE(fast);
    if (n > 0) {
        head->phrases = PyMem_Calloc((size_t)n, sizeof(Phrase));
        if (head->phrases == NULL) {
            Py_DECREF(fast);
            PyErr_NoMemory();
            return -1;
        }
    }
    for (k = 0; k < n; k++) {
        PyObject *ph = PySequence_Fast_GET_ITEM(fast, k);
        Phrase *p = &head->phrases[k];
        if (!PyTuple_Check(ph) || PyTuple_GET_SIZE(ph) != 2) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "TermTable expects (key, row) phrases");
            return -1;
        }
        p->chars = chars_of(PyTuple_GET_ITEM(ph, 0), &p->len);
        if (p->chars == NULL) {
            Py_DECREF(fast);
            return -1;
        }
        head->n_phrases = k + 1;
        p->row = PyLong_AsSsize_t(PyTuple_GET_ITEM(ph, 1));
        if (p->row == -1 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
        if (p->len <= len || memcmp(p->chars, chars, (size_t)len * sizeof(Py_UCS4)) != 0
            || p->chars[p->len - 1] == ' ') {
            Py_DECREF(fast);
            PyErr_Format(PyExc_ValueError, "TermTable: phrase %R does not start with its head %R "
                         "and go on after it, or ends with a space", PyTuple_GET_ITEM(ph, 0), word);
            return -1;
        }
        p->tail = is_word_char(p->chars[p->len - 1]);
    }
    Py_DECREF(fast);
    return 0;
}

static PyObject *
table_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"heads", "vetoed", NULL};
    PyObject *heads, *vetoed, *hfast = NULL, *vfast = NULL;
    TermTable *t;
    Py_ssize_t n, size = 8, k;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO:TermTable", kwlist, &heads, &vetoed)) {
        return NULL;
    }
    t = (TermTable *)type->tp_alloc(type, 0);
    if (t == NULL) {
        return NULL;
    }
    hfast = PySequence_Fast(heads, "TermTable expects a list of heads");
    if (hfast == NULL) {
        goto fail;
    }
    n = PySequence_Fast_GET_SIZE(hfast);
    while (size < 2 * n + 8) {
        size *= 2;
    }
    t->mask = size - 1;
    t->heads = PyMem_Calloc((size_t)size, sizeof(Head));
    if (t->heads == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (k = 0; k < n; k++) {
        if (table_add_head(t, PySequence_Fast_GET_ITEM(hfast, k)) < 0) {
            goto fail;
        }
    }
    vfast = PySequence_Fast(vetoed, "TermTable expects a list of vetoed rows");
    if (vfast == NULL) {
        goto fail;
    }
    for (k = 0; k < PySequence_Fast_GET_SIZE(vfast); k++) {
        Py_ssize_t row = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(vfast, k));
        if (row == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (row < 0) {
            PyErr_Format(PyExc_ValueError, "TermTable: vetoed row %zd is negative", row);
            goto fail;
        }
        if (row >= t->n_vetoed) {
            unsigned char *grown = PyMem_Realloc(t->vetoed, (size_t)row + 1);
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            memset(grown + t->n_vetoed, 0, (size_t)(row + 1 - t->n_vetoed));
            t->vetoed = grown;
            t->n_vetoed = row + 1;
        }
        t->vetoed[row] = 1;
    }
    Py_DECREF(hfast);
    Py_DECREF(vfast);
    return (PyObject *)t;
fail:
    Py_XDECREF(hfast);
    Py_XDECREF(vfast);
    Py_DECREF(t);
    return NULL;
}

typedef struct {
    Cand *items;
    Py_ssize_t n, cap;
} Cands;

static inline int
cands_push(Cands *c, Py_ssize_t start, Py_ssize_t end, Py_ssize_t row)
{
    if (c->n == c->cap) {
        Py_ssize_t cap = c->cap ? c->cap * 2 : 64;
        Cand *grown = PyMem_Realloc(c->items, (size_t)cap * sizeof(Cand));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        c->items = grown;
        c->cap = cap;
    }
    c->items[c->n].start = start;
    c->items[c->n].end = end;
    c->items[c->n].row = row;
    c->n++;
    return 0;
}

/* The folded character at i, and in *word whether it is a word character; FOLD_EXCEPTION
 * (not a word character) for U+0130 and U+03A3 when folding. */
#define FOLD_EXCEPTION ((Py_UCS4)0xFFFFFFFF)

static inline __attribute__((always_inline)) Py_UCS4
next_char(int kind, const void *data, Py_ssize_t i, int fold, int *word)
{
    Py_UCS4 ch = PyUnicode_READ(kind, data, i);
    if (ch < 256) {
        /* a latin-1 character and its lowercase are both word characters or neither */
        *word = word_latin1[ch];
        return fold ? fold_latin1[ch] : ch;
    }
    if (fold) {
        if (ch == 0x130 || ch == 0x3A3) {
            *word = 0;
            return FOLD_EXCEPTION;
        }
        ch = Py_UNICODE_TOLOWER(ch);
        if (ch == 0x2019) {
            ch = '\'';
        }
    }
    *word = is_word_char(ch);
    return ch;
}

/* The end of the phrase matched at text[s:], or -1. */
static inline __attribute__((always_inline)) Py_ssize_t
phrase_end(int kind, const void *data, Py_ssize_t n, Py_ssize_t s, const Phrase *p, int fold)
{
    Py_ssize_t j = s, k;
    int word;
    for (k = 0; k < p->len; k++) {
        Py_UCS4 want = p->chars[k];
        if (j >= n || next_char(kind, data, j, fold, &word) != want) {
            return -1;
        }
        j++;
        if (want == ' ') {  /* a run of spaces; the phrase's next character is not one */
            while (j < n && next_char(kind, data, j, fold, &word) == ' ') {
                j++;
            }
        }
    }
    if (p->tail && j < n) {
        next_char(kind, data, j, fold, &word);
        if (word) {
            return -1;
        }
    }
    return j;
}

/* The head whose word is the folded text[s:e] (hash h), or NULL. */
static inline __attribute__((always_inline)) const Head *
table_lookup(const TermTable *t, int kind, const void *data, Py_ssize_t s, Py_ssize_t e,
             Py_uhash_t h, int fold)
{
    Py_ssize_t at = (Py_ssize_t)(h & (Py_uhash_t)t->mask), len = e - s, k;
    int word;
    for (;;) {
        const Head *head = &t->heads[at];
        if (head->word == NULL) {
            return NULL;
        }
        if (head->hash == h && head->len == len) {
            for (k = 0; k < len; k++) {
                if (next_char(kind, data, s + k, fold, &word) != head->word[k]) {
                    break;
                }
            }
            if (k == len) {
                return head;
            }
        }
        at = (at + 1) & t->mask;
    }
}

/* Every literal candidate of the text, in (start, -end, row) order: 0, -1 with an
 * exception set, or 1 (nothing found) when folding and the text holds U+0130 or U+03A3. */
static inline __attribute__((always_inline)) int
table_scan_kind(const TermTable *t, int kind, const void *data, Py_ssize_t n, int fold, Cands *out)
{
    Py_ssize_t i = 0;
    const Py_ssize_t longest = t->longest;
    const unsigned char *filter = t->filter;
    while (i < n) {
        Py_ssize_t s, p;
        Py_uhash_t h;
        int word;
        Py_UCS4 ch = next_char(kind, data, i, fold, &word);
        const Head *head;
        if (!word) {
            if (ch == FOLD_EXCEPTION) {
                return 1;
            }
            i++;
            continue;
        }
        s = i;
        h = (Py_uhash_t)14695981039346656037ULL;  /* FNV-1a, as hash_chars */
        for (;;) {
            h ^= (Py_uhash_t)ch;
            h *= (Py_uhash_t)1099511628211ULL;
            if (++i >= n) {
                break;
            }
            ch = next_char(kind, data, i, fold, &word);
            if (!word) {
                break;  /* text[i] is read again above (a FOLD_EXCEPTION is seen there) */
            }
        }
        if (i - s > longest || !(filter[(h % FILTER_BITS) / 8] & (1u << (h % 8)))) {
            continue;
        }
        head = table_lookup(t, kind, data, s, i, h, fold);
        if (head == NULL) {
            continue;
        }
        for (p = 0; p < head->n_phrases; p++) {
            Py_ssize_t e = phrase_end(kind, data, n, s, &head->phrases[p], fold);
            if (e >= 0) {
                if (cands_push(out, s, e, head->phrases[p].row) < 0) {
                    return -1;
                }
                break;
            }
        }
        if (head->single >= 0 && cands_push(out, s, i, head->single) < 0) {
            return -1;
        }
    }
    return 0;
}

static int
cand_order(const void *a, const void *b)
{
    const Cand *x = a, *y = b;
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    if (x->end != y->end) {
        return x->end > y->end ? -1 : 1;
    }
    return (x->row > y->row) - (x->row < y->row);
}

static int
cands_extra(Cands *c, PyObject *extra)
{
    PyObject *fast = PySequence_Fast(extra, "extra must be a list of (start, end, row)");
    Py_ssize_t k, j;
    if (fast == NULL) {
        return -1;
    }
    for (k = 0; k < PySequence_Fast_GET_SIZE(fast); k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, k);
        Py_ssize_t v[3];
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3) {
            Py_DECREF(fast);
            PyErr_SetString(PyExc_TypeError, "extra must be a list of (start, end, row) tuples");
            return -1;
        }
        for (j = 0; j < 3; j++) {
            v[j] = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, j));
            if (v[j] == -1 && PyErr_Occurred()) {
                Py_DECREF(fast);
                return -1;
            }
        }
        if (cands_push(c, v[0], v[1], v[2]) < 0) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

/* Whether veto(start, row) is true: 1, 0, or -1 with an exception set. */
static int
vetoes(PyObject *veto, Py_ssize_t start, Py_ssize_t row)
{
    PyObject *args[2], *res;
    int truth;
    args[0] = PyLong_FromSsize_t(start);
    args[1] = PyLong_FromSsize_t(row);
    if (args[0] == NULL || args[1] == NULL) {
        Py_XDECREF(args[0]);
        Py_XDECREF(args[1]);
        return -1;
    }
    res = PyObject_Vectorcall(veto, args, 2, NULL);
    Py_DECREF(args[0]);
    Py_DECREF(args[1]);
    if (res == NULL) {
        return -1;
    }
    truth = PyObject_IsTrue(res);
    Py_DECREF(res);
    return truth;
}

static PyObject *
table_find(TermTable *t, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *text, *extra, *veto, *out = NULL;
    Cands c = {NULL, 0, 0};
    int fold, kind, rc, rows_only;
    const void *data;
    Py_ssize_t n, k, pos = 0, kept = 0;
    if (nargs != 5) {
        PyErr_Format(PyExc_TypeError, "find expects 5 arguments (text, fold, extra, veto, rows), "
                     "got %zd", nargs);
        return NULL;
    }
    text = args[0];
    extra = args[2];
    veto = args[3];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "find expects a str, got %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    fold = PyObject_IsTrue(args[1]);
    rows_only = PyObject_IsTrue(args[4]);
    if (fold < 0 || rows_only < 0) {
        return NULL;
    }
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        rc = fold ? table_scan_kind(t, PyUnicode_1BYTE_KIND, data, n, 1, &c)
                  : table_scan_kind(t, PyUnicode_1BYTE_KIND, data, n, 0, &c);
        break;
    case PyUnicode_2BYTE_KIND:
        rc = fold ? table_scan_kind(t, PyUnicode_2BYTE_KIND, data, n, 1, &c)
                  : table_scan_kind(t, PyUnicode_2BYTE_KIND, data, n, 0, &c);
        break;
    default:
        rc = table_scan_kind(t, PyUnicode_4BYTE_KIND, data, n, fold, &c);
        break;
    }
    if (rc != 0) {
        PyMem_Free(c.items);
        if (rc < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    if (extra != Py_None) {
        Py_ssize_t before = c.n;
        if (cands_extra(&c, extra) < 0) {
            goto done;
        }
        if (c.n > before) {
            qsort(c.items, (size_t)c.n, sizeof(Cand), cand_order);
        }
    }
    /* the kept candidates are moved to the front of c.items */
    for (k = 0; k < c.n; k++) {
        const Cand x = c.items[k];
        if (x.start < pos) {
            continue;
        }
        if (veto != Py_None && x.row >= 0 && x.row < t->n_vetoed && t->vetoed[x.row]) {
            int v = vetoes(veto, x.start, x.row);
            if (v < 0) {
                goto done;
            }
            if (v) {
                continue;
            }
        }
        c.items[kept++] = x;
        pos = x.end;
    }
    if (rows_only) {
        long long *rows;
        out = PyBytes_FromStringAndSize(NULL, kept * (Py_ssize_t)sizeof(long long));
        if (out == NULL) {
            goto done;
        }
        rows = (long long *)PyBytes_AS_STRING(out);
        for (k = 0; k < kept; k++) {
            rows[k] = (long long)c.items[k].row;
        }
        goto done;
    }
    out = PyList_New(kept);
    if (out == NULL) {
        goto done;
    }
    for (k = 0; k < kept; k++) {
        PyObject *hit = PyTuple_New(3), *v;
        if (hit == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, k, hit);
        if ((v = PyLong_FromSsize_t(c.items[k].start)) == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(hit, 0, v);
        if ((v = PyLong_FromSsize_t(c.items[k].end)) == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(hit, 1, v);
        if ((v = PyLong_FromSsize_t(c.items[k].row)) == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(hit, 2, v);
    }
done:
    PyMem_Free(c.items);
    return out;
}

static PyMethodDef table_methods[] = {
    {"find", (PyCFunction)(void (*)(void))table_find, METH_FASTCALL,
     "find(text, fold, extra, veto, rows, /)\n--\n\n"
     "The (start, end, row) hits LexiconMatcher.find keeps: the literal candidates and\n"
     "extra's, a vetoed row's candidate dropped when veto(start, row) is true, then the\n"
     "leftmost, longest, earliest-row ones that do not overlap; with rows true, only\n"
     "their rows, as native int64 bytes. None when fold is true and text holds U+0130\n"
     "or U+03A3."},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject TermTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "framelens.textscan.TermTable",
    .tp_basicsize = sizeof(TermTable),
    .tp_dealloc = (destructor)table_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "TermTable(heads, vetoed)\n--\n\n"
              "Literal lexicon terms by first word: heads is a list of (word, single_row or -1,\n"
              "[(phrase, row), ...] in the order to try them); vetoed lists the rows whose\n"
              "candidates find() submits to its veto.",
    .tp_methods = table_methods,
    .tp_new = table_new,
};

/* ------------------------------------------------------------------------------------
 * sorted_counts: the token numbers of each document -> the CSR of its word counts with
 * the columns renumbered by rank, one entry per (document, word type), each row's
 * columns ascending. Per row: a scratch count per number with a list of the numbers
 * touched, then, for each distinct number once, its column's count and bit in a bitmap; the row's columns are then read in order off the bitmap's words between its
 * lowest and highest column (a few KB, in cache), or, when the row's columns are few and
 * far apart, off its touched list sorted. No per-token sort, no matrix of ones. */

static int
get_int64_buffer(PyObject *obj, Py_buffer *view, const char *name)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS) < 0) {
        return -1;
    }
    if (view->len % (Py_ssize_t)sizeof(long long) != 0) {
        PyErr_Format(PyExc_ValueError, "sorted_counts: %s is %zd bytes, not a whole number "
                     "of int64", name, view->len);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static int
cmp_long_long(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int
lowest_bit(unsigned long long w)  /* w != 0 */
{
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctzll(w);
#else
    int b = 0;
    while (!(w & 1ULL)) {
        w >>= 1;
        b++;
    }
    return b;
#endif
}

static PyObject *
textscan_sorted_counts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_buffer idv = {0}, ptrv = {0}, rankv = {0};
    const long long *ids, *ptr, *rank;
    Py_ssize_t n_ids, n_rows, n_cols, r, k, nnz = 0;
    long long *count = NULL, *by_id = NULL, *touched = NULL, *out_ptr = NULL, *out_col = NULL, *out_data = NULL;
    unsigned long long *bits = NULL;
    PyObject *result = NULL;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "sorted_counts expects 3 arguments (ids, indptr, rank), got %zd", nargs);
        return NULL;
    }
    if (get_int64_buffer(args[0], &idv, "ids") < 0) {
        return NULL;
    }
    if (get_int64_buffer(args[1], &ptrv, "indptr") < 0) {
        PyBuffer_Release(&idv);
        return NULL;
    }
    if (get_int64_buffer(args[2], &rankv, "rank") < 0) {
        PyBuffer_Release(&idv);
        PyBuffer_Release(&ptrv);
        return NULL;
    }
    ids = idv.buf;
    ptr = ptrv.buf;
    rank = rankv.buf;
    n_ids = idv.len / (Py_ssize_t)sizeof(long long);
    n_rows = ptrv.len / (Py_ssize_t)sizeof(long long) - 1;
    n_cols = rankv.len / (Py_ssize_t)sizeof(long long);
    if (n_rows < 0 || ptr[0] != 0 || ptr[n_rows] != n_ids) {
        PyErr_Format(PyExc_ValueError, "sorted_counts: indptr must start at 0 and end at "
                     "len(ids) = %zd", n_ids);
        goto done;
    }
    for (r = 0; r < n_rows; r++) {
        if (ptr[r + 1] < ptr[r]) {
            PyErr_Format(PyExc_ValueError, "sorted_counts: indptr decreases at row %zd", r);
            goto done;
        }
    }
    for (k = 0; k < n_cols; k++) {
        if (rank[k] < 0 || rank[k] >= n_cols) {
            PyErr_Format(PyExc_ValueError, "sorted_counts: rank[%zd] = %lld is outside "
                         "[0, len(rank) = %zd)", k, rank[k], n_cols);
            goto done;
        }
    }
    count = PyMem_Calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof(long long));
    by_id = PyMem_Calloc((size_t)(n_cols > 0 ? n_cols : 1), sizeof(long long));
    bits = PyMem_Calloc((size_t)(n_cols / 64 + 1), sizeof(unsigned long long));
    touched = PyMem_Malloc((size_t)(n_ids > 0 ? n_ids : 1) * sizeof(long long));
    out_col = PyMem_Malloc((size_t)(n_ids > 0 ? n_ids : 1) * sizeof(long long));
    out_data = PyMem_Malloc((size_t)(n_ids > 0 ? n_ids : 1) * sizeof(long long));
    out_ptr = PyMem_Malloc(((size_t)n_rows + 1) * sizeof(long long));
    if (count == NULL || by_id == NULL || bits == NULL || touched == NULL || out_col == NULL || out_data == NULL
        || out_ptr == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    out_ptr[0] = 0;
    for (r = 0; r < n_rows; r++) {
        Py_ssize_t d = 0, lo = n_cols, hi = -1;
        for (k = ptr[r]; k < ptr[r + 1]; k++) {
            long long id = ids[k];
            if (id < 0 || id >= n_cols) {
                PyErr_Format(PyExc_ValueError, "sorted_counts: ids[%zd] = %lld is outside "
                             "[0, len(rank) = %zd)", k, id, n_cols);
                goto done;
            }
            if (by_id[id]++ == 0) {
                touched[d++] = id;
            }
        }
        for (k = 0; k < d; k++) {  /* each distinct number once: its column and count */
            long long id = touched[k], col = rank[id];
            count[col] = by_id[id];  /* set, not added to: count needs no reset */
            by_id[id] = 0;
            touched[k] = col;
            bits[col >> 6] |= 1ULL << (col & 63);
            if (col < lo) {
                lo = (Py_ssize_t)col;
            }
            if (col > hi) {
                hi = (Py_ssize_t)col;
            }
        }
        if (d > 0 && (hi >> 6) - (lo >> 6) + 1 > 8 * d) {
            /* few columns, far apart: sort them rather than read the bitmap between */
            qsort(touched, (size_t)d, sizeof(long long), cmp_long_long);
            for (k = 0; k < d; k++) {
                long long col = touched[k];
                out_col[nnz] = col;
                out_data[nnz++] = count[col];
                bits[col >> 6] = 0;
            }
        }
        else if (d > 0) {
            Py_ssize_t w;
            for (w = lo >> 6; w <= hi >> 6; w++) {
                unsigned long long word = bits[w];
                while (word != 0) {
                    long long col = (long long)w * 64 + lowest_bit(word);
                    word &= word - 1;
                    out_col[nnz] = col;
                    out_data[nnz++] = count[col];
                }
                bits[w] = 0;
            }
        }
        out_ptr[r + 1] = nnz;
    }
    result = Py_BuildValue("(y#y#y#)",
                           (const char *)out_ptr, (Py_ssize_t)(((size_t)n_rows + 1) * sizeof(long long)),
                           (const char *)out_col, (Py_ssize_t)((size_t)nnz * sizeof(long long)),
                           (const char *)out_data, (Py_ssize_t)((size_t)nnz * sizeof(long long)));
done:
    PyMem_Free(count);
    PyMem_Free(by_id);
    PyMem_Free(bits);
    PyMem_Free(touched);
    PyMem_Free(out_ptr);
    PyMem_Free(out_col);
    PyMem_Free(out_data);
    PyBuffer_Release(&idv);
    PyBuffer_Release(&ptrv);
    PyBuffer_Release(&rankv);
    return result;
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
    {"sorted_counts", (PyCFunction)(void (*)(void))textscan_sorted_counts, METH_FASTCALL,
     "sorted_counts(ids, indptr, rank, /)\n--\n\n"
     "Row r's token numbers ids[indptr[r]:indptr[r + 1]] (int64 buffers) -> the CSR\n"
     "(indptr, indices, data as int64 bytes) of how often each column rank[id] occurs in\n"
     "row r: one entry per distinct column, columns ascending; len(rank) columns."},
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
    for (ch = 0; ch < 256; ch++) {
        Py_UCS4 low = Py_UNICODE_TOLOWER(ch);
        fold_latin1[ch] = (ch == '\t' || ch == 0xa0) ? (Py_UCS4)' ' : low;
    }
    for (ch = 0; ch < 256; ch++) {  /* after: is_word_char reads this table for ch < 256 */
        word_latin1[ch] = (Py_UNICODE_ISALNUM(ch) || ch == '_') ? 1 : 0;
    }
    PyObject *m;
    if (PyType_Ready(&VocabularyType) < 0 || PyType_Ready(&TermTableType) < 0) {
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
    Py_INCREF(&TermTableType);
    if (PyModule_AddObject(m, "TermTable", (PyObject *)&TermTableType) < 0) {
        Py_DECREF(&TermTableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
