"""Figure drawers for wording, names and voices: actor labels, loaded wording, spelling, quotes,
traces of translation and who said what.

Each ``draw_*`` takes the report folder and returns a matplotlib figure, ``(figure, cuts)``
when it shows only the top N of a story too big to read whole (each cut a
:class:`framelens.viz.Shortened`), or None when its table is missing.
"""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from framelens.report.common import (LOADED_REGISTERS, corpus_colours, corpus_order, corpus_outlets,
                                     quoted_passages, read_table, spellings, top_loaded_rate, used_variants)
from framelens.report.layout import max_height_in, set_title, too_tall, too_wide
from framelens.report.phrases import counted, listed

__all__ = [
    "draw_labels",
    "draw_register_rates",
    "draw_spelling",
    "draw_quotes",
    "draw_traces",
    "draw_who_said",
]


def draw_labels(out: Path) -> Any:
    """The labels themselves, actor x outlet, loaded ones marked; "no title" where an outlet names the actor bare."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from framelens.viz import heatmap

    labels = read_table(out, "actor_labels")
    if labels is None or labels.empty:
        return None
    outlets = corpus_outlets(out) or sorted(labels["outlet"].astype(str).unique())
    actors = labels["actor"].astype(str).drop_duplicates().tolist()
    hits = read_table(out, "lexicon_hits")
    loaded_words: dict[tuple[str, str], list[str]] = {}
    if hits is not None and not hits.empty:
        loaded = hits[hits["register"].astype(str).isin(LOADED_REGISTERS) & (hits["actor"].astype(str) != "")]
        for r in loaded.itertuples():
            loaded_words.setdefault((str(r.actor), str(r.outlet)), []).append(str(r.match).lower())
    titles = read_table(out, "actor_titles")
    named = set() if titles is None else {(str(a), str(o)) for a, o in zip(titles["actor"], titles["outlet"])}
    cells = partial(_cell_codes, labels, loaded_words=loaded_words, named=named)
    full_codes, text = cells(actors, outlets)
    lines = max(1, max(str(t).count("\n") + 1 for t in text.to_numpy().ravel()))
    codes, cuts = full_codes, []
    if too_tall(0.2 * lines * len(actors) + 1.6) or too_wide(1.35 * len(outlets) + 1.6, points=9):
        codes, text, cuts = _label_cells(full_codes, labels, cells, order=corpus_order(out))
        actors, outlets = list(codes.index), list(codes.columns)
        lines = max(1, max(str(t).count("\n") + 1 for t in text.to_numpy().ravel()))
    fig, ax = plt.subplots(figsize=(1.35 * len(outlets) + 1.6, 0.2 * lines * len(actors) + 1.6))
    cmap = ListedColormap(["#ffffff", "#eeeeee", "#d6e6f4", "#f5c6a5"])
    heatmap(codes, ax=ax, text=text, cmap=cmap, vmin=-0.5, vmax=3.5, colorbar=False, fontsize=9,
            colours=corpus_colours(out))
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(outlets)), labels=outlets, rotation=30, ha="left", rotation_mode="anchor", fontsize=9)
    from framelens.viz import colour_ticks

    colour_ticks(ax, corpus_colours(out), axis="x")
    ax.legend(handles=[Patch(facecolor="#f5c6a5", label="holds a loaded lexicon term"),
                       Patch(facecolor="#d6e6f4", label="other labels"),
                       Patch(facecolor="#eeeeee", label="named, no label")],
              frameon=False, ncol=3, loc="upper left", bbox_to_anchor=(0, 0), fontsize=9)
    title = _loaded_title(full_codes)
    if cuts:
        from framelens.viz import shortened_note

        set_title(ax, f"{title}: the labels each outlet gives each actor. {shortened_note(cuts)}", loc="left")
        return fig, cuts
    set_title(ax, f"{title}: the labels each outlet gives each actor", loc="left")
    return fig


def _cell_codes(labels: pd.DataFrame, actors: list[str], outlets: list[str], *,
                loaded_words: dict[tuple[str, str], list[str]], named: set[tuple[str, str]],
                most: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Code (0 none, 1 named bare, 2 labels, 3 a loaded label) and text of each cell of the label
    figure; ``most`` labels a cell at most (the most used first), then how many more.

    ``loaded_words``: (actor, outlet) -> the loaded lexicon words found there; ``named``: the
    (actor, outlet) pairs of actor_titles.csv (the outlet names the actor, with or without a title)."""
    import textwrap

    codes = pd.DataFrame(0, index=actors, columns=outlets, dtype=float)
    text = pd.DataFrame("", index=actors, columns=outlets, dtype=object)
    for actor in actors:
        for outlet in outlets:
            rows = labels[(labels["actor"].astype(str) == actor) & (labels["outlet"].astype(str) == outlet)]
            if len(rows):
                words = loaded_words.get((actor, outlet), [])
                is_loaded = any(w in str(lab).lower() for lab in rows["label"] for w in words)
                codes.loc[actor, outlet] = 3 if is_loaded else 2
                shown = rows if most is None else rows.sort_values("count", ascending=False, kind="mergesort")
                text.loc[actor, outlet] = "\n".join(
                    textwrap.fill(f"{lab}" + (f" ({int(c)}\u00d7)" if c > 1 else ""), 18)
                    for lab, c in zip(shown["label"][:most], shown["count"][:most]))
                if most is not None and len(rows) > most:
                    text.loc[actor, outlet] += f"\n(+{len(rows) - most} more)"
            elif (actor, outlet) in named:
                codes.loc[actor, outlet] = 1
                text.loc[actor, outlet] = "named, no label"
            else:
                text.loc[actor, outlet] = "\u2013"
    return codes, text


def _loaded_title(codes: pd.DataFrame) -> str:
    """Who gives a loaded label to the actor most often given one (cells coded 3), for the title."""
    loaded_cells = [(a, o) for a in codes.index for o in codes.columns if codes.loc[a, o] == 3]
    if loaded_cells:
        by_actor = pd.Series([a for a, _ in loaded_cells]).value_counts()
        actor = sorted(by_actor[by_actor == by_actor.max()].index)[0]
        who = [o for a, o in loaded_cells if a == actor]
        return (f"Only {who[0]} gives {actor} a loaded label" if len(who) == 1 else
                f"{listed(who)} give {actor} loaded labels")
    return "No label holds a loaded lexicon term"


#: Labels written in one cell of a shortened label figure (the most used; then "+k more").
_LABELS_PER_CELL = 3


def _label_cells(codes: pd.DataFrame, labels: pd.DataFrame, cells: Callable[..., tuple[pd.DataFrame, pd.DataFrame]],
                 *, order: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, list[Any]]:
    """The actors and outlets a label figure too big to read shows: as many outlets as keep 9-point
    text readable at the page width, then as many actors as fit the height limit, each cell
    holding its :data:`_LABELS_PER_CELL` most used labels and "(+k more)".

    Outlets are ranked by the loaded labels they give (cells coded 3), then by label mentions;
    actors the same way, so the cell the title names is shown whenever it fits.
    """
    from framelens.viz import Shortened, fit_count, max_width_in, top_labels

    mentions = labels.assign(actor=labels["actor"].astype(str), outlet=labels["outlet"].astype(str))
    loaded = (codes == 3).astype(float)
    big = float(mentions["count"].sum()) + 1.0  # a loaded cell outranks any number of mentions

    def score(axis: str) -> pd.Series:
        counts = mentions.groupby(axis)["count"].sum()
        firsts = loaded.sum(axis=0 if axis == "outlet" else 1)
        return firsts * big + counts.reindex(firsts.index).fillna(0.0)

    n_out = fit_count(codes.shape[1], per_item_in=1.35, fixed_in=1.6, max_in=max_width_in(9))
    outlets = top_labels(score("outlet"), n=n_out, order=order)
    _, capped = cells(list(codes.index), outlets, most=_LABELS_PER_CELL)
    lines = max(1, max(str(t).count("\n") + 1 for t in capped.to_numpy().ravel()))
    n_act = fit_count(codes.shape[0], per_item_in=0.2 * lines, fixed_in=1.6, max_in=max_height_in())
    ranked = score("actor").loc[list(codes.index)]
    actors = top_labels(ranked, n=n_act, order=list(codes.index))
    shown_codes, text = cells(actors, outlets, most=_LABELS_PER_CELL)
    cuts = []
    if len(actors) < codes.shape[0]:
        cuts.append(Shortened("actors", len(actors), codes.shape[0], "loaded labels first, then the most "
                              "mentions", "actor_labels"))
    if len(outlets) < codes.shape[1]:
        cuts.append(Shortened("outlets", len(outlets), codes.shape[1], "loaded labels first, then the most "
                              "mentions", "actor_labels"))
    return shown_codes, text, cuts


def draw_register_rates(out: Path) -> Any:
    """Loaded and neutral wording per 1,000 words by outlet, narration and quotation apart (``register_rates``)."""
    import matplotlib.pyplot as plt

    from framelens.lexicon import plot_register_rates

    rates = read_table(out, "register_rates")
    if rates is None or rates.empty:
        return None
    for col in {"rate", "low", "high"} & set(rates.columns):  # a voice without words has no rate
        rates[col] = pd.to_numeric(rates[col], errors="coerce")
    voices = ["narration", "quotation"] if "voice" in rates.columns else [None]
    heading = {None: "", "narration": "In the outlet's own words (narration)",
               "quotation": "Inside quotation marks"}
    drawn, cuts = _register_outlets(rates, voices=voices, order=corpus_order(out))
    # panels stacked, not side by side: at the page's width each keeps its text >= 10 px
    fig, axes = plt.subplots(len(voices), 1, figsize=(7.4, (0.9 * drawn["outlet"].nunique() + 1.6)
                                                      * len(voices) + 0.6), squeeze=False)
    for j, (ax, voice) in enumerate(zip(axes[:, 0], voices)):
        part = drawn if voice is None else drawn[drawn["voice"] == voice]
        plot_register_rates(part, ax=ax, title=heading[voice])
        top = float(part["rate"].max()) if part["rate"].notna().any() else 0.0
        ax.set_xlim(0, max(top * 1.6, 1.0))  # an interval of a few quoted words runs off the axis
        ax.set_xlabel("hits per 1,000 words")
        if j < len(voices) - 1 and ax.get_legend() is not None:
            ax.get_legend().remove()
    fig.supxlabel("numbers at the bar ends: hits; lines: 95% exact Poisson intervals", fontsize=9)
    own = rates if voices == [None] else rates[rates["voice"] == "narration"]
    top = top_loaded_rate(own)
    if top is None:
        title = "No delegitimising or legitimising wording in the outlets' own words"
    else:
        title = (f"{top['outlet']} uses the most {top['register']} wording in its own words "
                 f"({top['rate']:.1f} per 1,000 words, {counted(int(top['hits']), 'hit')})")
        others = own[(own["register"] == top["register"]) & (own["outlet"] != top["outlet"])]
        if "low" in own.columns and len(others) and float(others["high"].max()) >= float(top["low"]):
            title += ";\nits interval overlaps another outlet's, so the texts do not show a difference"
    if cuts:
        from framelens.viz import shortened_note, wrap_title

        title = wrap_title(title.replace(";\n", "; ") + f". {shortened_note(cuts)}", width_in=7.4, fontsize=12)
    fig.suptitle(title)
    fig.tight_layout()
    return (fig, cuts) if cuts else fig


def _register_outlets(rates: pd.DataFrame, *, voices: list[Any], order: list[str]) -> tuple[pd.DataFrame, list[Any]]:
    """The rates of the outlets the register figure shows: all, or, when the figure would be too tall,
    the outlets with the highest rate of the register its title names (in their own words)."""
    from framelens.viz import Shortened, fit_count, top_labels

    outlets = rates["outlet"].astype(str).drop_duplicates().tolist()
    per_in, fixed_in = 0.9 * len(voices), 1.6 * len(voices) + 0.6  # draw_register_rates' height
    if not too_tall(per_in * len(outlets) + fixed_in):
        return rates, []
    n = fit_count(len(outlets), per_item_in=per_in, fixed_in=fixed_in, max_in=max_height_in())
    own = rates if voices == [None] else rates[rates["voice"] == "narration"]
    top = top_loaded_rate(own)
    if top is None:  # no loaded wording: the outlets with the most words, the narrowest intervals
        score, chosen = own.groupby(own["outlet"].astype(str))["words"].max(), "those with the most words"
    else:
        reg = own[own["register"] == top["register"]]
        score = reg.groupby(reg["outlet"].astype(str))["rate"].max()
        chosen = f"the highest {top['register']} rates in their own words"
    keep = top_labels(score.reindex(outlets).fillna(0.0), n=n, order=order)
    cut = Shortened("outlets", len(keep), len(outlets), chosen, "register_rates")
    return rates[rates["outlet"].astype(str).isin(keep)], [cut]


def draw_spelling(out: Path) -> Any:
    """Which spelling of each name each outlet uses (``spelling_variants``)."""
    from framelens.viz import heatmap, outlet_order

    used = used_variants(out)
    t = spellings(out)
    if used is None or used.empty or t is None:
        return None
    order = outlet_order(t["outlet"].astype(str), order=corpus_order(out))
    shown = t[t["name"].isin(used["name"].unique())]
    shown = shown[shown.groupby(["name", "variant"])["count"].transform("sum") > 0]
    matrix = shown.pivot_table(index="outlet", columns=["name", "variant"], values="count",
                               aggfunc="sum", fill_value=0).reindex(order, fill_value=0)
    marked = shown.set_index(["name", "variant"])["marked_as"].groupby(level=[0, 1]).first()
    matrix.columns = [f"{v} ({marked.get((n, v), '')})" for n, v in matrix.columns]
    n_names, n_listed = used["name"].nunique(), t["name"].nunique()
    ax = heatmap(matrix, label="uses", fmt="{:.0f}", colours=corpus_colours(out))
    if "mixed" in t.columns:  # spelling_table: every name spelled in more than one way
        mixed = [o for o in order if o in set(t[t["mixed"].astype(str).str.lower() == "true"]["outlet"].astype(str))]
        title = (f"{counted(n_names, 'name')} {'is' if n_names == 1 else 'are'} spelled in more than one way"
                 + (f"; {listed(mixed)} {'mixes' if len(mixed) == 1 else 'mix'} spellings within one text"
                    if mixed else ""))
    else:
        title = (f"{n_names} of the {n_listed} names in the spelling list are spelled differently across "
                 "outlets (names outside the list are not checked here)")
    set_title(ax, title)
    return ax.figure


def draw_quotes(out: Path) -> Any:
    """Quoted passages in each outlet, by speaker (``quotes_by_speaker``)."""
    q = read_table(out, "quotes")
    if q is None or q.empty:
        return None
    p = quoted_passages(q)
    p = p.assign(speaker=p["speaker"].astype(str).replace("", "(unattributed)"))
    counts = p.pivot_table(index="outlet", columns="speaker", values="passage_id", aggfunc="count", fill_value=0)
    speakers = counts.sum().sort_values(ascending=False, kind="mergesort").index[:7]
    other = counts.drop(columns=speakers).sum(axis=1)
    counts = counts[speakers].assign(**({"other": other} if other.any() else {}))
    totals = counts.reindex(corpus_outlets(out) or counts.index, fill_value=0).sum(axis=1)
    return _stacked_by_outlet(counts, out, xlabel="quoted passages (one speaker's words, however many quotation "
                                                  "marks split them)",
                              title=_most_phrase(totals, what="quoted passages") + ", by speaker",
                              ranked="quoted passages", table="quotes")


def draw_traces(out: Path) -> Any:
    """Traces of translation in each outlet, by kind, page furniture apart (``traces_by_outlet``)."""
    t = read_table(out, "traces")
    if t is None or t.empty:
        return None
    cat = t["category"].astype(str) if "category" in t.columns else \
        t["kind"].astype(str).map(lambda k: "furniture" if k == "page-furniture" else "translation")
    kind = t["kind"].astype(str).where(cat == "translation", "page furniture (not translation)")
    counts = t.assign(kind=kind).pivot_table(index="outlet", columns="kind", values="rule", aggfunc="count",
                                             fill_value=0)
    cols = [c for c in counts.columns if c != "page furniture (not translation)"]
    counts = counts[cols + [c for c in counts.columns if c not in cols]]
    order = corpus_outlets(out) or list(counts.index)
    totals = counts[cols].reindex(order, fill_value=0).sum(axis=1)
    furn = counts.drop(columns=cols).reindex(order, fill_value=0).sum(axis=1)
    written = pd.Series([f"{int(t)}" + (f" (+{int(f)} furniture)" if f else "") for t, f in zip(totals, furn)],
                        index=order)
    return _stacked_by_outlet(counts, out, xlabel="traces found (grey: page furniture, not translation)",
                              title=_most_phrase(totals, what="traces of translation") + " (page furniture apart)",
                              grey="page furniture (not translation)", totals=written,
                              ranked="traces of translation", table="traces")


def _most_phrase(totals: pd.Series, *, what: str) -> str:
    """"X carries the most {what} (n)" or "X and Y tie for the most {what} (n each)"."""
    from framelens.claims import ties

    tied = [str(t) for t in ties(totals, tol=0)]
    top = int(totals.max())
    if len(tied) == 1:
        return f"{tied[0]} has the most {what} ({top})"
    return f"{listed(tied)} tie for the most {what} ({top} each)"


def _stacked_by_outlet(counts: pd.DataFrame, out: Path, *, xlabel: str, title: str,
                       grey: str | None = None, totals: pd.Series | None = None,
                       ranked: str = "", table: str = "") -> Any:
    """Horizontal stacked bars, one row per outlet of the corpus (zeros shown), categories coloured.

    ``grey`` names a column drawn in grey (counted apart); ``totals`` the numbers written at the
    bar ends (default the row sums). Too many outlets for MAX_FIGURE_PX: the outlets with the
    largest row sums (grey apart), "the most ``ranked``", ``table`` holding them all.
    """
    import matplotlib.pyplot as plt

    from framelens.viz import category_colours, colour_ticks

    order = corpus_outlets(out) or list(counts.index)
    counts = counts.reindex(order, fill_value=0)
    colours = category_colours([c for c in counts.columns if c != grey])
    if grey is not None:
        colours[str(grey)] = "#cccccc"
    cuts = []
    if too_tall(0.5 * len(counts) + 2.0):  # the outlets with the most, counted as the title counts them
        from framelens.viz import Shortened, fit_count, shortened_note, top_labels

        score = counts.drop(columns=[grey] if grey in counts.columns else []).sum(axis=1)
        keep = top_labels(score, n=fit_count(len(counts), per_item_in=0.5, fixed_in=2.0, max_in=max_height_in()),
                          order=order)
        cuts.append(Shortened("outlets", len(keep), len(counts), f"the most {ranked}", table))
        counts, title = counts.loc[keep], f"{title}. {shortened_note(cuts)}"
    fig, ax = plt.subplots(figsize=(7.0, 0.5 * len(counts) + 2.0))
    left = np.zeros(len(counts))
    for cat in counts.columns:
        ax.barh(counts.index.astype(str), counts[cat], left=left, color=colours[str(cat)], label=str(cat))
        left += counts[cat].to_numpy()
    written = [f"{int(t)}" for t in left] if totals is None else [str(t) for t in totals.reindex(counts.index)]
    for y, (end, label) in enumerate(zip(left, written)):  # every total written, zeros included
        ax.text(end, y, f" {label}", va="center", ha="left", fontsize=10)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(left.max())) * 1.12)
    ax.set_xlabel(xlabel)
    # under the axis label; a shortened (tall) figure keeps it 0.55 in below, not 18% of its height
    below = -0.55 / (float(fig.get_size_inches()[1]) * float(ax.get_position().height)) if cuts else -0.18
    ax.legend(frameon=False, ncol=min(3, len(counts.columns)), loc="upper left", bbox_to_anchor=(0, below))
    colour_ticks(ax, corpus_colours(out))
    set_title(ax, title, loc="left")
    return (fig, cuts) if cuts else fig


def draw_who_said(out: Path) -> Any:
    """Each speaker in each version: quoted verbatim, paraphrased or absent (``who_said_what``)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from framelens.viz import heatmap

    w = read_table(out, "who_said_what")
    if w is None or w.empty:
        return None
    outlets = [o for o in corpus_outlets(out) if o in set(w["outlet"].astype(str))] or sorted(w["outlet"].unique())
    speakers = list(dict.fromkeys(w["speaker"].astype(str)))
    code = {"verbatim": 2, "paraphrase": 1, "absent": 0}
    w = w.assign(speaker=w["speaker"].astype(str), outlet=w["outlet"].astype(str))
    every = [s for s in speakers if set(w[(w["speaker"] == s) & (w["status"] == "verbatim")]["outlet"]) >= set(outlets)]
    cuts = []
    if too_tall(0.55 * len(speakers) + 1.9) or too_wide(1.3 * len(outlets) + 1.8, points=9):
        speakers, outlets, cuts = _who_said_cut(w, speakers=speakers, outlets=outlets, order=corpus_order(out))
        w = w[w["speaker"].isin(speakers) & w["outlet"].isin(outlets)]
    codes = w.pivot_table(index="speaker", columns="outlet", values="status", aggfunc=lambda s: code[s.iloc[0]])
    codes = codes.reindex(index=speakers, columns=outlets).fillna(0)
    text = w.assign(cell=[f"{s}\n({int(n)} passage{'s' if n != 1 else ''})" if s == "verbatim" else
                          ("paraphrase" if s == "paraphrase" else "\u2013")
                          for s, n in zip(w["status"], w["n_passages"])]) \
        .pivot_table(index="speaker", columns="outlet", values="cell", aggfunc="first").reindex(
            index=speakers, columns=outlets).fillna("\u2013")
    fig, ax = plt.subplots(figsize=(1.3 * len(outlets) + 1.8, 0.55 * len(speakers) + 1.9))
    heatmap(codes, ax=ax, text=text, cmap=ListedColormap(["#ffffff", "#88CCEE", "#332288"]), vmin=-0.5, vmax=2.5,
            colorbar=False, fontsize=9, colours=corpus_colours(out))
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(outlets)), labels=outlets, rotation=30, ha="left", rotation_mode="anchor", fontsize=9)
    if cuts:  # a long speaker name on two lines, so the figure keeps its width
        import textwrap

        ax.set_yticks(range(len(speakers)), labels=[textwrap.fill(s, 18) for s in speakers], fontsize=9)
    from framelens.viz import colour_ticks

    colour_ticks(ax, corpus_colours(out), axis="x")
    ax.legend(handles=[Patch(facecolor="#332288", label="verbatim (quotation marks, block quote)"),
                       Patch(facecolor="#88CCEE", label="paraphrase (reported speech)"),
                       Patch(facecolor="#ffffff", edgecolor="#999999", label="absent")],
              frameon=False, ncol=2, loc="upper left", bbox_to_anchor=(0, 0), fontsize=9)
    everywhere = [s for s in speakers if (codes.loc[s] == 2).all()] if not cuts else every
    title = (f"{listed(everywhere)} {'is' if len(everywhere) == 1 else 'are'} quoted verbatim in every version"
             if everywhere else "no speaker is quoted verbatim in every version")
    if cuts:
        from framelens.viz import shortened_note

        set_title(ax, f"Who said what: {title}. {shortened_note(cuts)}", loc="left")
        return fig, cuts
    set_title(ax, f"Who said what: {title}", loc="left")
    return fig


def _who_said_cut(w: pd.DataFrame, *, speakers: list[str], outlets: list[str], order: list[str]
                  ) -> tuple[list[str], list[str], list[Any]]:
    """The speakers and outlets a who-said-what figure too big to read shows.

    Speakers quoted (verbatim or paraphrased) by the most outlets, as many as fit the height
    limit; of the outlets, as many as keep 9-point cell text readable at the page width:
    those quoting the most of the speakers shown.
    """
    from framelens.viz import Shortened, fit_count, max_width_in, top_labels

    said = w[w["status"] != "absent"]
    n_sp = fit_count(len(speakers), per_item_in=0.55, fixed_in=1.9, max_in=max_height_in())
    by_speaker = said.groupby("speaker")["outlet"].nunique().reindex(speakers).fillna(0)
    shown_sp = top_labels(by_speaker, n=n_sp, order=speakers)
    n_out = fit_count(len(outlets), per_item_in=1.3, fixed_in=1.8, max_in=max_width_in(9))
    by_outlet = said[said["speaker"].isin(shown_sp)].groupby("outlet")["speaker"].nunique().reindex(outlets).fillna(0)
    shown_out = top_labels(by_outlet, n=n_out, order=order)
    cuts = []
    if len(shown_sp) < len(speakers):
        cuts.append(Shortened("speakers", len(shown_sp), len(speakers), "quoted or paraphrased by the most outlets",
                              "who_said_what"))
    if len(shown_out) < len(outlets):
        cuts.append(Shortened("outlets", len(shown_out), len(outlets), "quoting the most of those speakers",
                              "who_said_what"))
    return shown_sp, shown_out, cuts
