"""Regular expressions from users' files, matched in time linear in the text.

Researchers write regular expressions in ``actors.csv`` (an actor's aliases),
``facts.csv`` and ``lexicon*.csv``. Python's :mod:`re` backtracks: a pattern
such as ``(a+)+$`` against a run of 34 ``a`` runs for hours, and the process
cannot be interrupted while it does. :func:`compile_pattern` compiles such a
pattern with RE2 (the ``google-re2`` package), whose matching time is linear in
the text whatever the pattern, and turns every problem into a
:class:`PatternError` that names where the pattern came from and what to do.

Differences from :mod:`re`, and how they are handled:

* RE2 has no look-arounds (``(?=...)``, ``(?<!...)``) and no back-references
  (``\\1``): such a pattern is rejected with a message saying so (these are the
  constructs that make backtracking necessary).
* RE2's ``\\w``, ``\\d`` and ``\\s`` are ASCII-only; Python's are Unicode. They
  are rewritten to Unicode classes (``\\w`` -> ``[\\p{L}\\p{N}_]`` ...), inside and
  outside brackets, so ``\\w+`` still matches ``café`` and ``Ёлка``.
* RE2's ``\\b`` is an ASCII word boundary: it treats a non-ASCII letter next to
  the match as a non-word character. Write ``\\b`` only next to ASCII letters,
  or leave it out.
* ``\\uXXXX`` and ``\\Z`` are written as RE2 spells them (``\\x{XXXX}``, ``\\z``).
* A pattern that can match the empty string is rejected: it would "match" at
  every position of every text.

Examples
--------
>>> rx = compile_pattern(r"Zelensk(?:yy|yi|y)", where="actors.csv row 3")
>>> [m.group(0) for m in rx.finditer("Zelensky met Zelenskyy")]
['Zelensky', 'Zelenskyy']
>>> compile_pattern(r"\\w+", where="x").findall("café Ёлка")
['café', 'Ёлка']
>>> compile_pattern("(?<=x)a", where="lexicon.csv row 7")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
framelens.patterns.PatternError: lexicon.csv row 7: pattern '(?<=x)a' uses a look-around...
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import re2

__all__ = ["PatternError", "compile_pattern", "to_re2", "re2_source", "WORD_CHARS",
           "WordPattern", "CharOffsets", "PatternSet", "split_guards"]

# Python's Unicode classes written for RE2 (a class body, without brackets, so it can be
# put inside an enclosing [...]): str.isalnum() letters and numbers plus "_" for \w; the
# characters str.isspace() accepts for \s; decimal digits for \d.
_W = r"\p{L}\p{N}_"
_S = r"\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}"
_D = r"\p{Nd}"
_CLASS_BODY = {"w": _W, "s": _S, "d": _D}
#: Python's word characters (``\\w``) as an RE2 class body: ``f"[{WORD_CHARS}]"``.
WORD_CHARS = _W
_NEGATED = {"W": _W, "S": _S, "D": _D}


class PatternError(ValueError):
    """A user's regular expression that cannot be matched in bounded time, or is invalid."""


def _unsupported(pattern: str) -> str | None:
    """Name the first construct RE2 cannot run (look-around, back-reference), or ``None``."""
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if not in_class and (nxt in "123456789" or (nxt == "g" and pattern[i + 2:i + 3] == "<")):
                return "a back-reference"
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a literal ] first in a class
                i += 1
        elif c == "(" and pattern[i + 1:i + 2] == "?":
            head = pattern[i + 2:i + 4]
            if head[:1] in ("=", "!") or head in ("<=", "<!"):
                return "a look-around"
            if head[:2] == "P=":
                return "a back-reference"
        i += 1
    return None


def to_re2(pattern: str) -> str:
    r"""Rewrite Python's Unicode ``\w \W \d \D \s \S`` for RE2; everything else is kept.

    >>> to_re2(r"[\w-]+\s\d")
    '[\\p{L}\\p{N}_-]+[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f\\x85\\p{Z}][\\p{Nd}]'
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in _CLASS_BODY:
                out.append(_CLASS_BODY[nxt] if in_class else f"[{_CLASS_BODY[nxt]}]")
            elif nxt in _NEGATED:
                if in_class:
                    raise PatternError(f"\\{nxt} inside [...] cannot be rewritten for RE2; "
                                       f"write the class without it")
                out.append(f"[^{_NEGATED[nxt]}]")
            elif nxt in "uU":  # \uXXXX, \UXXXXXXXX -> \x{...}
                width = 4 if nxt == "u" else 8
                out.append("\\x{" + pattern[i + 2:i + 2 + width] + "}")
                i += width
            elif nxt == "Z":  # Python's end of text is RE2's \z
                out.append("\\z")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            for lit in ("^", "]"):
                if pattern[i + 1:i + 2] == lit:
                    out.append(lit)
                    i += 1
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False
    return options


def _message(err: Exception) -> str:
    return err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)


def re2_source(pattern: str, *, where: str, ignorecase: bool = False, multiline: bool = False,
               dotall: bool = False) -> str:
    r"""A pattern in Python's syntax as RE2 source, with its flags written inline.

    Checks what RE2 cannot run (look-arounds, back-references) and rewrites Python's
    Unicode classes (:func:`to_re2`); the flags become ``(?i)``, ``(?m)``, ``(?s)``.
    Syntax errors surface when the source is compiled (:func:`compile_pattern`).

    >>> re2_source(r"^\d+", where="x", multiline=True)
    '(?m)^[\\p{Nd}]+'
    """
    if not isinstance(pattern, str) or not pattern:
        raise PatternError(f"{where}: empty pattern; write the words to match")
    construct = _unsupported(pattern)
    if construct is not None:
        raise PatternError(
            f"{where}: pattern {pattern!r} uses {construct}, which the linear-time engine "
            "(RE2) cannot run in bounded time; rewrite it without (list the alternatives "
            "instead, e.g. 'Kyiv|Kiev')")
    try:
        body = to_re2(pattern)
    except PatternError as err:
        raise PatternError(f"{where}: pattern {pattern!r}: {err}") from None
    flags = "i" * ignorecase + "m" * multiline + "s" * dotall
    return f"(?{flags}){body}" if flags else body


def compile_pattern(pattern: str, *, where: str, ignorecase: bool = False,
                    allow_empty: bool = False, multiline: bool = False,
                    dotall: bool = False) -> Any:
    """Compile a user's regular expression with RE2 (linear-time matching).

    Parameters
    ----------
    pattern : str
        A regular expression in Python's syntax, minus look-arounds and
        back-references.
    where : str
        Where the pattern came from, e.g. ``"actors.csv row 4 (pattern)"``; every
        error message starts with it.
    ignorecase : bool, default False
        Match without regard to case (Unicode case folding).
    allow_empty : bool, default False
        Accept a pattern that matches the empty string.
    multiline, dotall : bool, default False
        As :data:`re.MULTILINE` (``^``/``$`` at line breaks) and :data:`re.DOTALL`.

    Returns
    -------
    re2 compiled pattern
        With :mod:`re`'s methods (``search``, ``finditer``, ``findall``, ``sub``...);
        match offsets are character offsets into the ``str`` searched (byte offsets
        into ``bytes``). Groups are addressed by number (``groupindex`` maps names).

    Raises
    ------
    PatternError
        Invalid syntax, a look-around or back-reference, or (unless
        ``allow_empty``) a pattern that matches the empty string.
    """
    source = re2_source(pattern, where=where, ignorecase=ignorecase, multiline=multiline,
                        dotall=dotall)
    try:
        rx = re2.compile(source, _options())
    except re2.error as err:
        raise PatternError(f"{where}: pattern {pattern!r} is not a valid regular expression "
                           f"({_message(err)}); fix it (for a literal term, mark it as not a "
                           "regex)") from None
    if not allow_empty and (rx.search("") is not None
                            or any(m.end() == m.start() for m in rx.finditer(" x\n"))):
        raise PatternError(f"{where}: pattern {pattern!r} can match the empty string, so it "
                           "would match everywhere; make at least one character required")
    return rx


_META = set(".^$*+?{}[]|()\\")


def _literal(piece: str) -> str | None:
    """The text a regex piece of plain characters and escaped punctuation stands for."""
    out, i = [], 0
    while i < len(piece):
        c = piece[i]
        if c == "\\":
            nxt = piece[i + 1:i + 2]
            if not nxt or nxt.isalnum() or nxt == "_":
                return None  # \d, \b, \1, \n ...: not a plain character
            out.append(nxt)
            i += 2
        elif c in _META:
            return None
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (split at ``|`` outside groups and classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += 1 + (pattern[i + 1:i + 2] == "^")
            i += pattern[i:i + 1] == "]"
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return parts + [pattern[start:]]


def split_guards(pattern: str) -> list[tuple[tuple[str, ...], str]]:
    r"""Each top-level alternative as (literal texts that must not precede it, the rest).

    The one look-around a whole-word pattern may use: an alternative opening with
    negative look-behinds of plain text, ``(?<!Melania )Trump`` ("Trump", not right
    after "Melania "), as :func:`framelens.actors.propose_actors` writes them.
    Anything else is left in the alternative (and rejected by :func:`compile_pattern`
    if it is a look-around).

    >>> split_guards(r"Donald\s+Trump|(?<!Melania )(?<!Ivanka )Trump")
    [((), 'Donald\\s+Trump'), (('Melania ', 'Ivanka '), 'Trump')]
    """
    out = []
    for alt in _alternatives(pattern):
        guards: list[str] = []
        while alt.startswith("(?<!"):
            close = alt.find(")")
            lit = _literal(alt[4:close]) if close > 0 else None
            if not lit:
                break
            guards.append(lit)
            alt = alt[close + 1:]
        out.append((tuple(guards), alt))
    return out


class WordPattern:
    r"""A user's pattern matched as whole words: no word character right before or after.

    A match of ``pattern`` counts when the character before it and the character
    after it (if any) are not word characters (Python's Unicode ``\w``), that is
    Python's ``(?<!\w)(?:pattern)(?!\w)``. For a match that begins and ends with a
    word character (every alias such as ``(?:Vladimir\s+)?Putin``) this is
    ``\b(?:pattern)\b``, with Unicode word boundaries (RE2's own ``\b`` knows only
    ASCII letters, so ``\bŠefčovič\b`` would never match). RE2 has no look-arounds:
    the characters around the match are matched too (``(?:\A|[^\w])(pattern)(?:[^\w]|\z)``)
    and each next search starts at the last character of the previous match, so that
    character can be the next match's left neighbour. Word characters are RE2's
    ``[\p{L}\p{N}_]``, from RE2's Unicode tables, which are newer than Python's
    (``unicodedata.unidata_version``, 14.0 in Python 3.11): a letter assigned since
    (U+31350, CJK Extension H, Unicode 15) is a word character here and not to Python's
    ``re``, so a name glued to one is not matched. Every character of Unicode 14 is
    classed as Python classes it.

    An alternative may open with negative look-behinds of plain text
    (:func:`split_guards`): the alternatives are then searched one by one and
    merged as Python's leftmost-first alternation does (at the leftmost position
    where one matches, the first alternative that matches there, its guards
    holding), so each stays linear in the text.

    Parameters
    ----------
    pattern : str
        Python syntax, as :func:`compile_pattern` takes it (plus guards).
    where : str
        Where the pattern came from, for error messages.

    Examples
    --------
    >>> wp = WordPattern("Šefčovič|(?<!Melania )Trump", where="actors.csv row 2")
    >>> text = "Šefčovič met Trump, not Melania Trump or Trumpism."
    >>> offsets = CharOffsets(text)
    >>> [(offsets(a), text[offsets(a):offsets(b)]) for a, b in wp.spans(offsets.data)]
    [(0, 'Šefčovič'), (13, 'Trump')]
    """

    def __init__(self, pattern: str, *, where: str) -> None:
        parts = split_guards(pattern) if "(?<!" in pattern else [((), pattern)]
        self.pattern = pattern
        if any(guards for guards, _ in parts):
            self._parts = [(tuple(g.encode("utf-8") for g in guards), WordPattern(alt, where=where))
                           for guards, alt in parts]
            self.source = "|".join(wp.source for _, wp in self._parts)
            self.gate = "|".join(wp.gate for _, wp in self._parts)
            return
        self._parts = []
        compile_pattern(pattern, where=where)  # the checks and their messages
        body = to_re2(pattern)
        self.source = f"(?:\\A|[^{_W}])({body})(?:[^{_W}]|\\z)"
        #: The pattern alone, without the characters around it: it matches wherever the
        #: whole-word pattern does, and is smaller in a :class:`PatternSet`.
        self.gate = body
        self._first = re2.compile(self.source, _options())
        self._body = body
        self._next: Any = None  # the same without "\\A", for a search again from byte 0

    _cache: dict[str, WordPattern] = {}

    @classmethod
    def cached(cls, pattern: str, *, where: str) -> WordPattern:
        """The same as ``WordPattern(pattern, where=where)``, compiled once per pattern
        (compiling RE2's Unicode classes takes milliseconds; a corpus is matched chunk by
        chunk). A pattern that fails raises each time, with ``where``."""
        found = cls._cache.get(pattern)
        if found is None:
            found = cls(pattern, where=where)
            if len(cls._cache) >= 4096:
                cls._cache.clear()
            cls._cache[pattern] = found
        return found

    def spans(self, data: bytes, pos: int = 0) -> Iterator[tuple[int, int]]:
        """(start, end) byte offsets of every whole-word match in UTF-8 ``data`` that
        starts at or after byte ``pos`` (a character boundary), in order."""
        if self._parts:
            yield from self._merged(data, pos)
            return
        n = len(data)
        m = self._first.search(data) if pos == 0 else self._again(data, pos)
        while m is not None:
            s, e = m.span(1)
            yield s, e
            if e >= n:
                return
            m = self._again(data, e)

    def _again(self, data: bytes, pos: int) -> Any:
        """The first match starting at or after byte ``pos`` > 0: searched from the
        character before it, which the match needs as its left neighbour. From a byte
        above 0 "\\A" cannot match, so the pattern is the first one; from byte 0 (after
        a match of one character there) a pattern without "\\A" (compiled when needed:
        compiling RE2's Unicode classes takes a millisecond or two)."""
        k = self._back(data, pos)
        if k > 0:
            return self._first.search(data, k)
        if self._next is None:
            self._next = re2.compile(f"[^{_W}]({self._body})(?:[^{_W}]|\\z)", _options())
        return self._next.search(data, 0)

    @staticmethod
    def _back(data: bytes, pos: int) -> int:
        """Start of the character before byte ``pos`` (its left neighbour)."""
        k = pos - 1
        while k > 0 and data[k] & 0xC0 == 0x80:  # UTF-8 continuation bytes
            k -= 1
        return k

    def _merged(self, data: bytes, pos: int) -> Iterator[tuple[int, int]]:
        def head(i: int, at: int) -> tuple[int, int] | None:
            """Alternative i's first match at or after ``at`` whose guards hold."""
            guards, wp = self._parts[i]
            while True:
                found = next(wp.spans(data, at), None)
                if found is None or not any(data[max(0, found[0] - len(g)):found[0]] == g
                                            for g in guards):
                    return found
                at = found[0] + 1  # as re does: try the next position, inside this match too
                while at < len(data) and data[at] & 0xC0 == 0x80:
                    at += 1

        heads: list[tuple[int, int] | None] = [head(i, pos) for i in range(len(self._parts))]
        while True:
            found = [(h[0], i) for i, h in enumerate(heads) if h is not None]
            if not found:
                return
            s, i = min(found)
            e = heads[i][1]  # type: ignore[index]
            yield s, e
            for j, h in enumerate(heads):  # every alternative resumes after the match
                if h is not None and h[0] < e:
                    heads[j] = head(j, e)
class CharOffsets:
    """A text's UTF-8 bytes, and character offsets for byte offsets into them.

    RE2 matches bytes; searching ``bytes`` with a byte offset to start from costs
    nothing, where the ``str`` interface re-encodes the text on every call. An ASCII
    text's offsets are the same in both. Otherwise a character offset is found by
    decoding the bytes from the nearest offset already converted (a short text, few
    matches); for a text over :attr:`COUNT_ABOVE` bytes, by counting once the UTF-8
    lead bytes (those not of the form ``0b10xxxxxx``) before every byte. A lone
    surrogate (a JSON ``"\\ud800"`` escape), which UTF-8 cannot hold, is written ``?``,
    so a text that holds one can still be matched.

    >>> c = CharOffsets("né à")
    >>> c.data, c(3), c(6)
    (b'n\\xc3\\xa9 \\xc3\\xa0', 2, 4)
    """

    #: Bytes: a longer non-ASCII text gets a table of every byte's character offset.
    COUNT_ABOVE = 1 << 16

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "replace")
        self._ascii = len(self.data) == len(text)
        self._count: np.ndarray | None = None
        self._bytes: list[int] = [0]  # converted so far, sorted: byte -> character offset
        self._chars: list[int] = [0]

    def __call__(self, offset: int) -> int:
        if self._ascii:
            return offset
        if len(self.data) > self.COUNT_ABOVE:
            if self._count is None:
                lead = (np.frombuffer(self.data, dtype=np.uint8) & 0xC0) != 0x80
                self._count = np.concatenate(([0], np.cumsum(lead, dtype=np.int64)))
            return int(self._count[offset])
        j = bisect.bisect_right(self._bytes, offset) - 1
        b, c = self._bytes[j], self._chars[j]
        if b != offset:
            c += len(self.data[b:offset].decode("utf-8"))
            self._bytes.insert(j + 1, offset)
            self._chars.insert(j + 1, c)
        return c


class PatternSet:
    """Which of many RE2 patterns occur somewhere in a text, in one pass (``re2.Set``).

    When RE2 cannot compile the set within its memory budget (hundreds of patterns),
    every pattern is reported present, so a caller that searches the present ones
    searches them all: slower, never wrong.

    Parameters
    ----------
    sources : sequence of str
        RE2 sources (:func:`re2_source`, :attr:`WordPattern.gate`), already checked.

    Examples
    --------
    >>> ps = PatternSet(["NATO", "(?i)kyiv", "Putin"])
    >>> ps.present("Kyiv asked NATO")
    {0, 1}
    """

    _cache: dict[tuple[str, ...], PatternSet] = {}

    @classmethod
    def cached(cls, sources: Sequence[str]) -> PatternSet:
        """The same as ``PatternSet(sources)``, compiled once per list of sources."""
        key = tuple(sources)
        found = cls._cache.get(key)
        if found is None:
            found = cls(key)
            if len(cls._cache) >= 256:
                cls._cache.clear()
            cls._cache[key] = found
        return found

    def __init__(self, sources: Sequence[str]) -> None:
        options = _options()
        options.max_mem = 64 << 20  # bytes for the set's program and its DFA (RE2's default: 8 MB)
        self._set = re2.Set.SearchSet(options)
        for source in sources:
            self._set.Add(source)
        self._empty = not sources
        self._every: set[int] | None = None
        try:
            self._set.Compile()
        except re2.error:  # too large: every pattern may match
            self._every = set(range(len(sources)))

    def present(self, text: str | bytes) -> set[int]:
        """Indices of the patterns with at least one match in ``text``."""
        if self._empty:
            return set()
        if self._every is not None:
            return set(self._every)
        return set(self._set.Match(text) or ())
