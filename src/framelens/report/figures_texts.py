"""Figure drawers for how the texts compare: the corpus, similarity, cluster stability, keyness,
the shared core, fact coverage and the sensitivity checks.

Each ``draw_*`` takes the report folder and returns a matplotlib figure, ``(figure, cuts)``
when it shows only the top N of a story too big to read whole (each cut a
:class:`framelens.viz.Shortened`), or None when its table is missing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.report.common import (corpus_colours, corpus_order, corpus_outlets, keyness_min_count, read_table,
                                     square_table)
from framelens.report.layout import max_height_in, set_title, too_tall
from framelens.report.phrases import listed, pct

__all__ = [
    "draw_corpus",
    "draw_similarity",
    "draw_stability",
    "draw_keyness",
    "draw_core_share",
    "draw_coverage",
    "draw_sensitivity_pairs",
    "draw_unique_threshold",
]


def draw_corpus(out: Path) -> Any:
    """Words per article, as published and after cleaning, by outlet (``corpus_words_per_article``)."""
    import matplotlib.pyplot as plt

    from framelens.claims import ties
    from framelens.viz import colour_ticks

    table = read_table(out, "corpus")
    if table is None:
        return None
    colours = corpus_colours(out)
    t = table.assign(outlet=table["outlet"].astype(str))
    if too_tall(0.5 * len(t) + 1.6):
        return _fig_corpus_ends(t, colours)
    labels = [f"{o} \u00b7 {d}" if (t["outlet"] == o).sum() > 1 else o for o, d in zip(t["outlet"], t["doc_id"])]
    fig, ax = plt.subplots(figsize=(7.0, 0.5 * len(t) + 1.6))
    ax.barh(labels, t["words_raw"], color="#dddddd", label="as published")
    ax.barh(labels, t["words"], color=[colours.get(o, "#777777") for o in t["outlet"]], label="after cleaning")
    for y, (w, raw) in enumerate(zip(t["words"], t["words_raw"])):
        ax.text(max(w, raw), y, f" {int(w)}" + (f" ({int(raw)} as published)" if raw != w else ""),
                va="center", fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, float(t["words_raw"].max()) * 1.45)
    ax.set_xlabel("words (grey: as published, colour: after cleaning)")
    colour_ticks(ax, dict(zip(labels, [colours.get(o, "#777777") for o in t["outlet"]])))
    words = pd.Series(t["words"].to_numpy(), index=labels)
    longest = [str(x) for x in ties(words, tol=0)]
    shortest = [str(x) for x in ties(words, tol=0, best="min")]
    set_title(ax, f"{listed(longest)} {'is' if len(longest) == 1 else 'are'} the longest "
               f"({int(words.max())} words), {listed(shortest)} the shortest ({int(words.min())})", loc="left")
    return fig


def _article_label(outlet: str, sentence: Any, *, chars: int = 24) -> str:
    """``outlet · opening words`` of an article (its first sentence cut at a word, ``chars`` at most)."""
    text = " ".join(str("" if pd.isna(sentence) else sentence).split())
    if len(text) > chars:
        text = text[:chars].rsplit(" ", 1)[0].rstrip(",;:") + " \u2026"
    return f"{outlet} \u00b7 {text}" if text else outlet


def _fig_corpus_ends(t: pd.DataFrame, colours: dict[str, str]) -> tuple[Any, list[Any]]:
    """Words per article for a story of too many articles: the longest and the shortest, a gap between.

    Articles are named by outlet and the opening words of their first sentence (the page's
    corpus table shows the same sentence), not by file id.
    """
    import matplotlib.pyplot as plt

    from framelens.claims import ties
    from framelens.viz import Shortened, colour_ticks, fit_count, shortened_note

    n = fit_count(len(t), per_item_in=0.5, fixed_in=1.6 + 0.5, max_in=max_height_in())  # + the gap's row
    ranked = t.assign(label=[_article_label(o, f) for o, f in zip(t["outlet"], t["first_sentence"])]) \
        .sort_values(["words", "doc_id"], ascending=[False, True], kind="mergesort")
    longest, shortest = ranked.head((n + 1) // 2), ranked.iloc[len(ranked) - n // 2:]
    gap = len(ranked) - len(longest) - len(shortest)
    shown = pd.concat([longest, shortest])
    y = np.r_[np.arange(len(longest)), np.arange(len(shortest)) + len(longest) + 1]
    fig, ax = plt.subplots(figsize=(7.0, 0.5 * (len(shown) + 1) + 1.6))
    ax.barh(y, shown["words_raw"], color="#dddddd", label="as published")
    ax.barh(y, shown["words"], color=[colours.get(o, "#777777") for o in shown["outlet"]], label="after cleaning")
    for yy, w, raw in zip(y, shown["words"], shown["words_raw"]):
        ax.text(max(w, raw), yy, f" {int(w)}" + (f" ({int(raw)} as published)" if raw != w else ""),
                va="center", fontsize=10)
    ax.text(0, len(longest), f"\u22ee {gap} articles in between (corpus.csv)", va="center", fontsize=10,
            color="#555555")
    ax.set_yticks(y, labels=shown["label"].tolist())
    ax.set_ylim(len(shown) + 0.5, -0.5)
    ax.set_xlim(0, float(t["words_raw"].max()) * 1.45)
    ax.set_xlabel("words (grey: as published, colour: after cleaning)")
    colour_ticks(ax, dict(zip(shown["label"], [colours.get(o, "#777777") for o in shown["outlet"]])))
    words = pd.Series(ranked["words"].to_numpy(), index=ranked["label"].to_numpy())
    most = [str(x) for x in ties(words, tol=0)]
    least = [str(x) for x in ties(words, tol=0, best="min")]
    cut = Shortened("articles", len(shown), len(t), f"the {len(longest)} longest and the {len(shortest)} "
                    "shortest after cleaning", "corpus")
    def some(names: list[str]) -> str:  # at most three named
        return listed(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"

    set_title(ax, f"{some(most)} {'is' if len(most) == 1 else 'are'} the longest ({int(words.max())} words), "
               f"{some(least)} the shortest ({int(words.min())}). {shortened_note([cut])}", loc="left")
    return fig, [cut]


def draw_similarity(out: Path) -> Any:
    """The cosine similarity of every pair of articles as a heatmap (``similarity_heatmap``)."""
    from framelens.features import closest_title, plot_similarity

    sim = _ordered_square(out, "similarity")
    if sim is None or len(sim) < 2:
        return None
    if len(sim) > _SQUARE_MAX:  # plot_similarity's text would shrink below 10 px: the closest pairs' articles
        return _fig_similarity_top(sim, out)
    ax = plot_similarity(sim, colours=corpus_colours(out), title="")
    set_title(ax, closest_title(sim))
    return ax.figure


#: Most articles a similarity heatmap shows whole: plot_similarity writes every cell in at 10 points up to 20.
_SQUARE_MAX = 20


#: Articles a shortened similarity heatmap shows: 15 cells of 10-point text in 7 inches, labels beside,
#: keep the figure under max_width_in(10) = 10.2 inches.
_SQUARE_CUT = 15


def _article_names(labels: list[str], out: Path) -> dict[str, str]:
    """Article label (``outlet · doc_id``, or the outlet alone) -> ``outlet · opening words``, unique."""
    t = read_table(out, "corpus")
    first = {} if t is None else {f"{o} \u00b7 {d}": (str(o), f) for o, d, f in
                                   zip(t["outlet"].astype(str), t["doc_id"].astype(str), t["first_sentence"])}
    names: dict[str, str] = {}
    for label in labels:
        name = base = _article_label(*first[label], chars=18) if label in first else label
        k = 1
        while name in names.values():  # two articles opening alike (a byline): numbered
            k += 1
            name = f"{base} ({k})"
        names[label] = name
    return names


def _square_top(matrix: pd.DataFrame, out: Path, *, chosen: str, table: str
                ) -> tuple[pd.DataFrame, dict[str, str], Any, dict[str, str]]:
    """A square article x article table cut to the :data:`_SQUARE_CUT` articles with the highest
    off-diagonal value, renamed by outlet and opening words: (shown, colours by name, the cut,
    the names of every article)."""
    from framelens.viz import Shortened, top_labels

    values = matrix.to_numpy(dtype=float).copy()
    np.fill_diagonal(values, -np.inf)
    keep = top_labels(pd.Series(values.max(axis=1), index=matrix.index), n=_SQUARE_CUT, order=list(matrix.index))
    names = _article_names(list(matrix.index), out)
    colours = corpus_colours(out)
    shown = matrix.loc[keep, keep].rename(index=names, columns=names)
    return (shown, {names[k]: colours.get(k, "#777777") for k in keep},
            Shortened("articles", len(keep), len(matrix), chosen, table), names)


def _fig_similarity_top(sim: pd.DataFrame, out: Path) -> tuple[Any, list[Any]]:
    """The similarity heatmap of a story of many articles: the :data:`_SQUARE_CUT` articles whose
    closest match is closest (the pair the title names among them), named by opening words."""
    import matplotlib.pyplot as plt

    from framelens.features import closest_title, plot_similarity
    from framelens.viz import shortened_note

    shown, colours, cut, names = _square_top(sim, out, chosen="those whose closest match is closest",
                                             table="similarity")
    _, ax = plt.subplots(figsize=(7.0, 6.4))
    ax = plot_similarity(shown, ax=ax, colours=colours, title="")
    set_title(ax, f"{closest_title(sim.rename(index=names, columns=names))}. {shortened_note([cut])}")
    return ax.figure, [cut]


def _ordered_square(out: Path, name: str) -> pd.DataFrame | None:
    table = square_table(out, name)
    if table is None:
        return None
    from framelens.viz import outlet_order

    order = outlet_order(table.index, order=corpus_order(out))
    return table.loc[order, order]


def draw_stability(out: Path) -> Any:
    """How often each pair shares a cluster (k=2) over bootstrap samples (``cluster_stability_k2``)."""
    from framelens.clusters import plot_cooccurrence

    matrix = _ordered_square(out, "cluster_cooccurrence_k2")
    pairs = read_table(out, "cluster_pairs")
    if matrix is None or pairs is None or len(matrix) < 2:
        return None
    runs = int(pairs["runs"].iloc[0])
    if len(matrix) > _SQUARE_MAX:  # a story of many articles: the articles most often grouped with another
        import matplotlib.pyplot as plt

        from framelens.viz import shortened_note

        shown, colours, cut, _ = _square_top(matrix, out, chosen="those most often grouped with another article",
                                             table="cluster_pairs")
        _, ax = plt.subplots(figsize=(7.0, 6.4))
        ax = plot_cooccurrence(shown, runs=runs, source="bootstrap samples", ax=ax, colours=colours)
        set_title(ax, ax.get_title() + f" (samples redraw the vocabulary). {shortened_note([cut])}")
        return ax.figure, [cut]
    ax = plot_cooccurrence(matrix, runs=runs, source="bootstrap samples", colours=corpus_colours(out))
    set_title(ax, ax.get_title() + " (samples redraw the vocabulary, not the articles)")
    return ax.figure


def draw_keyness(out: Path) -> Any:
    """The most distinctive words of each outlet, as z-scores (``keyness_by_outlet``)."""
    from framelens.keyness import plot_keyness_by_outlet

    table = read_table(out, "keyness")
    if table is None or table.empty:
        return None
    from framelens.viz import Shortened, fit_count, shortened_note, top_labels

    order = corpus_order(out)
    present = set(table["outlet"].astype(str))
    panel_in, fixed_in = 0.3 * 5 + 0.75, 0.9  # plot_keyness_by_outlet's height for n=5 words an outlet
    cuts = []
    if too_tall(panel_in * len(present) + fixed_in):  # the outlets whose best word scores highest
        n = fit_count(len(present), per_item_in=panel_in, fixed_in=fixed_in, max_in=max_height_in())
        outlets = top_labels(table.assign(outlet=table["outlet"].astype(str)).groupby("outlet")["z"].max(),
                             n=n, order=order)
        cuts.append(Shortened("outlets", len(outlets), len(present), "those whose most distinctive word scores "
                              "highest", "keyness"))
    else:
        outlets = [o for o in order if o in present][:8]
        outlets += sorted(present - set(outlets))[:8 - len(outlets)]
    shown = table[table["outlet"].astype(str).isin(outlets)]
    axes = plot_keyness_by_outlet(shown, n=5, order=outlets, colours=corpus_colours(out), min_count=keyness_min_count())
    fig = axes[0].figure
    top = table[table["rank"] == 1].sort_values(["z", "outlet"], ascending=[False, True], kind="mergesort").iloc[0]
    best, z = (str(top["outlet"]), str(top["term"])), float(top["z"])
    strong = int((table["z"] >= 1.96).sum())
    text = (f"Highest score: \u201c{best[1]}\u201d for {best[0]} (z = {z:.2f}); "
            f"{strong} of {len(table)} listed words reach z \u2265 1.96" + (f". {shortened_note(cuts)}" if cuts else ""))
    from framelens.viz import wrap_title

    fig.suptitle(wrap_title(text, width_in=float(fig.get_size_inches()[0]), fontsize=11), fontweight="bold",
                 fontsize=11)
    return (fig, cuts) if cuts else fig


def draw_core_share(out: Path) -> Any:
    """Each version's share of words shared verbatim, paraphrased or its own (``core_share_by_outlet``)."""
    from framelens.align import PARAPHRASE, plot_core_share
    from framelens.claims import SHARE_TOL, ties
    from framelens.viz import colour_ticks, outlet_order

    share = read_table(out, "core_share", index_col=0)
    if share is None or share.empty:
        return None
    share.index = share.index.astype(str)
    share = share.loc[outlet_order(share.index, order=corpus_order(out))]
    most = [str(x) for x in ties(share["share_unique"].astype(float), tol=SHARE_TOL)]
    title = (f"{listed(most)} {'adds' if len(most) == 1 else 'add'} the most material of "
             f"{'its' if len(most) == 1 else 'their'} own ({listed([pct(share.loc[o, 'share_unique']) for o in most])} "
             f"of words; paraphrase = TF-IDF cosine \u2265 {PARAPHRASE:.2f})")
    cuts = []
    if too_tall(0.5 * len(share) + 1.5):  # plot_core_share's height: the outlets adding the most of their own
        from framelens.viz import Shortened, fit_count, shortened_note, top_labels

        keep = top_labels(share["share_unique"].astype(float),
                          n=fit_count(len(share), per_item_in=0.5, fixed_in=1.5, max_in=max_height_in()),
                          order=list(share.index))
        cuts.append(Shortened("outlets", len(keep), len(share), "the largest shares of words of their own",
                              "core_share"))
        if len(most) > 3:  # a tie of many outlets, named in core_share.csv rather than in the title
            title = (f"{len(most)} outlets tie for the most material of their own "
                     f"({pct(share.loc[most[0], 'share_unique'])} of words; paraphrase = TF-IDF cosine \u2265 "
                     f"{PARAPHRASE:.2f})")
        share, title = share.loc[keep], f"{title}. {shortened_note(cuts)}"
    ax = plot_core_share(share)
    colour_ticks(ax, corpus_colours(out))
    set_title(ax, title)
    # a shortened (tall) figure keeps its legend 0.6 in below the axis, not 20% of its height
    below = -0.6 / (float(ax.figure.get_size_inches()[1]) * float(ax.get_position().height)) if cuts else -0.2
    ax.legend(frameon=False, ncol=3, loc="upper left", bbox_to_anchor=(0, below))
    return (ax.figure, cuts) if cuts else ax.figure


def draw_coverage(out: Path) -> Any:
    """Which outlet carries which fact of the event (``fact_coverage``; needs facts.csv)."""
    from framelens.align import plot_coverage
    from framelens.viz import colour_ticks, outlet_order

    matrix = read_table(out, "coverage_matrix", index_col=0)
    if matrix is None or matrix.empty:
        return None
    import matplotlib.pyplot as plt

    matrix.columns = matrix.columns.astype(str)
    _, ax = plt.subplots(figsize=(6.8, 0.45 * min(len(matrix), 30) + 1.8))
    ax = plot_coverage(matrix[outlet_order(matrix.columns, order=corpus_order(out))], ax=ax)
    colour_ticks(ax, corpus_colours(out), axis="x")
    set_title(ax, ax.get_title())
    return ax.figure


def draw_sensitivity_pairs(out: Path) -> Any:
    """How often each pair shares a cluster under each check (``sensitivity_pairs``)."""
    from framelens.viz import heatmap

    checks = read_table(out, "stability_checks")
    if checks is None or checks.empty:
        return None
    short = {"bootstrap, stop words removed": "bootstrap,\nstop words\nremoved", "bootstrap, stop words kept":
             "bootstrap,\nstop words\nkept"}
    checks = checks.assign(pair=checks["outlet_a"].astype(str) + " +\n" + checks["outlet_b"].astype(str),
                           column=checks["check"].astype(str).map(lambda c: short.get(c, c.replace(" ", "\n")))
                           + "\nk=" + checks["k"].astype(str))
    columns = list(dict.fromkeys(checks["column"]))
    wide = checks.pivot_table(index="pair", columns="column", values="share", aggfunc="first")[columns]
    main = [c for c in columns if "removed" in c]
    wide = wide.sort_values(main[0] if main else columns[0], ascending=False, kind="mergesort")
    steady = wide.index[(wide >= 0.8).all(axis=1)]
    n_pairs = len(wide)
    wide = wide.head(_MAX_PAIRS_SHOWN)  # a large story: the pairs most often together
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.6, 0.55 * len(wide) + 2.2))
    heatmap(wide * 100, ax=ax, fmt="{:.0f}%", vmin=0, vmax=100, cmap="cividis", colorbar=False, fontsize=9)
    ax.set_xticks(range(len(columns)), labels=columns, rotation=0, ha="center", fontsize=9)
    ax.xaxis.tick_top()
    shown = "" if n_pairs == len(wide) else f" ({len(wide)} of {n_pairs} pairs shown, most often together first)"
    set_title(ax, "How often each pair shares a cluster under each check: "
           + (f"only {len(steady)} of {n_pairs} pairs stay together in 80% of runs under every check"
              if len(steady) else "no pair stays together in 80% of runs under every check") + shown, loc="left")
    return fig


#: Rows of the sensitivity-pairs figure (a story of n articles has n(n-1)/2 pairs).
_MAX_PAIRS_SHOWN = 20


def draw_unique_threshold(out: Path) -> Any:
    """Each version's share of words in unmatched sentences by paraphrase threshold (``unique_by_threshold``)."""
    import matplotlib.pyplot as plt

    from framelens.align import PARAPHRASE
    from framelens.claims import SHARE_TOL, ties

    t = read_table(out, "unique_by_threshold")
    if t is None or t.empty:
        return None
    colours = corpus_colours(out)
    order = [o for o in corpus_outlets(out) if o in set(t["outlet"].astype(str))] or sorted(t["outlet"].unique())
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for outlet in order:
        g = t[t["outlet"].astype(str) == outlet].sort_values("threshold")
        ax.plot(g["threshold"], 100 * g["share_unique"], marker="o", color=colours.get(outlet), label=outlet)
    ax.axvline(PARAPHRASE, color="black", linestyle="--", linewidth=1)
    ax.text(PARAPHRASE, 101, f" default {PARAPHRASE:.2f}", fontsize=10, va="bottom")
    ax.set_ylim(0, 105)
    ax.set_xlabel("paraphrase threshold (TF-IDF cosine with the best counterpart)")
    ax.set_ylabel("% of words in unmatched sentences")
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    leaders = []
    for thr, g in t.groupby("threshold", sort=True):
        top = [str(x) for x in ties(g.set_index("outlet")["share_unique"].astype(float), tol=SHARE_TOL)]
        leaders.append(tuple(top))
    distinct = list(dict.fromkeys(leaders))
    if len(distinct) == 1 and len(distinct[0]) == 1:
        title = f"{distinct[0][0]} has the most own material at every threshold tried"
    else:
        title = "Which outlet adds the most of its own depends on the paraphrase threshold"
    set_title(ax, title, loc="left")
    return fig
