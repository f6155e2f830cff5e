"""The lexicon matcher: every term of a lexicon found in one pass over a text.

:class:`LexiconMatcher` finds the literal terms with one of two engines (``"c"``: the C
scanner's ``framelens.textscan.TermTable``; ``"re"``: a pyahocorasick automaton and Python
:mod:`re`), chosen by :data:`framelens.text.WORD_ENGINE` at each call, and the regular-expression
terms with one RE2 set; it is built from, and pickles as, its :func:`matcher_spec`.
:func:`compile_lexicon` keeps the matchers of the last few lexicons (:func:`matcher_of_spec`).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import ahocorasick
import numpy as np
import pandas as pd
import re2

import framelens.text
from framelens.patterns import compile_pattern, to_re2
from framelens.wording.loading import NOT_AFTER, LexiconError, term_key

try:  # the C scanner (setup.py); without it the literal terms are found by pyahocorasick
    from framelens.textscan import TermTable
except ImportError:  # not built, or built before it had TermTable
    TermTable = None

__all__ = ["LexiconMatcher", "matcher_spec", "compile_lexicon", "matcher_of_spec"]

_W = r"\p{L}\p{N}_"  # Python's \w as an RE2 class body (as framelens.patterns rewrites it)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


#: Every ASCII byte that is not a word character (``[A-Za-z0-9_]``) -> space.
_SPACE_ASCII = bytes(c if (chr(c).isalnum() or c == 95) else 32 for c in range(128)) + bytes(range(128, 256))
_NON_ASCII = re.compile("[\x80-\U0010ffff]")

_FIRST_WORD = re.compile(r"\w+")


def _phrases(items: list[tuple[int, str]]) -> re.Pattern[str]:
    """Alternation of literal terms (lowercase keys), longest first, group ``p<row>`` each.

    Words may be separated by any run of spaces; a term ending in a word character must
    not be followed by one.
    """
    alts = []
    for i, key in sorted(items, key=lambda x: (-len(x[1]), x[0])):
        body = " +".join(re.escape(w) for w in key.split(" "))
        tail = r"(?!\w)" if _is_word(key[-1]) else ""
        alts.append(f"(?P<p{i}>{body}{tail})")
    return re.compile("|".join(alts))


def _fold(text: str) -> str:
    """Lowercase of ``text`` with the same length (straight apostrophes, tabs as spaces)."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lowercase is longer (U+0130)
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if "\u2019" in low:
        low = low.replace("\u2019", "'")
    if "\t" in low or "\u00a0" in low:
        low = low.replace("\t", " ").replace("\u00a0", " ")
    return low


class LexiconMatcher:
    """All terms of a validated lexicon, found in one pass over a text.

    Literal terms are found by their :func:`~framelens.wording.loading.term_key` forms in one
    pass over the lowercased text (words of a phrase may be separated by any run of spaces or tabs,
    not by a line break; the two engines below); regular-expression terms go into one
    RE2 set that says which of them occur, and only those are run (case-insensitive,
    linear time). A hit must start
    and end at a word boundary (when the term starts or ends with a letter, digit or
    ``_``, the character outside it must not be one). A hit of a row with
    ``not_after`` words (:data:`~framelens.wording.loading.NOT_AFTER`) is dropped when one of
    them ends right before it: the word or phrase (its words separated by spaces or hyphens), not
    preceded by a word character, then spaces or hyphens up to the hit, no line break
    ("sanctions regime", "visa-free regime", "Iran-sanctions regime"); a Python
    :mod:`re` pattern of escaped literals, run only on the text before such a hit.
    Overlapping hits: the leftmost, then the longest, then the earlier row is kept
    (a dropped hit leaves its place to the others).

    Two engines find the literal terms, with the same hits (``tests/test_lexicon_engines.py``),
    chosen by :data:`framelens.text.WORD_ENGINE` at each call. ``"c"`` (when the C scanner
    ``framelens.textscan`` is built): ``TermTable`` reads the text once, lowercasing as it
    goes, looks each run of word characters up in a hash table of the terms' first words,
    tries that word's phrases where it starts, and keeps the non-overlapping hits, all in
    C. ``"re"``: one Aho-Corasick automaton (pyahocorasick) over a copy of the lowercased
    text in which every non-word character is a space, holding every first word as
    ``" word "``, so that only whole words are found; a phrase's rest is matched at its
    first word by the alternation of the phrases with that first word (Python ``re``).
    On the first 3,000 cleaned Article-Bias-Prediction articles with the shipped lexicon,
    :meth:`find` took 0.44 CPU s with ``"re"`` and 0.12 with ``"c"`` (173,173 hits).

    Examples
    --------
    >>> from framelens.wording.loading import load_lexicon
    >>> lex = load_lexicon(pd.DataFrame({"term": ["special operation", "operation", "war(?:s)?"],
    ...     "is_regex": ["false", "false", "true"], "register": ["legitimising", "neutral", "neutral"],
    ...     "target_type": "war", "note": "", "source": "example"}))
    >>> LexiconMatcher(lex).find("A special  operation; wars, warlike.")
    [(2, 20, 0), (22, 26, 2)]
    >>> lex = load_lexicon(pd.DataFrame({"term": ["regime"], "is_regex": ["false"],
    ...     "register": ["delegitimising"], "target_type": "government", "note": "",
    ...     "source": "example", "not_after": ["sanctions;visa-free"]}))
    >>> text = "The regime eased the sanctions regime and the visa-free regime."
    >>> [text[s:e] + f"@{s}" for s, e, _ in LexiconMatcher(lex).find(text)]
    ['regime@4']
    """

    def __init__(self, lexicon: pd.DataFrame) -> None:
        self._build(*matcher_spec(lexicon))

    def __reduce__(self) -> tuple[Any, tuple]:
        """Pickled as its :func:`matcher_spec`: the C table and the patterns are rebuilt."""
        return matcher_of_spec, (self.spec,)

    def _build(self, terms: tuple[str, ...], flags: tuple[bool, ...], keys: tuple[str, ...],
               not_after: tuple[str, ...] | None, validated: bool) -> None:
        self.spec = (terms, flags, keys, not_after, validated)
        self.odd: Any = None
        literal = [(i, keys[i]) for i, f in enumerate(flags) if not f]
        # One automaton over a copy of the (lowercased) text in which every non-word character
        # is a space, padded with spaces, holds every one-word term as " word ": only whole
        # words are ever found. A term of several words, or with a hyphen or apostrophe,
        # is found there by its first word, and the rest is matched at that place by the
        # alternation of the terms with that first word (longest first). Terms that open
        # with a non-word character ("#metoo") are searched by their own alternation.
        single: dict[str, int] = {}
        groups: dict[str, list[tuple[int, str]]] = {}
        odd: list[tuple[int, str]] = []
        for i, key in literal:
            first = _FIRST_WORD.match(key)
            if first is None:
                odd.append((i, key))
            elif first.end() == len(key):
                single[key] = i
            else:
                groups.setdefault(first.group(0), []).append((i, key))
        # the alternations are compiled when their first word is first met (a list of
        # tens of thousands of phrases costs nothing for those that never occur)
        self.groups = groups
        self.compiled: dict[str, re.Pattern[str]] = {}
        self.single = single
        self.has_literal = bool(single or groups)
        self._automaton: Any = None  # built when the "re" engine first needs it
        if odd:
            self.odd = _phrases(odd)
        # row -> the pattern its not_after words make, run on the text before a hit of that row
        self.not_after: dict[int, re.Pattern[str]] = {}
        for i, words in enumerate(not_after or ()):
            parts = [term_key(w) for w in words.split(";") if w.strip()]
            if parts:
                self.not_after[i] = _not_after_pattern(parts)
        # the C engine's table: each first word, its one-word term's row (or -1) and its
        # phrases in the order the alternation tries them (longest first, then by row)
        self.table: Any = None
        if TermTable is not None:
            self.table = TermTable(
                [(w, single.get(w, -1), [(k, i) for i, k in sorted(groups.get(w, []),
                                                                  key=lambda x: (-len(x[1]), x[0]))])
                 for w in sorted(set(single) | set(groups))],
                sorted(self.not_after))
        self.regex_rows = [i for i, f in enumerate(flags) if f]
        if not validated:  # not from load_lexicon: check the patterns here
            for i in self.regex_rows:
                compile_pattern(terms[i], where=f"lexicon row {i + 2}", ignorecase=True)
        options = re2.Options()
        options.case_sensitive = False
        options.log_errors = False
        self.options = options
        self.bodies = [to_re2(terms[i]) for i in self.regex_rows]
        # compiled when the set first says the term occurs (a pattern with the Unicode class
        # of the boundary takes about a millisecond to compile; most terms never occur)
        self.regexes: dict[int, Any] = {}
        self.set: Any = None
        if self.regex_rows:
            self.set = re2.Set.SearchSet(options)
            for body in self.bodies:
                self.set.Add(body)
            self.set.Compile()

    def _words(self) -> Any:
        """The "re" engine's automaton of the first words (built on first use)."""
        if self._automaton is None:
            self._automaton = ahocorasick.Automaton()
            for w in set(self.single) | set(self.groups):
                self._automaton.add_word(f" {w} ", (len(w), self.single.get(w, -1),
                                                    w if w in self.groups else None))
            self._automaton.make_automaton()
        return self._automaton

    def _literal(self, folded: str) -> list[tuple[int, int, int]]:
        # ASCII non-word characters -> space by a byte table (the UTF-8 of other characters is
        # kept, so the length in characters is the same); each distinct non-ASCII character
        # that is not a word character (curly quotes, dashes) by str.replace
        spaced = folded.encode("utf-8").translate(_SPACE_ASCII).decode("utf-8")
        if not spaced.isascii():
            for ch in {c for c in _NON_ASCII.findall(spaced) if not _is_word(c)}:
                spaced = spaced.replace(ch, " ")
        out = []
        for end, (n, row, phrases) in self._words().iter(f" {spaced} "):
            s = end - n - 1
            if row >= 0:
                out.append((s, s + n, row))
            if phrases is not None:
                rx = self.compiled.get(phrases)
                if rx is None:
                    rx = self.compiled[phrases] = _phrases(self.groups[phrases])
                m = rx.match(folded, s)
                if m is not None:
                    out.append((s, m.end(), int(m.lastgroup[1:])))
        return out

    def _regex(self, text: str) -> list[tuple[int, int, int]]:
        raw = text.encode("utf-8")
        found = self.set.Match(raw)
        if not found:
            return []
        chars = None
        if len(raw) != len(text):  # byte offsets -> character offsets
            b = np.frombuffer(raw, dtype=np.uint8)
            chars = np.concatenate([[0], np.cumsum((b & 0xC0) != 0x80)])
        out = []
        for k in found:
            row = self.regex_rows[k]
            rx = self.regexes.get(k)
            if rx is None:
                # the term, then a non-word character or the end: RE2 tries the term's
                # alternatives in order until one is followed by a boundary
                # ("liberat(?:e|ed)" in "liberated")
                rx = self.regexes[k] = re2.compile(f"({self.bodies[k]})(?:[^{_W}]|\\z)",
                                                   self.options)
            for m in rx.finditer(raw):
                s, e = m.span(1)
                if chars is not None:
                    s, e = int(chars[s]), int(chars[e])
                if s == e or (_is_word(text[s]) and s > 0 and _is_word(text[s - 1])):
                    continue
                out.append((s, e, row))
        return out

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """``(start, end, row)`` of every hit in ``text``, in order, none overlapping."""
        if self.table is not None and framelens.text.WORD_ENGINE == "c":
            return self._find_c(text)
        cands: list[tuple[int, int, int]] = []
        folded = _fold(text) if self.has_literal or self.odd is not None or self.not_after else ""
        if self.has_literal:
            cands += self._literal(folded)
        if self.odd is not None:
            cands += [(m.start(), m.end(), int(m.lastgroup[1:])) for m in self.odd.finditer(folded)]
        if self.set is not None:
            cands += self._regex(text)
        if self.not_after:
            cands = [c for c in cands if c[2] not in self.not_after
                     or self.not_after[c[2]].search(folded, max(0, c[0] - _NOT_AFTER_REACH), c[0]) is None]
        # leftmost, then longest, then the earlier row: (start, -end, row) in tuple order
        order = sorted([(s, -e, row) for s, e, row in cands])
        out = []
        pos = 0
        for s, ne, row in order:
            if s >= pos:
                out.append((s, -ne, row))
                pos = -ne
        return out

    def hit_rows(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The lexicon row of every hit of each text (:meth:`find`'s hits, without places).

        Returns
        -------
        per_text : numpy.ndarray of int64
            How many hits each text has.
        rows : numpy.ndarray of int64
            The row of every hit, text after text, each text's in order of place.

        Examples
        --------
        >>> from framelens.wording.loading import load_lexicon
        >>> lex = load_lexicon(pd.DataFrame({"term": ["regime", "brutal"], "is_regex": "false",
        ...     "register": "delegitimising", "target_type": "x", "note": "", "source": "s"}))
        >>> per_text, rows = LexiconMatcher(lex).hit_rows(["A brutal regime.", "", "Brutal."])
        >>> per_text.tolist(), rows.tolist()
        ([2, 0, 1], [1, 0, 1])
        """
        if self.table is not None and framelens.text.WORD_ENGINE == "c":
            parts = [self._find_c(t, rows=True) for t in texts]
            per_text = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)) // 8
            return per_text, np.frombuffer(b"".join(parts), dtype=np.int64)
        found = [self.find(t) for t in texts]
        per_text = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        return per_text, np.array([r for f in found for _, _, r in f], dtype=np.int64)

    def _find_c(self, text: str, rows: bool = False) -> Any:
        """:meth:`find` with the literal terms found, and the hits chosen, by the C table
        (``rows``: only the hits' rows, as int64 bytes)."""
        folded: str | None = None
        extra: list[tuple[int, int, int]] = []
        if self.odd is not None:
            folded = _fold(text)
            extra += [(m.start(), m.end(), int(m.lastgroup[1:])) for m in self.odd.finditer(folded)]
        if self.set is not None:
            extra += self._regex(text)
        veto = None
        if self.not_after:
            def veto(start: int, row: int) -> bool:  # the folded text only when a row asks
                nonlocal folded
                if folded is None:
                    folded = _fold(text)
                return self.not_after[row].search(folded, max(0, start - _NOT_AFTER_REACH),
                                                  start) is not None
        found = self.table.find(text, True, extra or None, veto, rows)
        if found is None:  # U+0130 or U+03A3: lowercased in Python, as _fold does
            if folded is None:
                folded = _fold(text)
            found = self.table.find(folded, False, extra or None, veto, rows)
        return found


#: Characters before a hit that a ``not_after`` pattern may read (its longest phrase must fit).
_NOT_AFTER_REACH = 120
_JOIN = "[ \\-\u2010\u2011]+"  # spaces (tabs folded to spaces) or hyphens, never a line break


def _not_after_pattern(parts: Sequence[str]) -> re.Pattern[str]:
    """The pattern that tells, searched in the folded text up to a hit, whether one of ``parts``
    ends right before it: ``(?<!\\w)(?:p1|p2|...)[ -]+\\Z``, each part's words (split at spaces and
    hyphens) escaped and joined by spaces or hyphens, longest first."""
    bodies = sorted({_JOIN.join(re.escape(w) for w in re.split(r"[ \-\u2010\u2011]+", p) if w) for p in parts},
                    key=lambda b: (-len(b), b))
    longest = max(len(p) for p in parts)
    if longest > _NOT_AFTER_REACH - 10:
        raise LexiconError(f"{NOT_AFTER} phrase {max(parts, key=len)!r} is {longest} characters long; keep each "
                           f"under {_NOT_AFTER_REACH - 10}")
    return re.compile(f"(?<!\\w)(?:{'|'.join(bodies)}){_JOIN}\\Z")


def matcher_spec(lexicon: pd.DataFrame) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[str, ...],
                                                 tuple[str, ...] | None, bool]:
    """What a :class:`LexiconMatcher` is built from: terms, regex flags, keys, ``not_after``.

    Returns
    -------
    tuple
        ``(terms, is_regex, keys, not_after, validated)``: the lexicon's ``term`` and
        ``is_regex`` columns, its ``key`` column (:func:`~framelens.wording.loading.term_key` of
        each term when it has none), its :data:`~framelens.wording.loading.NOT_AFTER` column
        (``None`` when it has none) and whether it has a ``key`` column (it comes from
        :func:`~framelens.wording.loading.load_lexicon`, so its regular expressions were
        checked). Two lexicons with the same spec find the same hits.

    Examples
    --------
    >>> from framelens.wording.loading import load_lexicon
    >>> spec = matcher_spec(load_lexicon(pd.DataFrame({"term": ["Regime"], "is_regex": ["false"],
    ...     "register": ["delegitimising"], "target_type": "x", "note": "", "source": "s"})))
    >>> spec
    (('Regime',), (False,), ('regime',), ('',), True)
    """
    for col in ("term", "is_regex"):
        if col not in lexicon.columns:
            raise ValueError(f"lexicon lacks column {col!r}; pass the output of load_lexicon()")
    terms = tuple(lexicon["term"].astype(str).tolist())
    flags = tuple(lexicon["is_regex"].astype(bool).tolist())
    validated = "key" in lexicon.columns
    keys = (tuple(lexicon["key"].astype(str).tolist()) if validated
            else tuple(term_key(t) for t in terms))
    not_after = (tuple(lexicon[NOT_AFTER].fillna("").astype(str).tolist())
                 if NOT_AFTER in lexicon.columns else None)
    return terms, flags, keys, not_after, validated


#: The matchers :func:`compile_lexicon` built, by :func:`matcher_spec` (the latest few).
_MATCHERS: dict[tuple, LexiconMatcher] = {}
_MATCHERS_KEPT = 4


def compile_lexicon(lexicon: pd.DataFrame) -> LexiconMatcher:
    """The :class:`LexiconMatcher` of a validated lexicon (build once, match many texts).

    The matchers of the last few lexicons are kept, by :func:`matcher_spec`, so a
    lexicon passed again (or a copy of it, as each chunk of a corpus brings to a worker
    process) is not compiled again: a matcher holds no state but its caches.

    Examples
    --------
    >>> from framelens.wording.loading import load_lexicon
    >>> lex = load_lexicon()
    >>> [lex["term"].iloc[r] for _, _, r in compile_lexicon(lex).find("a brutal dictator")]
    ['brutal', 'dictator']
    """
    return matcher_of_spec(matcher_spec(lexicon))


def matcher_of_spec(spec: tuple) -> LexiconMatcher:
    """The :class:`LexiconMatcher` of a :func:`matcher_spec`, built once (the latest few are kept)."""
    matcher = _MATCHERS.get(spec)
    if matcher is None:
        matcher = LexiconMatcher.__new__(LexiconMatcher)
        matcher._build(*spec)
        while len(_MATCHERS) >= _MATCHERS_KEPT:
            del _MATCHERS[next(iter(_MATCHERS))]
        _MATCHERS[spec] = matcher
    return matcher
