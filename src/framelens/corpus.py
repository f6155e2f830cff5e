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

from framelens.patterns import CharOffsets, PatternError, PatternSet, compile_pattern, re2_source
from framelens.text import WORD, count_words

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn
    from matplotlib.axes import Axes

__all__ = [
    "CorpusError",
    "Rule",
    "RULES",
    "CORE_COLUMNS",
    "MIN_WORDS",
    "TABLE_SUFFIXES",
    "load_corpus",
    "corpus_folder",
    "rejects_table",
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


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        bad = raw[err.start:err.end].hex(" ")
        raise CorpusError(
            f"{where} is not valid UTF-8: byte(s) {bad} at byte offset {err.start} "
            f"(line {line}) cannot be decoded ({err.reason}). Re-save the file as UTF-8, "
            f"e.g. `iconv -f cp1252 -t utf-8` if it came from Windows."
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


def _read_manifest(file: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header and (line number, row) pairs of a manifest CSV."""
    reader, header = _csv_header(
        _decode(file.read_bytes(), f"manifest {file}"), f"manifest {file}",
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
    return header, rows


#: Default of ``load_corpus(min_words=)``: an article needs at least one word after cleaning.
MIN_WORDS = 1

#: File endings :func:`load_corpus` reads as a single-file corpus (one article per row).
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".jsonl", ".csv.gz", ".csv.xz", ".jsonl.gz", ".jsonl.xz")

_RESERVED = ("path", "text_raw")


def _table_format(path: Path) -> str | None:
    """``"csv"`` or ``"jsonl"`` when ``path``'s name ends in one of :data:`TABLE_SUFFIXES`."""
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


def _too_short(text: str, min_words: int) -> str:
    """Why ``text`` is too short to analyse (``""`` when it is long enough)."""
    if min_words == 0:
        return ""
    from itertools import islice

    # counting stops at min_words: a long article costs one cleaning pass, not a full count
    n = sum(1 for _ in islice(WORD.finditer(_apply(text, _find_spans(text, RULES))), min_words))
    if n >= min_words:
        return ""
    if n == 0:
        return "has no words once page furniture is removed (too short to analyse)"
    return (f"has {n} word{'s' if n != 1 else ''} once page furniture is removed, fewer than "
            f"min_words={min_words} (too short to analyse)")


def _bad_utf8(raw: bytes, base: int) -> str:
    """Where ``raw`` (starting at byte ``base`` of the file) stops being UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = raw[err.start:err.end].hex(" ")
        return (f"not valid UTF-8: byte(s) {bad} at byte offset {base + err.start} cannot be "
                f"decoded ({err.reason}). Re-save the file as UTF-8, e.g. `iconv -f cp1252 -t "
                f"utf-8` if it came from Windows")
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
    reader, header = _csv_header(
        data.decode("utf-8", errors="surrogateescape"), str(file),
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
            rows.append((line, {}, f"not valid JSON ({err.msg} at column {err.colno}); fix the line "
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


def _load_table(file: Path, *, errors: str, columns: dict[str, str], min_words: int) -> pd.DataFrame:
    """:func:`load_corpus` for a single CSV/JSONL file (one article per row)."""
    fmt = _table_format(file)
    names, rows = (_csv_rows if fmt == "csv" else _jsonl_rows)(file, columns)
    if not rows:
        raise CorpusError(
            f"{file} holds no articles: add one {'line' if fmt == 'csv' else 'JSON object'} per "
            f"article{' after the header' if fmt == 'csv' else ''}, with at least doc_id and text."
        )
    extra = [n for n in names if n not in CORE_COLUMNS and n != "text"]
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
            elif _BLANK.fullmatch(text):
                problem = "the text is empty or only whitespace; put the article's text in it or delete the row"
            else:
                short = _too_short(text, min_words)
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
    df.attrs["manifest"] = None
    df.attrs["rejects"] = tuple(rejects)
    return df


def load_corpus(
    path: str | Path,
    *,
    manifest: str | Path | None = "manifest.csv",
    errors: str = "raise",
    columns: dict[str, str] | None = None,
    min_words: int = MIN_WORDS,
) -> pd.DataFrame:
    """Read a folder of ``.txt`` articles (or one CSV/JSONL file) into a corpus DataFrame.

    Parameters
    ----------
    path : str or Path
        Either a **folder** holding one UTF-8 text file per article: every file
        whose name ends in ``.txt`` (any case, not starting with ``.``) is an
        article; its ``doc_id`` is the file name without the suffix (spaces,
        upper case and non-ASCII letters are fine; names are compared in Unicode
        NFC form); sub-folders are not read. Or a **single file** with one
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
        (e.g. ``evidence``) are carried along after the core columns. If the
        default file does not exist, each article is its own outlet named by its
        doc_id and ``df.attrs["manifest"]`` is ``None``. ``None`` ignores any
        manifest. A non-default manifest that does not exist is an error.
    errors : {"raise", "collect"}, default "raise"
        ``"raise"``: the first problem raises :class:`CorpusError`.
        ``"collect"``: problems with single articles (not UTF-8, empty, no
        manifest row, manifest row without a file, sha256 mismatch, duplicate
        file name) drop that article and are recorded in
        ``df.attrs["rejects"]``, a tuple of ``(path, reason)`` pairs (see
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
    min_words : int, default 1
        An article with fewer words than this once page furniture is removed
        (by :func:`clean` with its default :data:`RULES`; a word as counted by
        :data:`WORD`, e.g. "Ukraine's" is one word) is too short to analyse and
        is rejected (``errors="collect"``) or raises. The default 1 rejects
        articles with no word at all (only punctuation, a share button, a
        "Source:" credit); raise it (e.g. ``min_words=50``) to set aside briefs
        and headline-only rows. ``0`` keeps everything that is not blank.

    Returns
    -------
    pandas.DataFrame
        One row per article, sorted by ``doc_id``, with a RangeIndex. Columns
        :data:`CORE_COLUMNS` first (``doc_id, outlet, origin_language,
        translated, date, url, path, text_raw``; ``path`` is the file name
        relative to the folder, ``text_raw`` the file decoded from UTF-8 with
        nothing changed: no newline translation, any byte-order mark kept as
        U+FEFF), then the other manifest columns in manifest order. All values
        are strings. ``df.attrs["manifest"]`` is the manifest path as a string,
        or ``None``; ``df.attrs["rejects"]`` the rejected articles (empty
        unless ``errors="collect"``). It is a tuple rather than a DataFrame
        because pandas compares ``attrs`` when concatenating, which a DataFrame
        value would make fail.

    Raises
    ------
    CorpusError
        With a message naming the file or manifest line and what to do, when:
        the folder is missing; it holds no ``.txt`` file; a file is not UTF-8
        (file and byte offset); a file is empty or whitespace-only; an article
        has fewer than ``min_words`` words after cleaning; two files
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
    >>> df = load_corpus(folder)
    >>> df[["doc_id", "outlet", "date", "path", "text_raw"]]
      doc_id   outlet     date   path         text_raw
    0      a  Daily A  unknown  a.txt      One report.
    1      b        b  unknown  b.txt  Another report.

    The same two articles as one CSV file, with a row that has no text:

    >>> table = folder / "articles.csv"
    >>> _ = table.write_text("doc_id,outlet,text\\na,Daily A,One report.\\nb,,Another report.\\nc,Daily C,\\n",
    ...                      encoding="utf-8")
    >>> df = load_corpus(table, errors="collect")
    >>> df[["doc_id", "outlet", "path", "text_raw"]]
      doc_id   outlet                 path         text_raw
    0      a  Daily A  articles.csv:line 2      One report.
    1      b        b  articles.csv:line 3  Another report.
    >>> rejects_table(df)["path"].tolist()
    ['articles.csv:line 4']
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors={errors!r} is not allowed; use 'raise' or 'collect'.")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 0:
        raise ValueError(f"min_words={min_words!r} is not allowed; use a whole number >= 0.")
    if columns is not None and (
        not isinstance(columns, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())
    ):
        raise ValueError(f"columns={columns!r} is not allowed; use a dict of file column name -> "
                         f"corpus column name, e.g. {{'content': 'text'}}.")
    folder = Path(path)
    if folder.is_file() and _table_format(folder) is not None:
        if manifest is not None and str(manifest) != "manifest.csv":
            raise CorpusError(
                f"manifest={str(manifest)!r} applies to a folder of .txt files; {str(folder)!r} is "
                f"one file whose columns describe its articles. Drop manifest=, or put the "
                f"columns (outlet, date, ...) in the file."
            )
        return _load_table(folder, errors=errors, columns=columns or {}, min_words=min_words)
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

    files = sorted(
        (p for p in folder.iterdir()
         if p.is_file() and p.suffix.lower() == ".txt" and not p.name.startswith(".")),
        key=lambda p: p.name,
    )
    if not files:
        raise CorpusError(
            f"corpus folder {str(folder)!r} holds no .txt articles. Put one UTF-8 .txt file "
            f"per article directly in the folder (sub-folders are not read)."
        )

    rejects: list[tuple[str, str]] = []

    def reject(name: str, message: str) -> None:
        if errors == "raise":
            raise CorpusError(message)
        rejects.append((name, message))

    by_id: dict[str, Path] = {}
    texts: dict[str, str] = {}
    raws: dict[str, bytes] = {}
    rejected: set[str] = set()
    for f in files:
        doc_id = _nfc(f.stem)
        if doc_id in by_id or doc_id in rejected:
            first = by_id[doc_id].name if doc_id in by_id else f"another {doc_id}.txt"
            reject(f.name, f"{first} and {f.name} in {str(folder)!r} give the same doc_id "
                           f"{doc_id!r}; rename one of them.")
            continue
        raw = f.read_bytes()
        try:
            text = _decode(raw, f"article {f}")
        except CorpusError as err:
            reject(f.name, str(err))
            rejected.add(doc_id)
            continue
        if _BLANK.fullmatch(text):
            reject(f.name, f"article {f} is empty or holds only whitespace ({len(raw)} bytes); "
                           f"remove it or put the article's text in it.")
            rejected.add(doc_id)
            continue
        short = _too_short(text, min_words)
        if short:
            reject(f.name, f"article {f} {short}; put the article's text in it or remove the file.")
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

    extra: list[str] = []
    meta: dict[str, dict[str, str]] = {}
    if manifest_file is not None:
        header, rows = _read_manifest(manifest_file)
        extra = [h for h in header if h not in CORE_COLUMNS]
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
            if doc_id in lines:
                raise CorpusError(
                    f"manifest {manifest_file}, line {line}: duplicate doc_id {doc_id!r} "
                    f"(first on line {lines[doc_id]}); keep one row per article."
                )
            lines[doc_id] = line
            if doc_id in rejected:
                continue
            if doc_id not in by_id:
                reject(f"{doc_id}.txt",
                       f"manifest {manifest_file}, line {line}: doc_id {doc_id!r} has no file "
                       f"{doc_id + '.txt'!r} in {str(folder)!r}; add the file or delete the row.")
                continue
            digest = row.get("sha256", "").strip().lower()
            if digest:
                actual = hashlib.sha256(raws[doc_id]).hexdigest()
                if digest != actual:
                    reject(by_id[doc_id].name,
                           f"article {by_id[doc_id]} does not match its sha256 in manifest "
                           f"{manifest_file}, line {line}: expected {digest}, file has {actual}. "
                           f"The file changed since the manifest was written: restore it, or "
                           f"update the sha256 if the change is intended.")
                    rejected.add(doc_id)
                    del by_id[doc_id]
                    continue
            meta[doc_id] = row
        missing = [d for d in by_id if d not in meta]
        if missing and errors == "raise":
            names = ", ".join(by_id[d].name for d in missing)
            raise CorpusError(
                f"article(s) {names} in {str(folder)!r} have no row in manifest "
                f"{manifest_file}; add a row with doc_id {missing[0]!r} (and its outlet), "
                f"or move the file out of the folder."
            )
        for d in missing:
            reject(by_id[d].name,
                   f"article {by_id[d].name} in {str(folder)!r} has no row in manifest "
                   f"{manifest_file}; add a row with doc_id {d!r} (and its outlet), or move "
                   f"the file out of the folder.")
            del by_id[d]

    if not by_id:
        listing = "; ".join(f"{name}: {why}" for name, why in rejects)
        raise CorpusError(f"no readable article left in {str(folder)!r}: {len(rejects)} rejected ({listing})")

    records = []
    for doc_id in sorted(by_id):
        records.append(_record(doc_id, meta.get(doc_id, {}), by_id[doc_id].name, texts[doc_id], extra))
    df = pd.DataFrame.from_records(records, columns=[*CORE_COLUMNS, *extra])
    df.attrs["manifest"] = None if manifest_file is None else str(manifest_file)
    df.attrs["rejects"] = tuple(sorted(rejects))
    return df


def source_note(corpus: pd.DataFrame) -> str:
    """One sentence saying where the corpus's outlets came from and what was rejected.

    A report states it so that a reader knows whether "outlet" means a
    manifest's outlet or just a file name, and that nothing was dropped unseen.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus returned by :func:`load_corpus` (any ``errors=`` mode).

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
    n = len(corpus)
    n_rej = len(corpus.attrs.get("rejects", ()))
    manifest = corpus.attrs.get("manifest")
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
    return f"{where} {n} article{'s' if n != 1 else ''} read, {rejected}."


def rejects_table(corpus: pd.DataFrame) -> pd.DataFrame:
    """The articles :func:`load_corpus` rejected with ``errors="collect"``, as a table.

    Parameters
    ----------
    corpus : pandas.DataFrame
        A corpus returned by :func:`load_corpus`.

    Returns
    -------
    pandas.DataFrame
        One row per rejected file (or manifest row without a file), sorted by
        path, columns ``path`` (file name relative to the folder) and
        ``reason`` (the message :class:`CorpusError` would have raised: what is
        wrong, where, and what to do). For a single-file corpus one row per
        rejected row, in file order, ``path`` being ``"FILE:line N"``. Together
        with the corpus it accounts for every input article:
        ``len(corpus) + len(rejects_table(corpus))`` is the number of ``.txt``
        files plus manifest rows without a file (folder), or of non-blank
        rows (file).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "good.txt").write_text("A report.", encoding="utf-8")
    >>> _ = (folder / "blank.txt").write_text("  ", encoding="utf-8")
    >>> df = load_corpus(folder, errors="collect")
    >>> df["doc_id"].tolist(), rejects_table(df)["path"].tolist()
    (['good'], ['blank.txt'])
    """
    pairs = corpus.attrs.get("rejects", ())
    return pd.DataFrame(list(pairs), columns=["path", "reason"]).astype("str")


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
)


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
        cleaned_texts.append(_apply(text, spans))
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

# A word, for describe_corpus and the too-short check, is framelens.text.WORD (imported
# above): one definition, so every word count in a report agrees.

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
