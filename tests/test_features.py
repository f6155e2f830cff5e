"""Facts about framelens.features on tiny literal corpora."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens.features import (
    TfidfResult,
    article_labels,
    nearest_neighbours,
    outlet_means,
    plot_similarity,
    similarity,
    tfidf,
    top_terms,
)
from framelens.notes import NotEnoughData

DOCS = pd.DataFrame(
    {
        "outlet": ["Alpha", "Beta", "Gamma", "Delta"],
        "text": [
            "Kyiv asks NATO for an invitation",
            "Kyiv asks NATO for an invitation",
            "Heavy rain and snow in the mountains",
            "Kyiv asks NATO allies for weapons",
        ],
        "text_raw": ["a1 b1", "a1 b1", "c1 d1", "a1 e1"],
    }
)


def test_tfidf_is_sparse_and_labelled_by_outlet() -> None:
    r = tfidf(DOCS)
    assert isinstance(r, TfidfResult)
    assert sp.issparse(r.matrix)
    assert r.matrix.shape == (4, len(r.terms))
    assert list(r.labels) == ["Alpha", "Beta", "Gamma", "Delta"]
    assert r.labels.name == "outlet"
    assert "invitation" in set(r.terms)
    # l2 norm: every row has unit length
    assert np.allclose(np.sqrt(r.matrix.multiply(r.matrix).sum(axis=1)), 1.0)


def test_tfidf_text_col_selects_the_column() -> None:
    r = tfidf(DOCS, text_col="text_raw")
    assert sorted(r.terms) == ["a1", "b1", "c1", "d1", "e1"]


def test_tfidf_accepts_plain_list_and_series() -> None:
    r = tfidf(["nato kyiv", "rain snow"])
    assert list(r.labels) == ["doc 0", "doc 1"]
    s = pd.Series(["nato kyiv", "rain snow"], index=["x", "y"])
    assert list(tfidf(s).labels) == ["x", "y"]


def test_tfidf_idf_formula_smoothed() -> None:
    # 'kyiv' in 2 of 3 documents: idf = ln((1+3)/(1+2)) + 1
    r = tfidf(["kyiv nato", "kyiv rain", "snow rain"], norm=None)
    col = list(r.terms).index("kyiv")
    assert r.matrix[0, col] == pytest.approx(np.log(4 / 3) + 1)


def test_sublinear_tf_dampens_repetition() -> None:
    docs = ["nato nato nato nato kyiv", "rain snow"]
    raw = tfidf(docs, norm=None, use_idf=False)
    sub = tfidf(docs, norm=None, use_idf=False, sublinear_tf=True)
    col = list(raw.terms).index("nato")
    assert raw.matrix[0, col] == pytest.approx(4.0)
    assert sub.matrix[0, col] == pytest.approx(1 + np.log(4))


def test_bigrams_and_stop_words() -> None:
    r = tfidf(["the russian president spoke", "the rain fell"], ngram_range=(1, 2),
              stop_words="english")
    assert "russian president" in set(r.terms)
    assert "the" not in set(r.terms)


def test_identical_docs_have_similarity_one_and_disjoint_zero() -> None:
    sim = similarity(DOCS)
    assert sim.loc["Alpha", "Beta"] == pytest.approx(1.0)
    assert sim.loc["Alpha", "Gamma"] == pytest.approx(0.0)
    assert 0.0 < sim.loc["Alpha", "Delta"] < 1.0
    assert sim.index.name == "outlet" and sim.columns.name == "outlet"
    assert np.allclose(sim.to_numpy(), sim.to_numpy().T)
    assert np.allclose(np.diag(sim.to_numpy()), 1.0)


def test_similarity_refuses_large_dense_tables() -> None:
    with pytest.raises(ValueError, match="nearest_neighbours"):
        similarity(["a1 b1", "a1 c1", "c1 d1"], max_docs=2)


def test_nearest_neighbours_finds_the_twin() -> None:
    nn = nearest_neighbours(DOCS, k=1)
    first = dict(zip(nn["outlet"], nn["neighbour_outlet"]))
    assert first["Alpha"] == "Beta"
    assert first["Beta"] == "Alpha"
    assert first["Delta"] in {"Alpha", "Beta"}
    assert nn.loc[nn["outlet"] == "Alpha", "similarity"].iloc[0] == pytest.approx(1.0)
    assert (nn["outlet"] != nn["neighbour_outlet"]).all()


def test_top_terms_tidy_and_ordered() -> None:
    tt = top_terms(["nato nato nato kyiv", "rain snow snow"], n=2)
    assert list(tt.columns) == ["outlet", "rank", "term", "weight"]
    assert tt[tt["outlet"] == "doc 0"]["term"].tolist() == ["nato", "kyiv"]
    assert tt.groupby("outlet")["weight"].apply(lambda w: w.is_monotonic_decreasing).all()


@pytest.mark.parametrize(
    ("kwargs", "bad"),
    [
        ({"stop_words": "french"}, "'french'"),
        ({"norm": "l3"}, "'l3'"),
        ({"ngram_range": (2, 1)}, "(2, 1)"),
        ({"min_df": 1.5}, "1.5"),
        ({"max_df": 0}, "0"),
        ({"sublinear_tf": "yes"}, "'yes'"),
        ({"text_col": "body"}, "'body'"),
    ],
)
def test_invalid_settings_name_the_bad_value(kwargs: dict, bad: str) -> None:
    with pytest.raises(ValueError) as info:
        tfidf(DOCS, **kwargs)
    assert bad in str(info.value)


def test_one_document_is_refused() -> None:
    with pytest.raises(NotEnoughData, match="needs at least 2 articles; got 1"):
        tfidf(["only one"])


def test_empty_vocabulary_gets_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no terms to count in 2 documents"):
        tfidf(["", "  "])
    with pytest.raises(ValueError, match="no terms to count"):
        tfidf(["the of and", "a the"], stop_words="english")


def test_missing_text_is_named() -> None:
    df = pd.DataFrame({"outlet": ["A", "B"], "text": ["words here", None]})
    with pytest.raises(TypeError, match="'B'"):
        tfidf(df)


def test_plot_similarity_annotates_and_titles_the_closest_pair() -> None:
    sim = similarity(DOCS)
    ax = plot_similarity(sim)
    assert ax.get_title().startswith("Alpha and Beta are the closest pair")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Alpha", "Beta", "Gamma", "Delta"]
    assert "1.00" in [t.get_text() for t in ax.texts]
    assert len(ax.texts) == 12  # off-diagonal cells only
    plt.close(ax.figure)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=2, max_size=5))
def test_similarity_bounded_symmetric_for_any_text(texts: list[str]) -> None:
    try:
        sim = similarity(texts)
    except ValueError as err:
        assert "no terms to count" in str(err)
        return
    v = sim.to_numpy()
    assert ((v >= 0) & (v <= 1 + 1e-12)).all()
    assert np.allclose(v, v.T)
    assert np.allclose(np.diag(v), 1.0)


# --- too-small corpora and outlets with several articles ------------------------------------

def test_empty_vocabulary_is_a_plain_not_enough_data() -> None:
    with pytest.raises(NotEnoughData, match="no terms to count in 2 documents"):
        tfidf(["the of and", "to a is"], stop_words="english")


def test_article_labels_add_the_id_only_where_an_outlet_repeats() -> None:
    corpus = pd.DataFrame({"doc_id": ["Ünï 1", "Ünï 2", "solo"],
                           "outlet": ["Daily Ü", "Daily Ü", "Solo Post"], "text": ["x"] * 3})
    got = article_labels(corpus)
    assert got["article"].tolist() == ["Daily Ü · Ünï 1", "Daily Ü · Ünï 2", "Solo Post"]
    assert "article" not in corpus.columns  # a copy, the input is left alone


def test_article_labels_refuse_repeated_ids() -> None:
    corpus = pd.DataFrame({"doc_id": ["a", "a"], "outlet": ["A", "B"]})
    with pytest.raises(ValueError, match="'doc_id' must be unique"):
        article_labels(corpus)


def test_outlet_means_average_article_pairs_within_and_between() -> None:
    sim = pd.DataFrame([[1.0, 0.8, 0.2, 0.4], [0.8, 1.0, 0.6, 0.0],
                        [0.2, 0.6, 1.0, 0.5], [0.4, 0.0, 0.5, 1.0]],
                       index=["a1", "a2", "b1", "c1"], columns=["a1", "a2", "b1", "c1"])
    got = outlet_means(sim, {"a1": "A", "a2": "A", "b1": "B", "c1": "C"})
    assert got.loc["A", "A"] == pytest.approx(0.8)        # the one pair of different A articles
    assert got.loc["A", "B"] == pytest.approx((0.2 + 0.6) / 2)
    assert got.loc["A", "C"] == pytest.approx((0.4 + 0.0) / 2)
    assert np.isnan(got.loc["B", "B"])                     # one article: no within pair
    assert list(got.index) == ["A", "B", "C"] and got.index.name == "outlet"


def test_outlet_means_from_a_labelled_corpus() -> None:
    corpus = article_labels(pd.DataFrame({
        "doc_id": ["1", "2", "3"], "outlet": ["A", "A", "B"],
        "text": ["nato kyiv summit", "nato kyiv talks", "rain snow storm"]}))
    sim = similarity(corpus, label_col="article")
    got = outlet_means(sim, corpus)
    assert got.loc["A", "A"] > got.loc["A", "B"]
    with pytest.raises(ValueError, match="no outlet for article label"):
        outlet_means(sim, {"A · 1": "A"})


def test_plot_similarity_within_states_which_outlets_hang_together() -> None:
    m = pd.DataFrame([[0.1, 0.3], [0.3, np.nan]], index=["A", "B"], columns=["A", "B"])
    ax = plot_similarity(m, within=True)
    assert ax.get_title() == ("No outlet's articles are more alike among themselves than to "
                              "other outlets' (1 compared)")
    assert "0.10" in [t.get_text() for t in ax.texts]  # the diagonal is drawn
    plt.close("all")


def test_plot_similarity_of_one_outlet_is_a_plain_message() -> None:
    with pytest.raises(NotEnoughData, match="at least 2 x 2"):
        plot_similarity(pd.DataFrame([[1.0]], index=["A"], columns=["A"]))


def test_plot_similarity_of_many_articles_stays_readable() -> None:
    n = 40
    sim = pd.DataFrame(np.eye(n), index=[f"d{i}" for i in range(n)], columns=[f"d{i}" for i in range(n)])
    ax = plot_similarity(sim)
    width, height = ax.figure.get_size_inches()
    assert width <= 13 and height <= 11
    assert len(ax.texts) == 0  # 1,560 numbers would not fit: none are written
    plt.close("all")


# --------------------------------------------------------------------------- exact top-k
def _exact_neighbours(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Brute force on a dense matrix: each row's k most cosine-similar other rows,
    ties by row number, rows similar to fewer than k others filled with the
    lowest-numbered remaining rows at similarity 0 (the documented contract)."""
    norms = np.linalg.norm(x, axis=1)
    unit = x / np.where(norms > 0, norms, 1.0)[:, None]
    s = np.clip(unit @ unit.T, 0.0, 1.0)
    nbr, sim = [], []
    for i in range(len(x)):
        cand = sorted((-s[i, j], j) for j in range(len(x)) if j != i and s[i, j] > 1e-12)[:k]
        rows = [j for _, j in cand]
        rows += [j for j in range(len(x)) if j != i and j not in rows][:k - len(rows)]
        nbr.append(rows)
        sim.append([s[i, j] for j in rows])
    return np.array(nbr), np.array(sim)


def _neighbour_matrix() -> sp.csr_matrix:
    rng = np.random.default_rng(7)
    x = sp.random(120, 60, density=0.08, random_state=rng, format="lil")
    x[1] = x[0]  # a twin: similarity 1
    x[5] = 0  # an empty document: similar to nothing
    x[9] = 0
    x[9, 59] = 1.0  # a document whose only term nobody else has
    x[:, 59] = 0
    x[9, 59] = 1.0
    return sp.csr_matrix(x)


@pytest.mark.parametrize("method", ["auto", "exact"])
@pytest.mark.parametrize("hide_sparse_dot_topn", [False, True])
def test_nearest_neighbours_are_the_exact_top_k(monkeypatch: pytest.MonkeyPatch,
                                                hide_sparse_dot_topn: bool, method: str) -> None:
    import sys

    if hide_sparse_dot_topn:  # the scikit-learn path must give the same answer
        monkeypatch.setitem(sys.modules, "sparse_dot_topn", None)
    x = _neighbour_matrix()
    labels = pd.Index([f"a{i}" for i in range(x.shape[0])], name="outlet")
    res = TfidfResult(matrix=x, terms=np.array([f"t{j}" for j in range(x.shape[1])]),
                      labels=labels, vectorizer=None)  # type: ignore[arg-type]
    nn = nearest_neighbours(res, k=4, n_jobs=2, method=method)
    want_rows, want_sims = _exact_neighbours(x.toarray(), 4)
    assert nn["neighbour_row"].to_numpy().reshape(-1, 4).tolist() == want_rows.tolist()
    assert np.allclose(nn["similarity"].to_numpy().reshape(-1, 4), want_sims, atol=1e-12)
    assert nn.loc[nn["row"] == 0, "neighbour_row"].iloc[0] == 1
    assert nn.loc[nn["row"] == 5, "neighbour_row"].tolist() == [0, 1, 2, 3]
    assert (nn.loc[nn["row"].isin([5, 9]), "similarity"] == 0).all()
    assert nn["rank"].tolist() == [1, 2, 3, 4] * x.shape[0]
    assert nn["neighbour_outlet"].iloc[0] == "a1"


def test_nearest_neighbours_rejects_bad_n_jobs() -> None:
    with pytest.raises(ValueError, match="n_jobs=0"):
        nearest_neighbours(DOCS, k=1, n_jobs=0)


def test_nearest_neighbours_row_blocks_agree_with_scikit_learn(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    pytest.importorskip("sparse_dot_topn")
    x = sp.random(4500, 300, density=0.02, random_state=np.random.default_rng(3), format="csr")
    res = TfidfResult(matrix=x, terms=np.array([f"t{j}" for j in range(300)]),
                      labels=pd.Index([f"a{i}" for i in range(4500)], name="outlet"),
                      vectorizer=None)  # type: ignore[arg-type]
    fast = nearest_neighbours(res, k=3, n_jobs=2)  # three row blocks of sparse_dot_topn
    monkeypatch.setitem(sys.modules, "sparse_dot_topn", None)
    slow = nearest_neighbours(res, k=3)
    assert np.allclose(fast["similarity"], slow["similarity"], atol=1e-12)
    same = (fast["neighbour_row"] == slow["neighbour_row"]).mean()
    assert same > 0.99  # the rest: ties at the k-th place (equal similarity, above)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.text(min_size=1, max_size=8)),
                min_size=1, max_size=8, unique_by=lambda t: t[0]))
def test_article_labels_are_unique_and_start_with_the_outlet(rows: list[tuple[str, str]]) -> None:
    corpus = pd.DataFrame({"doc_id": [d for d, _ in rows], "outlet": [o for _, o in rows]})
    labels = article_labels(corpus)["article"]
    assert labels.is_unique
    assert all(lab.startswith(o) for lab, o in zip(labels, corpus["outlet"]))
    single = corpus["outlet"].map(corpus["outlet"].value_counts()) == 1
    assert (labels[single] == corpus.loc[single, "outlet"]).all()


def test_article_labels_never_collide_with_an_outlet_name() -> None:
    corpus = pd.DataFrame({"doc_id": ["1", "2", "3"], "outlet": ["A", "A", "A · 1"]})
    assert article_labels(corpus)["article"].tolist() == ["A · 1", "A · 2", "A · 1 · 3"]


# --------------------------------------------------------------------------- neighbour methods
def _result(x: sp.csr_matrix) -> TfidfResult:
    return TfidfResult(matrix=sp.csr_matrix(x), terms=np.array([f"t{j}" for j in range(x.shape[1])]),
                       labels=pd.Index([f"a{i}" for i in range(x.shape[0])], name="outlet"),
                       vectorizer=None)  # type: ignore[arg-type]


def _window_brute_force(x: np.ndarray, days: np.ndarray, window: float, k: int) -> dict:
    """Each row's k most similar rows within the window (dense, by hand): {row: [(nbr, sim)]}."""
    unit = x / np.linalg.norm(x, axis=1)[:, None]
    s = unit @ unit.T
    out = {}
    for i in range(len(x)):
        same = [j for j in range(len(x)) if j != i and (
            (np.isnan(days[i]) and np.isnan(days[j])) or abs(days[i] - days[j]) <= window)]
        best = sorted(same, key=lambda j: (-s[i, j], j))[:k]
        if best:
            out[i] = [(j, s[i, j]) for j in best]
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 5), window=st.sampled_from([0, 1, 2.5]))
def test_window_neighbours_never_leave_the_window(seed: int, k: int, window: float) -> None:
    rng = np.random.default_rng(seed)
    x = rng.random((25, 8)) + 0.01  # random positive weights: every pair similar, no ties
    days = rng.integers(0, 8, size=25).astype(float)
    days[rng.random(25) < 0.2] = np.nan  # some undated: compared with each other only
    dates = [None if np.isnan(d) else f"2024-01-{int(d) + 1:02d}" for d in days]
    nn = nearest_neighbours(_result(sp.csr_matrix(x)), k=k, dates=dates, window_days=window)
    want = _window_brute_force(x, days, window, k)
    got = {i: list(zip(g["neighbour_row"], g["similarity"])) for i, g in nn.groupby("row")}
    assert sorted(got) == sorted(want)
    for i in want:
        assert [j for j, _ in got[i]] == [j for j, _ in want[i]]
        assert np.allclose([v for _, v in got[i]], [v for _, v in want[i]], atol=1e-12)
    gap = np.abs(days[nn["row"]] - days[nn["neighbour_row"]])
    undated = np.isnan(days[nn["row"]])
    assert (gap[~undated] <= window).all() and np.isnan(days[nn["neighbour_row"]][undated]).all()
    assert (nn.groupby("row")["rank"].apply(list) == nn.groupby("row")["rank"].apply(
        lambda r: list(range(1, len(r) + 1)))).all()


def test_window_fills_with_zero_similarity_rows_of_the_window_only() -> None:
    # rows 0-2 on day 0, row 3 alone on day 9: row 0 shares no term with rows 1 and 2
    x = sp.csr_matrix([[1.0, 0, 0], [0, 1.0, 0], [0, 1.0, 1.0], [1.0, 0, 0]])
    nn = nearest_neighbours(_result(x), k=2, dates=["2024-01-01"] * 3 + ["2024-01-10"],
                            method="window")
    assert nn[["row", "neighbour_row"]].values.tolist() == [[0, 1], [0, 2], [1, 2], [1, 0],
                                                            [2, 1], [2, 0]]
    assert nn.loc[nn["row"] == 0, "similarity"].tolist() == [0.0, 0.0]
    assert 3 not in set(nn["row"]) | set(nn["neighbour_row"])  # alone in its window


def test_dates_may_name_a_column_and_auto_picks_the_window() -> None:
    docs = pd.DataFrame({"outlet": ["A", "B", "C"], "text": ["nato kyiv summit", "nato kyiv summit", "nato kyiv"],
                         "date": ["2024-11-29", "2024-11-29", "2024-12-29"]})
    nn = nearest_neighbours(docs, k=1, dates="date")
    assert nn[["outlet", "neighbour_outlet"]].values.tolist() == [["A", "B"], ["B", "A"]]
    exact = nearest_neighbours(docs, k=1, method="exact")  # the date plays no part
    assert exact["outlet"].tolist() == ["A", "B", "C"]
    assert exact["neighbour_outlet"].tolist()[:2] == ["B", "A"]


def test_approximate_finds_the_planted_neighbours() -> None:
    # 60 planted groups of 5 articles: each a shared sparse profile plus noise of its own
    rng = np.random.default_rng(7)
    base = sp.random(60, 2000, density=0.01, random_state=rng, format="csr")
    rows = sp.vstack([base[g] for g in range(60) for _ in range(5)], format="csr")
    noise = sp.random(300, 2000, density=0.004, random_state=rng, format="csr") * 0.5
    res = _result(sp.csr_matrix(rows + noise))
    approx = nearest_neighbours(res, k=4, method="approximate", n_components=64,
                                n_candidates=20)
    exact = nearest_neighbours(res, k=4, method="exact")
    from framelens.neighbours import recall_at_k

    a = approx["neighbour_row"].to_numpy().reshape(-1, 4)
    e = exact["neighbour_row"].to_numpy().reshape(-1, 4)
    assert recall_at_k(e, a) >= 0.95
    group = np.arange(300) // 5
    assert (group[a] == group[:, None]).mean() >= 0.95  # the planted group-mates
    same = a == e
    assert np.allclose(approx["similarity"].to_numpy().reshape(-1, 4)[same],
                       exact["similarity"].to_numpy().reshape(-1, 4)[same], atol=1e-12)


def test_auto_searches_undated_corpora_exactly_up_to_a_size(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    import framelens.features as features

    x = _neighbour_matrix()
    exact = nearest_neighbours(_result(x), k=3)
    assert exact.equals(nearest_neighbours(_result(x), k=3, method="exact"))
    monkeypatch.setattr(features, "EXACT_MAX_DOCS", 5)
    approx = nearest_neighbours(_result(x), k=3, n_components=8)
    assert approx.equals(nearest_neighbours(_result(x), k=3, method="approximate",
                                            n_components=8))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"method": "fast"}, r"method='fast' is not supported; choose one of "
                         r"\['auto', 'window', 'approximate', 'exact'\]"),
    ({"method": "window"}, "method='window' needs dates="),
    ({"dates": ["2024-01-01"]}, "dates has 1 values for 3 documents"),
    ({"dates": "when"}, "dates='when' names no column"),
    ({"window_days": -1}, "window_days=-1 must be a number >= 0"),
    ({"n_candidates": 0}, "n_candidates=0 must be a positive integer"),
])
def test_neighbour_options_are_validated(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nearest_neighbours(["nato kyiv", "nato kyiv summit", "rain snow"], k=1, **kwargs)
