"""Reading CSV and JSONL: a corpus held in one file (one article per row) and a folder's manifest.

:func:`read_table_file` reads a ``.csv`` or ``.jsonl`` file (optionally ``.gz``/``.xz``,
see :data:`TABLE_SUFFIXES`) into the corpus's articles and rejects, row by row;
:func:`read_manifest` reads the ``manifest.csv`` of a folder of ``.txt`` articles
(:mod:`framelens.io.folder`). Both use the one CSV reading here (header, unclosed
quotes, column names), so a bad CSV gets the same message wherever it is.
"""
from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from framelens.io.errors import CorpusError, bad_utf8, decode_utf8
from framelens.io.rows import (CORE_COLUMNS, MAX_ARTICLE_CHARS, article_problem, date_problem, nfc, record,
                               rejects_frame, story_of)

__all__ = [
    "TABLE_SUFFIXES",
    "table_format",
    "parse_columns",
    "read_manifest",
    "read_table_file",
]

#: File endings :func:`~framelens.corpus.load_corpus` reads as a single-file corpus (one article per row).
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


def read_manifest(file: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header and (line number, row) pairs of a manifest CSV."""
    text = decode_utf8(file.read_bytes(), f"manifest {file}")
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
        raise CorpusError(f"{file}, line 1 (header): {bad_utf8(data[:end if end >= 0 else None], 0)}.")
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
                problem = bad_utf8(data[starts[line - 1]:stop], starts[line - 1])
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
        problem = bad_utf8(raw, start)
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


def read_table_file(file: Path, *, errors: str, columns: dict[str, str],
                    max_chars: int = MAX_ARTICLE_CHARS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The articles and rejects of a single CSV/JSONL file (one article per row), for
    :func:`~framelens.corpus.load_corpus`, which documents the arguments and the result."""
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
        doc_id = nfc(fields.get("doc_id", "")).strip()
        text = fields.get("text", "")
        if not problem:
            if doc_id == "":
                problem = "empty doc_id; fill it with a unique name for the article, or delete the row"
            elif doc_id in first_line:
                problem = (f"doc_id {doc_id!r} repeats line {first_line[doc_id]}; give each article "
                           f"a unique doc_id, or delete the copy")
            else:
                story, problem = story_of(fields)
                if story is not None:
                    fields["story"] = story
                problem = problem or date_problem(fields.get("date", ""))
                short = "" if problem else article_problem(text, max_chars=max_chars)
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
        records.append(record(doc_id, fields, where, text, extra))
    if not records:
        listing = "; ".join(f"{name}: {why}" for name, why in rejects)
        raise CorpusError(f"no readable article left in {str(file)!r}: {len(rejects)} rejected ({listing})")
    df = pd.DataFrame.from_records(records, columns=[*CORE_COLUMNS, *extra])
    df = df.sort_values("doc_id", kind="stable").reset_index(drop=True).astype("str")
    return df, rejects_frame(rejects)
