"""Facts about framelens.neighbours: the window and exact searches against a dense search by
hand, ties broken by row number at the k-th place, and results that do not depend on the
chunking or the threads."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.neighbours import exact_topk, unit_rows, window_topk


def dense_window(x: np.ndarray, days: np.ndarray, *, window: float, k: int, threshold: float,
                 undated: str) -> list[tuple[int, int, float]]:
    """Each row's k best (similarity desc, row asc) rows of its window, by hand; rows with
    fewer positive similarities filled with the lowest-numbered rows of the window at 0."""
    norms = np.linalg.norm(x, axis=1)
    unit = x / np.where(norms > 0, norms, 1.0)[:, None]
    # pair by pair, so that copies of a row get exactly equal cosines (a matrix product may
    # sum their lanes in another order)
    s = np.array([[max(float(u @ v), 0.0) for v in unit] for u in unit])
    out = []
    for i in range(len(x)):
        if np.isnan(days[i]):
            if undated == "alone":
                continue
            cand = [j for j in range(len(x)) if j != i and np.isnan(days[j])]
        else:
            cand = [j for j in range(len(x)) if j != i and abs(days[i] - days[j]) <= window]
        best = sorted(cand, key=lambda j: (-s[i, j], j))[:k]
        out += [(i, j, s[i, j]) for j in best if s[i, j] >= threshold]
    return out


def random_rows(seed: int, n: int = 30, twins: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Sparse positive rows, some repeated (exact ties), some empty, and their days."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 12)) * (rng.random((n, 12)) < 0.35)
    for _ in range(twins):  # copies of a row: equal cosines with every other row
        a, b = rng.choice(n, size=2, replace=False)
        x[b] = x[a]
    x[rng.integers(n)] = 0.0  # a row with no terms: similar to nothing
    days = rng.integers(0, 6, n).astype(float)
    days[rng.random(n) < 0.25] = np.nan
    return x, days


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.integers(1, 8), window=st.sampled_from([0, 1, 2.5]),
       threshold=st.sampled_from([0.0, 0.3]), undated=st.sampled_from(["block", "alone"]),
       chunk=st.sampled_from([1, 3, 128]), n_jobs=st.sampled_from([None, 2]))
def test_window_search_is_the_dense_search_by_hand(seed: int, k: int, window: float,
                                                   threshold: float, undated: str, chunk: int,
                                                   n_jobs: int | None) -> None:
    x, days = random_rows(seed)
    got = window_topk(sp.csr_matrix(x), days, window=window, k=k, threshold=threshold,
                      undated=undated, chunk_size=chunk, n_jobs=n_jobs)
    want = dense_window(x, days, window=window, k=k, threshold=threshold, undated=undated)
    assert [(int(i), int(j)) for i, j in got[:, :2]] == [(i, j) for i, j, _ in want]
    assert np.allclose(got[:, 2], [v for _, _, v in want], rtol=0, atol=1e-12)
    gap = np.abs(days[got[:, 0].astype(int)] - days[got[:, 1].astype(int)])
    assert np.array_equal(got[:, 3], np.nan_to_num(gap, nan=0.0))


def test_equal_cosines_keep_the_lowest_rows_whatever_the_chunk() -> None:
    # row 0 and six copies of one row (rows 1-6) that are all equally like row 0, on one day
    x = np.zeros((8, 3))
    x[0] = [1.0, 1.0, 0.0]
    x[1:7] = [1.0, 0.0, 0.0]
    x[7] = [0.0, 0.0, 1.0]
    days = np.zeros(8)
    for chunk in (1, 2, 128):
        got = window_topk(sp.csr_matrix(x), days, window=0, k=3, chunk_size=chunk)
        assert got[got[:, 0] == 0, 1].tolist() == [1.0, 2.0, 3.0]  # 1-6 tie: the lowest three
        # row 7 shares no term: filled with the lowest-numbered rows at cosine 0
        assert got[got[:, 0] == 7, 1].tolist() == [0.0, 1.0, 2.0]
        assert got[got[:, 0] == 7, 2].tolist() == [0.0, 0.0, 0.0]


def test_exact_search_breaks_a_tie_at_the_kth_place_by_row_number() -> None:
    # rows 1..9 are copies, equally like row 0 (cosine 1/sqrt 2); row 10 is further
    x = np.zeros((11, 3))
    x[0] = [1.0, 1.0, 0.0]
    x[1:10] = [1.0, 0.0, 0.0]
    x[10] = [1.0, 0.0, 3.0]
    nbr, sim = exact_topk(sp.csr_matrix(x[::-1]), k=2)  # reversed: copies are rows 1..9
    assert nbr[10].tolist() == [1, 2]
    assert np.allclose(sim[10], [2 ** -0.5] * 2)
    nbr, _ = exact_topk(sp.csr_matrix(x), k=3)
    assert nbr[0].tolist() == [1, 2, 3]
    assert nbr[5].tolist() == [1, 2, 3]  # its copies first (cosine 1), lowest rows of the tie


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.integers(1, 6))
def test_exact_search_is_the_window_search_without_dates(seed: int, k: int) -> None:
    x, _ = random_rows(seed, twins=8)
    nbr, sim = exact_topk(sp.csr_matrix(x), k=k, n_jobs=2)
    got = window_topk(sp.csr_matrix(x), np.zeros(len(x)), window=0, k=k)
    assert nbr.ravel().tolist() == got[:, 1].astype(int).tolist()
    assert np.allclose(sim.ravel(), got[:, 2], rtol=0, atol=1e-12)


def test_rows_normalised_once_are_used_as_given() -> None:
    rng = np.random.default_rng(3)
    x = sp.csr_matrix(rng.random((40, 9)) * (rng.random((40, 9)) < 0.5))
    unit = unit_rows(x)
    days = rng.integers(0, 4, 40).astype(float)
    assert np.array_equal(window_topk(x, days, window=1, k=4),
                          window_topk(unit, days, window=1, k=4, normalise=False))
    assert np.array_equal(exact_topk(x, k=4)[1], exact_topk(unit, k=4, normalise=False)[1])
    norms = np.sqrt(np.asarray(unit.multiply(unit).sum(axis=1)).ravel())
    assert np.allclose(norms[norms > 0], 1.0)
