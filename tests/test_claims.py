"""Tests for framelens.claims: the guards every "most", "closest", "only" and "every" goes through."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from framelens.claims import describe_ties, overlapping, ties, wilson


def test_the_seed_similarity_tie():
    # similarity.csv of the seeds: 003-004 0.532701, VTC-004 0.529756, CNN-VTC 0.529377, next CNN-004 0.495997
    values = {"003-004": 0.532701, "VTC-004": 0.529756, "CNN-VTC": 0.529377, "CNN-004": 0.495997}
    assert ties(values, tol=0.005) == ["003-004", "VTC-004", "CNN-VTC"]
    assert ties(values, tol=0.001) == ["003-004"]  # 0.532701 - 0.529756 = 0.002945 > 0.001
    assert ties(values, tol=0.0) == ["003-004"]


def test_ties_at_the_bottom_and_exact():
    own = {"004": 0.0, "003": 0.0, "000": 0.297587, "VTC": 0.306738, "CNN": 0.351433}
    assert ties(own, tol=0.01, best="min") == ["004", "003"]
    assert ties(own, tol=0.01) == ["CNN"]  # 0.351433 - 0.306738 = 0.045 > 0.01
    assert ties([], tol=0) == []


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="tol=-1"):
        ties([1.0], tol=-1)
    with pytest.raises(ValueError, match="best='top'"):
        ties([1.0], tol=0, best="top")
    with pytest.raises(ValueError, match="NaN"):
        ties([1.0, float("nan")], tol=0)
    with pytest.raises(ValueError, match="k=5, n=4"):
        wilson(5, 4)


def test_wilson_by_hand():
    # p = 0.955, z^2/n = 0.019208: centre (0.955 + 0.009604) / 1.019208 = 0.946433,
    # half 1.96 * sqrt(0.955 * 0.045 / 200 + 3.8416 / 160000) / 1.019208 = 0.029723
    lo, hi = wilson(191, 200)
    assert lo == pytest.approx(0.916710, abs=1e-5) and hi == pytest.approx(0.976156, abs=1e-5)
    assert wilson(16, 16)[1] == 1.0 and wilson(0, 16)[0] == 0.0


def test_overlapping_bootstrap_pairs_of_the_seeds():
    # cluster_pairs.csv, k=2: 191, 186, 181, 179 and 37 of 200 samples
    iv = {p: wilson(t, 200) for p, t in
          {"CNN-VTC": 191, "004-VTC": 186, "003-004": 181, "CNN-004": 179, "000-003": 37}.items()}
    assert overlapping(iv) == ["CNN-VTC", "004-VTC", "003-004", "CNN-004"]
    assert overlapping({"a": (0.9, 1.0), "b": (0.1, 0.2)}) == ["a"]


def test_describe_ties():
    assert describe_ties(["A", "B", "C"], [0.532701, 0.529756, 0.529377]) == "A (0.5327), B (0.5298) and C (0.5294)"


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=30),
       st.floats(min_value=0, max_value=10))
def test_ties_hold_the_best_and_only_near_values(values, tol):
    tied = ties(values, tol=tol)
    best = max(values)
    assert values.index(best) in tied or any(values[i] == best for i in tied)
    assert all(abs(values[i] - best) <= tol + 1e-9 * max(1.0, abs(best)) for i in tied)
    assert all(i in tied for i, v in enumerate(values) if abs(v - best) < tol * 0.999)
