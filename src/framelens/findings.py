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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import pandas as pd

from framelens.progress import step as _step

if TYPE_CHECKING:
    from framelens.pipeline import Settings

__all__ = [
    "TABLES",
    "FIGURES",
    "RESEARCH_QUESTION",
    "compute_tables",
    "draw_figures",
    "summarize",
    "caveats",
    "findings_page",
    "write_findings",
]

#: The question the page answers (the first thing a reader sees).
RESEARCH_QUESTION: str = (
    "How do different outlets frame the same event? For one news report republished by "
    "several outlets (some machine-translated), which versions are alike, what does each "
    "keep, add or change, and which words set one outlet apart from the rest?"
)

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
    "traces": "one trace of translation or republishing (untranslated fragment, pronoun slip, page furniture) with its evidence",
    "sections": "one analysis section: computed or not, the tables it wrote, and why not",
    "rejects": "one input article left out of the analysis: its file (FILE:line for a CSV/JSONL corpus) and the reason, with the fix",
}

#: Figures written under ``OUT/figures/`` (``.png`` and ``.svg``): file stem -> what it shows.
FIGURES: dict[str, str] = {
    "corpus_words_per_article": "words per article after cleaning, by outlet",
    "similarity_heatmap": "cosine similarity of every pair of articles",
    "cluster_stability_k2": "how often each pair shares a cluster (k=2) over bootstrap samples of the vocabulary",
    "keyness_by_outlet": "the most distinctive words of each outlet (z-scores)",
    "actor_label_variety": "number of distinct labels each outlet uses for each actor",
    "register_rates": "loaded and neutral wording per 1,000 words, by outlet and register",
    "spelling_variants": "which spelling of each name each outlet uses",
    "quotes_by_speaker": "quotations kept by each outlet, by speaker",
    "core_share_by_outlet": "share of each version's words shared verbatim, paraphrased or unique",
    "fact_coverage": "which outlet carries which fact of the event",
    "traces_by_outlet": "traces of translation and republishing found in each outlet, by kind",
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
    corpus: str | Path,
    *,
    out: str | Path,
    settings: Settings | None = None,
    columns: dict[str, str] | None = None,
    verbose: bool | None = None,
    **changes: Any,
) -> pd.DataFrame:
    """Run the analysis (:func:`framelens.pipeline.run`) on a corpus and save its tables as CSV.

    Parameters
    ----------
    corpus : str or Path
        A corpus folder (``.txt`` articles + ``manifest.csv``) or one CSV/JSONL file
        with an article per row, read with :func:`framelens.pipeline.load`. Articles
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
    from framelens.pipeline import INDEXED_TABLES, Settings, run

    settings = (Settings() if settings is None else settings).replace(**changes)
    out = Path(out)
    tables = out / "tables"
    _step(f"loading {corpus}", verbose)
    results = run(corpus, settings, columns=columns,
                  on_section=lambda name: _step(f"tables: {name}", verbose))
    tables.mkdir(parents=True, exist_ok=True)
    for stale in tables.glob("*.csv"):  # a table from an earlier run must not feed this page
        stale.unlink()
    for name, table in results.tables.items():
        _write_csv(table, tables / f"{name}.csv", index=name in INDEXED_TABLES)
    return results.sections


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

    out = Path(out)
    figures = out / "figures"
    if figures.is_dir():
        for stale in [*figures.glob("*.png"), *figures.glob("*.svg")]:
            stale.unlink()
    rows = []
    for name, draw in _FIGURE_DRAWERS.items():
        _step(f"figure: {name}", verbose)
        with style():
            fig = draw(out)
            if fig is None:
                continue
            try:
                png, svg = _save(fig, figures, name)
                title = fig.axes[0].get_title() if fig.axes else ""
                if getattr(fig, "_suptitle", None) is not None:
                    title = fig._suptitle.get_text()
            finally:
                plt.close(fig)
        rows.append((name, f"figures/{png}", f"figures/{svg}", title))
    return pd.DataFrame(rows, columns=["figure", "png", "svg", "title"])


def _fig_corpus(out: Path) -> Any:
    import matplotlib.pyplot as plt

    table = _read(out, "corpus")
    if table is None:
        return None
    t = table.sort_values(["words", "outlet"], kind="mergesort")
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(t) + 1.5))
    ax.barh(t["outlet"].astype(str), t["words_raw"], color="#cccccc", label="as published")
    ax.barh(t["outlet"].astype(str), t["words"], label="after cleaning")
    ax.set_xlabel("words")
    ax.legend(loc="lower right", frameon=False)
    lo, hi = t.iloc[0], t.iloc[-1]
    ax.set_title(f"{hi['outlet']} is the longest version ({hi['words']} words), "
                 f"{lo['outlet']} the shortest ({lo['words']})", loc="left")
    return fig


def _square(out: Path, name: str) -> pd.DataFrame | None:
    table = _read(out, name, index_col=0)
    if table is None:
        return None
    table.index = table.index.astype(str)
    table.columns = table.columns.astype(str)
    return table


def _fig_similarity(out: Path) -> Any:
    from framelens.features import plot_similarity

    sim = _square(out, "similarity")
    if sim is None or len(sim) < 2:
        return None
    return plot_similarity(sim).figure


def _fig_stability(out: Path) -> Any:
    from framelens.clusters import plot_cooccurrence

    matrix = _square(out, "cluster_cooccurrence_k2")
    pairs = _read(out, "cluster_pairs")
    if matrix is None or pairs is None or len(matrix) < 2:
        return None
    runs = int(pairs["runs"].iloc[0])
    return plot_cooccurrence(matrix, runs=runs, source="bootstrap samples").figure


def _fig_keyness(out: Path) -> Any:
    import matplotlib.pyplot as plt

    from framelens.keyness import plot_keyness

    table = _read(out, "keyness")
    if table is None or table.empty:
        return None
    outlets = sorted(table["outlet"].astype(str).unique())[:8]
    ncols = 2 if len(outlets) > 1 else 1
    nrows = -(-len(outlets) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.0 * ncols, 3.2 * nrows), squeeze=False)
    for ax, outlet in zip(axes.flat, outlets):
        rows = table[table["outlet"].astype(str) == outlet]
        plot_keyness(rows[rows["z"] > 0], n=5, ax=ax, title=outlet)
    for ax in list(axes.flat)[len(outlets):]:
        ax.set_visible(False)
    top = table[table["rank"] == 1].sort_values("z", ascending=False, kind="mergesort").iloc[0]
    strong = int((table["z"] >= 1.96).sum())
    fig.suptitle(f"Most distinctive word overall: \u201c{top['term']}\u201d for {top['outlet']} "
                 f"(z = {top['z']:.2f}); {strong} of {len(table)} listed words reach z \u2265 1.96",
                 fontweight="bold")
    fig.tight_layout()
    return fig


def _heatmap(matrix: pd.DataFrame, *, title: str, label: str, fmt: str = "{:.0f}") -> Any:
    """A plain annotated count heatmap (rows x columns), labelled on both axes."""
    import matplotlib.pyplot as plt

    values = matrix.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(1.1 * matrix.shape[1] + 3.0, 0.45 * matrix.shape[0] + 1.8))
    image = ax.imshow(values, cmap="Blues", vmin=0, vmax=max(1.0, float(np.nanmax(values))), aspect="auto")
    ax.set_xticks(range(matrix.shape[1]), labels=[str(c) for c in matrix.columns], rotation=35, ha="right")
    ax.set_yticks(range(matrix.shape[0]), labels=[str(i) for i in matrix.index])
    ax.spines[:].set_visible(False)
    top = float(np.nanmax(values)) if values.size else 0.0
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, fmt.format(values[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if values[i, j] > 0.6 * top else "black")
    fig.colorbar(image, ax=ax, label=label, shrink=0.8)
    ax.set_title(title, loc="left")
    return fig


def _fig_labels(out: Path) -> Any:
    labels = _read(out, "actor_labels")
    if labels is None or labels.empty:
        return None
    variety = labels.pivot_table(index="actor", columns="outlet", values="label", aggfunc="nunique", fill_value=0)
    order = labels["actor"].drop_duplicates().tolist()
    variety = variety.reindex([a for a in order if a in variety.index])
    per_actor = labels.groupby("actor")["label"].nunique().sort_values(ascending=False, kind="mergesort")
    actor = per_actor.index[0]
    return _heatmap(variety, label="distinct labels",
                    title=f"{actor} gets the most varied labels: {per_actor.iloc[0]} different ones")


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
    fig, axes = plt.subplots(1, len(voices), figsize=(6.2 * len(voices) + 1.6,
                                                      0.9 * rates["outlet"].nunique() + 1.8),
                             squeeze=False, sharey=True)
    for j, (ax, voice) in enumerate(zip(axes[0], voices)):
        part = rates if voice is None else rates[rates["voice"] == voice]
        plot_register_rates(part, ax=ax, title=heading[voice])
        top = float(part["rate"].max()) if part["rate"].notna().any() else 0.0
        ax.set_xlim(0, max(top * 1.6, 1.0))  # an interval of a few quoted words runs off the axis
        ax.set_xlabel("hits per 1,000 words")
        if j < len(voices) - 1 and ax.get_legend() is not None:
            ax.get_legend().remove()
    fig.supxlabel("numbers at the bar ends: hits; lines: 95% exact Poisson intervals", fontsize=8)
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
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _used_variants(out: Path) -> pd.DataFrame | None:
    t = _read(out, "spelling_marked")
    if t is None or t.empty:
        return None
    used = t[t["count"] > 0]
    names = used.groupby("name")["variant"].nunique()
    return used[used["name"].isin(names[names > 1].index)]


def _fig_spelling(out: Path) -> Any:
    used = _used_variants(out)
    if used is None or used.empty:
        return None
    matrix = used.pivot_table(index="outlet", columns=["name", "variant"], values="count",
                              aggfunc="sum", fill_value=0)
    matrix.columns = [f"{v} ({m})" for (_, v), m in zip(matrix.columns, [
        used.set_index(["name", "variant"])["marked_as"].groupby(level=[0, 1]).first().get(c, "")
        for c in matrix.columns])]
    n_names = used["name"].nunique()
    return _heatmap(matrix, label="uses", title=f"{n_names} names are spelled differently across outlets")


def _fig_quotes(out: Path) -> Any:
    import matplotlib.pyplot as plt

    from framelens.plots import PALETTE

    q = _read(out, "quotes")
    if q is None or q.empty:
        return None
    q = q.assign(speaker=q["speaker"].astype(str).replace("", "(unattributed)"))
    counts = q.pivot_table(index="outlet", columns="speaker", values="quote_id", aggfunc="count", fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(kind="mergesort").index]
    speakers = counts.sum().sort_values(ascending=False, kind="mergesort").index[:7]
    other = counts.drop(columns=speakers).sum(axis=1)
    counts = counts[speakers].assign(**({"other": other} if other.any() else {}))
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(counts) + 1.8))
    left = np.zeros(len(counts))
    for colour, speaker in zip(PALETTE * 2, counts.columns):
        ax.barh(counts.index.astype(str), counts[speaker], left=left, color=colour, label=str(speaker))
        left += counts[speaker].to_numpy()
    ax.set_xlabel("quotations")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    top = counts.sum(axis=1).idxmax()
    ax.set_title(f"{top} keeps the most quotations ({int(counts.sum(axis=1).max())})", loc="left")
    return fig


def _fig_core_share(out: Path) -> Any:
    from framelens.align import plot_core_share

    share = _read(out, "core_share", index_col=0)
    if share is None or share.empty:
        return None
    return plot_core_share(share).figure  # its title states the finding


def _fig_coverage(out: Path) -> Any:
    from framelens.align import plot_coverage

    matrix = _read(out, "coverage_matrix", index_col=0)
    if matrix is None or matrix.empty:
        return None
    return plot_coverage(matrix).figure  # its title states the finding


def _fig_traces(out: Path) -> Any:
    import matplotlib.pyplot as plt

    from framelens.plots import PALETTE

    t = _read(out, "traces")
    if t is None or t.empty:
        return None
    counts = t.pivot_table(index="outlet", columns="kind", values="rule", aggfunc="count", fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(kind="mergesort").index]
    fig, ax = plt.subplots(figsize=(7.0, 0.45 * len(counts) + 1.8))
    left = np.zeros(len(counts))
    for colour, kind in zip(PALETTE, counts.columns):
        ax.barh(counts.index.astype(str), counts[kind], left=left, color=colour, label=str(kind))
        left += counts[kind].to_numpy()
    ax.set_xlabel("traces")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    totals = counts.sum(axis=1)
    ax.set_title(f"{totals.idxmax()} carries the most traces of republishing ({int(totals.max())})", loc="left")
    return fig


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
}


# --------------------------------------------------------------------------- findings


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
    removed = int(t["removed_spans"].sum())
    cleaned_docs = int((t["removed_spans"] > 0).sum())
    return (
        f"{_n(n, 'version')} of the report, from {int(t['words'].min())} to {int(t['words'].max())} words "
        f"after cleaning (median {float(t['words'].median()):g}).",
        f"{translated} of {n} are marked as translated from another language and {unknown} of unknown origin; "
        f"cleaning removed {removed} spans of page furniture from {cleaned_docs} articles "
        "(dates, share buttons, source lines, republishing notices, author biographies).",
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
    top, low = pairs.iloc[0], pairs.iloc[-1]
    per_outlet = {o: pairs[(pairs["a"] == o) | (pairs["b"] == o)]["cosine"].mean() for o in sim.index}
    odd = min(per_outlet, key=lambda o: (per_outlet[o], o))
    if len(pairs) == 1 or round(top["cosine"], 2) == round(low["cosine"], 2):
        # two articles, or all pairs alike (identical texts): nobody stands apart
        return (f"Every pair of the {len(sim)} has cosine similarity {top['cosine']:.2f}, so no "
                f"article stands closer to or further from the others.",)
    return (
        f"{top['a']} and {top['b']} are the most alike (cosine similarity {top['cosine']:.2f}); "
        f"{low['a']} and {low['b']} the least ({low['cosine']:.2f}).",
        f"{odd} stands furthest from the others (mean cosine {per_outlet[odd]:.2f} "
        f"against {pairs['cosine'].mean():.2f} over all {len(pairs)} pairs).",
    )


def _state_stability(out: Path) -> tuple[str, ...] | None:
    pairs = _read(out, "cluster_pairs")
    if pairs is None or pairs.empty:
        return None
    k = int(pairs["k"].min())
    kp = pairs[pairs["k"] == k].sort_values(["share", "together"], ascending=False, kind="mergesort")
    label = next(c[:-2] for c in kp.columns if c.endswith("_a"))
    runs = int(kp["runs"].iloc[0])
    top = kp.iloc[0]
    strong = int((kp["share"] >= 0.8).sum())
    weak = int((kp["share"] <= 0.2).sum())
    middle = len(kp) - strong - weak
    return (
        f"Splitting the articles into {k} groups over {runs} bootstrap samples of the vocabulary, "
        f"{top[f'{label}_a']} and {top[f'{label}_b']} share a group in {_pct(top['share'])} of samples.",
        f"{strong} of {len(kp)} pairs stay together in at least 80% of samples and {weak} are "
        "together in at most 20%; "
        + (f"the other {middle} pairs' grouping depends on which words are counted."
           if middle else "no pair is in between, so at this k the grouping does not hinge on a few words."),
    )


def _state_keyness(out: Path) -> tuple[str, ...] | None:
    t = _read(out, "keyness")
    if t is None or t.empty:
        return None
    firsts = t[t["rank"] == 1].sort_values("outlet", kind="mergesort")
    parts = [f"{r.outlet}: \u201c{r.term}\u201d (z = {r.z:.2f})" for r in firsts.itertuples()]
    small = int(firsts["small_sample"].astype(str).str.lower().eq("true").sum())
    low = int(t["low_count"].astype(str).str.lower().eq("true").sum())
    return (
        "The most distinctive word of each outlet against the rest: " + "; ".join(parts) + ".",
        f"{small} of {len(firsts)} outlets have too few words for these scores to mean much, and "
        f"{low} of the {len(t)} listed words occur fewer than 5 times: read them as leads, not results.",
    )


_LOADED = ("delegitimising", "legitimising")


def _top_rate(rates: pd.DataFrame) -> pd.Series | None:
    """Row of the highest rate of loaded wording (registers in ``_LOADED``), None if all zero."""
    loaded = rates[rates["register"].astype(str).isin(_LOADED) & (rates["rate"] > 0)]
    if loaded.empty:
        return None
    return loaded.sort_values(["rate", "outlet"], ascending=[False, True], kind="mergesort").iloc[0]


def _quoted(items: list[str]) -> str:
    return _list([f"\u201c{i}\u201d" for i in items])


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
        per_actor = labels.groupby("actor")["label"].nunique().sort_values(ascending=False, kind="mergesort")
        actor = per_actor.index[0]
        names = labels[labels["actor"] == actor].sort_values("count", ascending=False, kind="mergesort")
        return (f"{actor} gets the most varied labels, {per_actor.iloc[0]} in all: "
                f"{_quoted(names['label'].drop_duplicates().head(6).tolist())}.", closing)
    counts = loaded["actor"].value_counts()
    actor = sorted(counts[counts == counts.max()].index)[0]
    mine = loaded[loaded["actor"] == actor]
    outlets = sorted(mine["outlet"].astype(str).unique())
    rows = labels[(labels["actor"] == actor) & labels["outlet"].isin(outlets)]
    words = [m.lower() for m in mine["match"].astype(str)]
    chosen = rows[rows["label"].astype(str).str.lower().apply(lambda l: any(w in l for w in words))]
    shown = chosen["label"].drop_duplicates().tolist() or mine["match"].drop_duplicates().tolist()
    others = labels[(labels["actor"] == actor) & ~labels["outlet"].isin(outlets)]
    others = others.groupby("label")["count"].sum().sort_values(ascending=False, kind="mergesort")
    verb = "calls" if len(outlets) == 1 else "call"
    first = f"{_list(outlets)} {verb} {actor} {_quoted(shown)}"
    if len(others):
        n_other = labels[(labels["actor"] == actor) & ~labels["outlet"].isin(outlets)]["outlet"].nunique()
        first += f"; the other {n_other} outlets that name {actor} say {_quoted(others.index[:4].tolist())}"
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
        low = same.iloc[0]
        first = (f"{top['outlet']} uses the most {top['register']} wording{voice}: {interval(top)}, "
                 f"against {interval(low)} for {low['outlet']}.")
        if "low" in own.columns:
            overlap = float(low["high"]) >= float(top["low"])
            first += (" The two intervals overlap, so these texts do not show that the outlets differ."
                      if overlap else " The two intervals do not overlap.")
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
    russian = sorted(used[used["marked_as"].astype(str) == "Russian-based"]["variant"].astype(str).unique())
    if russian:
        lines.append(f"Russian-based forms ({_quoted(russian)}) hint at a text that passed through Russian "
                     "or an older house style; they are a lead, not proof of origin.")
    return tuple(lines)


def _state_quotes(out: Path) -> tuple[str, ...] | None:
    att = _read(out, "attribution")
    q = _read(out, "quotes")
    if att is None or q is None:
        return None
    parts = []
    for to, g in att.groupby("attributed_to", sort=True):
        parts.append(f"to {to} by {_list(sorted(g['outlet'].astype(str)))}")
    first = "The report is credited " + "; ".join(parts) + "."
    matches = _read(out, "quote_matches")
    speakers = q[q["speaker"].astype(str) != ""]["speaker"].value_counts()
    second = f"{_n(len(q), 'quotation')} found"
    if matches is not None:
        second += f", {len(matches)} of them kept by two or more outlets"
    if len(speakers):
        second += f"; most quoted: {speakers.index[0]} ({_n(int(speakers.iloc[0]), 'quotation')})"
    return first, second + "."


def _state_coverage(out: Path) -> tuple[str, ...] | None:
    share = _read(out, "core_share", index_col=0)
    if share is None or share.empty:
        return None
    unique = share["share_unique"].astype(float)
    verbatim = share["share_shared-verbatim"].astype(float) if "share_shared-verbatim" in share else None
    lines = [f"{unique.idxmax()} adds the most of its own: {_pct(unique.max())} of its words match no other "
             f"version; {unique.idxmin()} the least ({_pct(unique.min())})."]
    if verbatim is not None:
        text = (f"Word-for-word overlap covers {_pct(verbatim.min())} to {_pct(verbatim.max())} of each "
                "version's words")
        if "share_paraphrased" in share:
            para = share["share_paraphrased"].astype(float)
            text += f", paraphrase {_pct(para.min())} to {_pct(para.max())}"
        lines.append(text + ".")
    matrix = _read(out, "coverage_matrix", index_col=0)
    if matrix is not None and not matrix.empty:
        present = matrix > 0
        full = int(present.all(axis=1).sum())
        gaps = [f"{fact} (missing in {_list(list(present.columns[~row]))})"
                for fact, row in present.iterrows() if not row.all()]
        text = f"{full} of {len(matrix)} listed facts {'appears' if full == 1 else 'appear'} in every version"
        if gaps:
            text += "; the others: " + "; ".join(gaps[:4]) + ("; \u2026" if len(gaps) > 4 else "")
        lines.append(text + ".")
    return tuple(lines)


def _state_traces(out: Path) -> tuple[str, ...] | None:
    t = _read(out, "traces")
    if t is None:
        return None
    if t.empty:
        return ("No trace of translation or republishing was found.",)
    kinds = t["kind"].value_counts().sort_index()
    first = (f"{_n(len(t), 'trace')} of translation or republishing in {t['outlet'].nunique()} of the outlets: "
             + ", ".join(f"{int(n)} {k}" for k, n in kinds.items()) + ".")
    examples = [f"{r.outlet}: {r.evidence}" for r in
                t[t["kind"].astype(str) != "page-furniture"].drop_duplicates("kind").itertuples()]
    lines = [first]
    if examples:
        lines.append("Beyond page furniture: " + "; ".join(examples) + ".")
    return tuple(lines)


#: section -> (heading, statement function, figure stem, notebook keywords, heading keywords, tables)
_FINDINGS: dict[str, tuple[str, Callable[[Path], tuple[str, ...] | None], str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "corpus": ("The corpus", _state_corpus, "corpus_words_per_article",
               ("corpus",), ("removed", "clean", "corpus"), ("corpus", "cleaning_audit")),
    "similarity": ("Which versions are alike", _state_similarity, "similarity_heatmap",
                   ("cluster", "tfidf", "similar"), ("cosine", "similar"), ("similarity",)),
    "stability": ("How stable the grouping is", _state_stability, "cluster_stability_k2",
                  ("cluster", "tfidf"), ("bootstrap", "stab"), ("cluster_pairs", "cluster_cooccurrence_k2")),
    "labels": ("How each outlet names the actors", _state_labels, "actor_label_variety",
               ("label", "actor"), ("matrix", "putin", "label"), ("label_matrix", "actor_labels")),
    "lexicon": ("Loaded versus neutral wording", _state_lexicon, "register_rates",
                ("loaded", "lexicon"), ("lexicon", "loaded", "kwic"), ("register_rates", "lexicon_hits", "lexicon_used")),
    "spelling": ("Spelling and transliteration", _state_spelling, "spelling_variants",
                 ("spelling", "loaded", "label"), ("spelling", "kyiv", "translit"), ("spelling_marked",)),
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
    Every pair of the 2 has cosine similarity 0.40, so no article stands closer to or further from the others.
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
        lines.append(
            f"Machine translation: {translated} of {n} texts are marked as translated and "
            f"{unknown} of unknown origin, so a word choice may be the translator's (human or "
            "machine), not the outlet's."
        )
    lexicon = _read(out, "lexicon_used")
    size = f" of {len(lexicon)} terms" if lexicon is not None else ""
    lines.append(
        f"Lexicon limits: loaded and neutral wording is counted from a fixed word list{size}; it misses "
        "synonyms it does not list, reads a word out of context (a sentiment rating is not a "
        "frame), tells quotation from the outlet's own voice only by quotation marks, and "
        "English lists judge texts that were first written in other languages."
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


def findings_page(
    out: str | Path,
    *,
    notebooks: pd.DataFrame | None = None,
    corpus_name: str = "",
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

    Returns
    -------
    str
        The HTML document. Every value from a table or the corpus is escaped with
        :func:`html.escape`; tables go through ``DataFrame.to_html(escape=True)``.
    """
    out = Path(out)
    found = summarize(out)
    status = _read(out, "sections")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>framelens findings</title>",
        f"<style>{_CSS}</style></head><body>",
        "<header><h1>How outlets framed one event: findings</h1>",
        f'<p class="meta">Corpus: {_e(corpus_name)}. Every number below is read from the tables '
        'in <a href="tables/">tables/</a> when this page is written.</p>',
        f'<p class="question">{_e(RESEARCH_QUESTION)}</p></header>',
        "<main>",
    ]
    figures = out / "figures"
    for row in found.itertuples():
        parts.append(f'<section id="finding-{_e(row.section)}"><h2>{_e(row.heading)}</h2>')
        parts.append(f"<p>{_e(row.statement)}</p>")
        for stem in str(row.figure).split(","):
            png = figures / f"{stem}.png"
            if png.is_file():
                parts.append(
                    f'<figure><img src="figures/{_e(png.name)}" alt="{_e(FIGURES.get(stem, stem))}">'
                    f"<figcaption>{_e(FIGURES.get(stem, ''))}. "
                    f'<a href="figures/{_e(stem)}.svg">SVG</a></figcaption></figure>'
                )
        link = _notebook_link(row.section, notebooks, out)
        evidence = (f'Evidence: <a href="{_e(link[0])}">{_e(link[1])}</a>.' if link
                    else "Evidence: no rendered notebook covers this yet.")
        tables = ", ".join(f'<a href="tables/{_e(t)}.csv">{_e(t)}.csv</a>' for t in row.tables.split(",")
                           if (out / "tables" / f"{t}.csv").is_file())
        parts.append(f'<p class="meta">{evidence} Data: {tables}.</p>')
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
        parts.append(f'<li><a href="tables/{_e(name)}">{_e(name)}</a>: {_e(TABLES.get(stem, ""))}</li>')
    parts.append("</ul></section></main></body></html>")
    return "\n".join(parts) + "\n"


def write_findings(
    corpus: str | Path,
    *,
    out: str | Path,
    notebooks: pd.DataFrame | None = None,
    settings: Settings | None = None,
    columns: dict[str, str] | None = None,
    verbose: bool | None = None,
    **changes: Any,
) -> Path:
    """Compute tables and figures for ``corpus`` and write ``out/index.html``.

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

    Returns
    -------
    Path
        ``out/index.html``.
    """
    out = Path(out)
    compute_tables(corpus, out=out, settings=settings, columns=columns, verbose=verbose, **changes)
    draw_figures(out, verbose=verbose)
    _step(f"writing {out / 'index.html'}", verbose)
    page = findings_page(out, notebooks=notebooks, corpus_name=Path(corpus).name)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
