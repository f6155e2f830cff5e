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
    chunk, which is how 37,554 articles stay under 1.3 GB);
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
import json
import lzma
import multiprocessing
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
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

__all__ = ["JSONL_COLUMNS", "ENGINES", "STEPS", "load_jsonl", "iter_jsonl", "chunks",
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
def _open(path: Path) -> Any:
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def load_jsonl(path: str | Path, *, n: int | None = None,
               columns: dict[str, str] | None = None,
               show_progress: bool | None = None) -> pd.DataFrame:
    """Read articles from a JSON-lines file (optionally ``.xz``) into a corpus DataFrame.

    Parameters
    ----------
    path : str or Path
        One JSON object a line; ``.xz`` files are decompressed on the fly.
    n : int, optional
        Read only the first ``n`` articles (the file's order).
    columns : dict, optional
        JSON field -> corpus column; default :data:`JSONL_COLUMNS` (``id`` -> ``doc_id``,
        ``source`` -> ``outlet``, ``text`` -> ``text_raw``, plus ``date``, ``lean``,
        ``topic``, ``title``). Fields ``id``, ``source`` and ``text`` are required on
        every line; the others default to ``"unknown"`` when absent or empty.
    show_progress : bool or None
        Progress bar over the lines read (None: only when standard error is a terminal).

    Returns
    -------
    pandas.DataFrame
        One row per article in file order, RangeIndex, string columns named by
        ``columns`` (``doc_id, outlet, date, lean, topic, title, text_raw`` by default).

    Raises
    ------
    CorpusError
        Missing file; a line that is not a JSON object; a required field missing or not
        text; a repeated id. The message names the file and line.

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
    return _frame(_column_lists(_read_records(path, n=n, columns=columns,
                                              show_progress=show_progress), columns))


def iter_jsonl(path: str | Path, *, chunk_size: int = 1000, n: int | None = None,
               columns: dict[str, str] | None = None,
               show_progress: bool | None = None) -> Iterator[pd.DataFrame]:
    """The articles of a JSON-lines file, ``chunk_size`` at a time, as :func:`load_jsonl`
    frames.

    The same rows, columns, checks and errors as :func:`load_jsonl` (ids must be unique
    over the whole file), read as they are needed: only one chunk's texts are in memory
    at a time. :func:`analyse` reads a path given as its corpus this way.

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
    batch: list[dict[str, str]] = []
    for record in _read_records(path, n=n, columns=columns, show_progress=show_progress):
        batch.append(record)
        if len(batch) == chunk_size:
            yield _frame(_column_lists(batch, columns))
            batch = []
    if batch:
        yield _frame(_column_lists(batch, columns))


def _column_lists(records: Iterable[dict[str, str]], columns: dict[str, str] | None
                  ) -> dict[str, list[str]]:
    mapping = dict(JSONL_COLUMNS if columns is None else columns)
    data: dict[str, list[str]] = {col: [] for col in mapping.values()}
    for record in records:
        for col, values in data.items():
            values.append(record[col])
    return data


def _frame(data: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame({col: pd.array(vals, dtype="str") for col, vals in data.items()})


def _read_records(path: str | Path, *, n: int | None, columns: dict[str, str] | None,
                  show_progress: bool | None) -> Iterator[dict[str, str]]:
    """Each article of the file as {corpus column: value}, checked as :func:`load_jsonl`
    says. The file and the arguments are checked before the first record is asked for."""
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
    return _records_of(file, n=n, mapping=mapping, show_progress=show_progress)


def _records_of(file: Path, *, n: int | None, mapping: dict[str, str],
                show_progress: bool | None) -> Iterator[dict[str, str]]:
    seen: dict[str, int] = {}
    with _open(file) as fh:
        lines = progress(fh, desc="load", total=n, unit="line", enabled=show_progress)
        for lineno, line in enumerate(lines, start=1):
            if n is not None and len(seen) >= n:
                break
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise CorpusError(f"{file}, line {lineno}: not valid JSON ({err.msg}); fix or "
                                  "remove the line") from None
            if not isinstance(obj, dict):
                raise CorpusError(f"{file}, line {lineno}: expected a JSON object, got "
                                  f"{type(obj).__name__}")
            for key in _REQUIRED_JSON:
                if not isinstance(obj.get(key), str):
                    raise CorpusError(f"{file}, line {lineno}: field {key!r} is missing or not "
                                      f"text ({obj.get(key)!r:.40}); every article needs "
                                      f"{list(_REQUIRED_JSON)}")
            doc_id = obj["id"]
            if doc_id in seen:
                raise CorpusError(f"{file}, line {lineno}: id {doc_id!r} repeats line "
                                  f"{seen[doc_id]}; ids must be unique")
            seen[doc_id] = lineno
            yield _record(obj, mapping)


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
                      settings: dict[str, Any]) -> tuple[np.ndarray, sp.csr_matrix]:
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
    stop = vec.get_stop_words() or frozenset()
    token = re.compile(settings["token_pattern"])
    special = [i for i, t in enumerate(texts) if any(c in t for c in LOWER_EXCEPTIONS)]
    if special:
        keep = np.ones(len(texts), dtype=np.int64)
        keep[special] = 0
        counts = sp.csr_matrix(sp.diags(keep, dtype=np.int64) @ counts)
        counts.eliminate_zeros()
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for j in np.unique(counts.indices):  # the word types of the other texts
        word = types[j]
        # a type of two or more word characters (str.isalnum is re's \w without "_") is
        # one token of TOKEN_PATTERN, itself; only the others are searched
        for piece in ((word,) if len(word) > 1 and word.isalnum() else token.findall(word)):
            if piece not in stop:
                rows.append(int(j))
                cols.append(index.setdefault(piece, len(index)))
    extra_rows: list[int] = []
    extra_cols: list[int] = []
    if special:
        analyzer = vec.build_analyzer()
        for i in special:
            for tok in analyzer(texts[i]):
                extra_rows.append(i)
                extra_cols.append(index.setdefault(tok, len(index)))
    pieces = sp.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                           shape=(len(types), len(index)))
    out = sp.csr_matrix(counts @ pieces, dtype=np.int64)
    if special:
        out = sp.csr_matrix(out + sp.csr_matrix(
            (np.ones(len(extra_rows), dtype=np.int64), (extra_rows, extra_cols)),
            shape=(len(texts), len(index))), dtype=np.int64)
    out.eliminate_zeros()
    return sorted_columns(index, out)


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
        (csr); ``hashed_counts`` (csr), ``hashed_df`` (int64 vector); always ``n_docs``
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
            terms, counts = _vocab_from_words(types, word_counts, texts, settings)
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
    min_df = settings["min_df"]
    if isinstance(min_df, bool) or not isinstance(min_df, (int, np.integer)) or min_df < 1:
        raise ValueError(f"min_df={min_df!r} must be a positive integer (documents)")
    if not parts:
        raise ValueError("parts is empty: no chunk was counted")
    # one sort of all chunks' terms gives the merged vocabulary and every term's column
    vocab, where = np.unique(np.concatenate([np.asarray(t, dtype=object) for t, _ in parts]),
                             return_inverse=True)
    ends = np.cumsum([len(t) for t, _ in parts])
    blocks = []
    for (terms, counts), cols in zip(parts, np.split(where.ravel(), ends[:-1])):
        counts = sp.csr_matrix(counts)
        remapped = sp.csr_matrix((counts.data, cols[counts.indices], counts.indptr),
                                 shape=(counts.shape[0], len(vocab)))
        blocks.append(remapped)
    counts = sp.vstack(blocks, format="csr")
    del blocks, where
    counts.sort_indices()
    df = np.bincount(counts.indices, minlength=len(vocab))
    keep = np.flatnonzero(df >= min_df)
    if len(keep) == 0:
        raise ValueError(f"no terms remain after min_df={min_df}; lower min_df")
    counts = counts[:, keep]
    counts.data = counts.data.astype(np.float64)  # the counts become the weights, in place
    vocab = vocab[keep]
    vectorizer = TfidfVectorizer(
        stop_words=settings["stop_words"], lowercase=settings["lowercase"],
        token_pattern=settings["token_pattern"], ngram_range=tuple(settings["ngram_range"]),
        min_df=min_df, sublinear_tf=settings["sublinear_tf"],
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
        Wall time of running the chunks (``map``) and of combining them (``combine``,
        which includes the vocabulary merge and TF-IDF weighting).
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


def _run(parts: Iterable[pd.DataFrame], fn: Any, *, engine: str, n_jobs: int, client: Any,
         show: bool | None) -> list[dict[str, Any]]:
    total = len(parts) if isinstance(parts, list) else None
    if engine == "serial":
        return [fn(c) for c in progress(parts, desc="chunks", total=total, unit="chunk",
                                        enabled=show)]
    if engine == "processes":
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as pool:
            return list(progress(_bounded_map(pool, fn, parts, ahead=2 * n_jobs),
                                 desc="chunks", total=total, unit="chunk", enabled=show))
    raise AssertionError(engine)  # pragma: no cover


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
    if engine == "dask":
        results = _run_dask(corpus, fn, chunk_size=int(chunk_size), client=client,
                            text_col=text_col)
        if not is_pandas:
            if not results:
                raise ValueError("the Dask bag holds no articles")
            corpus = pd.concat([r.pop("frame") for r in results], ignore_index=True)
    elif is_stream:
        run = partial(_tables_and_rows, fn=fn, text_col=text_col, keep_text=keep_text)
        parts = (iter_jsonl(corpus, chunk_size=int(chunk_size), show_progress=False)
                 if is_path else corpus)
        results = _run(parts, run, engine=engine, n_jobs=int(n_jobs), client=client,
                       show=show_progress)
        if not results:
            raise ValueError(f"{str(corpus) if is_path else 'the iterator'} holds no articles")
        corpus = pd.concat([r.pop("frame") for r in results], ignore_index=True)
    else:
        run = fn if keep_text else partial(_tables_only, fn=fn)
        results = _run(list(chunks(corpus, chunk_size=chunk_size)), run, engine=engine,
                       n_jobs=int(n_jobs), client=client, show=show_progress)
    if not keep_text and text_col in corpus.columns:
        corpus = corpus.drop(columns=[text_col])
    mapped = time.perf_counter()
    out = _combine(corpus, results, steps=steps, label_col=label_col, group_col=group_col,
                   settings=settings, actor_table=actor_table)
    del results
    release_free_memory()  # the chunks' results, now combined
    out.wall_seconds = {"map": mapped - start, "combine": time.perf_counter() - mapped}
    return out


def _combine(corpus: pd.DataFrame, results: list[dict[str, Any]], *, steps: Sequence[str],
             label_col: str, group_col: str | None, settings: dict[str, Any],
             actor_table: pd.DataFrame | None) -> Analysis:
    out = Analysis(corpus=corpus)
    for r in results:
        for step, sec in r.get("seconds", {}).items():
            out.cpu_seconds[step] = out.cpu_seconds.get(step, 0.0) + sec
    if "clean" in steps and all("text" in r for r in results):  # not from Dask workers
        cleaned = corpus.copy()
        texts = [t for r in results for t in r.pop("text").tolist()]
        cleaned["text"] = pd.Series(texts, index=corpus.index, dtype="str")
        out.corpus = cleaned
    if "clean" in steps:
        out.audit = _concat([r["audit"] for r in results], ["doc_id", "start"])
    if "actors" in steps:
        mentions = _concat([r.pop("mentions") for r in results], ["doc_id", "start", "actor"])
        out.mentions = mentions
    if "lexicon" in steps:
        if all("hits" in r for r in results):
            out.hits = _concat([r.pop("hits") for r in results], ["doc_id", "start"])
        rates = pd.concat([r["rates"] for r in results], ignore_index=True)
        per = Settings().rate_per  # what analyse_chunk's rates use
        summed = rates.groupby(["outlet", "register"], sort=False)[["hits", "words"]].sum()
        outlets = sorted(map(str, corpus[label_col].astype(str).unique()))
        index = pd.MultiIndex.from_product([outlets, list(REGISTERS)],
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
        out.rates = summed[["outlet", "register", "hits", "words", "rate", "low", "high"]]
    if "term_counts" in steps:
        stacked = pd.concat([r.pop("term_counts") for r in results], axis=0)
        total = stacked.fillna(0).astype(np.int64).groupby(level=0, sort=True).sum()
        total = total.sort_index(axis=1)
        total.index.name = "term"
        total.columns.name = group_col
        out.term_counts = total
    if "vocab" in steps:
        labels = pd.Index(corpus[label_col].astype(str).tolist(), name=label_col)
        out.tfidf = merge_vocab_counts([(r.pop("vocab_terms"), r.pop("vocab_counts"))
                                        for r in results], labels=labels, **settings)
    if "hashed" in steps:
        counts = sp.vstack([r["hashed_counts"] for r in results], format="csr")
        df = np.sum([r["hashed_df"] for r in results], axis=0).astype(np.int64)
        out.hashed = HashedCounts(counts=counts, df=df)
    return out
