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

This module holds the :class:`Corpus`, :func:`load_corpus`, :func:`prepare` and the notes on
a loaded corpus (:func:`source_note`, :func:`duplicate_texts`, :func:`rejects_table`), and is
the entry point the pipeline, the command line, the notebooks and the other modules import
from; the readers live in :mod:`framelens.io` (:mod:`~framelens.io.folder`,
:mod:`~framelens.io.tables`, :mod:`~framelens.io.rows`, :mod:`~framelens.io.errors`) and the
cleaning in :mod:`framelens.prep` (:mod:`~framelens.prep.rules`, :mod:`~framelens.prep.clean`,
:mod:`~framelens.prep.usable`, :mod:`~framelens.prep.audit`); every other name below is
imported from there.

Nothing runs or prints at import.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import pandas as pd
import scipy.sparse as sp

from framelens.io.errors import CorpusError
from framelens.io.folder import corpus_folder, read_folder
from framelens.io.rows import CORE_COLUMNS, MAX_ARTICLE_CHARS, STORY_COLUMNS, UNKNOWN, nfc, rejects_frame
from framelens.io.tables import TABLE_SUFFIXES, parse_columns, read_table_file, table_format
from framelens.prep.audit import audit_summary, describe_corpus, plot_removed
from framelens.prep.clean import clean
from framelens.prep.rules import (FURNITURE_LABELS, RULES, Rule, furniture_phrase, rules_table,
                                  select_rules)
from framelens.prep.usable import INTERFACE_TEXT, junk_reason, too_short

__all__ = [
    "CorpusError",
    "Rule",
    "RULES",
    "FURNITURE_LABELS",
    "furniture_phrase",
    "CORE_COLUMNS",
    "UNKNOWN",
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

#: Default of ``prepare(min_words=)``: an article needs at least one word after cleaning.
MIN_WORDS = 1


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
        articles, rejects = read_table_file(folder, errors=errors, columns=columns or {},
                                            max_chars=max_chars)
        return Corpus(articles=articles, rejects=rejects, source=folder)
    if columns is not None:
        raise ValueError(f"columns={columns!r} applies to a single CSV/JSONL file, not to the "
                         f"folder {str(folder)!r}; describe a folder's articles in its manifest.csv.")
    articles, rejects, manifest_read = read_folder(folder, manifest=manifest, errors=errors,
                                                   max_chars=max_chars)
    return Corpus(articles=articles, rejects=rejects, source=folder, manifest=manifest_read)


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
        key = hashlib.sha256(" ".join(nfc(text).split()).encode("utf-8", "surrogatepass")).hexdigest()
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

    chosen = select_rules(rules)
    cleaned, audit = clean(corpus.articles, rules=chosen)
    terms, counts = word_matrix(cleaned["text"].tolist())
    n_words = counts.sum(axis=1).A1 if counts.shape[0] else []
    rejects = list(corpus.rejects.itertuples(index=False, name=None))
    keep = []
    for i, (path, n, text) in enumerate(zip(cleaned["path"], n_words, cleaned["text"])):
        short = too_short(int(n), min_words, text)
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
    return Corpus(articles=cleaned, rejects=rejects_frame(rejects), source=corpus.source,
                  manifest=corpus.manifest, audit=audit, rules=chosen, min_words=min_words,
                  terms=terms, counts=sp.csr_matrix(counts))


