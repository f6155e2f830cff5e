"""Load a folder of articles (or one CSV/JSONL file) into a validated corpus, and clean page furniture.

A corpus is a folder of UTF-8 ``.txt`` files, one article each, plus an optional
``manifest.csv`` describing them (one row per file), or a single ``.csv`` /
``.jsonl`` file (optionally ``.gz``/``.xz``) with one article per row and at
least the columns ``doc_id`` and ``text``. :func:`load_corpus` reads either
into a DataFrame, one row per article, with the raw text kept exactly as on
disk; with ``errors="collect"`` every article it cannot use (not UTF-8, empty,
repeated id, no manifest row, too short to analyse...) is listed with the
reason and the fix by :func:`rejects_table`, so none is dropped silently. :func:`clean` removes page furniture that no reporter wrote (date
headers, timestamps, "Share" residue, comment counters, "Source: ..." lines,
republishing notices, author biographies) by general, named rules listed in
:data:`RULES`, and returns an audit table of every removed span.

Nothing runs or prints at import.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

import pandas as pd
import scipy.sparse as sp

from framelens.patterns import CharOffsets, PatternError, PatternSet, compile_pattern, re2_source
from framelens.text import WORD, count_words

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.axes import Axes

__all__ = [
    "CorpusError",
    "Rule",
    "RULES",
    "FURNITURE_LABELS",
    "furniture_phrase",
    "CORE_COLUMNS",
    "MIN_WORDS",
    "MAX_ARTICLE_CHARS",
    "STORY_COLUMNS",
    "INTERFACE_TEXT",
    "junk_reason",
    "TABLE_SUFFIXES",
    "Corpus",
    "load_corpus",
    "parse_columns",
    "prepare",
    "table_format",
    "corpus_folder",
    "rejects_table",
    "duplicate_texts",
    "source_note",
    "clean",
    "rules_table",
    "describe_corpus",
    "audit_summary",
    "plot_removed",
]

#: Columns every corpus starts with, in this order; other manifest columns follow.
CORE_COLUMNS: tuple[str, ...] = (
    "doc_id", "outlet", "origin_language", "translated", "date", "url", "path", "text_raw",
)

#: Value given to a descriptive column that the manifest lacks or leaves empty.
UNKNOWN = "unknown"

_DESCRIPTIVE = ("origin_language", "translated", "date")


class CorpusError(ValueError):
    """A corpus folder or its manifest cannot be read as it is.

    The message names the file or the manifest row (1-based line number in the
    manifest file, the header being line 1) and says what to do.
    """


# --------------------------------------------------------------------------- loading


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


_BLANK = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]*")


def _resave_hint(raw: bytes) -> str:
    """How to re-save bytes that are not UTF-8: UTF-16 when they look like it, else cp1252.

    UTF-16 is recognised by its byte-order mark (``FF FE`` or ``FE FF``) or by NUL bytes
    at every other position of the first bytes (ASCII letters in UTF-16).
    """
    head = raw[:200]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4))
    if utf16:
        return ("The file looks like UTF-16 (a UTF-16 byte-order mark or NUL bytes between the "
                "letters): re-save it as UTF-8, e.g. `iconv -f utf-16 -t utf-8`")
    return "Re-save the file as UTF-8, e.g. `iconv -f cp1252 -t utf-8` if it came from Windows"


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        bad = raw[err.start:err.end].hex(" ")
        raise CorpusError(
            f"{where} is not valid UTF-8: byte(s) {bad} at byte offset {err.start} "
            f"(line {line}) cannot be decoded ({err.reason}). {_resave_hint(raw)}."
        ) from None


def _csv_header(text: str, where: str, empty_hint: str) -> tuple[Any, list[str]]:
    """A csv reader over ``text`` (byte-order mark dropped) and its stripped header cells."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CorpusError(f"{where} is empty: {empty_hint}.") from None
    except csv.Error as err:
        raise CorpusError(f"{where}, line 1: cannot parse the header ({err}).") from None
    return reader, [h.strip() for h in header]


def _unclosed_quote(text: str, line: int, where: str) -> None:
    """Raise when the CSV record starting on ``line`` of ``text`` opens a quote never closed.

    Python's :mod:`csv` reader (not strict) reads such a field to the end of the file, so
    every later row would be swallowed into it. The record is read again with
    ``strict=True``, which reports the end of the data inside the quoted field.
    """
    lines = io.StringIO(text, newline="")
    offset = sum(len(lines.readline()) for _ in range(line - 1))
    tail = text[offset:]
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), strict=True):
            pass
    except csv.Error as err:
        if "unexpected end of data" not in str(err):
            return
        last = line + len(tail.splitlines()) - 1
        raise CorpusError(
            f"{where}, line {line}: a quoted field opened on this line is never closed, so lines "
            f"{line}-{last} (to the end of the file) would be read as one field and the rows on "
            f"them lost. Close the quote (write a quote inside a quoted field as \"\")."
        ) from None


def _read_manifest(file: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header and (line number, row) pairs of a manifest CSV."""
    text = _decode(file.read_bytes(), f"manifest {file}")
    reader, header = _csv_header(
        text, f"manifest {file}",
        "give it a header line with at least a 'doc_id' column, or delete it to load the "
        "folder without a manifest")
    if "doc_id" not in header:
        raise CorpusError(
            f"manifest {file}, line 1: required column 'doc_id' is missing (columns found: "
            f"{', '.join(repr(h) for h in header)}). Add a 'doc_id' column holding each "
            f"article's file name without '.txt'."
        )
    _header_names(f"manifest {file}", header, {})
    rows: list[tuple[int, dict[str, str]]] = []
    prev_end = reader.line_num
    try:
        for cells in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not cells or all(c.strip() == "" for c in cells):
                continue  # blank line
            if len(cells) != len(header):
                raise CorpusError(
                    f"manifest {file}, line {start}: {len(cells)} fields but the header has "
                    f"{len(header)} ({', '.join(header)}). Quote fields that contain commas."
                )
            rows.append((start, dict(zip(header, cells))))
    except csv.Error as err:
        raise CorpusError(f"manifest {file}, line {reader.line_num}: cannot parse ({err}).") from None
    if rows:
        _unclosed_quote(text.removeprefix("\ufeff"), rows[-1][0], f"manifest {file}")
    return header, rows


#: Default of ``prepare(min_words=)``: an article needs at least one word after cleaning.
MIN_WORDS = 1

#: File endings :func:`load_corpus` reads as a single-file corpus (one article per row).
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".jsonl", ".csv.gz", ".csv.xz", ".jsonl.gz", ".jsonl.xz")

_RESERVED = ("path", "text_raw")


def table_format(path: Path) -> str | None:
    """``"csv"`` or ``"jsonl"`` when ``path``'s name ends in one of :data:`TABLE_SUFFIXES`, else ``None``.

    Examples
    --------
    >>> table_format(Path("articles.jsonl.xz")), table_format(Path("notes.txt"))
    ('jsonl', None)
    """
    name = path.name.lower()
    for suffix in TABLE_SUFFIXES:
        if name.endswith(suffix):
            return suffix.split(".")[1]
    return None


def corpus_folder(path: str | Path) -> Path:
    """The folder where a corpus's companion files live (``actors.csv``, ``facts.csv``, lexicons).

    For a corpus folder that is the folder itself; for a single-file corpus
    (``articles.csv``, ``articles.jsonl.xz``, see :func:`load_corpus`) it is the
    folder holding the file, so ``actors.csv`` sits next to ``articles.csv``.

    Parameters
    ----------
    path : str or Path
        What was passed to :func:`load_corpus`.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "articles.csv").write_text("doc_id,text\\na,One report.\\n", encoding="utf-8")
    >>> corpus_folder(folder / "articles.csv") == folder, corpus_folder(folder) == folder
    (True, True)
    """
    p = Path(path)
    return p.parent if p.is_file() else p


#: Lines that are a web page's interface, not an article's text (compared in lower case,
#: surrounding white space and punctuation dropped); see :func:`junk_reason`.
INTERFACE_TEXT: frozenset[str] = frozenset({
    "link copied", "copy link", "copied", "share", "share this", "share this article",
    "share on facebook", "share on twitter", "tweet", "email", "e-mail", "print", "comments",
    "comment", "advertisement", "read more", "click here", "subscribe", "sign up", "log in",
    "close", "menu", "skip to content", "skip to main content", "loading", "play video",
    "watch", "video", "follow us", "related", "more", "next", "previous", "back to top",
})

#: Default of ``load_corpus(max_chars=)``: an article longer than this is rejected.
MAX_ARTICLE_CHARS = 5_000_000

_EDGE_PUNCT = " \t\u00a0.,:;!?|-–—•·()[]{}\"'“”‘’«»…"


def junk_reason(text: str) -> str:
    """Why a cleaned text is not an article (``""`` when it may be one).

    A text is junk when, once the lines of :data:`INTERFACE_TEXT` (a share button's
    "Link Copied", "Read more", ...) are set aside, no letter is left: only digits,
    punctuation, symbols and white space. :func:`load_corpus` judges the text *after*
    page furniture is removed (see :func:`clean`). An empty text is not junk but empty
    (``""`` here; the loader says so in its own words).

    Parameters
    ----------
    text : str
        A cleaned article text.

    Returns
    -------
    str
        The reason, ready to follow "the text ...", or ``""``.

    Examples
    --------
    >>> junk_reason("Link Copied")
    "holds only web-page interface text ('Link Copied'), no article"
    >>> junk_reason("12 345, 678.")
    'holds no letters, only digits, punctuation or symbols (12 345, 678.), no article'
    >>> junk_reason("Kyiv asked NATO.")
    ''
    """
    kept, interface = [], []
    for line in text.splitlines():
        key = line.strip(_EDGE_PUNCT).casefold()
        (interface if key in INTERFACE_TEXT else kept).append(line.strip())
    if any(ch.isalpha() for line in kept for ch in line):
        return ""
    if not any(kept) and not interface:
        return ""  # nothing at all: empty, which the callers say in their own words
    if interface and not any(kept):
        return f"holds only web-page interface text ({' / '.join(interface)[:60]!r}), no article"
    shown = " ".join(" ".join(kept).split())
    shown = shown if len(shown) <= 40 else shown[:40] + "..."
    return f"holds no letters, only digits, punctuation or symbols ({shown}), no article"


def _date_problem(value: str) -> str:
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


def _article_problem(text: str, *, max_chars: int) -> str:
    """Why an article's text cannot be read in, ready to follow "the text" (``""`` if it can).

    Only what needs no cleaning: too many characters, or blank. ``min_words`` and junk
    are judged by :func:`prepare`, on the cleaned text, with the rules actually used.
    """
    if len(text) > max_chars:
        return (f"has {len(text):,} characters, more than max_chars={max_chars:,} (the "
                f"--max-article-chars limit); split it into articles, or raise the limit if it "
                f"really is one article")
    if _BLANK.fullmatch(text):
        return "is empty or only whitespace"
    return ""


def _too_short(n: int, min_words: int, cleaned: str = "") -> str:
    """Why a text of ``n`` words after cleaning is too short to analyse or not an article
    (``""`` when it is neither); ``cleaned`` is that text, checked by :func:`junk_reason`."""
    if min_words == 0:
        return ""
    if n == 0:
        return "has no words once page furniture is removed (too short to analyse)"
    junk = junk_reason(cleaned)
    if junk:
        return f"{junk} once page furniture is removed"
    if n >= min_words:
        return ""
    return (f"has {n} word{'s' if n != 1 else ''} once page furniture is removed, fewer than "
            f"min_words={min_words} (too short to analyse)")


def _rejects_frame(pairs: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """``(path, reason)`` pairs as the rejects table (columns ``path``, ``reason``)."""
    return pd.DataFrame(list(pairs), columns=["path", "reason"]).astype("str")


def _bad_utf8(raw: bytes, base: int) -> str:
    """Where ``raw`` (starting at byte ``base`` of the file) stops being UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = raw[err.start:err.end].hex(" ")
        return (f"not valid UTF-8: byte(s) {bad} at byte offset {base + err.start} cannot be "
                f"decoded ({err.reason}). {_resave_hint(raw)}")
    return ""


def _lines(file: Path) -> Iterator[bytes]:
    """The (decompressed) lines of ``file`` as bytes, each with its ``\\n``; streamed."""
    import gzip
    import lzma

    name = file.name.lower()
    opener = gzip.open if name.endswith(".gz") else lzma.open if name.endswith(".xz") else open
    try:
        with opener(file, "rb") as fh:
            yield from fh
    except (OSError, EOFError, lzma.LZMAError) as err:
        raise CorpusError(
            f"{file} cannot be decompressed ({err}); check that it is a complete "
            f"{file.suffix} file, or decompress it yourself and pass the plain file."
        ) from None


def _line_starts(data: bytes) -> list[int]:
    """Byte offset of the start of each line (index 0 = line 1)."""
    starts = [0]
    pos = data.find(b"\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    return starts


_Row = tuple[int, dict[str, str], str]  # (line, fields, problem or "")


def _header_names(where: str, header: list[str], columns: dict[str, str]) -> list[str]:
    """Header cells renamed by ``columns``; an empty or repeated name raises."""
    names = [columns.get(h, h) for h in header]
    seen: set[str] = set()
    for h in names:
        if h in seen or h == "":
            renamed = " (after columns= renaming)" if columns else ""
            raise CorpusError(f"{where}, line 1: column name {h!r} is empty or repeated{renamed}; "
                              f"give every column a unique name.")
        seen.add(h)
    return names


def _reserved(file: Path, names: list[str], what: str) -> None:
    for col in _RESERVED:
        if col in names:
            raise CorpusError(
                f"{file}, line 1: {what} {col!r} is filled by the loader; rename it "
                f"(e.g. columns={{{col!r}: 'source_{col}'}}) or drop it."
            )


def _required(file: Path, names: list[str]) -> None:
    for col, hint in (("doc_id", "a unique name for each article"), ("text", "the article's text")):
        if col not in names:
            raise CorpusError(
                f"{file}, line 1: required column {col!r} is missing (columns found: "
                f"{', '.join(repr(n) for n in names)}). Name the column holding {hint} {col!r}, "
                f"or map yours with columns={{'YOUR_NAME': {col!r}}}."
            )
    _reserved(file, names, "column")


def _csv_rows(file: Path, columns: dict[str, str]) -> tuple[list[str], list[_Row]]:
    data = b"".join(_lines(file))
    text = data.decode("utf-8", errors="surrogateescape")
    reader, header = _csv_header(
        text, str(file),
        "give it a header line with at least the columns 'doc_id' and 'text', then one line per article")
    if any("\udc80" <= ch <= "\udcff" for h in header for ch in h):
        end = data.find(b"\n")
        raise CorpusError(f"{file}, line 1 (header): {_bad_utf8(data[:end if end >= 0 else None], 0)}.")
    names = _header_names(str(file), header, columns)
    _required(file, names)
    starts = _line_starts(data)
    rows: list[_Row] = []
    prev_end = reader.line_num
    try:
        for cells in reader:
            line, prev_end = prev_end + 1, reader.line_num
            if not cells or all(c.strip() == "" for c in cells):
                continue  # blank line
            problem = ""
            if any("\udc80" <= ch <= "\udcff" for c in cells for ch in c):
                stop = starts[prev_end] if prev_end < len(starts) else len(data)
                problem = _bad_utf8(data[starts[line - 1]:stop], starts[line - 1])
                cells = [c.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for c in cells]
            elif len(cells) != len(names):
                problem = (f"{len(cells)} fields but the header has {len(names)} "
                           f"({', '.join(names)}); quote fields that contain commas or line breaks")
            rows.append((line, dict(zip(names, cells)), problem))
    except csv.Error as err:
        raise CorpusError(f"{file}, line {reader.line_num}: cannot parse ({err}).") from None
    if rows:
        _unclosed_quote(text.removeprefix("\ufeff"), rows[-1][0], str(file))
    return names, rows


def _json_value(value: object) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _jsonl_rows(file: Path, columns: dict[str, str]) -> tuple[list[str], list[_Row]]:
    import json

    names: list[str] = []
    rows: list[_Row] = []
    pos = 0
    for line, raw in enumerate(_lines(file), start=1):  # streamed: a large file is never held twice
        start, pos = pos, pos + len(raw)
        raw = raw.rstrip(b"\n")
        if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw, start = raw[3:], start + 3
        if not raw.strip():
            continue
        problem = _bad_utf8(raw, start)
        if problem:
            rows.append((line, {}, problem))
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except json.JSONDecodeError as err:
            at = "" if err.msg.endswith(" at") else " at"
            rows.append((line, {}, f"not valid JSON ({err.msg}{at} column {err.colno}); fix the line "
                                   f"or delete it"))
            continue
        if not isinstance(obj, dict):
            rows.append((line, {}, f"a JSON {type(obj).__name__}, not an object; write each article "
                                   f"as one object {{\"doc_id\": ..., \"text\": ...}} on its own line"))
            continue
        fields = {columns.get(k, k): v for k, v in obj.items()}
        names.extend(k for k in fields if k not in names)
        problem = ""
        for key in ("doc_id", "text"):
            if key not in fields:
                problem = (f"no {key!r} field (fields: {', '.join(map(repr, fields))}); add it, or map "
                           f"yours with columns={{'YOUR_NAME': {key!r}}}")
                break
        else:
            if not isinstance(fields["text"], str):
                problem = (f"field 'text' is {_json_value(fields['text'])[:40]!r}, not a string; put "
                           f"the article's text there as a JSON string")
            elif fields["doc_id"] is None or isinstance(fields["doc_id"], (dict, list)):
                problem = (f"field 'doc_id' is {_json_value(fields['doc_id'])[:40]!r}; give a string "
                           f"or number naming the article")
        rows.append((line, {k: _json_value(v) for k, v in fields.items()}, problem))
    _reserved(file, names, "field")
    return names, rows


def _record(doc_id: str, row: dict[str, str], path: str, text: str, extra: list[str]) -> dict[str, str]:
    """One corpus row: manifest/table values with the documented defaults."""
    rec = {
        "doc_id": doc_id,
        "outlet": row.get("outlet", "").strip() or doc_id,
        **{c: (row.get(c, "").strip() or UNKNOWN) for c in _DESCRIPTIVE},
        "url": row.get("url", "").strip(),
        "path": path,
        "text_raw": text,
    }
    rec.update({c: row.get(c, "") for c in extra})
    return rec


def _load_table(file: Path, *, errors: str, columns: dict[str, str],
                max_chars: int = MAX_ARTICLE_CHARS) -> Corpus:
    """:func:`load_corpus` for a single CSV/JSONL file (one article per row)."""
    fmt = table_format(file)
    names, rows = (_csv_rows if fmt == "csv" else _jsonl_rows)(file, columns)
    if not rows:
        raise CorpusError(
            f"{file} holds no articles: add one {'line' if fmt == 'csv' else 'JSON object'} per "
            f"article{' after the header' if fmt == 'csv' else ''}, with at least doc_id and text."
        )
    extra = [n for n in names if n not in CORE_COLUMNS and n != "text"]
    if "event" in extra and "story" not in extra:
        extra = ["story", *extra]
    rejects: list[tuple[str, str]] = []
    first_line: dict[str, int] = {}
    records: list[dict[str, str]] = []
    for line, fields, problem in rows:
        where = f"{file.name}:line {line}"
        doc_id = _nfc(fields.get("doc_id", "")).strip()
        text = fields.get("text", "")
        if not problem:
            if doc_id == "":
                problem = "empty doc_id; fill it with a unique name for the article, or delete the row"
            elif doc_id in first_line:
                problem = (f"doc_id {doc_id!r} repeats line {first_line[doc_id]}; give each article "
                           f"a unique doc_id, or delete the copy")
            else:
                story, problem = _story_of(fields)
                if story is not None:
                    fields["story"] = story
                problem = problem or _date_problem(fields.get("date", ""))
                short = "" if problem else _article_problem(text, max_chars=max_chars)
                if short:
                    problem = f"the text {short}; put the article's text in it or delete the row"
        if doc_id and doc_id not in first_line:
            first_line[doc_id] = line
        if problem:
            message = f"{file}, line {line}: {problem}."
            if errors == "raise":
                raise CorpusError(message)
            rejects.append((where, message))
            continue
        records.append(_record(doc_id, fields, where, text, extra))
    if not records:
        listing = "; ".join(f"{name}: {why}" for name, why in rejects)
        raise CorpusError(f"no readable article left in {str(file)!r}: {len(rejects)} rejected ({listing})")
    df = pd.DataFrame.from_records(records, columns=[*CORE_COLUMNS, *extra])
    df = df.sort_values("doc_id", kind="stable").reset_index(drop=True).astype("str")
    return Corpus(articles=df, rejects=_rejects_frame(rejects), source=file)


def _article_files(folder: Path) -> tuple[list[Path], list[Path], bool]:
    """The article files of a corpus folder, the ones not read apart, and whether they are stories.

    The ``.txt`` files (any case) directly in ``folder``; or, when there are none, those of
    its sub-folders (not hidden), each sub-folder one story. Both at once raises, naming them.
    Not read (second list): hidden files (name starting with ``.``) and ``.txt`` names that
    are not regular files (a broken link, a pipe).
    """
    def txt(where: Path) -> list[Path]:  # files, and what is neither file nor folder (a broken link)
        return sorted((p for p in where.iterdir() if p.suffix.lower() == ".txt" and not p.is_dir()),
                      key=lambda p: p.name)

    top = txt(folder)
    subs = sorted((d for d in folder.iterdir() if d.is_dir() and not d.name.startswith(".")),
                  key=lambda d: d.name)
    stories = [d for d in subs if txt(d)]
    if top and stories:
        raise CorpusError(
            f"corpus folder {str(folder)!r} holds both .txt files ({_some(p.name for p in top)}) and "
            f"sub-folders of .txt files ({_some(d.name + '/' for d in stories)}); sub-folders are "
            f"stories, so move the top-level files into a story's folder, or keep one level only.")
    found = top if top else [p for d in stories for p in txt(d)]
    return ([p for p in found if not p.name.startswith(".") and p.is_file()],
            [p for p in found if p.name.startswith(".") or not p.is_file()], bool(stories) and not top)


def _some(names: Iterable[str], limit: int = 5) -> str:
    """``"a, b, c"`` or ``"a, b, ... (12 in all)"``."""
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown if len(names) <= limit else f"{shown}, ... ({len(names)} in all)"


#: Columns a manifest or a corpus file may name a story with, in the order they are looked for.
STORY_COLUMNS: tuple[str, ...] = ("story", "event")


def _story_of(row: dict[str, str]) -> tuple[str | None, str]:
    """``(story id, problem)`` of a manifest/table row; ``None`` when no story column is given."""
    for key in STORY_COLUMNS:
        if key in row:
            value = _nfc(row[key]).strip()
            if value == "":
                return "", (f"empty {key!r}: when the column is given every article needs its "
                            f"story id; fill it, or drop the column (stories are then found by "
                            f"stories.group_stories)")
            return value, ""
    return None, ""


def _manifests(folder: Path, top: Path | None, manifest: str | Path | None,
               story_folders: list[Path]) -> list[tuple[Path, Path | None]]:
    """The manifests to read and the folder each describes (``None``: the whole corpus).

    One manifest at the top, or (stories in sub-folders) one ``manifest.csv`` per story
    folder; both at once raises, naming them.
    """
    per_folder = []
    if manifest is not None and not Path(manifest).is_absolute():
        per_folder = [(d / manifest, d) for d in sorted(set(story_folders)) if (d / manifest).is_file()]
    if top is not None and per_folder:
        raise CorpusError(
            f"corpus folder {str(folder)!r} has a manifest at the top ({top.name}) and in story "
            f"folders ({_some(str(f.relative_to(folder)) for f, _ in per_folder)}); keep one "
            f"manifest at the top, or one per story folder.")
    return [(top, None)] if top is not None else per_folder


def _read_article(file: Path, *, max_chars: int) -> tuple[str, bytes, str]:
    """``(problem, bytes, text)`` of one article file; ``problem`` is ``""`` when it can be analysed.

    A file of more than ``4 * max_chars`` bytes (UTF-8 takes at most 4 bytes a character)
    is rejected without being read.
    """
    try:
        size = file.stat().st_size
        raw = file.read_bytes() if size <= 4 * max_chars else b""
    except OSError as err:
        return f"article {file} cannot be read ({err.strerror or err}); check its permissions.", b"", ""
    if size > 4 * max_chars:
        return (f"article {file} has {size:,} bytes, more than 4 x max_chars={max_chars:,} (the "
                f"--max-article-chars limit); split it into articles, or raise the limit if it "
                f"really is one article.", b"", "")
    try:
        text = _decode(raw, f"article {file}")
    except CorpusError as err:
        return str(err), raw, ""
    if _BLANK.fullmatch(text):
        return (f"article {file} is empty or holds only whitespace ({len(raw)} bytes); "
                f"remove it or put the article's text in it.", raw, text)
    problem = _article_problem(text, max_chars=max_chars)
    if problem:
        return f"article {file} {problem}; put the article's text in it or remove the file.", raw, text
    return "", raw, text


def parse_columns(spec: str) -> dict[str, str]:
    """``--columns`` text (command line) to the ``columns=`` mapping of :func:`framelens.corpus.load_corpus`.

    Parameters
    ----------
    spec : str
        Comma-separated ``FILE_NAME=CORPUS_NAME`` pairs, e.g. ``id=doc_id,source=outlet``.

    Returns
    -------
    dict of str to str

    Raises
    ------
    argparse.ArgumentTypeError
        A pair without ``=`` or with an empty side, or a file column named twice, named in
        the message.

    Examples
    --------
    >>> parse_columns("id=doc_id, source=outlet")
    {'id': 'doc_id', 'source': 'outlet'}
    """
    mapping: dict[str, str] = {}
    for pair in spec.split(","):
        old, sep, new = (part.strip() for part in pair.partition("="))
        if not (sep and old and new):
            raise argparse.ArgumentTypeError(
                f"{pair.strip()!r} is not FILE_NAME=CORPUS_NAME; write e.g. --columns id=doc_id,source=outlet")
        if old in mapping:
            raise argparse.ArgumentTypeError(
                f"{old!r} is renamed twice ({old}={mapping[old]} and {old}={new}); name each file "
                f"column once")
        mapping[old] = new
    return mapping


def load_corpus(
    path: str | Path,
    *,
    manifest: str | Path | None = "manifest.csv",
    errors: str = "raise",
    columns: dict[str, str] | None = None,
    max_chars: int = MAX_ARTICLE_CHARS,
) -> Corpus:
    """Read a folder of ``.txt`` articles (or one CSV/JSONL file) into a :class:`Corpus`.

    Reading does not clean: :func:`prepare` cleans the texts, judges ``min_words`` on
    the cleaned text with the rules actually used, and counts the words.

    Parameters
    ----------
    path : str or Path
        Either a **folder** holding one UTF-8 text file per article: every file
        whose name ends in ``.txt`` (any case) is an article (a hidden one, its
        name starting with ``.``, is not read and is listed as a reject); its ``doc_id`` is the file name without the suffix (spaces,
        upper case and non-ASCII letters are fine; names are compared in Unicode
        NFC form). Or a folder with no ``.txt`` file of its own whose **sub-folders**
        (not hidden) hold them: each sub-folder is one story, its name (as given) the
        article's ``story``, ``path`` is ``"SUBFOLDER/FILE.txt"`` and file names must
        still be unique across the corpus; one ``manifest.csv`` at the top or one in
        each sub-folder (not both). ``.txt`` files beside story sub-folders raise,
        naming them. Or a **single file** with one
        article per row: ``.csv`` (UTF-8, header line first) or ``.jsonl``
        (one JSON object per line), optionally compressed as ``.gz`` or ``.xz``
        (``articles.csv.gz``, ``articles.jsonl.xz``). Required columns/fields:
        ``doc_id`` and ``text`` (the article's text; it becomes ``text_raw``).
        Optional: the manifest columns described below (``outlet``,
        ``origin_language``, ``translated``, ``date``, ``url``) and any others,
        carried along as strings (JSON numbers and booleans as written in JSON,
        ``null`` as ``""``). ``path`` in the result is ``"FILE:line N"``, the
        (1-based) line where the row starts (the CSV header is line 1). Files
        that go with the corpus (``actors.csv``, ``facts.csv``, lexicon files)
        are looked for in the folder holding the file (see :func:`corpus_folder`).
    manifest : str, Path or None, default "manifest.csv"
        CSV file describing the articles, one row per file, relative to ``path``
        (or absolute). Required column: ``doc_id``. Recognised columns:
        ``outlet`` (short readable label; empty or absent means the doc_id),
        ``origin_language``, ``translated`` (yes/no/unknown), ``date``, ``url``
        (empty or absent means ``"unknown"``, ``""`` for url), ``sha256`` (hex
        digest of the file's bytes; checked when non-empty). Any other columns
        (e.g. ``evidence``) are carried along after the core columns. A ``story``
        column (or, without one, ``event``, copied to ``story``), in a manifest or a
        single file, names each article's story (kept as given, NFC); an empty value
        is rejected naming the row. If the
        default file does not exist, each article is its own outlet named by its
        doc_id and ``Corpus.manifest`` is ``None``. ``None`` ignores any
        manifest. A non-default manifest that does not exist is an error.
    errors : {"raise", "collect"}, default "raise"
        ``"raise"``: the first problem raises :class:`CorpusError`.
        ``"collect"``: problems with single articles (not UTF-8, empty, no
        manifest row, manifest row without a file, sha256 mismatch, duplicate
        file name) drop that article and are recorded in
        ``Corpus.rejects``, a table of ``path`` and ``reason`` (see
        :func:`rejects_table`); problems with the folder or the manifest as a
        whole (missing folder, no articles, missing ``doc_id`` column, repeated
        or empty ids, unparsable lines) still raise, and so does a folder with
        no readable article left. For a single file, each row is an article:
        a row with an empty or missing ``doc_id`` or ``text``, a repeated
        ``doc_id`` (later rows are rejected, naming the first), a line that is
        not valid UTF-8 or (JSONL) not a JSON object are rejected row by row;
        a missing file, a CSV header without ``doc_id``/``text`` columns, or a
        CSV that cannot be parsed raise.
    columns : dict, optional
        Single-file form only: renames the file's columns (JSON fields) to the
        corpus names before anything is read, as ``DataFrame.rename(columns=)``
        does: file name -> corpus name, e.g. ``{"id": "doc_id", "content":
        "text", "source": "outlet"}``. Columns not named keep their names.
    max_chars : int, default :data:`MAX_ARTICLE_CHARS` (5,000,000)
        An article of more characters is rejected before it is cleaned (a file of
        more than ``4 * max_chars`` bytes without being read), so one huge file
        cannot stall the run. Also checked for every row: a ``date`` that is not
        empty must be a calendar day ``YYYY-MM-DD`` (else the article is rejected,
        saying that an empty date leaves it undated for date blocking). Articles
        with the same text are kept; :func:`duplicate_texts` lists them. Hidden
        files (``.name.txt``) are rejects, never skipped silently.

    Returns
    -------
    Corpus
        ``articles``: one row per article, sorted by ``doc_id``, with a RangeIndex. Columns
        :data:`CORE_COLUMNS` first (``doc_id, outlet, origin_language,
        translated, date, url, path, text_raw``; ``path`` is the file name
        relative to the folder, ``text_raw`` the file decoded from UTF-8 with
        nothing changed: no newline translation, any byte-order mark kept as
        U+FEFF), then the other manifest columns in manifest order. All values
        are strings. ``manifest`` is the manifest path as a string, or
        ``None``; ``rejects`` the rejected articles (columns ``path``,
        ``reason``; empty unless ``errors="collect"``); ``audit`` and the word
        counts are ``None`` until :func:`prepare`.

    Raises
    ------
    CorpusError
        With a message naming the file or manifest line and what to do, when:
        the folder is missing; it holds no ``.txt`` file; a file is not UTF-8
        (file and byte offset); a file is empty or whitespace-only; two files
        have the same doc_id; the manifest lacks ``doc_id``, repeats an id, has
        a row without a file or a file without a row; a ``sha256`` differs from
        the file's.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("One report.", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_text("Another report.", encoding="utf-8")
    >>> _ = (folder / "manifest.csv").write_text("doc_id,outlet\\na,Daily A\\nb,\\n", encoding="utf-8")
    >>> df = load_corpus(folder).articles
    >>> df[["doc_id", "outlet", "date", "path", "text_raw"]]
      doc_id   outlet     date   path         text_raw
    0      a  Daily A  unknown  a.txt      One report.
    1      b        b  unknown  b.txt  Another report.

    The same two articles as one CSV file, with a row that has no text:

    >>> table = folder / "articles.csv"
    >>> _ = table.write_text("doc_id,outlet,text\\na,Daily A,One report.\\nb,,Another report.\\nc,Daily C,\\n",
    ...                      encoding="utf-8")
    >>> corpus = load_corpus(table, errors="collect")
    >>> corpus.articles[["doc_id", "outlet", "path", "text_raw"]]
      doc_id   outlet                 path         text_raw
    0      a  Daily A  articles.csv:line 2      One report.
    1      b        b  articles.csv:line 3  Another report.
    >>> corpus.rejects["path"].tolist()
    ['articles.csv:line 4']
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors={errors!r} is not allowed; use 'raise' or 'collect'.")
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise ValueError(f"max_chars={max_chars!r} is not allowed; use a whole number >= 1.")
    if columns is not None and (
        not isinstance(columns, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        raise ValueError(f"columns={columns!r} is not allowed; use a dict of file column name -> "
                         f"corpus column name, e.g. {{'content': 'text'}}.")
    folder = Path(path)
    if folder.is_file() and table_format(folder) is not None:
        if manifest is not None and str(manifest) != "manifest.csv":
            raise CorpusError(
                f"manifest={str(manifest)!r} applies to a folder of .txt files; {str(folder)!r} is "
                f"one file whose columns describe its articles. Drop manifest=, or put the "
                f"columns (outlet, date, ...) in the file."
            )
        return _load_table(folder, errors=errors, columns=columns or {}, max_chars=max_chars)
    if columns is not None:
        raise ValueError(f"columns={columns!r} applies to a single CSV/JSONL file, not to the "
                         f"folder {str(folder)!r}; describe a folder's articles in its manifest.csv.")
    if not folder.exists():
        raise CorpusError(
            f"corpus folder {str(folder)!r} does not exist (resolved: {folder.resolve()}). "
            f"Check the path; notebooks run from notebooks/, so the seeds are '../seeds'."
        )
    if not folder.is_dir():
        raise CorpusError(
            f"{str(folder)!r} is a file but not a corpus file: pass the folder holding the .txt "
            f"articles, or one file ending in {', '.join(TABLE_SUFFIXES)} with one article per row."
        )

    files, hidden, in_stories = _article_files(folder)
    if not files:
        raise CorpusError(
            f"corpus folder {str(folder)!r} holds no .txt articles. Put one UTF-8 .txt file "
            f"per article directly in the folder, or one sub-folder of .txt files per story."
        )

    def rel(p: Path) -> str:
        return p.relative_to(folder).as_posix()

    rejects: list[tuple[str, str]] = []

    def reject(name: str, message: str) -> None:
        if errors == "raise":
            raise CorpusError(message)
        rejects.append((name, message))

    for f in hidden:
        if not f.is_file():
            reject(rel(f), f"article {f} is not a regular file (a broken link, a pipe or a "
                           f"device), so it is not read; replace it with the article's file.")
            continue
        reject(rel(f), f"article {f} is a hidden file (its name starts with '.'), so it is not "
                       f"read; rename it without the leading dot to include it, or move it out "
                       f"of the folder.")

    by_id: dict[str, Path] = {}
    texts: dict[str, str] = {}
    raws: dict[str, bytes] = {}
    rejected: set[str] = set()
    for f in files:
        doc_id = _nfc(f.stem)
        if doc_id in by_id or doc_id in rejected:
            first = rel(by_id[doc_id]) if doc_id in by_id else f"another {doc_id}.txt"
            reject(rel(f), f"{first} and {rel(f)} in {str(folder)!r} give the same doc_id "
                           f"{doc_id!r}; rename one of them.")
            continue
        problem, raw, text = _read_article(f, max_chars=max_chars)
        if problem:
            reject(rel(f), problem)
            rejected.add(doc_id)
            continue
        by_id[doc_id] = f
        texts[doc_id] = text
        raws[doc_id] = raw

    manifest_file: Path | None = None
    if manifest is not None:
        candidate = Path(manifest)
        if not candidate.is_absolute():
            candidate = folder / candidate
        if candidate.is_file():
            manifest_file = candidate
        elif str(manifest) != "manifest.csv":
            raise CorpusError(
                f"manifest {str(candidate)!r} does not exist. Pass manifest=None to load "
                f"the folder without one, or give the right file name."
            )
    manifests = _manifests(folder, manifest_file, manifest, [f.parent for f in files] if in_stories else [])
    if manifests and manifest_file is None:
        manifest_file = manifests[0][0]

    extra: list[str] = []
    meta: dict[str, dict[str, str]] = {}
    for manifest_file, scope in manifests:
        header, rows = _read_manifest(manifest_file)
        extra += [h for h in header if h not in CORE_COLUMNS and h not in extra]
        if "path" in header or "text_raw" in header:
            raise CorpusError(
                f"manifest {manifest_file}, line 1: columns 'path' and 'text_raw' are "
                f"filled by the loader; rename or drop them."
            )
        lines: dict[str, int] = {}
        for line, row in rows:
            doc_id = _nfc(row["doc_id"])
            if doc_id == "":
                raise CorpusError(f"manifest {manifest_file}, line {line}: empty doc_id; fill it or delete the row.")
            if doc_id in lines or doc_id in meta:
                raise CorpusError(
                    f"manifest {manifest_file}, line {line}: duplicate doc_id {doc_id!r} "
                    f"(first on line {lines.get(doc_id, '?')}"
                    f"{'' if doc_id in lines else ' of another manifest'}); keep one row per article."
                )
            lines[doc_id] = line
            if doc_id in rejected:
                continue
            if doc_id not in by_id or (scope is not None and by_id[doc_id].parent != scope):
                where = scope if scope is not None else folder
                name = f"{rel(where) + '/' if where != folder else ''}{doc_id}.txt"
                reject(name,
                       f"manifest {manifest_file}, line {line}: doc_id {doc_id!r} has no file "
                       f"{doc_id + '.txt'!r} in {str(where)!r}; add the file or delete the row.")
                continue
            story, bad_date = _story_of(row)
            if in_stories and story and story != _nfc(by_id[doc_id].parent.name):
                bad_date = (f"story {story!r} differs from the sub-folder {by_id[doc_id].parent.name!r} "
                            f"the file is in; the sub-folder is the story, so drop the column or "
                            f"move the file")
            bad_date = bad_date or _date_problem(row.get("date", ""))
            if bad_date:
                reject(rel(by_id[doc_id]), f"manifest {manifest_file}, line {line}: {bad_date}.")
                rejected.add(doc_id)
                del by_id[doc_id]
                continue
            digest = row.get("sha256", "").strip().lower()
            if digest:
                actual = hashlib.sha256(raws[doc_id]).hexdigest()
                if digest != actual:
                    reject(rel(by_id[doc_id]),
                           f"article {by_id[doc_id]} does not match its sha256 in manifest "
                           f"{manifest_file}, line {line}: expected {digest}, file has {actual}. "
                           f"The file changed since the manifest was written: restore it, or "
                           f"update the sha256 if the change is intended.")
                    rejected.add(doc_id)
                    del by_id[doc_id]
                    continue
            meta[doc_id] = row
    for manifest_file, scope in manifests:
        missing = [d for d in by_id if d not in meta and (scope is None or by_id[d].parent == scope)]
        if missing and errors == "raise":
            names = ", ".join(rel(by_id[d]) for d in missing)
            raise CorpusError(
                f"article(s) {names} in {str(folder)!r} have no row in manifest "
                f"{manifest_file}; add a row with doc_id {missing[0]!r} (and its outlet), "
                f"or move the file out of the folder."
            )
        for d in missing:
            reject(rel(by_id[d]),
                   f"article {rel(by_id[d])} in {str(folder)!r} has no row in manifest "
                   f"{manifest_file}; add a row with doc_id {d!r} (and its outlet), or move "
                   f"the file out of the folder.")
            del by_id[d]
    manifest_file = manifests[0][0] if manifests else None

    if not by_id:
        listing = "; ".join(f"{name}: {why}" for name, why in rejects)
        raise CorpusError(f"no readable article left in {str(folder)!r}: {len(rejects)} rejected ({listing})")

    if in_stories or ("event" in extra and "story" not in extra):
        extra = ["story", *(c for c in extra if c != "story")]
    records = []
    for doc_id in sorted(by_id):
        row = dict(meta.get(doc_id, {}))
        if "story" in extra:
            row["story"] = _nfc(by_id[doc_id].parent.name) if in_stories else _story_of(row)[0] or ""
        records.append(_record(doc_id, row, rel(by_id[doc_id]), texts[doc_id], extra))
    df = pd.DataFrame.from_records(records, columns=[*CORE_COLUMNS, *extra])
    return Corpus(articles=df, rejects=_rejects_frame(sorted(rejects)), source=folder,
                  manifest=None if manifest_file is None else str(manifest_file))


def source_note(corpus: Corpus) -> str:
    """One sentence saying where the corpus's outlets came from and what was rejected.

    A report states it so that a reader knows whether "outlet" means a
    manifest's outlet or just a file name, and that nothing was dropped unseen.

    Parameters
    ----------
    corpus : Corpus
        From :func:`load_corpus` (any ``errors=`` mode) or :func:`prepare`.

    Returns
    -------
    str

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("One report.", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_text("", encoding="utf-8")
    >>> source_note(load_corpus(folder, errors="collect"))
    'No manifest.csv: each file is its own outlet, named by its file name without .txt. 1 article read, 1 rejected (see the rejects table).'
    """
    n_rej = len(corpus.rejects)
    manifest = corpus.manifest
    corpus = corpus.articles
    n = len(corpus)
    is_file = n > 0 and "path" in corpus.columns and corpus["path"].str.contains(r":line \d+$").all()
    if manifest:
        where = f"Outlets and metadata from {Path(manifest).name}."
    elif is_file and (corpus["outlet"] != corpus["doc_id"]).any():
        where = "Outlets and metadata from the corpus file's columns."
    elif is_file:
        where = "The corpus file has no outlet column: each row is its own outlet, named by its doc_id."
    else:
        where = "No manifest.csv: each file is its own outlet, named by its file name without .txt."
    rejected = (f"{n_rej} rejected (see the rejects table)" if n_rej
                else "none rejected")
    note = f"{where} {n} article{'s' if n != 1 else ''} read, {rejected}."
    if n and "text_raw" in corpus.columns:
        dups = duplicate_texts(corpus)
        if len(dups):
            pairs = "; ".join(f"{r.path} = {r.same_as}" for r in dups.head(5).itertuples())
            more = f" and {len(dups) - 5} more" if len(dups) > 5 else ""
            note += (f" {len(dups)} article{'s have' if len(dups) != 1 else ' has'} the same text "
                     f"as another ({pairs}{more}); both are kept.")
    return note


def duplicate_texts(corpus: pd.DataFrame) -> pd.DataFrame:
    """Articles whose text is the same as another article's (white space runs aside).

    Identical texts are kept in the corpus (two outlets may really carry one wire
    report word for word), but they agree perfectly on every measure, so
    ``framelens check`` and :func:`source_note` name them.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus returned by :func:`load_corpus` (columns ``path`` and ``text_raw``).

    Returns
    -------
    pandas.DataFrame
        One row per article after the first of its group (in corpus order):
        ``path``, ``same_as`` (the first article's path) and ``reason`` (saying both).

    Examples
    --------
    >>> corpus = pd.DataFrame({"path": ["a.txt", "b.txt", "c.txt"],
    ...                        "text_raw": ["Kyiv asked.", "Other.", "Kyiv  asked.\\n"]})
    >>> duplicate_texts(corpus)[["path", "same_as"]].values.tolist()
    [['c.txt', 'a.txt']]
    """
    first: dict[str, str] = {}
    rows = []
    for path, text in zip(corpus["path"], corpus["text_raw"]):
        key = hashlib.sha256(" ".join(_nfc(text).split()).encode("utf-8", "surrogatepass")).hexdigest()
        if key in first:
            rows.append((path, first[key],
                         f"{path} has the same text as {first[key]} (white space aside): both are "
                         f"kept, and they agree perfectly on every measure; delete one if it is a "
                         f"copy, not a second outlet's version"))
        else:
            first[key] = path
    return pd.DataFrame(rows, columns=["path", "same_as", "reason"]).astype("str")


def rejects_table(corpus: Corpus) -> pd.DataFrame:
    """The articles :func:`load_corpus` rejected with ``errors="collect"``, as a table.

    Parameters
    ----------
    corpus : Corpus
        From :func:`load_corpus` or :func:`prepare` (which adds the articles too short
        once cleaned).

    Returns
    -------
    pandas.DataFrame
        One row per rejected file (or manifest row without a file), sorted by
        path, columns ``path`` (file name relative to the folder) and
        ``reason`` (the message :class:`CorpusError` would have raised: what is
        wrong, where, and what to do). For a single-file corpus one row per
        rejected row, in file order, ``path`` being ``"FILE:line N"``. Together
        with the corpus it accounts for every input article:
        ``len(corpus.articles) + len(rejects_table(corpus))`` is the number of ``.txt``
        files plus manifest rows without a file (folder), or of non-blank
        rows (file).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "good.txt").write_text("A report.", encoding="utf-8")
    >>> _ = (folder / "blank.txt").write_text("  ", encoding="utf-8")
    >>> corpus = load_corpus(folder, errors="collect")
    >>> corpus.articles["doc_id"].tolist(), rejects_table(corpus)["path"].tolist()
    (['good'], ['blank.txt'])
    """
    return corpus.rejects.copy()


@dataclass(frozen=True, eq=False)
class Corpus:
    """A corpus as read, and once :func:`prepare` d, cleaned and counted.

    Everything that travels with the articles is a field of its own, not hidden on the DataFrame.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per article (see :func:`load_corpus`); after :func:`prepare` also
        ``text``, the cleaned text.
    rejects : pandas.DataFrame
        One row per input article left out: ``path`` (file, or ``"FILE:line N"``) and
        ``reason`` (what is wrong and what to do).
    source : Path
        The folder or file given to :func:`load_corpus`; companion files
        (``actors.csv``, ``facts.csv``, ``lexicon*.csv``) sit in :attr:`folder`.
    manifest : str or None
        The manifest read, if any.
    audit : pandas.DataFrame or None
        The cleaning audit (see :func:`clean`); ``None`` until :func:`prepare`.
    rules : tuple of Rule or None
        The cleaning rules used by :func:`prepare`.
    min_words : int or None
        The least number of words (after cleaning) an article needed.
    terms : numpy.ndarray or None
        The document-term matrix's column names: word types (lowercased
        :func:`framelens.text.words` tokens), sorted.
    counts : scipy.sparse.csr_matrix or None
        Document-term counts, one row per article of ``articles`` (same order), built
        once by :func:`prepare` with :func:`framelens.text.word_matrix`; keyness,
        register rates and the ``min_words`` check read it, as scattertext's
        term-document matrix serves all its views.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Kyiv asked. Share", encoding="utf-8")
    >>> c = prepare(load_corpus(folder))
    >>> c.articles["text"].tolist(), list(c.terms), c.counts.toarray().tolist(), len(c.audit)
    (['Kyiv asked.'], ['asked', 'kyiv'], [[1, 1]], 1)
    """

    articles: pd.DataFrame
    rejects: pd.DataFrame
    source: Path
    manifest: str | None = None
    audit: pd.DataFrame | None = None
    rules: tuple[Rule, ...] | None = None
    min_words: int | None = None
    terms: Any = None
    counts: Any = None

    @property
    def folder(self) -> Path:
        """Where the corpus's companion files are looked for (:func:`corpus_folder`)."""
        return corpus_folder(self.source)

    @property
    def prepared(self) -> bool:
        """Whether :func:`prepare` cleaned and counted the articles."""
        return self.audit is not None

    @property
    def doc_words(self) -> Any:
        """Words per article after cleaning (row sums of ``counts``), int64 vector."""
        if self.counts is None:
            raise ValueError("the corpus is not prepared: call framelens.corpus.prepare(corpus) first")
        import numpy as np

        return np.asarray(self.counts.sum(axis=1), dtype=np.int64).ravel()

    def __len__(self) -> int:
        return len(self.articles)


def prepare(corpus: Corpus, *, rules: Sequence[str] | Sequence[Rule] | None = None,
            min_words: int = MIN_WORDS, errors: str = "raise") -> Corpus:
    """Clean a loaded corpus, judge ``min_words`` on the cleaned text, count the words once.

    Parameters
    ----------
    corpus : Corpus
        From :func:`load_corpus`.
    rules : sequence of str or Rule, optional
        Cleaning rules, as for :func:`clean` (default all of :data:`RULES`); the same
        rules decide which articles are too short.
    min_words : int, default :data:`MIN_WORDS`
        An article with fewer words than this once cleaned (a word as counted by
        :data:`framelens.text.WORD`, e.g. "Ukraine's" is one word) is too short to
        analyse. The default 1 rejects articles with no word at all (only
        punctuation, a share button, a "Source:" credit); raise it (e.g. 50) to set
        aside briefs and headline-only rows. ``0`` keeps everything.
    errors : {"raise", "collect"}, default "raise"
        ``"raise"``: a too-short article raises :class:`CorpusError`. ``"collect"``: it
        moves to ``rejects`` with the reason (its audit rows and counts go with it).

    Returns
    -------
    Corpus
        With ``articles["text"]``, ``audit``, ``rules``, ``min_words``, ``terms`` and
        ``counts`` filled.

    Raises
    ------
    CorpusError
        When no article is left, or (``errors="raise"``) an article is too short.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Kyiv asked NATO.", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_text("Share\\nNATO", encoding="utf-8")
    >>> c = prepare(load_corpus(folder), min_words=2, errors="collect")
    >>> c.articles["doc_id"].tolist(), c.rejects["path"].tolist()
    (['a'], ['b.txt'])
    >>> prepare(load_corpus(folder), rules=["date-header"], min_words=2,
    ...         errors="collect").articles["doc_id"].tolist()
    ['a', 'b']
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors={errors!r} is not allowed; use 'raise' or 'collect'.")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 0:
        raise ValueError(f"min_words={min_words!r} is not allowed; use a whole number >= 0.")
    if not isinstance(corpus, Corpus):
        raise TypeError(f"corpus must be a Corpus (from load_corpus), got {type(corpus).__name__}.")
    from framelens.text import word_matrix

    chosen = _select_rules(rules)
    cleaned, audit = clean(corpus.articles, rules=chosen)
    terms, counts = word_matrix(cleaned["text"].tolist())
    n_words = counts.sum(axis=1).A1 if counts.shape[0] else []
    rejects = list(corpus.rejects.itertuples(index=False, name=None))
    keep = []
    for i, (path, n, text) in enumerate(zip(cleaned["path"], n_words, cleaned["text"])):
        short = _too_short(int(n), min_words, text)
        if not short:
            keep.append(i)
            continue
        line = path.rpartition(":line ")[2] if corpus.source.is_file() else ""
        message = (f"{corpus.source}, line {line}: the text {short}; put the article's text in it "
                   f"or delete the row." if line else
                   f"article {corpus.source / path} {short}; put the article's text in it or "
                   f"remove the file.")
        if errors == "raise":
            raise CorpusError(message)
        rejects.append((path, message))
    if not keep:
        listing = "; ".join(f"{name}: {why}" for name, why in rejects)
        raise CorpusError(f"no readable article left in {str(corpus.source)!r}: {len(rejects)} "
                          f"rejected ({listing})")
    if len(keep) < len(cleaned):
        ids = set(cleaned["doc_id"].iloc[keep])
        cleaned = cleaned.iloc[keep].reset_index(drop=True)
        audit = audit[audit["doc_id"].isin(ids)].reset_index(drop=True)
        counts = counts[keep]
        used = counts.getnnz(axis=0) > 0
        terms, counts = terms[used], counts[:, used]
    if corpus.source.is_file():  # a CSV/JSONL file: rejects in line order, else by file name
        rejects.sort(key=lambda pair: int(pair[0].rpartition(":line ")[2]))
    else:
        rejects.sort()
    return Corpus(articles=cleaned, rejects=_rejects_frame(rejects), source=corpus.source,
                  manifest=corpus.manifest, audit=audit, rules=chosen, min_words=min_words,
                  terms=terms, counts=sp.csr_matrix(counts))


# --------------------------------------------------------------------------- cleaning

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


#: The general cleaning rules applied by :func:`clean`, in order of precedence. Rules with
#: a ``gate`` need look-arounds or Unicode ``\\b``, which RE2 does not have: they run on
#: Python's re (they are ours, with bounded repeats and no nested ones), only on texts
#: where their gate (the pattern without those assertions, in RE2) matches.
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


def _select_rules(rules: Sequence[str] | Sequence[Rule] | None) -> tuple[Rule, ...]:
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

    Each rule of :data:`RULES` (see :func:`rules_table`) is a regular expression
    matched against the raw text; every match is one removed span. Overlapping
    matches go to the rule listed first. Rules marked ``trailing`` ("Source:" credit, author
    biography) count only when nothing but whitespace and other removed spans
    follows them. After removal the whitespace is tidied: each line is stripped,
    a line emptied by a removal is dropped with its line break, runs of blank
    lines become a single blank line, line breaks become ``\\n`` and the text is
    stripped. Nothing else changes: the report's own sentences, headlines and
    subheads are kept character for character.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus from :func:`load_corpus`: needs ``doc_id`` and ``text_col``;
        ``outlet`` is used for the audit when present.
    text_col : str, default "text_raw"
        Column holding the text to clean.
    rules : sequence of str or Rule, optional
        Rule names from :data:`RULES` to apply (in the order given), or your own
        :class:`Rule` objects; default all of :data:`RULES`.

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
    that need look-arounds run on Python's re, gated (:class:`Rule`). One
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
    chosen = _select_rules(rules)
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


# --------------------------------------------------------------------------- summaries

# A word, for describe_corpus and the too-short check of prepare, is a framelens.text.WORD
# match (count_words, word_matrix): one definition, so every word count in a report agrees.

_DESCRIBE_COLUMNS = [
    "doc_id", "outlet", "origin_language", "translated", "date",
    "words_raw", "words", "chars_raw", "chars", "chars_removed", "spans_removed",
]


def describe_corpus(corpus: pd.DataFrame, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per article: who published it, its length before and after cleaning.

    Parameters
    ----------
    corpus : pandas.DataFrame
        From :func:`load_corpus`, optionally cleaned by :func:`clean` (then it
        has a ``text`` column; otherwise ``text_raw`` counts for both).
    audit : pandas.DataFrame, optional
        The audit from :func:`clean`; gives ``chars_removed`` and
        ``spans_removed`` (0 when omitted).

    Returns
    -------
    pandas.DataFrame
        Sorted by doc_id, RangeIndex, columns ``doc_id, outlet,
        origin_language, translated, date`` (as loaded; ``unknown`` where the
        manifest does not say), ``words_raw`` and ``words`` (number of words
        before and after cleaning; a word is a run of letters or digits joined
        by inner apostrophes or hyphens, so "Ukraine's" and "33-month-old" are
        one word each), ``chars_raw`` and ``chars`` (characters before and after
        cleaning, whitespace included), ``chars_removed`` (characters in the
        audited spans; ``chars_raw - chars`` is larger when cleaning also tidied
        whitespace) and ``spans_removed`` (number of audited spans).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["Daily A"],
    ...                        "text_raw": ["Kyiv's plan, Nov. 29. Share"]})
    >>> cleaned, audit = clean(corpus)
    >>> describe_corpus(cleaned, audit)[["outlet", "words_raw", "words", "chars_raw", "chars", "spans_removed"]]
        outlet  words_raw  words  chars_raw  chars  spans_removed
    0  Daily A          5      4         27     21              1
    """
    for col in ("doc_id", "text_raw"):
        if col not in corpus.columns:
            raise ValueError(f"corpus has no column {col!r}; pass a corpus from load_corpus (columns: "
                             f"{', '.join(map(str, corpus.columns))}).")
    text = corpus["text"] if "text" in corpus.columns else corpus["text_raw"]
    out = pd.DataFrame({
        "doc_id": corpus["doc_id"].to_numpy(),
        "outlet": (corpus["outlet"] if "outlet" in corpus.columns else corpus["doc_id"]).to_numpy(),
    })
    for col in _DESCRIPTIVE:
        out[col] = corpus[col].to_numpy() if col in corpus.columns else UNKNOWN
    out["words_raw"] = [count_words(t) for t in corpus["text_raw"]]
    out["words"] = [count_words(t) for t in text]
    out["chars_raw"] = [len(t) for t in corpus["text_raw"]]
    out["chars"] = [len(t) for t in text]
    if audit is not None and len(audit):
        lengths = (audit["end"] - audit["start"]).groupby(audit["doc_id"]).agg(["sum", "size"])
        out["chars_removed"] = out["doc_id"].map(lengths["sum"]).fillna(0).astype("int64")
        out["spans_removed"] = out["doc_id"].map(lengths["size"]).fillna(0).astype("int64")
    else:
        out["chars_removed"] = 0
        out["spans_removed"] = 0
    out = out.astype({c: "int64" for c in _DESCRIBE_COLUMNS[5:]})
    return out.sort_values("doc_id", kind="stable").reset_index(drop=True)[_DESCRIBE_COLUMNS]


def audit_summary(audit: pd.DataFrame) -> pd.DataFrame:
    """What cleaning removed, per outlet and rule: spans and characters.

    Parameters
    ----------
    audit : pandas.DataFrame
        The audit from :func:`clean`.

    Returns
    -------
    pandas.DataFrame
        One row per (outlet, rule) that removed something, sorted by outlet
        then rule, RangeIndex, columns ``outlet``, ``rule``, ``spans`` (number
        of removed spans) and ``chars`` (characters removed).

    Examples
    --------
    >>> corpus = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                        "text_raw": ["Kyiv. Share\\nSource: A\\nSource: B"]})
    >>> audit_summary(clean(corpus)[1])
      outlet           rule  spans  chars
    0      A  share-residue      1      5
    1      A    source-line      2     18
    """
    missing = {"outlet", "rule", "start", "end"} - set(audit.columns)
    if missing:
        raise ValueError(f"audit lacks column(s) {sorted(missing)}; pass the audit returned by clean().")
    chars = (audit["end"] - audit["start"]).rename("chars")
    out = (pd.concat([audit[["outlet", "rule"]], chars], axis=1)
           .groupby(["outlet", "rule"], sort=True)["chars"].agg(spans="size", chars="sum")
           .reset_index())
    return out.astype({"spans": "int64", "chars": "int64"})


def plot_removed(audit: pd.DataFrame, corpus: pd.DataFrame, *, ax: Axes | None = None,
                 title: str | None = None, max_outlets: int = 40) -> Axes:
    """Horizontal bars: characters each outlet lost to cleaning, stacked by rule.

    An outlet with several articles is one bar (its articles summed).

    Parameters
    ----------
    audit : pandas.DataFrame
        The audit from :func:`clean`.
    corpus : pandas.DataFrame
        The corpus (for every outlet, including those that lost nothing, and
        the raw lengths used in the title).
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        Defaults to a sentence naming the outlet that lost the largest share of
        its characters.
    max_outlets : int, default 40
        With more outlets than this, only the ``max_outlets`` that lost the most
        characters are drawn, and the y label says how many are left out.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> corpus = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                        "text_raw": ["Kyiv. Share", "Kyiv said."]})
    >>> ax = plot_removed(clean(corpus)[1], corpus)
    >>> ax.get_title()
    'A lost the largest share to page furniture: 5 of 11 characters (45%)'
    >>> plt.close(ax.figure)
    """
    from framelens.plots import PALETTE, new_axes

    if not isinstance(max_outlets, int) or isinstance(max_outlets, bool) or max_outlets < 1:
        raise ValueError(f"max_outlets={max_outlets!r} is not allowed; use a positive integer.")
    desc = describe_corpus(corpus, audit)
    per_outlet = (desc.groupby("outlet", sort=False)[["chars_raw", "chars_removed"]].sum()
                  .astype("int64"))  # first outlet in file order first
    shown = per_outlet
    if len(per_outlet) > max_outlets:
        order = per_outlet["chars_removed"].sort_values(ascending=False, kind="stable")
        shown = per_outlet.loc[order.index[:max_outlets]]
    outlets = shown.index.tolist()[::-1]  # first at the top
    summary = audit_summary(audit)
    rules = [r.name for r in RULES if r.name in set(summary["rule"])]
    rules += sorted(set(summary["rule"]) - set(rules))
    ax = new_axes(ax, figsize=(7.5, 0.45 * len(outlets) + 1.6))
    left = pd.Series(0, index=outlets, dtype="int64")
    for i, rule in enumerate(rules):
        part = summary[summary["rule"] == rule].set_index("outlet")["chars"]
        width = part.reindex(outlets).fillna(0).astype("int64")
        ax.barh(outlets, width, left=left, color=PALETTE[i % len(PALETTE)], label=rule)
        left = left + width
    for y, total in enumerate(left):
        ax.text(total, y, f" {total}", va="center", fontsize=8)
    ax.set_xlabel("characters removed by cleaning")
    left_out = len(per_outlet) - len(shown)
    ax.set_ylabel("outlet" if not left_out else
                  f"outlet ({len(shown)} that lost most; {left_out} more not shown)")
    if rules:
        ax.legend(title="rule", fontsize=8, title_fontsize=8, frameon=False, loc="lower right")
    if title is None:
        share = per_outlet["chars_removed"] / per_outlet["chars_raw"].where(per_outlet["chars_raw"] > 0)
        top = share.fillna(0).idxmax()
        row = per_outlet.loc[top]
        if row["chars_removed"] == 0:
            title = "Cleaning removed nothing"
        else:
            title = (f"{top} lost the largest share to page furniture: "
                     f"{row['chars_removed']:,} of {row['chars_raw']:,} characters ({share[top]:.0%})")
    ax.set_title(title)
    return ax
