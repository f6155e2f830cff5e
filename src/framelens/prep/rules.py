"""The cleaning rules: what page furniture is, one named, described regular expression a rule.

:data:`RULES` lists the general rules :func:`framelens.prep.clean.clean` applies, in order of
precedence; :func:`rules_table` shows them, :func:`select_rules` picks rules by name, and
:data:`FURNITURE_LABELS` / :func:`furniture_phrase` name what they removed in the findings'
words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import pandas as pd

from framelens.patterns import PatternError, compile_pattern, re2_source

__all__ = [
    "Rule",
    "RULES",
    "FURNITURE_LABELS",
    "furniture_phrase",
    "rules_table",
    "select_rules",
]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?[ \t]+)?"
    rf"(?:{_MONTH}[ \t]+\d{{1,2}},?[ \t]+\d{{4}}|\d{{1,2}}[ \t]+{_MONTH},?[ \t]+\d{{4}})"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})"
)
_TIME = (
    r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?"
    r"(?:[ \t]?(?:[A-Z]{2,5}|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?))?)"
)
#: Characters that end a sentence (with closing quotes and brackets), for look-behinds.
_END = r".!?…\"'”’)\]"
_STAMP_WORD = r"(?:(?:Published|Updated|Posted|Last[ \t]+updated)(?:[ \t]+(?:on|at))?:?[ \t]+)"
_AGO = r"(?:\d+|an?)[ \t]+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)[ \t]+ago"


@dataclass(frozen=True)
class Rule:
    """One named cleaning rule.

    Attributes
    ----------
    name : str
        Short identifier, used in the audit's ``rule`` column.
    description : str
        What the rule removes and why no reporter wrote it.
    pattern : str
        Regular expression in Python's syntax, compiled with ``flags``; every
        match in the raw text is one removed span. If the pattern has a group
        named ``cut``, only that group is removed (so surrounding whitespace, or
        the first sentence a date header is glued to, is not part of the span).
        Matched by RE2 (:func:`framelens.patterns.compile_pattern`: time linear in
        the text, no look-arounds or back-references) unless ``gate`` is given.
    flags : int
        :mod:`re` flags: ``re.MULTILINE`` (the default, so ``^``/``$`` anchor at
        line ends), ``re.IGNORECASE``, ``re.DOTALL``.
    trailing : bool
        If true, a match counts only when nothing but whitespace and other
        removed spans follows it to the end of the text (a trailing paragraph).
    gate : str, optional
        For a pattern RE2 cannot run (look-arounds, or a ``\\b`` that must know
        non-ASCII letters): an RE2 pattern, compiled with the same flags, that
        matches somewhere in every text where ``pattern`` does (``pattern`` without
        its look-arounds). ``pattern`` then runs with Python's :mod:`re`, and only
        on texts where the gate matches. Python's re backtracks: use a gate only
        for a pattern whose running time you know (the built-in rules' are bounded
        repeats without nesting).
    """

    name: str
    description: str
    pattern: str
    flags: int = re.MULTILINE
    trailing: bool = False
    gate: str | None = None

    def _re2_flags(self) -> dict[str, bool]:
        unknown = self.flags & ~(re.MULTILINE | re.IGNORECASE | re.DOTALL | re.UNICODE)
        if unknown:
            raise PatternError(f"cleaning rule {self.name!r}: flags {re.RegexFlag(unknown)!r} "
                               "are not supported; use MULTILINE, IGNORECASE, DOTALL")
        return {"ignorecase": bool(self.flags & re.IGNORECASE),
                "multiline": bool(self.flags & re.MULTILINE),
                "dotall": bool(self.flags & re.DOTALL)}

    def compiled(self) -> Any:
        """The compiled :attr:`pattern`: an RE2 pattern, or (with a ``gate``) a
        :class:`re.Pattern`. Both have ``finditer``, ``groupindex`` and match spans."""
        if self.gate is not None:
            return re.compile(self.pattern, self.flags)
        return compile_pattern(self.pattern, where=f"cleaning rule {self.name!r}",
                               allow_empty=True, **self._re2_flags())

    def gate_source(self) -> str:
        """RE2 source of what must occur in a text for the rule to match: its gate, or
        its own pattern."""
        return re2_source(self.pattern if self.gate is None else self.gate,
                          where=f"cleaning rule {self.name!r}" + (" (gate)" if self.gate else ""),
                          **self._re2_flags())


#: The general cleaning rules applied by :func:`~framelens.prep.clean.clean`, in order of
#: precedence. Rules with a ``gate`` need look-arounds or Unicode ``\\b``, which RE2 does not
#: have: they run on Python's re (they are ours, with bounded repeats and no nested ones),
#: only on texts where their gate (the pattern without those assertions, in RE2) matches.
RULES: tuple[Rule, ...] = (
    Rule(
        "byte-order-mark",
        "A U+FEFF byte-order mark at the very start of the file (an encoding artefact).",
        r"\A\ufeff",
    ),
    Rule(
        "date-header",
        "A 'date 2024-11-30' / 'Published: 2024-11-30' header at the start of a line, "
        "written by the page template; when it is glued to the first sentence only the "
        "prefix is removed.",
        rf"^[ \t]*(?P<cut>(?:date|published|updated|posted)[ \t]*:?[ \t]*"
        rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})"
        rf"(?:[T \t]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)(?=\s|$)"
        rf"(?![ \t]*,?[ \t]*(?:at[ \t]+)?\d{{1,2}}:\d{{2}})",  # a following time: timestamp-line
        re.MULTILINE | re.IGNORECASE,
        gate=rf"^[ \t]*(?:date|published|updated|posted)[ \t]*:?[ \t]*"
             rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})",
    ),
    Rule(
        "timestamp-line",
        "A line holding only a time stamp: a time with a date ('3:42 PM EST, November 29, "
        "2024', 'Updated 4:10 p.m. ET, 2/10/2014'), a date or time after 'Published' / "
        "'Updated' / 'Posted', or a relative stamp ('6 years ago'). Anywhere in the text: "
        "no reporter writes such a line.",
        rf"^[ \t]*(?P<cut>{_STAMP_WORD}?(?:{_TIME},?[ \t]+{_DATE}|{_DATE},?[ \t]+(?:at[ \t]+)?{_TIME})"
        rf"|{_STAMP_WORD}(?:{_DATE}|{_TIME}|{_AGO})|{_AGO})[ \t]*$",
        re.MULTILINE | re.IGNORECASE,
    ),
    Rule(
        "header-date-line",
        "A line holding only a date ('November 29, 2024', 'Friday, 29 November 2024', "
        "'29.11.2024') as the first line of the text, or the second after a headline (a "
        "first line with no sentence-ending stop), where page templates put it. Further "
        "down, a bare date line is a reporter's subhead (a timeline) and stays.",
        rf"\A(?:[ \t]*\r?\n)*(?:(?:(?![.!?][\"'”’)]?[ \t])[^\n]){{1,200}}\n(?:[ \t]*\r?\n)*)?"
        rf"[ \t]*(?P<cut>{_DATE})[ \t]*\r?$",
        re.MULTILINE | re.IGNORECASE,
        gate=rf"^[ \t]*{_DATE}[ \t]*\r?$",
    ),
    Rule(
        "share-residue",
        "The word 'Share' (or 'Share this article/story/post/page') left by a share "
        "button, alone on a line or right after the last sentence of a paragraph. "
        "Lower-case 'share' and 'Share' inside a sentence are prose and stay.",
        # starts with the literal word (fast to scan for); the fixed-width look-behinds
        # then check what precedes it: line start or sentence end, up to two spaces
        rf"(?P<cut>Share(?:(?<=^Share)|(?<=^[ \t]Share)|(?<=[{_END}]Share)|(?<=[{_END}][ \t]Share)"
        rf"|(?<=[{_END}][ \t][ \t]Share))(?:[ \t]+this[ \t]+(?:article|story|post|page))?)[ \t]*$",
        gate=r"Share(?:[ \t]+this[ \t]+(?:article|story|post|page))?[ \t]*$",
    ),
    Rule(
        "comment-counter",
        "A comment counter line such as 'Comment (0)', 'Comments: 12' or '3 comments'.",
        r"^[ \t]*(?P<cut>(?:Comments?|Replies|Reactions)[ \t]*(?:\(\d+\)|\[\d+\]|:?[ \t]*\d+)"
        r"|\d+[ \t]+(?:[Cc]omments?|[Rr]eplies))[ \t]*$",
    ),
    Rule(
        "source-link",
        "A line holding only 'Source:' (or 'Sources:') and a web address, e.g. "
        "'Source: https://vtcnews.vn/...': the link back to the page a story was taken from.",
        r"^[ \t]*(?P<cut>Sources?[ \t]*:[ \t]*(?:https?://|www\.)\S+)[ \t]*$",
        re.MULTILINE | re.IGNORECASE,
    ),
    Rule(
        "source-line",
        "A trailing line starting 'Source:' (or 'Sources:') that credits where the page "
        "took the story from, e.g. 'Source: CNN Brasil'; at most 200 characters. Only at "
        "the end of the text: inside a report 'Source: ...' lines are often subheads "
        "('Source: Escapees plotted to kill husband') or chart credits, and 'Russian "
        "sources said' in prose always stays.",
        r"^[ \t]*(?P<cut>Sources?[ \t]*:[ \t]*[^\s][^\n]{0,199}?)[ \t]*$",
        trailing=True,
    ),
    Rule(
        "republish-notice",
        "A syndication line such as 'This content was originally published in ... on the "
        "CNN Brasil website', 'This article first appeared on ...', 'Originally "
        "published at ...' or 'Republished with permission'.",
        r"^[ \t]*(?P<cut>(?:This[ \t]+(?:content|article|story|post|piece|report)[ \t]+"
        r"(?:was[ \t]+)?(?:originally|first)[ \t]+(?:published|appeared)"
        r"|(?:Originally|First)[ \t]+(?:published|appeared)[ \t]+(?:in|on|at|by)\b"
        r"|Republished[ \t]+(?:with[ \t]+permission|from)\b)[^\n]*?)[ \t]*$",
        re.MULTILINE | re.IGNORECASE,
        gate=r"^[ \t]*(?:This[ \t]+(?:content|article|story|post|piece|report)[ \t]+"
             r"(?:was[ \t]+)?(?:originally|first)[ \t]+(?:published|appeared)"
             r"|(?:Originally|First)[ \t]+(?:published|appeared)[ \t]+(?:in|on|at|by)"
             r"|Republished[ \t]+(?:with[ \t]+permission|from))",
    ),
    Rule(
        "author-bio",
        "A trailing paragraph introducing the writer: it starts with a name followed by "
        "'is a/an', names a writing trade (author, writer, journalist, editor, ...) and "
        "a biography phrase (experience, writes for, covers, specialises, known for, "
        "passionate). Only as the last paragraph of the text.",
        r"^[ \t]*"
        r"(?P<cut>[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3}[ \t]+(?:is|has[ \t]+been)[ \t]+an?\b"
        r"(?=[^\n]*\b(?:author|writer|journalist|reporter|editor|correspondent|columnist|"
        r"contributor|blogger)s?\b)"
        r"(?=[^\n]*\b(?:experience|writes[ \t]+(?:for|about|on)|covers|speciali[sz]\w*|"
        r"known[ \t]+for|passionate|passion[ \t]+for)\b)"
        r"[^\n]*?)[ \t]*$",
        re.MULTILINE,
        trailing=True,
        gate=r"^[ \t]*[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3}[ \t]+(?:is|has[ \t]+been)[ \t]+an?"
             r"[^\n]*(?:author|writer|journalist|reporter|editor|correspondent|columnist|"
             r"contributor|blogger)",
    ),
    Rule(
        "advertisement-marker",
        "A line holding only 'ADVERTISEMENT' or 'Advertisement', where a page put an ad "
        "between paragraphs (1,508 of the 37,554 Article-Bias-Prediction texts, most from "
        "The Hill). The word inside a sentence stays.",
        r"^[ \t]*(?P<cut>ADVERTISEMENT|Advertisement)[ \t]*$",
    ),
    Rule(
        "media-caption",
        "A line starting with a picture or video player's label: 'Image copyright AP', "
        "'Image caption Russian dolls in a Moscow shop', 'Media playback is unsupported on "
        "your device', 'Media caption ...' (BBC pages: 762 Article-Bias-Prediction texts hold "
        "'Image copyright'). The whole line goes: the caption describes a picture, it is "
        "not the report.",
        r"^[ \t]*(?P<cut>(?:Image[ \t]+(?:copyright|caption)|Media[ \t]+caption"
        r"|Media[ \t]+playback[ \t]+is[ \t]+unsupported[ \t]+on[ \t]+your[ \t]+device)\b[^\n]*?)[ \t]*$",
    ),
)

#: How the findings name what each rule removed, singular and plural (a rule not listed
#: is named by its ``name`` with spaces). Also names traces' ``copy-paste-seam``, which
#: is page furniture that cleaning leaves in the text.
FURNITURE_LABELS: dict[str, tuple[str, str]] = {
    "byte-order-mark": ("byte-order mark", "byte-order marks"),
    "date-header": ("date header", "date headers"),
    "timestamp-line": ("time stamp", "time stamps"),
    "header-date-line": ("date line", "date lines"),
    "share-residue": ("share button", "share buttons"),
    "comment-counter": ("comment counter", "comment counters"),
    "source-link": ("source link", "source links"),
    "source-line": ("source line", "source lines"),
    "republish-notice": ("republishing notice", "republishing notices"),
    "author-bio": ("author biography", "author biographies"),
    "advertisement-marker": ("advertisement marker", "advertisement markers"),
    "media-caption": ("picture or video caption", "picture or video captions"),
    "copy-paste-seam": ("copy-paste seam", "copy-paste seams"),
}


def furniture_phrase(rules: Iterable[str]) -> str:
    """Count the rule names and say them in words, the most frequent first.

    >>> furniture_phrase(["share-residue", "date-header", "share-residue", "my-rule"])
    '2 share buttons, 1 date header and 1 my rule'
    """
    counts: dict[str, int] = {}
    for r in rules:
        counts[str(r)] = counts.get(str(r), 0) + 1
    order = list(FURNITURE_LABELS)
    ranked = sorted(counts, key=lambda r: (-counts[r], order.index(r) if r in order else len(order), r))
    said = []
    for r in ranked:
        one, many = FURNITURE_LABELS.get(r, (r.replace("-", " "), r.replace("-", " ") + "s"))
        said.append(f"{counts[r]} {one if counts[r] == 1 else many}")
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1] if said else ""


def rules_table(rules: Iterable[Rule] | None = None) -> pd.DataFrame:
    """The cleaning rules as a table: name, description, pattern, trailing.

    Parameters
    ----------
    rules : iterable of Rule, optional
        Defaults to :data:`RULES`.

    Returns
    -------
    pandas.DataFrame
        One row per rule in order of precedence, columns ``name``,
        ``description``, ``pattern`` (the regular expression) and ``trailing``
        (whether the rule only applies to the text's last paragraph).

    Examples
    --------
    >>> rules_table()["name"].tolist()[:3]
    ['byte-order-mark', 'date-header', 'timestamp-line']
    """
    rows = [
        {"name": r.name, "description": r.description, "pattern": r.pattern, "trailing": r.trailing}
        for r in (RULES if rules is None else rules)
    ]
    return pd.DataFrame(rows, columns=["name", "description", "pattern", "trailing"])


def select_rules(rules: Sequence[str] | Sequence[Rule] | None) -> tuple[Rule, ...]:
    """The rules named (names from :data:`RULES`, or :class:`Rule` objects; ``None``: all of
    :data:`RULES`), in the order given; an unknown or repeated name raises ``ValueError``.

    >>> [r.name for r in select_rules(["share-residue", "date-header"])]
    ['share-residue', 'date-header']
    """
    if rules is None:
        return RULES
    if isinstance(rules, (str, Rule)):
        rules = [rules]  # type: ignore[list-item]
    known = {r.name: r for r in RULES}
    chosen: list[Rule] = []
    for r in rules:
        if isinstance(r, Rule):
            chosen.append(r)
        elif isinstance(r, str) and r in known:
            chosen.append(known[r])
        else:
            raise ValueError(
                f"rules: unknown rule {r!r}; allowed names are {', '.join(known)} "
                f"(or Rule objects)."
            )
    names = [r.name for r in chosen]
    if len(set(names)) != len(names):
        raise ValueError(f"rules: rule names must be unique, got {names}.")
    return tuple(chosen)
