"""Facts about framelens.clusters on tiny literal corpora."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from framelens.clusters import (
    bootstrap_terms,
    cluster,
    cooccurrence,
    cuts,
    describe_stability,
    embed_2d,
    linkage_matrix,
    pair_table,
    partitions,
    plot_cooccurrence,
    plot_dendrogram,
    plot_map,
    settings_grid,
)
from framelens.features import article_labels, nearest_neighbours, tfidf
from framelens.notes import NotEnoughData

#: Two obvious groups: war/diplomacy and weather, two articles each, plus raw variants.
GROUPS = pd.DataFrame(
    {
        "outlet": ["War A", "Weather A", "War B", "Weather B"],
        "text": [
            "Kyiv asks NATO for an invitation to join the alliance",
            "Heavy rain and snow fall on the mountains tonight",
            "NATO allies weigh Kyiv request to join the alliance",
            "Snow and heavy rain expected in the mountains",
        ],
        "text_raw": [
            "Share Kyiv asks NATO for an invitation to join the alliance",
            "Share Heavy rain and snow fall on the mountains tonight",
            "Share NATO allies weigh Kyiv request to join the alliance",
            "Share Snow and heavy rain expected in the mountains",
        ],
    }
)


def test_two_obvious_groups_are_recovered() -> None:
    c = cluster(GROUPS, k=2, stop_words="english")
    ids = dict(zip(c["outlet"], c["cluster"]))
    assert ids["War A"] == ids["War B"] == 1
    assert ids["Weather A"] == ids["Weather B"] == 2


@pytest.mark.filterwarnings("ignore:the number of connected components:UserWarning")
def test_large_corpus_path_recovers_groups_too() -> None:
    # max_docs=1 forces the SVD + connectivity path used for big corpora
    war = [f"kyiv nato alliance invitation request w{i}" for i in range(12)]
    weather = [f"rain snow mountains storm forecast r{i}" for i in range(12)]
    c = cluster(war + weather, k=2, max_docs=1, n_components=5, n_neighbors=4)
    assert c["cluster"].iloc[:12].nunique() == 1
    assert c["cluster"].iloc[12:].nunique() == 1
    assert c["cluster"].iloc[0] != c["cluster"].iloc[12]


def test_linkage_merges_identical_docs_at_zero() -> None:
    z = linkage_matrix(["nato kyiv", "nato kyiv", "rain snow"])
    assert z.shape == (2, 4)
    assert z[0, 2] == pytest.approx(0.0)
    assert z[1, 2] == pytest.approx(1.0)


def test_dendrogram_labels_are_outlets() -> None:
    ax = plot_dendrogram(tfidf(GROUPS, stop_words="english"))
    labels = {t.get_text() for t in ax.get_yticklabels()}
    assert labels == set(GROUPS["outlet"])
    assert "merge first" in ax.get_title()
    plt.close(ax.figure)


@pytest.mark.parametrize("method", ["mds", "svd"])
def test_map_places_groups_apart(method: str) -> None:
    m = embed_2d(GROUPS, method=method, stop_words="english").set_index("outlet")
    xy = m[["x", "y"]].to_numpy()
    d = lambda a, b: float(np.linalg.norm(m.loc[a].to_numpy() - m.loc[b].to_numpy()))  # noqa: E731
    assert xy.shape == (4, 2)
    assert d("War A", "War B") < d("War A", "Weather A")
    assert d("Weather A", "Weather B") < d("Weather B", "War B")


def test_map_is_deterministic() -> None:
    a = embed_2d(GROUPS, method="mds", random_state=3)
    b = embed_2d(GROUPS, method="mds", random_state=3)
    pd.testing.assert_frame_equal(a, b)


def test_plot_map_labels_each_point() -> None:
    m = embed_2d(GROUPS, method="svd")
    ax = plot_map(m, clusters=cluster(GROUPS, k=2))
    assert sorted(t.get_text() for t in ax.texts) == sorted(GROUPS["outlet"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["cluster 1", "cluster 2"]
    assert ax.get_title().endswith("sits farthest from the other articles")
    plt.close(ax.figure)


def test_settings_grid_covers_every_combination() -> None:
    g = settings_grid(GROUPS)
    assert g["run"].nunique() == 16
    assert set(g["k"]) == {2, 3}
    assert len(g) == 16 * 2 * 4
    assert set(g["text_col"]) == {"text", "text_raw"}
    # k clusters really are k
    assert (g.groupby(["run", "k"])["cluster"].nunique().reset_index()
            .pipe(lambda t: (t["cluster"] == t["k"]).all()))


def test_settings_grid_names_missing_columns() -> None:
    with pytest.raises(ValueError, match="'text_raw'"):
        settings_grid(GROUPS[["outlet", "text"]])


def _check_cooc(mat: pd.DataFrame) -> None:
    v = mat.to_numpy()
    assert ((v >= 0) & (v <= 1)).all()
    assert np.allclose(v, v.T)
    assert np.allclose(np.diag(v), 1.0)


def test_bootstrap_frequencies_bounded_symmetric_and_deterministic() -> None:
    r = tfidf(GROUPS, stop_words="english")
    b1 = bootstrap_terms(r, n_boot=30, random_state=7)
    b2 = bootstrap_terms(r, n_boot=30, random_state=7)
    pd.testing.assert_frame_equal(b1, b2)
    assert b1["run"].nunique() == 30
    for k in (2, 3):
        _check_cooc(cooccurrence(b1, k=k))
    m2 = cooccurrence(b1, k=2)
    assert list(m2.index) == list(GROUPS["outlet"])  # corpus order, not alphabetical
    # the obvious groups survive most resamplings of the vocabulary
    assert m2.loc["War A", "War B"] > 0.5
    assert m2.loc["War A", "Weather A"] < 0.5


def test_bootstrap_differs_with_seed() -> None:
    r = tfidf(["a1 b1 c1", "a1 b1 d1", "c1 d1 e1", "e1 f1 a1", "f1 b1 g1"])
    b1 = bootstrap_terms(r, n_boot=40, random_state=1)
    b2 = bootstrap_terms(r, n_boot=40, random_state=2)
    assert not b1.equals(b2)


def test_pair_table_counts() -> None:
    a = pd.DataFrame({"run": [1, 1, 1, 2, 2, 2, 3, 3, 3], "k": 2,
                      "outlet": list("ABCABCABC"), "cluster": [1, 1, 2, 1, 1, 2, 1, 2, 2]})
    p = pair_table(a).set_index(["outlet_a", "outlet_b"])
    assert p.loc[("A", "B"), "together"] == 2
    assert p.loc[("A", "B"), "share"] == pytest.approx(2 / 3)
    assert p.loc[("B", "C"), "share"] == pytest.approx(1 / 3)
    assert p.loc[("A", "C"), "share"] == 0.0
    assert (p["runs"] == 3).all()
    parts = partitions(a)
    assert parts.iloc[0]["partition"] == "{A, B} | {C}"
    assert parts.iloc[0]["runs"] == 2


def test_describe_stability_reads_the_numbers() -> None:
    a = pd.DataFrame({"run": [r for r in range(1, 11) for _ in range(3)], "k": 2,
                      "outlet": ["VTC News", "CNN Brasil", "Other"] * 10,
                      "cluster": [1, 1, 2] * 9 + [1, 2, 2]})
    lines = describe_stability(a, source="bootstrap samples")
    assert "k=2: CNN Brasil and VTC News fall together in 90% of 10 bootstrap samples." in lines
    assert any("{CNN Brasil, VTC News} | {Other}" in line and "90%" in line for line in lines)


def test_plot_cooccurrence_title_states_the_finding() -> None:
    m = pd.DataFrame([[1, 0.94, 0.1], [0.94, 1, 0.2], [0.1, 0.2, 1]],
                     index=["VTC News", "CNN Brasil", "X"], columns=["VTC News", "CNN Brasil", "X"])
    ax = plot_cooccurrence(m, runs=200, source="bootstrap samples")
    assert ax.get_title() == "CNN Brasil and VTC News share a cluster in 94% of 200 bootstrap samples"
    assert "94%" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        (lambda: cluster(GROUPS, k=9), "k=9"),
        (lambda: cluster(GROUPS, method="ward"), "'ward'"),
        (lambda: embed_2d(GROUPS, method="tsne"), "'tsne'"),
        (lambda: bootstrap_terms(GROUPS, n_boot=0), "n_boot=0"),
        (lambda: bootstrap_terms(GROUPS, max_docs=3), "max_docs=3"),
        (lambda: settings_grid(GROUPS, max_docs=3), "max_docs=3"),
        (lambda: cooccurrence(settings_grid(GROUPS, ks=[2]), k=3), "k=3"),
    ],
)
def test_invalid_settings_name_the_bad_value(call, bad: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError) as info:
        call()
    assert bad in str(info.value)


def test_one_document_is_refused() -> None:
    with pytest.raises(NotEnoughData, match="needs at least 2 articles; got 1"):
        cluster(["just one article"], k=1)


NEWSWCL50 = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "newswcl50" / "articles"


@pytest.mark.skipif(not NEWSWCL50.is_dir(),
                    reason=f"real corpus NewsWCL50 not found at {NEWSWCL50} (../shared absent)")
def test_newswcl50_articles_cluster_by_event() -> None:
    # 10 events x 5 outlets: each article's nearest neighbour is another report of the
    # same event, and cutting the tree at k=10 recovers the ten events exactly.
    paths = sorted(NEWSWCL50.glob("event_*/*.txt"))
    corpus = pd.DataFrame({"doc": [p.stem for p in paths],
                           "event": [p.parent.name for p in paths],
                           "text": [p.read_text(encoding="utf-8") for p in paths]})
    assert len(corpus) == 50
    result = tfidf(corpus, label_col="doc", stop_words="english", sublinear_tf=True)
    nn = nearest_neighbours(result, k=1)
    event = corpus["event"].to_numpy()
    assert (event[nn["row"]] == event[nn["neighbour_row"]]).all()
    clusters = cluster(result, k=10)
    assert clusters.groupby(corpus["event"])["cluster"].nunique().eq(1).all()
    assert clusters["cluster"].nunique() == 10


# --- too-small corpora and outlets with several articles ------------------------------------

def test_more_clusters_than_articles_is_a_plain_message() -> None:
    with pytest.raises(NotEnoughData) as info:
        cluster(GROUPS.head(2), k=3)
    assert str(info.value) == "clustering into k=3 groups needs at least 3 articles; the corpus has 2"
    with pytest.raises(NotEnoughData, match="k=3 groups needs at least 3 articles"):
        bootstrap_terms(GROUPS.head(2), n_boot=2, ks=[2, 3])
    with pytest.raises(NotEnoughData, match="k=3 groups needs at least 3 articles"):
        settings_grid(GROUPS.head(2), ks=[2, 3])


def test_a_bad_k_is_still_an_ordinary_error() -> None:
    with pytest.raises(ValueError, match="k=0") as info:
        cluster(GROUPS, k=0)
    assert not isinstance(info.value, NotEnoughData)


def test_settings_grid_on_one_article_says_so() -> None:
    with pytest.raises(NotEnoughData, match="needs at least 2 articles; the corpus has 1"):
        settings_grid(GROUPS.head(1), ks=[1])


def test_cuts_give_one_column_per_k() -> None:
    got = cuts(GROUPS, ks=[2, 3], stop_words="english")
    assert list(got.columns) == ["outlet", "cluster_k2", "cluster_k3"]
    assert got["cluster_k2"].tolist() == cluster(GROUPS, k=2, stop_words="english")["cluster"].tolist()
    assert got["cluster_k3"].nunique() == 3


def test_outlets_with_several_articles_cluster_per_article() -> None:
    corpus = article_labels(GROUPS.assign(doc_id=["1", "2", "3", "4"],
                                          outlet=["Daily", "Daily", "Post", "Post"]))
    grid = settings_grid(corpus, ks=[2], label_col="article")
    assert set(grid["article"]) == {"Daily · 1", "Daily · 2", "Post · 3", "Post · 4"}
    with pytest.raises(ValueError, match="article_labels"):
        settings_grid(corpus, ks=[2])  # the outlet column repeats


def test_plot_map_refuses_repeated_labels_with_the_way_out() -> None:
    coords = pd.DataFrame({"outlet": ["A", "A"], "x": [0.0, 1.0], "y": [0.0, 1.0]})
    with pytest.raises(ValueError, match="article_labels"):
        plot_map(coords, clusters=pd.DataFrame({"outlet": ["A", "A"], "cluster": [1, 2]}))


def test_describe_stability_lists_at_most_max_pairs() -> None:
    a = pd.DataFrame({"run": 1, "k": 2, "outlet": list("ABCDE"), "cluster": [1, 1, 1, 1, 2]})
    lines = describe_stability(a, source="settings", max_pairs=2)
    together = [line for line in lines if "fall together in 100%" in line]
    assert len(together) == 2
    assert "k=2: 4 more pairs fall together in at least 80% of 1 settings." in lines


def test_describe_stability_shortens_large_groups() -> None:
    names = [f"art {i:02d}" for i in range(10)]
    a = pd.DataFrame({"run": 1, "k": 2, "outlet": names, "cluster": [1] * 9 + [2]})
    first = describe_stability(a)[0]
    assert "{art 00, art 01, art 02, ... +6 more} | {art 09}" in first


def test_plot_cooccurrence_of_one_article_is_a_plain_message() -> None:
    with pytest.raises(NotEnoughData, match="at least 2 x 2"):
        plot_cooccurrence(pd.DataFrame([[1.0]], index=["A"], columns=["A"]))


def test_pair_table_with_repeated_labels_says_how_to_label_articles() -> None:
    a = pd.DataFrame({"run": 1, "k": 2, "outlet": ["A", "A", "B"], "cluster": [1, 1, 2]})
    with pytest.raises(ValueError, match="repeat within a run.*article_labels"):
        pair_table(a)
    with pytest.raises(ValueError, match="article_labels"):
        cooccurrence(a, k=2)
