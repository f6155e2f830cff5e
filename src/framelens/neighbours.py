"""Nearest neighbours of sparse rows by cosine: within date windows, approximately, or all pairs.

Three searches for the ``k`` most cosine-similar other rows of a sparse matrix (TF-IDF
rows, L2-normalised so that a dot product is a cosine). Which one runs is the caller's
choice (:func:`framelens.features.nearest_neighbours` picks one with ``method=``):

``window`` (:func:`window_topk`)
    Rows are sorted by date and a row is compared only with the rows dated at most
    ``window_days`` from it, chunk by chunk (sparse product of a chunk of rows with its
    window, dense only ``chunk x window``). The work is
    :math:`\\sum_i |W_i| \\cdot` (cost of a dot product), with :math:`|W_i|` the number of
    articles in row :math:`i`'s window: linear in ``n`` when articles spread over many
    days. The same blocking decides which articles can be one story
    (:func:`framelens.stories.group_stories`), so the neighbours of an article are
    candidates for its story. Undated rows are compared with each other only.
``approximate`` (:func:`approximate_topk`)
    TruncatedSVD (randomised, scikit-learn) reduces the rows to ``n_components`` dense
    dimensions; the reduced rows, L2-normalised, go into a faiss HNSW graph (inner
    product), which returns ``n_candidates`` candidates per row in about
    :math:`O(n \\log n)`; the candidates are re-ranked by their exact sparse cosine, so a
    reported similarity is always exact and only a missed neighbour is an error.
    Recall@10 against the exact search is measured in ``benchmarks/RESULTS.md``.
``exact`` (:func:`exact_topk`)
    Every pair: the sparse product :math:`X X^\\top` row block by row block, keeping only
    each row's ``k + 1`` largest products (``sparse_dot_topn``). Memory grows with
    ``n * k``, the work with :math:`n^2` (the sum over terms of their squared document
    frequency).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from framelens.progress import progress

__all__ = ["n_threads", "unit_rows", "exact_topk", "window_topk", "approximate_topk",
           "recall_at_k", "UNDATED", "WINDOW_CHUNK"]

#: How :func:`window_topk` treats rows without a date.
UNDATED = ("block", "alone")

#: Sort key of a candidate at similarity 0, below any positive similarity and above an
#: excluded pair: ``_ZERO - row / n * _ZERO`` keeps zero-similarity fill in row order.
_ZERO = -1e-9
#: Rows the approximate search's SVD is fitted on (drawn with ``random_state``).
SVD_FIT_ROWS = 20_000
_EXCLUDED = -2.0
#: Rows per chunk of :func:`window_topk` (its dense block is chunk x rows of the window).
WINDOW_CHUNK = 128


def n_threads(n_jobs: int | None) -> int:
    """Threads for ``n_jobs`` (None: 1; -1: every core), or a ValueError naming it.

    Examples
    --------
    >>> n_threads(None), n_threads(2)
    (1, 2)
    """
    if n_jobs is not None and (isinstance(n_jobs, bool) or not isinstance(
            n_jobs, (int, np.integer)) or (n_jobs < 1 and n_jobs != -1)):
        raise ValueError(f"n_jobs={n_jobs!r} must be None, -1 or a positive integer")
    return 1 if n_jobs is None else (os.cpu_count() or 1) if n_jobs == -1 else int(n_jobs)


def unit_rows(matrix: sp.spmatrix) -> sp.csr_matrix:
    """The rows L2-normalised (all-zero rows stay zero), as a new float64 CSR matrix.

    :math:`x_i / \\lVert x_i \\rVert_2`, so the dot product of two rows is their cosine.
    Normalising twice may move a value by one unit in the last place, so the searches
    here take ``normalise=False`` for rows that went through this once.

    Examples
    --------
    >>> unit_rows(sp.csr_matrix([[3.0, 4.0], [0.0, 0.0]])).toarray().tolist()
    [[0.6, 0.8], [0.0, 0.0]]
    """
    return normalize(sp.csr_matrix(matrix, dtype=np.float64), norm="l2", copy=True)


def _untie(x: sp.csr_matrix, xt: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray,
           sims: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The products of every row whose top ``k + 2`` may have cut a tie at the ``k``-th place.

    ``rows``, ``cols``, ``sims``: each row's ``k + 2`` largest products (self included),
    grouped by row. A row that kept ``k + 2`` products was cut; if its ``k``-th largest
    other equals its smallest kept other, a row not kept may share that cosine, so the
    row is multiplied with every row again (rare: exact ties are duplicated texts).
    """
    n = x.shape[0]
    total = np.bincount(rows, minlength=n)
    other = cols != rows
    r, s = rows[other], sims[other]
    order = np.lexsort((-s, r))
    r, s = r[order], s[order]
    starts = np.searchsorted(r, np.arange(n + 1))
    count = np.diff(starts)
    cut = np.flatnonzero((total == k + 2) & (count >= k))
    tied = cut[s[starts[cut] + k - 1] == s[starts[cut] + count[cut] - 1]]
    if not len(tied):
        return rows, cols, sims
    again = (x[tied] @ xt).tocoo()
    drop = np.isin(rows, tied)
    return (np.concatenate([rows[~drop], tied[again.row]]),
            np.concatenate([cols[~drop], again.col.astype(np.int64)]),
            np.concatenate([sims[~drop], np.clip(again.data, 0.0, 1.0)]))


def _ranked(rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, n: int, k: int
            ) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` best (other row, positive similarity) pairs as ``(n, k)`` arrays.

    Ordered by similarity, then row number; a row with fewer than ``k`` positive
    similarities is filled with the lowest-numbered other rows at similarity 0.
    """
    keep = (cols != rows) & (sims > 0)
    rows, cols, sims = rows[keep], cols[keep], sims[keep]
    order = np.lexsort((cols, -sims, rows))
    rows, cols, sims = rows[order], cols[order], sims[order]
    # a row's candidates may repeat (never from exact_topk; possibly from a re-ranking)
    dup = np.zeros(len(rows), dtype=bool)
    dup[1:] = (rows[1:] == rows[:-1]) & (cols[1:] == cols[:-1])
    rows, cols, sims = rows[~dup], cols[~dup], sims[~dup]
    starts = np.searchsorted(rows, np.arange(n))
    rank = np.arange(len(rows)) - starts[rows]
    first = rank < k
    nbr = np.full((n, k), -1, dtype=np.int64)
    sim = np.zeros((n, k), dtype=np.float64)
    nbr[rows[first], rank[first]] = cols[first]
    sim[rows[first], rank[first]] = sims[first]
    for i in np.flatnonzero(nbr[:, -1] < 0):  # fewer than k similar rows: fill with zeros
        have = int((nbr[i] >= 0).sum())
        taken = set(nbr[i, :have].tolist()) | {int(i)}
        fill = [j for j in range(min(n, k + have + 1)) if j not in taken][:k - have]
        nbr[i, have:] = fill
    return nbr, sim


def exact_topk(matrix: sp.spmatrix, *, k: int, n_jobs: int | None = None,
               normalise: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Every row's ``k`` most cosine-similar other rows over all pairs (quadratic).

    The rows are L2-normalised (all-zero rows stay zero), so a dot product is a cosine;
    ``sparse_dot_topn.sp_matmul_topn`` multiplies :math:`X X^\\top` row block by row block
    keeping only each row's ``k + 1`` largest products, on ``n_jobs`` threads, never
    holding a dense block. Without that package, scikit-learn's brute-force
    ``NearestNeighbors`` (cosine) gives the same neighbours. The work grows with
    :math:`n^2`. ``normalise=False``: the rows are L2-normalised already (e.g. by
    :func:`unit_rows`) and are used as given.

    With ``sparse_dot_topn``, ties are broken by row number also at the ``k``-th place:
    it keeps ``k + 2`` products per row, and a row whose ``k``-th other ties with its last
    kept other (more rows may share that cosine) is multiplied with every row again.
    (scikit-learn's dense distances may part the cosines of copies of a row by a unit in
    the last place, so there a tie at the ``k``-th place goes either way.)

    Returns
    -------
    (neighbours, similarities) : two ``(n, k)`` arrays
        Within a row by similarity, then row number; a row with fewer than ``k``
        positive similarities is filled with the lowest-numbered other rows at 0.

    Examples
    --------
    >>> nbr, sim = exact_topk(sp.csr_matrix([[1.0, 0], [1.0, 0.1], [0, 1.0]]), k=1)
    >>> nbr.ravel().tolist(), sim.ravel().round(3).tolist()
    ([1, 0, 1], [0.995, 0.995, 0.1])
    """
    x = unit_rows(matrix) if normalise else sp.csr_matrix(matrix)
    n = x.shape[0]
    threads = n_threads(n_jobs)
    try:
        from sparse_dot_topn import sp_matmul_topn
    except ImportError:
        sp_matmul_topn = None
    if sp_matmul_topn is not None:
        xt = x.T.tocsr()
        step = max(2000, -(-n // 20))  # row blocks, for a progress bar on long runs
        blocks = range(0, n, step)
        prod = sp.vstack([sp.csr_matrix(sp_matmul_topn(
            x[a:a + step], xt, top_n=k + 2, n_threads=None if threads == 1 else threads))
            for a in progress(blocks, desc="neighbours", unit="block",
                              enabled=None if len(blocks) > 2 else False)], format="csr")
        rows = np.repeat(np.arange(n), np.diff(prod.indptr))
        cols = prod.indices.astype(np.int64)
        sims = np.clip(prod.data, 0.0, 1.0)
        rows, cols, sims = _untie(x, xt, rows, cols, sims, k)
    else:
        model = NearestNeighbors(n_neighbors=min(k + 1, n), metric="cosine", algorithm="brute",
                                 n_jobs=threads)
        dist, idx = model.fit(x).kneighbors(x)
        rows = np.repeat(np.arange(n), idx.shape[1])
        cols = idx.ravel().astype(np.int64)
        sims = np.clip(1.0 - dist.ravel(), 0.0, 1.0)
    return _ranked(rows, cols, sims, n, k)


def _pair_cosines(x: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, *,
                  step: int = 100_000) -> np.ndarray:
    """Exact dot products of the row pairs ``(rows[i], cols[i])`` of ``x``, in steps."""
    out = np.empty(len(rows))
    for a in range(0, len(rows), step):
        prod = x[rows[a:a + step]].multiply(x[cols[a:a + step]])
        out[a:a + step] = np.asarray(prod.sum(axis=1)).ravel()
    return np.clip(out, 0.0, 1.0)


def approximate_topk(matrix: sp.spmatrix, *, k: int, n_components: int = 512,
                     n_candidates: int = 200, random_state: int = 0,
                     n_jobs: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every row's ``k`` most cosine-similar rows, approximately, in about ``n log n``.

    1. :class:`~sklearn.decomposition.TruncatedSVD` (randomised, 3 power iterations,
       ``random_state``), fitted on at most :data:`SVD_FIT_ROWS` rows drawn at random
       and applied to every row (so its cost stays linear in ``n``), reduces the rows
       to ``d = min(n_components, n_terms - 1, rows fitted - 1)`` dense dimensions
       (latent semantic analysis), L2-normalised.
    2. A faiss HNSW graph (``IndexHNSWFlat``, inner product, 32 links per node,
       ``efConstruction=80``, ``efSearch=max(2 * n_candidates, 64)``) returns each
       row's ``n_candidates`` nearest reduced rows. Without faiss, scikit-learn's
       brute-force search on the reduced rows does (exact in the reduced space,
       quadratic but dense).
    3. The candidates are re-ranked by their exact cosine in the sparse matrix:
       similarities are exact; a true neighbour that is not among the candidates is
       missed (recall below 1).

    Returns
    -------
    (neighbours, similarities) : two ``(n, k)`` arrays, as :func:`exact_topk`.

    Examples
    --------
    >>> x = sp.csr_matrix(np.eye(6) + np.eye(6, k=1))
    >>> approximate_topk(x, k=1, n_components=4)[0].ravel().tolist()
    [1, 0, 1, 2, 5, 4]
    """
    from sklearn.decomposition import TruncatedSVD

    x = unit_rows(matrix)
    n, m = x.shape
    threads = n_threads(n_jobs)
    fit_rows = min(n, SVD_FIT_ROWS)
    d = max(1, min(int(n_components), m - 1, fit_rows - 1))
    if d < min(fit_rows, m):
        svd = TruncatedSVD(n_components=d, n_iter=3, random_state=random_state)
        rng = np.random.default_rng(random_state)
        svd.fit(x[np.sort(rng.choice(n, size=fit_rows, replace=False))] if fit_rows < n else x)
        z = svd.transform(x)
    else:
        z = x.toarray()
    z = np.ascontiguousarray(normalize(z), dtype=np.float32)
    c = min(int(n_candidates) + 1, n)
    try:
        import faiss
    except ImportError:
        faiss = None
    if faiss is not None:
        faiss.omp_set_num_threads(threads)
        index = faiss.IndexHNSWFlat(z.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = max(2 * c, 64)
        index.add(z)
        _, idx = index.search(z, c)
    else:
        model = NearestNeighbors(n_neighbors=c, metric="cosine", algorithm="brute",
                                 n_jobs=threads)
        idx = model.fit(z).kneighbors(z, return_distance=False)
    rows = np.repeat(np.arange(n), idx.shape[1])
    cols = idx.ravel().astype(np.int64)
    ok = cols >= 0  # faiss marks a missing candidate with -1
    rows, cols = rows[ok], cols[ok]
    return _ranked(rows, cols, _pair_cosines(x, rows, cols), n, k)


def window_topk(matrix: sp.spmatrix, days: np.ndarray, *, window: float, k: int,
                threshold: float = 0.0, undated: str = "block",
                chunk_size: int = WINDOW_CHUNK, n_jobs: int | None = None,
                desc: str = "neighbours", normalise: bool = True) -> np.ndarray:
    """Each row's ``k`` most cosine-similar rows among those dated within ``window`` days.

    Rows are sorted by day; each chunk of ``chunk_size`` rows is multiplied with the
    rows whose day lies within ``window`` of the chunk's first and last day (scipy's
    sparse product, then a dense ``chunk x window`` block), and pairs more than
    ``window`` days apart are set aside, so a neighbour never leaves the window. The
    work is about ``n * (chunk_size + rows in a window)`` dot products, so a chunk
    near the number of rows in a window costs least: the default, 128 rows, took 1.2
    CPU s on 33,147 dated news articles (11.5 a day), 1,000 rows took 3.6.
    Undated rows (``days`` NaN) are compared with each other only
    (``undated="block"``: all their pairs, by :func:`exact_topk`) or with nobody
    (``"alone"``). Chunks run on ``n_jobs`` threads (scipy's sparse product releases
    the GIL) and come back in order, so the result does not depend on the number of
    threads, nor on ``chunk_size``.

    Parameters
    ----------
    matrix : sparse matrix
        One row per document; L2-normalised here unless ``normalise=False`` (rows
        normalised already, e.g. by :func:`unit_rows`).
    days : array of float
        Day number of each row (NaN: undated).
    window : float
        Largest difference in days between a row and its neighbours.
    k : int
        Neighbours kept per row (fewer when its window holds fewer other rows).
    threshold : float, default 0
        Keep a pair only when its cosine is at least this; the ``k`` best are chosen
        first, so the pairs kept at a threshold are those kept at 0 with a cosine at
        least the threshold.
    undated, chunk_size, n_jobs, normalise
        As above.

    Returns
    -------
    ndarray of shape (m, 4)
        Columns row, neighbour row, cosine, days apart; sorted by row, then descending
        cosine, then neighbour row. Equal cosines are broken by row number also at the
        ``k``-th place (the lowest-numbered rows are kept). Neighbours at cosine 0
        (kept when ``threshold=0``) are the lowest-numbered rows of the window.

    Examples
    --------
    >>> x = sp.csr_matrix([[1.0, 0], [1.0, 0.1], [1.0, 0]])
    >>> window_topk(x, np.array([0.0, 1.0, 9.0]), window=3, k=2)[:, :2].tolist()
    [[0.0, 1.0], [1.0, 0.0]]
    """
    if undated not in UNDATED:
        raise ValueError(f"undated={undated!r} is not supported; choose one of {list(UNDATED)}")
    x = unit_rows(matrix) if normalise else sp.csr_matrix(matrix)
    days = np.asarray(days, dtype=float)
    threads = n_threads(n_jobs)
    parts: list[np.ndarray] = []
    dated = np.flatnonzero(~np.isnan(days))
    order = dated[np.argsort(days[dated], kind="stable")]
    if len(order):
        parts += _window_block(x, order, days[order], window=float(window), k=int(k),
                               threshold=float(threshold), chunk_size=int(chunk_size),
                               threads=threads, desc=desc)
    missing = np.flatnonzero(np.isnan(days))
    kk = min(int(k), len(missing) - 1)
    if undated == "block" and kk >= 1:
        nbr, sim = exact_topk(x[missing], k=kk, n_jobs=n_jobs, normalise=False)
        keep = (sim >= threshold).ravel()
        parts.append(np.column_stack([np.repeat(missing, kk)[keep], missing[nbr.ravel()[keep]],
                                      sim.ravel()[keep], np.zeros(int(keep.sum()))]))
    arr = np.concatenate(parts) if parts else np.empty((0, 4))
    return arr[np.lexsort((arr[:, 1], -arr[:, 2], arr[:, 0]))]


def _window_block(x: sp.csr_matrix, rows: np.ndarray, d: np.ndarray, *, window: float,
                  k: int, threshold: float, chunk_size: int, threads: int, desc: str
                  ) -> list[np.ndarray]:
    """Top-k links at or above ``threshold`` among ``rows`` (sorted by day ``d``)."""
    sub = x[rows]
    n = x.shape[0]
    first = np.searchsorted(d, d - window, side="left")  # each row's window: [first, last)
    last = np.searchsorted(d, d + window, side="right")
    fill = _ZERO * (1.0 + rows / n)  # ties at 0 are broken by row number (lowest first)

    def chunk(a: int) -> np.ndarray | None:
        b = min(a + chunk_size, len(rows))
        lo, hi = int(first[a]), int(last[b - 1])
        width = hi - lo
        kk = min(k, width)
        if kk == 0:
            return None
        sim = (sub[a:b] @ sub[lo:hi].T).toarray()
        np.copyto(sim, np.broadcast_to(fill[lo:hi], sim.shape), where=sim <= 0)
        cols = np.arange(lo, hi)
        out = (cols < first[a:b, None]) | (cols >= last[a:b, None])
        out[np.arange(b - a), np.arange(a, b) - lo] = True  # never a link to oneself
        sim[out] = _EXCLUDED
        if kk < width:
            top = np.argpartition(sim, width - kk, axis=1)[:, width - kk:]
            vals = np.take_along_axis(sim, top, axis=1)
            kth = vals.min(axis=1)
            # an equal cosine left out: keep the lowest-numbered rows of the tie instead
            for i in np.flatnonzero((kth > 0) & ((sim == kth[:, None]).sum(axis=1) >
                                                 (vals == kth[:, None]).sum(axis=1))):
                top[i] = np.lexsort((rows[lo:hi], -sim[i]))[:kk]
                vals[i] = sim[i, top[i]]
        else:
            top = np.broadcast_to(np.arange(width), (b - a, width))
            vals = sim
        cos = np.maximum(vals, 0.0)
        i, j = np.nonzero((vals > _EXCLUDED) & (cos >= threshold))
        return np.column_stack([rows[a + i], rows[lo + top[i, j]], cos[i, j],
                                np.abs(d[a + i] - d[lo + top[i, j]])])

    starts = range(0, len(rows), chunk_size)
    show = None if len(starts) > 5 else False
    if threads > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            found = list(progress(pool.map(chunk, starts), total=len(starts), desc=desc,
                                  unit="chunk", enabled=show))
    else:
        found = [chunk(a) for a in progress(starts, desc=desc, unit="chunk", enabled=show)]
    return [f for f in found if f is not None]


def recall_at_k(exact: np.ndarray, approx: np.ndarray) -> float:
    """Share of each row's exact neighbours that the other search also found, averaged.

    :math:`\\frac{1}{n k} \\sum_i |E_i \\cap A_i|` for ``(n, k)`` arrays of neighbour rows.

    Examples
    --------
    >>> recall_at_k(np.array([[1, 2], [0, 2]]), np.array([[2, 1], [0, 3]]))
    0.75
    """
    exact, approx = np.asarray(exact), np.asarray(approx)
    if exact.shape != approx.shape:
        raise ValueError(f"exact {exact.shape} and approx {approx.shape} differ in shape")
    hits = sum(len(set(e) & set(a)) for e, a in zip(exact.tolist(), approx.tolist()))
    return float(hits) / exact.size if exact.size else 1.0
