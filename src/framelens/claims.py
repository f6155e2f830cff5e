"""When may a sentence say "the most", "the closest", "only" or "every"?

Every comparative statement on the findings page and in the README goes through these
helpers, so a superlative is written only when the numbers single one item out:

* :func:`ties` lists the items whose value is within ``tol`` of the best one. A
  statement names one item as "the most ..." only when that list has one entry, and
  names all of them ("X, Y and Z tie ...") otherwise.
* :func:`wilson` gives the Wilson score interval of a share ``k / n`` (a share of
  bootstrap samples or of settings), and :func:`overlapping` lists the items whose
  interval overlaps the best item's: an overlap means the runs cannot tell them apart.

These are descriptive guards, not tests: a tie at the printed precision, or an
overlapping interval, is reason enough not to single one item out.
"""
from __future__ import annotations

import math
from typing import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["COSINE_TOL", "SHARE_TOL", "ties", "wilson", "overlapping", "describe_ties"]

#: Cosines closer than this tie: they print the same at two decimals (0.5327, 0.5298 and
#: 0.5294 all read 0.53), and one changed setting (stop words kept) moves them by more.
COSINE_TOL: float = 0.005
#: Shares of words (own material, coverage) closer than one percentage point tie.
SHARE_TOL: float = 0.01


def _as_series(values: Mapping[Hashable, float] | pd.Series | Sequence[float]) -> pd.Series:
    if isinstance(values, pd.Series):
        s = values
    elif isinstance(values, Mapping):
        s = pd.Series(dict(values), dtype=float)
    else:
        s = pd.Series(list(values), dtype=float)
    s = s.astype(float)
    if s.isna().any():
        raise ValueError(f"values hold NaN at {list(s.index[s.isna()])[:5]}; drop them first")
    return s


def ties(values: Mapping[Hashable, float] | pd.Series | Sequence[float], *, tol: float,
         best: str = "max") -> list[Hashable]:
    """The items whose value is within ``tol`` of the best value, best first.

    Item ``i`` ties with the best when :math:`|v_i - v_{best}| \\le tol`
    (with a relative slack of 1e-9 so that values equal at the printed precision
    are not split by floating-point noise).

    Parameters
    ----------
    values : mapping, Series or sequence of float
        Item -> value (a sequence is indexed 0, 1, ...).
    tol : float
        Largest difference from the best still counted as a tie (0: exact ties only).
    best : {"max", "min"}, default "max"
        Whether the best value is the largest or the smallest.

    Returns
    -------
    list
        Item labels, ordered from the best value, ties in the input order. One item
        means the best is alone and a superlative may be stated; more than one means
        the statement must name them all. Empty for empty input.

    Examples
    --------
    >>> ties({"a": 0.5327, "b": 0.5298, "c": 0.5294, "d": 0.496}, tol=0.005)
    ['a', 'b', 'c']
    >>> ties([3, 1, 3], tol=0, best="max")
    [0, 2]
    >>> ties({"x": 0.0, "y": 0.0, "z": 0.3}, tol=0, best="min")
    ['x', 'y']
    """
    if best not in ("max", "min"):
        raise ValueError(f"best={best!r}; allowed: 'max' or 'min'")
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.floating)) or not tol >= 0:
        raise ValueError(f"tol={tol!r} must be a non-negative number")
    s = _as_series(values)
    if s.empty:
        return []
    top = s.max() if best == "max" else s.min()
    slack = float(tol) + 1e-9 * max(1.0, abs(float(top)))
    tied = s[(s - top).abs() <= slack]
    order = tied.sort_values(ascending=(best == "min"), kind="mergesort")
    return list(order.index)


def wilson(k: int, n: int, *, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of the share ``k / n``.

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    Parameters
    ----------
    k, n : int
        Successes (runs in which a pair shares a cluster) and runs; ``0 <= k <= n``, ``n >= 1``.
    z : float, default 1.96
        Normal quantile (1.96: a 95% interval).

    Returns
    -------
    (low, high) : tuple of float

    Examples
    --------
    >>> [round(x, 3) for x in wilson(191, 200)]
    [0.917, 0.976]
    >>> wilson(0, 16)[0]
    0.0
    """
    for name, v in (("k", k), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise ValueError(f"{name}={v!r} must be a whole number")
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1; got k={k}, n={n}")
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def overlapping(intervals: Mapping[Hashable, tuple[float, float]], *, best: str = "max") -> list[Hashable]:
    """The items whose interval overlaps the interval of the best item, best first.

    The best item is the one with the highest (``best="max"``) or lowest midpoint;
    item ``i`` overlaps it when :math:`lo_i \\le hi_{best}` and :math:`lo_{best} \\le hi_i`.

    Parameters
    ----------
    intervals : mapping
        Item -> (low, high).
    best : {"max", "min"}, default "max"

    Returns
    -------
    list
        The best item first, then the overlapping ones by midpoint. One item: the best
        stands apart; more: the statement must not single it out.

    Examples
    --------
    >>> overlapping({"a": wilson(191, 200), "b": wilson(186, 200), "c": wilson(37, 200)})
    ['a', 'b']
    """
    if best not in ("max", "min"):
        raise ValueError(f"best={best!r}; allowed: 'max' or 'min'")
    if not intervals:
        return []
    mid = pd.Series({key: (lo + hi) / 2 for key, (lo, hi) in intervals.items()}, dtype=float)
    order = list(mid.sort_values(ascending=(best == "min"), kind="mergesort").index)
    lo_b, hi_b = intervals[order[0]]
    return [key for key in order if intervals[key][0] <= hi_b and lo_b <= intervals[key][1]]


def describe_ties(names: Sequence[str], values: Sequence[float], *, digits: int = 4) -> str:
    """``"A (0.5327), B (0.5298) and C (0.5294)"``: tied items with their values, for a sentence.

    Examples
    --------
    >>> describe_ties(["A", "B"], [0.53271, 0.5298])
    'A (0.5327) and B (0.5298)'
    """
    items = [f"{n} ({v:.{digits}f})" for n, v in zip(names, values)]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
