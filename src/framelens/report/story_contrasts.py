"""Which across-story contrasts are read as evidence: enough shared stories, an interval that excludes 0.

:data:`MIN_SHARED_STORIES` is the gate for the contrasts, the actor measures and the page;
:func:`clear_contrasts` and :func:`strongest_measure` read a ``contrasts`` table
(:func:`framelens.report.story_tables.many_story_tables`).
"""
from __future__ import annotations

import pandas as pd

from framelens.notes import NotEnoughData

__all__ = ["MIN_SHARED_STORIES", "clear_contrasts", "strongest_measure"]


#: A pair of outlets is tested (its interval read as evidence) only on at least this many
#: shared stories: resampling two or three stories gives an interval that excludes 0 whenever
#: they differ the same way, which is no evidence of a habit.
MIN_SHARED_STORIES = 5


def clear_contrasts(contrasts: pd.DataFrame, *, min_stories: int = MIN_SHARED_STORIES) -> pd.DataFrame:
    """The contrasts on at least ``min_stories`` shared stories whose bootstrap interval
    excludes 0, largest |difference| first per measure.

    Raises :class:`NotEnoughData` when there is no contrast at all (no two outlets share
    a story), so a notebook shows the reason.

    >>> t = pd.DataFrame({"measure": ["m"] * 3, "level": ["outlet"] * 3, "a": ["A", "A", "B"],
    ...                   "b": ["B", "C", "C"], "n_stories": [9, 9, 2], "difference": [0.5, -2.0, 3.0],
    ...                   "ci_low": [-0.1, -3.0, 2.0], "ci_high": [1.0, -1.0, 4.0]})
    >>> clear_contrasts(t)[["a", "b"]].values.tolist()
    [['A', 'C']]
    """
    if contrasts is None or not len(contrasts):
        raise NotEnoughData("no two outlets cover a common story: nothing to compare across stories")
    tested = contrasts[contrasts["n_stories"] >= min_stories]
    clear = tested[(tested["ci_low"] > 0) | (tested["ci_high"] < 0)]
    order = clear["difference"].abs().rename("size")
    return (clear.assign(size=order).sort_values(["measure", "level", "size"], ascending=[True, True, False],
                                                 kind="stable").drop(columns="size").reset_index(drop=True))


def strongest_measure(contrasts: pd.DataFrame, *, level: str = "outlet") -> str:
    """The measure with the most pairs whose interval excludes 0 at ``level`` (ties: name order).

    Raises :class:`NotEnoughData` when no pair at that level has such an interval.
    """
    clear = clear_contrasts(contrasts)
    clear = clear[clear["level"] == level]
    if not len(clear):
        raise NotEnoughData(f"no {level} pair has a bootstrap interval that excludes 0 on any measure")
    counts = clear.groupby("measure").size()
    return str(counts[counts == counts.max()].index.sort_values()[0])
