"""How outlets label the actors they share, in their own voice: the actor measures' counts.

:func:`actor_label_counts` picks the actors worth measuring (mentioned by two outlets in
enough stories, labelled often enough: :data:`MIN_LABELLED_SHARE`) from an alias table or a
proposal, and counts each article's narration mentions, labelled and loaded; every actor
tried is listed with the rule that measured it or left it out (:data:`ACTORS_TRIED_COLUMNS`).
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.report.story_contrasts import MIN_SHARED_STORIES

__all__ = ["MIN_LABELLED_SHARE", "ACTORS_TRIED_COLUMNS", "actor_label_counts"]


#: An actor is measured by :func:`actor_label_counts` only if at least this share of its
#: mentions carry a label: people and offices are titled (Trump 17%, Obama 30% of mentions on
#: Article-Bias-Prediction), places and parties almost never (Washington, Senate about 1%).
MIN_LABELLED_SHARE = 0.1
#: Columns of the table of actors tried by :func:`actor_label_counts` (``actors_measured.csv``).
ACTORS_TRIED_COLUMNS = ("actor", "source", "shared_stories", "mentions", "labelled", "labelled_pct",
                        "measured", "reason")


def _inside(rows: np.ndarray, starts: np.ndarray, spans: pd.DataFrame) -> np.ndarray:
    """Whether each offset ``starts`` of article ``rows`` lies inside one of ``spans`` (row, start, end)."""
    if not len(spans) or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    key = (spans["row"].to_numpy(dtype=np.int64) << 32) + spans["start"].to_numpy(dtype=np.int64)
    order = np.argsort(key, kind="stable")
    key, end = key[order], spans["end"].to_numpy(dtype=np.int64)[order]
    row_of = spans["row"].to_numpy(dtype=np.int64)[order]
    i = np.searchsorted(key, (rows << 32) + starts, side="right") - 1
    ok = i >= 0
    j = np.maximum(i, 0)
    return ok & (row_of[j] == rows) & (end[j] > starts)


def actor_label_counts(articles: pd.DataFrame, *, hits: pd.DataFrame, quoted: pd.DataFrame,
                       actors: pd.DataFrame | str | Path | None = None, story_col: str = "story",
                       outlet_col: str = "outlet", text_col: str = "text", max_actors: int = 10,
                       min_stories: int | None = None, sample: int = 1000, random_state: int = 0,
                       chunk_size: int = 2000) -> tuple[pd.DataFrame, pd.DataFrame, str, pd.DataFrame]:
    """How each outlet labels each actor in its own voice: mentions, labelled, loaded, per article.

    Mentions are those of :func:`framelens.actors.find_mentions` lying outside every
    quotation of ``quoted`` (the outlet's narration: a label inside a quotation is the
    speaker's). A mention is *labelled* when it has a label (a title or epithet:
    "President Trump", "the Russian dictator Putin") and *loaded* when a narration hit
    of ``hits`` in the delegitimising or legitimising register lies inside that label
    (:func:`framelens.actors.loaded_labels`, as the one-event page marks loaded
    labels). The actors measured are at most ``max_actors`` of the table: those
    mentioned by two outlets or more in at least ``min_stories`` stories (default
    :data:`~framelens.report.story_contrasts.MIN_SHARED_STORIES`) and labelled in at least ``min_stories`` mentions and
    in at least :data:`MIN_LABELLED_SHARE` of them, the most such stories first
    (ties: name), so places, parties and bodies named without titles
    ("Washington", "Senate", "Democrats": about 1% of their mentions labelled on
    Article-Bias-Prediction, mostly by mistake) do not fill the table. The measures
    are then, for outlet ``o`` in story ``s`` and actor ``x``:
    ``% with a loaded label = 100 * loaded_o,s,x / mentions_o,s,x`` and ``% with a
    title or label = 100 * labelled_o,s,x / mentions_o,s,x`` (a story where ``o``
    does not mention ``x`` has no value).

    Parameters
    ----------
    articles : pandas.DataFrame
        The compared articles, positions as in ``hits["row"]`` and ``quoted["row"]``.
    hits, quoted : pandas.DataFrame
        The hits and quotations of :func:`~framelens.report.story_counts.voice_counts` (``return_quotes=True``).
    actors : DataFrame or path, optional
        Alias table (:func:`framelens.actors.load_actors`). Default: the 3 x
        ``max_actors`` most frequent of :func:`framelens.actors.propose_actors`
        (``min_count=2 * min_stories``) on a random ``sample`` of the articles
        (seeded by ``random_state``; the proposal's time grows faster than the
        articles: 13 CPU s on 1,000 Article-Bias-Prediction articles). Their names
        are the proposal's ids (e.g. "Donald" for "President Donald Trump" where the
        proposal keeps the first name apart); an alias table names them properly.

    Returns
    -------
    (counts, mentions, note, tried) : (pandas.DataFrame, pandas.DataFrame, str, pandas.DataFrame)
        ``counts``: one row per article and measured actor with a mention in
        narration: ``row``, ``actor``, ``mentions``, ``labelled``, ``loaded``.
        ``mentions``: the labelled narration mentions of the measured actors:
        ``row``, ``actor``, ``start``, ``label``, ``loaded_term``. ``note`` says
        where the actors came from. ``tried`` (:data:`ACTORS_TRIED_COLUMNS`): one row
        per actor of the alias table or proposal, measured ones first in the order
        measured: ``actor``, ``source`` ("alias table" or "proposed"),
        ``shared_stories`` (stories where two outlets or more mention it in
        narration), ``mentions`` and ``labelled`` (narration mentions, and those
        with a label), ``labelled_pct``, ``measured`` and ``reason`` (the first rule
        it fails, or "measured").
    """
    from framelens.actors import load_actors

    min_stories = MIN_SHARED_STORIES if min_stories is None else int(min_stories)
    if isinstance(max_actors, bool) or not isinstance(max_actors, (int, np.integer)) or max_actors < 0:
        raise ValueError(f"max_actors must be an integer >= 0, got {max_actors!r}")
    cols = ["row", "actor", "mentions", "labelled", "loaded"]
    m_cols = ["row", "actor", "start", "label", "loaded_term"]
    none = (pd.DataFrame({c: pd.Series(dtype=object if c == "actor" else np.int64) for c in cols}),
            pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("row", "start") else object) for c in m_cols}))
    rules = {"source": "proposed" if actors is None else "alias table", "min_stories": min_stories,
             "max_actors": max_actors}
    if actors is None:
        table, note = _proposed_actors(articles, text_col=text_col, outlet_col=outlet_col, max_actors=max_actors,
                                       min_stories=min_stories, sample=sample, random_state=random_state)
        if table is None:
            return (*none, note, _actors_tried(None, **rules))
    else:
        table = load_actors(actors)
        note = f"actors from the alias table ({len(table)} actors)"
    parts = _narration_mentions(articles, table, hits=hits, quoted=quoted, text_col=text_col, chunk_size=chunk_size)
    if not parts or not sum(map(len, parts)):
        return (*none, note, _actors_tried(table, **rules))
    m = pd.concat(parts, ignore_index=True).rename(columns={"doc_id": "row"})
    m["story"] = articles[story_col].astype(str).to_numpy(dtype=object)[m["row"].to_numpy()]
    m["outlet"] = articles[outlet_col].astype(str).to_numpy(dtype=object)[m["row"].to_numpy()]
    stats = _actor_stats(m)
    ok = [a for a, r in stats.iterrows()
          if _failed_rule(r["shared_stories"], r["labelled"], r["mentions"], min_stories=min_stories) is None]
    chosen = sorted(ok, key=lambda a: (-stats.at[a, "shared_stories"], str(a)))[:max_actors]
    every = _actors_tried(table, stats, [str(a) for a in chosen], **rules)
    m = m[m["actor"].isin(chosen)]
    counts = (m.assign(loaded=m["loaded_term"] != "").groupby(["row", "actor"], sort=True)
              .agg(mentions=("start", "size"), labelled=("labelled", "sum"), loaded=("loaded", "sum")).reset_index())
    note += f"; {len(chosen)} measured ({', '.join(map(str, chosen))})" if chosen else "; none mentioned widely enough"
    return (counts.astype({"mentions": np.int64, "labelled": np.int64, "loaded": np.int64})[cols],
            m[m["labelled"]][m_cols].reset_index(drop=True), note, every)


def _proposed_actors(articles: pd.DataFrame, *, text_col: str, outlet_col: str, max_actors: int, min_stories: int,
                     sample: int, random_state: int) -> tuple[pd.DataFrame | None, str]:
    """The alias table of the 3 x ``max_actors`` actors proposed most often on a sample, and its note
    (``None`` and "no actors proposed" when there is none)."""
    from framelens.actors import propose_actors

    picked = articles.sample(min(len(articles), sample), random_state=random_state) if len(articles) else articles
    # an actor measured has at least 2 * min_stories mentions: fewer are not worth grouping
    proposed = (propose_actors(picked, text_col=text_col, label_col=outlet_col, min_count=max(3, 2 * min_stories))
                if len(picked) else None)
    if proposed is None or not len(proposed):
        return None, "no actors proposed"
    top = proposed.head(3 * max_actors)
    table = pd.DataFrame({"actor": top["actor"].astype(str), "type": "proposed",
                          "pattern": top["pattern"].astype(str)}).drop_duplicates("actor")
    return table, (f"actors proposed by propose_actors on {len(picked):,} articles drawn at random "
                   f"(random_state={random_state}), the {len(table)} most frequent tried")


def _narration_mentions(articles: pd.DataFrame, table: pd.DataFrame, *, hits: pd.DataFrame, quoted: pd.DataFrame,
                        text_col: str, chunk_size: int) -> list[pd.DataFrame]:
    """The mentions of ``table``'s actors outside every quotation, with their labels and loaded words,
    ``chunk_size`` articles at a time (one frame a chunk; ``doc_id`` is the article's position)."""
    from framelens.actors import find_mentions, loaded_labels

    texts = articles[text_col].to_numpy(dtype=object)
    loaded_hits = hits[hits["voice"].astype(str) == "narration"].rename(columns={"row": "doc_id"})
    parts = []
    for lo in range(0, len(articles), int(chunk_size)):
        rows = np.arange(lo, min(len(articles), lo + int(chunk_size)))
        m = find_mentions(pd.DataFrame({"doc_id": rows.astype(str), "outlet": "", "text": texts[rows]}), table)
        m = m[["doc_id", "actor", "start", "label", "label_start", "label_end"]].assign(
            doc_id=m["doc_id"].astype(np.int64).to_numpy())
        m = m[~_inside(m["doc_id"].to_numpy(dtype=np.int64), m["start"].to_numpy(dtype=np.int64), quoted)]
        mine = loaded_hits[(loaded_hits["doc_id"] >= lo) & (loaded_hits["doc_id"] < rows[-1] + 1)]
        parts.append(loaded_labels(m, mine))
    return parts


def _actor_stats(m: pd.DataFrame) -> pd.DataFrame:
    """Per actor of the narration mentions ``m`` (``actor``, ``story``, ``outlet``, ``labelled``):
    ``shared_stories`` (stories where two outlets or more mention it), ``mentions``, ``labelled``."""
    actor = m["actor"].astype(str)
    shared = (m.groupby([actor, "story"])["outlet"].nunique() >= 2).groupby(level=0).sum()
    by = m.groupby(actor)
    return pd.DataFrame({"shared_stories": shared, "mentions": by.size(),
                         "labelled": by["labelled"].sum()}).astype(np.int64)


def _failed_rule(shared: int, labelled: int, mentions: int, *, min_stories: int) -> str | None:
    """The first rule an actor fails to be measured (None: it passes them all): mentioned by two
    outlets or more in ``min_stories`` stories, labelled in ``min_stories`` mentions and in at
    least :data:`MIN_LABELLED_SHARE` of them."""
    if shared < min_stories:
        return (f"mentioned by two outlets or more in {shared} "
                f"{'story' if shared == 1 else 'stories'} (needs {min_stories})")
    if labelled < min_stories:
        return f"{labelled} labelled {'mention' if labelled == 1 else 'mentions'} (needs {min_stories})"
    if labelled / mentions < MIN_LABELLED_SHARE:
        return f"{100 * labelled / mentions:.1f}% of mentions labelled (needs {100 * MIN_LABELLED_SHARE:.0f}%)"
    return None


def _actors_tried(table: pd.DataFrame | None, stats: pd.DataFrame | None = None, chosen: Sequence[str] = (), *,
                  source: str, min_stories: int, max_actors: int) -> pd.DataFrame:
    """Every actor of ``table``, with its counts (:func:`_actor_stats`) and why it is measured or not."""
    names = [] if table is None else list(dict.fromkeys(table["actor"].astype(str)))
    t = pd.DataFrame({"actor": names, "source": source})
    for col in ("shared_stories", "mentions", "labelled"):
        got = stats[col] if stats is not None else pd.Series(dtype=np.int64)
        t[col] = t["actor"].map(got).fillna(0).astype(np.int64)
    t["labelled_pct"] = np.where(t["mentions"] > 0, 100 * t["labelled"] / t["mentions"].clip(lower=1), np.nan)
    rank = {a: i for i, a in enumerate(chosen)}
    t["measured"] = t["actor"].isin(rank)
    t["reason"] = (["measured" if r.measured else
                    _failed_rule(r.shared_stories, r.labelled, r.mentions, min_stories=min_stories)
                    or f"not among the {max_actors} in the most shared stories"
                    for r in t.itertuples(index=False)] if len(t) else pd.Series(dtype=object))
    t = t.assign(_r=t["actor"].map(rank).fillna(len(rank)))
    t = t.sort_values(["_r", "shared_stories", "actor"], ascending=[True, False, True], kind="mergesort")
    return t.drop(columns="_r").reset_index(drop=True)[list(ACTORS_TRIED_COLUMNS)]
