"""Cleaning: remove the page furniture the rules find, and audit every removed span.

:func:`clean` runs the rules of :mod:`framelens.prep.rules` over each raw text: one RE2 set
pass tells which rules can match, overlaps go to the rule listed first, trailing rules
count only at the end of the text, and the whitespace left around removals is tidied.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import pandas as pd

from framelens.patterns import CharOffsets, PatternSet
from framelens.prep.rules import Rule, select_rules

__all__ = ["clean"]


# --------------------------------------------------------------------------- matching
#: One rule ready to run: its name, its compiled pattern (RE2, or re for a gated rule),
#: and the group whose span is removed ("cut" when the pattern has it, else the whole match).
_Step = tuple[str, Any, int]


@dataclass(frozen=True)
class _Plan:
    """Rules compiled once: one RE2 set of every rule's pattern or gate (which rules can
    match a text, in one pass), then the ordinary and the trailing steps, as
    (index in the set, step), each in rule order."""

    gates: PatternSet
    ordinary: tuple[tuple[int, _Step], ...]
    trailing: tuple[tuple[int, _Step], ...]


@lru_cache(maxsize=64)
def _plan(rules: tuple[Rule, ...]) -> _Plan:
    def step(rule: Rule) -> _Step:
        rx = rule.compiled()
        return rule.name, rx, rx.groupindex.get("cut", 0)
    steps = [(i, step(r)) for i, r in enumerate(rules)]
    return _Plan(PatternSet([r.gate_source() for r in rules]),
                 tuple((i, st) for (i, st), r in zip(steps, rules) if not r.trailing),
                 tuple((i, st) for (i, st), r in zip(steps, rules) if r.trailing))


class _Taken:
    """Removed spans of one text, non-overlapping, kept sorted: overlap tests by
    bisection, and the end of the text's last kept character (for trailing rules)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int, str]] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._kept_end: int | None = None

    def free(self, s: int, e: int) -> bool:
        """Whether ``[s, e)`` overlaps no span."""
        j = bisect.bisect_right(self.starts, s)
        return (j == 0 or self.ends[j - 1] <= s) and (j == len(self.starts) or self.starts[j] >= e)

    def add(self, new: list[tuple[int, int, str]]) -> None:
        """Add spans that are free and do not overlap each other."""
        if len(new) == 1:
            j = bisect.bisect_left(self.starts, new[0][0])
            self.spans.insert(j, new[0])
            self.starts.insert(j, new[0][0])
            self.ends.insert(j, new[0][1])
        elif new:
            self.spans = sorted(self.spans + new)
            self.starts = [a for a, _, _ in self.spans]
            self.ends = [b for _, b, _ in self.spans]
        if self._kept_end is not None:
            inside = [a for a, b, _ in new if a < self._kept_end <= b]
            if inside:  # the last kept character was removed: walk back from there
                self._kept_end = self._walk(inside[0])

    def kept_end(self) -> int:
        """One past the last character that is neither white space nor removed (0 if none):
        a trailing match ending at or after it has only those after it."""
        if self._kept_end is None:
            self._kept_end = self._walk(len(self.text))
        return self._kept_end

    def _walk(self, pos: int) -> int:
        text = self.text
        while pos > 0:
            if text[pos - 1].isspace():
                pos -= 1
                continue
            j = bisect.bisect_left(self.ends, pos) if self.ends else 0
            if j < len(self.starts) and self.starts[j] < pos <= self.ends[j]:
                pos = self.starts[j]  # inside a removed span: jump to its start
                continue
            break
        return pos


def _find_spans(text: str, rules: tuple[Rule, ...], plan: _Plan | None = None
                ) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, rule) spans; earlier rules win overlaps.

    Each ordinary rule's matches are taken where they overlap no span of an earlier
    rule. A trailing rule's match is taken when everything after it is white space
    or removed (it ends at or after :meth:`_Taken.kept_end`); taking one can make an
    earlier one trailing, so the trailing rules are tried again, in order, until none
    is taken. Each rule runs only when the set of gates says it can match.
    """
    plan = _plan(rules) if plan is None else plan
    offsets = CharOffsets(text)  # RE2 matches the UTF-8 bytes
    present = plan.gates.present(offsets.data)
    taken = _Taken(text)

    def found(i: int, rx: Any, group: int) -> list[tuple[int, int]]:
        if i not in present:
            return []
        if isinstance(rx, re.Pattern):  # a gated rule, on Python's re
            return [(s, e) for s, e in (m.span(group) for m in rx.finditer(text)) if e > s]
        return [(offsets(s), offsets(e)) for s, e in (m.span(group) for m in rx.finditer(offsets.data))
                if e > s]

    for i, (name, rx, group) in plan.ordinary:
        taken.add([(s, e, name) for s, e in found(i, rx, group) if taken.free(s, e)])
    waiting = [(name, found(i, rx, group)) for i, (name, rx, group) in plan.trailing]
    ends = [[e for _, e in spans] for _, spans in waiting]
    changed = True
    while changed:
        changed = False
        for k, (name, spans) in enumerate(waiting):
            # spans ending at or after kept_end are trailing; taking one moves kept_end
            # back, so every later span of this rule stays trailing
            cut = bisect.bisect_left(ends[k], taken.kept_end())
            for s, e in spans[cut:]:
                if taken.free(s, e):
                    taken.add([(s, e, name)])
                    changed = True
            del spans[cut:], ends[k][cut:]
    return taken.spans


_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_RUN = re.compile(r"\n\n\n+")  # = \n{3,}; written so the engine scans for its literal start


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Remove spans, drop lines they emptied, and tidy whitespace.

    Every line is stripped of leading and trailing whitespace; a line that held
    a removed span and is left blank is dropped with its line break; runs of
    blank lines become one; line breaks become ``\\n``; the text is stripped.
    """
    if not spans:  # fast path, same result as the loop below
        lines = _BREAK.split(text) if "\r" in text else text.split("\n")
        joined = "\n".join([line.strip() for line in lines])
        return (_BLANK_RUN.sub("\n\n", joined) if "\n\n\n" in joined else joined).strip()
    out: list[str] = []
    first = 0  # spans[first:] are the spans that do not end before the current line
    for m in _LINE.finditer(text):
        s, e = m.span(1)
        if s == e and m.group(2) == "" and s == len(text) and out and s != 0:
            break
        touched = False
        keep = []
        pos = s
        while first < len(spans) and spans[first][1] <= s:
            first += 1
        for k in range(first, len(spans)):
            a, b, _ = spans[k]
            if a >= e:
                break  # sorted and non-overlapping: the rest start later still
            touched = True
            keep.append(text[pos:max(a, s)])
            pos = min(b, e)
        keep.append(text[pos:e] if pos < e else "")
        line = "".join(keep).strip()
        if touched and line == "":
            continue
        out.append(line)
        if m.group(2) == "":
            break
    joined = "\n".join(out)
    joined = _BLANK_RUN.sub("\n\n", joined)
    return joined.strip()


def clean(
    corpus: pd.DataFrame,
    *,
    text_col: str = "text_raw",
    rules: Sequence[str] | Sequence[Rule] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Remove page furniture that no reporter wrote, with an audit of every removal.

    Each rule of :data:`~framelens.prep.rules.RULES` (see
    :func:`~framelens.prep.rules.rules_table`) is a regular expression matched against the raw
    text; every match is one removed span. Overlapping matches go to the rule listed first.
    Rules marked ``trailing`` ("Source:" credit, author biography) count only when nothing but
    whitespace and other removed spans follows them. After removal the whitespace is tidied: each line is stripped,
    a line emptied by a removal is dropped with its line break, runs of blank
    lines become a single blank line, line breaks become ``\\n`` and the text is
    stripped. Nothing else changes: the report's own sentences, headlines and
    subheads are kept character for character.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus from :func:`~framelens.corpus.load_corpus`: needs ``doc_id`` and
        ``text_col``; ``outlet`` is used for the audit when present.
    text_col : str, default "text_raw"
        Column holding the text to clean.
    rules : sequence of str or Rule, optional
        Rule names from :data:`~framelens.prep.rules.RULES` to apply (in the order given), or
        your own :class:`~framelens.prep.rules.Rule` objects; default all of
        :data:`~framelens.prep.rules.RULES`.

    Returns
    -------
    cleaned : pandas.DataFrame
        A copy of ``corpus`` with a new (or replaced) column ``text``.
    audit : pandas.DataFrame
        One row per removed span, sorted by doc_id and start, columns
        ``doc_id``, ``outlet``, ``rule``, ``start``, ``end`` (character offsets
        into ``text_col``, so ``text[start:end] == removed``) and ``removed``
        (the exact removed string). Whitespace tidied around removals is not
        listed.

    Notes
    -----
    The rules' patterns run on RE2 (time linear in the text); the built-in rules
    that need look-arounds run on Python's re, gated (:class:`~framelens.prep.rules.Rule`). One
    ``re2.Set`` pass over a text tells which rules can match it, so a text without
    page furniture costs one pass. Overlaps and trailing spans are resolved by
    bisection over the sorted spans, so the time grows linearly with the text and
    its furniture (``benchmarks/RESULTS.md``: 50 MB of page furniture).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["Daily A"],
    ...                        "text_raw": ["Kyiv asked NATO to act. Share\\nSource: Daily A"]})
    >>> cleaned, audit = clean(corpus)
    >>> cleaned.loc[0, "text"]
    'Kyiv asked NATO to act.'
    >>> audit[["rule", "start", "end", "removed"]]
                rule  start  end          removed
    0  share-residue     24   29            Share
    1    source-line     30   45  Source: Daily A
    """
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a pandas DataFrame (from load_corpus), got {type(corpus).__name__}.")
    for col in ("doc_id", text_col):
        if col not in corpus.columns:
            raise ValueError(
                f"corpus has no column {col!r}; columns are {', '.join(map(str, corpus.columns))}. "
                f"Pass text_col= to name the text column."
            )
    chosen = select_rules(rules)
    outlets = corpus["outlet"] if "outlet" in corpus.columns else corpus["doc_id"]

    plan = _plan(chosen)
    cleaned_texts: list[str] = []
    audit_rows: list[dict[str, object]] = []
    for doc_id, outlet, text in zip(corpus["doc_id"], outlets, corpus[text_col]):
        if not isinstance(text, str):
            raise ValueError(
                f"corpus row doc_id={doc_id!r}: {text_col!r} is {text!r}, not a string; "
                f"load the corpus with load_corpus or fill the text."
            )
        spans = _find_spans(text, chosen, plan)
        cleaned = _apply(text, spans)
        # a text the rules left as it was stays one string, held (and pickled) once
        cleaned_texts.append(text if cleaned == text else cleaned)
        audit_rows.extend(
            {"doc_id": doc_id, "outlet": outlet, "rule": name, "start": a, "end": b, "removed": text[a:b]}
            for a, b, name in spans
        )
    out = corpus.copy()
    out["text"] = pd.Series(cleaned_texts, index=corpus.index, dtype="str")
    audit = pd.DataFrame(audit_rows, columns=["doc_id", "outlet", "rule", "start", "end", "removed"])
    audit = audit.astype({"doc_id": "str", "outlet": "str", "rule": "str", "start": "int64",
                          "end": "int64", "removed": "str"})
    audit = audit.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    return out, audit
