"""Tests for framelens.stories: date-blocked sparse kNN links and story ids."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from framelens.features import tfidf
from framelens.stories import group_stories, story_edges, story_summary

WCL = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "newswcl50"

POMPEO = "Pompeo secretly met Kim Jong Un in Pyongyang before the summit"
TARIFF = "The White House delayed steel and aluminium tariffs on Canada and Mexico"


def corpus(texts: list[str], dates: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                         "outlet": [f"O{i}" for i in range(len(texts))],
                         "date": dates, "text": texts})


def test_two_stories_on_the_same_days_are_told_apart() -> None:
    df = corpus([POMPEO, POMPEO + " talks", TARIFF, TARIFF + " again", "Rain in Paris today"],
                ["2018-04-17", "2018-04-18", "2018-04-17", "2018-04-18", "2018-04-17"])
    out = group_stories(df, features=tfidf(df), threshold=0.3)
    assert out["story"].tolist()[:4] == [0, 0, 1, 1]
    assert out.loc[4, "story_size"] == 1 and out.loc[4, "best_similarity"] == 0.0
    assert out["doc_id"].tolist() == df["doc_id"].tolist()
    assert (out.loc[:3, "story_size"] == 2).all()


def test_identical_articles_outside_the_date_window_are_not_linked() -> None:
    df = corpus([POMPEO, POMPEO, TARIFF], ["2018-04-01", "2018-04-11", "2018-04-01"])
    narrow = group_stories(df, features=tfidf(df), window_days=3)
    wide = group_stories(df, features=tfidf(df), window_days=10)
    assert narrow["story_size"].tolist() == [1, 1, 1]
    assert wide.loc[0, "story"] == wide.loc[1, "story"]
    edges = story_edges(df, features=tfidf(df), window_days=10)
    assert edges[["doc", "neighbour"]].values.tolist() == [[0, 1], [1, 0]]
    assert edges["similarity"].round(12).tolist() == [1.0, 1.0]
    assert edges["days_apart"].tolist() == [10.0, 10.0]


def test_undated_articles_block_together_or_stay_alone() -> None:
    df = corpus([POMPEO, POMPEO, POMPEO], ["unknown", "", "2018-04-17"])
    block = group_stories(df, features=tfidf(df), undated="block")
    alone = group_stories(df, features=tfidf(df), undated="alone")
    assert block["story_size"].tolist() == [2, 2, 1]  # the dated copy is in no block with them
    assert alone["story_size"].tolist() == [1, 1, 1]
    everyone = group_stories(df, features=tfidf(df), date_col=None)
    assert everyone["story_size"].tolist() == [3, 3, 3]


def test_threshold_and_k_limit_links() -> None:
    texts = [POMPEO, POMPEO + " in April", POMPEO + " said officials", POMPEO + " reports say"]
    df = corpus(texts, ["2018-04-17"] * 4)
    f = tfidf(df)
    assert story_edges(df, features=f, threshold=1.0).empty
    one = story_edges(df, features=f, k=1, threshold=0.0)
    assert one.groupby("doc").size().tolist() == [1, 1, 1, 1]
    three = story_edges(df, features=f, k=10, threshold=0.0)
    assert three.groupby("doc").size().tolist() == [3, 3, 3, 3]
    # each row's kept neighbours are ordered by similarity, highest first
    for _, grp in three.groupby("doc"):
        assert grp["similarity"].is_monotonic_decreasing


def test_mutual_links_only_join_articles_that_choose_each_other() -> None:
    # d0 and d1 are each other's best; d2's best is d1, but d1 keeps only d0 (k=1)
    df = corpus(["a b c d", "a b c d e", "a b c d e f g h i j"], ["2018-01-01"] * 3)
    f = sp.csr_matrix(np.array([[1, 1, 0, 0], [1, 1, 0.1, 0], [0.2, 1, 1, 1]], dtype=float))
    loose = group_stories(df, features=f, k=1, threshold=0.1)
    strict = group_stories(df, features=f, k=1, threshold=0.1, mutual=True)
    assert loose["story_size"].tolist() == [3, 3, 3]
    assert strict["story_size"].tolist() == [2, 2, 1]


def brute_force(x: np.ndarray, days: np.ndarray, window: float, k: int, thr: float) -> set:
    norm = np.linalg.norm(x, axis=1)
    u = x / np.where(norm > 0, norm, 1)[:, None]
    sim = u @ u.T
    out = set()
    for i in range(len(x)):
        cand = [j for j in range(len(x)) if j != i and abs(days[i] - days[j]) <= window]
        cand.sort(key=lambda j: -sim[i, j])
        out |= {(i, j) for j in cand[:k] if sim[i, j] >= thr}
    return out


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 7), st.sampled_from([1, 2, 3, 50]),
       st.sampled_from([None, 2]))
def test_edges_match_a_brute_force_search(seed: int, k: int, chunk: int,
                                          n_jobs: int | None) -> None:
    rng = np.random.default_rng(seed)
    n = 25
    mask = rng.random((n, 6)) < 0.5
    mask[:, :2] = True  # two continuous weights per row: no two rows point the same way
    x = rng.random((n, 6)) * mask
    days = rng.integers(0, 10, n).astype(float)
    df = pd.DataFrame({"date": pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")})
    edges = story_edges(df, features=sp.csr_matrix(x), window_days=2, k=k, threshold=0.5,
                        chunk_size=chunk, n_jobs=n_jobs)
    if n_jobs is not None:  # threads give the very same table, row for row
        pd.testing.assert_frame_equal(edges, story_edges(
            df, features=sp.csr_matrix(x), window_days=2, k=k, threshold=0.5, chunk_size=chunk))
    got = set(zip(edges["doc"].tolist(), edges["neighbour"].tolist()))
    assert got == brute_force(x, days, 2, k, 0.5)  # random weights: no ties to break
    assert (edges["days_apart"] <= 2).all()


def test_story_ids_are_ordered_by_size_then_first_row() -> None:
    df = corpus([TARIFF, POMPEO, POMPEO, POMPEO, TARIFF], ["2018-04-17"] * 5)
    out = group_stories(df, features=tfidf(df))
    assert out["story"].tolist() == [1, 0, 0, 0, 1]
    assert out["story_size"].tolist() == [2, 3, 3, 3, 2]


def test_story_summary_counts_articles_outlets_and_dates() -> None:
    df = corpus([POMPEO, POMPEO, TARIFF], ["2018-04-17", "2018-04-19", "2018-04-17"])
    df.loc[1, "outlet"] = "O0"
    st_ = group_stories(df, features=tfidf(df))
    summary = story_summary(df, st_)
    assert summary.to_dict("index") == {0: {"articles": 2, "outlets": 1, "first_date": "2018-04-17",
                                            "last_date": "2018-04-19"}}
    assert len(story_summary(df, st_, min_size=1)) == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"undated": "drop"}, "undated='drop' is not supported; choose one of ['block', 'alone']"),
    ({"threshold": 1.5}, "threshold=1.5 must be a number in [0.0, 1.0]"),
    ({"k": 0}, "k=0 must be an integer >= 1"),
    ({"window_days": -1}, "window_days=-1 must be a number >= 0"),
    ({"n_jobs": 0}, "n_jobs=0 must be None, -1 or a positive integer"),
    ({"date_col": "published"}, "date_col='published' is not a column of corpus"),
    ({"linkage": "single"}, "linkage='single' is not supported; choose one of "
                            "['average', 'none']"),
    ({"min_average": -0.1}, "min_average=-0.1 must be a number in [0.0, 1.0]"),
    ({"max_component": 1}, "max_component=1 must be an integer >= 2"),
])
def test_bad_settings_are_named(kwargs: dict, message: str) -> None:
    df = corpus([POMPEO, TARIFF], ["2018-04-17"] * 2)
    with pytest.raises(ValueError) as err:
        group_stories(df, features=tfidf(df), **kwargs)
    assert message in str(err.value)


def test_features_of_another_corpus_are_refused() -> None:
    df = corpus([POMPEO, TARIFF], ["2018-04-17"] * 2)
    with pytest.raises(ValueError, match="features has 3 rows"):
        story_edges(df, features=sp.csr_matrix(np.eye(3)))


def test_default_features_are_computed_from_text() -> None:
    df = corpus([POMPEO, POMPEO + " today", TARIFF], ["2018-04-17"] * 3)
    out = group_stories(df)
    assert out["story_size"].tolist() == [2, 2, 1]


@pytest.mark.skipif(not WCL.is_dir(), reason="../shared/corpora/newswcl50 is absent "
                    "(real corpora live beside the project only in the workplace)")
def test_newswcl50_events_are_recovered() -> None:
    urls = pd.read_csv(WCL / "urls.tsv", sep="\t", dtype=str)
    urls.columns = ["event", "code", "url"]
    urls["date"] = urls["url"].str.extract(r"/(\d{4}/\d{2}/\d{2})/")[0]
    for _, grp in urls.groupby("event"):
        urls.loc[grp.index, "date"] = grp["date"].fillna(Counter(grp["date"].dropna())
                                                         .most_common(1)[0][0])
    texts = [(WCL / "articles" / f"event_{e}" / f"{e}_{c}.txt").read_text(encoding="utf-8")
             for e, c in zip(urls["event"], urls["code"])]
    df = pd.DataFrame({"date": urls["date"].str.replace("/", "-"), "text": texts})
    out = group_stories(df)
    assert adjusted_rand_score(urls["event"], out["story"]) >= 0.8
    whole = sum(out.loc[urls["event"] == e, "story"].nunique() == 1 for e in urls["event"].unique())
    assert whole >= 7


def _same_day(rows: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(rows))],
                         "date": ["2018-04-17"] * len(rows)})


def _chain() -> sp.csr_matrix:
    """Stories A (rows 0-2, term 0) and B (rows 3-5, term 1), each article with a term of
    its own at weight 0.3, and row 6 on both (1, 0.9): a bridge between the stories."""
    x = np.zeros((7, 8))
    x[0:3, 0] = 1.0
    x[3:6, 1] = 1.0
    x[np.arange(6), 2 + np.arange(6)] = 0.3
    x[6, :2] = [1.0, 0.9]
    return sp.csr_matrix(x)


def test_a_bridge_article_does_not_merge_two_stories() -> None:
    # cos(A, A) = 1 / 1.09 = 0.917; cos(A, bridge) = 1 / sqrt(1.09 * 1.81) = 0.711;
    # cos(B, bridge) = 0.9 / sqrt(1.09 * 1.81) = 0.640; cos(A, B) = 0.
    x = _chain()
    df = _same_day([[0]] * 7)
    components = group_stories(df, features=x, linkage="none")
    assert components["story"].nunique() == 1  # one chain: every link is strong
    out = group_stories(df, features=x)
    # {A, bridge} vs B: mean cosine (3 * 0.640 + 9 * 0) / 12 = 0.160 < 0.2: kept apart;
    # the bridge joins A, to which it is closer (0.711 against 0.640)
    assert out["story"].tolist() == [0, 0, 0, 1, 1, 1, 0]
    assert out["story_size"].tolist() == [4, 4, 4, 3, 3, 3, 4]
    assert out["best_similarity"].iloc[3] == pytest.approx(1 / 1.09)
    assert out["best_similarity"].iloc[6] == pytest.approx(1 / np.sqrt(1.09 * 1.81))
    loose = group_stories(df, features=x, min_average=0.15)  # 0.160 >= 0.15: merged
    assert loose["story"].nunique() == 1


def test_an_article_with_a_weak_best_link_joins_its_story() -> None:
    # rows 0 and 1: one story (cosine 1 / 1.01 = 0.990); row 2's best link is 0.26 / 1.005
    # = 0.259 to each of them: below the previous 0.3, above the default 0.2
    x = sp.csr_matrix([[1.0, 0, 0.1, 0], [1.0, 0, 0, 0.1], [0.26, 0.966, 0, 0]])
    df = _same_day([[0]] * 3)
    assert group_stories(df, features=x)["story"].tolist() == [0, 0, 0]
    before = group_stories(df, features=x, threshold=0.3, linkage="none")
    assert before["story"].tolist() == [0, 0, 1]


def test_a_component_too_large_is_split_by_stricter_links_first() -> None:
    x = _chain()
    df = _same_day([[0]] * 7)
    # max_component=4: the 7-article chain is re-linked at 0.25, 0.30, ... within itself;
    # every link is above 0.6, so it stays one component until 0.65, where row 6 keeps
    # only its 0.711 links to A: pieces {A, bridge} (4) and B (3), each then clustered
    out = group_stories(df, features=x, max_component=4)
    assert out["story"].tolist() == [0, 0, 0, 1, 1, 1, 0]
