"""Same-story grouping: which articles report the same event.

Many outlets cover one event; a large corpus mixes thousands of events. An article
belongs to a *story* with the articles it is most similar to, among those published
within a few days of it. :func:`story_edges` finds those links and
:func:`group_stories` turns them into story ids:

1. **Features.** TF-IDF rows (:func:`framelens.features.tfidf`, sublinear tf, English
   stop words, terms in at least two documents), L2-normalised, so the dot product of
   two rows is their cosine similarity.
2. **Blocking by date.** Articles are sorted by date; an article is compared only with
   articles published at most ``window_days`` days before or after it. Undated
   articles (missing or unparseable date) are compared only with each other
   (``undated="block"``) or left alone (``undated="alone"``). Blocking keeps the work
   near linear in the number of articles when they spread over many days, and no
   ``n x n`` matrix is ever formed: rows are compared in chunks of ``chunk_size``
   against their date window only (sparse products, dense only ``chunk x window``).
3. **Sparse k-nearest-neighbour graph.** For each article, its ``k`` most similar
   candidates; a link is kept when the cosine similarity is at least ``threshold``.
   With ``mutual=True`` a link needs both ends to list each other among their ``k``.
4. **Connected components.** Articles joined by a chain of links are candidates for one
   story (:func:`scipy.sparse.csgraph.connected_components`). ``k`` limits how far one
   generic article can chain unrelated stories together.
5. **Average linkage.** Each component is split where its groups are not alike on
   average: agglomerative clustering (average linkage on the exact cosine) merges two
   groups only while their mean cross-pair cosine is at least ``min_average``. The low
   link threshold (0.2) keeps a same-story article whose best link is weak, and the
   average keeps a chain of single links from merging two stories.

The quality of these defaults on 10 known events mixed into 2,000 and 5,000 unrelated
articles is measured in ``benchmarks/RESULTS.md`` (adjusted Rand index), with what was
tuned on what.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster import hierarchy
from scipy.sparse.csgraph import connected_components
from sklearn.preprocessing import normalize

from framelens.features import EXACT_MAX_DOCS, TfidfResult, tfidf
from framelens.neighbours import UNDATED, WINDOW_CHUNK, exact_topk, n_threads, window_topk

__all__ = ["STORY_TFIDF", "story_edges", "group_stories", "story_summary"]

#: TF-IDF settings used when :func:`story_edges` computes the features itself.
STORY_TFIDF: dict[str, Any] = {"sublinear_tf": True, "stop_words": "english", "min_df": 2}

_LINKAGES = ("average", "none")
#: Columns of :func:`framelens.features.nearest_neighbours` that ``neighbours=`` needs.
_NEIGHBOUR_COLUMNS = ("row", "rank", "neighbour_row", "similarity")
#: Rows of a sampled check of ``neighbours=`` (their search is run again and compared).
_CHECKED_ROWS = 32
#: Rows of components multiplied at once by the average-linkage split (batches of small
#: components; larger ones by row blocks of their upper triangle).
_GRAM_ROWS = 64
_GRAM_BLOCK = 256


def _check_number(name: str, value: Any, *, low: float, integer: bool = False,
                  high: float | None = None) -> None:
    ok_type = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, ok_type) or value < low or (
            high is not None and value > high):
        kind = "an integer" if integer else "a number"
        rng = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name}={value!r} must be {kind} {rng}")


def _days(corpus: pd.DataFrame, date_col: str | None) -> np.ndarray:
    """Day numbers (days since 1970-01-01) as float; NaN where the date is missing."""
    n = len(corpus)
    if date_col is None:
        return np.zeros(n)  # one block: every article compared with every other
    if date_col not in corpus.columns:
        raise ValueError(f"date_col={date_col!r} is not a column of corpus; available "
                         f"columns: {sorted(map(str, corpus.columns))} (or date_col=None to "
                         "compare every article with every other)")
    dates = pd.to_datetime(corpus[date_col], errors="coerce", format="mixed")
    days = (dates.dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    return days.to_numpy(dtype=float, na_value=np.nan)


def _features(corpus: pd.DataFrame | TfidfResult, features: TfidfResult | sp.spmatrix | None,
              text_col: str) -> sp.csr_matrix:
    if features is None:
        if isinstance(corpus, TfidfResult):
            matrix = corpus.matrix
        else:
            matrix = tfidf(corpus, text_col=text_col, **STORY_TFIDF).matrix
    elif isinstance(features, TfidfResult):
        matrix = features.matrix
    elif sp.issparse(features):
        matrix = features
    else:
        raise TypeError(f"features must be a TfidfResult or a scipy sparse matrix, got "
                        f"{type(features).__name__}")
    if matrix.shape[0] != (corpus.n_docs if isinstance(corpus, TfidfResult) else len(corpus)):
        raise ValueError(f"features has {matrix.shape[0]} rows but corpus has a different "
                         "number of articles; compute the features on the same corpus, in the "
                         "same order")
    return normalize(sp.csr_matrix(matrix, dtype=np.float64), norm="l2", copy=True)


def story_edges(
    corpus: pd.DataFrame | TfidfResult,
    *,
    features: TfidfResult | sp.spmatrix | None = None,
    text_col: str = "text",
    date_col: str | None = "date",
    window_days: int = 3,
    k: int = 10,
    threshold: float = 0.2,
    undated: str = "block",
    chunk_size: int = WINDOW_CHUNK,
    n_jobs: int | None = None,
    neighbours: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Links between articles likely to report the same story (sparse kNN within date blocks).

    Parameters
    ----------
    corpus : DataFrame or TfidfResult
        One row per article, with ``text_col`` and (unless ``date_col=None``) ``date_col``.
        A :class:`~framelens.features.TfidfResult` alone means no dates (one block).
    features : TfidfResult or sparse matrix, optional
        Precomputed document-term weights, one row per article of ``corpus`` in the same
        order (e.g. from :func:`framelens.features.tfidf`). Default: TF-IDF of
        ``text_col`` with :data:`STORY_TFIDF` (sublinear tf, English stop words,
        ``min_df=2``). Rows are L2-normalised here, so a dot product is a cosine.
    text_col : str, default "text"
        Cleaned text column (used only when ``features`` is not given).
    date_col : str or None, default "date"
        Publication date column (anything :func:`pandas.to_datetime` reads; missing or
        malformed dates count as undated). ``None``: no blocking, every article is
        compared with every other (chunked, so still no ``n x n`` matrix in memory).
    window_days : int, default 3
        Two articles are compared only if their dates differ by at most this many days.
    k : int, default 10
        Each article keeps at most its ``k`` most similar candidates.
    threshold : float in [0, 1], default 0.2
        Minimum cosine similarity of a link.
    undated : {"block", "alone"}, default "block"
        ``"block"``: undated articles are compared with each other (one block);
        ``"alone"``: they get no links (each becomes its own story).
    chunk_size : int, default 128
        Rows compared at once (:func:`framelens.neighbours.window_topk`); memory is
        about ``8 * chunk_size * (chunk_size + window)`` bytes, with ``window`` the
        number of articles inside a date window (times ``n_jobs``). The links do not
        depend on it.
    n_jobs : int or None, default None
        Threads comparing chunks at once (None: one; ``-1``: all cores). The links do
        not depend on it.
    neighbours : DataFrame, optional
        Each article's nearest neighbours already searched, so the search is not run
        again: the table of :func:`framelens.features.nearest_neighbours` with
        ``dates=`` the same dates, ``window_days`` the same window and ``k`` at least
        this ``k``, on the same features (or on the same rows: the default features
        compute nothing from it). Its ``k`` best per article with a cosine of at least
        ``threshold`` are the links, the same links as the search here finds (dated
        articles: the same search, whose ``k`` best do not depend on ``threshold``;
        undated articles: ``nearest_neighbours`` searches all their pairs, as
        ``undated="block"`` does, up to
        :data:`~framelens.features.EXACT_MAX_DOCS` of them; above that it searches
        approximately, and the undated articles are searched here again). Checked
        before use: the columns, row numbers and ranks; every neighbour inside the
        window; as many neighbours per article as its window holds, up to ``k``; and
        the search run again for 32 dated articles (and 32 undated ones when their
        pairs are read), whose listed cosines must be those of their pairs and the
        largest of their window (within 1e-9). A table that fails raises a ValueError
        naming what differs.

    Returns
    -------
    DataFrame
        One row per directed link, sorted by ``doc`` then descending similarity:
        ``doc`` and ``neighbour`` (row positions in ``corpus``), ``similarity`` (cosine),
        ``days_apart`` (float; 0 when undated).

    Examples
    --------
    >>> df = pd.DataFrame({"date": ["2018-04-17", "2018-04-18", "2018-04-17", "2019-01-01"],
    ...     "text": ["Pompeo met Kim Jong Un in secret", "Pompeo secretly met Kim Jong Un",
    ...              "Tariffs on steel delayed", "Pompeo met Kim Jong Un again"]})
    >>> story_edges(df, features=tfidf(df), threshold=0.2)[["doc", "neighbour"]].values.tolist()
    [[0, 1], [1, 0]]

    The neighbours of :func:`framelens.features.nearest_neighbours` give the same links:

    >>> from framelens.features import nearest_neighbours
    >>> nn = nearest_neighbours(tfidf(df), k=10, dates=df["date"])
    >>> story_edges(df, features=tfidf(df), neighbours=nn).equals(
    ...     story_edges(df, features=tfidf(df)))
    True
    """
    _check_edge_settings(window_days=window_days, k=k, threshold=threshold, undated=undated,
                         chunk_size=chunk_size, n_jobs=n_jobs)
    if isinstance(corpus, TfidfResult):
        days = np.zeros(corpus.n_docs)
    else:
        if not isinstance(corpus, pd.DataFrame):
            raise TypeError(f"corpus must be a DataFrame or TfidfResult, got "
                            f"{type(corpus).__name__}")
        days = _days(corpus, date_col)
    x = _features(corpus, features, text_col)
    return _edges(x, days, window_days=float(window_days), k=int(k), threshold=float(threshold),
                  undated=undated, chunk_size=int(chunk_size), n_jobs=n_jobs,
                  neighbours=neighbours)


def _check_edge_settings(*, window_days: Any, k: Any, threshold: Any, undated: Any,
                         chunk_size: Any, n_jobs: Any) -> None:
    if undated not in UNDATED:
        raise ValueError(f"undated={undated!r} is not supported; choose one of {list(UNDATED)}")
    _check_number("window_days", window_days, low=0)
    _check_number("k", k, low=1, integer=True)
    _check_number("threshold", threshold, low=0.0, high=1.0)
    _check_number("chunk_size", chunk_size, low=1, integer=True)
    n_threads(n_jobs)


def _edges(x: sp.csr_matrix, days: np.ndarray, *, window_days: float, k: int,
           threshold: float, undated: str, chunk_size: int, n_jobs: int | None,
           neighbours: pd.DataFrame | None) -> pd.DataFrame:
    """The links of :func:`story_edges` on L2-normalised rows ``x``, searched or read."""
    if neighbours is None:
        arr = window_topk(x, days, window=window_days, k=k, threshold=threshold,
                          undated=undated, chunk_size=chunk_size, n_jobs=n_jobs,
                          desc="stories", normalise=False)
    else:
        arr = _read_neighbours(neighbours, x, days, window_days=window_days, k=k,
                               threshold=threshold, undated=undated, n_jobs=n_jobs)
    return pd.DataFrame({  # sorted by doc, then descending similarity, then neighbour
        "doc": arr[:, 0].astype(np.int64), "neighbour": arr[:, 1].astype(np.int64),
        "similarity": arr[:, 2].astype(np.float64), "days_apart": arr[:, 3].astype(np.float64),
    })


def _neighbour_table(neighbours: Any, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                       np.ndarray]:
    """Rows, ranks, neighbour rows and cosines of a ``nearest_neighbours`` table, checked."""
    what = ("pass the table of framelens.features.nearest_neighbours(features, k=k, "
            "dates=...) for these articles")
    if not isinstance(neighbours, pd.DataFrame):
        raise TypeError(f"neighbours must be a DataFrame, got {type(neighbours).__name__}; {what}")
    missing = [c for c in _NEIGHBOUR_COLUMNS if c not in neighbours.columns]
    if missing:
        raise ValueError(f"neighbours has no column(s) {missing}; {what}")
    row, rank, nbr = (neighbours[c].to_numpy() for c in ("row", "rank", "neighbour_row"))
    sim = neighbours["similarity"].to_numpy()
    if not all(np.issubdtype(a.dtype, np.integer) for a in (row, rank, nbr)) or \
            not np.issubdtype(sim.dtype, np.floating):
        raise ValueError(f"neighbours' row, rank and neighbour_row must be integers and "
                         f"similarity a float; {what}")
    row, rank, nbr = (a.astype(np.int64) for a in (row, rank, nbr))
    bad = (row < 0) | (row >= n) | (nbr < 0) | (nbr >= n) | (nbr == row)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"neighbours row {i} links article {row[i]} to {nbr[i]}: the corpus "
                         f"has {n} articles (rows 0 to {n - 1}) and none is its own "
                         f"neighbour; {what}")
    starts = np.searchsorted(row, row, side="left") if len(row) else row
    if (np.diff(row) < 0).any() or not np.array_equal(rank, np.arange(len(row)) - starts + 1):
        raise ValueError(f"neighbours must be sorted by row, then rank (1, 2, ... in each "
                         f"row), as nearest_neighbours returns them; {what}")
    return row, rank, nbr, sim


def _read_neighbours(neighbours: pd.DataFrame, x: sp.csr_matrix, days: np.ndarray, *,
                     window_days: float, k: int, threshold: float, undated: str,
                     n_jobs: int | None) -> np.ndarray:
    """Links (row, neighbour, cosine, days apart) read from a ``nearest_neighbours`` table.

    The table is checked against the search it stands for (see :func:`story_edges`);
    rows come back sorted as :func:`framelens.neighbours.window_topk` sorts them.
    """
    n = x.shape[0]
    row, rank, nbr, sim = _neighbour_table(neighbours, n)
    dated = ~np.isnan(days)
    gap = np.abs(days[row] - days[nbr])
    outside = (dated[row] != dated[nbr]) | (dated[row] & ~(gap <= window_days))
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise ValueError(f"neighbours links article {row[i]} to article {nbr[i]}, which is "
                         f"outside its {window_days:g}-day window (or one of them is undated "
                         "and the other not): search them with the same dates= and "
                         f"window_days={window_days:g}")
    have = np.bincount(row, minlength=n)
    big_k = int(have.max()) if len(row) else 0
    order = np.flatnonzero(dated)
    order = order[np.argsort(days[order], kind="stable")]
    d = days[order]
    room = np.zeros(n, dtype=np.int64)  # other articles inside each dated article's window
    room[order] = np.searchsorted(d, d + window_days, side="right") - \
        np.searchsorted(d, d - window_days, side="left") - 1
    undated_rows = np.flatnonzero(~dated)
    room[undated_rows] = len(undated_rows) - 1
    short = have != np.minimum(room, big_k)
    if short.any():
        i = int(np.flatnonzero(short)[0])
        raise ValueError(f"neighbours lists {have[i]} neighbours for article {i}, whose "
                         f"{window_days:g}-day window holds {room[i]} other articles (expected "
                         f"{min(room[i], big_k)}): search them with dates= the same dates and "
                         f"window_days={window_days:g}")
    if big_k < k and (room > big_k).any():
        raise ValueError(f"neighbours holds at most {big_k} neighbours per article, fewer than "
                         f"k={k}: search them with k >= {k}")
    exact = undated == "block" and len(undated_rows) <= EXACT_MAX_DOCS
    _check_sample(x, row, nbr, sim, days, order, window_days=window_days,
                  undated=undated_rows if exact else undated_rows[:0])
    keep = (rank <= k) & (sim >= threshold) & dated[row]
    parts = [np.column_stack([row[keep], nbr[keep], sim[keep], gap[keep]])]
    kk = min(k, len(undated_rows) - 1)
    if undated == "block" and kk >= 1:
        if exact:  # nearest_neighbours searched every pair
            keep = (rank <= k) & (sim >= threshold) & ~dated[row]
            parts.append(np.column_stack([row[keep], nbr[keep], sim[keep],
                                          np.zeros(int(keep.sum()))]))
        else:  # searched approximately there: all pairs here, as window_topk does
            found, cos = exact_topk(x[undated_rows], k=kk, n_jobs=n_jobs, normalise=False)
            ok = (cos >= threshold).ravel()
            parts.append(np.column_stack([np.repeat(undated_rows, kk)[ok],
                                          undated_rows[found.ravel()[ok]], cos.ravel()[ok],
                                          np.zeros(int(ok.sum()))]))
    arr = np.concatenate(parts)
    return arr[np.lexsort((arr[:, 1], -arr[:, 2], arr[:, 0]))]


def _check_sample(x: sp.csr_matrix, row: np.ndarray, nbr: np.ndarray, sim: np.ndarray,
                  days: np.ndarray, order: np.ndarray, *, window_days: float,
                  undated: np.ndarray) -> None:
    """The search run again for :data:`_CHECKED_ROWS` dated articles spread over the
    corpus (and as many undated ones, among the undated ``undated``): the cosines the
    table lists must be those of its pairs and the largest of the article's window (so a
    tie may be listed in either order)."""
    d = days[order]
    for group, near in ((order, True), (undated, False)):
        if not len(group):
            continue
        picked = np.unique(group[np.linspace(0, len(group) - 1, _CHECKED_ROWS).astype(int)])
        if not near:  # every undated article is a candidate: one product for the sample
            among = (x[picked] @ x[undated].T).toarray()
        for r, i in enumerate(picked):
            listed = np.arange(np.searchsorted(row, i, side="left"),
                               np.searchsorted(row, i, side="right"))
            if not len(listed):
                continue
            if near:
                cand = np.sort(order[np.searchsorted(d, days[i] - window_days, side="left"):
                                     np.searchsorted(d, days[i] + window_days, side="right")])
                cos = (x[[i]] @ x[cand].T).toarray().ravel()  # the searches' products
            else:
                cand, cos = undated, among[r]
            other = cand != i
            cand, cos = cand[other], np.maximum(cos[other], 0.0)
            at = np.minimum(np.searchsorted(cand, nbr[listed]), len(cand) - 1)
            best = -np.sort(-cos)[:len(listed)]
            if not (np.array_equal(cand[at], nbr[listed])
                    and np.allclose(cos[at], sim[listed], rtol=0.0, atol=1e-9)
                    and np.allclose(best, sim[listed], rtol=0.0, atol=1e-9)):
                raise ValueError(
                    f"neighbours of article {int(i)} differ from its search on these features "
                    f"within {window_days:g} days (cosines listed "
                    f"{np.round(sim[listed][:4], 4).tolist()}, found "
                    f"{np.round(best[:4], 4).tolist()}): search them on the same features, "
                    f"rows in the same order, with window_days={window_days:g}")


def group_stories(
    corpus: pd.DataFrame,
    *,
    features: TfidfResult | sp.spmatrix | None = None,
    text_col: str = "text",
    date_col: str | None = "date",
    window_days: int = 3,
    k: int = 10,
    threshold: float = 0.2,
    linkage: str = "average",
    min_average: float = 0.2,
    mutual: bool = False,
    undated: str = "block",
    chunk_size: int = WINDOW_CHUNK,
    max_component: int = 5000,
    n_jobs: int | None = None,
    neighbours: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Assign every article a story id: linked articles, split where they are not alike on average.

    1. Links: :func:`story_edges` (each article's ``k`` most similar articles within
       ``window_days``, cosine >= ``threshold``); connected components of the links.
    2. ``linkage="average"`` (default): each component is split by average-linkage
       agglomerative clustering on the exact cosine of its articles
       (:func:`scipy.cluster.hierarchy.linkage`, distance :math:`1 - \\cos`): two
       groups are merged only while the mean cosine over all their cross pairs,
       :math:`\\frac{1}{|A||B|}\\sum_{a \\in A, b \\in B} \\cos(a, b)`, is at least
       ``min_average``. A low link threshold then catches the same-story article
       whose best link is weak, and a chain of single links through articles of
       neighbouring stories (one link each) cannot merge two stories whose articles
       are unlike on average. ``linkage="none"``: the components themselves
       (one strong link is enough, the previous behaviour at ``threshold=0.3``).

    The defaults (``threshold=0.2``, ``min_average=0.2``) and their quality are in
    ``benchmarks/RESULTS.md`` (NewsWCL50's 10 events among 2,000 and 5,000 other
    articles).

    Parameters
    ----------
    corpus : DataFrame
        One row per article (see :func:`story_edges`).
    features, text_col, date_col, window_days, k, threshold, undated, chunk_size, n_jobs
        As in :func:`story_edges`; ``n_jobs`` threads also multiply the rows of a large
        component for average linkage.
    neighbours : DataFrame, optional
        The table of :func:`framelens.features.nearest_neighbours` for these articles
        and features (same dates and window, ``k`` at least this ``k``): the links are
        read from it instead of searched again, with the same story ids as a result
        (see :func:`story_edges`, which checks it).
    linkage : {"average", "none"}, default "average"
        Split components by average linkage, or keep them whole.
    min_average : float in [0, 1], default 0.2
        Smallest mean cosine between two groups that average linkage merges.
    max_component : int, default 5000
        A component with more articles is first split by raising the link threshold
        within it in steps of 0.05 (average linkage holds a dense ``size x size``
        matrix: 200 MB at 5,000).
    mutual : bool, default False
        ``False``: a link in either direction joins two articles. ``True``: only links
        both articles keep among their ``k`` nearest (fewer chains through generic
        articles, more stories split).

    Returns
    -------
    DataFrame
        Same index as ``corpus``; columns ``doc_id`` (if ``corpus`` has it), ``story``
        (int; 0 is the largest story, ties broken by first row), ``story_size``
        (articles in the story; 1 = no other article reports it) and ``best_similarity``
        (cosine of the article's strongest link inside its story, 0 without one).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": list("abcd"),
    ...     "date": ["2018-04-17", "2018-04-18", "2018-04-17", "2018-04-17"],
    ...     "text": ["Pompeo met Kim Jong Un in secret", "Pompeo secretly met Kim Jong Un",
    ...              "Tariffs on steel delayed", "Steel tariffs delayed again"]})
    >>> group_stories(df, features=tfidf(df))[["doc_id", "story", "story_size"]]
      doc_id  story  story_size
    0      a      0           2
    1      b      0           2
    2      c      1           2
    3      d      1           2
    """
    if not isinstance(corpus, pd.DataFrame):
        raise TypeError(f"corpus must be a DataFrame, got {type(corpus).__name__}")
    if not isinstance(mutual, (bool, np.bool_)):
        raise ValueError(f"mutual={mutual!r} must be True or False")
    if linkage not in _LINKAGES:
        raise ValueError(f"linkage={linkage!r} is not supported; choose one of {list(_LINKAGES)}")
    _check_number("min_average", min_average, low=0.0, high=1.0)
    _check_number("max_component", max_component, low=2, integer=True)
    _check_edge_settings(window_days=window_days, k=k, threshold=threshold, undated=undated,
                         chunk_size=chunk_size, n_jobs=n_jobs)
    days = _days(corpus, date_col)
    x = _features(corpus, features, text_col)
    edges = _edges(x, days, window_days=float(window_days), k=int(k),
                   threshold=float(threshold), undated=undated, chunk_size=int(chunk_size),
                   n_jobs=n_jobs, neighbours=neighbours)
    n = len(corpus)
    if mutual:
        pairs = set(zip(edges["doc"].tolist(), edges["neighbour"].tolist()))
        keep = [(b, a) in pairs for a, b in zip(edges["doc"], edges["neighbour"])]
        edges = edges[np.asarray(keep, dtype=bool)]
    labels = _components(edges, n)
    if linkage == "average":
        labels = _average_split(x, labels, edges, min_average=float(min_average),
                                threshold=float(threshold), max_component=int(max_component),
                                threads=n_threads(n_jobs))
    sizes = np.bincount(labels)
    first = np.full(len(sizes), n)
    np.minimum.at(first, labels, np.arange(n))
    rank = np.lexsort((first, -sizes))  # largest story first, then by first row
    new_id = np.empty_like(rank)
    new_id[rank] = np.arange(len(rank))
    best = np.zeros(n)
    inside = edges[labels[edges["doc"].to_numpy()] == labels[edges["neighbour"].to_numpy()]]
    if len(inside):
        np.maximum.at(best, inside["doc"].to_numpy(), inside["similarity"].to_numpy())
        np.maximum.at(best, inside["neighbour"].to_numpy(), inside["similarity"].to_numpy())
    out = pd.DataFrame(index=corpus.index.copy())
    if "doc_id" in corpus.columns:
        out["doc_id"] = corpus["doc_id"].to_numpy()
    out["story"] = new_id[labels].astype(np.int64)
    out["story_size"] = sizes[labels].astype(np.int64)
    out["best_similarity"] = best
    return out


def story_summary(corpus: pd.DataFrame, stories: pd.DataFrame, *, label_col: str = "outlet",
                  date_col: str | None = "date", min_size: int = 2) -> pd.DataFrame:
    """One row per story of at least ``min_size`` articles: size, outlets, date range.

    Parameters
    ----------
    corpus : DataFrame
        The articles (same index as ``stories``).
    stories : DataFrame
        Output of :func:`group_stories`.
    label_col : str, default "outlet"
        Column naming the outlet.
    date_col : str or None, default "date"
        Date column for ``first_date``/``last_date`` (``None`` to skip).
    min_size : int, default 2
        Smallest story listed.

    Returns
    -------
    DataFrame
        Index ``story``; columns ``articles``, ``outlets`` (distinct), ``first_date``,
        ``last_date`` (strings, ``<NA>`` when undated), sorted by story id.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B", "A"], "date": ["2018-04-17", "2018-04-18", ""]})
    >>> st = pd.DataFrame({"story": [0, 0, 1], "story_size": [2, 2, 1]})
    >>> story_summary(df, st).to_dict("index")
    {0: {'articles': 2, 'outlets': 2, 'first_date': '2018-04-17', 'last_date': '2018-04-18'}}
    """
    _check_number("min_size", min_size, low=1, integer=True)
    if label_col not in corpus.columns:
        raise ValueError(f"label_col={label_col!r} is not a column of corpus; available "
                         f"columns: {sorted(map(str, corpus.columns))}")
    if not stories.index.equals(corpus.index):
        raise ValueError("stories and corpus must share the same index; pass the output of "
                         "group_stories(corpus)")
    keep = stories["story_size"] >= min_size
    frame = pd.DataFrame({"story": stories.loc[keep, "story"].to_numpy(),
                          "outlet": corpus.loc[keep, label_col].astype(str).to_numpy()})
    if date_col is not None:
        dates = pd.to_datetime(corpus.loc[keep, date_col], errors="coerce", format="mixed")
        frame["date"] = dates.dt.strftime("%Y-%m-%d").to_numpy()
    g = frame.groupby("story", sort=True)
    out = pd.DataFrame({"articles": g.size().astype(np.int64),
                        "outlets": g["outlet"].nunique().astype(np.int64)})
    if date_col is not None:
        out["first_date"] = g["date"].min().astype("string")
        out["last_date"] = g["date"].max().astype("string")
    return out


def _components(edges: pd.DataFrame, n: int) -> np.ndarray:
    """Connected components (weak) of the links, one label per article."""
    graph = sp.csr_matrix((np.ones(len(edges)), (edges["doc"], edges["neighbour"])),
                          shape=(n, n))
    return connected_components(graph, directed=True, connection="weak")[1]


def _average_split(x: sp.csr_matrix, labels: np.ndarray, edges: pd.DataFrame, *,
                   min_average: float, threshold: float, max_component: int,
                   threads: int = 1) -> np.ndarray:
    """Split each component by average linkage cut at mean cosine ``min_average``.

    Labels are numbered in no particular order (:func:`group_stories` renumbers the
    stories by size and first row). The cosines of a component's articles are the
    entries of :math:`X_c X_c^\\top`, from scipy's sparse product as before; small
    components are multiplied :data:`_GRAM_ROWS` rows at a time, side by side (their
    blocks on the diagonal are kept), and a component larger than :data:`_GRAM_BLOCK`
    rows by blocks of rows against the rows after them only (the distances linkage
    reads), on ``threads`` threads. A component of two articles is one story when
    their distance is at most ``1 - min_average``, as linkage and ``fcluster`` decide.
    """
    n = len(labels)
    out = np.full(n, -1, dtype=np.int64)
    sizes = np.bincount(labels)
    grouped = np.argsort(labels, kind="stable")  # each component's rows, in row order
    ends = np.cumsum(sizes)
    todo = [(grouped[e - m:e], threshold) for e, m in zip(ends, sizes) if m > 1]
    cut = 1.0 - min_average
    pieces: list[np.ndarray] = []
    while todo:  # too large for a dense matrix: stricter links within, first
        rows, thr = todo.pop()
        if len(rows) <= max_component:
            pieces.append(rows)
            continue
        inner = edges[np.isin(edges["doc"], rows) & np.isin(edges["neighbour"], rows)
                      & (edges["similarity"] >= thr + 0.05)]
        local = pd.DataFrame({"doc": np.searchsorted(rows, inner["doc"]),
                              "neighbour": np.searchsorted(rows, inner["neighbour"])})
        sub = _components(local, len(rows))
        todo += [(rows[sub == c], thr + 0.05) for c in np.unique(sub)]
    nxt = 0
    for rows, dist in _condensed_distances(x, pieces, threads=threads):
        if len(rows) == 1:
            found = np.ones(1, dtype=np.int64)
        elif len(rows) == 2:
            found = np.array([1, 1 if dist[0] <= cut else 2])
        else:
            tree = hierarchy.linkage(dist, method="average")
            found = hierarchy.fcluster(tree, t=cut, criterion="distance")
        out[rows] = nxt + found - 1
        nxt += int(found.max())
    alone = out < 0
    out[alone] = nxt + np.arange(int(alone.sum()))
    return out


def _condensed_distances(x: sp.csr_matrix, pieces: list[np.ndarray], *, threads: int
                         ) -> Any:
    """``(rows, condensed distances)`` of each piece: :math:`\\mathrm{clip}(1 - \\cos, 0, 2)`
    for the pairs ``i < j`` in row-major order (:func:`scipy.spatial.distance.squareform`'s
    order), from the same sparse products as ``x[rows] @ x[rows].T``. Batches of small
    pieces run on ``threads`` threads (scipy's product releases the GIL), a large piece's
    row blocks too."""
    if not pieces:
        return
    xs = x[np.concatenate(pieces)]
    bounds = np.concatenate([[0], np.cumsum([len(p) for p in pieces])])
    batches, large = [], []
    i = 0
    while i < len(pieces):
        j = i + 1
        while j < len(pieces) and bounds[j + 1] - bounds[i] <= _GRAM_ROWS:
            j += 1
        (large if bounds[j] - bounds[i] > _GRAM_BLOCK else batches).append((i, j))
        i = j

    def batch(span: tuple[int, int]) -> list[tuple[np.ndarray, np.ndarray]]:
        i, j = span
        a, b = int(bounds[i]), int(bounds[j])
        gram = (xs[a:b] @ xs[a:b].T).toarray()
        out = []
        for p in range(i, j):
            s, e = int(bounds[p]) - a, int(bounds[p + 1]) - a
            dist = 1.0 - gram[s:e, s:e][np.triu_indices(e - s, 1)]
            out.append((pieces[p], np.clip(dist, 0.0, 2.0, out=dist)))
        return out

    for i, _ in large:  # one piece each: blocks of its upper triangle
        yield pieces[i], _upper_distances(xs[int(bounds[i]):int(bounds[i + 1])], threads=threads)
    if threads > 1 and len(batches) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            for done in pool.map(batch, batches):
                yield from done
    else:
        for span in batches:
            yield from batch(span)


def _upper_distances(xc: sp.csr_matrix, *, threads: int) -> np.ndarray:
    """Condensed distances of the rows of ``xc``, :data:`_GRAM_BLOCK` rows at a time
    against the rows from themselves on (row ``i``'s pairs with ``j > i`` are one run)."""
    m = xc.shape[0]
    starts = list(range(0, m, _GRAM_BLOCK))
    offset = [a * m - a * (a + 1) // 2 for a in starts]  # where row a's pairs begin
    dist = np.empty(m * (m - 1) // 2)

    def block(t: int) -> None:
        a = starts[t]
        b = min(a + _GRAM_BLOCK, m)
        gram = (xc[a:b] @ xc[a:].T).toarray()
        upper = np.arange(m - a)[None, :] > np.arange(b - a)[:, None]
        seg = dist[offset[t]:offset[t] + int(upper.sum())]
        np.subtract(1.0, gram[upper], out=seg)

    if threads > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(block, range(len(starts))))
    else:
        for t in range(len(starts)):
            block(t)
    return np.clip(dist, 0.0, 2.0, out=dist)
