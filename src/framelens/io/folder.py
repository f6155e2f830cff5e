"""Reading a corpus folder: one UTF-8 ``.txt`` file per article (or one sub-folder of them per
story), described by an optional ``manifest.csv``.

:func:`read_folder` reads the files, checks them against the manifest(s) (a row for every
file, a file for every row, the ``sha256``, story and date of each) and returns the articles
and the rejects; :func:`corpus_folder` says where a corpus's companion files live.
:func:`framelens.corpus.load_corpus` documents the rules and builds the corpus.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from framelens.io.errors import CorpusError, decode_utf8
from framelens.io.rows import (BLANK, CORE_COLUMNS, article_problem, date_problem, nfc, record,
                               rejects_frame, story_of)
from framelens.io.tables import TABLE_SUFFIXES, read_manifest

__all__ = ["corpus_folder", "read_folder"]


def corpus_folder(path: str | Path) -> Path:
    """The folder where a corpus's companion files live (``actors.csv``, ``facts.csv``, lexicons).

    For a corpus folder that is the folder itself; for a single-file corpus
    (``articles.csv``, ``articles.jsonl.xz``, see :func:`~framelens.corpus.load_corpus`) it is the
    folder holding the file, so ``actors.csv`` sits next to ``articles.csv``.

    Parameters
    ----------
    path : str or Path
        What was passed to :func:`~framelens.corpus.load_corpus`.

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
        text = decode_utf8(raw, f"article {file}")
    except CorpusError as err:
        return str(err), raw, ""
    if BLANK.fullmatch(text):
        return (f"article {file} is empty or holds only whitespace ({len(raw)} bytes); "
                f"remove it or put the article's text in it.", raw, text)
    problem = article_problem(text, max_chars=max_chars)
    if problem:
        return f"article {file} {problem}; put the article's text in it or remove the file.", raw, text
    return "", raw, text


_Reject = Callable[[str, str], None]


def _rel(p: Path, folder: Path) -> str:
    """``p`` relative to the corpus folder, with forward slashes (a reject's ``path``)."""
    return p.relative_to(folder).as_posix()


@dataclass
class _Read:
    """The article files read so far: file, text and bytes by doc_id, and the doc_ids rejected."""

    by_id: dict[str, Path] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    raws: dict[str, bytes] = field(default_factory=dict)
    rejected: set[str] = field(default_factory=set)


def _read_files(folder: Path, files: list[Path], hidden: list[Path], *, max_chars: int,
                reject: _Reject) -> _Read:
    """Read every article file; a hidden or irregular file, a repeated doc_id or an unreadable
    file is rejected."""
    for f in hidden:
        if not f.is_file():
            reject(_rel(f, folder), f"article {f} is not a regular file (a broken link, a pipe or a "
                                    f"device), so it is not read; replace it with the article's file.")
            continue
        reject(_rel(f, folder), f"article {f} is a hidden file (its name starts with '.'), so it is not "
                                f"read; rename it without the leading dot to include it, or move it out "
                                f"of the folder.")

    read = _Read()
    for f in files:
        doc_id = nfc(f.stem)
        if doc_id in read.by_id or doc_id in read.rejected:
            first = _rel(read.by_id[doc_id], folder) if doc_id in read.by_id else f"another {doc_id}.txt"
            reject(_rel(f, folder), f"{first} and {_rel(f, folder)} in {str(folder)!r} give the same doc_id "
                                    f"{doc_id!r}; rename one of them.")
            continue
        problem, raw, text = _read_article(f, max_chars=max_chars)
        if problem:
            reject(_rel(f, folder), problem)
            read.rejected.add(doc_id)
            continue
        read.by_id[doc_id] = f
        read.texts[doc_id] = text
        read.raws[doc_id] = raw
    return read


def _top_manifest(folder: Path, manifest: str | Path | None) -> Path | None:
    """The manifest file ``manifest`` names for the whole folder, if it exists (a non-default
    name that does not exist raises)."""
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
    return manifest_file


def _row_problem(row: dict[str, str], file: Path, raw: bytes, *, manifest_file: Path, line: int,
                 in_stories: bool) -> str:
    """Why the article of a manifest row is rejected (``""`` when it is kept): a story that is
    not its sub-folder's, a date that is not a day, bytes that do not match the ``sha256``."""
    story, bad_date = story_of(row)
    if in_stories and story and story != nfc(file.parent.name):
        bad_date = (f"story {story!r} differs from the sub-folder {file.parent.name!r} "
                    f"the file is in; the sub-folder is the story, so drop the column or "
                    f"move the file")
    bad_date = bad_date or date_problem(row.get("date", ""))
    if bad_date:
        return f"manifest {manifest_file}, line {line}: {bad_date}."
    digest = row.get("sha256", "").strip().lower()
    if digest:
        actual = hashlib.sha256(raw).hexdigest()
        if digest != actual:
            return (f"article {file} does not match its sha256 in manifest "
                    f"{manifest_file}, line {line}: expected {digest}, file has {actual}. "
                    f"The file changed since the manifest was written: restore it, or "
                    f"update the sha256 if the change is intended.")
    return ""


def _manifest_rows(folder: Path, manifests: list[tuple[Path, Path | None]], read: _Read, *,
                   in_stories: bool, reject: _Reject) -> tuple[list[str], dict[str, dict[str, str]]]:
    """The manifests' extra columns and the row of each article kept; a row without a file and
    a row whose article is rejected (:func:`_row_problem`) are rejects, the article dropped."""
    extra: list[str] = []
    meta: dict[str, dict[str, str]] = {}
    for manifest_file, scope in manifests:
        header, rows = read_manifest(manifest_file)
        extra += [h for h in header if h not in CORE_COLUMNS and h not in extra]
        if "path" in header or "text_raw" in header:
            raise CorpusError(
                f"manifest {manifest_file}, line 1: columns 'path' and 'text_raw' are "
                f"filled by the loader; rename or drop them."
            )
        lines: dict[str, int] = {}
        for line, row in rows:
            doc_id = nfc(row["doc_id"])
            if doc_id == "":
                raise CorpusError(f"manifest {manifest_file}, line {line}: empty doc_id; fill it or "
                                  f"delete the row.")
            if doc_id in lines or doc_id in meta:
                raise CorpusError(
                    f"manifest {manifest_file}, line {line}: duplicate doc_id {doc_id!r} "
                    f"(first on line {lines.get(doc_id, '?')}"
                    f"{'' if doc_id in lines else ' of another manifest'}); keep one row per article."
                )
            lines[doc_id] = line
            if doc_id in read.rejected:
                continue
            if doc_id not in read.by_id or (scope is not None and read.by_id[doc_id].parent != scope):
                where = scope if scope is not None else folder
                name = f"{_rel(where, folder) + '/' if where != folder else ''}{doc_id}.txt"
                reject(name,
                       f"manifest {manifest_file}, line {line}: doc_id {doc_id!r} has no file "
                       f"{doc_id + '.txt'!r} in {str(where)!r}; add the file or delete the row.")
                continue
            problem = _row_problem(row, read.by_id[doc_id], read.raws[doc_id], manifest_file=manifest_file,
                                   line=line, in_stories=in_stories)
            if problem:
                reject(_rel(read.by_id[doc_id], folder), problem)
                read.rejected.add(doc_id)
                del read.by_id[doc_id]
                continue
            meta[doc_id] = row
    return extra, meta


def _drop_unlisted(folder: Path, manifests: list[tuple[Path, Path | None]], read: _Read,
                   meta: dict[str, dict[str, str]], *, errors: str, reject: _Reject) -> None:
    """_Reject (or, with ``errors="raise"``, raise on) the articles their manifest has no row for."""
    for manifest_file, scope in manifests:
        missing = [d for d in read.by_id
                   if d not in meta and (scope is None or read.by_id[d].parent == scope)]
        if missing and errors == "raise":
            names = ", ".join(_rel(read.by_id[d], folder) for d in missing)
            raise CorpusError(
                f"article(s) {names} in {str(folder)!r} have no row in manifest "
                f"{manifest_file}; add a row with doc_id {missing[0]!r} (and its outlet), "
                f"or move the file out of the folder."
            )
        for d in missing:
            reject(_rel(read.by_id[d], folder),
                   f"article {_rel(read.by_id[d], folder)} in {str(folder)!r} has no row in manifest "
                   f"{manifest_file}; add a row with doc_id {d!r} (and its outlet), or move "
                   f"the file out of the folder.")
            del read.by_id[d]


def read_folder(folder: Path, *, manifest: str | Path | None, errors: str,
                max_chars: int) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """The articles, the rejects and the manifest read (or ``None``) of a corpus folder, for
    :func:`~framelens.corpus.load_corpus`, which documents the arguments and the result."""
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

    rejects: list[tuple[str, str]] = []

    def reject(name: str, message: str) -> None:
        if errors == "raise":
            raise CorpusError(message)
        rejects.append((name, message))

    read = _read_files(folder, files, hidden, max_chars=max_chars, reject=reject)
    manifests = _manifests(folder, _top_manifest(folder, manifest), manifest,
                           [f.parent for f in files] if in_stories else [])
    extra, meta = _manifest_rows(folder, manifests, read, in_stories=in_stories, reject=reject)
    _drop_unlisted(folder, manifests, read, meta, errors=errors, reject=reject)
    manifest_file = manifests[0][0] if manifests else None

    if not read.by_id:
        listing = "; ".join(f"{name}: {why}" for name, why in rejects)
        raise CorpusError(f"no readable article left in {str(folder)!r}: {len(rejects)} rejected ({listing})")

    if in_stories or ("event" in extra and "story" not in extra):
        extra = ["story", *(c for c in extra if c != "story")]
    records = []
    for doc_id in sorted(read.by_id):
        row = dict(meta.get(doc_id, {}))
        if "story" in extra:
            row["story"] = nfc(read.by_id[doc_id].parent.name) if in_stories else story_of(row)[0] or ""
        records.append(record(doc_id, row, _rel(read.by_id[doc_id], folder), read.texts[doc_id], extra))
    df = pd.DataFrame.from_records(records, columns=[*CORE_COLUMNS, *extra])
    return df, rejects_frame(sorted(rejects)), None if manifest_file is None else str(manifest_file)
