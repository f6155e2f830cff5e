"""TF-IDF features, cosine similarity, nearest neighbours and top terms.

Every function takes the articles as a pandas DataFrame (with ``text_col`` and
``label_col`` keywords) or as an iterable of strings, and keeps the document-term
matrix sparse (:class:`scipy.sparse.csr_matrix`), so the same calls run on five
seed articles and on tens of thousands. The only dense ``n x n`` object is the
similarity table of :func:`similarity`, which refuses more than ``max_docs``
documents and points to :func:`nearest_neighbours` instead.

The weighting is scikit-learn's :class:`~sklearn.feature_extraction.text.TfidfVectorizer`;
:func:`tfidf` documents each of its options in words and formulas.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from matplotlib.axes import Axes
from sklearn.feature_extraction.text import TfidfVectorizer

from framelens.neighbours import approximate_topk, exact_topk, n_threads, window_topk
from framelens.notes import NotEnoughData
from framelens.plots import new_axes

__all__ = [
    "TfidfResult",
    "tfidf",
    "as_result",
    "similarity",
    "cosine_matrix",
    "nearest_neighbours",
    "top_terms",
    "plot_similarity",
    "closest_title",
    "article_labels",
    "outlet_means",
]

#: scikit-learn's default token pattern: runs of two or more word characters.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"

_STOP_WORDS = (None, "english")
_NORMS = ("l2", "l1", None)
_NEIGHBOUR_METHODS = ("auto", "window", "approximate", "exact")
#: Largest corpus without dates that ``nearest_neighbours(method="auto")`` searches over all
#: pairs (about 3 s on 2 cores); larger ones are searched approximately.
EXACT_MAX_DOCS = 10_000


@dataclass(frozen=True)
class TfidfResult:
    """A TF-IDF document-term matrix with its row and column labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Shape ``(n_documents, n_terms)``; row ``i`` is document ``labels[i]``.
    terms : numpy.ndarray
        Column names, from ``TfidfVectorizer.get_feature_names_out()``.
    labels : pandas.Index
        One label per row (the ``label_col`` values, e.g. outlet names), named
        after ``label_col``.
    vectorizer : TfidfVectorizer
        The fitted vectorizer (its ``idf_`` and ``vocabulary_`` are kept).
    """

    matrix: sp.csr_matrix
    terms: np.ndarray
    labels: pd.Index
    vectorizer: TfidfVectorizer

    @property
    def n_docs(self) -> int:
        """Number of documents (rows)."""
        return int(self.matrix.shape[0])

    def to_frame(self) -> pd.DataFrame:
        """Return the matrix as a dense DataFrame (only for small corpora)."""
        return pd.DataFrame(
            self.matrix.toarray(),
            index=self.labels,
            columns=pd.Index(self.terms, name="term"),
        )


def _texts_and_labels(
    docs: pd.DataFrame | pd.Series | Iterable[str], text_col: str, label_col: str
) -> tuple[list[str], pd.Index]:
    """Pull texts and row labels out of what the caller holds, with clear errors."""
    if isinstance(docs, pd.DataFrame):
        if text_col not in docs.columns:
            raise ValueError(
                f"text_col={text_col!r} is not a column of the DataFrame; "
                f"available columns: {sorted(map(str, docs.columns))}"
            )
        if label_col in docs.columns:
            labels = pd.Index(docs[label_col].astype(str).tolist(), name=label_col)
        else:
            labels = pd.Index([str(i) for i in docs.index], name=label_col)
        raw = docs[text_col].tolist()
    elif isinstance(docs, pd.Series):
        raw = docs.tolist()
        labels = pd.Index([str(i) for i in docs.index], name=label_col)
    elif isinstance(docs, str):
        raise TypeError(
            "docs is a single string; pass a list of texts or a DataFrame with a "
            f"{text_col!r} column"
        )
    else:
        raw = list(docs)
        labels = pd.Index([f"doc {i}" for i in range(len(raw))], name=label_col)
    for i, text in enumerate(raw):
        if not isinstance(text, str):
            raise TypeError(
                f"document {labels[i]!r} (row {i}) is {type(text).__name__}, not text; "
                "fill or drop missing texts first"
            )
    if len(raw) < 2:
        raise NotEnoughData(
            f"comparing articles needs at least 2 articles; got {len(raw)}"
            + (f" ({', '.join(map(str, labels))})" if len(raw) else "")
        )
    return raw, labels


def _check_choice(name: str, value: Any, allowed: tuple[Any, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not supported; choose one of {list(allowed)}")


def tfidf(
    docs: pd.DataFrame | pd.Series | Iterable[str],
    *,
    text_col: str = "text",
    label_col: str = "outlet",
    ngram_range: tuple[int, int] = (1, 1),
    stop_words: str | None = None,
    sublinear_tf: bool = False,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    norm: str | None = "l2",
    use_idf: bool = True,
    smooth_idf: bool = True,
    lowercase: bool = True,
    token_pattern: str = TOKEN_PATTERN,
    max_features: int | None = None,
) -> TfidfResult:
    r"""Weight each term in each document by TF-IDF (scikit-learn's ``TfidfVectorizer``).

    Parameters
    ----------
    docs : DataFrame, Series or iterable of str
        The articles. A DataFrame needs ``text_col``; its ``label_col`` (if present)
        labels the rows, otherwise the index does. A Series is labelled by its index,
        a plain iterable by ``"doc 0"``, ``"doc 1"``, ...
    text_col : str, default "text"
        Column holding the text (e.g. ``"text"`` cleaned, ``"text_raw"`` as published).
    label_col : str, default "outlet"
        Column holding the row labels used in every output table and figure.
    ngram_range : (int, int), default (1, 1)
        Smallest and largest n-gram length: ``(1, 1)`` single words, ``(1, 2)``
        words plus adjacent word pairs ("north korean", "russian president").
    stop_words : {None, "english"}, default None
        ``"english"`` drops scikit-learn's built-in list of 318 English function
        words (the, of, and ...) before counting; ``None`` keeps every word.
    sublinear_tf : bool, default False
        Term frequency ``tf(t, d)`` is the raw count of term ``t`` in document ``d``;
        with ``True`` it becomes :math:`1 + \ln \mathrm{tf}(t, d)` (for tf > 0), so a
        word repeated ten times weighs about 3.3 times, not 10 times, a word used once.
    min_df, max_df : int or float
        Drop terms found in fewer than ``min_df`` / more than ``max_df`` documents
        (an int is a count of documents, a float in ``[0, 1]`` a share of them).
        ``max_df=1.0`` keeps terms present everywhere (their idf is the lowest).
    norm : {"l2", "l1", None}, default "l2"
        Row normalisation after weighting: ``"l2"`` divides each row by its
        Euclidean length so that a dot product of two rows is their cosine
        similarity; ``"l1"`` by the sum of absolute weights; ``None`` leaves raw weights.
    use_idf : bool, default True
        Multiply tf by the inverse document frequency; ``False`` gives plain tf.
    smooth_idf : bool, default True
        With ``n`` documents and ``df(t)`` of them containing ``t``:
        smoothed :math:`\mathrm{idf}(t) = \ln\frac{1 + n}{1 + \mathrm{df}(t)} + 1`
        (as if one extra document contained every term once; never divides by 0),
        unsmoothed :math:`\mathrm{idf}(t) = \ln\frac{n}{\mathrm{df}(t)} + 1`.
        The ``+ 1`` keeps terms found in every document with weight tf, not 0.
        The weight is :math:`\mathrm{tf}(t, d) \cdot \mathrm{idf}(t)`, then normalised.
    lowercase : bool, default True
        Lowercase text before tokenising ("Kyiv" and "kyiv" count together).
    token_pattern : str, default ``r"(?u)\b\w\w+\b"``
        Regular expression for a token: by default runs of two or more Unicode
        word characters, so punctuation splits words and one-letter words are dropped.
    max_features : int or None, default None
        Keep only the ``max_features`` most frequent terms over the corpus.

    Returns
    -------
    TfidfResult
        ``matrix`` (sparse, documents x terms), ``terms``, ``labels`` and the
        fitted ``vectorizer``.

    Raises
    ------
    NotEnoughData
        (a ``ValueError``) Fewer than two documents, or a corpus that leaves no term
        to count; the message says what is needed and what was given.
    ValueError
        An unsupported option (the message names the bad value and the allowed ones).

    Examples
    --------
    >>> r = tfidf(["Kyiv asks NATO", "NATO answers Kyiv", "Moscow warns"])
    >>> r.matrix.shape
    (3, 6)
    >>> list(r.terms)
    ['answers', 'asks', 'kyiv', 'moscow', 'nato', 'warns']
    >>> list(r.labels)
    ['doc 0', 'doc 1', 'doc 2']
    """
    texts, labels = _texts_and_labels(docs, text_col, label_col)
    if (
        not isinstance(ngram_range, (tuple, list))
        or len(ngram_range) != 2
        or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in ngram_range)
        or not 1 <= ngram_range[0] <= ngram_range[1]
    ):
        raise ValueError(
            f"ngram_range={ngram_range!r} is not supported; give two integers "
            "(min_n, max_n) with 1 <= min_n <= max_n, e.g. (1, 1) or (1, 2)"
        )
    _check_choice("stop_words", stop_words, _STOP_WORDS)
    _check_choice("norm", norm, _NORMS)
    for name, value in (("min_df", min_df), ("max_df", max_df)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{name}={value!r} must be an int (documents) or a float in [0, 1]")
        if isinstance(value, (float, np.floating)) and not 0.0 <= value <= 1.0:
            raise ValueError(f"{name}={value!r}: a float must lie in [0, 1] (a share of documents)")
        if isinstance(value, (int, np.integer)) and value < 1:
            raise ValueError(f"{name}={value!r}: an int must be at least 1 (a number of documents)")
    if max_features is not None and (not isinstance(max_features, (int, np.integer)) or max_features < 1):
        raise ValueError(f"max_features={max_features!r} must be None or a positive integer")
    for name, value in (
        ("sublinear_tf", sublinear_tf), ("use_idf", use_idf),
        ("smooth_idf", smooth_idf), ("lowercase", lowercase),
    ):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name}={value!r} must be True or False")

    vectorizer = TfidfVectorizer(
        ngram_range=tuple(ngram_range),
        stop_words=stop_words,
        sublinear_tf=bool(sublinear_tf),
        min_df=min_df,
        max_df=max_df,
        norm=norm,
        use_idf=bool(use_idf),
        smooth_idf=bool(smooth_idf),
        lowercase=bool(lowercase),
        token_pattern=token_pattern,
        max_features=max_features,
        dtype=np.float64,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError as err:
        msg = str(err)
        if "empty vocabulary" in msg or "no terms remain" in msg:
            raise NotEnoughData(
                f"no terms to count in {len(texts)} documents (column {text_col!r}): "
                "the texts are empty, hold only stop words or one-letter tokens, or "
                f"min_df={min_df!r}/max_df={max_df!r} removed every term. Check the text "
                "column, or relax stop_words/min_df/max_df/token_pattern"
            ) from None
        raise
    return TfidfResult(
        matrix=sp.csr_matrix(matrix),
        terms=vectorizer.get_feature_names_out(),
        labels=labels,
        vectorizer=vectorizer,
    )


def as_result(x: TfidfResult | pd.DataFrame | Iterable[str], **kwargs: Any) -> TfidfResult:
    """A ready :class:`TfidfResult` as it is, or one built from docs by :func:`tfidf`.

    Shared by the helpers here and in :mod:`framelens.clusters` that accept either.
    Settings given with a ready result are an error (they would be ignored).

    Examples
    --------
    >>> r = as_result(["Kyiv said", "Kiev said"])
    >>> as_result(r) is r, r.matrix.shape
    (True, (2, 3))
    """
    if isinstance(x, TfidfResult):
        if kwargs:
            raise ValueError(
                f"settings {sorted(kwargs)} were given together with a ready TfidfResult; "
                "pass them to tfidf() instead"
            )
        return x
    return tfidf(x, **kwargs)


def _row_normalised(matrix: sp.spmatrix) -> sp.csr_matrix:
    """L2-normalise rows; all-zero rows stay zero (similarity 0 to everything)."""
    m = sp.csr_matrix(matrix, dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(inv) @ m)


def cosine_matrix(matrix: sp.spmatrix) -> np.ndarray:
    r"""Dense cosine similarity :math:`\frac{a \cdot b}{\|a\|\|b\|}` between the rows.

    Rows with no weight (no terms) get similarity 0 with every row, 1 with themselves.

    Examples
    --------
    >>> cosine_matrix(sp.csr_matrix([[1.0, 0.0], [2.0, 0.0], [0.0, 0.0]])).round(2)
    array([[1., 1., 0.],
           [1., 1., 0.],
           [0., 0., 1.]])
    """
    m = _row_normalised(matrix)
    sim = np.asarray((m @ m.T).todense())
    np.clip(sim, 0.0, 1.0, out=sim)
    np.fill_diagonal(sim, 1.0)
    return sim


def similarity(
    docs: TfidfResult | pd.DataFrame | Iterable[str],
    *,
    max_docs: int = 2000,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """Cosine similarity between every pair of documents, labelled by outlet.

    Parameters
    ----------
    docs : TfidfResult, DataFrame or iterable of str
        A result of :func:`tfidf`, or documents (then ``tfidf_kwargs`` are passed to it).
    max_docs : int, default 2000
        Refuse larger corpora: the table is dense ``n x n``. For many documents use
        :func:`nearest_neighbours`, which stays sparse.

    Returns
    -------
    DataFrame
        Square, symmetric, values in [0, 1], diagonal 1; index and columns named
        after the label column (``"outlet"``). 1 means the same weighted word
        profile, 0 means no term in common.

    Examples
    --------
    >>> docs = pd.DataFrame({"outlet": ["A", "B", "C"],
    ...                      "text": ["nato kyiv", "nato kyiv", "rain snow"]})
    >>> similarity(docs).round(2)  # doctest: +NORMALIZE_WHITESPACE
    outlet    A    B    C
    outlet
    A       1.0  1.0  0.0
    B       1.0  1.0  0.0
    C       0.0  0.0  1.0
    """
    result = as_result(docs, **tfidf_kwargs)
    if result.n_docs > max_docs:
        raise ValueError(
            f"{result.n_docs} documents exceed max_docs={max_docs} for a dense similarity "
            "table; use nearest_neighbours() for large corpora or raise max_docs"
        )
    sim = cosine_matrix(result.matrix)
    return pd.DataFrame(sim, index=result.labels.copy(), columns=result.labels.copy())


def nearest_neighbours(
    docs: TfidfResult | pd.DataFrame | Iterable[str],
    *,
    k: int = 5,
    method: str = "auto",
    dates: str | Sequence[Any] | pd.Series | None = None,
    window_days: float = 3,
    n_components: int = 512,
    n_candidates: int = 200,
    random_state: int = 0,
    n_jobs: int | None = None,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """The ``k`` most cosine-similar other documents of each document, without an n x n matrix.

    Four methods (:mod:`framelens.neighbours` holds the searches):

    ``"window"``
        Neighbours are searched among the documents dated at most ``window_days`` from
        each document (the date blocking of :func:`framelens.stories.group_stories`):
        linear in the number of documents when they spread over many days. Undated
        documents are compared with each other only, as a corpus without dates
        (``"exact"`` up to :data:`EXACT_MAX_DOCS` of them, ``"approximate"`` above). A
        document whose window holds fewer than ``k`` other documents gets fewer rows.
    ``"approximate"``
        TruncatedSVD to ``n_components`` dimensions, a faiss HNSW search for
        ``n_candidates`` candidates per document, re-ranked by the exact cosine; about
        :math:`O(n \\log n)`. Recall@10 against ``"exact"`` on 37,554 news articles
        is in ``benchmarks/RESULTS.md``.
    ``"exact"``
        Every pair (sparse :math:`X X^\\top` keeping each row's ``k + 1`` largest,
        ``sparse_dot_topn``; scikit-learn's brute force without it): the work grows
        with :math:`n^2` (about a minute on 37,554 articles, 100 times that at ten
        times the corpus).
    ``"auto"`` (default)
        ``"window"`` when ``dates`` are given; otherwise ``"exact"`` up to
        :data:`EXACT_MAX_DOCS` documents (a few seconds) and ``"approximate"`` above.

    Parameters
    ----------
    docs : TfidfResult, DataFrame or iterable of str
        As in :func:`similarity`.
    k : int, default 5
        Neighbours per document (capped at ``n - 1``).
    method : {"auto", "window", "approximate", "exact"}, default "auto"
        As above.
    dates : str, sequence or None
        One date per document (anything :func:`pandas.to_datetime` reads; missing or
        malformed dates count as undated), or the name of a date column of ``docs``.
        Needed by ``"window"``.
    window_days : float, default 3
        Largest difference in days between a document and its neighbours (``"window"``).
    n_components, n_candidates, random_state
        Dimensions kept by the SVD, candidates per document, and the SVD's seed
        (``"approximate"``).
    n_jobs : int or None
        Threads for the search (None: one; ``-1``: all cores).

    Returns
    -------
    DataFrame
        Columns ``row`` (row position in the matrix), ``<label_col>``, ``rank``
        (1 = closest), ``neighbour_row``, ``neighbour_<label_col>``, ``similarity``
        (cosine, always exact). Ties are ordered by row number; a document similar to
        fewer than ``k`` others gets the lowest-numbered remaining documents (of its
        window, for ``"window"``) at similarity 0. Labels need not be unique (e.g.
        outlet names over many articles); the row positions identify the documents.
        A ``"window"`` table with ``k`` at least the stories' ``k`` can be handed to
        :func:`framelens.stories.group_stories` (``neighbours=``), which then reads its
        links from it instead of searching the same window again.

    Examples
    --------
    >>> nn = nearest_neighbours(["nato kyiv", "nato kyiv summit", "rain snow"], k=1)
    >>> nn[["outlet", "neighbour_outlet"]].values.tolist()
    [['doc 0', 'doc 1'], ['doc 1', 'doc 0'], ['doc 2', 'doc 0']]
    >>> nn = nearest_neighbours(["nato kyiv", "nato kyiv summit", "nato kyiv"], k=1,
    ...                         dates=["2024-11-29", "2024-11-30", "2024-12-09"])
    >>> nn[["row", "neighbour_row"]].values.tolist()
    [[0, 1], [1, 0]]
    """
    _check_choice("method", method, _NEIGHBOUR_METHODS)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k={k!r} must be a positive integer")
    n_threads(n_jobs)  # validated before any work
    for name, value in (("n_components", n_components), ("n_candidates", n_candidates)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name}={value!r} must be a positive integer")
    if isinstance(window_days, bool) or not isinstance(
            window_days, (int, float, np.integer, np.floating)) or not window_days >= 0:
        raise ValueError(f"window_days={window_days!r} must be a number >= 0")
    if method == "window" and dates is None:
        raise ValueError("method='window' needs dates= (one date per document, or the name "
                         "of a date column); without dates use method='approximate' or "
                         "'exact'")
    day_numbers = None if dates is None else _day_numbers(docs, dates)
    result = as_result(docs, **tfidf_kwargs)
    n = result.n_docs
    if day_numbers is not None and len(day_numbers) != n:
        raise ValueError(f"dates has {len(day_numbers)} values for {n} documents; give one "
                         "date per document, in the same order")
    if method == "auto":
        method = "window" if dates is not None else \
            "exact" if n <= EXACT_MAX_DOCS else "approximate"
    k = min(int(k), n - 1)
    if method == "window":
        found = _window_and_undated(result.matrix, day_numbers, window=float(window_days), k=k,
                                    n_jobs=n_jobs)
        rows = found[:, 0].astype(np.int64)
        nbrs = found[:, 1].astype(np.int64)
        sims = found[:, 2]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows) + 1
    else:
        if k < 1:
            nbr, sim = np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0))
        elif method == "exact":
            nbr, sim = exact_topk(result.matrix, k=k, n_jobs=n_jobs)
        else:
            nbr, sim = approximate_topk(result.matrix, k=k, n_components=int(n_components),
                                        n_candidates=int(n_candidates),
                                        random_state=random_state, n_jobs=n_jobs)
        rows = np.repeat(np.arange(n, dtype=np.int64), k)
        rank = np.tile(np.arange(1, k + 1, dtype=np.int64), n)
        nbrs, sims = nbr.ravel(), sim.ravel()
    out = pd.DataFrame({"row": rows, "rank": rank.astype(np.int64), "neighbour_row": nbrs,
                        "similarity": sims.astype(np.float64)})
    name = result.labels.name or "label"
    if name in out.columns:
        name = f"{name}_label"
    labels = np.asarray(result.labels, dtype=object)
    out.insert(1, name, labels[out["row"].to_numpy()])
    out.insert(4, f"neighbour_{name}", labels[out["neighbour_row"].to_numpy()])
    return out


def _window_and_undated(matrix: sp.spmatrix, days: np.ndarray, *, window: float, k: int,
                        n_jobs: int | None) -> np.ndarray:
    """Window neighbours of the dated rows; the undated rows searched among themselves by
    size (all pairs up to :data:`EXACT_MAX_DOCS`, approximately above), never with the dated.

    Rows (row, neighbour, cosine, days apart) sorted by row, then descending cosine.
    """
    if k < 1:
        return np.empty((0, 4))
    found = [window_topk(matrix, days, window=window, k=k, undated="alone", n_jobs=n_jobs)]
    undated = np.flatnonzero(np.isnan(days))
    kk = min(k, len(undated) - 1)
    if kk >= 1:
        search = exact_topk if len(undated) <= EXACT_MAX_DOCS else approximate_topk
        nbr, sim = search(sp.csr_matrix(matrix)[undated], k=kk, n_jobs=n_jobs)
        found.append(np.column_stack([np.repeat(undated, kk), undated[nbr.ravel()],
                                      sim.ravel(), np.zeros(nbr.size)]))
    arr = np.concatenate(found)
    return arr[np.lexsort((arr[:, 1], -arr[:, 2], arr[:, 0]))]


def _day_numbers(docs: Any, dates: str | Sequence[Any] | pd.Series) -> np.ndarray:
    """Days since 1970-01-01 (float, NaN when missing or unreadable) of each document."""
    if isinstance(dates, str):
        if not isinstance(docs, pd.DataFrame) or dates not in docs.columns:
            have = sorted(map(str, docs.columns)) if isinstance(docs, pd.DataFrame) else []
            raise ValueError(f"dates={dates!r} names no column of docs (columns: {have}); "
                             "pass one date per document instead")
        dates = docs[dates]
    when = pd.to_datetime(pd.Series(list(dates), dtype=object), errors="coerce", format="mixed")
    days = (when.dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    return days.to_numpy(dtype=float, na_value=np.nan)


def top_terms(
    docs: TfidfResult | pd.DataFrame | Iterable[str],
    *,
    n: int = 10,
    **tfidf_kwargs: Any,
) -> pd.DataFrame:
    """The ``n`` highest-weighted terms of each document.

    Ties are broken alphabetically, so the table is deterministic.

    Parameters
    ----------
    docs : TfidfResult, DataFrame or iterable of str
        As in :func:`similarity`.
    n : int, default 10
        Terms per document (fewer if a document has fewer distinct terms).

    Returns
    -------
    DataFrame
        Tidy, one row per (document, rank): columns ``<label_col>``, ``rank``
        (1 = heaviest), ``term``, ``weight`` (the TF-IDF weight).

    Examples
    --------
    >>> top_terms(["nato nato kyiv", "rain snow snow"], n=1)
      outlet  rank  term    weight
    0  doc 0     1  nato  0.894427
    1  doc 1     1  snow  0.894427
    """
    result = as_result(docs, **tfidf_kwargs)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n={n!r} must be a positive integer")
    m = result.matrix.tocsr()
    rows = []
    for i in range(result.n_docs):
        start, end = m.indptr[i], m.indptr[i + 1]
        cols, vals = m.indices[start:end], m.data[start:end]
        keep = vals > 0
        cols, vals = cols[keep], vals[keep]
        terms = result.terms[cols]
        order = np.lexsort((terms, -vals))[:n]
        for rank, j in enumerate(order, start=1):
            rows.append((result.labels[i], rank, str(terms[j]), float(vals[j])))
    name = result.labels.name or "label"
    out = pd.DataFrame(rows, columns=[name, "rank", "term", "weight"])
    return out.astype({name: object, "term": object})


def plot_similarity(
    sim: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    annotate: bool = True,
    within: bool = False,
    colours: dict[str, str] | None = None,
) -> Axes:
    """Heatmap of a :func:`similarity` table, each cell annotated with its value.

    The diagonal (each article with itself, 1 by definition) is left blank so the
    colour scale shows only the comparisons between articles. With ``within=True``
    (an :func:`outlet_means` table) the diagonal is drawn: it holds the mean
    similarity between different articles of one outlet.

    Parameters
    ----------
    sim : DataFrame
        Square similarity table (index and columns the same labels).
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    title : str, optional
        Defaults to :func:`closest_title` (the most similar pair and its cosine, or the
        pairs that tie for it); with ``within=True``, to one comparing the mean within
        outlets to the mean between.
    annotate : bool, default True
        Write the value in each cell (two decimals); only up to 20 rows, past
        that the numbers would not fit.
    within : bool, default False
        Draw the diagonal (within-outlet means of :func:`outlet_means`); empty
        (NaN) cells stay blank.
    colours : dict, optional
        Label -> colour for the tick labels (:func:`framelens.viz.outlet_colours`).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> s = pd.DataFrame([[1, .5], [.5, 1]], index=["A", "B"], columns=["A", "B"])
    >>> ax = plot_similarity(s)
    >>> ax.get_title()
    'A and B are the closest pair (cosine 0.50)'
    >>> m = pd.DataFrame([[.6, .3], [.3, .5]], index=["A", "B"], columns=["A", "B"])
    >>> plot_similarity(m, within=True).get_title()
    "2 of 2 outlets' articles are more alike among themselves than to others' (most: A, 0.60 vs 0.30)"
    >>> plt.close("all")
    """
    from framelens.viz import heatmap

    if sim.shape[0] != sim.shape[1] or sim.shape[0] < 2:
        raise NotEnoughData(f"a similarity heatmap needs a square table of at least 2 x 2; "
                            f"got shape {sim.shape}")
    n = len(sim)
    values = sim.to_numpy(dtype=float)
    labels = [str(v) for v in sim.index]
    if title is None and within:
        title = _within_title(values, labels)
    elif title is None:
        title = closest_title(sim)
    if ax is None:
        ax = new_axes(None, figsize=(min(0.95 * n + 2.6, 9.0), min(0.5 * n + 1.6, 9.0)))
    size = 10 if n <= 20 else max(4, int(180 / n))
    heatmap(sim, ax=ax, title=title, label="mean cosine similarity" if within else "cosine similarity",
            vmin=0.0, vmax=1.0, cmap="viridis", blank_diagonal=not within, annotate=annotate,
            colours=colours, fontsize=size)
    return ax


def closest_title(sim: pd.DataFrame, *, tol: float | None = None) -> str:
    """The similarity heatmap's title: the closest pair, or the pairs tied for closest.

    Pairs whose cosine is within ``tol`` of the highest (:func:`framelens.claims.ties`)
    tie: the title then names how many and their range rather than one "closest pair".

    Parameters
    ----------
    sim : DataFrame
        Square similarity table.
    tol : float, optional
        Default :data:`framelens.claims.COSINE_TOL`.

    Examples
    --------
    >>> s = pd.DataFrame([[1, .5327, .5298], [.5327, 1, .5294], [.5298, .5294, 1]],
    ...                  index=list("ABC"), columns=list("ABC"))
    >>> closest_title(s)
    '3 pairs tie as the closest (cosine 0.529 to 0.533): no single pair stands out'
    """
    from framelens.claims import COSINE_TOL, ties

    labels = [str(v) for v in sim.index]
    values = sim.to_numpy(dtype=float)
    i, j = np.triu_indices(len(labels), k=1)
    pairs = {(labels[a], labels[b]): float(values[a, b]) for a, b in zip(i, j)}
    tied = ties(pairs, tol=COSINE_TOL if tol is None else tol)
    if len(tied) == 1:
        a, b = sorted(tied[0])
        return f"{a} and {b} are the closest pair (cosine {pairs[tied[0]]:.2f})"
    vals = [pairs[t] for t in tied]
    return (f"{len(tied)} pairs tie as the closest (cosine {min(vals):.3f} to {max(vals):.3f}): "
            "no single pair stands out")


def _within_title(values: np.ndarray, labels: list[str]) -> str:
    """Title of an outlet-level table: which outlets' articles are closer among themselves."""
    off = ~np.eye(len(labels), dtype=bool)
    rows = []
    for i, name in enumerate(labels):
        own, rest = values[i, i], values[i][off[i]]
        if np.isfinite(own) and np.isfinite(rest).any():
            rows.append((own - float(np.nanmean(rest)), name, own, float(np.nanmean(rest))))
    if not rows:
        return f"Mean cosine between outlets {float(np.nanmean(values[off])):.2f} (one article each)"
    more = [r for r in rows if r[0] > 0]
    if not more:
        return f"No outlet's articles are more alike among themselves than to other outlets' ({len(rows)} compared)"
    gap, name, own, rest = max(more)
    return (f"{len(more)} of {len(rows)} outlets' articles are more alike among themselves than to "
            f"others' (most: {name}, {own:.2f} vs {rest:.2f})")


def article_labels(
    corpus: pd.DataFrame,
    *,
    label_col: str = "outlet",
    id_col: str = "doc_id",
    name: str = "article",
) -> pd.DataFrame:
    """Give every article a unique, readable label: its outlet, plus its id where needed.

    An outlet with one article is labelled by its name alone; an outlet with several
    articles labels each as ``"<outlet> · <doc_id>"``. Per-article tables and
    figures (similarity, dendrogram, clusters) then stay readable by outlet while
    every row is one article.

    Parameters
    ----------
    corpus : DataFrame
        One row per article.
    label_col, id_col : str
        Outlet and article-id columns.
    name : str, default "article"
        Name of the new column.

    Returns
    -------
    DataFrame
        A copy of ``corpus`` with the column ``name`` added (or replaced).

    Examples
    --------
    >>> c = pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "outlet": ["A", "A", "B"]})
    >>> article_labels(c)["article"].tolist()
    ['A · a1', 'A · a2', 'B']
    """
    for what, col in (("label_col", label_col), ("id_col", id_col)):
        if col not in corpus.columns:
            raise ValueError(f"{what}={col!r} is not a column of the corpus; "
                             f"available: {sorted(map(str, corpus.columns))}")
    outlet = corpus[label_col].astype(str)
    ids = corpus[id_col].astype(str)
    if ids.duplicated().any():
        raise ValueError(f"{id_col!r} must be unique to label articles; repeated: "
                         f"{sorted(set(ids[ids.duplicated()]))}")
    several = outlet.map(outlet.value_counts()) > 1
    labels = outlet.where(~several, outlet + " · " + ids)
    clash = labels.duplicated(keep=False)  # an outlet named like another's "outlet · id"
    labels = labels.where(~clash, outlet + " · " + ids)
    if labels.duplicated().any():
        raise ValueError(f"cannot give every article a unique label from {label_col!r} and "
                         f"{id_col!r}: {sorted(set(labels[labels.duplicated()]))[:3]} repeat")
    return corpus.assign(**{name: labels.astype(object)})


def outlet_means(
    pairwise: pd.DataFrame,
    groups: pd.DataFrame | pd.Series | dict[str, str],
    *,
    label_col: str = "article",
    group_col: str = "outlet",
) -> pd.DataFrame:
    """Average a per-article pairwise table (similarity, co-clustering) by outlet.

    Cell ``(A, B)`` is the mean of the article-pair values over every article of
    outlet ``A`` paired with every article of outlet ``B``; the diagonal cell
    ``(A, A)`` is the mean over pairs of *different* articles of ``A`` (NaN when
    ``A`` has one article). A diagonal above the rest of its row says that an
    outlet's articles resemble each other more than they resemble other outlets'.

    Parameters
    ----------
    pairwise : DataFrame
        Square table indexed and columned by article label (e.g. :func:`similarity`
        on a corpus labelled with :func:`article_labels`).
    groups : DataFrame, Series or dict
        Article label -> outlet: a corpus with ``label_col`` and ``group_col``
        columns, or a mapping.
    label_col, group_col : str
        Columns of ``groups`` when it is a DataFrame.

    Returns
    -------
    DataFrame
        Square, outlets sorted by name, index and columns named ``group_col``.

    Examples
    --------
    >>> s = pd.DataFrame([[1, .8, .2], [.8, 1, .4], [.2, .4, 1]],
    ...                  index=["A1", "A2", "B"], columns=["A1", "A2", "B"])
    >>> outlet_means(s, {"A1": "A", "A2": "A", "B": "B"})
    outlet    A    B
    outlet          
    A       0.8  0.3
    B       0.3  NaN
    """
    if pairwise.shape[0] != pairwise.shape[1]:
        raise ValueError(f"pairwise must be square; got shape {pairwise.shape}")
    if isinstance(groups, pd.DataFrame):
        missing = [c for c in (label_col, group_col) if c not in groups.columns]
        if missing:
            raise ValueError(f"groups lacks column(s) {missing}; pass the labelled corpus "
                             "(article_labels) or a mapping article -> outlet")
        mapping = dict(zip(groups[label_col].astype(str), groups[group_col].astype(str)))
    else:
        mapping = {str(k): str(v) for k, v in dict(groups).items()}
    labels = [str(v) for v in pairwise.index]
    unknown = [v for v in labels if v not in mapping]
    if unknown:
        raise ValueError(f"no outlet for article label(s) {unknown[:5]}; groups must map every "
                         "row of the pairwise table")
    of = np.array([mapping[v] for v in labels], dtype=object)
    outlets = sorted(set(of))
    values = pairwise.to_numpy(dtype=float)
    off_diag = ~np.eye(len(labels), dtype=bool)
    out = np.full((len(outlets), len(outlets)), np.nan)
    for i, a in enumerate(outlets):
        for j, b in enumerate(outlets):
            cells = (of == a)[:, None] & (of == b)[None, :] & off_diag
            if cells.any():
                out[i, j] = float(values[cells].mean())
    index = pd.Index(outlets, name=group_col)
    return pd.DataFrame(out, index=index, columns=index.copy())
