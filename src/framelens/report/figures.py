"""Every figure of the page, drawn from the saved tables: :data:`FIGURES` (what each shows),
:data:`FIGURE_DRAWERS` (who draws it) and :func:`draw_figures`, which saves each as PNG and SVG
with byte-stable output and records the figures shortened or left out.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pandas as pd

from framelens.progress import step
from framelens.report.common import write_csv
from framelens.report.figures_texts import (draw_core_share, draw_corpus, draw_coverage, draw_keyness,
                                            draw_sensitivity_pairs, draw_similarity, draw_stability,
                                            draw_unique_threshold)
from framelens.report.figures_words import (draw_labels, draw_quotes, draw_register_rates, draw_spelling,
                                            draw_traces, draw_who_said)

__all__ = [
    "FIGURES",
    "draw_figures",
    "FIGURE_DRAWERS",
]


#: Figures written under ``OUT/figures/`` (``.png`` and ``.svg``): file stem -> what it shows.
FIGURES: dict[str, str] = {
    "corpus_words_per_article": "words per article after cleaning, by outlet",
    "similarity_heatmap": "cosine similarity of every pair of articles",
    "cluster_stability_k2": "how often each pair shares a cluster (k=2) over bootstrap samples of the vocabulary",
    "keyness_by_outlet": "the most distinctive words of each outlet (z-scores)",
    "actor_label_variety": "the labels each outlet gives each actor, loaded ones marked, bare names shown",
    "register_rates": "loaded and neutral wording per 1,000 words, by outlet and register",
    "spelling_variants": "which spelling of each name each outlet uses",
    "quotes_by_speaker": "quoted passages in each outlet, by speaker",
    "core_share_by_outlet": "share of each version's words shared verbatim, paraphrased or unique",
    "fact_coverage": "which outlet carries which fact of the event",
    "traces_by_outlet": "traces of translation found in each outlet, by kind, page furniture apart",
    "sensitivity_pairs": "how often each pair of articles shares a cluster under each check (settings grid, bootstrap with stop words removed and kept; k = 2 and 3)",
    "unique_by_threshold": "share of each version's words in unmatched sentences at several paraphrase thresholds",
    "who_said_what": "each speaker in each version: quoted verbatim, paraphrased or absent",
}


def _save(fig: Any, figures: Path, name: str) -> tuple[str, str]:
    figures.mkdir(parents=True, exist_ok=True)
    png, svg = figures / f"{name}.png", figures / f"{name}.svg"
    fig.savefig(png, format="png", metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.name, svg.name


def draw_figures(out: str | Path, *, verbose: bool | None = None) -> pd.DataFrame:
    """Draw every figure from the saved tables; write PNG and SVG under ``out/figures/``.

    PNG and SVG files already in ``out/figures/`` are deleted first. The files are
    byte-stable: the SVG has no date and fixed ids (``svg.hashsalt`` in
    :data:`framelens.plots.RC`), the PNG no software stamp. A figure whose table is
    missing is skipped.

    A figure that grows with the story (articles, outlets, actors, speakers) and would
    be taller than :data:`framelens.storyreport.MAX_FIGURE_PX`, or too wide for its text
    to show at :data:`framelens.viz.MIN_TEXT_PX` on the page, shows the top N that carry
    its finding and says so in its title; each cut is a row of ``tables/figures_truncated.csv``
    (:data:`framelens.report.tables.REPORT_TABLES`). A figure still taller than the limit is not
    drawn and is listed in ``tables/figures_left_out.csv``.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/`` (from :func:`framelens.report.tables.compute_tables`).
    verbose : bool or None, default None
        Name each figure on standard error as it is drawn; ``None``: only on a terminal.

    Returns
    -------
    pandas.DataFrame
        One row per figure written: ``figure`` (stem, see :data:`FIGURES`), ``png``,
        ``svg`` (paths relative to ``out``) and ``title`` (the finding it states).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from framelens.plots import style
    from framelens.viz import fit_saved_height

    out = Path(out)
    figures = out / "figures"
    if figures.is_dir():
        for stale in [*figures.glob("*.png"), *figures.glob("*.svg")]:
            stale.unlink()
    from framelens.report.story_page import MAX_FIGURE_PX

    rows, left_out, cut = [], [], []
    for name, draw in FIGURE_DRAWERS.items():
        step(f"figure: {name}", verbose)
        with style():
            drawn = draw(out)
            fig, cuts = drawn if isinstance(drawn, tuple) else (drawn, [])
            if fig is None:
                continue
            height = int(round(fig.get_size_inches()[1] * float(matplotlib.rcParams["savefig.dpi"])))
            if height <= MAX_FIGURE_PX:  # text past the axes can still make the saved image taller
                height = fit_saved_height(fig, limit_px=MAX_FIGURE_PX)
            if height > MAX_FIGURE_PX:  # unreadable, and costly to render: the table holds every row
                plt.close(fig)
                left_out.append((name, height, MAX_FIGURE_PX))
                continue
            try:
                png, svg = _save(fig, figures, name)
                title = (fig.axes[0].get_title() or fig.axes[0].get_title(loc="left")) if fig.axes else ""
                if getattr(fig, "_suptitle", None) is not None:
                    title = fig._suptitle.get_text()
            finally:
                plt.close(fig)
        rows.append((name, f"figures/{png}", f"figures/{svg}", title))
        cut += [(name, c.what, c.shown, c.total, c.chosen, c.table) for c in cuts]
    skipped = out / "tables" / "figures_left_out.csv"
    skipped.unlink(missing_ok=True)
    if left_out:
        write_csv(pd.DataFrame(left_out, columns=["figure", "height_px", "limit_px"]), skipped)
    shortened = out / "tables" / "figures_truncated.csv"
    shortened.unlink(missing_ok=True)
    if cut:
        write_csv(pd.DataFrame(cut, columns=["figure", "what", "shown", "total", "chosen", "table"]), shortened)
    return pd.DataFrame(rows, columns=["figure", "png", "svg", "title"])


FIGURE_DRAWERS: dict[str, Callable[[Path], Any]] = {
    "corpus_words_per_article": draw_corpus,
    "similarity_heatmap": draw_similarity,
    "cluster_stability_k2": draw_stability,
    "keyness_by_outlet": draw_keyness,
    "actor_label_variety": draw_labels,
    "register_rates": draw_register_rates,
    "spelling_variants": draw_spelling,
    "quotes_by_speaker": draw_quotes,
    "core_share_by_outlet": draw_core_share,
    "fact_coverage": draw_coverage,
    "traces_by_outlet": draw_traces,
    "sensitivity_pairs": draw_sensitivity_pairs,
    "unique_by_threshold": draw_unique_threshold,
    "who_said_what": draw_who_said,
}
