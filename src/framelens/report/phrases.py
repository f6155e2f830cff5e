"""Numbers and names in words: the small phrase builders every finding, figure title and README
bullet uses ("A, B and C", "3 hits", "46%"), so one style holds throughout.
"""
from __future__ import annotations

import pandas as pd

__all__ = [
    "pct",
    "counted",
    "listed",
    "quoted",
    "labels_by_outlets",
]


def pct(x: float) -> str:
    """A share as a whole percentage.

    >>> pct(0.456), pct(1)
    ('46%', '100%')
    """
    return f"{100 * float(x):.0f}%"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``3 hits``, ``1 hit``.

    >>> counted(3, "hit"), counted(1, "hit"), counted(2, "body", "bodies")
    ('3 hits', '1 hit', '2 bodies')
    """
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def listed(items: list[str]) -> str:
    """Items joined as prose, with no comma before the "and".

    >>> listed(["A", "B", "C"]), listed(["A"]), listed([])
    ('A, B and C', 'A', '')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def quoted(items: list[str]) -> str:
    """Each item in curly quotation marks, joined as :func:`listed` joins them.

    >>> print(quoted(["thug", "leader"]))
    “thug” and “leader”
    """
    return listed([f"\u201c{i}\u201d" for i in items])


def labels_by_outlets(labels: pd.DataFrame, *, actor: str, order: list[str], top: int) -> list[str]:
    """"A and B call X “l1” and “l2”", one phrase per set of outlets that use the same labels.

    ``labels`` holds one actor's rows of ``actor_labels`` (``outlet``, ``label``, ``count``).
    Outlets are grouped only when their label sets are equal, so no outlet is said to use a
    label it does not use; each group's labels are ordered by their summed count (then by
    label), at most ``top`` of them, with "and N more" when some are left out. Groups follow
    the first of their outlets in ``order``.
    """
    if labels.empty:
        return []
    sets = labels.groupby(labels["outlet"].astype(str))["label"].agg(lambda l: frozenset(map(str, l)))
    rank = {o: i for i, o in enumerate(order)}
    groups: dict[frozenset[str], list[str]] = {}
    for outlet in sorted(sets.index, key=lambda o: (rank.get(o, len(rank)), o)):
        groups.setdefault(sets[outlet], []).append(outlet)
    phrases = []
    for used, outlets in groups.items():
        rows = labels[labels["outlet"].astype(str).isin(outlets)]
        said = rows.groupby(rows["label"].astype(str))["count"].sum()
        said = sorted(said.items(), key=lambda kv: (-kv[1], kv[0]))
        more = f" and {len(said) - top} more" if len(said) > top else ""
        phrases.append(f"{listed(outlets)} {'calls' if len(outlets) == 1 else 'call'} {actor} "
                       f"{quoted([label for label, _ in said[:top]])}{more}")
    return phrases
