"""The findings page: tables, figures and ``index.html`` computed from the library.

Nothing here reads notebook outputs. :func:`write_findings` (run by ``make findings``
through :mod:`framelens.render`) does, for one corpus folder:

1. :func:`compute_tables` runs the analyses and writes every table a researcher may
   reuse as CSV under ``OUT/tables/`` (see :data:`TABLES`).
2. :func:`draw_figures` reads those CSV files back and draws each figure, saved as PNG
   and SVG under ``OUT/figures/`` with byte-stable output (no dates in the files).
3. :func:`summarize` reads the CSV files back and states each finding in one or two
   sentences; every number in a sentence comes from a saved table, none is typed in.
4. :func:`findings_page` lays the findings, their figures, links to the notebook
   section holding the evidence, and the caveats out as one HTML page with no script,
   no external resource, and every piece of text escaped (article text included).

An analysis whose module is not installed yet is listed on the page as not computed,
with the reason; the other findings still render.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = [
    "TABLES",
    "FIGURES",
    "STOP_WORDS",
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
}

#: Figures written under ``OUT/figures/`` (``.png`` and ``.svg``): file stem -> what it shows.
FIGURES: dict[str, str] = {
    "corpus_words_per_article": "words per article after cleaning, by outlet",
    "similarity_heatmap": "cosine similarity of every pair of articles",
    "cluster_stability_k2": "how often each pair shares a cluster (k=2) over bootstrap samples of the vocabulary",
    "keyness_by_outlet": "the most distinctive words of each outlet (z-scores)",
}

_SECTIONS = ("corpus", "similarity", "stability", "keyness")

#: Stop-word list used by every table, as in notebook 02 (scikit-learn's English list):
#: function words (the, of, in) would otherwise dominate similarity and keyness.
STOP_WORDS: str = "english"


def _check_positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name}={value!r}: expected a positive whole number")
    return int(value)


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
    n_boot: int = 200,
    random_state: int = 0,
) -> pd.DataFrame:
    """Run the analyses on a corpus folder and save their tables as CSV.

    Parameters
    ----------
    corpus : str or Path
        A corpus folder (``.txt`` articles + ``manifest.csv``), read with
        :func:`framelens.corpus.load_corpus` and cleaned with :func:`framelens.corpus.clean`.
    out : str or Path
        Report folder; tables go to ``out/tables/NAME.csv`` (names in :data:`TABLES`).
    n_boot : int, default 200
        Bootstrap samples over the vocabulary for the cluster-stability table
        (:func:`framelens.clusters.bootstrap_terms`).
    random_state : int, default 0
        Seed of the bootstrap; same seed, same tables.

    Returns
    -------
    pandas.DataFrame
        One row per analysis section: ``section``, ``status`` (``"computed"`` or
        ``"not computed"``), ``tables`` (comma-separated stems written) and ``note``
        (why a section was not computed). Also saved as ``out/tables/sections.csv``.
    """
    from framelens.corpus import clean, load_corpus

    n_boot = _check_positive_int("n_boot", n_boot)
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)):
        raise ValueError(f"random_state={random_state!r}: expected an integer seed")
    out = Path(out)
    tables = out / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    docs, audit = clean(load_corpus(corpus))

    steps: dict[str, Callable[[], list[str]]] = {
        "corpus": lambda: _corpus_tables(docs, audit, tables),
        "similarity": lambda: _similarity_tables(docs, tables),
        "stability": lambda: _stability_tables(docs, tables, n_boot=n_boot, random_state=random_state),
        "keyness": lambda: _keyness_tables(docs, tables),
    }
    rows = []
    for section in _SECTIONS:
        try:
            written = steps[section]()
            rows.append((section, "computed", ",".join(written), ""))
        except ModuleNotFoundError as err:
            if not (err.name or "").startswith("framelens"):
                raise
            rows.append((section, "not computed", "", f"module {err.name} is not available"))
        except ValueError as err:  # e.g. a corpus too large for a dense table
            rows.append((section, "not computed", "", str(err)))
    status = pd.DataFrame(rows, columns=["section", "status", "tables", "note"])
    _write_csv(status, tables / "sections.csv")
    return status


def _corpus_tables(docs: pd.DataFrame, audit: pd.DataFrame, tables: Path) -> list[str]:
    from framelens.text import sentences, words

    firsts = sentences(docs).groupby("doc_id", sort=False)["sentence"].first()
    removed = audit.groupby("doc_id").size()
    table = pd.DataFrame({
        "doc_id": docs["doc_id"],
        "outlet": docs["outlet"],
        "origin_language": docs["origin_language"],
        "translated": docs["translated"],
        "date": docs["date"],
        "words_raw": [len(words(t)) for t in docs["text_raw"]],
        "words": [len(words(t)) for t in docs["text"]],
        "removed_spans": [int(removed.get(d, 0)) for d in docs["doc_id"]],
        "first_sentence": [str(firsts.get(d, "")) for d in docs["doc_id"]],
    })
    _write_csv(table, tables / "corpus.csv")
    _write_csv(audit, tables / "cleaning_audit.csv")
    return ["corpus", "cleaning_audit"]


def _similarity_tables(docs: pd.DataFrame, tables: Path) -> list[str]:
    from framelens.features import similarity

    sim = similarity(docs, text_col="text", label_col="outlet", stop_words=STOP_WORDS).round(6)
    _write_csv(sim, tables / "similarity.csv", index=True)
    return ["similarity"]


def _stability_tables(docs: pd.DataFrame, tables: Path, *, n_boot: int, random_state: int) -> list[str]:
    from framelens.clusters import bootstrap_terms, cooccurrence, pair_table
    from framelens.features import tfidf

    ks = tuple(k for k in (2, 3) if k < len(docs))
    if not ks:
        raise ValueError(f"cluster stability needs at least 3 articles; the corpus has {len(docs)}")
    assignments = bootstrap_terms(tfidf(docs, text_col="text", stop_words=STOP_WORDS), n_boot=n_boot,
                                  ks=ks, random_state=random_state)
    _write_csv(pair_table(assignments), tables / "cluster_pairs.csv")
    _write_csv(cooccurrence(assignments, k=ks[0]).round(6), tables / "cluster_cooccurrence_k2.csv", index=True)
    return ["cluster_pairs", "cluster_cooccurrence_k2"]


def _keyness_tables(docs: pd.DataFrame, tables: Path) -> list[str]:
    import warnings

    from framelens.keyness import keyness_by_outlet, term_counts

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the small-sample warning is carried in the table
        table = keyness_by_outlet(term_counts(docs, stop_words=STOP_WORDS), top=10, warn=False)
    _write_csv(table.round(6), tables / "keyness.csv")
    return ["keyness"]


# --------------------------------------------------------------------------- figures


def _save(fig: Any, figures: Path, name: str) -> tuple[str, str]:
    figures.mkdir(parents=True, exist_ok=True)
    png, svg = figures / f"{name}.png", figures / f"{name}.svg"
    fig.savefig(png, format="png", metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.name, svg.name


def draw_figures(out: str | Path) -> pd.DataFrame:
    """Draw every figure from the saved tables; write PNG and SVG under ``out/figures/``.

    The files are byte-stable: the SVG has no date and fixed ids (``svg.hashsalt`` in
    :data:`framelens.plots.RC`), the PNG no software stamp. A figure whose table is
    missing is skipped.

    Parameters
    ----------
    out : str or Path
        Report folder holding ``tables/`` (from :func:`compute_tables`).

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
    rows = []
    for name, draw in _FIGURE_DRAWERS.items():
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


_FIGURE_DRAWERS: dict[str, Callable[[Path], Any]] = {
    "corpus_words_per_article": _fig_corpus,
    "similarity_heatmap": _fig_similarity,
    "cluster_stability_k2": _fig_stability,
    "keyness_by_outlet": _fig_keyness,
}


# --------------------------------------------------------------------------- findings


def _pct(x: float) -> str:
    return f"{100 * float(x):.0f}%"


def _list(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _state_corpus(out: Path) -> tuple[str, str] | None:
    t = _read(out, "corpus")
    if t is None:
        return None
    n = len(t)
    translated = int((t["translated"].astype(str) == "yes").sum())
    unknown = int((t["translated"].astype(str) == "unknown").sum())
    removed = int(t["removed_spans"].sum())
    cleaned_docs = int((t["removed_spans"] > 0).sum())
    return (
        f"{n} versions of the report, from {int(t['words'].min())} to {int(t['words'].max())} words "
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


def _state_similarity(out: Path) -> tuple[str, str] | None:
    sim = _square(out, "similarity")
    if sim is None or len(sim) < 2:
        return None
    pairs = _off_diagonal_pairs(sim)
    top, low = pairs.iloc[0], pairs.iloc[-1]
    per_outlet = {o: pairs[(pairs["a"] == o) | (pairs["b"] == o)]["cosine"].mean() for o in sim.index}
    odd = min(per_outlet, key=lambda o: (per_outlet[o], o))
    return (
        f"{top['a']} and {top['b']} are the most alike (cosine similarity {top['cosine']:.2f}); "
        f"{low['a']} and {low['b']} the least ({low['cosine']:.2f}).",
        f"{odd} stands furthest from the others (mean cosine {per_outlet[odd]:.2f} "
        f"against {pairs['cosine'].mean():.2f} over all {len(pairs)} pairs).",
    )


def _state_stability(out: Path) -> tuple[str, str] | None:
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


def _state_keyness(out: Path) -> tuple[str, str] | None:
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


#: section -> (heading, statement function, figure stem, notebook keywords, heading keywords, tables)
_FINDINGS: dict[str, tuple[str, Callable[[Path], tuple[str, str] | None], str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "corpus": ("The corpus", _state_corpus, "corpus_words_per_article",
               ("corpus",), ("removed", "clean", "corpus"), ("corpus", "cleaning_audit")),
    "similarity": ("Which versions are alike", _state_similarity, "similarity_heatmap",
                   ("cluster", "tfidf", "similar"), ("cosine", "similar"), ("similarity",)),
    "stability": ("How stable the grouping is", _state_stability, "cluster_stability_k2",
                  ("cluster", "tfidf"), ("bootstrap", "stab"), ("cluster_pairs", "cluster_cooccurrence_k2")),
    "keyness": ("Distinctive vocabulary", _state_keyness, "keyness_by_outlet",
                ("keyness", "vocab", "distinct", "words"), ("keyness", "distinct", "log-odds"), ("keyness",)),
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
        ``statement`` (plain text, not yet escaped), ``figure`` (stem) and ``tables``
        (comma-separated stems of the tables the numbers come from).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = Path(d, "tables").mkdir()
    ...     pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=pd.Index(["A", "B"], name="outlet"),
    ...                  columns=["A", "B"]).to_csv(Path(d, "tables", "similarity.csv"))
    ...     print(summarize(d)["statement"].iloc[0])
    A and B are the most alike (cosine similarity 0.40); A and B the least (0.40). A stands furthest from the others (mean cosine 0.40 against 0.40 over all 1 pairs).
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
            f"Only {n} articles: every similarity, cluster and keyness number rests on a handful of "
            "documents and a few hundred words each. Read the figures as descriptions of these "
            "texts, not estimates about the outlets."
        )
        lines.append(
            f"Machine translation: {translated} of {n} texts are marked as translated and "
            f"{unknown} of unknown origin, so a word choice may be the translator's (human or "
            "machine), not the outlet's."
        )
    lines.append(
        "Lexicon limits: loaded and neutral wording is counted from a fixed word list; it misses "
        "synonyms it does not list, cannot tell quotation from the outlet's own voice, and "
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
figure{margin:1rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
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
    from framelens.render import heading_anchors

    _, _, _, nb_keys, head_keys, _ = _FINDINGS[section]
    for row in notebooks.sort_values("notebook").itertuples():
        name = f"{row.notebook} {getattr(row, 'title', '')}".lower()
        if not any(k in name for k in nb_keys):
            continue
        href = str(row.html)
        page = out / href
        label = str(row.notebook)
        if page.is_file():
            anchors = heading_anchors(page.read_text(encoding="utf-8"))
            anchors = anchors[anchors["id"] != ""].sort_values("level", key=lambda s: s == 1, kind="mergesort")
            for key in head_keys:  # keywords in priority order, first matching heading wins
                hits = anchors[anchors["text"].str.lower().str.contains(key, regex=False)]
                if len(hits):
                    return f"{href}#{hits['id'].iloc[0]}", f"{label}, section \u201c{hits['text'].iloc[0]}\u201d"
        return href, label
    return None


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
        png = figures / f"{row.figure}.png"
        if png.is_file():
            parts.append(
                f'<figure><img src="figures/{_e(png.name)}" alt="{_e(FIGURES.get(row.figure, row.figure))}">'
                f"<figcaption>{_e(FIGURES.get(row.figure, ''))}. "
                f'<a href="figures/{_e(row.figure)}.svg">SVG</a></figcaption></figure>'
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
    if status is not None:
        missing = status[status["status"] != "computed"]
        if len(missing):
            parts.append('<section id="not-computed"><h2>Not computed</h2><ul class="missing">')
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
    n_boot: int = 200,
    random_state: int = 0,
) -> Path:
    """Compute tables and figures for ``corpus`` and write ``out/index.html``.

    Parameters
    ----------
    corpus : str or Path
        Corpus folder (``.txt`` articles + ``manifest.csv``).
    out : str or Path
        Report folder (created if missing).
    notebooks : pandas.DataFrame, optional
        Rendered notebooks to link (see :func:`findings_page`).
    n_boot, random_state
        As in :func:`compute_tables`.

    Returns
    -------
    Path
        ``out/index.html``.
    """
    out = Path(out)
    compute_tables(corpus, out=out, n_boot=n_boot, random_state=random_state)
    draw_figures(out)
    page = findings_page(out, notebooks=notebooks, corpus_name=Path(corpus).name)
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
