"""The per-article stages over chunks: on one core, on all cores, or on a Dask cluster.

Cleaning, lexicon and actor matching and term counting look at one article at a time,
so a large corpus can be cut into chunks, each chunk analysed by the *same* public
functions as a small corpus (:func:`framelens.corpus.clean`,
:func:`framelens.actors.find_mentions`, :func:`framelens.lexicon.lexicon_hits` and
:func:`~framelens.lexicon.register_rates`, :func:`framelens.keyness.term_counts`,
scikit-learn's :class:`~sklearn.feature_extraction.text.CountVectorizer` and
:class:`~sklearn.feature_extraction.text.HashingVectorizer`), and the chunk results
combined by exact reductions (concatenation, sums). :func:`analyse` does this with

``engine="serial"``
    one chunk after another in this process;
``engine="processes"``
    a pool of ``n_jobs`` worker processes on this machine (the corpus may be the path
    of a JSON-lines file, or :func:`iter_jsonl` of one: it is then read chunk by chunk
    while the workers analyse, and with ``keep_text=False`` no text outlives its
    chunk, which is how 37,554 articles stay under 1.3 GB). This process then only
    decompresses the file and cuts it into chunks of lines; the workers parse them
    (:class:`JsonlChunks`), and each chunk's tables are combined here as they come back;
``engine="dask"``
    a Dask collection: a pandas corpus becomes a ``dask.bag`` of chunks (or the corpus is
    already a bag of article records read on the workers, :func:`bag_from_jsonl`; a
    ``dask.dataframe`` would need pyarrow, which the pinned environment lacks), each
    partition is analysed
    by :func:`analyse_chunk` on the workers of the current ``dask.distributed.Client``
    (or the one passed as ``client``), and the partition results are combined here.

The combined tables equal what the single-machine functions return on the whole corpus
(tests check this on a local Dask cluster). Two term-count paths are offered:

``vocab``
    exact TF-IDF, identical to ``TfidfVectorizer`` on the whole corpus: each chunk
    counts its own vocabulary, the vocabularies are merged (sorted, as scikit-learn
    sorts them), rare terms removed by ``min_df``, then
    :class:`~sklearn.feature_extraction.text.TfidfTransformer` weights the counts;
``hashed``
    ``HashingVectorizer`` counts (no vocabulary to merge, so nothing but a vector of
    document frequencies travels between workers): the document frequency
    ``df(t)`` is summed over the chunks (a reduction), and
    :func:`hashed_tfidf` weights every chunk with the resulting idf.
"""
from __future__ import annotations

import ctypes
import itertools
import json
import lzma
import multiprocessing
import re
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import (
    CountVectorizer,
    HashingVectorizer,
    TfidfTransformer,
    TfidfVectorizer,
)

from framelens.actors import find_mentions, load_actors
from framelens.corpus import CorpusError, clean
from framelens.features import TOKEN_PATTERN, TfidfResult
from framelens.keyness import counts_by_label
from framelens.lexicon import (
    REGISTERS,
    count_hits,
    lexicon_hits,
    load_lexicon,
    poisson_interval,
    register_rates,
)
from framelens.pipeline import Settings
from framelens.progress import progress
from framelens.text import LOWER_EXCEPTIONS, sorted_columns, word_matrix

__all__ = ["JSONL_COLUMNS", "ENGINES", "STEPS", "load_jsonl", "iter_jsonl", "JsonlChunks", "chunks",
           "analyse_chunk", "release_free_memory", "analyse", "bag_from_jsonl", "Analysis",
           "HashedCounts", "merge_vocab_counts", "hashed_tfidf"]

#: Field of a JSON-lines article (Article-Bias-Prediction layout) -> corpus column.
JSONL_COLUMNS: dict[str, str] = {"id": "doc_id", "source": "outlet", "date": "date",
                                 "lean": "lean", "topic": "topic", "title": "title",
                                 "text": "text_raw"}
#: Ways of running the per-article stages.
ENGINES: tuple[str, ...] = ("serial", "processes", "dask")
#: Per-article stages :func:`analyse_chunk` can run.
STEPS: tuple[str, ...] = ("clean", "actors", "lexicon", "term_counts", "vocab", "hashed")

_REQUIRED_JSON = ("id", "source", "text")


# --------------------------------------------------------------------------- loading
#: Decompressed bytes read from a JSON-lines file at a time.
_BLOCK = 1 << 20

try:  # a faster parser of the same JSON (see _parse_lines), when installed
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - optional
    _orjson_loads = None


def load_jsonl(path: str | Path, *, n: int | None = None,
               columns: dict[str, str] | None = None,
               show_progress: bool | None = None) -> pd.DataFrame:
    """Read articles from a JSON-lines file (optionally ``.xz``) into a corpus DataFrame.

    Parameters
    ----------
    path : str or Path
        One JSON object a line (UTF-8; lines end in ``\\n``, ``\\r\\n`` or ``\\r``);
        ``.xz`` files are decompressed on the fly. Blank lines are skipped.
    n : int, optional
        Read only the first ``n`` articles (the file's order).
    columns : dict, optional
        JSON field -> corpus column; default :data:`JSONL_COLUMNS` (``id`` -> ``doc_id``,
        ``source`` -> ``outlet``, ``text`` -> ``text_raw``, plus ``date``, ``lean``,
        ``topic``, ``title``). Fields ``id``, ``source`` and ``text`` are required on
        every line; the others default to ``"unknown"`` when absent or empty.
    show_progress : bool or None
        Progress bar over the chunks of lines read (None: only when standard error is a
        terminal).

    Returns
    -------
    pandas.DataFrame
        One row per article in file order, RangeIndex, string columns named by
        ``columns`` (``doc_id, outlet, date, lean, topic, title, text_raw`` by default).

    Raises
    ------
    CorpusError
        Missing file; a line that is not UTF-8 or not a JSON object; a required field
        missing or not text; a repeated id. The message names the file and line (the
        first such line of the file).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = f.write_text('{"id": "x1", "source": "Daily A", "date": "2018-04-17", '
    ...                  '"text": "Kyiv asked NATO."}\\n', encoding="utf-8")
    >>> load_jsonl(f)[["doc_id", "outlet", "date", "lean", "text_raw"]]
      doc_id   outlet        date     lean          text_raw
    0     x1  Daily A  2018-04-17  unknown  Kyiv asked NATO.
    """
    reader = iter_jsonl(path, chunk_size=10_000, n=n, columns=columns,
                        show_progress=show_progress)
    parts = [_parse_checked(lines, reader) for lines in reader._lines()]
    return _frame({col: [v for part in parts for v in part[col]] for col in reader.mapping.values()})


class JsonlChunks(Iterator[pd.DataFrame]):
    """The articles of a JSON-lines file, chunk by chunk: what :func:`iter_jsonl` returns.

    An iterator of :func:`load_jsonl` frames. Given to :func:`analyse` with
    ``engine="processes"`` before it is iterated, the file is read otherwise: this
    process decompresses it and cuts it into chunks of lines (bytes), and the worker
    processes decode, parse and check the lines of each chunk before analysing it, so
    that the load runs on every core. The rows, checks and errors are the same either
    way (ids are checked for repeats here, in file order).

    Attributes
    ----------
    path : Path
        The file.
    chunk_size : int
        Articles per chunk.
    n : int or None
        Only the first ``n`` articles.
    mapping : dict
        JSON field -> corpus column.
    """

    def __init__(self, path: Path, *, chunk_size: int, n: int | None,
                 mapping: dict[str, str], show_progress: bool | None) -> None:
        self.path = path
        self.chunk_size = chunk_size
        self.n = n
        self.mapping = mapping
        self._show = show_progress
        self._seen: dict[str, int] = {}
        self._pending: Iterator[_Lines] | None = None

    @property
    def started(self) -> bool:
        """Whether a chunk was asked for (after which only its iteration goes on)."""
        return self._pending is not None

    def _lines(self) -> Iterator[_Lines]:
        """The file's article lines, ``chunk_size`` at a time, not yet parsed (the file
        is read as they are asked for)."""
        if self.started:
            raise RuntimeError(f"{self.path}: this reader is already being iterated")
        self._pending = iter(())
        total = None if self.n is None else -(-self.n // self.chunk_size)
        return progress(_line_chunks(self.path, n=self.n, chunk_size=self.chunk_size),
                        desc="load", total=total, unit="chunk", enabled=self._show)

    def _check_ids(self, ids: Sequence[str], numbers: np.ndarray) -> None:
        """Raise :class:`CorpusError` at the first of ``ids`` (read at lines ``numbers``,
        after every earlier chunk's) that repeats an id of an earlier line."""
        seen = self._seen
        for doc_id, number in zip(ids, numbers.tolist()):
            first = seen.setdefault(doc_id, number)
            if first != number:
                raise CorpusError(f"{self.path}, line {number}: id {doc_id!r} repeats line "
                                  f"{first}; ids must be unique")

    def __iter__(self) -> JsonlChunks:
        return self

    def __next__(self) -> pd.DataFrame:
        if self._pending is None:
            self._pending = self._lines()
        return _frame(_parse_checked(next(self._pending), self))


def iter_jsonl(path: str | Path, *, chunk_size: int = 1000, n: int | None = None,
               columns: dict[str, str] | None = None,
               show_progress: bool | None = None) -> JsonlChunks:
    """The articles of a JSON-lines file, ``chunk_size`` at a time, as :func:`load_jsonl`
    frames.

    The same rows, columns, checks and errors as :func:`load_jsonl` (ids must be unique
    over the whole file), read as they are needed: only one chunk's texts are in memory
    at a time. :func:`analyse` reads a path given as its corpus this way, and with
    ``engine="processes"`` parses the lines in its worker processes
    (:class:`JsonlChunks`). The file and the arguments are checked here, before the
    first chunk is asked for.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = f.write_text("".join(f'{{"id": "x{i}", "source": "A", "text": "Kyiv."}}\\n'
    ...                          for i in range(5)), encoding="utf-8")
    >>> [c["doc_id"].tolist() for c in iter_jsonl(f, chunk_size=2)]
    [['x0', 'x1'], ['x2', 'x3'], ['x4']]
    >>> pd.concat(iter_jsonl(f, chunk_size=2), ignore_index=True).equals(load_jsonl(f))
    True
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) \
            or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r} must be a positive integer")
    file = Path(path)
    if not file.is_file():
        raise CorpusError(f"{str(file)!r} not found; give the path of a .jsonl or .jsonl.xz file")
    if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1):
        raise ValueError(f"n={n!r} must be None or a positive integer")
    mapping = dict(JSONL_COLUMNS if columns is None else columns)
    missing_keys = [k for k in _REQUIRED_JSON if k not in mapping]
    if missing_keys:
        raise ValueError(f"columns must map the JSON fields {list(_REQUIRED_JSON)}; "
                         f"{missing_keys} missing from {mapping}")
    return JsonlChunks(file, chunk_size=int(chunk_size), n=None if n is None else int(n),
                       mapping=mapping, show_progress=show_progress)


def _frame(data: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame({col: pd.array(vals, dtype="str") for col, vals in data.items()})


@dataclass(frozen=True)
class _Lines:
    """Consecutive article lines of a JSON-lines file, not yet decoded: ``data`` is the
    non-blank lines without their line ends, joined by ``\\n``; ``numbers`` their 1-based
    line numbers; ``open_end`` whether the last of them ends the file without a line end."""

    path: str
    data: bytes
    numbers: np.ndarray
    open_end: bool


def _blocks(fh: Any) -> Iterator[bytes]:
    """The bytes of a binary file in blocks that end with a line feed (the last one
    where the file ends), so that no line, nor a ``\\r\\n``, is cut."""
    pending: list[bytes] = []
    while block := fh.read(_BLOCK):
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            pending.append(block)
            continue
        pending.append(block[:cut])
        yield b"".join(pending)
        pending = [block[cut:]]
    if any(pending):
        yield b"".join(pending)


def _is_blank(line: bytes) -> bool:
    """Whether a line is blank as text (``str.strip`` leaves nothing); a line that is not
    UTF-8 is not blank (its decoding fails where it is parsed)."""
    try:
        return not line.decode("utf-8").strip()
    except UnicodeDecodeError:
        return False


def _line_chunks(file: Path, *, n: int | None, chunk_size: int) -> Iterator[_Lines]:
    """The non-blank lines of ``file``, ``chunk_size`` at a time (the first ``n``).

    Lines end as in Python's text files with universal newlines (``\\n``, ``\\r\\n``,
    ``\\r``: ``bytes.splitlines``); they are numbered as ``enumerate`` over such a file
    numbers them, blank lines included."""
    kept: list[bytes] = []
    numbers: list[int] = []
    total = 0
    number = 0
    open_end = False  # the file's last line has no line end
    with (lzma.open(file, "rb") if file.suffix == ".xz" else file.open("rb")) as fh:
        for block in _blocks(fh):
            split = block.splitlines()
            # only the file's last block can end without a line end
            open_end = not block.endswith((b"\n", b"\r"))
            for i, line in enumerate(split):
                number += 1
                if line[:1] != b"{" and _is_blank(line):
                    continue
                kept.append(line)
                numbers.append(number)
                if len(kept) == chunk_size or total + len(kept) == n:
                    total += len(kept)
                    yield _Lines(str(file), b"\n".join(kept), np.array(numbers, dtype=np.int64),
                                 open_end=open_end and i == len(split) - 1)
                    kept, numbers = [], []
                    if total == n:
                        return
    if kept:
        yield _Lines(str(file), b"\n".join(kept), np.array(numbers, dtype=np.int64),
                     open_end=open_end)


def _parse_lines(lines: _Lines, mapping: dict[str, str], *, fast: bool = True
                 ) -> tuple[dict[str, list[str]], list[str], CorpusError | None]:
    """The articles of ``lines`` as corpus column lists (JSON field -> column by
    ``mapping``), their ids, and the error of the first line that is not UTF-8, not a
    JSON object or lacks a text field (None when every line is an article); the lists
    hold the articles before it. Ids are checked for repeats by
    :meth:`JsonlChunks._check_ids`.

    With ``fast`` and orjson installed, each line is parsed by ``orjson.loads`` (2-3
    times the speed of :mod:`json` with the decoding on these articles), and the
    :mod:`json` module decides every line where the two could differ: a line orjson
    rejects (json accepts more: ``NaN``, lone surrogates, integers past 64 bits) and
    a line whose fields are not all text (or null, for the optional ones), since
    orjson turns an integer past 64 bits into a float. Text is decoded alike by both."""
    data, path, numbers = lines.data, lines.path, lines.numbers
    fields = {col: key for key, col in mapping.items()}  # the last field named wins
    out: dict[str, list[str]] = {col: [] for col in fields}
    required = [(key, out[col]) for col, key in fields.items() if key in _REQUIRED_JSON]
    optional = [(key, out[col]) for col, key in fields.items() if key not in _REQUIRED_JSON]
    ids: list[str] = []
    loads = _orjson_loads if fast else None
    if loads is not None:
        raw = data.split(b"\n") if len(numbers) else []
        good, text, error = len(raw), raw, None
    else:
        good, text, error = _decoded(lines)
    for i in range(good):
        obj: Any = None
        if loads is not None:
            try:
                obj = loads(raw[i])
            except ValueError:  # orjson.JSONDecodeError
                pass
            if not (isinstance(obj, dict)
                    and all(type(obj.get(key)) is str for key in _REQUIRED_JSON)
                    and all(type(obj.get(key)) in (str, type(None)) for key, _ in optional)):
                obj = None  # the json module decides this line (and words its error)
        if obj is None:
            line = text[i]
            if loads is not None:
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError as err:
                    return out, ids, _not_utf8(lines, i, line, err.start)
            obj = _json_object(line, lines, i)
            if isinstance(obj, CorpusError):
                return out, ids, obj
        if not isinstance(obj, dict):
            return out, ids, CorpusError(f"{path}, line {numbers[i]}: expected a JSON object, got "
                                         f"{type(obj).__name__}")
        for key in _REQUIRED_JSON:
            if not isinstance(obj.get(key), str):
                return out, ids, CorpusError(
                    f"{path}, line {numbers[i]}: field {key!r} is missing or not text "
                    f"({obj.get(key)!r:.40}); every article needs {list(_REQUIRED_JSON)}")
        ids.append(obj["id"])
        for key, values in required:
            values.append(obj[key])
        for key, values in optional:
            value = obj.get(key)
            values.append(str(value) if value not in (None, "") else "unknown")
    return out, ids, error


def _decoded(lines: _Lines) -> tuple[int, list[str], CorpusError | None]:
    """The lines decoded up to the first one that is not UTF-8: how many, their texts,
    and the error naming that one (None when all are UTF-8)."""
    data = lines.data
    try:
        return len(lines.numbers), data.decode("utf-8").split("\n"), None
    except UnicodeDecodeError as err:
        good = data.count(b"\n", 0, err.start)  # the lines before the one not in UTF-8
        start = data.rfind(b"\n", 0, err.start) + 1
        text = data[:max(start - 1, 0)].decode("utf-8").split("\n") if good else []
        end = data.find(b"\n", err.start)
        line = data[start:] if end < 0 else data[start:end]
        return good, text, _not_utf8(lines, good, line, err.start - start)


def _not_utf8(lines: _Lines, i: int, line: bytes, at: int) -> CorpusError:
    return CorpusError(f"{lines.path}, line {lines.numbers[i]}: not UTF-8 text (byte "
                       f"{line[at]:#04x} at byte {at + 1} of the line); save the file as UTF-8")


def _json_object(line: str, lines: _Lines, i: int) -> Any:
    """``json.loads(line)``, or the error naming line ``i`` of ``lines`` when it is not
    JSON, with the message of the line as a text file gives it: with its line end."""
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        end = "" if lines.open_end and i == len(lines.numbers) - 1 else "\n"
        try:
            json.loads(line + end)
            msg = "line ends"  # pragma: no cover - a line end cannot mend JSON
        except json.JSONDecodeError as err:
            msg = err.msg
        return CorpusError(f"{lines.path}, line {lines.numbers[i]}: not valid JSON ({msg}); "
                           "fix or remove the line")


def _parse_checked(lines: _Lines, reader: JsonlChunks) -> dict[str, list[str]]:
    """:func:`_parse_lines` with the ids checked against the reader's earlier lines;
    raises the first error in line order."""
    data, ids, error = _parse_lines(lines, reader.mapping)
    reader._check_ids(ids, lines.numbers)
    if error is not None:
        raise error
    return data


def _record(obj: dict[str, Any], mapping: dict[str, str]) -> dict[str, str]:
    """A checked JSON article -> {corpus column: value} (optional fields "unknown" when
    absent or empty)."""
    return {col: (obj[key] if key in _REQUIRED_JSON else
                  (str(obj[key]) if obj.get(key) not in (None, "") else "unknown"))
            for key, col in mapping.items()}


def chunks(corpus: pd.DataFrame, *, chunk_size: int = 1000) -> Iterator[pd.DataFrame]:
    """Consecutive row slices of ``corpus`` of at most ``chunk_size`` rows.

    Examples
    --------
    >>> [len(c) for c in chunks(pd.DataFrame({"a": range(5)}), chunk_size=2)]
    [2, 2, 1]
    """
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) \
            or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r} must be a positive integer")
    for start in range(0, len(corpus), int(chunk_size)):
        yield corpus.iloc[start:start + int(chunk_size)]


# --------------------------------------------------------------------------- one chunk
def _count_vectorizer(settings: dict[str, Any]) -> CountVectorizer:
    return CountVectorizer(stop_words=settings["stop_words"], lowercase=settings["lowercase"],
                           token_pattern=settings["token_pattern"],
                           ngram_range=tuple(settings["ngram_range"]), dtype=np.int64)


def _hashing_vectorizer(settings: dict[str, Any]) -> HashingVectorizer:
    return HashingVectorizer(stop_words=settings["stop_words"], lowercase=settings["lowercase"],
                             token_pattern=settings["token_pattern"],
                             ngram_range=tuple(settings["ngram_range"]),
                             n_features=settings["n_features"], alternate_sign=False, norm=None,
                             dtype=np.float64)


def _vocab_from_words(types: np.ndarray, counts: sp.csr_matrix, texts: Sequence[str],
                      settings: dict[str, Any]) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
    """``CountVectorizer(**settings).fit_transform(texts)`` and its sorted terms, from the
    :func:`framelens.text.word_matrix` of the same texts, without tokenising them again.

    Only for the default tokenisation (lowercase, ``TOKEN_PATTERN``, unigrams): its
    tokens are the runs of two or more word characters of the lowercased text, and
    every such run lies whole inside one ``words`` token (whose other characters,
    apostrophes, hyphens and the dots of initialisms, are not word characters), so a
    text's counts are the sum over its word types of the runs of each type. The texts
    that ``words`` tokenises before lowercasing (those holding U+0130 or U+03A3, whose
    lowercase differs in length or by context) are counted by the analyser itself.
    """
    vec = _count_vectorizer(settings)
    stop = frozenset(vec.get_stop_words() or ())
    token = re.compile(settings["token_pattern"])
    special = [i for i, t in enumerate(texts) if any(c in t for c in LOWER_EXCEPTIONS)]
    counts = sp.csr_matrix(counts)
    if special:
        keep = np.ones(len(texts), dtype=np.int64)
        keep[special] = 0
        counts = sp.csr_matrix(sp.diags(keep, dtype=np.int64) @ counts)
        counts.eliminate_zeros()
    present = np.flatnonzero(np.bincount(counts.indices, minlength=len(types)))
    words = np.asarray(types, dtype=object)[present]
    # a type of two or more word characters (str.isalnum is re's \w without "_") is one
    # token of TOKEN_PATTERN, itself; only the others are searched
    simple = (np.fromiter(map(len, words), dtype=np.int64, count=len(words)) > 1) \
        & np.fromiter(map(str.isalnum, words), dtype=bool, count=len(words))
    stopped = np.fromiter(map(stop.__contains__, words), dtype=bool, count=len(words))
    own = simple & ~stopped
    # (type, token) of the other types, (text, token) of the analyser's texts
    pairs = [(j, piece) for j, piece in _tokens_of(words[~simple], present[~simple], token)
             if piece not in stop]
    extra = [(i, tok) for i in special for tok in vec.build_analyzer()(texts[i])]
    return _sorted_vocab(counts, present[own], words[own], pairs, extra, n_types=len(types))


def _tokens_of(words: np.ndarray, ids: np.ndarray, token: re.Pattern[str]
               ) -> list[tuple[int, str]]:
    """(id, token) for each of ``token.findall(word)``, the words searched as one text.

    The words are joined by line feeds and one ``findall`` of ``token | \\n`` finds
    every token and every line feed, in order (a word's tokens are followed by the
    feed that ends it), which is each word's ``findall`` as long as no token of the
    pattern can hold or border on a line feed differently from a text's ends (true of
    ``TOKEN_PATTERN``: ``\\b\\w\\w+\\b``, ``\\n`` being no word character)."""
    text = "\n".join(words.tolist())
    if len(words) == 0 or text.count("\n") != len(words) - 1:  # (no word holds a feed)
        return [(j, piece) for j, w in zip(ids.tolist(), words.tolist())
                for piece in token.findall(w)]
    found = re.findall(f"{token.pattern}|\n", text, token.flags)
    word = ids.tolist()
    out: list[tuple[int, str]] = []
    k = 0
    for piece in found:
        if piece == "\n":
            k += 1
        else:
            out.append((word[k], piece))
    return out


def _sorted_vocab(counts: sp.csr_matrix, own: np.ndarray, own_terms: np.ndarray,
                  pairs: list[tuple[int, str]], extra: list[tuple[int, str]], *,
                  n_types: int) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
    """The sorted terms of :func:`_vocab_from_words`, its texts x terms counts and the
    word type that is each term (-1 for none): the word types ``own`` (sorted) are
    their own terms ``own_terms``, each (type, term) of ``pairs`` adds the type's
    counts to the term, each (text, term) of ``extra`` one.

    The other terms are placed into the sorted ``own_terms`` by binary search, so only
    they are sorted (a few thousand a chunk) and the own types' columns keep their
    order."""
    others = sorted({t for _, t in pairs}.union(t for _, t in extra).difference(own_terms))
    at = np.searchsorted(own_terms, np.array(others, dtype=object)) if others else \
        np.zeros(0, dtype=np.int64)
    terms = np.insert(own_terms, at, np.array(others, dtype=object)) if others else own_terms
    # own term k moves right by the others placed before it; other term m sits at at[m] + m
    column = np.full(n_types, -1, dtype=np.int64)
    column[own] = np.arange(len(own)) + np.searchsorted(at, np.arange(len(own)), side="right")
    cols = column[counts.indices]
    kept = cols >= 0
    out = sp.csr_matrix((counts.data[kept], cols[kept],
                         np.concatenate(([0], np.cumsum(kept)))[counts.indptr]),
                        shape=(counts.shape[0], len(terms)), dtype=np.int64)
    if pairs:
        rows, pieces = zip(*pairs)
        split = sp.csr_matrix((np.ones(len(pairs), dtype=np.int64),
                               (rows, _positions(terms, pieces))), shape=(n_types, len(terms)))
        out = sp.csr_matrix(out + counts @ split, dtype=np.int64)
    if extra:
        rows, tokens = zip(*extra)
        out = sp.csr_matrix(out + sp.csr_matrix(
            (np.ones(len(extra), dtype=np.int64), (rows, _positions(terms, tokens))),
            shape=out.shape), dtype=np.int64)
    out.sum_duplicates()
    out.eliminate_zeros()
    source = np.full(len(terms), -1, dtype=np.int64)
    source[column[own]] = own
    return terms, out, source


def _positions(terms: np.ndarray, found: Sequence[str]) -> np.ndarray:
    """Where each of ``found`` is in the sorted ``terms`` (all of them are there)."""
    return np.searchsorted(terms, np.array(found, dtype=object))


def _shares_words(settings: dict[str, Any]) -> bool:
    """Whether ``vocab`` can be counted from :func:`framelens.text.word_matrix`."""
    return (settings["token_pattern"] == TOKEN_PATTERN and bool(settings["lowercase"])
            and tuple(settings["ngram_range"]) == (1, 1))


#: Default term-count settings (those of the benchmark's reference ``TfidfVectorizer``).
_TERM_SETTINGS: dict[str, Any] = {"stop_words": "english", "lowercase": True,
                                  "token_pattern": TOKEN_PATTERN, "ngram_range": (1, 1),
                                  "min_df": 2, "sublinear_tf": True, "smooth_idf": True,
                                  "norm": "l2", "n_features": 2 ** 20}


def analyse_chunk(chunk: pd.DataFrame, *, steps: Sequence[str] = STEPS,
                  lexicon: pd.DataFrame | None = None, actors: pd.DataFrame | None = None,
                  text_col: str = "text_raw", label_col: str = "outlet",
                  group_col: str | None = "lean",
                  term_settings: dict[str, Any] | None = None,
                  keep_hits: bool = True, settings: Settings | None = None) -> dict[str, Any]:
    """Run the per-article stages on one chunk of articles with the public functions.

    The stages read the same :class:`framelens.pipeline.Settings` as the findings page
    (cleaning rules, stop words of ``term_counts``, ``rate_per`` of the rates), so a
    corpus analysed chunk by chunk gives the page's numbers.

    Parameters
    ----------
    chunk : pandas.DataFrame
        Articles with ``doc_id``, ``label_col`` and ``text_col`` (raw text).
    steps : sequence of str
        Any of :data:`STEPS`: ``clean`` (:func:`~framelens.corpus.clean`, always run
        when a later step needs the cleaned text), ``actors``
        (:func:`~framelens.actors.find_mentions`), ``lexicon``
        (:func:`~framelens.lexicon.lexicon_hits` and
        :func:`~framelens.lexicon.register_rates`), ``term_counts``
        (:func:`~framelens.keyness.term_counts` by ``group_col``), ``vocab``
        (``CountVectorizer`` counts with this chunk's vocabulary), ``hashed``
        (``HashingVectorizer`` counts and their document frequencies).
        ``term_counts``, the rates and ``vocab`` (with the default tokenisation) share
        one tokenisation of the chunk, :func:`~framelens.text.word_matrix`, timed as
        the step ``words``; ``vocab`` with other settings uses ``CountVectorizer``.
    lexicon, actors : DataFrame, optional
        Validated lexicon (default: the shipped one) and alias table (required for
        ``actors``).
    text_col, label_col : str
        Raw text and outlet columns.
    group_col : str or None, default "lean"
        Column whose values label the ``term_counts`` columns (e.g. left/center/right).
    term_settings : dict, optional
        Tokenisation for ``vocab`` and ``hashed`` (keys ``stop_words``, ``lowercase``,
        ``token_pattern``, ``ngram_range``, ``n_features``).
    keep_hits : bool, default True
        Return the lexicon hits table (``False``: only the rates, from
        :func:`~framelens.lexicon.count_hits`, which counts the same hits without
        building their keyword-in-context table).
    settings : framelens.pipeline.Settings, optional
        Default ``Settings()``: ``rules`` for cleaning, ``rate_per`` for the rates.
        (``term_counts`` counts every word, as :func:`~framelens.keyness.term_counts`
        with no stop words, so the counts can be summed over chunks and filtered after.)

    Returns
    -------
    dict
        Keys by step: ``text`` (cleaned texts, Series), ``audit``; ``mentions``;
        ``hits``, ``rates``; ``term_counts``; ``vocab_terms`` (array), ``vocab_counts``
        (csr), and with ``term_counts`` and the shared tokenisation ``vocab_types``
        (each term's row in ``term_counts``, the word type that is the term, or -1); ``hashed_counts`` (csr), ``hashed_df`` (int64 vector); always ``n_docs``
        and ``seconds`` (CPU seconds of this process per step, ``words`` included).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "lean": ["left"],
    ...                    "text_raw": ["The dictator may go. Share"]})
    >>> r = analyse_chunk(df, steps=["clean", "lexicon"])
    >>> r["text"].tolist(), r["hits"]["register"].tolist()
    (['The dictator may go.'], ['delegitimising'])
    """
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise ValueError(f"unknown step(s) {unknown}; allowed: {list(STEPS)}")
    run_settings = Settings() if settings is None else settings
    settings = {**_TERM_SETTINGS, **(term_settings or {})}
    out: dict[str, Any] = {"n_docs": len(chunk)}
    seconds: dict[str, float] = {}
    out["seconds"] = seconds
    tick = time.process_time()

    def lap(step: str) -> None:
        nonlocal tick
        now = time.process_time()
        seconds[step] = seconds.get(step, 0.0) + now - tick
        tick = now

    cleaned, audit = clean(chunk, text_col=text_col, rules=run_settings.rules)
    lap("clean")
    if "clean" in steps:
        out["text"] = cleaned["text"]
        out["audit"] = audit
    mentions = None
    if "actors" in steps:
        if actors is None:
            raise ValueError("step 'actors' needs an alias table: pass actors= "
                             "(framelens.actors.load_actors)")
        mentions = find_mentions(cleaned, actors, label_col=label_col)
        out["mentions"] = mentions
        lap("actors")
    texts = cleaned["text"].tolist()
    shared = "vocab" in steps and _shares_words(settings)
    word_counts = None
    if "term_counts" in steps or shared:
        # One tokenisation for the keyness counts, the vocabulary and the rates' word counts.
        types, word_counts = word_matrix(texts)
        lap("words")
    if "lexicon" in steps:
        lex = load_lexicon() if lexicon is None else lexicon
        if keep_hits:
            hits = lexicon_hits(cleaned, lexicon=lex, mentions=mentions, label_col=label_col)
            out["hits"] = hits
        else:  # the rates need only the counts: no keyword-in-context table is built
            hits = count_hits(cleaned, lexicon=lex, label_col=label_col)
        out["rates"] = register_rates(
            hits, cleaned, label_col=label_col, per=run_settings.rate_per,
            doc_words=None if word_counts is None else np.asarray(word_counts.sum(axis=1)).ravel())
        del hits
        lap("lexicon")
    if "term_counts" in steps:
        if group_col is None or group_col not in cleaned.columns:
            raise ValueError(f"step 'term_counts' needs group_col={group_col!r} as a column; "
                             f"available: {sorted(map(str, cleaned.columns))}")
        # = keyness.term_counts(cleaned, label_col=group_col), on the shared word counts
        out["term_counts"] = counts_by_label(types, word_counts,
                                             cleaned[group_col].astype(str).tolist(),
                                             label_col=group_col)
        lap("term_counts")
    if "vocab" in steps:
        if shared:
            terms, counts, source = _vocab_from_words(types, word_counts, texts, settings)
            if "term_counts" in steps:  # its rows are the word types
                out["vocab_types"] = source
        else:
            vec = _count_vectorizer(settings)
            try:
                counts = vec.fit_transform(texts)
                terms = vec.get_feature_names_out()
            except ValueError:  # a chunk of empty texts has no vocabulary of its own
                counts = sp.csr_matrix((len(texts), 0), dtype=np.int64)
                terms = np.array([], dtype=object)
        out["vocab_counts"] = sp.csr_matrix(counts)
        out["vocab_terms"] = np.asarray(terms, dtype=object)
        lap("vocab")
    if "hashed" in steps:
        counts = sp.csr_matrix(_hashing_vectorizer(settings).transform(texts))
        out["hashed_counts"] = counts
        out["hashed_df"] = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)
        lap("hashed")
    return out


# --------------------------------------------------------------------------- reductions
def merge_vocab_counts(parts: Sequence[tuple[np.ndarray, sp.csr_matrix]], *,
                       labels: pd.Index | None = None, **tfidf_settings: Any) -> TfidfResult:
    """Merge per-chunk vocabularies and counts into the whole corpus's TF-IDF.

    The result equals ``TfidfVectorizer(**settings).fit_transform`` on all texts: the
    union of the chunk vocabularies is sorted (scikit-learn's column order), each
    chunk's columns are mapped into it, terms in fewer than ``min_df`` documents are
    dropped, and :class:`~sklearn.feature_extraction.text.TfidfTransformer` weights
    the counts (``sublinear_tf``, ``smooth_idf``, ``norm``).

    Parameters
    ----------
    parts : sequence of (terms, counts)
        Per chunk, in corpus order: sorted term array and its count matrix.
    labels : pandas.Index, optional
        Row labels of the result (default ``"doc 0"``, ``"doc 1"``, ...).
    **tfidf_settings
        ``min_df`` (int, default 2), ``sublinear_tf`` (default True), ``smooth_idf``
        (default True), ``norm`` (default "l2"), and the tokenisation used for the
        counts (``stop_words``, ``lowercase``, ``token_pattern``, ``ngram_range``),
        stored on the returned vectorizer.

    Returns
    -------
    TfidfResult

    Examples
    --------
    >>> a = CountVectorizer().fit(["nato kyiv"]); b = CountVectorizer().fit(["kyiv rain"])
    >>> r = merge_vocab_counts([(a.get_feature_names_out(), a.transform(["nato kyiv"])),
    ...                         (b.get_feature_names_out(), b.transform(["kyiv rain"]))],
    ...                        min_df=1, stop_words=None)
    >>> list(r.terms), r.matrix.shape
    (['kyiv', 'nato', 'rain'], (2, 3))
    """
    settings = {**_TERM_SETTINGS, **tfidf_settings}
    _check_min_df(settings["min_df"])
    merged = _VocabMerge()
    for terms, counts in parts:
        merged.add(terms, counts)
    return merged.result(labels=labels, settings=settings)


def _check_min_df(min_df: Any) -> None:
    if isinstance(min_df, bool) or not isinstance(min_df, (int, np.integer)) or min_df < 1:
        raise ValueError(f"min_df={min_df!r} must be a positive integer (documents)")


class _VocabMerge:
    """:func:`merge_vocab_counts`, one chunk at a time.

    Each chunk's terms are numbered as they come (a dict lookup each, in C) and their
    document frequencies summed; at the end only the distinct terms are sorted (0.25
    million on 37,554 articles, where the chunks hold 1.7 million), the terms in fewer
    than ``min_df`` documents are dropped from each chunk's counts while its columns are
    renumbered, and the chunks are stacked: the counts matrix of
    ``TfidfVectorizer.fit_transform`` on all texts, built without sorting or slicing
    the whole matrix."""

    def __init__(self, ids: defaultdict[str, int] | None = None) -> None:
        # term -> id; may be shared with other strings (the word types of _TermSums),
        # whose ids no chunk counts: their document frequency 0 drops them
        self.ids = defaultdict(itertools.count().__next__) if ids is None else ids
        # every chunk's counts and term ids, appended to arrays grown in place (realloc)
        self.data = np.zeros(0, dtype=np.float64)
        self.terms = np.zeros(0, dtype=np.int32)
        self.nnz = 0
        self.indptr: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        self.sorted = True  # every chunk's terms in sorted order
        self.df = np.zeros(0, dtype=np.int64)

    def add(self, terms: Sequence[str], counts: sp.spmatrix, *,
            ids: np.ndarray | None = None) -> None:
        """Count one chunk: its terms (sorted) and its documents x terms counts (with
        ``ids``, the terms' ids already looked up, and their order known sorted)."""
        if ids is None:
            ids = np.fromiter(map(self.ids.__getitem__, terms), dtype=np.int64,
                              count=len(terms))
            self.sorted = self.sorted and _is_sorted(terms)
        counts = sp.csr_matrix(counts)
        terms = ids[counts.indices]
        end = self.nnz + counts.nnz
        if len(self.ids) >= 2 ** 31 and self.terms.dtype != np.int64:  # pragma: no cover
            self.terms = self.terms.astype(np.int64)
        if end > len(self.data):  # grown by a quarter: numpy zero-fills what it adds
            size = max(end, len(self.data) + len(self.data) // 4, 1 << 16)
            self.data.resize(size, refcheck=False)  # the arrays have no views
            self.terms.resize(size, refcheck=False)
        self.data[self.nnz:end] = counts.data
        self.terms[self.nnz:end] = terms
        self.indptr.append(np.asarray(counts.indptr[1:], dtype=np.int64) + self.nnz)
        self.nnz = end
        df = np.bincount(terms, minlength=len(self.ids))
        df[:len(self.df)] += self.df
        self.df = df

    def result(self, *, labels: pd.Index | None, settings: dict[str, Any],
               order: np.ndarray | None = None) -> TfidfResult:
        """The TF-IDF of every chunk added, as :func:`merge_vocab_counts` says (``order``:
        the ids in the sorted order of their strings, when known)."""
        min_df = settings["min_df"]
        _check_min_df(min_df)
        if len(self.indptr) == 1:
            raise ValueError("parts is empty: no chunk was counted")
        vocab = np.fromiter(self.ids, dtype=object, count=len(self.ids))
        df = np.zeros(len(vocab), dtype=np.int64)
        df[:len(self.df)] = self.df
        if order is None:
            order = np.argsort(vocab, kind="stable")
        order = order[df[order] >= min_df]  # the kept terms, sorted
        if len(order) == 0:
            raise ValueError(f"no terms remain after min_df={min_df}; lower min_df")
        index_dtype = np.int32 if max(int(df.sum()), len(vocab)) < 2 ** 31 else np.int64
        column = np.full(len(vocab), -1, dtype=index_dtype)  # term id -> column, or dropped
        column[order] = np.arange(len(order), dtype=index_dtype)
        self.data.resize(self.nnz, refcheck=False)  # (in place)
        data, self.data = self.data, np.zeros(0, dtype=np.float64)
        cols = column[self.terms[:self.nnz]]
        indptr = np.concatenate(self.indptr).astype(index_dtype)
        self.terms, self.indptr, self.nnz = np.zeros(0, dtype=np.int32), [indptr[:1]], 0
        dropped = cols < 0  # the entries of terms below min_df (few): zeros, then removed
        data[dropped] = 0
        cols[dropped] = 0
        counts = sp.csr_matrix((data, cols, indptr), shape=(len(indptr) - 1, len(order)))
        counts.eliminate_zeros()  # in place, the other entries in their order
        if not self.sorted:  # (sorted terms keep each row's columns in order)
            counts.sort_indices()
        return _tfidf_of_counts(counts, vocab[order], labels=labels, settings=settings)


def _is_sorted(terms: Sequence[str]) -> bool:
    terms = np.asarray(terms, dtype=object)
    return bool(np.all(terms[:-1] < terms[1:]))


def _tfidf_of_counts(counts: sp.csr_matrix, vocab: np.ndarray, *, labels: pd.Index | None,
                     settings: dict[str, Any]) -> TfidfResult:
    """TF-IDF weights of the documents x ``vocab`` counts (float64, changed in place)."""
    vectorizer = TfidfVectorizer(
        stop_words=settings["stop_words"], lowercase=settings["lowercase"],
        token_pattern=settings["token_pattern"], ngram_range=tuple(settings["ngram_range"]),
        min_df=settings["min_df"], sublinear_tf=settings["sublinear_tf"],
        smooth_idf=settings["smooth_idf"], norm=settings["norm"], dtype=np.float64)
    transformer = TfidfTransformer(sublinear_tf=settings["sublinear_tf"],
                                   smooth_idf=settings["smooth_idf"], norm=settings["norm"])
    matrix = transformer.fit(counts).transform(counts, copy=False)
    del counts
    vectorizer.vocabulary_ = {str(t): i for i, t in enumerate(vocab)}
    vectorizer.idf_ = transformer.idf_
    n = matrix.shape[0]
    if labels is None:
        labels = pd.Index([f"doc {i}" for i in range(n)], name="outlet")
    return TfidfResult(matrix=sp.csr_matrix(matrix), terms=vectorizer.get_feature_names_out(),
                       labels=labels, vectorizer=vectorizer)


@dataclass(frozen=True)
class HashedCounts:
    """Hashed term counts of a corpus and their document frequencies.

    Attributes
    ----------
    counts : scipy.sparse.csr_matrix
        Documents x ``n_features`` hashed term counts (``HashingVectorizer``,
        ``alternate_sign=False``, no normalisation).
    df : numpy.ndarray
        Number of documents containing each hashed feature (summed over chunks).
    """

    counts: sp.csr_matrix
    df: np.ndarray

    @property
    def n_docs(self) -> int:
        """Number of documents."""
        return int(self.counts.shape[0])


def hashed_tfidf(hashed: HashedCounts, *, min_df: int = 2, sublinear_tf: bool = True,
                 smooth_idf: bool = True, norm: str | None = "l2") -> sp.csr_matrix:
    r"""TF-IDF weights of hashed counts, from the summed document frequencies.

    With ``n`` documents, ``idf(t) = ln((1 + n) / (1 + df(t))) + 1`` (``smooth_idf``;
    else ``ln(n / df(t)) + 1``), exactly scikit-learn's; features in fewer than
    ``min_df`` documents get weight 0 (the hashed analogue of dropping the column).
    The weighting is :class:`~sklearn.feature_extraction.text.TfidfTransformer` with
    this idf, so it can run chunk by chunk on the workers once ``df`` is known.

    Examples
    --------
    >>> h = HashedCounts(sp.csr_matrix([[2.0, 0.0], [1.0, 1.0]]), np.array([2, 1]))
    >>> hashed_tfidf(h, min_df=2, sublinear_tf=False).toarray()
    array([[1., 0.],
           [1., 0.]])
    """
    if isinstance(min_df, bool) or not isinstance(min_df, (int, np.integer)) or min_df < 1:
        raise ValueError(f"min_df={min_df!r} must be a positive integer (documents)")
    n = hashed.n_docs
    df = np.asarray(hashed.df, dtype=np.float64)
    if smooth_idf:
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    else:
        idf = np.log(np.divide(n, df, out=np.ones_like(df), where=df > 0)) + 1.0
    idf[df < min_df] = 0.0
    transformer = TfidfTransformer(sublinear_tf=sublinear_tf, smooth_idf=smooth_idf, norm=norm)
    transformer.idf_ = idf
    out = transformer.transform(hashed.counts.astype(np.float64))
    out = sp.csr_matrix(out)
    out.eliminate_zeros()
    return out


# --------------------------------------------------------------------------- engines
@dataclass
class Analysis:
    """Combined results of :func:`analyse` (attributes are None for steps not run).

    Attributes
    ----------
    corpus : DataFrame
        The input corpus with the cleaned ``text`` column added. With
        ``engine="dask"`` the texts stay on the workers (only tables cross the
        network): a pandas corpus is returned as given, without a cleaned ``text``
        column, and a Dask bag's articles come back as their metadata (``doc_id``,
        outlet, date, ...) without ``text_raw`` or ``text``. With ``keep_text=False``
        (any engine) it is the metadata only, without the raw text column; so are the
        rows of a file or iterator read chunk by chunk, with the cleaned ``text``
        added only when ``keep_text=True``.
    audit, mentions, hits, rates, term_counts : DataFrame or None
        As :func:`~framelens.corpus.clean` (audit), :func:`~framelens.actors.find_mentions`,
        :func:`~framelens.lexicon.lexicon_hits`, :func:`~framelens.lexicon.register_rates`
        and :func:`~framelens.keyness.term_counts` return them on the whole corpus.
    tfidf : TfidfResult or None
        Exact TF-IDF (step ``vocab``).
    hashed : HashedCounts or None
        Hashed counts and document frequencies (step ``hashed``).
    cpu_seconds : dict
        CPU seconds per step, summed over chunks (over all workers).
    wall_seconds : dict
        Wall time of running the chunks (``map``, which includes combining each
        chunk's tables as it comes back) and of what is left to combine after the last
        chunk (``combine``: sorting the tables and vocabulary, the TF-IDF weighting).
    """

    corpus: pd.DataFrame
    audit: pd.DataFrame | None = None
    mentions: pd.DataFrame | None = None
    hits: pd.DataFrame | None = None
    rates: pd.DataFrame | None = None
    term_counts: pd.DataFrame | None = None
    tfidf: TfidfResult | None = None
    hashed: HashedCounts | None = None
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    wall_seconds: dict[str, float] = field(default_factory=dict)


def _run(parts: Iterable[Any], fn: Any, *, engine: str, n_jobs: int, show: bool | None
         ) -> Iterator[dict[str, Any]]:
    """``fn`` of each part, in order, as each is done (close the generator to stop).

    With ``engine="processes"`` the function is sent once to each worker process (it
    holds the lexicon and alias tables: 1.2 MB pickled), not with every chunk."""
    total = len(parts) if isinstance(parts, list) else None
    if engine == "serial":
        yield from map(fn, progress(parts, desc="chunks", total=total, unit="chunk",
                                    enabled=show))
        return
    if engine != "processes":  # pragma: no cover
        raise AssertionError(engine)
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_install,
                             initargs=(fn,)) as pool:
        try:
            yield from progress(_bounded_map(pool, _installed, parts, ahead=2 * n_jobs),
                                desc="chunks", total=total, unit="chunk", enabled=show)
        except BaseException:  # a bad line, an error in a chunk, or the caller stopped
            pool.shutdown(wait=True, cancel_futures=True)  # only the running chunks finish
            raise


#: The function a worker process of :func:`_run` applies to each chunk.
_WORKER: dict[str, Any] = {}


def _install(fn: Any) -> None:
    _WORKER["fn"] = fn


def _installed(part: Any) -> Any:
    return _packed(_WORKER["fn"](part))


@dataclass(frozen=True)
class _Words:
    """Strings packed for the way back from a worker: one ``str`` of them joined by line
    feeds, pickled as one object (an array of the 25,000 word types of a chunk is
    25,000 objects to pickle and unpickle)."""

    text: str
    n: int

    @staticmethod
    def pack(words: Sequence[str]) -> _Words | None:
        """``words`` packed, or None when one of them holds a line feed."""
        text = "\n".join(words)
        if text.count("\n") != max(len(words) - 1, 0):
            return None
        return _Words(text, len(words))

    def unpack(self) -> list[str]:
        return self.text.split("\n") if self.n else []


def _packed(result: dict[str, Any]) -> dict[str, Any]:
    """A chunk's result with its word types (the rows of ``term_counts``) and its
    vocabulary terms packed (:class:`_Words`) for the pipe back; the terms that are word
    types (``vocab_types``) are sent as the type's row, the others as strings.
    Pickling those two arrays of strings was half the cost of a chunk's result."""
    counts = result.get("term_counts")
    if isinstance(counts, pd.DataFrame):
        words = _Words.pack(counts.index.tolist())
        if words is None:
            result.pop("vocab_types", None)
        else:
            result["term_counts"] = (words, counts.columns.tolist(),
                                     counts.to_numpy(dtype=np.int64))
    if "vocab_terms" in result:
        terms = result["vocab_terms"]
        if "vocab_types" in result:
            terms = terms[result["vocab_types"] < 0]
        words = _Words.pack(terms.tolist())
        if words is not None:
            result["vocab_terms"] = words
        else:
            result.pop("vocab_types", None)
    return result


def _bounded_map(pool: ProcessPoolExecutor, fn: Any, parts: Iterable[Any], *, ahead: int
                 ) -> Iterator[Any]:
    """``pool.map(fn, parts)`` in order, with at most ``ahead`` chunks sent and not yet
    returned (``Executor.map`` takes every chunk at once: a file read chunk by chunk
    would be read whole before the first result)."""
    pending: deque[Any] = deque()
    for part in parts:
        pending.append(pool.submit(fn, part))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def release_free_memory() -> bool:
    """Hand the free pages inside the C heap back to the operating system.

    Freed Python objects and arrays leave pages that the allocator keeps for later
    (a process's resident memory seldom falls after a large table is deleted); glibc's
    ``malloc_trim(0)`` returns them, as Dask's documentation advises for its workers
    ("Memory not released back to the OS"). :func:`analyse` calls it once the chunk
    results are combined; a script can call it between stages. On 37,554 articles
    it took the process from 1.47 to 1.14 GB after the per-article stage
    (``benchmarks/RESULTS.md``).

    Returns
    -------
    bool
        True when memory was handed back; False when there was none to hand back or
        the C library has no ``malloc_trim`` (it is glibc's: not on macOS or Windows).

    Examples
    --------
    >>> release_free_memory() in (True, False)
    True
    """
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return bool(trim(0))


def _records_to_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(records))
    return frame.astype({c: "str" for c in frame.columns})


def _tables_only(chunk: pd.DataFrame, fn: Any) -> dict[str, Any]:
    """``fn(chunk)`` without the cleaned texts: what a Dask worker sends back."""
    result = fn(chunk)
    result.pop("text", None)
    return result


def _tables_and_rows(chunk: pd.DataFrame, fn: Any, text_col: str, keep_text: bool
                     ) -> dict[str, Any]:
    """``fn(chunk)`` (without the cleaned texts unless ``keep_text``) and the chunk's
    metadata (``frame``): a chunk read from a file, whose rows the caller does not hold."""
    result = fn(chunk) if keep_text else _tables_only(chunk, fn)
    result["frame"] = chunk.drop(columns=[text_col])
    return result


def _analyse_lines(lines: _Lines, fn: Any, mapping: dict[str, str], text_col: str,
                   keep_text: bool) -> dict[str, Any]:
    """:func:`_tables_and_rows` of a chunk of lines, parsed here (in the worker), with
    their ids and line numbers for the reader's check of repeated ids; a chunk with a
    bad line is not analysed, and its error is returned."""
    data, ids, error = _parse_lines(lines, mapping)
    if error is not None:
        return {"ids": ids, "lines": lines.numbers, "error": error}
    result = _tables_and_rows(_frame(data), fn=fn, text_col=text_col, keep_text=keep_text)
    result["ids"] = ids
    result["lines"] = lines.numbers
    return result


def _analyse_records(records: Sequence[dict[str, Any]], fn: Any, text_col: str
                     ) -> list[dict[str, Any]]:
    """One Dask bag partition of article records -> [its tables + its rows' metadata].

    Runs on the worker; the texts (raw ``text_col`` and cleaned) stay there.
    """
    frame = _records_to_frame(records)
    if frame.empty:
        return []
    result = _tables_only(frame, fn)
    result["frame"] = frame.drop(columns=[c for c in (text_col, "text") if c in frame.columns])
    return [result]


def _run_dask(corpus: Any, fn: Any, *, chunk_size: int, client: Any, text_col: str
              ) -> list[dict[str, Any]]:
    """Per-partition tables from the Dask workers; never an article text (raw or cleaned)."""
    import dask.bag as db

    if isinstance(corpus, pd.DataFrame):
        parts = list(chunks(corpus, chunk_size=chunk_size))
        bag = db.from_sequence(parts, npartitions=len(parts)).map(_tables_only, fn)
    else:
        bag = corpus.map_partitions(_analyse_records, fn, text_col)
    if client is not None:
        return list(client.compute(bag, sync=True))
    return list(bag.compute())


def bag_from_jsonl(paths: str | Path | Sequence[str | Path], *,
                   columns: dict[str, str] | None = None, blocksize: int | None = None) -> Any:
    """A Dask bag of article records read on the workers from JSON-lines files.

    Each line becomes a dict with the corpus columns of :func:`load_jsonl` (same
    ``columns`` mapping and defaults); compressed files (``.xz``, ``.gz``) are read whole
    by one worker each, so split a large corpus into several files to spread the
    reading. Pass the bag to :func:`analyse` with ``engine="dask"``.

    Parameters
    ----------
    paths : path, glob or list of them
        Local paths or any URL Dask can read (``s3://``, ``hdfs://``; the workers must
        see them).
    columns : dict, optional
        JSON field -> corpus column (default :data:`JSONL_COLUMNS`).
    blocksize : int, optional
        Bytes per partition for uncompressed files (None: one partition per file).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.jsonl"
    >>> _ = f.write_text('{"id": "x1", "source": "A", "text": "Kyiv."}\\n', encoding="utf-8")
    >>> bag_from_jsonl(f).compute(scheduler="sync")[0]["outlet"]
    'A'
    """
    import dask.bag as db

    mapping = dict(JSONL_COLUMNS if columns is None else columns)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    names = [str(p) for p in paths]
    compression = "xz" if all(n.endswith(".xz") for n in names) else "infer"
    bag = db.read_text(names, blocksize=blocksize, compression=compression, encoding="utf-8",
                       include_path=True)
    return bag.filter(lambda lp: bool(lp[0].strip())).map(_json_record, mapping)


def _json_record(line_path: tuple[str, str], mapping: dict[str, str]) -> dict[str, str]:
    line, path = line_path
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise CorpusError(f"{path}: a line is not valid JSON ({err.msg}): {line[:60]!r}") from None
    if not isinstance(obj, dict) or not all(isinstance(obj.get(k), str) for k in _REQUIRED_JSON):
        raise CorpusError(f"{path}: a line lacks one of the text fields {list(_REQUIRED_JSON)}: "
                          f"{line[:60]!r}")
    return _record(obj, mapping)


def _concat(frames: list[pd.DataFrame], sort: list[str]) -> pd.DataFrame:
    out = pd.concat(frames, ignore_index=True)
    out = out.astype({c: frames[0][c].dtype for c in frames[0].columns})
    return out.sort_values(sort, kind="mergesort").reset_index(drop=True)


def analyse(corpus: pd.DataFrame | str | Path | Iterator[pd.DataFrame] | Any, *, steps: Sequence[str] = STEPS,
            engine: str = "serial", n_jobs: int = 2, chunk_size: int = 1000,
            client: Any = None, lexicon: pd.DataFrame | None = None,
            actors: pd.DataFrame | str | Path | None = None, text_col: str = "text_raw",
            label_col: str = "outlet", group_col: str | None = "lean",
            term_settings: dict[str, Any] | None = None, keep_hits: bool = True,
            keep_text: bool = True, show_progress: bool | None = None) -> Analysis:
    """Run :func:`analyse_chunk` over chunks of the corpus and combine the results.

    Parameters
    ----------
    corpus : pandas.DataFrame, path, iterator of DataFrames or dask.bag.Bag
        Articles with ``doc_id``, ``label_col``, ``text_col`` (and ``group_col`` for
        ``term_counts``). The path of a JSON-lines file (``engine="serial"`` or
        ``"processes"``) is read chunk by chunk (:func:`iter_jsonl`, with its default
        columns), and so is an iterator of chunks (e.g. ``iter_jsonl(path, n=1000)``;
        its chunks are used as they come, whatever ``chunk_size``): only the chunks
        being analysed are in memory, and their rows come back in ``Analysis.corpus``
        without ``text_col``. A Dask bag of article dicts
        (``engine="dask"`` only, e.g. :func:`bag_from_jsonl`) is analysed partition by
        partition where it lives.
    steps : sequence of str, default all of :data:`STEPS`
        Stages to run (see :func:`analyse_chunk`).
    engine : {"serial", "processes", "dask"}, default "serial"
        One process; ``n_jobs`` worker processes on this machine; or Dask (the
        ``client`` given, else the default ``dask.distributed`` client if one is
        running, else Dask's local scheduler).
    n_jobs : int, default 2
        Worker processes for ``engine="processes"``.
    chunk_size : int, default 1000
        Articles per chunk (per Dask partition when a pandas corpus is partitioned).
        Results do not depend on it.
    client : dask.distributed.Client, optional
        Where to run ``engine="dask"``; e.g. ``Client("tcp://scheduler:8786")``.
    lexicon, actors : optional
        Lexicon table (default: shipped) and alias table or its CSV path.
    text_col, label_col, group_col : str
        Raw text, outlet and keyness group columns.
    term_settings : dict, optional
        Tokenisation and weighting for ``vocab``/``hashed``: ``stop_words``
        ("english"), ``lowercase`` (True), ``token_pattern``, ``ngram_range`` ((1, 1)),
        ``min_df`` (2), ``sublinear_tf`` (True), ``smooth_idf`` (True), ``norm`` ("l2"),
        ``n_features`` (2**20, hashed only).
    keep_hits : bool, default True
        Keep the keyword-in-context table of every lexicon hit (``Analysis.hits``); with
        ``False`` only the rates are kept (identical), which on tens of thousands of
        articles saves memory (about 0.4 GB per 37,554 articles: each hit carries its
        sentence and context).
    keep_text : bool, default True
        Return the cleaned texts (``Analysis.corpus["text"]``). With ``False`` every
        engine does what the Dask engine always does: the cleaned texts are dropped
        where they are made (in the worker), and ``Analysis.corpus`` holds the
        articles' metadata only (the input without ``text_col``), so nothing in the
        result keeps a text alive. The tables are the same. On the 37,554
        Article-Bias-Prediction articles the texts are 0.4 GB raw and 0.4 GB cleaned
        (``benchmarks/RESULTS.md``).
    show_progress : bool or None
        Progress bar over chunks (None: only on a terminal; not used by Dask, whose
        dashboard shows progress).

    Returns
    -------
    Analysis
        Tables equal to those of the single-machine functions on the whole corpus.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "lean": ["left", "right"],
    ...                    "text_raw": ["The dictator may go. Share", "The president stays."]})
    >>> res = analyse(df, steps=["clean", "lexicon"], chunk_size=1)
    >>> res.rates[res.rates["hits"] > 0][["outlet", "register", "hits"]].values.tolist()
    [['A', 'delegitimising', 1]]
    """
    if engine not in ENGINES:
        raise ValueError(f"engine={engine!r} is not supported; choose one of {list(ENGINES)}")
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        raise ValueError(f"unknown step(s) {unknown}; allowed: {list(STEPS)}")
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, (int, np.integer)) or n_jobs < 1:
        raise ValueError(f"n_jobs={n_jobs!r} must be a positive integer")
    for name, flag in (("keep_hits", keep_hits), ("keep_text", keep_text)):
        if not isinstance(flag, bool):
            raise ValueError(f"{name}={flag!r} must be True or False")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) \
            or chunk_size < 1:
        raise ValueError(f"chunk_size={chunk_size!r} must be a positive integer")
    is_pandas = isinstance(corpus, pd.DataFrame)
    is_path = isinstance(corpus, (str, Path))
    is_stream = is_path or isinstance(corpus, Iterator)
    if is_stream and engine == "dask":
        raise TypeError("engine='dask' reads a file on the workers: pass "
                        f"bag_from_jsonl({str(corpus)!r}) instead of "
                        f"{'the path' if is_path else 'an iterator'}")
    if not (is_pandas or is_stream) and engine != "dask":
        raise TypeError(f"corpus must be a pandas DataFrame, the path of a JSON-lines file or "
                        f"an iterator of DataFrames for engine={engine!r}, got "
                        f"{type(corpus).__name__}")
    settings = {**_TERM_SETTINGS, **(term_settings or {})}
    actor_table = load_actors(actors) if actors is not None else None
    lex = load_lexicon() if lexicon is None and "lexicon" in steps else lexicon
    fn = partial(analyse_chunk, steps=tuple(steps), lexicon=lex, actors=actor_table,
                 text_col=text_col, label_col=label_col, group_col=group_col,
                 term_settings=settings, keep_hits=keep_hits)
    start = time.perf_counter()
    combined = _Combiner(steps=steps, label_col=label_col, group_col=group_col,
                         settings=settings)
    if engine == "dask":
        for r in _run_dask(corpus, fn, chunk_size=int(chunk_size), client=client,
                           text_col=text_col):
            combined.add(r)
        if not is_pandas:
            if not combined.frames:
                raise ValueError("the Dask bag holds no articles")
            corpus = combined.rows()
    elif is_stream:
        reader = (iter_jsonl(corpus, chunk_size=int(chunk_size), show_progress=False)
                  if is_path else corpus)
        if engine == "processes" and isinstance(reader, JsonlChunks) and not reader.started:
            # the workers parse the lines: this process only decompresses and cuts them
            parts: Iterable[Any] = reader._lines()
            run = partial(_analyse_lines, fn=fn, mapping=reader.mapping, text_col=text_col,
                          keep_text=keep_text)
        else:
            parts = reader
            run = partial(_tables_and_rows, fn=fn, text_col=text_col, keep_text=keep_text)
        with closing(_run(parts, run, engine=engine, n_jobs=int(n_jobs),
                          show=show_progress)) as results:
            for r in results:
                if "ids" in r:  # lines parsed in a worker
                    reader._check_ids(r.pop("ids"), r.pop("lines"))
                    if "error" in r:
                        raise r["error"]
                combined.add(r)
        if not combined.frames:
            raise ValueError(f"{str(corpus) if is_path else 'the iterator'} holds no articles")
        corpus = combined.rows()
    else:
        run = fn if keep_text else partial(_tables_only, fn=fn)
        with closing(_run(list(chunks(corpus, chunk_size=chunk_size)), run, engine=engine,
                          n_jobs=int(n_jobs), show=show_progress)) as results:
            for r in results:
                combined.add(r)
    if not keep_text and text_col in corpus.columns:
        corpus = corpus.drop(columns=[text_col])
    mapped = time.perf_counter()
    out = combined.result(corpus)
    del combined
    release_free_memory()  # the chunks' results, now combined
    out.wall_seconds = {"map": mapped - start, "combine": time.perf_counter() - mapped}
    return out


class _TermSums:
    """The chunks' ``term_counts`` tables summed as they come: each chunk's terms are
    numbered by a dict (in C) and its counts added into one array, instead of stacking
    every chunk's table and grouping the stack by its string index."""

    def __init__(self) -> None:
        self.ids: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # shared
        self.groups: defaultdict[Any, int] = defaultdict(itertools.count().__next__)
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, counts: pd.DataFrame | tuple[_Words, list[Any], np.ndarray]) -> list[str]:
        """Add one chunk's table (or its packed terms, groups and values); returns its
        terms' ids."""
        if isinstance(counts, pd.DataFrame):
            terms, groups = counts.index.tolist(), counts.columns.tolist()
            values = counts.to_numpy(dtype=np.int64)
        else:
            words, groups, values = counts
            terms = words.unpack()
        rows = np.fromiter(map(self.ids.__getitem__, terms), dtype=np.int64, count=len(terms))
        cols = np.fromiter(map(self.groups.__getitem__, groups), dtype=np.int64,
                           count=len(groups))
        self.parts.append((rows, cols, values))
        return rows

    def order(self) -> np.ndarray:
        """The ids in the sorted order of their strings."""
        return np.argsort(np.fromiter(self.ids, dtype=object, count=len(self.ids)),
                          kind="stable")

    def result(self, group_col: str | None, order: np.ndarray | None = None) -> pd.DataFrame:
        """Terms (sorted, index ``term``) x groups (sorted, named ``group_col``);
        ``order``: :meth:`order`, when known."""
        total = np.zeros((len(self.ids), len(self.groups)), dtype=np.int64)
        counted = np.zeros(len(self.ids), dtype=bool)  # (the ids number other strings too)
        for rows, cols, values in self.parts:
            total[np.ix_(rows, cols)] += values  # a chunk's terms are distinct
            counted[rows] = True
        self.parts = []
        terms = np.fromiter(self.ids, dtype=object, count=len(self.ids))
        groups = np.fromiter(self.groups, dtype=object, count=len(self.groups))
        rows = self.order() if order is None else order
        rows, cols = rows[counted[rows]], np.argsort(groups, kind="stable")
        return pd.DataFrame(total[np.ix_(rows, cols)],
                            index=pd.Index(terms[rows].tolist(), name="term", dtype="str"),
                            columns=pd.Index(groups[cols].tolist(), name=group_col))


class _Combiner:
    """The results of :func:`analyse_chunk` on consecutive chunks, combined chunk by
    chunk as they come (while the workers analyse the next ones), then into the
    :class:`Analysis` of the whole corpus by exact reductions."""

    def __init__(self, *, steps: Sequence[str], label_col: str, group_col: str | None,
                 settings: dict[str, Any]) -> None:
        self.steps = steps
        self.label_col = label_col
        self.group_col = group_col
        self.settings = settings
        self.cpu: dict[str, float] = {}
        self.frames: list[pd.DataFrame] = []
        self.texts: list[pd.Series] | None = []  # None once a chunk comes without them
        self.tables: dict[str, list[pd.DataFrame]] = {
            "audit": [], "mentions": [], "hits": [], "rates": []}
        self.all_hits = True
        self.terms = _TermSums()
        self.vocab = _VocabMerge(ids=self.terms.ids)  # one numbering of words and terms
        self.hashed: list[sp.csr_matrix] = []
        self.hashed_df: np.ndarray | None = None

    def add(self, r: dict[str, Any]) -> None:
        """Take one chunk's result (in corpus order)."""
        for step, sec in r.get("seconds", {}).items():
            self.cpu[step] = self.cpu.get(step, 0.0) + sec
        if "frame" in r:
            self.frames.append(r["frame"])
        steps = self.steps
        if "clean" in steps:
            if self.texts is not None and "text" in r:
                self.texts.append(r["text"])
            else:
                self.texts = None
            self.tables["audit"].append(r["audit"])
        if "actors" in steps:
            self.tables["mentions"].append(r["mentions"])
        if "lexicon" in steps:
            self.all_hits = self.all_hits and "hits" in r
            if self.all_hits:
                self.tables["hits"].append(r["hits"])
            self.tables["rates"].append(r["rates"])
        if "term_counts" in steps:
            rows = self.terms.add(r["term_counts"])
        if "vocab" in steps:
            terms = r["vocab_terms"]
            if isinstance(terms, _Words):
                terms = terms.unpack()
            source = r.get("vocab_types")
            if source is None:
                self.vocab.add(terms, r["vocab_counts"])
            else:  # the terms that are word types have their ids already
                ids = np.empty(len(source), dtype=np.int64)
                found = source >= 0
                ids[found] = rows[source[found]]
                if len(terms) == len(source):  # (not packed: every term is there)
                    terms = np.asarray(terms, dtype=object)[~found].tolist()
                ids[~found] = np.fromiter(map(self.vocab.ids.__getitem__, terms),
                                          dtype=np.int64, count=len(terms))
                self.vocab.add([], r["vocab_counts"], ids=ids)  # analyse_chunk sorts terms
        if "hashed" in steps:
            self.hashed.append(r["hashed_counts"])
            df = np.asarray(r["hashed_df"], dtype=np.int64)
            self.hashed_df = df.copy() if self.hashed_df is None else self.hashed_df + df

    def rows(self) -> pd.DataFrame:
        """The chunks' rows (``frame``: their metadata) in order."""
        return pd.concat(self.frames, ignore_index=True)

    def result(self, corpus: pd.DataFrame) -> Analysis:
        """The combined tables, with ``corpus`` (the articles, in chunk order)."""
        steps, label_col = self.steps, self.label_col
        out = Analysis(corpus=corpus, cpu_seconds=self.cpu)
        if "clean" in steps and self.texts is not None:  # not from Dask workers
            cleaned = corpus.copy()
            texts = [t for part in self.texts for t in part.tolist()]
            cleaned["text"] = pd.Series(texts, index=corpus.index, dtype="str")
            out.corpus = cleaned
        if "clean" in steps:
            out.audit = _concat(self.tables["audit"], ["doc_id", "start"])
        if "actors" in steps:
            out.mentions = _concat(self.tables["mentions"], ["doc_id", "start", "actor"])
        if "lexicon" in steps:
            if self.all_hits:
                out.hits = _concat(self.tables["hits"], ["doc_id", "start"])
            out.rates = _summed_rates(self.tables["rates"],
                                      corpus[label_col].astype(str).unique())
        # the words and terms share their ids: one sort of their strings serves both
        order = self.terms.order() if "term_counts" in steps or "vocab" in steps else None
        if "term_counts" in steps:
            out.term_counts = self.terms.result(self.group_col, order)
        if "vocab" in steps:
            labels = pd.Index(corpus[label_col].astype(str).tolist(), name=label_col)
            out.tfidf = self.vocab.result(labels=labels, settings=self.settings, order=order)
        if "hashed" in steps:
            out.hashed = HashedCounts(counts=sp.vstack(self.hashed, format="csr"),
                                      df=self.hashed_df)
        self.tables = {}
        return out


def _summed_rates(parts: list[pd.DataFrame], outlets: Iterable[Any]) -> pd.DataFrame:
    """The chunks' :func:`~framelens.lexicon.register_rates` summed: hits and words per
    outlet and register, and the rate and Poisson interval of the sums."""
    rates = pd.concat(parts, ignore_index=True)
    per = Settings().rate_per  # what analyse_chunk's rates use
    summed = rates.groupby(["outlet", "register"], sort=False)[["hits", "words"]].sum()
    index = pd.MultiIndex.from_product([sorted(map(str, outlets)), list(REGISTERS)],
                                       names=["outlet", "register"])
    summed = summed.reindex(index, fill_value=0).reset_index()
    w = summed["words"].to_numpy(dtype=float)
    h = summed["hits"].to_numpy(dtype=float)
    summed["rate"] = np.divide(h * per, w, out=np.full_like(h, np.nan), where=w > 0)
    summed = summed.astype({"outlet": "string", "register": "string", "hits": "int64",
                            "words": "int64", "rate": "float64"})
    low, high = poisson_interval(h)  # the interval of the summed count, as register_rates
    summed["low"] = np.divide(low * per, w, out=np.full_like(h, np.nan), where=w > 0)
    summed["high"] = np.divide(high * per, w, out=np.full_like(h, np.nan), where=w > 0)
    return summed[["outlet", "register", "hits", "words", "rate", "low", "high"]]
