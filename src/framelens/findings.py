"""The findings page: tables, figures and ``index.html`` computed from the library.

Nothing here reads notebook outputs. :func:`write_findings` (run by ``make findings``
through :mod:`framelens.render`) does, for one corpus folder:

1. :func:`compute_tables` runs :func:`framelens.pipeline.run` (the corpus loaded collecting
   rejected articles: every input article is analysed or listed in ``tables/rejects.csv``
   with the reason; every table computed once from one ``Settings``) and writes every
   table a researcher may reuse as CSV under ``OUT/tables/`` (see :data:`TABLES`).
2. :func:`draw_figures` reads those CSV files back and draws each figure, saved as PNG
   and SVG under ``OUT/figures/`` with byte-stable output (no dates in the files).
3. :func:`summarize` reads the CSV files back and states each finding in one or two
   sentences; every number in a sentence comes from a saved table, none is typed in.
4. :func:`findings_page` lays the findings, their figures, links to the notebook
   section holding the evidence, and the caveats out as one HTML page with no script,
   no external resource, and every piece of text escaped (article text included), with a
   "Rejected articles" section (``none`` when every input article was analysed).

On a terminal each step is named on standard error as it starts; in logs, tests and
notebooks nothing is printed.

A section that cannot run for a reason in the data (one outlet, too few articles, no
actors) is listed on the page as not computed, with the reason, and the other findings
still render; any other error is a bug and stops the run (see :mod:`framelens.pipeline`).
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from framelens.progress import step

from framelens.corpus import Corpus

if TYPE_CHECKING:
    from framelens.pipeline import Results, Settings

__all__ = [
    "TABLES",
    "REPORT_TABLES",
    "FIGURES",
    "RESEARCH_QUESTION",
    "STORY_QUESTION",
    "compute_tables",
    "write_tables",
    "draw_figures",
    "summarize",
    "caveats",
    "findings_page",
    "write_findings",
    "write_story_findings",
    "write_story_page",
    "write_story_page_job",
    "readme_summary",
    "write_readme",
    "README_BEGIN",
    "README_END",
]

#: The question the page answers (the first thing a reader sees).
RESEARCH_QUESTION: str = (
    "How do different outlets frame the same event? For one news report republished by "
    "several outlets (some machine-translated), which versions are alike, what does each "
    "keep, add or change, and which words set one outlet apart from the rest?"
)

#: The question on the page of one story of a many-story corpus (its articles need not be
#: versions of one report: outlets often write their own).
STORY_QUESTION: str = (
    "How do different outlets frame the same story? Which of their articles are alike, what "
    "does each keep, add or leave out, and which words set one outlet apart from the rest?"
)

#: Markers around the README's generated summary (``README.md``, "What the seed case shows").
README_BEGIN: str = ("<!-- findings:begin: written by `make findings` from reports/tables "
                     "(framelens.findings.readme_summary); do not edit by hand -->")
README_END: str = "<!-- findings:end -->"

#: CSV tables written under ``OUT/tables/``: file stem -> what one row is.
TABLES: dict[str, str] = {
    "corpus": "one article: outlet, language, translation, words before/after cleaning, first sentence",
    "cleaning_audit": "one span of page furniture removed by framelens.corpus.clean, with its rule",
    "similarity": "outlet x outlet cosine similarity of TF-IDF word profiles (unigrams, cleaned text, English stop words left out)",
    "cluster_pairs": "one pair of articles and k: share of bootstrap samples in which they share a cluster",
    "cluster_cooccurrence_k2": "outlet x outlet share of bootstrap samples in the same cluster (k=2)",
    "keyness": "one distinctive word of one outlet against the rest (log-odds, informative Dirichlet prior; English stop words left out)",
    "label_matrix": "actor x outlet: the labels each outlet gives each actor, with counts (actors from CORPUS/actors.csv, else proposed)",
    "actor_labels": "one label of one actor in one outlet: count and an example sentence",
    "lexicon_hits": "one hit of the loaded/neutral wording lexicon, in context (left, match, right, sentence), in the outlet's voice or a quotation (voice, speaker)",
    "register_rates": "one outlet, voice (all, narration: the outlet's own words, quotation: inside quotation marks) and register: hits, words, hits per 1,000 words and its 95% exact Poisson interval (low, high)",
    "lexicon_used": "the lexicon the hits were counted with (term, register, note, source; origin names the corpus's lexicon*.csv for added terms)",
    "word_choice": "one word an outlet used where other outlets wrote different words in the same place of the same sentence, both sentences side by side (candidates for a lexicon*.csv)",
    "spelling_marked": "one name, spelling variant and outlet: how often the outlet uses that spelling",
    "quotes": "one quotation: outlet, speaker, reporting verb, quoted words and sentence",
    "quote_matches": "one quotation kept by several outlets: each outlet's wording side by side",
    "attribution": "one article: whom the report is credited to, and the sentence saying so",
    "core_share": "one outlet: share of its words shared verbatim, paraphrased or unique to it",
    "coverage_matrix": "fact x outlet: sentences carrying each fact of the event (needs CORPUS/facts.csv)",
    "traces": "one trace of translation (untranslated fragment, pronoun slip, calque) or piece of page furniture (category says which), with its evidence",
    "actor_titles": "one actor, outlet and label, a bare name counted as (no title): count, share of the outlet's mentions, whether the outlet never gives a title, example",
    "who_said_what": "one speaker and outlet: quoted verbatim, paraphrased (reported speech, or a sentence aligned with a quotation) or absent, with the passages",
    "quoted_regions": "one stretch of quoted words (a quotation, a block quote or scare quotes): offsets into the cleaned text, speaker, passage",
    "framing_choices": "one outlet's headline, lead, subhead, omitted core fact or added sentence, with the sentence as evidence",
    "spelling_table": "one name spelled in more than one way, spelling and outlet: how often (zeros included), whether the outlet mixes spellings",
    "mixed_spellings": "one text that writes a name in two or more spellings: each spelling with its sentences",
    "sentence_labels": "one sentence of one article: shared-verbatim (word-trigram containment >= 0.5), paraphrased (TF-IDF cosine >= 0.14, mutual best match) or unique, with the outlets sharing it",
    "alignment": "one matched pair of sentences (shared-verbatim or paraphrased): the sentence, its counterpart in another article, cosine and trigram containment",
    "unique_by_threshold": "one paraphrase threshold (TF-IDF cosine) and outlet: words in sentences no other version matches at that threshold",
    "own_words": "one word (no stop word, no digit) that one outlet alone uses: count and the first sentence holding it, with that sentence's alignment label",
    "stability_checks": "one check (settings grid; bootstrap over the vocabulary with stop words removed / kept), k and pair of articles: share of runs in the same cluster",
    "stability_partitions": "one check, k and grouping of the articles: how many runs produced it",
    "similarity_checks": "one pair of articles: TF-IDF cosine with English stop words removed (the main setting) and kept",
    "sections": "one analysis section: computed or not, the tables it wrote, and why not",
    "rejects": "one input article left out of the analysis: its file (FILE:line for a CSV/JSONL corpus) and the reason, with the fix",
}

#: Tables the page writes beside the pipeline's (not every report has them).
REPORT_TABLES: dict[str, str] = {
    "figures_left_out": "one figure not drawn because it would be taller than framelens.storyreport.MAX_FIGURE_PX (a story with many outlets or pairs): its height and the table that holds every row",
    "figures_truncated": "one list a figure shows only the top N of (a story with too many articles, outlets, actors or speakers for a figure at most framelens.storyreport.MAX_FIGURE_PX tall with text readable at the page width): how many it shows of how many, which ones (the ordering that keeps the finding) and the table that holds them all",
}

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

def _write_csv(df: pd.DataFrame, path: Path, *, index: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=index, lineterminator="\n")


def _read(out: Path, name: str, **kwargs: Any) -> pd.DataFrame | None:
    path = out / "tables" / f"{name}.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, keep_default_na=False, **kwargs)


# --------------------------------------------------------------------------- tables


def compute_tables(
    corpus: str | Path | Corpus,
    *,
    out: str | Path,
    settings: Settings | None = None,
    story: str | None = None,
    columns: dict[str, str] | None = None,
    verbose: bool | None = None,
    **changes: Any,
) -> pd.DataFrame:
    """Run the analysis (:func:`framelens.pipeline.run`) on a corpus and save its tables as CSV.

    Parameters
    ----------
    corpus : str, Path or Corpus
        A corpus folder (``.txt`` articles + ``manifest.csv``) or one CSV/JSONL file
        with an article per row, read with :func:`framelens.pipeline.load` (or a corpus
        already read). Articles
        that cannot be read (not UTF-8, empty, duplicate id, no manifest row, too short
        to analyse once cleaned...) are left out and listed in ``out/tables/rejects.csv``
        (columns ``path``, ``reason``; header only when none), so every input article is
        either analysed or listed. Companion files are read from
        :func:`framelens.corpus.corpus_folder` (the folder, or the folder holding the
        file): ``actors.csv`` (actors and aliases), ``facts.csv`` (facts of the event) and
        ``lexicon*.csv`` (terms added to the shipped lexicon, same columns, read in name
        order, see :func:`framelens.lexicon.load_lexicon`).
    out : str or Path
        Report folder; tables go to ``out/tables/NAME.csv`` (names in :data:`TABLES`).
        CSV files already in ``out/tables/`` are deleted first, so no table of an earlier
        run (another corpus) can feed the page.
    settings : framelens.pipeline.Settings, optional
        Every setting of the analysis (default ``Settings()``).
    story : str, optional
        One story of a many-story corpus (``run(story=)``).
    columns : dict, optional
        A single-file corpus's column renaming, as ``load_corpus(columns=)``.
    verbose : bool or None, default None
        Name each section on standard error as it starts; ``None``: only on a terminal.
    **changes
        Settings to change, by name (``n_boot=50``, ``max_docs=500``, ``min_words=20``):
        ``settings.replace(**changes)``.

    Returns
    -------
    pandas.DataFrame
        One row per analysis section: ``section``, ``status`` (``"computed"`` or
        ``"not computed"``), ``tables`` (comma-separated stems written) and ``note``
        (which alias table was used, or why a section was not computed). Also saved as
        ``out/tables/sections.csv``. Only a reason in the data (one outlet for a
        section comparing outlets, fewer articles than a section needs, no actors,
        more than ``max_docs`` articles for a pairwise section) makes a section "not
        computed"; any other error stops the run.

    Raises
    ------
    framelens.corpus.CorpusError
        When the corpus as a whole cannot be read, or no article is left to analyse.
    """
    from framelens.pipeline import Settings, run

    settings = (Settings() if settings is None else settings).replace(**changes)
    out = Path(out)
    step(f"loading {getattr(corpus, 'source', corpus)}", verbose)
    results = run(corpus, settings, story=story, columns=None if isinstance(corpus, Corpus) else columns,
                  on_section=lambda name: step(f"tables: {name}", verbose))
    write_tables(results, out)
    return results.sections


def write_tables(results: Results, out: str | Path) -> Path:
    """Write every table of ``results`` as ``out/tables/NAME.csv``; returns the folder.

    CSV files already in ``out/tables/`` are deleted first, so no table of an earlier
    run (another corpus) can feed the page.
    """
    from framelens.pipeline import INDEXED_TABLES

    tables = Path(out) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    for stale in tables.glob("*.csv"):  # a table from an earlier run must not feed this page
        stale.unlink()
    for name, table in results.tables.items():
        _write_csv(table, tables / f"{name}.csv", index=name in INDEXED_TABLES)
    return tables


# --------------------------------------------------------------------------- figures


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
    its finding and says so in its title; each cut is a row of
    ``tables/figures_truncated.csv`` (:data:`REPORT_TABLES`). A figure still taller than
    the limit is not drawn and is listed in ``tables/figures_left_out.csv``.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/`` (from :func:`compute_tables`).
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
    from framelens.storyreport import MAX_FIGURE_PX

    rows, left_out, cut = [], [], []
    for name, draw in _FIGURE_DRAWERS.items():
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
        _write_csv(pd.DataFrame(left_out, columns=["figure", "height_px", "limit_px"]), skipped)
    shortened = out / "tables" / "figures_truncated.csv"
    shortened.unlink(missing_ok=True)
    if cut:
        _write_csv(pd.DataFrame(cut, columns=["figure", "what", "shown", "total", "chosen", "table"]), shortened)
    return pd.DataFrame(rows, columns=["figure", "png", "svg", "title"])


#: Room kept below MAX_FIGURE_PX when a figure is cut to its top N: what ``bbox_inches="tight"``
#: adds beyond the figure size (a wrapped title, a legend under the axes).
_CUT_MARGIN_PX = 150


def _too_wide(width_in: float, *, points: float) -> bool:
    """Whether a figure this wide would show its ``points``-point text below MIN_TEXT_PX on the page."""
    from framelens.viz import max_width_in

    return width_in > max_width_in(points)


def _max_height_in() -> float:
    """The height a shortened figure is sized to: MAX_FIGURE_PX less the margin, in inches."""
    from framelens.storyreport import MAX_FIGURE_PX
    from framelens.viz import SAVE_DPI

    return (MAX_FIGURE_PX - _CUT_MARGIN_PX) / SAVE_DPI


def _too_tall(height_in: float) -> bool:
    """Whether a figure of this height would be left out (taller than MAX_FIGURE_PX when saved)."""
    from framelens.storyreport import MAX_FIGURE_PX
    from framelens.viz import SAVE_DPI

    return int(round(height_in * SAVE_DPI)) > MAX_FIGURE_PX


def _fig_corpus(out: Path) -> Any:
    import matplotlib.pyplot as plt

    from framelens.claims import ties
    from framelens.viz import colour_ticks

    table = _read(out, "corpus")
    if table is None:
        return None
    colours = _colours(out)
    t = table.assign(outlet=table["outlet"].astype(str))
    if _too_tall(0.5 * len(t) + 1.6):
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
    _title(ax, f"{_list(longest)} {'is' if len(longest) == 1 else 'are'} the longest "
               f"({int(words.max())} words), {_list(shortest)} the shortest ({int(words.min())})", loc="left")
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

    n = fit_count(len(t), per_item_in=0.5, fixed_in=1.6 + 0.5, max_in=_max_height_in())  # + the gap's row
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
        return _list(names) if len(names) <= 3 else f"{', '.join(names[:3])} and {len(names) - 3} more"

    _title(ax, f"{some(most)} {'is' if len(most) == 1 else 'are'} the longest ({int(words.max())} words), "
               f"{some(least)} the shortest ({int(words.min())}). {shortened_note([cut])}", loc="left")
    return fig, [cut]


def _square(out: Path, name: str) -> pd.DataFrame | None:
    table = _read(out, name, index_col=0)
    if table is None:
        return None
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    return table


def _fig_similarity(out: Path) -> Any:
    from framelens.features import closest_title, plot_similarity

    sim = _ordered_square(out, "similarity")
    if sim is None or len(sim) < 2:
        return None
    if len(sim) > _SQUARE_MAX:  # plot_similarity's text would shrink below 10 px: the closest pairs' articles
        return _fig_similarity_top(sim, out)
    ax = plot_similarity(sim, colours=_colours(out), title="")
    _title(ax, closest_title(sim))
    return ax.figure


#: Most articles a similarity heatmap shows whole: plot_similarity writes every cell in at 10 points up to 20.
_SQUARE_MAX = 20
#: Articles a shortened similarity heatmap shows: 15 cells of 10-point text in 7 inches, labels beside,
#: keep the figure under max_width_in(10) = 10.2 inches.
_SQUARE_CUT = 15


def _article_names(labels: list[str], out: Path) -> dict[str, str]:
    """Article label (``outlet · doc_id``, or the outlet alone) -> ``outlet · opening words``, unique."""
    t = _read(out, "corpus")
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
    colours = _colours(out)
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
    _title(ax, f"{closest_title(sim.rename(index=names, columns=names))}. {shortened_note([cut])}")
    return ax.figure, [cut]


def _fig_stability(out: Path) -> Any:
    from framelens.clusters import plot_cooccurrence

    matrix = _ordered_square(out, "cluster_cooccurrence_k2")
    pairs = _read(out, "cluster_pairs")
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
        _title(ax, ax.get_title() + f" (samples redraw the vocabulary). {shortened_note([cut])}")
        return ax.figure, [cut]
    ax = plot_cooccurrence(matrix, runs=runs, source="bootstrap samples", colours=_colours(out))
    _title(ax, ax.get_title() + " (samples redraw the vocabulary, not the articles)")
    return ax.figure


def _fig_keyness(out: Path) -> Any:
    from framelens.keyness import plot_keyness_by_outlet

    table = _read(out, "keyness")
    if table is None or table.empty:
        return None
    from framelens.viz import Shortened, fit_count, shortened_note, top_labels

    order = _order(out)
    present = set(table["outlet"].astype(str))
    panel_in, fixed_in = 0.3 * 5 + 0.75, 0.9  # plot_keyness_by_outlet's height for n=5 words an outlet
    cuts = []
    if _too_tall(panel_in * len(present) + fixed_in):  # the outlets whose best word scores highest
        n = fit_count(len(present), per_item_in=panel_in, fixed_in=fixed_in, max_in=_max_height_in())
        outlets = top_labels(table.assign(outlet=table["outlet"].astype(str)).groupby("outlet")["z"].max(),
                             n=n, order=order)
        cuts.append(Shortened("outlets", len(outlets), len(present), "those whose most distinctive word scores "
                              "highest", "keyness"))
    else:
        outlets = [o for o in order if o in present][:8]
        outlets += sorted(present - set(outlets))[:8 - len(outlets)]
    shown = table[table["outlet"].astype(str).isin(outlets)]
    axes = plot_keyness_by_outlet(shown, n=5, order=outlets, colours=_colours(out), min_count=_keyness_min_count())
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


def _fig_labels(out: Path) -> Any:
    """The labels themselves, actor x outlet, loaded ones marked; "no title" where an outlet names the actor bare."""
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from framelens.viz import heatmap

    labels = _read(out, "actor_labels")
    if labels is None or labels.empty:
        return None
    outlets = _outlets(out) or sorted(labels["outlet"].astype(str).unique())
    actors = labels["actor"].astype(str).drop_duplicates().tolist()
    hits = _read(out, "lexicon_hits")
    loaded_words: dict[tuple[str, str], list[str]] = {}
    if hits is not None and not hits.empty:
        loaded = hits[hits["register"].astype(str).isin(_LOADED) & (hits["actor"].astype(str) != "")]
        for r in loaded.itertuples():
            loaded_words.setdefault((str(r.actor), str(r.outlet)), []).append(str(r.match).lower())
    titles = _read(out, "actor_titles")
    named = set() if titles is None else {(str(a), str(o)) for a, o in zip(titles["actor"], titles["outlet"])}
    def cells(actors: list[str], outlets: list[str], *, most: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Code (0 none, 1 named bare, 2 labels, 3 a loaded label) and text of each cell; ``most``
        labels a cell at most (the most used first), then how many more."""
        codes = pd.DataFrame(0, index=actors, columns=outlets, dtype=float)
        text = pd.DataFrame("", index=actors, columns=outlets, dtype=object)
        for actor in actors:
            for outlet in outlets:
                rows = labels[(labels["actor"].astype(str) == actor) & (labels["outlet"].astype(str) == outlet)]
                if len(rows):
                    words = loaded_words.get((actor, outlet), [])
                    is_loaded = any(w in str(lab).lower() for lab in rows["label"] for w in words)
                    codes.loc[actor, outlet] = 3 if is_loaded else 2
                    listed = rows if most is None else rows.sort_values("count", ascending=False, kind="mergesort")
                    text.loc[actor, outlet] = "\n".join(
                        textwrap.fill(f"{lab}" + (f" ({int(c)}\u00d7)" if c > 1 else ""), 18)
                        for lab, c in zip(listed["label"][:most], listed["count"][:most]))
                    if most is not None and len(rows) > most:
                        text.loc[actor, outlet] += f"\n(+{len(rows) - most} more)"
                elif (actor, outlet) in named:
                    codes.loc[actor, outlet] = 1
                    text.loc[actor, outlet] = "named, no label"
                else:
                    text.loc[actor, outlet] = "\u2013"
        return codes, text

    full_codes, text = cells(actors, outlets)
    lines = max(1, max(str(t).count("\n") + 1 for t in text.to_numpy().ravel()))
    codes, cuts = full_codes, []
    if _too_tall(0.2 * lines * len(actors) + 1.6) or _too_wide(1.35 * len(outlets) + 1.6, points=9):
        codes, text, cuts = _label_cells(full_codes, labels, cells, order=_order(out))
        actors, outlets = list(codes.index), list(codes.columns)
        lines = max(1, max(str(t).count("\n") + 1 for t in text.to_numpy().ravel()))
    fig, ax = plt.subplots(figsize=(1.35 * len(outlets) + 1.6, 0.2 * lines * len(actors) + 1.6))
    cmap = ListedColormap(["#ffffff", "#eeeeee", "#d6e6f4", "#f5c6a5"])
    heatmap(codes, ax=ax, text=text, cmap=cmap, vmin=-0.5, vmax=3.5, colorbar=False, fontsize=9,
            colours=_colours(out))
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(outlets)), labels=outlets, rotation=30, ha="left", rotation_mode="anchor", fontsize=9)
    from framelens.viz import colour_ticks

    colour_ticks(ax, _colours(out), axis="x")
    ax.legend(handles=[Patch(facecolor="#f5c6a5", label="holds a loaded lexicon term"),
                       Patch(facecolor="#d6e6f4", label="other labels"),
                       Patch(facecolor="#eeeeee", label="named, no label")],
              frameon=False, ncol=3, loc="upper left", bbox_to_anchor=(0, 0), fontsize=9)
    loaded_cells = [(a, o) for a in full_codes.index for o in full_codes.columns if full_codes.loc[a, o] == 3]
    if loaded_cells:
        by_actor = pd.Series([a for a, _ in loaded_cells]).value_counts()
        actor = sorted(by_actor[by_actor == by_actor.max()].index)[0]
        who = [o for a, o in loaded_cells if a == actor]
        title = (f"Only {who[0]} gives {actor} a loaded label" if len(who) == 1 else
                 f"{_list(who)} give {actor} loaded labels")
    else:
        title = "No label holds a loaded lexicon term"
    if cuts:
        from framelens.viz import shortened_note

        _title(ax, f"{title}: the labels each outlet gives each actor. {shortened_note(cuts)}", loc="left")
        return fig, cuts
    _title(ax, f"{title}: the labels each outlet gives each actor", loc="left")
    return fig


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
    n_act = fit_count(codes.shape[0], per_item_in=0.2 * lines, fixed_in=1.6, max_in=_max_height_in())
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


def _fig_register_rates(out: Path) -> Any:
    import matplotlib.pyplot as plt

    from framelens.lexicon import plot_register_rates

    rates = _read(out, "register_rates")
    if rates is None or rates.empty:
        return None
    for col in {"rate", "low", "high"} & set(rates.columns):  # a voice without words has no rate
        rates[col] = pd.to_numeric(rates[col], errors="coerce")
    voices = ["narration", "quotation"] if "voice" in rates.columns else [None]
    heading = {None: "", "narration": "In the outlet's own words (narration)",
               "quotation": "Inside quotation marks"}
    drawn, cuts = _register_outlets(rates, voices=voices, order=_order(out))
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
    top = _top_rate(own)
    if top is None:
        title = "No delegitimising or legitimising wording in the outlets' own words"
    else:
        title = (f"{top['outlet']} uses the most {top['register']} wording in its own words "
                 f"({top['rate']:.1f} per 1,000 words, {_n(int(top['hits']), 'hit')})")
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
    per_in, fixed_in = 0.9 * len(voices), 1.6 * len(voices) + 0.6  # _fig_register_rates' height
    if not _too_tall(per_in * len(outlets) + fixed_in):
        return rates, []
    n = fit_count(len(outlets), per_item_in=per_in, fixed_in=fixed_in, max_in=_max_height_in())
    own = rates if voices == [None] else rates[rates["voice"] == "narration"]
    top = _top_rate(own)
    if top is None:  # no loaded wording: the outlets with the most words, the narrowest intervals
        score, chosen = own.groupby(own["outlet"].astype(str))["words"].max(), "those with the most words"
    else:
        reg = own[own["register"] == top["register"]]
        score = reg.groupby(reg["outlet"].astype(str))["rate"].max()
        chosen = f"the highest {top['register']} rates in their own words"
    keep = top_labels(score.reindex(outlets).fillna(0.0), n=n, order=order)
    cut = Shortened("outlets", len(keep), len(outlets), chosen, "register_rates")
    return rates[rates["outlet"].astype(str).isin(keep)], [cut]


def _spellings(out: Path) -> pd.DataFrame | None:
    """Every name spelled in more than one way (spelling_table.csv), else the curated list's counts."""
    t = _read(out, "spelling_table")
    return _read(out, "spelling_marked") if t is None else t


def _used_variants(out: Path) -> pd.DataFrame | None:
    t = _spellings(out)
    if t is None or t.empty:
        return None
    used = t[t["count"] > 0]
    names = used.groupby("name")["variant"].nunique()
    return used[used["name"].isin(names[names > 1].index)]


def _fig_spelling(out: Path) -> Any:
    from framelens.viz import heatmap, outlet_order

    used = _used_variants(out)
    t = _spellings(out)
    if used is None or used.empty or t is None:
        return None
    order = outlet_order(t["outlet"].astype(str), order=_order(out))
    shown = t[t["name"].isin(used["name"].unique())]
    shown = shown[shown.groupby(["name", "variant"])["count"].transform("sum") > 0]
    matrix = shown.pivot_table(index="outlet", columns=["name", "variant"], values="count",
                               aggfunc="sum", fill_value=0).reindex(order, fill_value=0)
    marked = shown.set_index(["name", "variant"])["marked_as"].groupby(level=[0, 1]).first()
    matrix.columns = [f"{v} ({marked.get((n, v), '')})" for n, v in matrix.columns]
    n_names, n_listed = used["name"].nunique(), t["name"].nunique()
    ax = heatmap(matrix, label="uses", fmt="{:.0f}", colours=_colours(out))
    if "mixed" in t.columns:  # spelling_table: every name spelled in more than one way
        mixed = [o for o in order if o in set(t[t["mixed"].astype(str).str.lower() == "true"]["outlet"].astype(str))]
        title = (f"{_n(n_names, 'name')} {'is' if n_names == 1 else 'are'} spelled in more than one way"
                 + (f"; {_list(mixed)} {'mixes' if len(mixed) == 1 else 'mix'} spellings within one text"
                    if mixed else ""))
    else:
        title = (f"{n_names} of the {n_listed} names in the spelling list are spelled differently across "
                 "outlets (names outside the list are not checked here)")
    _title(ax, title)
    return ax.figure


def _fig_quotes(out: Path) -> Any:
    q = _read(out, "quotes")
    if q is None or q.empty:
        return None
    p = _passages(q)
    p = p.assign(speaker=p["speaker"].astype(str).replace("", "(unattributed)"))
    counts = p.pivot_table(index="outlet", columns="speaker", values="passage_id", aggfunc="count", fill_value=0)
    speakers = counts.sum().sort_values(ascending=False, kind="mergesort").index[:7]
    other = counts.drop(columns=speakers).sum(axis=1)
    counts = counts[speakers].assign(**({"other": other} if other.any() else {}))
    totals = counts.reindex(_outlets(out) or counts.index, fill_value=0).sum(axis=1)
    return _stacked_by_outlet(counts, out, xlabel="quoted passages (one speaker's words, however many quotation "
                                                  "marks split them)",
                              title=_most_phrase(totals, what="quoted passages") + ", by speaker",
                              ranked="quoted passages", table="quotes")


def _fig_core_share(out: Path) -> Any:
    from framelens.align import PARAPHRASE, plot_core_share
    from framelens.claims import SHARE_TOL, ties
    from framelens.viz import colour_ticks, outlet_order

    share = _read(out, "core_share", index_col=0)
    if share is None or share.empty:
        return None
    share.index = share.index.astype(str)
    share = share.loc[outlet_order(share.index, order=_order(out))]
    most = [str(x) for x in ties(share["share_unique"].astype(float), tol=SHARE_TOL)]
    title = (f"{_list(most)} {'adds' if len(most) == 1 else 'add'} the most material of "
             f"{'its' if len(most) == 1 else 'their'} own ({_list([_pct(share.loc[o, 'share_unique']) for o in most])} "
             f"of words; paraphrase = TF-IDF cosine \u2265 {PARAPHRASE:.2f})")
    cuts = []
    if _too_tall(0.5 * len(share) + 1.5):  # plot_core_share's height: the outlets adding the most of their own
        from framelens.viz import Shortened, fit_count, shortened_note, top_labels

        keep = top_labels(share["share_unique"].astype(float),
                          n=fit_count(len(share), per_item_in=0.5, fixed_in=1.5, max_in=_max_height_in()),
                          order=list(share.index))
        cuts.append(Shortened("outlets", len(keep), len(share), "the largest shares of words of their own",
                              "core_share"))
        if len(most) > 3:  # a tie of many outlets, named in core_share.csv rather than in the title
            title = (f"{len(most)} outlets tie for the most material of their own "
                     f"({_pct(share.loc[most[0], 'share_unique'])} of words; paraphrase = TF-IDF cosine \u2265 "
                     f"{PARAPHRASE:.2f})")
        share, title = share.loc[keep], f"{title}. {shortened_note(cuts)}"
    ax = plot_core_share(share)
    colour_ticks(ax, _colours(out))
    _title(ax, title)
    # a shortened (tall) figure keeps its legend 0.6 in below the axis, not 20% of its height
    below = -0.6 / (float(ax.figure.get_size_inches()[1]) * float(ax.get_position().height)) if cuts else -0.2
    ax.legend(frameon=False, ncol=3, loc="upper left", bbox_to_anchor=(0, below))
    return (ax.figure, cuts) if cuts else ax.figure


def _fig_coverage(out: Path) -> Any:
    from framelens.align import plot_coverage
    from framelens.viz import colour_ticks, outlet_order

    matrix = _read(out, "coverage_matrix", index_col=0)
    if matrix is None or matrix.empty:
        return None
    import matplotlib.pyplot as plt

    matrix.columns = matrix.columns.astype(str)
    _, ax = plt.subplots(figsize=(6.8, 0.45 * min(len(matrix), 30) + 1.8))
    ax = plot_coverage(matrix[outlet_order(matrix.columns, order=_order(out))], ax=ax)
    colour_ticks(ax, _colours(out), axis="x")
    _title(ax, ax.get_title())
    return ax.figure


def _fig_traces(out: Path) -> Any:
    t = _read(out, "traces")
    if t is None or t.empty:
        return None
    cat = t["category"].astype(str) if "category" in t.columns else \
        t["kind"].astype(str).map(lambda k: "furniture" if k == "page-furniture" else "translation")
    kind = t["kind"].astype(str).where(cat == "translation", "page furniture (not translation)")
    counts = t.assign(kind=kind).pivot_table(index="outlet", columns="kind", values="rule", aggfunc="count",
                                             fill_value=0)
    cols = [c for c in counts.columns if c != "page furniture (not translation)"]
    counts = counts[cols + [c for c in counts.columns if c not in cols]]
    order = _outlets(out) or list(counts.index)
    totals = counts[cols].reindex(order, fill_value=0).sum(axis=1)
    furn = counts.drop(columns=cols).reindex(order, fill_value=0).sum(axis=1)
    written = pd.Series([f"{int(t)}" + (f" (+{int(f)} furniture)" if f else "") for t, f in zip(totals, furn)],
                        index=order)
    return _stacked_by_outlet(counts, out, xlabel="traces found (grey: page furniture, not translation)",
                              title=_most_phrase(totals, what="traces of translation") + " (page furniture apart)",
                              grey="page furniture (not translation)", totals=written,
                              ranked="traces of translation", table="traces")


# --------------------------------------------------------------------------- findings


def _who_said_html(out: Path) -> list[str]:
    w = _read(out, "who_said_what")
    if w is None or w.empty:
        return []
    shown = w[w["status"] != "absent"][["speaker", "outlet", "status", "rule", "passages", "evidence"]]
    return ["<h3>The passages behind each cell</h3>", shown.to_html(index=False, escape=True, border=0)]



def _framing_html(out: Path) -> list[str]:
    f = _read(out, "framing_choices")
    if f is None or f.empty:
        return []
    rows = []
    for outlet in [o for o in _outlets(out) if o in set(f["outlet"].astype(str))]:
        g = f[f["outlet"].astype(str) == outlet]
        pick = lambda c: " | ".join(s for s in g[g["choice"] == c]["sentence"].astype(str) if s) or "\u2013"  # noqa: E731
        omitted = "; ".join(g[g["choice"] == "omitted"]["item"].astype(str)) or "none"
        added = g[g["choice"] == "added"]
        rows.append((outlet, pick("headline"), pick("lead"), pick("subhead"), omitted,
                     f"{len(added)}: " + " | ".join(added["sentence"].astype(str)) if len(added) else "0"))
    table = pd.DataFrame(rows, columns=["outlet", "headline", "lead", "subheads", "omits (core facts)",
                                        "adds (sentences with no counterpart)"])
    return ["<h3>Framing choices, version by version</h3>", table.to_html(index=False, escape=True, border=0)]



def _state_framing(out: Path) -> tuple[str, ...] | None:
    f = _read(out, "framing_choices")
    if f is None or f.empty:
        return None
    order = [o for o in _outlets(out) if o in set(f["outlet"].astype(str))]
    heads = f[(f["choice"] == "headline") & (f["sentence"].astype(str) != "")]
    with_head = [o for o in order if o in set(heads["outlet"].astype(str))]
    lines = []
    if with_head:
        shown = "; ".join(f"{o}: \u201c{heads[heads['outlet'] == o]['sentence'].iloc[0]}\u201d" for o in with_head)
        rest = [o for o in order if o not in with_head]
        lines.append(f"{'Only ' if len(with_head) == 1 and rest else ''}{_list(with_head)} "
                     f"{'opens' if len(with_head) == 1 else 'open'} with a headline line ({shown})"
                     + (f"; {_list(rest)} {'opens' if len(rest) == 1 else 'open'} with {'its' if len(rest) == 1 else 'their'} lead." if rest else "."))
    omitted = f[f["choice"] == "omitted"]
    if len(omitted):
        lines.append("Core facts each version leaves out (carried by another): " + "; ".join(
            f"{o}: {_list(omitted[omitted['outlet'] == o]['item'].astype(str).tolist())}"
            for o in order if (omitted["outlet"] == o).any()) + ".")
        full = [o for o in order if not (omitted["outlet"] == o).any()]
        if full:
            lines[-1] += f" {_list(full)} {'omits' if len(full) == 1 else 'omit'} none."
    added = f[f["choice"] == "added"]
    counts = {o: int((added["outlet"] == o).sum()) for o in order}
    lines.append("Sentences each adds (no counterpart in another version): "
                 + ", ".join(f"{o} {counts[o]}" for o in order)
                 + "; every one is listed with the reason (its best scores against the thresholds) below and in "
                   "framing_choices.csv.")
    return tuple(lines)



def _fig_who_said(out: Path) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from framelens.viz import heatmap

    w = _read(out, "who_said_what")
    if w is None or w.empty:
        return None
    outlets = [o for o in _outlets(out) if o in set(w["outlet"].astype(str))] or sorted(w["outlet"].unique())
    speakers = list(dict.fromkeys(w["speaker"].astype(str)))
    code = {"verbatim": 2, "paraphrase": 1, "absent": 0}
    w = w.assign(speaker=w["speaker"].astype(str), outlet=w["outlet"].astype(str))
    every = [s for s in speakers if set(w[(w["speaker"] == s) & (w["status"] == "verbatim")]["outlet"]) >= set(outlets)]
    cuts = []
    if _too_tall(0.55 * len(speakers) + 1.9) or _too_wide(1.3 * len(outlets) + 1.8, points=9):
        speakers, outlets, cuts = _who_said_cut(w, speakers=speakers, outlets=outlets, order=_order(out))
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
            colorbar=False, fontsize=9, colours=_colours(out))
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(outlets)), labels=outlets, rotation=30, ha="left", rotation_mode="anchor", fontsize=9)
    if cuts:  # a long speaker name on two lines, so the figure keeps its width
        import textwrap

        ax.set_yticks(range(len(speakers)), labels=[textwrap.fill(s, 18) for s in speakers], fontsize=9)
    from framelens.viz import colour_ticks

    colour_ticks(ax, _colours(out), axis="x")
    ax.legend(handles=[Patch(facecolor="#332288", label="verbatim (quotation marks, block quote)"),
                       Patch(facecolor="#88CCEE", label="paraphrase (reported speech)"),
                       Patch(facecolor="#ffffff", edgecolor="#999999", label="absent")],
              frameon=False, ncol=2, loc="upper left", bbox_to_anchor=(0, 0), fontsize=9)
    everywhere = [s for s in speakers if (codes.loc[s] == 2).all()] if not cuts else every
    title = (f"{_list(everywhere)} {'is' if len(everywhere) == 1 else 'are'} quoted verbatim in every version"
             if everywhere else "no speaker is quoted verbatim in every version")
    if cuts:
        from framelens.viz import shortened_note

        _title(ax, f"Who said what: {title}. {shortened_note(cuts)}", loc="left")
        return fig, cuts
    _title(ax, f"Who said what: {title}", loc="left")
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
    n_sp = fit_count(len(speakers), per_item_in=0.55, fixed_in=1.9, max_in=_max_height_in())
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



def _state_who_said(out: Path) -> tuple[str, ...] | None:
    w = _read(out, "who_said_what")
    if w is None or w.empty:
        return None
    order = _order(out)
    lines = ["Each speaker in each version: verbatim (words in quotation marks or a block quote), paraphrase "
             "(the words reported without quotation marks, by a reporting verb naming the speaker or in a sentence "
             "that aligns with another version's quotation at TF-IDF cosine \u2265 "
             f"{float(w['paraphrase_threshold'].iloc[0]):.2f}) or absent."]
    said = []
    for speaker, g in w.groupby("speaker", sort=False):
        parts = []
        for status in ("verbatim", "paraphrase", "absent"):
            who = [o for o in order if o in set(g[g["status"] == status]["outlet"].astype(str))]
            if who:
                parts.append(f"{status} in {_list(who)}")
        said.append(f"{speaker}: " + ", ".join(parts))
    lines.append("; ".join(said) + ".")
    return tuple(lines)



def _passages(q: pd.DataFrame) -> pd.DataFrame:
    """One row per quoted passage (a speaker's words however many quotation marks split them)."""
    if "passage_id" not in q.columns:
        return q.assign(passage_id=q["quote_id"])
    return q.drop_duplicates(["doc_id", "passage_id"])



def write_readme(readme: str | Path, out: str | Path) -> bool:
    """Replace the block between :data:`README_BEGIN` and :data:`README_END` with :func:`readme_summary`.

    Parameters
    ----------
    readme : str or Path
        The README holding both markers once each.
    out : str or Path
        Report folder holding ``tables/``.

    Returns
    -------
    bool
        Whether the file changed.

    Raises
    ------
    ValueError
        When a marker is missing or repeated (the file is left as it was).
    """
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    if text.count(README_BEGIN) != 1 or text.count(README_END) != 1:
        raise ValueError(f"{readme} must hold the markers {README_BEGIN!r} and {README_END!r} once each; "
                         "put them around the summary the findings should fill")
    head, rest = text.split(README_BEGIN)
    _, tail = rest.split(README_END)
    new = f"{head}{README_BEGIN}\n{readme_summary(out)}{README_END}{tail}"
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text



def _labels_by_outlets(labels: pd.DataFrame, *, actor: str, order: list[str], top: int) -> list[str]:
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
        phrases.append(f"{_list(outlets)} {'calls' if len(outlets) == 1 else 'call'} {actor} "
                       f"{_quoted([label for label, _ in said[:top]])}{more}")
    return phrases


def _readme_labels(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "labels" bullet (None when its tables are missing)."""
    from framelens.claims import ties

    labels, hits, rates = _read(out, "actor_labels"), _read(out, "lexicon_hits"), _read(out, "register_rates")
    if labels is not None and hits is not None and not labels.empty:
        loaded = hits[hits["register"].astype(str).isin(_LOADED) & (hits["actor"].astype(str) != "")]
        if not loaded.empty:
            actor = sorted(loaded["actor"].value_counts().pipe(lambda c: c[c == c.max()]).index)[0]
            mine = loaded[loaded["actor"] == actor]
            who = ordered(mine["outlet"].astype(str).unique())
            words_ = [m.lower() for m in mine["match"].astype(str)]
            rows = labels[(labels["actor"] == actor) & labels["outlet"].isin(who)]
            shown = [l for l in rows["label"].drop_duplicates() if any(w in str(l).lower() for w in words_)]
            text = (f"{'Only ' if len(who) == 1 else ''}{_list(who)} {'calls' if len(who) == 1 else 'call'} "
                    f"{actor} {_quoted(shown or mine['match'].drop_duplicates().tolist())}")
            others = labels[(labels["actor"] == actor) & ~labels["outlet"].isin(who)]
            text += "".join(f"; {phrase}" for phrase in _labels_by_outlets(
                others, actor=actor, order=ordered(labels["outlet"].astype(str).unique()), top=3))
            bare = ordered(_untitled(out, actor))
            if bare:
                text += f"; {_list(bare)} {'names' if len(bare) == 1 else 'name'} {actor} without a title"
            if rates is not None and not rates.empty:
                if "voice" in rates.columns:  # the overall rate, narration and quotation together
                    rates = rates[rates["voice"].astype(str) == "all"]
                reg = rates[rates["register"] == "delegitimising"].set_index("outlet")
                if len(reg) and float(reg["rate"].max()) > 0:
                    top = [str(x) for x in ties(reg["rate"].astype(float), tol=0.05)]
                    r = reg.loc[top[0]]
                    text += (f". {_list(top)} {'has' if len(top) == 1 else 'tie for'} the highest rate of "
                             f"delegitimising lexicon hits ({r['rate']:.1f} per 1,000 words: {int(r['hits'])} in "
                             f"{int(r['words'])} words, quotations included)")
                    rest = reg.drop(index=top)
                    if {"low", "high"} <= set(reg.columns) and len(rest):
                        overlap = float(reg.loc[top, "low"].astype(float).min()) <= float(rest["high"].astype(float).max())
                        text += (f", but the 95% interval ({float(r['low']):.1f}–{float(r['high']):.1f}) overlaps "
                                 f"another outlet's, so these texts do not show that {'it uses' if len(top) == 1 else 'they use'} more" if overlap else
                                 f", its 95% interval ({float(r['low']):.1f}–{float(r['high']):.1f}) lying above every "
                                 "other outlet's")
            return (f"- **Labels.** {text}.")
    return None


def _readme_spelling(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "spelling" bullet (None when its tables are missing)."""
    spelling = _used_variants(out)
    corpus = _read(out, "corpus")
    if spelling is not None and not spelling.empty:
        lang = {} if corpus is None else dict(zip(corpus["outlet"].astype(str), corpus["origin_language"].astype(str)))
        parts = []
        for name, g in spelling.groupby("name", sort=True):
            said = []
            for variant, v in g.groupby("variant", sort=True):
                who = ordered(v["outlet"].astype(str))
                counts = dict(zip(v["outlet"].astype(str), v["count"].astype(int)))
                langs = sorted({lang.get(o, "unknown") for o in who} - {"unknown"})
                said.append(f"{_list(who)} {'writes' if len(who) == 1 else 'write'} *{variant}* "
                            f"({', '.join(str(counts[o]) for o in who)} {'time' if len(who) == 1 and counts[who[0]] == 1 else 'times'})"
                            + (f", translated from {_list(langs)}" if langs and len(langs) == len(who) else ""))
            parts.append(f"{name}: " + "; ".join(said))
        return ("- **Spelling.** " + ". ".join(parts) + ".")
    return None


def _readme_similarity(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "similarity" bullet (None when its tables are missing)."""
    from framelens.claims import COSINE_TOL, describe_ties, ties

    sims = _read(out, "similarity_checks")
    pairs = _read(out, "cluster_pairs")
    checks, parts_t = _read(out, "stability_checks"), _read(out, "stability_partitions")
    if sims is not None and not sims.empty:
        main = sims[sims["check"] == "stop words removed"]
        cos = {(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in main.itertuples()}
        tied = ties(cos, tol=COSINE_TOL)
        text = f"All pairs have TF-IDF cosine {min(cos.values()):.2f} to {max(cos.values()):.2f}"
        if len(tied) > 1:
            text += (f", and the {len(tied)} closest pairs tie within {COSINE_TOL} ("
                     + describe_ties([f"{a} with {b}" for a, b in tied], [cos[t] for t in tied]) + ")")
        if pairs is not None and checks is not None and parts_t is not None and not pairs.empty:
            k = int(pairs["k"].min())
            kp = pairs[pairs["k"] == k].sort_values("share", ascending=False, kind="mergesort").iloc[0]
            a, b = str(kp["outlet_a"]), str(kp["outlet_b"])
            mine = checks[(checks["outlet_a"] == a) & (checks["outlet_b"] == b)]
            said = [f"{_pct(r.share)} of {r.check.replace('bootstrap, ', 'bootstrap samples with ')} at k={int(r.k)}"
                    for r in mine.itertuples()]
            text += (f". {a} and {b} share a cluster in " + ", ".join(said)
                     + f" (the bootstrap redraws the vocabulary, not the articles)")
            split = [r for r in parts_t.sort_values("runs", ascending=False, kind="mergesort")
                     .groupby(["check", "k"], sort=False).head(1).itertuples()
                     if _separates(str(r.partition), a, b)]
            if split:
                text += ("; the most common grouping separates them under "
                         + ", ".join(f"{r.check}, k={int(r.k)} ({_pct(r.share)})" for r in split))
        odd, _ = _furthest(cos)
        kept = sims[sims["check"] == "stop words kept"]
        if len(kept):
            odd_kept, _ = _furthest({(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in kept.itertuples()})
            if set(odd_kept) != set(odd):
                text += (f". Which article stands apart depends on the settings: {_list(odd)} with stop words "
                         f"left out, {_list(odd_kept)} with them kept")
        return (f"- **Similarity is weak evidence.** {text}.")
    return None


def _readme_selection(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "selection" bullet (None when its tables are missing)."""
    from framelens.align import PARAPHRASE
    from framelens.claims import SHARE_TOL, ties

    att, share = _read(out, "attribution"), _read(out, "core_share", index_col=0)
    if att is not None and share is not None and not share.empty:
        credits = [f"{_list(ordered(g['outlet'].astype(str)))} {'credits' if len(g) == 1 else 'credit'} {to}"
                   for to, g in att.groupby("attributed_to", sort=True)]
        share.index = share.index.astype(str)
        unique = share["share_unique"].astype(float)
        adders = [o for o in ordered(unique.index) if unique[o] > 0]
        adders.sort(key=lambda o: -unique[o])
        text = "; ".join(credits) + ". "
        text += (_list([f"{o} {_pct(unique[o])}" for o in adders])
                 + f" of {'its' if len(adders) == 1 else 'their'} words are in sentences no other version "
                 f"matches (paraphrase = TF-IDF cosine \u2265 {PARAPHRASE:.2f})")
        most = [str(x) for x in ties(unique, tol=SHARE_TOL)]
        if len(most) > 1:
            text += f"; {_list(most)} tie for the most"
        # the sentences each adds as the page's framing finding counts them (headline and subheads
        # apart), so the README and the page give one number
        choices, sents = _read(out, "framing_choices"), _read(out, "sentence_labels")
        if choices is not None:
            own_of = {o: g["sentence"].astype(str) for o, g in choices[choices["choice"] == "added"].groupby(
                choices["outlet"].astype(str))}
        elif sents is not None:
            own_of = {o: g["sentence"].astype(str) for o, g in sents[sents["label"] == "unique"].groupby(
                sents["outlet"].astype(str))}
        else:
            own_of = {}
        for o in adders:
            own = own_of.get(o, pd.Series(dtype=str))
            if len(own):
                text += (f"; {o}'s {len(own)} own sentence{'' if len(own) == 1 else 's'} include "
                         + ", ".join(f"\u201c{_short(s)}\u201d" for s in own.head(3)))
        zero = [o for o in ordered(unique.index) if unique[o] == 0]
        own_words = _read(out, "own_words")
        if zero:
            text += f". {_list(zero)} {'has' if len(zero) == 1 else 'have'} no unmatched sentence at that threshold"
            unique_t = _read(out, "unique_by_threshold")
            if unique_t is not None and not unique_t.empty:
                top_thr = float(unique_t["threshold"].max())
                at_top = unique_t[unique_t["threshold"] == top_thr].set_index("outlet")["share_unique"]
                text += f" ({_list([_pct(at_top[o]) for o in zero])} at {top_thr:.2f})"
            if own_words is not None and not own_words.empty:
                said = []
                for o in zero:
                    w = own_words[own_words["outlet"].astype(str) == o]
                    if w.empty:
                        continue
                    per = w.groupby("sent_id").size()
                    first, most = int(per.index.min()), int(per.sort_values(ascending=False, kind="mergesort").index[0])
                    shown = [first] if first == most or per[first] >= 2 else []
                    shown += [most] if most != first else []
                    said.append(f"{o} " + ", ".join(
                        f"{_quoted(w[w['sent_id'] == i]['word'].head(6).tolist())} in "
                        f"\u201c{_short(w[w['sent_id'] == i]['sentence'].iloc[0], 12)}\u201d" for i in shown))
                if said:
                    text += ", yet words of their own remain: " + "; ".join(said)
        return (f"- **Attribution and selection.** {text}.")
    return None


def _readme_sources(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "sources" bullet (None when its tables are missing)."""
    wsw = _read(out, "who_said_what")
    if wsw is not None and not wsw.empty:
        said = []
        for speaker, g in wsw.groupby("speaker", sort=False):
            verbatim = ordered(g[g["status"] == "verbatim"]["outlet"].astype(str))
            para = ordered(g[g["status"] == "paraphrase"]["outlet"].astype(str))
            text = f"{speaker} is quoted verbatim in {len(verbatim)} of {g['outlet'].nunique()} versions"
            if para:
                text += f" and reported without quotation marks in {_list(para)}"
            said.append(text)
        return ("- **Who said what.** " + "; ".join(said) + " (who_said_what.csv lists the passages).")
    return None


def _readme_traces(out: Path, ordered: Callable[[Any], list[str]]) -> str | None:
    """The README's "traces" bullet (None when its tables are missing)."""
    traces = _read(out, "traces")
    if traces is not None and not traces.empty:
        real = traces[traces["kind"].astype(str) != "page-furniture"]
        if len(real):
            return ("- **Translation traces.** " + "; ".join(
                f"{r.outlet}: {r.kind} ({r.evidence})" for r in real.itertuples()) + ".")
    return None


def readme_summary(out: str | Path) -> str:
    """The README's "What the seed case shows" bullets, every number and outlet read from the tables.

    The same guards as the page (:func:`framelens.claims.ties`, :func:`framelens.claims.overlapping`)
    decide every "only", "most" and "closest"; a bullet whose tables are missing is left out.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/``.

    Returns
    -------
    str
        Markdown, one bullet per finding, ending in a newline ("" when no table is there).
    """
    out = Path(out)
    outlets = _outlets(out)
    ordered = lambda names: [o for o in outlets if o in set(names)] + sorted(set(names) - set(outlets))  # noqa: E731

    steps = (_readme_labels, _readme_spelling, _readme_similarity, _readme_selection, _readme_sources,
             _readme_traces)
    bullets = [b for b in (make(out, ordered) for make in steps) if b]
    return "\n".join(bullets) + ("\n" if bullets else "")



def _short(sentence: str, n_words: int = 9) -> str:
    words_ = str(sentence).split()
    return " ".join(words_[:n_words]) + (" \u2026" if len(words_) > n_words else "")



def _sensitivity_html(out: Path) -> list[str]:
    """The sensitivity panel's tables: top pairs to 4 decimals, the leading groupings, own material by threshold."""
    parts: list[str] = []
    sims = _read(out, "similarity_checks")
    if sims is not None and not sims.empty:
        wide = sims.pivot_table(index=["outlet_a", "outlet_b"], columns="check", values="cosine", aggfunc="first")
        wide = wide.sort_values("stop words removed", ascending=False, kind="mergesort") \
            if "stop words removed" in wide else wide
        wide = wide[[c for c in ("stop words removed", "stop words kept") if c in wide] +
                    [c for c in wide.columns if c not in ("stop words removed", "stop words kept")]]
        wide.columns = [f"cosine, {c}" for c in wide.columns]
        shown = wide.reset_index().rename(columns={"outlet_a": "article", "outlet_b": "and article"})
        parts.append("<h3>Cosine of every pair, with stop words removed (the main setting) and kept</h3>")
        parts.append(shown.to_html(index=False, escape=True, border=0, float_format=lambda x: f"{x:.4f}"))
    table = _read(out, "stability_partitions")
    if table is not None and not table.empty:
        top = table.sort_values(["check", "k", "runs"], ascending=[True, True, False], kind="mergesort") \
                   .groupby(["check", "k"], sort=False).head(2)
        top = top.assign(share=[_pct(x) for x in top["share"]])
        parts.append("<h3>The two most common groupings under each check</h3>")
        parts.append(top.to_html(index=False, escape=True, border=0))
    unique = _read(out, "unique_by_threshold")
    if unique is not None and not unique.empty:
        wide = unique.pivot_table(index="outlet", columns="threshold", values="share_unique", aggfunc="first")
        from framelens.viz import outlet_order

        wide = wide.loc[outlet_order(wide.index, order=_order(out))]
        wide.columns = [f"cosine \u2265 {float(c):.2f}" for c in wide.columns]
        parts.append("<h3>Share of each version's words in unmatched sentences, by paraphrase threshold</h3>")
        parts.append(wide.map(_pct).reset_index().to_html(index=False, escape=True, border=0))
    return parts



def _state_sensitivity(out: Path) -> tuple[str, ...] | None:
    from framelens.align import PARAPHRASE
    from framelens.claims import COSINE_TOL, SHARE_TOL, describe_ties, ties

    parts = _read(out, "stability_partitions")
    unique = _read(out, "unique_by_threshold")
    sims = _read(out, "similarity_checks")
    if parts is None and unique is None and sims is None:
        return None
    lines = ["Each finding above rests on choices: which words are counted, how many groups are asked for, "
             "where a paraphrase begins. Here each choice is changed in turn."]
    if sims is not None and not sims.empty:
        main = sims[sims["check"] == "stop words removed"]
        cos = {(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in main.itertuples()}
        tied = ties(cos, tol=COSINE_TOL)
        if len(tied) > 1:
            lines.append(f"Ties: {len(tied)} pairs lie within {COSINE_TOL} cosine of the closest: "
                         + describe_ties([f"{a} and {b}" for a, b in tied], [cos[t] for t in tied]) + ".")
        elif len(cos) > 1:
            second = sorted(cos.values(), reverse=True)[1]
            lines.append(f"Ties: none; the closest pair leads the next by {cos[tied[0]] - second:.4f} cosine.")
    if parts is not None and not parts.empty:
        top = parts.sort_values(["check", "k", "runs"], ascending=[True, True, False], kind="mergesort") \
                   .groupby(["check", "k"], sort=False).head(1)
        count = parts.groupby(["check", "k"]).size()
        grid = [c for c in parts["check"].unique() if str(c).endswith("settings")]
        if grid:
            g = top[top["check"] == grid[0]]
            lines.append(
                f"Settings grid ({grid[0]}: cleaned or published text \u00d7 single words or word pairs \u00d7 stop "
                "words removed or kept \u00d7 raw or sublinear term counts): "
                + "; ".join(f"at k={int(r.k)} the most common grouping, {r.partition}, comes out of "
                            f"{_pct(r.share)} of them ({count[(grid[0], r.k)]} groupings in all)"
                            for r in g.itertuples()) + ".")
        removed = top[top["check"] == "bootstrap, stop words removed"].set_index("k")
        kept = top[top["check"] == "bootstrap, stop words kept"].set_index("k")
        flips = []
        for k in sorted(set(removed.index) & set(kept.index)):
            a, b = removed.loc[k], kept.loc[k]
            if a["partition"] == b["partition"]:
                flips.append(f"at k={k} the same grouping leads ({_pct(a['share'])} and {_pct(b['share'])})")
            else:
                flips.append(f"at k={k} the most common grouping changes from {a['partition']} "
                             f"({_pct(a['share'])} of samples) to {b['partition']} ({_pct(b['share'])})")
        if flips:
            lines.append("Stop words: with function words counted instead of left out, " + "; ".join(flips) + ".")
    if unique is not None and not unique.empty:
        said = []
        for thr, g in unique.groupby("threshold", sort=True):
            shares = g.set_index("outlet")["share_unique"].astype(float)
            lead = [str(x) for x in ties(shares, tol=SHARE_TOL)]
            tag = " (the default)" if abs(float(thr) - PARAPHRASE) < 1e-9 else ""
            verb = "has" if len(lead) == 1 else "tie for"
            said.append(f"at {float(thr):.2f}{tag} {_list(lead)} {verb} the most "
                        f"({', '.join(_pct(shares[o]) for o in lead)})")
        lines.append("Own material (words in sentences no other version matches) by paraphrase threshold: "
                     + "; ".join(said) + ".")
        default = unique[(unique["threshold"] - PARAPHRASE).abs() < 1e-9]
        zero = set(default[default["share_unique"] == 0]["outlet"].astype(str))
        none = [o for o in _outlets(out) if o in zero] + sorted(zero - set(_outlets(out)))
        if none:
            top_thr = float(unique["threshold"].max())
            at_top = unique[unique["threshold"] == top_thr].set_index("outlet")["share_unique"]
            rows = unique[unique["outlet"].astype(str).isin(none)]
            holds = sorted(float(t) for t, g in rows.groupby("threshold") if (g["share_unique"] == 0).all())
            lines.append(f"{_list(none)} {'has' if len(none) == 1 else 'have'} no unmatched sentence at "
                         f"{PARAPHRASE:.2f}, but {_list([_pct(at_top[o]) for o in none])} of "
                         f"{'its' if len(none) == 1 else 'their'} words are unmatched at {top_thr:.2f}: "
                         "\u201cno sentence of its own\u201d holds at "
                         f"{_list([f'{t:.2f}' for t in holds])} only.")
    return tuple(lines)



def _fig_unique_threshold(out: Path) -> Any:
    import matplotlib.pyplot as plt

    from framelens.align import PARAPHRASE
    from framelens.claims import SHARE_TOL, ties

    t = _read(out, "unique_by_threshold")
    if t is None or t.empty:
        return None
    colours = _colours(out)
    order = [o for o in _outlets(out) if o in set(t["outlet"].astype(str))] or sorted(t["outlet"].unique())
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
    _title(ax, title, loc="left")
    return fig



def _fig_sensitivity_pairs(out: Path) -> Any:
    from framelens.viz import heatmap

    checks = _read(out, "stability_checks")
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
    _title(ax, "How often each pair shares a cluster under each check: "
           + (f"only {len(steady)} of {n_pairs} pairs stay together in 80% of runs under every check"
              if len(steady) else "no pair stays together in 80% of runs under every check") + shown, loc="left")
    return fig


#: Rows of the sensitivity-pairs figure (a story of n articles has n(n-1)/2 pairs).
_MAX_PAIRS_SHOWN = 20



def _ordered_square(out: Path, name: str) -> pd.DataFrame | None:
    table = _square(out, name)
    if table is None:
        return None
    from framelens.viz import outlet_order

    order = outlet_order(table.index, order=_order(out))
    return table.loc[order, order]



def _most_phrase(totals: pd.Series, *, what: str) -> str:
    """"X carries the most {what} (n)" or "X and Y tie for the most {what} (n each)"."""
    from framelens.claims import ties

    tied = [str(t) for t in ties(totals, tol=0)]
    top = int(totals.max())
    if len(tied) == 1:
        return f"{tied[0]} has the most {what} ({top})"
    return f"{_list(tied)} tie for the most {what} ({top} each)"



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

    order = _outlets(out) or list(counts.index)
    counts = counts.reindex(order, fill_value=0)
    colours = category_colours([c for c in counts.columns if c != grey])
    if grey is not None:
        colours[str(grey)] = "#cccccc"
    cuts = []
    if _too_tall(0.5 * len(counts) + 2.0):  # the outlets with the most, counted as the title counts them
        from framelens.viz import Shortened, fit_count, shortened_note, top_labels

        score = counts.drop(columns=[grey] if grey in counts.columns else []).sum(axis=1)
        keep = top_labels(score, n=fit_count(len(counts), per_item_in=0.5, fixed_in=2.0, max_in=_max_height_in()),
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
    colour_ticks(ax, _colours(out))
    _title(ax, title, loc="left")
    return (fig, cuts) if cuts else fig



def _title(ax: Any, text: str, *, loc: str = "center", fontsize: float = 11) -> None:
    """Set a title wrapped to the figure's width (a wider title would shrink the whole figure)."""
    from framelens.viz import wrap_title

    width = float(ax.figure.get_size_inches()[0]) * float(ax.get_position().width)
    if loc == "center":  # a centred title may spread over the margins as far as the figure's edge
        width = float(ax.figure.get_size_inches()[0]) * min(1.0, 2 * min(ax.get_position().x0 +
                                                                        ax.get_position().width / 2, 1 - ax.get_position().x0 - ax.get_position().width / 2))
    ax.set_title(wrap_title(text, width_in=max(width, 2.5), fontsize=fontsize), loc=loc, fontsize=fontsize)



def _keyness_min_count() -> int:
    """The minimum count below which keyness marks a word (the default the page's tables use)."""
    import inspect

    from framelens.keyness import keyness_by_outlet

    return int(inspect.signature(keyness_by_outlet).parameters["min_count"].default)



def _separates(partition: str, a: str, b: str) -> bool:
    """Whether a partition string (``{A, B} | {C}``) puts ``a`` and ``b`` in different groups."""
    groups = [set(g.strip("{}").split(", ")) for g in partition.split(" | ")]
    return not any(a in g and b in g for g in groups)



def _furthest(values: dict[tuple[str, str], float]) -> tuple[list[str], dict[str, float]]:
    """Articles with the lowest mean cosine to the others (ties within COSINE_TOL), and every mean."""
    from framelens.claims import COSINE_TOL, ties

    names = sorted({x for pair in values for x in pair})
    means = {o: float(np.mean([v for p, v in values.items() if o in p])) for o in names}
    return [str(x) for x in ties(means, tol=COSINE_TOL, best="min")], means



def _pairs_phrase(values: dict[tuple[str, str], float], *, kind: str, best: str) -> str:
    """"A and B are the most alike (cosine 0.53)", or the pairs that tie for it."""
    from framelens.claims import COSINE_TOL, describe_ties, ties

    tied = ties(values, tol=COSINE_TOL, best=best)
    if len(tied) == 1:
        a, b = tied[0]
        return f"{a} and {b} are the {kind} alike (cosine {values[tied[0]]:.2f})"
    return (f"{len(tied)} pairs tie as the {kind} alike, within {COSINE_TOL} of each other: "
            + describe_ties([f"{a} and {b}" for a, b in tied], [values[t] for t in tied])
            + f", so no single pair is the {kind} alike")



def _outlets(out: Path) -> list[str]:
    """The outlets of the corpus, in corpus order."""
    t = _read(out, "corpus")
    return [] if t is None else t["outlet"].astype(str).drop_duplicates().tolist()


def _colours(out: Path) -> dict[str, str]:
    """Outlet (and article label) -> its one colour (:func:`framelens.viz.outlet_colours`)."""
    from framelens.viz import outlet_colours

    t = _read(out, "corpus")
    if t is None:
        return {}
    colours = outlet_colours(t["outlet"].astype(str).drop_duplicates().tolist())
    for outlet, doc in zip(t["outlet"].astype(str), t["doc_id"].astype(str)):
        colours.setdefault(f"{outlet} \u00b7 {doc}", colours[outlet])
    return colours



def _order(out: Path) -> list[str]:
    """The outlet order of every figure and table on the page: the corpus order (tables/corpus.csv).

    Article labels of an outlet with several articles (``outlet · doc_id``) follow their outlet.
    """
    t = _read(out, "corpus")
    if t is None:
        return []
    order: list[str] = []
    for outlet, doc in zip(t["outlet"].astype(str), t["doc_id"].astype(str)):
        order += [outlet, f"{outlet} \u00b7 {doc}"]
    return list(dict.fromkeys(order))



def _pct(x: float) -> str:
    return f"{100 * float(x):.0f}%"


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """``3 hits``, ``1 hit``."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _list(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _state_corpus(out: Path) -> tuple[str, ...] | None:
    t = _read(out, "corpus")
    if t is None:
        return None
    n = len(t)
    translated = int((t["translated"].astype(str) == "yes").sum())
    unknown = int((t["translated"].astype(str) == "unknown").sum())
    from framelens.corpus import furniture_phrase

    audit = _read(out, "cleaning_audit")
    removed = int(t["removed_spans"].sum())
    cleaned_docs = int((t["removed_spans"] > 0).sum())
    # a story of a many-story corpus: articles on one story, not necessarily versions of one report
    what = f"{_n(n, 'article')} on this story" if "story" in t.columns else f"{_n(n, 'version')} of the report"
    return (
        f"{what}, from {int(t['words'].min())} to {int(t['words'].max())} words "
        f"after cleaning (median {float(t['words'].median()):g}).",
        f"{translated} of {n} are marked as translated from another language and {unknown} of unknown origin; "
        f"cleaning removed {_n(removed, 'span')} of page furniture from {_n(cleaned_docs, 'article')}"
        + (f" ({furniture_phrase(audit['rule'].astype(str))})." if audit is not None and len(audit) else "."),
    )


def _off_diagonal_pairs(sim: pd.DataFrame) -> pd.DataFrame:
    labels = list(sim.index)
    values = sim.to_numpy(dtype=float)
    i, j = np.triu_indices(len(labels), k=1)
    pairs = pd.DataFrame({"a": [labels[x] for x in i], "b": [labels[y] for y in j], "cosine": values[i, j]})
    return pairs.sort_values(["cosine", "a", "b"], ascending=[False, True, True], kind="mergesort")


def _state_similarity(out: Path) -> tuple[str, ...] | None:
    sim = _square(out, "similarity")
    if sim is None or len(sim) < 2:
        return None
    pairs = _off_diagonal_pairs(sim)
    cos = {(str(r.a), str(r.b)): float(r.cosine) for r in pairs.itertuples()}
    if len(cos) == 1:
        (a, b), v = next(iter(cos.items()))
        return (f"{a} and {b} have a cosine similarity of {v:.2f} between their TF-IDF word profiles (English "
                "stop words left out; 1 is the same profile, 0 no word in common).",)
    if round(max(cos.values()), 2) == round(min(cos.values()), 2):
        # all pairs alike (identical texts): nobody stands apart
        return (f"Every pair of the {len(sim)} has cosine similarity {max(cos.values()):.2f}, so no "
                f"article stands closer to or further from the others.",)
    lines = [
        f"Cosine similarity of the TF-IDF word profiles (English stop words left out; 1 is the same profile, "
        f"0 no word in common) lies between {min(cos.values()):.2f} and {max(cos.values()):.2f} for all "
        f"{_n(len(cos), 'pair')}.",
        _pairs_phrase(cos, kind="most", best="max") + "; " + _pairs_phrase(cos, kind="least", best="min") + ".",
    ]
    if len(sim) < 3:
        return tuple(lines)
    odd, means = _furthest(cos)
    overall = float(np.mean(list(cos.values())))
    verb = "stands" if len(odd) == 1 else "tie as standing"
    lines.append(f"{_list(odd)} {verb} furthest from the others (mean cosine "
                 f"{_list([f'{means[o]:.2f}' for o in odd])} against {overall:.2f} over all pairs)")
    checks = _read(out, "similarity_checks")
    if checks is not None and not checks.empty:
        kept = checks[checks["check"].astype(str) == "stop words kept"]
        kept_cos = {(str(r.outlet_a), str(r.outlet_b)): float(r.cosine) for r in kept.itertuples()}
        if kept_cos:
            odd_kept, means_kept = _furthest(kept_cos)
            who = _list(odd_kept)
            if set(odd_kept) == set(odd):
                lines[-1] += f", and still with stop words kept ({who}, {means_kept[odd_kept[0]]:.2f})."
            else:
                lines[-1] += (f"; with stop words kept (function words counted) {who} "
                              f"{'does' if len(odd_kept) == 1 else 'do'} instead (mean cosine "
                              f"{means_kept[odd_kept[0]]:.2f}): which version stands apart depends on that choice.")
    if not lines[-1].endswith("."):
        lines[-1] += "."
    return tuple(lines)


#: A finding names at most this many tied pairs, then counts the rest (a story of 95 articles
#: has thousands of pairs whose intervals overlap the top one's).
SHOWN_PAIRS = 6


def _state_stability(out: Path) -> tuple[str, ...] | None:
    from framelens.claims import overlapping, wilson

    pairs = _read(out, "cluster_pairs")
    if pairs is None or pairs.empty:
        return None
    k = int(pairs["k"].min())
    kp = pairs[pairs["k"] == k]
    label = next(c[:-2] for c in kp.columns if c.endswith("_a"))
    runs = int(kp["runs"].iloc[0])
    together = {(str(r[f"{label}_a"]), str(r[f"{label}_b"])): int(r["together"]) for _, r in kp.iterrows()}
    tied = overlapping({p: wilson(t, runs) for p, t in together.items()})
    a, b = tied[0]
    lines = [
        f"The bootstrap redraws the vocabulary, not the articles: each of {runs} samples counts a random "
        "draw of the words (with replacement) and clusters the same articles again (average linkage on "
        "cosine distance). It shows how far a grouping rests on particular words; it is not a confidence "
        "level, and says nothing about other articles by these outlets.",
    ]
    top = (f"Split into {k} groups, {a} and {b} share a group in {_pct(together[tied[0]] / runs)} of "
           "samples")
    if len(tied) > 1:
        others = [f"{x} and {y} {_pct(together[(x, y)] / runs)}" for x, y in tied[1:SHOWN_PAIRS + 1]]
        more = (f"; and {len(tied) - 1 - SHOWN_PAIRS:,} more, all in cluster_pairs.csv"
                if len(tied) - 1 > SHOWN_PAIRS else "")
        top += (f", but the 95% intervals over the {runs} samples of {_n(len(tied) - 1, 'other pair')} "
                f"overlap theirs ({'; '.join(others)}{more}), so the samples single out no one pair")
    lines.append(top + ".")
    checks = _read(out, "stability_checks")
    parts = _read(out, "stability_partitions")
    if checks is not None and parts is not None and not checks.empty:
        mine = checks[((checks["outlet_a"].astype(str) == a) & (checks["outlet_b"].astype(str) == b))]
        said, unsettled = [], False
        for r in mine.itertuples():
            common = parts[(parts["check"] == r.check) & (parts["k"] == r.k)]
            split = len(common) > 0 and _separates(str(common["partition"].iloc[0]), a, b)
            unsettled |= split or r.share < 0.8
            if str(r.check).startswith("bootstrap, stop words removed") and int(r.k) == k:
                continue  # the finding itself
            text = f"{r.check}, k={int(r.k)}: together in {_pct(r.share)}"
            if split:
                text += (f" (the most common grouping there, in {_pct(common['share'].iloc[0])} of runs, "
                         "separates them)")
            said.append(text)
        if said:
            lines.append(f"Under the other checks the same pair is: {'; '.join(said)}. "
                         + ("Whether they belong together depends on which words are counted and how many "
                            "groups are asked for; no check here settles it." if unsettled else
                            "Every check keeps them together in at least 80% of runs."))
    return tuple(lines)


def _state_keyness(out: Path) -> tuple[str, ...] | None:
    from framelens.claims import overlapping

    t = _read(out, "keyness")
    if t is None or t.empty:
        return None
    order = _order(out)
    firsts = t[t["rank"] == 1].set_index("outlet")
    firsts = firsts.loc[[o for o in order if o in firsts.index] + sorted(set(firsts.index) - set(order))]
    parts = [f"{o}: \u201c{r.term}\u201d (z = {r.z:.2f})" for o, r in firsts.iterrows()]
    small = int(firsts["small_sample"].astype(str).str.lower().eq("true").sum())
    low = int(t["low_count"].astype(str).str.lower().eq("true").sum())
    unsettled = 0
    for outlet, g in t.groupby("outlet"):
        g = g[g["rank"] <= 2]
        if len(g) < 2:
            continue
        half = 1.96 * np.sqrt(g["variance"].astype(float))
        iv = {r: (d - h, d + h) for r, d, h in zip(g["rank"], g["delta"].astype(float), half)}
        unsettled += len(overlapping(iv)) > 1
    lines = ["The highest-scoring word of each outlet against the rest (z-score of the log-odds ratio with an "
             "informative Dirichlet prior): " + "; ".join(parts) + "."]
    if unsettled:
        lines.append(f"For {unsettled} of {len(firsts)} outlets the top word's 95% interval overlaps the second "
                     "word's, so which word is \u201cmost\u201d distinctive is not settled.")
    lines.append(f"{small} of {len(firsts)} outlets have too few words for these scores to mean much, and "
                 f"{low} of the {len(t)} listed words occur fewer than {_keyness_min_count()} times in all texts: "
                 "read them as leads, not results.")
    return tuple(lines)


_LOADED = ("delegitimising", "legitimising")


def _top_rate(rates: pd.DataFrame) -> pd.Series | None:
    """Row of the highest rate of loaded wording (registers in ``_LOADED``), None if all zero."""
    loaded = rates[rates["register"].astype(str).isin(_LOADED) & (rates["rate"] > 0)]
    if loaded.empty:
        return None
    return loaded.sort_values(["rate", "outlet"], ascending=[False, True], kind="mergesort").iloc[0]


def _quoted(items: list[str]) -> str:
    return _list([f"\u201c{i}\u201d" for i in items])


def _untitled(out: Path, actor: str) -> dict[str, int]:
    """Outlets that name ``actor`` but never with a title (actor_titles.csv), with their mentions."""
    titles = _read(out, "actor_titles")
    if titles is None or titles.empty:
        return {}
    rows = titles[(titles["actor"].astype(str) == actor)
                  & titles["only_untitled"].astype(str).str.lower().eq("true")]
    return {str(o): int(c) for o, c in rows.groupby("outlet")["count"].sum().items()}


def _state_labels(out: Path) -> tuple[str, ...] | None:
    labels = _read(out, "actor_labels")
    if labels is None or labels.empty:
        return None
    hits = _read(out, "lexicon_hits")
    n_actors = labels["actor"].nunique()
    n_labels = len(labels.drop_duplicates(["actor", "label"]))
    closing = (f"Across {_n(n_actors, 'actor')} the outlets use {_n(n_labels, 'distinct label')} "
               "(the label matrix lists every one with an example sentence).")
    status = _read(out, "sections")
    if status is not None:  # say when the actors were proposed rather than listed by the researcher
        note = status.loc[status["section"] == "labels", "note"].fillna("").astype(str)
        if len(note) and note.iloc[0].startswith("No actors.csv"):
            closing += " " + note.iloc[0]
    loaded = None
    if hits is not None and not hits.empty:
        loaded = hits[hits["register"].astype(str).isin(_LOADED) & (hits["actor"].astype(str) != "")]
    if loaded is None or loaded.empty:
        from framelens.claims import ties

        per_actor = labels.groupby("actor")["label"].nunique()
        tied = [str(a) for a in ties(per_actor, tol=0)]
        actor = tied[0]
        names = labels[labels["actor"] == actor].sort_values("count", ascending=False, kind="mergesort")
        lead = (f"{actor} gets the most varied labels" if len(tied) == 1 else
                f"{_list(tied)} tie for the most varied labels; {actor} has")
        return (f"{lead}, {per_actor[actor]} in all: "
                f"{_quoted(names['label'].drop_duplicates().head(6).tolist())}.", closing)
    counts = loaded["actor"].value_counts()
    actor = sorted(counts[counts == counts.max()].index)[0]
    mine = loaded[loaded["actor"] == actor]
    order = _order(out)
    outlets = [o for o in order if o in set(mine["outlet"].astype(str))]
    rows = labels[(labels["actor"] == actor) & labels["outlet"].isin(outlets)]
    words = [m.lower() for m in mine["match"].astype(str)]
    chosen = rows[rows["label"].astype(str).str.lower().apply(lambda l: any(w in l for w in words))]
    shown = chosen["label"].drop_duplicates().tolist() or mine["match"].drop_duplicates().tolist()
    verb = "calls" if len(outlets) == 1 else "call"
    first = f"{_list(outlets)} {verb} {actor} {_quoted(shown)}"
    others = labels[(labels["actor"] == actor) & ~labels["outlet"].isin(outlets)]
    first += "".join(f"; {phrase}" for phrase in _labels_by_outlets(others, actor=actor, order=order, top=4))
    untitled = _untitled(out, actor)
    bare = [o for o in order if o in untitled]
    if bare:
        first += (f"; {_list(bare)} {'names' if len(bare) == 1 else 'name'} {actor} without a title "
                  f"({_list([f'{untitled[o]}' + chr(215) for o in bare])})")
    example = chosen["example"].iloc[0] if len(chosen) else mine["sentence"].iloc[0]
    return first + ".", f"Evidence: \u201c{example}\u201d", closing


def _state_lexicon(out: Path) -> tuple[str, ...] | None:
    rates = _read(out, "register_rates")
    hits = _read(out, "lexicon_hits")
    if rates is None or rates.empty or hits is None:
        return None
    for col in {"rate", "low", "high"} & set(rates.columns):  # a voice without words has no rate
        rates[col] = pd.to_numeric(rates[col], errors="coerce")
    lexicon = _read(out, "lexicon_used")
    size = (f"The lexicon has {len(lexicon)} terms in {lexicon['register'].nunique()} registers "
            f"(shipped resources and the corpus's own files, with their sources in lexicon_used.csv); "
            if lexicon is not None else "")
    closing = size + f"all {len(hits)} hits are listed in context in lexicon_hits.csv."
    choices = _read(out, "word_choice")
    if choices is not None and len(choices):
        top = choices.iloc[0]
        closing += (f" Word choice: {_n(len(choices), 'word')} that one outlet used where others "
                    f"wrote differently (word_choice.csv), e.g. {top['outlet']}'s "
                    f"\u201c{top['term']}\u201d where {_n(int(top['others']), 'other outlet')} "
                    f"wrote \u201c{top['other_terms']}\u201d.")
    has_voice = "voice" in rates.columns
    own = rates[rates["voice"] == "narration"] if has_voice else rates
    top = _top_rate(own)
    voice = " in its own voice (narration, outside quotation marks)" if has_voice else ""

    def interval(r: pd.Series) -> str:
        return (f"{r['rate']:.1f} per 1,000 words ({_n(int(r['hits']), 'hit')}, "
                f"95% interval {r['low']:.1f}\u2013{r['high']:.1f})") if "low" in r else \
            f"{r['rate']:.1f} per 1,000 words ({_n(int(r['hits']), 'hit')})"

    if top is None:
        first = f"No delegitimising or legitimising wording from the lexicon was found{voice}."
    else:
        same = own[own["register"] == top["register"]].sort_values(["rate", "outlet"], kind="mergesort")
        lowest = same[same["rate"] == same["rate"].min()]
        # of the outlets tied at the lowest rate, the one whose interval is narrowest speaks for them
        low = lowest.sort_values(["high", "outlet"], kind="mergesort").iloc[0] if "high" in lowest else lowest.iloc[0]
        if len(lowest) == 1:
            first = (f"{top['outlet']} uses the most {top['register']} wording{voice}: {interval(top)}, "
                     f"against {interval(low)} for {low['outlet']}.")
        else:
            names = [o for o in _order(out) if o in set(lowest["outlet"].astype(str))] or \
                sorted(lowest["outlet"].astype(str))
            narrowest = (f"; the narrowest 95% interval, {low['outlet']}'s, is {low['low']:.1f}\u2013{low['high']:.1f}"
                         if "high" in low else "")
            first = (f"{top['outlet']} uses the most {top['register']} wording{voice}: {interval(top)}, "
                     f"against {low['rate']:.1f} per 1,000 words for each of {_list(names)} "
                     + (f"({_n(int(low['hits']), 'hit')} each{narrowest})." if lowest["hits"].nunique() == 1
                        else f"({narrowest[2:]})." if narrowest else "."))
        if "low" in own.columns:
            overlap = float(low["high"]) >= float(top["low"])
            first += ((" The two intervals overlap" if len(lowest) == 1 else " Even that interval overlaps")
                      + ", so these texts do not show that the outlets differ." if overlap else
                      " The two intervals do not overlap." if len(lowest) == 1 else
                      " The intervals do not overlap.")
        ex = hits[(hits["outlet"] == top["outlet"]) & (hits["register"] == top["register"])]
        if has_voice:
            ex = ex[ex["voice"] == "narration"]
        if len(ex):
            e = ex.iloc[0]
            first += f" For example: \u201c\u2026{e['left']}{e['match']}{e['right']}\u2026\u201d"
    parts = [first]
    if has_voice and "voice" in hits.columns:
        loaded = hits[hits["register"].astype(str).isin(("delegitimising", "legitimising"))]
        q = loaded[loaded["voice"] == "quotation"]
        if len(q):
            who = q["speaker"].astype(str).replace("", "an unnamed speaker").value_counts()
            parts.append(f"{_n(len(q), 'delegitimising or legitimising hit')} of {len(loaded)} "
                         f"{'is' if len(q) == 1 else 'are'} inside quotations, the quoted speaker's "
                         f"words rather than the outlet's: "
                         + _list([f"{n} from {s}" for s, n in who.items()]) + ".")
    return (*parts, closing)


def _state_spelling(out: Path) -> tuple[str, ...] | None:
    used = _used_variants(out)
    if used is None:
        return None
    if used.empty:
        return ("Every outlet spells the listed names the same way.",)
    parts = []
    for name, g in used.groupby("name", sort=True):
        variants = []
        for (variant, marked), v in g.groupby(["variant", "marked_as"], sort=True):
            who = _list([f"{o} ({int(c)}\u00d7)" for o, c in zip(v["outlet"], v["count"])])
            variants.append(f"\u201c{variant}\u201d ({marked}) in {who}")
        parts.append(f"{name}: " + " versus ".join(variants))
    lines = ["Spelling sets the outlets apart. " + "; ".join(parts) + "."]
    mixed = _read(out, "mixed_spellings")
    if mixed is not None and not mixed.empty:
        said = []
        for (outlet, name), g in mixed.groupby(["outlet", "name"], sort=True):
            said.append(f"{outlet} writes {name} as "
                        + _list([f"\u201c{v}\u201d ({int(c)}\u00d7)" for v, c in zip(g["variant"], g["count"])]))
        lines.append("Within one text: " + "; ".join(said) + ".")
    russian = sorted(used[used["marked_as"].astype(str) == "Russian-based"]["variant"].astype(str).unique())
    if russian:
        lines.append(f"Russian-based forms ({_quoted(russian)}) hint at a text that passed through Russian "
                     "or an older house style; they are a lead, not proof of origin.")
    return tuple(lines)


def _state_quotes(out: Path) -> tuple[str, ...] | None:
    from framelens.claims import ties

    att = _read(out, "attribution")
    q = _read(out, "quotes")
    if att is None or q is None:
        return None
    order = _order(out)
    parts = []
    for to, g in att.groupby("attributed_to", sort=True):
        parts.append(f"to {to} by {_list([o for o in order if o in set(g['outlet'].astype(str))])}")
    first = "The report is credited " + "; ".join(parts) + "."
    matches = _read(out, "quote_matches")
    p = _passages(q)
    speakers = p[p["speaker"].astype(str) != ""]["speaker"].value_counts()
    second = (f"{_n(len(p), 'quoted passage')} found (a passage is one speaker's words, however many quotation "
              f"marks split it; {_n(len(q), 'quotation')} in all)")
    if matches is not None:
        second += f", {len(matches)} of them kept by two or more outlets"
    if len(speakers):
        tied = [str(s) for s in ties(speakers, tol=0)]
        second += (f"; most quoted: {tied[0]} ({_n(int(speakers.iloc[0]), 'passage')})" if len(tied) == 1 else
                   f"; {_list(tied)} tie as the most quoted ({int(speakers.iloc[0])} passages each)")
    return first, second + "."


def _state_coverage(out: Path) -> tuple[str, ...] | None:
    from framelens.align import MIN_WORDS, PARAPHRASE, VERBATIM
    from framelens.claims import SHARE_TOL, ties

    share = _read(out, "core_share", index_col=0)
    if share is None or share.empty:
        return None
    share.index = share.index.astype(str)
    unique = share["share_unique"].astype(float)
    most = [str(x) for x in ties(unique, tol=SHARE_TOL)]
    least = [str(x) for x in ties(unique, tol=SHARE_TOL, best="min")]
    lines = [f"Each sentence of at least {MIN_WORDS} words is matched with the sentences of the other versions: "
             f"shared verbatim when at least {_pct(VERBATIM)} of its word trigrams recur in one of them, "
             f"paraphrased when its TF-IDF cosine with its best counterpart is at least {PARAPHRASE:.2f} and the "
             "two are each other's best match, and unique otherwise."]
    if len(most) == 1:
        text = (f"{most[0]} adds the most of its own: {_pct(unique[most[0]])} of its words are in sentences "
                "no other version matches")
    else:
        text = (f"{_list(most)} tie for the most material of their own ("
                + ", ".join(_pct(unique[o]) for o in most) + " of their words in unmatched sentences)")
    zero = [o for o in _order(out) if o in least and unique[o] == 0] + sorted(
        o for o in least if unique[o] == 0 and o not in _order(out))
    if zero:
        text += f"; {_list(zero)} {'has' if len(zero) == 1 else 'have'} none (every sentence has a counterpart)"
    else:
        text += f"; {_list(least)} the least ({', '.join(_pct(unique[o]) for o in least)})"
    lines.append(text + ".")
    own = _read(out, "own_words")
    if zero and own is not None and not own.empty:
        said = []
        for outlet in zero:
            words_ = own[own["outlet"].astype(str) == outlet]
            if words_.empty:
                continue
            best = words_.groupby("sent_id").size().sort_values(ascending=False, kind="mergesort").index[0]
            w = words_[words_["sent_id"] == best]
            said.append(f"{outlet}: {_quoted(w['word'].head(6).tolist())} in \u201c{w['sentence'].iloc[0]}\u201d")
        if said:
            lines.append("A matched sentence can still carry words no other version uses: " + "; ".join(said) + ".")
    verbatim = share["share_shared-verbatim"].astype(float) if "share_shared-verbatim" in share else None
    if verbatim is not None:
        text = (f"Word-for-word overlap covers {_pct(verbatim.min())} to {_pct(verbatim.max())} of each "
                "version's words")
        if "share_paraphrased" in share:
            para = share["share_paraphrased"].astype(float)
            text += f", paraphrase {_pct(para.min())} to {_pct(para.max())}"
        lines.append(text + ".")
    matrix = _read(out, "coverage_matrix", index_col=0)
    if matrix is not None and not matrix.empty:
        order = _order(out)
        present = matrix > 0
        full = int(present.all(axis=1).sum())
        gaps = [f"{fact} (missing in {_list([o for o in order if o in set(present.columns[~row])])})"
                for fact, row in present.iterrows() if not row.all()]
        text = (f"{full} of {len(matrix)} listed facts (a fact counts when a sentence matches one of its "
                f"patterns in facts.csv) {'appears' if full == 1 else 'appear'} in every version")
        if gaps:
            text += f"; the other {len(gaps)}: " + "; ".join(gaps)
        lines.append(text + ".")
    return tuple(lines)


def _state_traces(out: Path) -> tuple[str, ...] | None:
    t = _read(out, "traces")
    if t is None:
        return None
    if t.empty:
        return ("No trace of translation or republishing was found.",)
    outlets = _outlets(out) or sorted(t["outlet"].astype(str).unique())
    cat = t["category"].astype(str) if "category" in t.columns else \
        t["kind"].astype(str).map(lambda k: "furniture" if k == "page-furniture" else "translation")
    real, furniture = t[cat == "translation"], t[cat != "translation"]
    none = [o for o in outlets if o not in set(real["outlet"].astype(str))]
    kinds = real["kind"].value_counts().sort_index()
    lines = [f"{_n(len(real), 'trace')} of translation in {real['outlet'].nunique()} of the {len(outlets)} outlets"
             + (": " + ", ".join(f"{int(n)} {k}" for k, n in kinds.items()) if len(kinds) else "")
             + (f"; none in {_list(none)}" if none else "") + "."]
    if len(real):
        lines.append("Each with its evidence: " + "; ".join(f"{r.outlet}: {r.evidence}" for r in real.itertuples()) + ".")
    if len(furniture):
        from framelens.corpus import RULES, furniture_phrase

        cleaned = {r.name for r in RULES}
        gone = furniture[furniture["rule"].astype(str).isin(cleaned)]
        kept = furniture[~furniture["rule"].astype(str).isin(cleaned)]
        said = [f"{furniture_phrase(gone['rule'].astype(str))}, which cleaning removed before the comparison"] \
            if len(gone) else []
        said += [f"{furniture_phrase(kept['rule'].astype(str))}, left in the text"] if len(kept) else []
        lines.append(f"Apart from these, {_n(len(furniture), 'piece')} of page furniture: " + "; ".join(said)
                     + ". Furniture comes from republishing, not translation.")
    return tuple(lines)


_FIGURE_DRAWERS: dict[str, Callable[[Path], Any]] = {
    "corpus_words_per_article": _fig_corpus,
    "similarity_heatmap": _fig_similarity,
    "cluster_stability_k2": _fig_stability,
    "keyness_by_outlet": _fig_keyness,
    "actor_label_variety": _fig_labels,
    "register_rates": _fig_register_rates,
    "spelling_variants": _fig_spelling,
    "quotes_by_speaker": _fig_quotes,
    "core_share_by_outlet": _fig_core_share,
    "fact_coverage": _fig_coverage,
    "traces_by_outlet": _fig_traces,
    "sensitivity_pairs": _fig_sensitivity_pairs,
    "unique_by_threshold": _fig_unique_threshold,
    "who_said_what": _fig_who_said,
}


#: section -> (heading, statement function, figure stem, notebook keywords, heading keywords, tables)
_FINDINGS: dict[str, tuple[str, Callable[[Path], tuple[str, ...] | None], str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "corpus": ("The corpus", _state_corpus, "corpus_words_per_article",
               ("corpus",), ("removed", "clean", "corpus"), ("corpus", "cleaning_audit")),
    "similarity": ("Which versions are alike", _state_similarity, "similarity_heatmap",
                   ("cluster", "tfidf", "similar"), ("cosine", "similar"), ("similarity", "similarity_checks")),
    "stability": ("How stable the grouping is", _state_stability, "cluster_stability_k2",
                  ("cluster", "tfidf"), ("bootstrap", "stab"),
                  ("cluster_pairs", "cluster_cooccurrence_k2", "stability_checks", "stability_partitions")),
    "labels": ("How each outlet names the actors", _state_labels, "actor_label_variety",
               ("label", "actor"), ("matrix", "putin", "label"), ("label_matrix", "actor_labels")),
    "lexicon": ("Loaded versus neutral wording", _state_lexicon, "register_rates",
                ("loaded", "lexicon"), ("lexicon", "loaded", "kwic"), ("register_rates", "lexicon_hits", "lexicon_used")),
    "spelling": ("Spelling and transliteration", _state_spelling, "spelling_variants",
                 ("spelling", "loaded", "label"), ("spelling", "kyiv", "translit"),
                 ("spelling_table", "mixed_spellings", "spelling_marked")),
    "quotes": ("Sources and attribution", _state_quotes, "quotes_by_speaker",
               ("quote", "source", "attribution"), ("credit", "attribut", "quote"), ("attribution", "quotes", "quote_matches")),
    "coverage": ("The shared core and what each outlet added", _state_coverage,
                 "core_share_by_outlet,fact_coverage",
                 ("align", "core", "shared", "coverage"), ("core", "shared", "cover", "fact"),
                 ("core_share", "coverage_matrix")),
    "keyness": ("Distinctive vocabulary", _state_keyness, "keyness_by_outlet",
                ("keyness", "vocab", "distinct", "words"), ("against the rest", "keyness", "distinct"), ("keyness",)),
    "traces": ("Traces of translation and republishing", _state_traces, "traces_by_outlet",
               ("sources", "corpus"), ("trace", "translat", "republish"), ("traces",)),
    "who_said": ("Who said what", _state_who_said, "who_said_what", ("source", "quote"), ("who", "quot", "speaker"),
                 ("who_said_what", "quotes")),
    "framing": ("Framing choices: headline, lead, what each left out and added", _state_framing, "",
                ("source", "core"), ("framing", "added", "core", "shared"), ("framing_choices",)),
    "sensitivity": ("How much the findings depend on the settings", _state_sensitivity,
                    "sensitivity_pairs,unique_by_threshold", ("cluster", "tfidf"), ("grid", "settings", "stab"),
                    ("similarity_checks", "stability_checks", "stability_partitions", "unique_by_threshold")),
}


def summarize(out: str | Path) -> pd.DataFrame:
    """State each finding in one or two sentences, numbers read from the saved tables.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/`` (from :func:`compute_tables`).

    Returns
    -------
    pandas.DataFrame
        One row per finding whose tables exist: ``section``, ``heading``,
        ``statement`` (plain text, not yet escaped), ``figure`` (comma-separated stems) and ``tables``
        (comma-separated stems of the tables the numbers come from).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "tables").mkdir()
    ...     pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=pd.Index(["A", "B"], name="outlet"),
    ...                  columns=["A", "B"]).to_csv(Path(d, "tables", "similarity.csv"))
    ...     print(summarize(d)["statement"].iloc[0])
    A and B have a cosine similarity of 0.40 between their TF-IDF word profiles (English stop words left out; 1 is the same profile, 0 no word in common).
    """
    out = Path(out)
    rows = []
    for section, (heading, state, figure, _, _, tables) in _FINDINGS.items():
        sentences = state(out)
        if sentences is None:
            continue
        rows.append((section, heading, " ".join(sentences), figure, ",".join(tables)))
    return pd.DataFrame(rows, columns=["section", "heading", "statement", "figure", "tables"])


def caveats(out: str | Path) -> list[str]:
    """The limits a reader must keep in mind, with numbers from the saved tables.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/``.

    Returns
    -------
    list of str
        Plain-text sentences (escaped when placed in HTML).
    """
    out = Path(out)
    t = _read(out, "corpus")
    lines = []
    if t is not None:
        n = len(t)
        translated = int((t["translated"].astype(str) == "yes").sum())
        unknown = int((t["translated"].astype(str) == "unknown").sum())
        lines.append(
            f"Only {_n(n, 'article')}: every similarity, cluster and keyness number rests on a handful of "
            "documents and a few hundred words each. Read the figures as descriptions of these "
            "texts, not estimates about the outlets."
        )
        if translated or (unknown and unknown < n):
            lines.append(
                f"Machine translation: {translated} of {n} texts are marked as translated and "
                f"{unknown} of unknown origin, so a word choice may be the translator's (human or "
                "machine), not the outlet's."
            )
        elif unknown:
            lines.append(
                f"Translation: the corpus does not say whether any of its {_n(n, 'text')} was translated "
                "(no translated column, or \"unknown\" for all); if some were, a word choice may be the "
                "translator's, not the outlet's."
            )
    lexicon = _read(out, "lexicon_used")
    size = f" of {len(lexicon)} terms" if lexicon is not None else ""
    some_translated = t is not None and bool((t["translated"].astype(str) == "yes").any())
    lines.append(
        f"Lexicon limits: loaded and neutral wording is counted from a fixed word list{size}; it misses "
        "synonyms it does not list, reads a word out of context (a sentiment rating is not a "
        "frame), "
        + ("tells quotation from the outlet's own voice only by quotation marks, and English lists judge "
           "texts that were first written in other languages." if some_translated else
           "and tells quotation from the outlet's own voice only by quotation marks.")
    )
    lines.append(
        "Cleaning removes page furniture by general rules; the audit table lists every removed "
        "span so a reader can check that nothing of the report itself was lost."
    )
    return lines


# --------------------------------------------------------------------------- page

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
.question{font-size:1.1rem;background:#f3f6fa;border-left:4px solid #0072B2;padding:.6rem 1rem}
figure{margin:1rem 0}figure img{max-width:min(100%,46rem);height:auto;border:1px solid #eee}
figcaption,.meta{font-size:.9rem;color:#555}table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
.missing{color:#8a4b00}.caveats li{margin:.3rem 0}
.contents h2{font-size:1rem;margin-top:1.2rem;border:0}.contents ol{columns:2;font-size:.9rem;margin:.2rem 0}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _notebook_link(section: str, notebooks: pd.DataFrame | None, out: Path) -> tuple[str, str] | None:
    """(href, label) of the notebook section holding the evidence for ``section``."""
    if notebooks is None or notebooks.empty:
        return None
    from framelens.headings import heading_anchors

    _, _, _, nb_keys, head_keys, _ = _FINDINGS[section]
    rows = list(notebooks.sort_values("notebook").itertuples())
    named = [r for r in rows if any(k in f"{r.notebook} {getattr(r, 'title', '')}".lower() for k in nb_keys)]
    # notebooks named for the topic first, then the others; within each, the first heading
    # matching a keyword (keywords in priority order, deeper headings before the title)
    for row in named + [r for r in rows if r not in named]:
        href = str(row.html)
        page = out / href
        if not page.is_file():
            continue
        anchors = heading_anchors(page.read_text(encoding="utf-8"))
        anchors = anchors[anchors["id"] != ""].sort_values("level", key=lambda s: s == 1, kind="mergesort")
        for key in head_keys:
            hits = anchors[anchors["text"].str.lower().str.contains(key, regex=False)]
            if len(hits):
                return (f"{href}#{hits['id'].iloc[0]}",
                        f"{row.notebook}, section \u201c{hits['text'].iloc[0]}\u201d")
    if named:
        return str(named[0].html), str(named[0].notebook)
    return None


def _rejects_section(out: Path) -> list[str]:
    """The "Rejected articles" section: every input article left out, with the reason."""
    rejects = _read(out, "rejects")
    if rejects is None:
        return []
    corpus = _read(out, "corpus")
    parts = ['<section id="rejected"><h2>Rejected articles</h2>']
    if rejects.empty:
        every = ("every input article was" if corpus is None
                 else "the one input article was" if len(corpus) == 1
                 else f"all {len(corpus)} input articles were")
        parts.append(f"<p>None: {_e(every)} read and analysed.</p>")
    else:
        analysed = f" {len(corpus)} were analysed;" if corpus is not None else ""
        parts.append(
            f"<p>{_e(_n(len(rejects), 'input article'))} could not be analysed and "
            f"{'is' if len(rejects) == 1 else 'are'} left out of every finding below;{_e(analysed)} "
            f'the reasons and fixes are listed here and in <a href="tables/rejects.csv">rejects.csv</a>. '
            "Fix the files and render the report again to include them.</p>"
        )
        parts.append(rejects[["path", "reason"]].to_html(index=False, escape=True, border=0))
    parts.append("</section>")
    return parts


def _small_corpus(out: Path) -> str:
    """A plain sentence when the corpus is too small for the comparisons ("" otherwise)."""
    corpus = _read(out, "corpus")
    if corpus is None:
        return ""
    n, n_outlets = len(corpus), corpus["outlet"].astype(str).nunique()
    if n >= 3 and n_outlets >= 2:
        return ""
    return (f"This corpus has {_n(n, 'article')} from {_n(n_outlets, 'outlet')}. Findings that compare "
            "articles need at least 2 of them (cluster stability needs 3), and findings that compare "
            "outlets need articles from at least 2 outlets; those are listed below with the reason. "
            "Add articles from other outlets to compute them.")


def _contents(found: pd.DataFrame, *, notebooks: bool) -> list[str]:
    """The page's table of contents: one link per finding, then the closing sections.

    Rejected articles and "Not computed" are left out of it (they may be absent); the
    caveats, notebooks and reusable tables always close the page.
    """
    links = [(f"finding-{row.section}", str(row.heading)) for row in found.itertuples()]
    links += [("caveats", "Caveats"), *([("notebooks", "The notebooks")] if notebooks else []),
              ("tables", "Tables for reuse")]
    items = "".join(f'<li><a href="#{_e(anchor)}">{_e(text)}</a></li>' for anchor, text in links)
    return [f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>']


def _shortened(out: Path) -> dict[str, str]:
    """Figure stem -> the note saying which top N it shows (``tables/figures_truncated.csv``)."""
    from framelens.viz import Shortened, shortened_note

    t = _read(out, "figures_truncated")
    if t is None:
        return {}
    return {str(stem): shortened_note([Shortened(str(r.what), int(r.shown), int(r.total), str(r.chosen), str(r.table))
                                       for r in g.itertuples()])
            for stem, g in t.groupby("figure", sort=False)}


def findings_page(
    out: str | Path,
    *,
    notebooks: pd.DataFrame | None = None,
    corpus_name: str = "",
    story: str | None = None,
    overview: str | None = None,
) -> str:
    """The findings page as one HTML string (no script, no external resource).

    Parameters
    ----------
    out : str or Path
        Report folder with ``tables/`` and ``figures/``; links in the page are relative
        to it.
    notebooks : pandas.DataFrame, optional
        Rendered notebooks (from :func:`framelens.render.render_notebooks`: columns
        ``notebook``, ``html``, ``title``); each finding links to the matching section.
    corpus_name : str
        Shown under the title (e.g. the corpus folder name).
    story : str, optional
        The page of one story of a many-story corpus: its id, shown in the title.
    overview : str, optional
        With ``story``: the link (relative to ``out``) back to the overview of all stories.

    Returns
    -------
    str
        The HTML document. Every value from a table or the corpus is escaped with
        :func:`html.escape`; tables go through ``DataFrame.to_html(escape=True)``.
    """
    from framelens.storyreport import MAX_FIGURE_PX

    out = Path(out)
    found = summarize(out)
    status = _read(out, "sections")
    tall = _read(out, "figures_left_out")
    too_tall = {} if tall is None else dict(zip(tall["figure"].astype(str), tall["height_px"].astype(int)))
    shortened = _shortened(out)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>framelens findings</title>",
        f"<style>{_CSS}</style></head><body>",
        *([f'<p><a href="{_e(overview)}">All stories</a></p>'] if overview else []),
        "<header><h1>How outlets framed one event: findings</h1>" if story is None else
        f"<header><h1>How outlets framed one story ({_e(story)}): findings</h1>",
        f'<p class="meta">Corpus: {_e(corpus_name)}. '
        + ("" if story is None else f"Story {_e(story)}: everything on this page compares only this story's "
           "articles. ")
        + 'Every number below is read from the tables '
        'in <a href="tables/">tables/</a> when this page is written.</p>',
        f'<p class="question">{_e(RESEARCH_QUESTION if story is None else STORY_QUESTION)}</p>',
        *_contents(found, notebooks=notebooks is not None and len(notebooks) > 0),
        "</header>",
        "<main>",
    ]
    figures = out / "figures"
    for row in found.itertuples():
        parts.append(f'<section id="finding-{_e(row.section)}"><h2>{_e(row.heading)}</h2>')
        parts.append(f"<p>{_e(row.statement)}</p>")
        for stem in str(row.figure).split(","):
            png = figures / f"{stem}.png"
            if stem in too_tall:
                parts.append(f'<p class="meta">Figure not drawn: for this many outlets or pairs it would be '
                             f"{too_tall[stem]:,} px tall (limit {MAX_FIGURE_PX:,} px); the tables below hold "
                             "every row.</p>")
            if stem in shortened and png.is_file():
                parts.append(f'<p class="meta">Figure shortened to stay readable (at most {MAX_FIGURE_PX:,} px tall, '
                             f"text legible at the page width): {_e(shortened[stem])}</p>")
            if png.is_file():
                parts.append(
                    f'<figure><img src="figures/{_e(png.name)}" alt="{_e(FIGURES.get(stem, stem))}">'
                    f"<figcaption>{_e(FIGURES.get(stem, ''))}. "
                    f'<a href="figures/{_e(stem)}.svg">SVG</a></figcaption></figure>'
                )
        link = _notebook_link(row.section, notebooks, out)
        evidence = (f'Evidence: <a href="{_e(link[0])}">{_e(link[1])}</a>.' if link
                    else "Evidence: no rendered notebook covers this yet." if story is None
                    else f"Evidence: the tables; the rendered notebooks look at another story (set their "
                         f"STORY parameter to {_e(repr(story))} to see this one).")
        tables = ", ".join(f'<a href="tables/{_e(t)}.csv">{_e(t)}.csv</a>' for t in row.tables.split(",")
                           if (out / "tables" / f"{t}.csv").is_file())
        parts.append(f'<p class="meta">{evidence} Data: {tables}.</p>')
        if row.section == "sensitivity":
            parts += _sensitivity_html(out)
        if row.section == "who_said":
            parts += _who_said_html(out)
        if row.section == "framing":
            parts += _framing_html(out)
        if row.section == "coverage" and (out / "side_by_side.html").is_file():
            parts.append('<p><a href="side_by_side.html">The versions side by side</a>: every sentence '
                         "marked shared, paraphrased or unique, with labels, lexicon hits, spellings and traces "
                         "highlighted.</p>")
        if row.section == "corpus":
            t = _read(out, "corpus")
            if t is not None:
                shown = t[["outlet", "origin_language", "translated", "date", "words", "first_sentence"]]
                parts.append(shown.to_html(index=False, escape=True, border=0))
        parts.append("</section>")
    parts += _rejects_section(out)
    if status is not None:
        missing = status[status["status"] != "computed"]
        if len(missing):
            parts.append('<section id="not-computed"><h2>Not computed</h2>')
            small = _small_corpus(out)
            if small:
                parts.append(f"<p>{_e(small)}</p>")
            parts.append('<ul class="missing">')
            parts += [f"<li>{_e(r.section)}: {_e(r.note)}</li>" for r in missing.itertuples()]
            parts.append("</ul></section>")
    parts.append('<section id="caveats"><h2>Caveats</h2><ul class="caveats">')
    parts += [f"<li>{_e(c)}</li>" for c in caveats(out)]
    parts.append("</ul></section>")
    if notebooks is not None and len(notebooks):
        parts.append('<section id="notebooks"><h2>The notebooks</h2><ul>')
        for r in notebooks.sort_values("notebook").itertuples():
            parts.append(f'<li><a href="{_e(r.html)}">{_e(r.notebook)}</a>: {_e(getattr(r, "title", ""))}</li>')
        parts.append("</ul></section>")
    written = sorted(p.name for p in (out / "tables").glob("*.csv")) if (out / "tables").is_dir() else []
    parts.append('<section id="tables"><h2>Tables for reuse</h2><ul>')
    for name in written:
        stem = name[:-4]
        parts.append(f'<li><a href="tables/{_e(name)}">{_e(name)}</a>: {_e(TABLES.get(stem, REPORT_TABLES.get(stem, "")))}</li>')
    parts.append("</ul></section></main></body></html>")
    return "\n".join(parts) + "\n"


def write_findings(
    corpus: str | Path,
    *,
    out: str | Path,
    notebooks: pd.DataFrame | None = None,
    settings: Settings | None = None,
    columns: dict[str, str] | None = None,
    notebook_story: str | None = None,
    verbose: bool | None = None,
    **changes: Any,
) -> Path:
    """Compute tables and figures for ``corpus`` and write ``out/index.html``.

    A corpus of one story (the seeds) gets the one-event page; a corpus of several
    stories (a story or event column, sub-folders, or stories found:
    ``settings.stories``) gets :func:`write_story_findings`: an overview comparing
    outlets on the stories they both cover, and a page per story.

    Parameters
    ----------
    corpus : str or Path
        Corpus folder (``.txt`` articles + ``manifest.csv``) or one CSV/JSONL file
        (see :func:`compute_tables`); rejected articles are listed on the page.
    out : str or Path
        Report folder (created if missing).
    notebooks : pandas.DataFrame, optional
        Rendered notebooks to link (see :func:`findings_page`).
    settings, columns, verbose, **changes
        As in :func:`compute_tables` (e.g. ``n_boot=50``).
    notebook_story : str, optional
        A many-story corpus: the story the notebooks drilled into (its page links them).

    Returns
    -------
    Path
        ``out/index.html``.
    """
    from framelens.pipeline import Settings, load_stories

    out = Path(out)
    settings = (Settings() if settings is None else settings).replace(**changes)
    step(f"loading {corpus}", verbose)
    loaded, n_stories, how = load_stories(corpus, settings, columns=columns)
    if n_stories > 1:
        return write_story_findings(loaded, out=out, notebooks=notebooks, settings=settings,
                                    how_found=how, corpus_name=Path(corpus).name,
                                    notebook_story=notebook_story, verbose=verbose)
    compute_tables(loaded, out=out, settings=settings, verbose=verbose)
    return _one_story_page(out, notebooks=notebooks, corpus_name=Path(corpus).name, verbose=verbose)


def _one_story_page(out: Path, *, notebooks: pd.DataFrame | None, corpus_name: str,
                    verbose: bool | None, story: str | None = None,
                    overview: str | None = None) -> Path:
    """Figures, side-by-side page and ``index.html`` from the tables in ``out/tables``."""
    draw_figures(out, verbose=verbose)
    step(f"writing {out / 'index.html'}", verbose)
    from framelens.side_by_side import PAGE_NAME, side_by_side_page

    aligned = side_by_side_page(out, order=_order(out), colours=_colours(out))
    (out / PAGE_NAME).unlink(missing_ok=True)
    if aligned is not None:
        (out / PAGE_NAME).write_text(aligned, encoding="utf-8")
    page = findings_page(out, notebooks=notebooks, corpus_name=corpus_name, story=story, overview=overview)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def write_story_findings(
    corpus: Corpus,
    *,
    out: str | Path,
    notebooks: pd.DataFrame | None = None,
    settings: Settings | None = None,
    how_found: str = "",
    corpus_name: str = "",
    notebook_story: str | None = None,
    n_jobs: int | None = None,
    verbose: bool | None = None,
) -> Path:
    """The findings of a corpus of several stories: an overview and one full page per story.

    The overview (``out/index.html``, :func:`framelens.storyreport.write_many_story_report`)
    holds the across-story tables of ``run(corpus)`` (the ``stories`` section: coverage,
    contrasts on the stories two outlets both cover, distinctive words within stories).
    Each story up to ``settings.max_story_pages`` (all, else the largest) gets the page a
    one-event corpus gets, computed by ``run(corpus, story=...)`` on that story's articles
    alone and written under ``out/stories/NAME/`` with its own tables and figures.

    Parameters
    ----------
    corpus : Corpus
        Prepared, with a ``story`` column (:func:`framelens.pipeline.with_stories`).
    notebooks : pandas.DataFrame, optional
        Rendered notebooks (:func:`framelens.render.render_notebooks`); the overview
        lists them, and the page of ``notebook_story`` (the story they drilled into;
        default :func:`framelens.pipeline.largest_story`, as ``framelens report`` runs
        them) links its findings to them.
    n_jobs : int, optional
        Processes writing story pages at once (default: the cores this process may use).
    """
    from framelens.pipeline import Settings, largest_story, run, select_story
    from framelens.storyreport import write_many_story_report

    out = Path(out)
    settings = Settings() if settings is None else settings
    results = run(corpus, settings, on_section=lambda name: step(f"tables: {name}", verbose))
    write_tables(results, out)
    drilled = largest_story(corpus) if notebook_story is None else str(notebook_story)
    linked = None if notebooks is None else notebooks.assign(html="../../" + notebooks["html"].astype(str))

    def story_pages(pages: list[tuple[str, Path]]) -> None:
        jobs = [(select_story(corpus, story), settings, folder, linked if story == drilled else None,
                 corpus_name, story) for story, folder in pages]
        workers = min(len(jobs), n_jobs if n_jobs is not None else len(os.sched_getaffinity(0)))
        step(f"{len(jobs)} story pages on {max(workers, 1)} process(es)", verbose)
        if workers <= 1:
            for job in jobs:
                write_story_page(*job)
            return
        import multiprocessing

        # Pool.__exit__ terminates the workers: Ctrl-C, SIGTERM or a failed page stops them at once
        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            for done in pool.imap(write_story_page_job, jobs):
                step(f"story page {done}", verbose)

    return write_many_story_report(results.tables, out, articles=results.corpus.articles,
                                   max_story_pages=settings.max_story_pages, corpus_name=corpus_name,
                                   how_found=how_found, story_pages=story_pages, notebooks=notebooks,
                                   notebook_story=drilled)


def write_story_page_job(job: tuple[Any, ...]) -> Path:
    """:func:`write_story_page` of one ``(corpus, settings, folder, notebooks, corpus_name, story)``
    tuple (a worker process's task)."""
    return write_story_page(*job)


def write_story_page(corpus: Corpus, settings: Settings, folder: Path, notebooks: pd.DataFrame | None,
                     corpus_name: str, story: str) -> Path:
    """One story's page: ``run(corpus, story=)``, its tables, figures and ``folder/index.html``.

    The one-event page (:func:`findings_page`) of that story's articles alone, with a
    link back to the overview two folders up; ``notebooks`` (their links relative to
    ``folder``) when the notebooks drilled into this story. Returns ``folder/index.html``.
    """
    import matplotlib

    matplotlib.use("Agg")  # a worker process draws to files only
    from framelens.pipeline import run

    folder = Path(folder)
    write_tables(run(corpus, settings, story=story), folder)
    return _one_story_page(folder, notebooks=notebooks, corpus_name=corpus_name, verbose=False,
                           story=story, overview="../../index.html")
