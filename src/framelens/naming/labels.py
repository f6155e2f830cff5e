"""Tables of the labels found: counts per actor and outlet, loaded labels, the actor x outlet
matrix.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = ["label_counts", "loaded_labels", "label_matrix"]

def label_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """How often each outlet attaches each label to each actor.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`~framelens.naming.mentions.find_mentions`.

    Returns
    -------
    pandas.DataFrame
        Columns ``actor``, ``outlet``, ``label``, ``count``, ``example`` (the first
        sentence carrying the label); labelled mentions only; sorted by actor,
        outlet, count descending, label.

    Examples
    --------
    >>> m = pd.DataFrame({"actor": ["P", "P", "P"], "outlet": ["A", "A", "B"],
    ...                   "label": ["dictator", "dictator", None], "sentence": ["s1", "s2", "s3"]})
    >>> label_counts(m)[["actor", "outlet", "label", "count"]].to_dict("records")
    [{'actor': 'P', 'outlet': 'A', 'label': 'dictator', 'count': 2}]
    """
    for col in ("actor", "outlet", "label", "sentence"):
        if col not in mentions.columns:
            raise ValueError(f"mentions lacks column {col!r}; pass the output of find_mentions()")
    lab = mentions[mentions["label"].notna()]
    g = lab.groupby(["actor", "outlet", "label"], sort=True)
    out = g.size().rename("count").reset_index()
    out["example"] = g["sentence"].first().to_numpy()
    out = out.astype({"count": "int64"})
    out = out.sort_values(["actor", "outlet", "count", "label"],
                          ascending=[True, True, False, True], kind="mergesort")
    return out.reset_index(drop=True)


def loaded_labels(mentions: pd.DataFrame, hits: pd.DataFrame, *,
                  registers: Iterable[str] = ("delegitimising", "legitimising")) -> pd.DataFrame:
    """Which mentions carry a loaded label: a lexicon hit of ``registers`` inside the label.

    A mention's label (:func:`~framelens.naming.mentions.find_mentions`: ``label_start``,
    ``label_end``) is *loaded* when a hit of :func:`framelens.lexicon.lexicon_hits` in one of
    ``registers`` lies wholly inside it in the same document ("Russian *dictator*
    Putin", "the *illegitimate* Russian president"). The default registers are the
    ones the one-event page marks as loaded labels: the general sentiment words
    (``negative``, ``positive``) would make "President-*elect*" or "*wealthy*
    businessman" loaded.

    Parameters
    ----------
    mentions : pandas.DataFrame
        ``doc_id``, ``label_start``, ``label_end`` (-1 when no label).
    hits : pandas.DataFrame
        ``doc_id``, ``start``, ``end``, ``register``, ``match``; hits do not overlap
        (as :func:`framelens.lexicon.lexicon_hits` gives them).

    Returns
    -------
    pandas.DataFrame
        ``mentions`` with ``labelled`` (bool: the mention has a label) and
        ``loaded_term`` (the first such hit's matched words; ``""`` when none).

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "label_start": [0, -1, 0], "label_end": [16, -1, 9]})
    >>> h = pd.DataFrame({"doc_id": ["a", "b"], "start": [8, 20], "end": [16, 27],
    ...                   "register": ["delegitimising", "negative"], "match": ["dictator", "brutal"]})
    >>> loaded_labels(m, h)[["labelled", "loaded_term"]].values.tolist()
    [[True, 'dictator'], [False, ''], [True, '']]
    """
    for col in ("doc_id", "label_start", "label_end"):
        if col not in mentions.columns:
            raise ValueError(f"mentions lacks column {col!r}; pass the output of find_mentions()")
    for col in ("doc_id", "start", "end", "register", "match"):
        if col not in hits.columns:
            raise ValueError(f"hits lacks column {col!r}; pass the output of lexicon_hits()")
    keep = hits[hits["register"].astype(str).isin(set(registers))]
    docs, codes = np.unique(np.concatenate([keep["doc_id"].astype(str).to_numpy(dtype=object),
                                            mentions["doc_id"].astype(str).to_numpy(dtype=object)]),
                            return_inverse=True)
    h_doc, m_doc = codes[:len(keep)].astype(np.int64), codes[len(keep):].astype(np.int64)
    # one sorted key (document, start) for the hits: the first hit at or after a label's
    # start is the only one that can lie inside it first (hits do not overlap)
    h_key = (h_doc << 32) + keep["start"].to_numpy(dtype=np.int64)
    order = np.argsort(h_key, kind="stable")
    h_key, h_doc = h_key[order], h_doc[order]
    h_end = keep["end"].to_numpy(dtype=np.int64)[order]
    h_match = keep["match"].astype(str).to_numpy(dtype=object)[order]
    ls = mentions["label_start"].to_numpy(dtype=np.int64)
    le = mentions["label_end"].to_numpy(dtype=np.int64)
    labelled = ls >= 0
    i = np.searchsorted(h_key, (m_doc << 32) + np.maximum(ls, 0), side="left")
    j = np.minimum(i, max(len(h_key) - 1, 0))
    inside = labelled & (i < len(h_key))
    if len(h_key):
        inside &= (h_doc[j] == m_doc) & (h_end[j] <= le)
    term = np.where(inside, h_match[j] if len(h_key) else "", "")
    return mentions.assign(labelled=labelled, loaded_term=term.astype(object))


def label_matrix(mentions: pd.DataFrame, *, actors: Sequence[str] | None = None,
                 outlets: Sequence[str] | None = None, show_unlabelled: bool = False
                 ) -> pd.DataFrame:
    """Actor x outlet table of labels with counts, e.g. ``"Russian President (2)"``.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`~framelens.naming.mentions.find_mentions`.
    actors, outlets : list of str, optional
        Rows and columns, in this order (e.g. every actor of the alias table and
        every outlet of the corpus); default those present in ``mentions``. An actor
        never mentioned gets a row of empty strings.
    show_unlabelled : bool, default False
        Append "+ n bare" to each cell: mentions without a label.

    Returns
    -------
    pandas.DataFrame
        Index ``actor``, columns ``outlet``; each cell "label (count)" joined by
        "; ", most frequent first; "" where the outlet labels the actor nowhere.

    Examples
    --------
    >>> m = pd.DataFrame({"actor": ["P", "P", "P"], "outlet": ["A", "A", "B"],
    ...                   "label": ["dictator", "dictator", None], "sentence": ["s1", "s2", "s3"]})
    >>> label_matrix(m, actors=["P", "Q"], outlets=["A", "B"]).to_dict("index")
    {'P': {'A': 'dictator (2)', 'B': ''}, 'Q': {'A': '', 'B': ''}}
    """
    counts = label_counts(mentions)
    actors = list(actors if actors is not None else sorted(mentions["actor"].dropna().unique()))
    outlets = list(outlets if outlets is not None else sorted(mentions["outlet"].dropna().unique()))
    cells = {(a, o): [] for a in actors for o in outlets}
    for r in counts.itertuples(index=False):
        if (r.actor, r.outlet) in cells:
            cells[(r.actor, r.outlet)].append(f"{r.label} ({r.count})")
    bare = Counter()
    if show_unlabelled:
        for a, o in mentions.loc[mentions["label"].isna(), ["actor", "outlet"]].itertuples(
                index=False):
            bare[(a, o)] += 1
    data = {}
    for o in outlets:
        col = []
        for a in actors:
            text = "; ".join(cells[(a, o)])
            if show_unlabelled and bare[(a, o)]:
                text = (text + "; " if text else "") + f"+ {bare[(a, o)]} bare"
            col.append(text)
        data[o] = col
    out = pd.DataFrame(data, index=pd.Index(actors, name="actor"), dtype="string")
    out.columns.name = "outlet"
    return out
