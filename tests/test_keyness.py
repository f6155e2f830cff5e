"""Tests for framelens.keyness: the Monroe et al. (2008) log-odds ratio."""
from __future__ import annotations

import math
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from framelens.keyness import (KeynessWarning, keyness, keyness_by_outlet, keyness_evidence,
                               plot_keyness, plot_keyness_by_outlet, term_counts)

#: Three outlets, three words. Corpus totals: kyiv 10, kiev 10, the 180; n = 200.
COUNTS = pd.DataFrame({"A": [8, 0, 90], "B": [0, 6, 60], "C": [2, 4, 30]},
                      index=pd.Index(["kyiv", "kiev", "the"], name="term"))


def test_hand_worked_example() -> None:
    # target A (n_i = 98) against the rest B+C (n_j = 102), alpha0 = 10.
    # prior alpha_kyiv = 10 * 10 / 200 = 0.5
    # delta = log((8 + 0.5) / (98 + 10 - 8 - 0.5)) - log((2 + 0.5) / (102 + 10 - 2 - 0.5))
    #       = log(8.5 / 99.5) - log(2.5 / 109.5)
    #       = -2.46009 - (-3.77963) = 1.31954
    # variance = 1 / 8.5 + 1 / 2.5 = 0.117647 + 0.4 = 0.517647
    # z = 1.31954 / sqrt(0.517647) = 1.31954 / 0.719477 = 1.83403
    k = keyness(COUNTS, target="A", alpha0=10, min_count=0, min_words=0)
    row = k.loc["kyiv"]
    assert row["count_target"] == 8 and row["count_reference"] == 2
    assert row["prior"] == pytest.approx(0.5)
    assert row["delta"] == pytest.approx(math.log(8.5 / 99.5) - math.log(2.5 / 109.5))
    assert row["delta"] == pytest.approx(1.31954, abs=1e-5)
    assert row["variance"] == pytest.approx(0.517647, abs=1e-6)
    assert row["z"] == pytest.approx(1.83403, abs=1e-4)
    assert (k["n_target"] == 98).all() and (k["n_reference"] == 102).all()
    # kiev never appears in A: pushed to the reference side
    assert k.loc["kiev", "z"] < 0
    assert k["z"].is_monotonic_decreasing and k.index[-1] == "kiev"


def _independent(counts: dict[str, dict[str, int]], target: set[str], reference: set[str],
                 alpha0: float) -> dict[str, float]:
    """Straight loop re-derivation of Monroe et al. eq. 16, 18-19 with plain floats."""
    terms = sorted({w for col in counts.values() for w in col})
    total = {w: sum(col.get(w, 0) for col in counts.values()) for w in terms}
    n = sum(total.values())
    ni = sum(sum(counts[c].values()) for c in target)
    nj = sum(sum(counts[c].values()) for c in reference)
    out = {}
    for w in terms:
        yi = sum(counts[c].get(w, 0) for c in target)
        yj = sum(counts[c].get(w, 0) for c in reference)
        a = alpha0 * total[w] / n
        li = math.log((yi + a) / (ni + alpha0 - yi - a))
        lj = math.log((yj + a) / (nj + alpha0 - yj - a))
        out[w] = (li - lj) / math.sqrt(1 / (yi + a) + 1 / (yj + a))
    return out


def test_matches_independent_implementation() -> None:
    rng = np.random.default_rng(0)
    labels = ["p", "q", "r", "s"]
    terms = [f"w{i}" for i in range(40)]
    mat = rng.poisson(rng.gamma(1.0, 3.0, size=(40, 1)), size=(40, 4))
    mat[0] = 0  # a word nobody uses: dropped
    counts = pd.DataFrame(mat, index=pd.Index(terms, name="term"), columns=labels)
    plain = {c: {t: int(v) for t, v in zip(terms, mat[:, j]) if v} for j, c in enumerate(labels)}
    for alpha0 in (1.0, 50.0):
        got = keyness(counts, target="p", alpha0=alpha0, warn=False)["z"]
        want = _independent(plain, {"p"}, {"q", "r", "s"}, alpha0)
        assert set(got.index) == set(want)
        for w, z in want.items():
            assert got[w] == pytest.approx(z, rel=1e-10)
    # group against group: {p, q} vs {s}; r stays in the prior only
    groups = {"p": "left", "q": "left", "r": "centre", "s": "right"}
    got = keyness(counts, target="left", reference="right", groups=groups, alpha0=5.0,
                  warn=False)
    want = _independent(plain, {"p", "q"}, {"s"}, 5.0)
    for w in got.index:
        assert got.loc[w, "z"] == pytest.approx(want[w], rel=1e-10)
    assert got.attrs == {}  # nothing rides on attrs


def test_target_list_pools_columns() -> None:
    a = keyness(COUNTS, target=["A", "B"], reference="C", alpha0=10, warn=False)
    assert a.loc["kyiv", "count_target"] == 8 and a.loc["kiev", "count_target"] == 6
    assert a.loc["kyiv", "count_reference"] == 2


def test_min_count_gate_flags_and_warns() -> None:
    counts = pd.DataFrame({"A": [3, 0, 100], "B": [0, 0, 500], "C": [0, 1, 500]},
                          index=pd.Index(["rare", "odd", "the"], name="term"))
    with pytest.warns(KeynessWarning, match="fewer than min_count=5"):
        k = keyness(counts, target="A", alpha0=100, min_count=5, min_words=0)
    assert bool(k.loc["rare", "low_count"]) is True
    assert k.loc["rare", "z"] >= 1.96
    assert "only 3 occurrences" in k.loc["rare", "warning"]
    assert bool(k.loc["the", "low_count"]) is False and k.loc["the", "warning"] == ""
    assert "odd" in k.index  # occurs in the reference


def test_small_sample_warns_and_no_warning_when_enough() -> None:
    with pytest.warns(KeynessWarning, match="min_words=1000"):
        k = keyness(COUNTS, target="A")
    assert k["small_sample"].all()
    big = COUNTS * 100
    with warnings.catch_warnings():
        warnings.simplefilter("error", KeynessWarning)
        k = keyness(big, target="A", min_count=5, min_words=1000)
    assert not k["small_sample"].any()


@pytest.mark.parametrize("kwargs, match", [
    ({"target": "Z"}, r"target 'Z' is not a label/group in counts; available: \['A', 'B', 'C'\]"),
    ({"target": "A", "reference": "Q"}, "reference 'Q'"),
    ({"target": "A", "reference": ["A", "B"]}, "share"),
    ({"target": "A", "alpha0": 0}, "alpha0 must be a positive"),
    ({"target": "A", "min_count": -1}, "min_count"),
    ({"target": "A", "groups": {"X": "g"}}, r"groups names labels not in counts: \['X'\]"),
])
def test_bad_settings_named(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        keyness(COUNTS, warn=False, **kwargs)


def test_bad_counts() -> None:
    with pytest.raises(ValueError, match="at least 2 outlets"):
        keyness(COUNTS[["A"]], target="A")
    neg = COUNTS.copy()
    neg.loc["kiev", "B"] = -1
    with pytest.raises(ValueError, match="term 'kiev' has a negative count"):
        keyness(neg, target="A")


def test_term_counts_and_by_outlet() -> None:
    df = pd.DataFrame({"outlet": ["A", "B", "A", "C"],
                       "text": ["Kyiv’s Kyiv said.", "Kiev said.", "The Kyiv", "the end"]})
    tc = term_counts(df)
    assert tc.loc["kyiv"].to_dict() == {"A": 2, "B": 0, "C": 0}
    assert tc.loc["kyiv's", "A"] == 1  # curly apostrophe normalised, possessive kept
    assert tc.columns.name == "outlet" and tc.index.name == "term"
    assert "the" not in term_counts(df, stop_words="english").index
    with pytest.raises(ValueError, match="label_col='source'"):
        term_counts(df, label_col="source")
    k = keyness_by_outlet(tc, alpha0=5, top=2, warn=False)
    assert list(k["outlet"].unique()) == ["A", "B", "C"]
    assert k[k["outlet"] == "A"]["term"].iloc[0] == "kyiv"
    assert k[k["outlet"] == "B"]["term"].iloc[0] == "kiev"
    assert (k["rank"].groupby(k["outlet"]).max() <= 2).all()
    assert bool(k["small_sample"].all())


def test_seed_outlets_are_small_samples(seed_corpus: pd.DataFrame) -> None:
    tc = term_counts(seed_corpus)
    with pytest.warns(KeynessWarning, match="min_words"):
        k = keyness_by_outlet(tc)
    assert bool(k["small_sample"].all())  # every seed outlet has < 1000 words
    vtc = k[k["outlet"] == "VTC News"].set_index("term")
    # VTC News writes "Kiev" (5 times as a bare word, no other outlet more than once)
    assert vtc.loc["kiev", "count_target"] == 5 and vtc.loc["kiev", "z"] > 1.96


def test_plot_keyness_marks_low_counts() -> None:
    counts = pd.DataFrame({"A": [3, 0, 50, 40], "B": [0, 30, 50, 10]},
                          index=pd.Index(["rare", "kiev", "the", "kyiv"], name="term"))
    k = keyness(counts, target="A", alpha0=1, min_count=5, warn=False)
    ax = plot_keyness(k, n=2, target="A", reference="B")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "rare" in labels and "kyiv" in labels  # words shown plainly, no "(n<min)" jargon
    hatched = [labels[i] for i, bar in enumerate(ax.patches) if bar.get_hatch()]
    assert hatched == ["rare"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["hatched: too few occurrences to score"]
    assert "A" in ax.get_title()
    plt.close("all")


def test_by_outlet_collects_warnings_as_data() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", KeynessWarning)
        k = keyness_by_outlet(COUNTS, warn=False)  # no warning raised when warn=False
    # every outlet has < 1000 words (98, 66 and 36 of COUNTS' 200)
    per_outlet = k.drop_duplicates("outlet").set_index("outlet")
    assert per_outlet["small_sample"].to_dict() == {"A": True, "B": True, "C": True}
    assert per_outlet["n_words"].to_dict() == COUNTS.sum().to_dict()
    assert k.attrs == {}
    with pytest.warns(KeynessWarning, match="min_words=1000") as caught:
        keyness_by_outlet(COUNTS)
    assert sum("min_words=1000" in str(w.message) for w in caught) == 3


def test_keyness_evidence_gives_sentences_of_that_outlet(seed_corpus: pd.DataFrame) -> None:
    k = keyness_by_outlet(term_counts(seed_corpus, stop_words="english"), warn=False)
    ev = keyness_evidence(k, seed_corpus, top=3, max_sentences=2)
    assert set(ev["outlet"]) == set(seed_corpus["outlet"])
    for r in ev.itertuples():
        doc_outlet = seed_corpus.loc[seed_corpus["doc_id"] == r.doc_id, "outlet"].item()
        assert doc_outlet == r.outlet
        assert r.term in r.sentence.lower().replace("\u2019", "'")
    vtc = ev[(ev["outlet"] == "VTC News") & (ev["term"] == "kiev")]
    assert len(vtc) == 2 and vtc["sentence"].str.contains("Kiev").all()


def test_plot_keyness_by_outlet_one_panel_each() -> None:
    k = keyness_by_outlet(COUNTS, alpha0=10, min_count=20, warn=False)  # kyiv: 10 < 20
    axs = plot_keyness_by_outlet(k, n=2)
    assert [ax.get_title(loc="left") for ax in axs] == ["A (98 words)", "B (66 words)", "C (36 words)"]
    ticks = [t.get_text() for t in axs[0].get_yticklabels()]
    assert "kyiv" in ticks and ticks[[bool(b.get_hatch()) for b in axs[0].patches].index(True)] == "kyiv"
    with pytest.raises(ValueError, match="one Axes per outlet"):
        plot_keyness_by_outlet(k, axes=axs[:1])
    plt.close("all")


@pytest.mark.parametrize("stop_words", [None, "english"])
def test_term_counts_equal_countvectorizer_with_words(stop_words: str | None) -> None:
    """The Counter path gives what CountVectorizer(analyzer=words) summed per label gives."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    from framelens.text import words

    df = pd.DataFrame({"outlet": ["B", "A", "B", "C"],
                       "text": ["The war in Kyiv’s east; the WAR.", "İstanbul talks, the end",
                                "ΟΔΟΣ ΑΣ.Β kyiv's", ""]})
    stop = frozenset(ENGLISH_STOP_WORDS) if stop_words else frozenset()
    vec = CountVectorizer(analyzer=lambda t: [w for w in words(t) if w not in stop])
    x = vec.fit_transform(df["text"]).toarray()
    want = pd.DataFrame({lab: x[(df["outlet"] == lab).to_numpy()].sum(axis=0)
                         for lab in ["A", "B", "C"]}, index=vec.get_feature_names_out())
    got = term_counts(df, stop_words=stop_words)
    assert got.index.tolist() == sorted(want.index)
    assert got.to_numpy().tolist() == want.sort_index().to_numpy().tolist()
    assert got.loc["war", "B"] == 2 and got.loc["kyiv's", "B"] == 2
    assert list(got.columns) == ["A", "B", "C"]


def test_one_outlet_or_no_words_is_a_plain_not_enough_data_error() -> None:
    from framelens.keyness import keyness, keyness_by_outlet
    from framelens.notes import NotEnoughData

    one = pd.DataFrame({"A": [3, 1]}, index=["kyiv", "nato"])
    with pytest.raises(NotEnoughData, match=r"needs at least 2 outlets .*the counts have 1: \['A'\]"):
        keyness_by_outlet(one)
    zeros = pd.DataFrame({"A": [0, 0], "B": [0, 0]}, index=["kyiv", "nato"])
    with pytest.raises(NotEnoughData, match="the counts are all zero"):
        keyness(zeros, target="A")


def test_counts_by_label_checks_the_shapes() -> None:
    from framelens.keyness import counts_by_label
    from framelens.text import word_matrix

    types, counts = word_matrix(["Kyiv said", "Kiev"])
    with pytest.raises(ValueError, match=r"shape \(2, 3\), but there are 3 labels"):
        counts_by_label(types, counts, ["A", "B", "C"])
    assert counts_by_label(types, counts, ["A", "B"]).loc["kyiv"].tolist() == [1, 0]
