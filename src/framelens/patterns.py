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

from typing import Any

import re2

__all__ = ["PatternError", "compile_pattern", "to_re2"]

# Python's Unicode classes written for RE2 (a class body, without brackets, so it can be
# put inside an enclosing [...]): str.isalnum() letters and numbers plus "_" for \w; the
# characters str.isspace() accepts for \s; decimal digits for \d.
_W = r"\p{L}\p{N}_"
_S = r"\t\n\x0b\x0c\r\x1c-\x1f\x85\p{Z}"
_D = r"\p{Nd}"
_CLASS_BODY = {"w": _W, "s": _S, "d": _D}
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


def compile_pattern(pattern: str, *, where: str, ignorecase: bool = False,
                    allow_empty: bool = False) -> Any:
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

    Returns
    -------
    re2 compiled pattern
        With :mod:`re`'s methods (``search``, ``finditer``, ``findall``, ``sub``...);
        match offsets are character offsets into the ``str`` searched.

    Raises
    ------
    PatternError
        Invalid syntax, a look-around or back-reference, or (unless
        ``allow_empty``) a pattern that matches the empty string.
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
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = not ignorecase
    try:
        rx = re2.compile(body, options)
    except re2.error as err:
        msg = err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)
        raise PatternError(f"{where}: pattern {pattern!r} is not a valid regular expression "
                           f"({msg}); fix it (for a literal term, mark it as not a regex)") from None
    if not allow_empty and (rx.search("") is not None
                            or any(m.end() == m.start() for m in rx.finditer(" x\n"))):
        raise PatternError(f"{where}: pattern {pattern!r} can match the empty string, so it "
                           "would match everywhere; make at least one character required")
    return rx
