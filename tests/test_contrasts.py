"""framelens.contrasts: outlets compared on the stories they both cover."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framelens.contrasts import (contrast_evidence, coverage, house_style_terms,
                                 keyness_within_stories, paired_contrasts, rate_contrasts)
from framelens.lexicon import lexicon_hits
from framelens.notes import NotEnoughData
from framelens.text import count_words

PLANTED = {
    ("s1", "A"): "The regime of Governor Smith raised taxes on Monday. Critics objected.",
    ("s1", "B"): "The government of Governor Smith raised taxes on Monday. Critics objected.",
    ("s1", "C"): "Governor Smith's government raised taxes on Monday, officials said.",
    ("s2", "A"): "The regime closed the border crossing at dawn. Trucks waited.",
    ("s2", "B"): "The government closed the border crossing at dawn. Trucks waited.",
    ("s2", "C"): "Officials closed the border crossing at dawn. Trucks waited for hours.",
    ("s3", "A"): "Flooding hit the river valley after three days of rain.",
    ("s3", "B"): "Flooding hit the valley after rain fell for three days.",
    ("s3", "C"): "Three days of rain brought floods to the river valley.",
}


def _corpus() -> pd.DataFrame:
    rows = [{"doc_id": f"{s}-{o}", "story": s, "outlet": o, "text": t} for (s, o), t in PLANTED.items()]
    return pd.DataFrame(rows)


def _lexicon() -> pd.DataFrame:
    return pd.DataFrame([{"term": "regime", "is_regex": "false", "register": "delegitimising",
                          "target_type": "government", "note": "planted", "source": "test"}])


def test_planted_label_contrast_sign_stories_and_evidence():
    corpus = _corpus()
    hits = lexicon_hits(corpus, lexicon=_lexicon()).merge(corpus[["doc_id", "story"]], on="doc_id")
    per_article = corpus.assign(words=corpus["text"].map(count_words))
    per_article["hits"] = per_article["doc_id"].map(hits["doc_id"].value_counts()).fillna(0).astype(int)
    table = rate_contrasts(per_article, count_col="hits", n_boot=500, random_state=1)
    ab = table[(table["a"] == "A") & (table["b"] == "B")].iloc[0]
    assert ab["n_stories"] == 3 and ab["difference"] > 0  # A labels, B does not
    assert ab["n_differing"] == 2  # the two stories where A uses the label
    # A's rate: 1 hit in 11 words (s1), 1 in 10 (s2), 0 (s3); B has none
    assert ab["difference"] == pytest.approx(1000 * (1 / 11 + 1 / 10 + 0) / 3)
    bc = table[(table["a"] == "B") & (table["b"] == "C")].iloc[0]
    assert bc["difference"] == 0 and bc["n_differing"] == 0
    # the stories carrying the label: restrict to stories where A has a hit
    carrying = sorted(set(hits["story"]))
    assert carrying == ["s1", "s2"]
    ev = contrast_evidence(table[(table["a"] == "A") & (table["b"] == "B")], hits)
    assert ev["side"].tolist() == ["a", "a"]
    assert ev["story"].tolist() == ["s1", "s2"]
    assert ev["sentence"].tolist() == ["The regime of Governor Smith raised taxes on Monday.",
                                       "The regime closed the border crossing at dawn."]


def test_paired_contrast_only_on_shared_stories_with_bootstrap_interval():
    v = pd.DataFrame({"story": ["s1", "s1", "s2", "s2", "s3", "s3", "s4"],
                      "outlet": ["A", "B", "A", "B", "A", "B", "A"],
                      "value": [4.0, 1.0, 3.0, 1.0, 2.0, 1.0, 100.0]})
    t = paired_contrasts(v, value_col="value", n_boot=2000, random_state=0)
    row = t.iloc[0]
    assert (row["a"], row["b"], row["n_stories"], row["stories"]) == ("A", "B", 3, "s1;s2;s3")
    assert row["difference"] == pytest.approx(2.0)  # (3 + 2 + 1) / 3; s4 (A alone) is left out
    assert 1.0 <= row["ci_low"] <= 2.0 <= row["ci_high"] <= 3.0
    again = paired_contrasts(v, value_col="value", n_boot=2000, random_state=0)
    pd.testing.assert_frame_equal(t, again)  # seeded


def test_one_story_gives_no_interval_and_groups_pool_outlets():
    v = pd.DataFrame({"story": ["s1"] * 4, "outlet": ["A", "B", "C", "D"], "value": [1.0, 3.0, 5.0, 9.0]})
    t = paired_contrasts(v, value_col="value", groups={"A": "left", "B": "left", "C": "right", "D": "right"})
    assert t[["a", "b", "n_stories"]].values.tolist() == [["left", "right", 1]]
    assert t["difference"].iloc[0] == pytest.approx(2.0 - 7.0)
    assert np.isnan(t["ci_low"].iloc[0])


def test_bad_settings_name_the_value():
    v = pd.DataFrame({"story": ["s"], "outlet": ["A"], "value": ["x"]})
    with pytest.raises(ValueError, match="numeric"):
        paired_contrasts(v, value_col="value")
    with pytest.raises(ValueError, match="lacks column"):
        paired_contrasts(v, value_col="missing")
    with pytest.raises(ValueError, match="n_boot"):
        paired_contrasts(v, value_col="value", n_boot=-1)


def test_coverage_counts_articles():
    c = coverage(_corpus())
    assert c.loc["s1"].tolist() == [1, 1, 1] and c.columns.tolist() == ["A", "B", "C"]


def _within(texts: dict[tuple[str, str], str], **kw):
    from framelens.text import word_matrix
    keys = list(texts)
    types, counts = word_matrix([texts[k] for k in keys])
    return keyness_within_stories(types, counts, stories=[k[0] for k in keys],
                                  outlets=[k[1] for k in keys], **kw)


def test_house_style_is_set_aside_not_distinctive():
    texts = {}
    for i in range(6):
        texts[(f"s{i}", "NYT")] = ("Mr. Smith said the plan would fail. Mr. Smith, a senator, "
                                   "spoke to The Times. Senator Smith voted no. ") * 3
        texts[(f"s{i}", "Fox News")] = ("Sen. Smith said the plan would fail. Smith told Fox News "
                                        "the vote was wrong. Sen. Smith voted no. ") * 3
    dist, aside = _within(texts, min_count=1, top=None)
    nyt = dist[dist["outlet"] == "NYT"]
    assert not {"mr", "senator"} & set(nyt["term"])
    assert {"mr", "senator"} <= set(aside.loc[aside["outlet"] == "NYT", "term"])
    fox_aside = aside[aside["outlet"] == "Fox News"]
    assert {"sen", "fox", "news"} <= set(fox_aside["term"])
    assert set(fox_aside.loc[fox_aside["term"] == "fox", "kind"]) == {"outlet name"}
    assert not {"sen", "fox", "news"} & set(dist.loc[dist["outlet"] == "Fox News", "term"])


def test_event_mix_does_not_make_a_word_distinctive():
    # A covers the war story with long articles, the election story with short ones; B the reverse.
    # Within each story they write the same words, so nothing should be distinctive.
    war, vote = "troops shelled the city overnight ", "voters chose a new mayor today "
    texts = {("war", "A"): war * 20, ("war", "B"): war * 2,
             ("vote", "A"): vote * 2, ("vote", "B"): vote * 20}
    dist, _ = _within(texts, min_count=1, top=None)
    assert dist["z"].abs().max() < 1e-9
    # pooled one-against-the-rest keyness would call "troops" typical of A
    from framelens.keyness import keyness
    from framelens.keyness import term_counts
    corpus = pd.DataFrame([{"outlet": o, "text": t} for (_, o), t in texts.items()])
    assert keyness(term_counts(corpus), target="A", warn=False).loc["troops", "z"] > 3


def test_within_stories_needs_a_shared_story():
    with pytest.raises(NotEnoughData, match="two outlets"):
        _within({("s1", "A"): "one two", ("s2", "B"): "three four"})


def test_house_style_table_validates_kinds():
    with pytest.raises(ValueError, match="unknown kind"):
        house_style_terms(source=pd.DataFrame({"term": ["x"], "kind": ["slang"]}))


def test_within_stories_never_mixes_stories_and_lists_the_skipped():
    from framelens.contrasts import within_stories
    corpus = pd.concat([_corpus(), pd.DataFrame([{"doc_id": "s4-A", "story": "s4", "outlet": "A",
                                                  "text": "A lone report."}])], ignore_index=True)
    seen = []

    def analysis(d: pd.DataFrame) -> pd.DataFrame:
        seen.append(set(d["story"]))
        if set(d["story"]) == {"s3"}:
            raise NotEnoughData("no sentence pairs")
        return d[["doc_id"]]

    res, skipped = within_stories(corpus, analysis)
    assert all(len(s) == 1 for s in seen)
    assert res.groupby("story")["doc_id"].apply(lambda x: {i.split("-")[0] for i in x}).to_dict() == {
        "s1": {"s1"}, "s2": {"s2"}}
    assert skipped[["story", "reason"]].values.tolist() == [["s3", "no sentence pairs"],
                                                            ["s4", "covered by 1 outlet (A); comparing outlets needs 2"]]
    with pytest.raises(ZeroDivisionError):  # a bug is not a note
        within_stories(corpus, lambda d: pd.DataFrame({"x": [1 / 0]}))


def test_within_stories_equals_keyness_on_one_story():
    """On one story with two outlets the weights are 1: the result is keyness() of A against B."""
    from framelens.keyness import keyness, term_counts
    texts = {("s", "A"): "the regime raised taxes and the regime fell " * 3,
             ("s", "B"): "the government raised taxes and the government stayed " * 3}
    dist, _ = _within(texts, min_count=1, top=None, house_style=house_style_terms([]))
    corpus = pd.DataFrame([{"outlet": o, "text": t} for (_, o), t in texts.items()])
    ref = keyness(term_counts(corpus), target="A", warn=False)["z"]
    got = dist[dist["outlet"] == "A"].set_index("term")["z"]
    pd.testing.assert_series_equal(got.sort_index(), ref.loc[got.index].sort_index(), check_names=False)


def _reference_pairs(values: pd.DataFrame, *, n_boot: int, random_state: int, min_stories: int = 1,
                     groups=None) -> pd.DataFrame:
    """paired_contrasts written as the definition: every pair of units, in order, one rng."""
    from itertools import combinations
    per = values.astype({"story": str, "outlet": str}).groupby(["story", "outlet"])["value"].mean()
    if groups is not None:
        g = per.reset_index().assign(unit=lambda d: d["outlet"].map(groups)).dropna(subset=["unit"])
        per = g.groupby(["story", "unit"])["value"].mean()
    wide = per.unstack()
    rng = np.random.default_rng(random_state)
    rows = []
    for a, b in combinations(sorted(wide.columns), 2):
        both = wide[[a, b]].dropna()
        if len(both) < min_stories:
            continue
        d = (both[a] - both[b]).to_numpy(dtype=float)
        lo = hi = p = np.nan
        if n_boot and len(d) >= 2:
            means = d[rng.integers(0, len(d), size=(n_boot, len(d)))].mean(axis=1)
            lo, hi = (float(x) for x in np.quantile(means, [0.025, 0.975]))
            # the resampled means on the far side of 0, counted by hand
            far = min(sum(1 for m in means if m <= 0), sum(1 for m in means if m >= 0))
            p = min(1.0, 2 * (far + 1) / (n_boot + 1))
        rows.append([a, b, len(both), int((d != 0).sum()), float(both[a].mean()), float(both[b].mean()),
                     float(d.mean()), lo, hi, p, ";".join(sorted(both.index))])
    return pd.DataFrame(rows, columns=["a", "b", "n_stories", "n_differing", "mean_a", "mean_b", "difference",
                                       "ci_low", "ci_high", "p_boot", "stories"])


def _reference_evidence(contrasts: pd.DataFrame, hits: pd.DataFrame, max_per_contrast=None, groups=None):
    unit = hits["outlet"].astype(str) if groups is None else hits["outlet"].astype(str).map(groups)
    frames = []
    for row in contrasts.itertuples(index=False):
        in_story = hits["story"].astype(str).isin(set(row.stories.split(";")))
        for side, name in (("a", row.a), ("b", row.b)):
            part = hits[in_story & (unit == name)]
            if len(part):
                frames.append(part.assign(a=row.a, b=row.b, side=side))
    out = pd.concat(frames, ignore_index=True)[["a", "b", "side", *hits.columns]]
    out = out.sort_values(["a", "b", "story", "side"], kind="stable").reset_index(drop=True)
    if max_per_contrast is not None:
        out = out.groupby(["a", "b"], sort=False).head(max_per_contrast).reset_index(drop=True)
    return out


def test_fast_pairs_and_evidence_equal_the_definition():
    rng = np.random.default_rng(5)
    for _ in range(15):
        n_stories, n_outlets, n = int(rng.integers(2, 30)), int(rng.integers(2, 9)), int(rng.integers(5, 150))
        v = pd.DataFrame({"story": [f"s{x}" for x in rng.integers(0, n_stories, n)],
                          "outlet": [f"o{x}" for x in rng.integers(0, n_outlets, n)],
                          "value": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 4, n).astype(float))})
        groups = {f"o{i}": "LCR"[i % 3] for i in range(n_outlets) if i != 1}
        for kw in ({}, {"groups": groups}, {"min_stories": 2}):
            got = paired_contrasts(v, value_col="value", n_boot=100, random_state=3, **kw)
            ref = _reference_pairs(v, n_boot=100, random_state=3, **kw)
            pd.testing.assert_frame_equal(got, ref, check_dtype=False)
        hits = pd.DataFrame({"story": [f"s{x}" for x in rng.integers(0, n_stories, 2 * n)],
                             "outlet": [f"o{x}" for x in rng.integers(0, n_outlets, 2 * n)]})
        hits["sentence"] = [f"sentence {i}" for i in range(len(hits))]
        for g in (None, groups):
            table = paired_contrasts(v, value_col="value", n_boot=0, groups=g)
            for most in (None, 1, 3):
                got = contrast_evidence(table, hits, groups=g, max_per_contrast=most)
                if len(got):
                    ref = _reference_evidence(table, hits, max_per_contrast=most, groups=g)
                    pd.testing.assert_frame_equal(got, ref, check_dtype=False)
                else:  # no hit of either side in any shared story
                    assert all(not ((hits["story"].isin(r.stories.split(";"))) & hits["outlet"].map(
                        groups if g else (lambda o: o)).isin([r.a, r.b])).any() for r in table.itertuples())


def test_bootstrap_p_and_false_discovery_by_hand():
    from framelens.contrasts import false_discovery
    # A is above B on all 6 stories: no resampled mean reaches 0, so p = 2 (0 + 1) / (B + 1)
    v = pd.DataFrame({"story": [f"s{i}" for i in range(6) for _ in (0, 1)], "outlet": ["A", "B"] * 6,
                      "value": [3.0, 1.0, 4.0, 1.0, 2.0, 1.0, 5.0, 0.0, 3.0, 2.0, 6.0, 1.0]})
    row = paired_contrasts(v, value_col="value", n_boot=999, random_state=0).iloc[0]
    assert row["p_boot"] == pytest.approx(2 / 1000)
    # equal values on every story: every resampled mean is 0, on both sides: p = 1
    same = v.assign(value=1.0)
    assert paired_contrasts(same, value_col="value", n_boot=99).iloc[0]["p_boot"] == 1.0
    # Benjamini-Hochberg by hand: p sorted 0.01, 0.02, 0.04, 0.5 over m = 4 -> 0.04, 0.04, 0.0533, 0.5
    t = pd.DataFrame({"n_stories": [9, 9, 9, 9, 3], "p_boot": [0.04, 0.01, 0.5, 0.02, 0.001]})
    q = false_discovery(t, min_stories=5)["q_value"].tolist()
    assert q[:4] == pytest.approx([0.04 * 4 / 3, 0.04, 0.5, 0.04]) and np.isnan(q[4])
