"""Sentences and words: the text units every other analysis counts.

:func:`sentence_spans` splits one text into sentence character spans by rules a
reader can check (no trained model): a sentence ends at ``.``, ``!``, ``?`` or an
ellipsis, optionally followed by closing quotes or brackets, when whitespace and a
likely sentence start (capital letter, digit, opening quote) follow, unless the
word before the full stop is an abbreviation, an initial or a dotted acronym.
Every line break is a hard paragraph break. :func:`sentences` applies it to a
corpus and returns one tidy row per sentence; :func:`words` gives the lowercased
word tokens used for overlap measures.
"""
from __future__ import annotations

import itertools
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from types import ModuleType

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["sentence_spans", "sentences", "words", "count_words", "word_matrix", "WORD", "WORD_ENGINE",
           "WORD_ENGINES",
           "TITLES", "NUMBER_ABBREVIATIONS",
           "LOWER_EXCEPTIONS", "sorted_columns",
           "ABBREVIATIONS", "SENTENCE_STARTERS", "LINE_BREAK_CHARS", "LINE_BREAKS", "BREAK_RUN"]

#: Abbreviations that precede a name and never end a sentence ("Mr. Smith", "Gen. Syrskyi").
TITLES: frozenset[str] = frozenset({
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "col", "lt", "maj", "capt", "cpt",
    "sgt", "cpl", "adm", "brig", "cmdr", "gov", "sen", "rep", "rev", "hon", "pres", "supt",
    "st", "mt", "ft", "fr", "sr", "sra", "jr", "mme", "mlle", "insp", "amb", "atty",
})

#: Abbreviations that precede a number ("Dec. 3-4", "No. 5"); a full stop after
#: them ends a sentence only when no number follows.
NUMBER_ABBREVIATIONS: frozenset[str] = frozenset({
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "nr", "fig", "figs", "vol", "vols", "p", "pp", "art", "para", "ch", "sec",
    "ed", "op", "ref", "tel",
})

#: Other abbreviations: a full stop after them ends a sentence only when a common
#: sentence-opening word (:data:`SENTENCE_STARTERS`) follows ("in the U.S. The ...").
ABBREVIATIONS: frozenset[str] = frozenset({
    "etc", "vs", "v", "approx", "est", "inc", "ltd", "co", "corp", "plc", "bros", "dept",
    "univ", "assn", "govt", "min", "max", "ca", "cf", "al", "resp", "incl", "excl",
})

#: Words that commonly open a sentence; after an abbreviation, acronym or initial
#: they signal that the full stop also ended the sentence.
SENTENCE_STARTERS: frozenset[str] = frozenset({
    "a", "an", "the", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these",
    "those", "there", "but", "and", "or", "so", "yet", "in", "on", "at", "for", "if",
    "when", "while", "after", "before", "as", "however", "meanwhile", "moreover", "also",
    "his", "her", "its", "their", "our", "my", "some", "many", "most", "no", "not", "what",
    "who", "why", "how", "where", "still", "then", "thus", "such", "since", "although",
    "despite", "according", "last", "earlier", "later",
})

#: Characters that close a quotation or parenthesis right after a sentence's final stop.
_CLOSERS = "\"'\u201d\u2019\u00bb\u203a)]}"
#: Characters that may open the next sentence before its first letter.
_OPENERS = "\"'\u201c\u2018\u00ab\u2039([{\u201e\u201a"
#: Line separators treated as hard paragraph breaks (the set :meth:`str.splitlines` uses).
LINE_BREAK_CHARS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
#: A run of line separators (:data:`LINE_BREAK_CHARS`): one paragraph break.
LINE_BREAKS = re.compile(f"[{LINE_BREAK_CHARS}]+")
#: A sentence-final stop: run of terminal punctuation, optional closers, then space or end.
_TERMINAL = re.compile(r"(?:\.\.\.|[.!?\u2026\u203d])+[" + re.escape(_CLOSERS) + r"]*(?=\s|$)")
# The same two patterns in forms the regex engine searches quickly (a pattern that opens
# with a repeat is tried at every character; one that opens with a character class, or a
# look-ahead for one, skips to the characters that can begin a match). Same matches:
# "[...][...]*" is "[...]+", and every _TERMINAL match begins with one of . ! ? … ‽.
#: :data:`LINE_BREAKS` written to be searched quickly (same matches).
BREAK_RUN = re.compile(LINE_BREAKS.pattern.removesuffix("+") * 2 + "*")
_TERMINAL_SCAN = re.compile(r"(?=[.!?\u2026\u203d])" + _TERMINAL.pattern)
_DOTTED_ACRONYM = re.compile(r"^(?:\w\.)+\w$")
#: A word: an initialism written with dots ("U.S.", "D.C.", "e.g.": letters each followed by a
#: dot, two or more, kept whole with their dots), or a run of word characters joined by single
#: inner apostrophes or hyphens.
#: Written ``(?:[^\W\d_]\.){2,}|\w+(?:['’‐‑-]\w+)*`` it would give the same matches, but
#: the regex engine would try it at every character; opening with ``\w`` (and checking
#: with a look-behind that an initialism's first character is a letter) lets it skip to
#: the word characters: ``findall`` over 3,000 articles 1.20 -> 0.95 CPU s.
WORD = re.compile(r"\w(?:(?<=[^\W\d_])\.(?:[^\W\d_]\.)+|\w*(?:['\u2019\u2010\u2011-]\w+)*)")
#: Characters whose lowercase is longer (U+0130) or depends on its neighbours (U+03A3,
#: final sigma): :func:`words` lowercases token by token when a text holds one.
LOWER_EXCEPTIONS = ("\u0130", "\u03a3")

try:  # the C scanner, built by `pip install -e .` (setup.py) when a compiler is present
    from framelens import textscan
except ImportError:  # not built: Python's re gives the same results, 3 to 5 x slower
    textscan = None
#: The word engines this installation has: ``("c", "re")``, or ``("re",)`` when the C
#: scanner was not built.
WORD_ENGINES: tuple[str, ...] = ("re",) if textscan is None else ("c", "re")
#: The engine that finds :data:`WORD`'s tokens in :func:`words`, :func:`word_matrix` and
#: :func:`count_words`, and the sentences of :func:`sentence_spans`: ``"c"``
#: (``framelens.textscan``, scans written in C with the character classes of Python's
#: ``re`` and ``str``: ``\w`` is ``str.isalnum()`` or ``_``, ``\d`` is ``str.isdecimal()``,
#: ``\s`` is ``str.isspace()``) when it was built, else ``"re"`` (``WORD.findall`` and
#: the rules written in Python below). Both give the same results (tests on every code
#: point, real articles and under hypothesis). On 3,000 cleaned Article-Bias-Prediction
#: articles: :func:`word_matrix` 0.92 -> 0.29 CPU s, :func:`sentence_spans` 0.50 -> 0.10.
#: The environment variable ``FRAMELENS_WORD_ENGINE=re`` (or ``c``) chooses at import;
#: assigning this attribute chooses for the calls after it.
WORD_ENGINE: str = os.environ.get("FRAMELENS_WORD_ENGINE", "re" if textscan is None else "c")
_NOT_BUILT = ("" if textscan else " (the C scanner is not built: `pip install -e .` with a C "
                                    "compiler builds it)")
if WORD_ENGINE not in WORD_ENGINES:
    raise ValueError(f"FRAMELENS_WORD_ENGINE={WORD_ENGINE!r}; allowed here: "
                     f"{list(WORD_ENGINES)}{_NOT_BUILT}")


def _scanner() -> ModuleType | None:
    """The C scanner when :data:`WORD_ENGINE` is ``"c"``, ``None`` for ``"re"``."""
    if WORD_ENGINE == "re":
        return None
    if WORD_ENGINE == "c" and textscan is not None:
        return textscan
    raise ValueError(f"framelens.text.WORD_ENGINE={WORD_ENGINE!r}; allowed here: "
                     f"{list(WORD_ENGINES)}{_NOT_BUILT}")


_NEXT = re.compile(r"\s*([" + re.escape(_OPENERS) + r"]*)([^\s.,;:!?" + re.escape(_CLOSERS) + r"]*)")


def _token_before(para: str, pos: int) -> str:
    """The whitespace-delimited token ending at ``pos`` (opening quotes removed)."""
    i = pos
    while i > 0 and not para[i - 1].isspace():
        i -= 1
    return para[i:pos].lstrip(_OPENERS)


def _is_boundary(para: str, match: re.Match[str]) -> bool:
    """Decide whether the terminal punctuation ``match`` in ``para`` ends a sentence."""
    end = match.end()
    nxt_m = _NEXT.match(para, end)
    assert nxt_m is not None  # the pattern can match the empty string
    if nxt_m.end(1) >= len(para):
        return True  # nothing but whitespace/opening quotes follows
    first = para[nxt_m.end(1)]
    nxt = nxt_m.group(2)
    starts_like_sentence = first.isupper() or first.isdigit()
    punct = match.group(0).rstrip(_CLOSERS)
    if punct != ".":
        # "!", "?", "..." and "…": no abbreviation can hide behind them.
        return starts_like_sentence
    # Single full stop: look at the token it closes.
    token = _token_before(para, match.start())
    low = token.lower()
    if low in TITLES:
        return False
    if low in NUMBER_ABBREVIATIONS and first.isdigit():
        return False
    is_initial = len(token) == 1 and token.isalpha()
    if is_initial or low in ABBREVIATIONS or _DOTTED_ACRONYM.match(token):
        if is_initial and len(nxt) == 1 and para[nxt_m.end(2):nxt_m.end(2) + 1] == ".":
            return False  # "J. R. R. Tolkien"
        return nxt.lower() in SENTENCE_STARTERS and starts_like_sentence
    return starts_like_sentence


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences in ``text``.

    Rules, in order:

    * every line break is a hard paragraph break (headings, datelines and page
      furniture on their own line become their own "sentence");
    * a sentence ends after ``.``, ``!``, ``?``, ``...`` or ``…``, plus any closing
      quotes or brackets (``he said." Next``), when whitespace and a capital letter,
      a digit or an opening quote follow;
    * a full stop after a title (``Mr.``, ``Dr.``, ``Gen.``; :data:`TITLES`) never
      ends a sentence; after a month or number abbreviation (``Dec. 3-4``;
      :data:`NUMBER_ABBREVIATIONS`) it does not when a digit follows;
    * after an initial (``J. R. R.``), a dotted acronym (``U.S.``, ``U.K.``,
      ``a.m.``) or another abbreviation (``etc.``; :data:`ABBREVIATIONS`) it ends a
      sentence only when a common sentence opener follows (:data:`SENTENCE_STARTERS`),
      so ``U.S. President`` stays whole but ``in the U.S. The`` splits;
    * decimals (``3.5``) never split: a boundary needs whitespace after the stop.

    Spans exclude surrounding whitespace, are in order, do not overlap and
    together cover every non-whitespace character.

    Parameters
    ----------
    text : str
        One article.

    Returns
    -------
    list of (int, int)
        Half-open character offsets into ``text``.

    Examples
    --------
    >>> t = 'Mr. Smith met U.S. President Biden. "It went well." Next, 3.5 hours.'
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Mr. Smith met U.S. President Biden.', '"It went well."', 'Next, 3.5 hours.']
    """
    if not isinstance(text, str):
        raise TypeError(f"sentence_spans expects a str, got {type(text).__name__}: {text!r:.80}")
    scan = _scanner()
    if scan is not None:
        return scan.sentence_spans(text, TITLES, NUMBER_ABBREVIATIONS, ABBREVIATIONS,
                                   SENTENCE_STARTERS)
    spans: list[tuple[int, int]] = []
    para_start = 0
    pieces = [m.span() for m in BREAK_RUN.finditer(text)] + [(len(text), len(text))]
    for br_start, br_end in pieces:
        para = text[para_start:br_start]
        cut = 0
        for m in _TERMINAL_SCAN.finditer(para):
            if _is_boundary(para, m):
                _add_span(spans, para, cut, m.end(), para_start)
                cut = m.end()
        _add_span(spans, para, cut, len(para), para_start)
        para_start = br_end
    return spans


def _add_span(spans: list[tuple[int, int]], para: str, a: int, b: int, offset: int) -> None:
    """Append ``para[a:b]`` stripped of whitespace, as absolute offsets, if non-empty."""
    chunk = para[a:b]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk.rstrip())
    if right > left:
        spans.append((offset + a + left, offset + a + right))


def words(text: str) -> list[str]:
    """Lowercased word tokens of ``text``.

    A token is a run of unicode word characters (letters, digits, ``_``) joined
    by single inner apostrophes or hyphens, so ``Ukraine's``, ``Euro-Atlantic``
    and ``33-month-old`` stay whole; an initialism written with dots stays one
    token with its dots (``U.S.`` is ``u.s.``, not ``u`` and ``s``). Curly apostrophes (``’``) and unicode hyphens
    are normalised to ``'`` and ``-`` so that translations typeset differently
    still share tokens.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of str

    Examples
    --------
    >>> words("Ukraine’s Euro-Atlantic path is 'irreversible', NATO said.")
    ["ukraine's", 'euro-atlantic', 'path', 'is', 'irreversible', 'nato', 'said']
    >>> words("U.S. President-elect Trump went to Washington, D.C.")
    ['u.s.', 'president-elect', 'trump', 'went', 'to', 'washington', 'd.c.']
    """
    if not isinstance(text, str):
        raise TypeError(f"words expects a str, got {type(text).__name__}: {text!r:.80}")
    scan = _scanner()
    if scan is not None:
        found = scan.findall(text, True)
        if found is not None:
            return found  # None: the text holds a LOWER_EXCEPTIONS character
        return [_lower_token(tok) for tok in scan.findall(text, False)]
    if not any(c in text for c in LOWER_EXCEPTIONS):
        # Lowercasing first gives the same tokens: apart from these two characters,
        # str.lower maps each character to one character, in context-free fashion, and
        # keeps it a word character or not (checked over all of Unicode in the tests).
        return WORD.findall(text.lower().replace("\u2019", "'").replace("\u2010", "-")
                             .replace("\u2011", "-"))
    return [_lower_token(m.group(0)) for m in WORD.finditer(text)]


def _lower_token(tok: str) -> str:
    """One token of :data:`WORD` lowercased, its curly apostrophe and hyphens normalised."""
    return tok.lower().replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")


def word_matrix(texts: Iterable[str]) -> tuple[np.ndarray, sp.csr_matrix]:
    """How often each word (:func:`words`) occurs in each text, as a sparse matrix.

    One tokenisation of each text that several counts can share: the word count of
    text ``i`` is the sum of row ``i``, a label's word counts are the sum of its
    rows, and scikit-learn's tokens of each word type (``\\w\\w+`` runs) give its
    ``CountVectorizer`` counts without tokenising the texts again.

    Parameters
    ----------
    texts : iterable of str

    Returns
    -------
    types : numpy.ndarray of str (object dtype)
        The distinct words, sorted.
    counts : scipy.sparse.csr_matrix of int64
        Shape ``(n_texts, n_types)``; ``counts[i, j]`` is how often ``types[j]``
        occurs in text ``i`` (sorted indices, no explicit zeros).

    Examples
    --------
    >>> types, counts = word_matrix(["Kyiv said Kyiv", "Kiev said"])
    >>> types.tolist(), counts.toarray().tolist()
    (['kiev', 'kyiv', 'said'], [[0, 2, 1], [1, 0, 1]])
    """
    scan = _scanner()
    if scan is not None:
        return _word_matrix_c(scan, texts)
    ids: list[int] = []
    indptr = [0]
    # a new word gets the next number when first looked up: the lookups run in C (map of
    # a defaultdict's __getitem__, whose default is a counter), not in a Python loop
    index: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    number = index.__getitem__
    for text in texts:
        ids += map(number, words(text))
        indptr.append(len(ids))
    counts = sp.csr_matrix((np.ones(len(ids), dtype=np.int64),
                            np.fromiter(ids, dtype=np.int64, count=len(ids)),
                            np.asarray(indptr, dtype=np.int64)),
                           shape=(len(indptr) - 1, len(index)))
    return sorted_columns(index, counts)


def _word_matrix_c(scan: ModuleType, texts: Iterable[str]) -> tuple[np.ndarray, sp.csr_matrix]:
    """:func:`word_matrix` with the C scanner, which numbers each text's words itself."""
    vocab = scan.Vocabulary()
    parts: list[bytes] = []
    indptr = [0]
    n = 0
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"words expects a str, got {type(text).__name__}: {text!r:.80}")
        part = vocab.number(text)
        if part is None:  # a LOWER_EXCEPTIONS character: the words of words(), numbered
            part = np.array([vocab.add(w) for w in words(text)], dtype=np.int64).tobytes()
        parts.append(part)
        n += len(part) // 8
        indptr.append(n)
    names, rank = sorted_ranks(vocab.words())
    # one entry per (text, word type), each row's columns ascending, counted and sorted in C
    # in linear time (summing a matrix of ones per token cost twice as much: issue 16)
    out_ptr, out_cols, out_counts = scan.sorted_counts(b"".join(parts),
                                                       np.asarray(indptr, dtype=np.int64), rank)
    counts = sp.csr_matrix((np.frombuffer(out_counts, dtype=np.int64),
                            np.frombuffer(out_cols, dtype=np.int64),
                            np.frombuffer(out_ptr, dtype=np.int64)),
                           shape=(len(indptr) - 1, len(names)))
    counts.has_sorted_indices = True
    counts.has_canonical_format = True
    return names, counts


def sorted_columns(names: Iterable[str], matrix: sp.csr_matrix
                   ) -> tuple[np.ndarray, sp.csr_matrix]:
    """Columns named in first-seen order -> names sorted, and ``matrix`` (changed in place)
    with its columns renumbered to match, indices sorted and repeated entries summed.

    Shared by :func:`word_matrix` and :mod:`framelens.distributed` (a vocabulary built
    in first-seen order becomes scikit-learn's sorted ``get_feature_names_out`` order).

    Examples
    --------
    >>> names, m = sorted_columns(["b", "a"], sp.csr_matrix(np.array([[1, 2]])))
    >>> list(names), m.toarray().tolist()
    (['a', 'b'], [[2, 1]])
    """
    sorted_names, rank = sorted_ranks(names)
    matrix.indices = rank[matrix.indices].astype(matrix.indices.dtype)
    matrix.has_canonical_format = False
    matrix.has_sorted_indices = False
    matrix.sum_duplicates()
    return sorted_names, matrix


def sorted_ranks(names: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """Names in first-seen order -> the names sorted, and each name's position among them.

    ``rank[i]`` is the position of ``names[i]`` in ``sorted_names``, so
    ``sorted_names[rank[i]] == names[i]`` (ties keep their first-seen order).

    Examples
    --------
    >>> sorted_names, rank = sorted_ranks(["b", "c", "a"])
    >>> sorted_names.tolist(), rank.tolist()
    (['a', 'b', 'c'], [1, 2, 0])
    """
    name_list = list(names)
    names_array = np.array(name_list, dtype=object)
    # Python's sort on the str themselves: the same stable order as numpy's argsort of an
    # object array, in about 3/4 of its time (it compares without numpy's object calls)
    order = np.fromiter(sorted(range(len(name_list)), key=name_list.__getitem__),
                        dtype=np.int64, count=len(name_list))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return names_array[order], rank


def count_words(text: str) -> int:
    """The number of word tokens of ``text``: ``len(words(text))``, without building them.

    Examples
    --------
    >>> count_words("Ukraine’s Euro-Atlantic path is 'irreversible'.")
    5
    """
    if not isinstance(text, str):
        raise TypeError(f"count_words expects a str, got {type(text).__name__}: {text!r:.80}")
    scan = _scanner()
    if scan is not None:
        return scan.count(text)
    return len(WORD.findall(text))


def sentences(corpus: pd.DataFrame, *, text_col: str = "text",
              label_col: str = "outlet") -> pd.DataFrame:
    """One row per sentence of every document in ``corpus``.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per document, with a ``doc_id`` column (or an index named
        ``doc_id``; otherwise the index is used as the id), the text in
        ``text_col`` and the outlet name in ``label_col``.
    text_col : str, default "text"
        Column holding the (cleaned) article text.
    label_col : str, default "outlet"
        Column holding the outlet name; copied to the output column ``outlet``.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``outlet``, ``sent_id`` (0-based position within the
        document), ``start``, ``end`` (character offsets into the document's
        ``text_col``, see :func:`sentence_spans`) and ``sentence``, ordered by
        document then position.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["Daily"],
    ...                    "text": ["Dr. Who left. He came back."]})
    >>> sentences(df)[["sent_id", "sentence"]].to_dict("list")
    {'sent_id': [0, 1], 'sentence': ['Dr. Who left.', 'He came back.']}
    """
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a pandas DataFrame, got {type(corpus).__name__}")
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if "doc_id" in corpus.columns:
        ids = corpus["doc_id"].tolist()
    else:
        ids = corpus.index.tolist()
    rows: list[tuple[object, object, int, int, int, str]] = []
    for doc_id, label, text in zip(ids, corpus[label_col].tolist(), corpus[text_col].tolist()):
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: {text_col!r} is {text!r:.40} "
                             f"({type(text).__name__}), expected a string; "
                             "fill or drop documents without text first")
        for i, (s, e) in enumerate(sentence_spans(text)):
            rows.append((doc_id, label, i, s, e, text[s:e]))
    out = pd.DataFrame(rows, columns=["doc_id", "outlet", "sent_id", "start", "end", "sentence"])
    return out.astype({"sent_id": "int64", "start": "int64", "end": "int64"})
