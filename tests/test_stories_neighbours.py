"""group_stories and story_edges with the neighbours of features.nearest_neighbours (not
searched again), checked against a story grouping worked out by hand with scipy."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster import hierarchy
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform
from sklearn.preprocessing import normalize

from framelens.corpus import clean
from framelens.distributed import load_jsonl
from framelens.features import TfidfResult, nearest_neighbours, tfidf
from framelens.stories import STORY_TFIDF, group_stories, story_edges

ROOT = Path(__file__).resolve().parents[1]
ABP = ROOT.parent / "shared" / "corpora" / "article-bias-prediction" / "articles.jsonl.xz"


def as_result(x: sp.csr_matrix) -> TfidfResult:
    return TfidfResult(matrix=sp.csr_matrix(x),
                       terms=np.array([f"t{j}" for j in range(x.shape[1])]),
                       labels=pd.Index([f"a{i}" for i in range(x.shape[0])], name="outlet"),
                       vectorizer=None)  # type: ignore[arg-type]


def synthetic(seed: int, n: int = 60, undated_share: float = 0.2
              ) -> tuple[pd.DataFrame, sp.csr_matrix]:
    """Articles on a few topics (shared terms) over 8 days, some copies, some undated."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, 4, n)
    x = rng.random((n, 30)) * (rng.random((n, 30)) < 0.15)
    x[np.arange(n), topic] += 1.0 + rng.random(n)
    for _ in range(3):
        a, b = rng.choice(n, size=2, replace=False)
        x[b] = x[a]
    day = rng.integers(0, 8, n)
    dates = [f"2020-01-{d + 1:02d}" for d in day]
    for i in np.flatnonzero(rng.random(n) < undated_share):
        dates[i] = "unknown"
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "date": dates}), sp.csr_matrix(x)


def stories_by_hand(x: sp.csr_matrix, days: np.ndarray, *, window: float = 3, k: int = 10,
                    threshold: float = 0.2, min_average: float = 0.2, undated: str = "block"
                    ) -> np.ndarray:
    """group_stories' story ids worked out with the textbook steps: every pair's cosine,
    each article's k best within the window (ties by row), links at the threshold,
    weak components, scipy's average linkage cut at 1 - min_average, then ids by size and
    first row. The cosines come from the same sparse product as the module's."""
    n = x.shape[0]
    unit = normalize(sp.csr_matrix(x, dtype=np.float64), norm="l2", copy=True)
    cos = np.maximum((unit @ unit.T).toarray(), 0.0)
    links = []
    for i in range(n):
        if np.isnan(days[i]):
            if undated == "alone":
                continue
            cand = [j for j in range(n) if j != i and np.isnan(days[j])]
        else:
            cand = [j for j in range(n) if j != i and abs(days[i] - days[j]) <= window]
        links += [(i, j) for j in sorted(cand, key=lambda j: (-cos[i, j], j))[:k]
                  if cos[i, j] >= threshold]
    graph = sp.csr_matrix((np.ones(len(links)), ([a for a, _ in links], [b for _, b in links])),
                          shape=(n, n))
    comp = connected_components(graph, directed=True, connection="weak")[1]
    labels = np.full(n, -1)
    nxt = 0
    for c in np.unique(comp):
        rows = np.flatnonzero(comp == c)
        if len(rows) == 1:
            found = np.array([1])
        else:
            dist = np.clip(1.0 - cos[np.ix_(rows, rows)], 0.0, 2.0)
            np.fill_diagonal(dist, 0.0)
            found = hierarchy.fcluster(hierarchy.linkage(squareform(dist, checks=False),
                                                         method="average"),
                                       t=1.0 - min_average, criterion="distance")
        labels[rows] = nxt + found - 1
        nxt += found.max()
    sizes = np.bincount(labels)
    first = np.array([np.flatnonzero(labels == c)[0] for c in range(len(sizes))])
    rank = np.lexsort((first, -sizes))
    new = np.empty_like(rank)
    new[rank] = np.arange(len(rank))
    return new[labels]


def day_numbers(dates: pd.Series) -> np.ndarray:
    when = pd.to_datetime(dates, errors="coerce", format="mixed")
    return (when.dt.normalize() - pd.Timestamp("1970-01-01")).dt.days.to_numpy(
        dtype=float, na_value=np.nan)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 100_000), k=st.sampled_from([2, 4, 10]),
       undated=st.sampled_from(["block", "alone"]), more=st.sampled_from([0, 3]))
def test_read_neighbours_give_the_same_links_and_stories(seed: int, k: int, undated: str,
                                                         more: int) -> None:
    df, x = synthetic(seed)
    res = as_result(x)
    nn = nearest_neighbours(res, k=k + more, dates=df["date"], n_jobs=2)  # k + more >= k
    own = story_edges(df, features=res, k=k, undated=undated)
    read = story_edges(df, features=res, k=k, undated=undated, neighbours=nn)
    pd.testing.assert_frame_equal(read, own)
    a = group_stories(df, features=res, k=k, undated=undated)
    b = group_stories(df, features=res, k=k, undated=undated, neighbours=nn)
    pd.testing.assert_frame_equal(a, b)
    want = stories_by_hand(x, day_numbers(df["date"]), k=k, undated=undated)
    assert a["story"].tolist() == want.tolist()


def test_large_components_are_split_as_by_hand() -> None:
    # 1,000 articles on one day over 3 topics: components of hundreds of articles (their
    # cosines by blocks of rows), and small ones from the articles of 60 other topics
    rng = np.random.default_rng(11)
    n = 1000
    topic = np.where(rng.random(n) < 0.9, rng.integers(0, 3, n), 3 + rng.integers(0, 60, n))
    x = rng.random((n, 80)) * (rng.random((n, 80)) < 0.08)
    x[np.arange(n), topic] += 0.8 + rng.random(n)
    x = sp.csr_matrix(x)
    df = pd.DataFrame({"date": ["2020-01-01"] * n})
    assert group_stories(df, features=x, linkage="none")["story_size"].max() > 256
    got = group_stories(df, features=x, n_jobs=2)
    assert got["story"].tolist() == stories_by_hand(x, np.zeros(n)).tolist()


def test_neighbours_that_do_not_fit_are_refused() -> None:
    df, x = synthetic(5, n=80, undated_share=0.1)
    res = as_result(x)
    nn = nearest_neighbours(res, k=10, dates=df["date"])
    with pytest.raises(ValueError, match="at most 3 neighbours per article, fewer than k=10"):
        story_edges(df, features=res, neighbours=nearest_neighbours(res, k=3, dates=df["date"]))
    with pytest.raises(ValueError, match="outside its 1-day window"):
        story_edges(df, features=res, window_days=1, neighbours=nn)
    narrow = nearest_neighbours(res, k=10, dates=df["date"], window_days=1)
    with pytest.raises(ValueError, match="differ from its search on these features within 3"):
        story_edges(df, features=res, neighbours=narrow)  # the windows hold 10 or more
    sparse = pd.DataFrame({"date": [f"2020-01-{d + 1:02d}" for d in range(20)]})  # one a day
    few = nearest_neighbours(as_result(x[:20]), k=10, dates=sparse["date"], window_days=1)
    with pytest.raises(ValueError, match="lists 1 neighbours for article 0, whose 3-day window "
                                         "holds 3 other articles \\(expected 2\\)"):
        story_edges(sparse, features=as_result(x[:20]), neighbours=few)
    with pytest.raises(ValueError, match="outside its 3-day window"):  # searched without dates
        story_edges(df, features=res, neighbours=nearest_neighbours(res, k=10))
    other = as_result(sp.csr_matrix(x.toarray()[:, ::-1] + 0.01 * (x.toarray() > 0)))
    with pytest.raises(ValueError, match="differ from its search on these features"):
        story_edges(df, features=res, neighbours=nearest_neighbours(other, k=10, dates=df["date"]))
    undated = df.assign(date="unknown")  # no dates: the undated are checked too
    with pytest.raises(ValueError, match="differ from its search on these features"):
        story_edges(undated, features=res,
                    neighbours=nearest_neighbours(other, k=10, dates=undated["date"]))
    with pytest.raises(ValueError, match="no column"):
        story_edges(df, features=res, neighbours=nn.drop(columns="rank"))
    with pytest.raises(ValueError, match="sorted by row, then rank"):
        story_edges(df, features=res, neighbours=nn.iloc[::-1])
    with pytest.raises(ValueError, match="the corpus has 79 articles"):
        story_edges(df.iloc[:79], features=as_result(x[:79]), neighbours=nn)
    with pytest.raises(TypeError, match="neighbours must be a DataFrame"):
        group_stories(df, features=res, neighbours=nn.to_numpy())


@pytest.mark.skipif(not ABP.is_file(), reason="../shared/corpora is absent (real corpora live "
                    "beside the project only in the workplace)")
def test_real_articles_give_the_same_stories_read_searched_and_by_hand() -> None:
    corpus, _ = clean(load_jsonl(ABP, n=1500))
    res = tfidf(corpus, **STORY_TFIDF)
    nn = nearest_neighbours(res, k=10, dates=corpus["date"], n_jobs=2)
    read = group_stories(corpus, features=res, neighbours=nn, n_jobs=2)
    searched = group_stories(corpus, features=res, n_jobs=2)
    pd.testing.assert_frame_equal(read, searched)
    assert (read["story_size"] > 1).sum() > 100  # stories enough to test something
    days = day_numbers(corpus["date"])
    assert read["story"].tolist() == stories_by_hand(res.matrix, days).tolist()
