"""What one article becomes, whichever reader found it: the corpus's columns, the checks every
row passes (a ``YYYY-MM-DD`` date, a story id, a text neither blank nor too long) and the
rejects table.

Shared by :mod:`framelens.io.folder` (``.txt`` files and their manifest) and
:mod:`framelens.io.tables` (one CSV/JSONL file), so both readers give the same columns, defaults
and reasons.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

import pandas as pd

__all__ = [
    "CORE_COLUMNS",
    "UNKNOWN",
    "DESCRIPTIVE_COLUMNS",
    "MAX_ARTICLE_CHARS",
    "STORY_COLUMNS",
    "BLANK",
    "nfc",
    "date_problem",
    "article_problem",
    "story_of",
    "record",
    "rejects_frame",
]

#: Columns every corpus starts with, in this order; other manifest columns follow.
CORE_COLUMNS: tuple[str, ...] = (
    "doc_id", "outlet", "origin_language", "translated", "date", "url", "path", "text_raw",
)

#: Value given to a descriptive column that the manifest lacks or leaves empty.
UNKNOWN = "unknown"

#: Descriptive manifest columns: :data:`UNKNOWN` where the manifest lacks or leaves them empty.
DESCRIPTIVE_COLUMNS: tuple[str, ...] = ("origin_language", "translated", "date")

#: Default of ``load_corpus(max_chars=)`` (:func:`framelens.corpus.load_corpus`): an article
#: longer than this is rejected.
MAX_ARTICLE_CHARS = 5_000_000

#: Columns a manifest or a corpus file may name a story with, in the order they are looked for.
STORY_COLUMNS: tuple[str, ...] = ("story", "event")


def nfc(s: str) -> str:
    """``s`` in Unicode NFC form, as doc_ids and story ids are compared.

    >>> nfc("Kyi\\u0308v") == "Kyïv"
    True
    """
    return unicodedata.normalize("NFC", s)


#: A text that is empty or only white space, byte-order marks and zero-width characters.
BLANK = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]*")


def date_problem(value: str) -> str:
    """Why a manifest/table ``date`` value is not a ``YYYY-MM-DD`` day (``""`` when it is, or empty)."""
    import datetime

    value = value.strip()
    if value == "" or value == UNKNOWN:
        return ""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            datetime.date.fromisoformat(value)
            return ""
    except ValueError:
        pass
    return (f"date {value!r} is not a calendar day written YYYY-MM-DD (e.g. 2024-11-29); write it "
            f"so, or leave it empty: an article without a date is undated, and same-story grouping "
            f"(stories.group_stories) then compares it only with other undated articles")


def article_problem(text: str, *, max_chars: int) -> str:
    """Why an article's text cannot be read in, ready to follow "the text" (``""`` if it can).

    Only what needs no cleaning: too many characters, or blank. ``min_words`` and junk
    are judged by :func:`~framelens.corpus.prepare`, on the cleaned text, with the rules actually used.
    """
    if len(text) > max_chars:
        return (f"has {len(text):,} characters, more than max_chars={max_chars:,} (the "
                f"--max-article-chars limit); split it into articles, or raise the limit if it "
                f"really is one article")
    if BLANK.fullmatch(text):
        return "is empty or only whitespace"
    return ""


def story_of(row: dict[str, str]) -> tuple[str | None, str]:
    """``(story id, problem)`` of a manifest/table row; ``None`` when no story column is given."""
    for key in STORY_COLUMNS:
        if key in row:
            value = nfc(row[key]).strip()
            if value == "":
                return "", (f"empty {key!r}: when the column is given every article needs its "
                            f"story id; fill it, or drop the column (stories are then found by "
                            f"stories.group_stories)")
            return value, ""
    return None, ""


def record(doc_id: str, row: dict[str, str], path: str, text: str, extra: list[str]) -> dict[str, str]:
    """One corpus row: manifest/table values with the documented defaults."""
    rec = {
        "doc_id": doc_id,
        "outlet": row.get("outlet", "").strip() or doc_id,
        **{c: (row.get(c, "").strip() or UNKNOWN) for c in DESCRIPTIVE_COLUMNS},
        "url": row.get("url", "").strip(),
        "path": path,
        "text_raw": text,
    }
    rec.update({c: row.get(c, "") for c in extra})
    return rec


def rejects_frame(pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """``(path, reason)`` pairs as the rejects table (columns ``path``, ``reason``)."""
    return pd.DataFrame(list(pairs), columns=["path", "reason"]).astype("str")
