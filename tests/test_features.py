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


@pytest.mark.parametrize("hide_sparse_dot_topn", [False, True])
def test_nearest_neighbours_are_the_exact_top_k(monkeypatch: pytest.MonkeyPatch,
                                                hide_sparse_dot_topn: bool) -> None:
    import sys

    if hide_sparse_dot_topn:  # the scikit-learn path must give the same answer
        monkeypatch.setitem(sys.modules, "sparse_dot_topn", None)
    x = _neighbour_matrix()
    labels = pd.Index([f"a{i}" for i in range(x.shape[0])], name="outlet")
    res = TfidfResult(matrix=x, terms=np.array([f"t{j}" for j in range(x.shape[1])]),
                      labels=labels, vectorizer=None)  # type: ignore[arg-type]
    nn = nearest_neighbours(res, k=4, n_jobs=2)
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
