"""Reading the saved tables back: the one CSV writer and reader, the corpus's outlet order and
colours, and the counts that several parts of the report share.

Every figure, sentence, README bullet and page section reads ``OUT/tables/NAME.csv`` through
:func:`read_table`, so nothing on the page can come from anywhere but a saved table.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "write_csv",
    "read_table",
    "corpus_outlets",
    "corpus_colours",
    "corpus_order",
    "square_table",
    "quoted_passages",
    "spellings",
    "used_variants",
    "LOADED_REGISTERS",
    "top_loaded_rate",
    "untitled_outlets",
    "keyness_min_count",
    "separates",
    "furthest_articles",
]


def write_csv(df: pd.DataFrame, path: Path, *, index: bool = False) -> None:
    """Write ``df`` as CSV at ``path`` (Unix line ends, the folder made): the writer of every table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=index, lineterminator="\n")


def read_table(out: Path, name: str, **kwargs: Any) -> pd.DataFrame | None:
    """The saved table ``out/tables/NAME.csv`` (empty cells read as ``""``, not NaN), or None if missing."""
    path = out / "tables" / f"{name}.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=False, **kwargs)


def corpus_outlets(out: Path) -> list[str]:
    """The outlets of the corpus, in corpus order."""
    t = read_table(out, "corpus")
    return [] if t is None else t["outlet"].astype(str).drop_duplicates().tolist()


def corpus_colours(out: Path) -> dict[str, str]:
    """Outlet (and article label) -> its one colour (:func:`framelens.viz.outlet_colours`)."""
    from framelens.viz import outlet_colours

    t = read_table(out, "corpus")
    if t is None:
        return {}
    colours = outlet_colours(t["outlet"].astype(str).drop_duplicates().tolist())
    for outlet, doc in zip(t["outlet"].astype(str), t["doc_id"].astype(str)):
        colours.setdefault(f"{outlet} \u00b7 {doc}", colours[outlet])
    return colours


def corpus_order(out: Path) -> list[str]:
    """The outlet order of every figure and table on the page: the corpus order (tables/corpus.csv).

    Article labels of an outlet with several articles (``outlet · doc_id``) follow their outlet.
    """
    t = read_table(out, "corpus")
    if t is None:
        return []
    order: list[str] = []
    for outlet, doc in zip(t["outlet"].astype(str), t["doc_id"].astype(str)):
        order += [outlet, f"{outlet} \u00b7 {doc}"]
    return list(dict.fromkeys(order))


def square_table(out: Path, name: str) -> pd.DataFrame | None:
    """A square table saved with its index (similarity, co-occurrence), labels as strings; None if missing."""
    table = read_table(out, name, index_col=0)
    if table is None:
        return None
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    return table


def quoted_passages(q: pd.DataFrame) -> pd.DataFrame:
    """One row per quoted passage (a speaker's words however many quotation marks split them)."""
    if "passage_id" not in q.columns:
        return q.assign(passage_id=q["quote_id"])
    return q.drop_duplicates(["doc_id", "passage_id"])


def spellings(out: Path) -> pd.DataFrame | None:
    """Every name spelled in more than one way (spelling_table.csv), else the curated list's counts."""
    t = read_table(out, "spelling_table")
    return read_table(out, "spelling_marked") if t is None else t


def used_variants(out: Path) -> pd.DataFrame | None:
    """The spellings in use (count > 0) of every name written in more than one way; None without a spelling table."""
    t = spellings(out)
    if t is None or t.empty:
        return None
    used = t[t["count"] > 0]
    names = used.groupby("name")["variant"].nunique()
    return used[used["name"].isin(names[names > 1].index)]


#: Lexicon registers counted as loaded wording (a label holding one of their terms is marked loaded).
LOADED_REGISTERS = ("delegitimising", "legitimising")


def top_loaded_rate(rates: pd.DataFrame) -> pd.Series | None:
    """Row of the highest rate of loaded wording (registers in ``LOADED_REGISTERS``), None if all zero."""
    loaded = rates[rates["register"].astype(str).isin(LOADED_REGISTERS) & (rates["rate"] > 0)]
    if loaded.empty:
        return None
    return loaded.sort_values(["rate", "outlet"], ascending=[False, True], kind="mergesort").iloc[0]


def untitled_outlets(out: Path, actor: str) -> dict[str, int]:
    """Outlets that name ``actor`` but never with a title (actor_titles.csv), with their mentions."""
    titles = read_table(out, "actor_titles")
    if titles is None or titles.empty:
        return {}
    rows = titles[(titles["actor"].astype(str) == actor)
                  & titles["only_untitled"].astype(str).str.lower().eq("true")]
    return {str(o): int(c) for o, c in rows.groupby("outlet")["count"].sum().items()}


def keyness_min_count() -> int:
    """The minimum count below which keyness marks a word (the default the page's tables use)."""
    import inspect

    from framelens.keyness import keyness_by_outlet

    return int(inspect.signature(keyness_by_outlet).parameters["min_count"].default)


def separates(partition: str, a: str, b: str) -> bool:
    """Whether a partition string (``{A, B} | {C}``) puts ``a`` and ``b`` in different groups.

    >>> separates("{A, B} | {C}", "A", "C"), separates("{A, B} | {C}", "A", "B")
    (True, False)
    """
    groups = [set(g.strip("{}").split(", ")) for g in partition.split(" | ")]
    return not any(a in g and b in g for g in groups)


def furthest_articles(values: dict[tuple[str, str], float]) -> tuple[list[str], dict[str, float]]:
    """Articles with the lowest mean cosine to the others (ties within COSINE_TOL), and every mean.

    >>> odd, means = furthest_articles({("A", "B"): 0.9, ("A", "C"): 0.2, ("B", "C"): 0.3})
    >>> odd, round(means["C"], 2)
    (['C'], 0.25)
    """
    from framelens.claims import COSINE_TOL, ties

    names = sorted({x for pair in values for x in pair})
    means = {o: float(np.mean([v for p, v in values.items() if o in p])) for o in names}
    return [str(x) for x in ties(means, tol=COSINE_TOL, best="min")], means
