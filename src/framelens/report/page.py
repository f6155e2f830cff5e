"""The findings page as one HTML string: the question, a table of contents, each finding with its
figures, evidence links and tables, the rejected articles, what was not computed, the caveats,
the notebooks and the tables for reuse. No script, no external resource, every piece of text
escaped (:func:`escape`, ``DataFrame.to_html(escape=True)``).
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from framelens.report.common import corpus_order, corpus_outlets, read_table
from framelens.report.figures import FIGURES
from framelens.report.phrases import counted, pct
from framelens.report.statements import FINDINGS, caveats, summarize
from framelens.report.tables import REPORT_TABLES, TABLES

__all__ = [
    "RESEARCH_QUESTION",
    "STORY_QUESTION",
    "escape",
    "findings_page",
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


def escape(value: Any) -> str:
    """``str(value)`` escaped for HTML text and attribute values (quotation marks included).

    >>> escape('<img alt="x">')
    '&lt;img alt=&quot;x&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


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
    out = Path(out)
    found = summarize(out)
    tall = read_table(out, "figures_left_out")
    too_tall = {} if tall is None else dict(zip(tall["figure"].astype(str), tall["height_px"].astype(int)))
    shortened = _shortened(out)
    parts = _head(found, notebooks=notebooks, corpus_name=corpus_name, story=story, overview=overview)
    for row in found.itertuples():
        parts += _finding(row, out, notebooks=notebooks, story=story, too_tall=too_tall, shortened=shortened)
    parts += _rejects_section(out)
    parts += _not_computed(out)
    parts += _closing(out, notebooks=notebooks)
    return "\n".join(parts) + "\n"


def _head(found: pd.DataFrame, *, notebooks: pd.DataFrame | None, corpus_name: str, story: str | None,
          overview: str | None) -> list[str]:
    """The document's head, the page's title, the question and the contents, up to ``<main>``."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>framelens findings</title>",
        f"<style>{_CSS}</style></head><body>",
        *([f'<p><a href="{escape(overview)}">All stories</a></p>'] if overview else []),
        "<header><h1>How outlets framed one event: findings</h1>" if story is None else
        f"<header><h1>How outlets framed one story ({escape(story)}): findings</h1>",
        f'<p class="meta">Corpus: {escape(corpus_name)}. '
        + ("" if story is None else f"Story {escape(story)}: everything on this page compares only this story's "
           "articles. ")
        + 'Every number below is read from the tables '
        'in <a href="tables/">tables/</a> when this page is written.</p>',
        f'<p class="question">{escape(RESEARCH_QUESTION if story is None else STORY_QUESTION)}</p>',
        *_contents(found, notebooks=notebooks is not None and len(notebooks) > 0),
        "</header>",
        "<main>",
    ]


def _finding(row: Any, out: Path, *, notebooks: pd.DataFrame | None, story: str | None,
             too_tall: dict[str, int], shortened: dict[str, str]) -> list[str]:
    """One finding's section: heading, statement, figures, evidence link, data links and its own tables.

    ``row`` is a row of :func:`framelens.report.statements.summarize`; ``too_tall`` the figures not
    drawn (stem -> height in px), ``shortened`` the notes of figures that show only their top N.
    """
    parts = [f'<section id="finding-{escape(row.section)}"><h2>{escape(row.heading)}</h2>',
             f"<p>{escape(row.statement)}</p>"]
    for stem in str(row.figure).split(","):
        parts += _figure(stem, out / "figures", too_tall=too_tall, shortened=shortened)
    link = _notebook_link(row.section, notebooks, out)
    evidence = (f'Evidence: <a href="{escape(link[0])}">{escape(link[1])}</a>.' if link
                else "Evidence: no rendered notebook covers this yet." if story is None
                else f"Evidence: the tables; the rendered notebooks look at another story (set their "
                     f"STORY parameter to {escape(repr(story))} to see this one).")
    tables = ", ".join(f'<a href="tables/{escape(t)}.csv">{escape(t)}.csv</a>' for t in row.tables.split(",")
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
        t = read_table(out, "corpus")
        if t is not None:
            shown = t[["outlet", "origin_language", "translated", "date", "words", "first_sentence"]]
            parts.append(shown.to_html(index=False, escape=True, border=0))
    parts.append("</section>")
    return parts


def _figure(stem: str, figures: Path, *, too_tall: dict[str, int], shortened: dict[str, str]) -> list[str]:
    """One figure of a finding (PNG, with a link to its SVG), or why it was not drawn or was shortened."""
    from framelens.report.story_page import MAX_FIGURE_PX

    parts = []
    png = figures / f"{stem}.png"
    if stem in too_tall:
        parts.append(f'<p class="meta">Figure not drawn: for this many outlets or pairs it would be '
                     f"{too_tall[stem]:,} px tall (limit {MAX_FIGURE_PX:,} px); the tables below hold "
                     "every row.</p>")
    if stem in shortened and png.is_file():
        parts.append(f'<p class="meta">Figure shortened to stay readable (at most {MAX_FIGURE_PX:,} px tall, '
                     f"text legible at the page width): {escape(shortened[stem])}</p>")
    if png.is_file():
        parts.append(
            f'<figure><img src="figures/{escape(png.name)}" alt="{escape(FIGURES.get(stem, stem))}">'
            f"<figcaption>{escape(FIGURES.get(stem, ''))}. "
            f'<a href="figures/{escape(stem)}.svg">SVG</a></figcaption></figure>'
        )
    return parts


def _not_computed(out: Path) -> list[str]:
    """The "Not computed" section: each section that did not run, with the reason (none when all ran)."""
    status = read_table(out, "sections")
    if status is None:
        return []
    missing = status[status["status"] != "computed"]
    if not len(missing):
        return []
    parts = ['<section id="not-computed"><h2>Not computed</h2>']
    small = _small_corpus(out)
    if small:
        parts.append(f"<p>{escape(small)}</p>")
    parts.append('<ul class="missing">')
    parts += [f"<li>{escape(r.section)}: {escape(r.note)}</li>" for r in missing.itertuples()]
    parts.append("</ul></section>")
    return parts


def _closing(out: Path, *, notebooks: pd.DataFrame | None) -> list[str]:
    """The sections that close the page: caveats, the notebooks (when rendered) and the tables for reuse."""
    parts = ['<section id="caveats"><h2>Caveats</h2><ul class="caveats">']
    parts += [f"<li>{escape(c)}</li>" for c in caveats(out)]
    parts.append("</ul></section>")
    if notebooks is not None and len(notebooks):
        parts.append('<section id="notebooks"><h2>The notebooks</h2><ul>')
        for r in notebooks.sort_values("notebook").itertuples():
            parts.append(f'<li><a href="{escape(r.html)}">{escape(r.notebook)}</a>: {escape(getattr(r, "title", ""))}</li>')
        parts.append("</ul></section>")
    written = sorted(p.name for p in (out / "tables").glob("*.csv")) if (out / "tables").is_dir() else []
    parts.append('<section id="tables"><h2>Tables for reuse</h2><ul>')
    for name in written:
        stem = name[:-4]
        parts.append(f'<li><a href="tables/{escape(name)}">{escape(name)}</a>: {escape(TABLES.get(stem, REPORT_TABLES.get(stem, "")))}</li>')
    parts.append("</ul></section></main></body></html>")
    return parts


def _contents(found: pd.DataFrame, *, notebooks: bool) -> list[str]:
    """The page's table of contents: one link per finding, then the closing sections.

    Rejected articles and "Not computed" are left out of it (they may be absent); the
    caveats, notebooks and reusable tables always close the page.
    """
    links = [(f"finding-{row.section}", str(row.heading)) for row in found.itertuples()]
    links += [("caveats", "Caveats"), *([("notebooks", "The notebooks")] if notebooks else []),
              ("tables", "Tables for reuse")]
    items = "".join(f'<li><a href="#{escape(anchor)}">{escape(text)}</a></li>' for anchor, text in links)
    return [f'<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>']


def _shortened(out: Path) -> dict[str, str]:
    """Figure stem -> the note saying which top N it shows (``tables/figures_truncated.csv``)."""
    from framelens.viz import Shortened, shortened_note

    t = read_table(out, "figures_truncated")
    if t is None:
        return {}
    return {str(stem): shortened_note([Shortened(str(r.what), int(r.shown), int(r.total), str(r.chosen), str(r.table))
                                       for r in g.itertuples()])
            for stem, g in t.groupby("figure", sort=False)}


def _notebook_link(section: str, notebooks: pd.DataFrame | None, out: Path) -> tuple[str, str] | None:
    """(href, label) of the notebook section holding the evidence for ``section``."""
    if notebooks is None or notebooks.empty:
        return None
    from framelens.headings import heading_anchors

    _, _, _, nb_keys, head_keys, _ = FINDINGS[section]
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
    rejects = read_table(out, "rejects")
    if rejects is None:
        return []
    corpus = read_table(out, "corpus")
    parts = ['<section id="rejected"><h2>Rejected articles</h2>']
    if rejects.empty:
        every = ("every input article was" if corpus is None
                 else "the one input article was" if len(corpus) == 1
                 else f"all {len(corpus)} input articles were")
        parts.append(f"<p>None: {escape(every)} read and analysed.</p>")
    else:
        analysed = f" {len(corpus)} were analysed;" if corpus is not None else ""
        parts.append(
            f"<p>{escape(counted(len(rejects), 'input article'))} could not be analysed and "
            f"{'is' if len(rejects) == 1 else 'are'} left out of every finding below;{escape(analysed)} "
            f'the reasons and fixes are listed here and in <a href="tables/rejects.csv">rejects.csv</a>. '
            "Fix the files and render the report again to include them.</p>"
        )
        parts.append(rejects[["path", "reason"]].to_html(index=False, escape=True, border=0))
    parts.append("</section>")
    return parts


def _small_corpus(out: Path) -> str:
    """A plain sentence when the corpus is too small for the comparisons ("" otherwise)."""
    corpus = read_table(out, "corpus")
    if corpus is None:
        return ""
    n, n_outlets = len(corpus), corpus["outlet"].astype(str).nunique()
    if n >= 3 and n_outlets >= 2:
        return ""
    return (f"This corpus has {counted(n, 'article')} from {counted(n_outlets, 'outlet')}. Findings that compare "
            "articles need at least 2 of them (cluster stability needs 3), and findings that compare "
            "outlets need articles from at least 2 outlets; those are listed below with the reason. "
            "Add articles from other outlets to compute them.")


def _who_said_html(out: Path) -> list[str]:
    w = read_table(out, "who_said_what")
    if w is None or w.empty:
        return []
    shown = w[w["status"] != "absent"][["speaker", "outlet", "status", "rule", "passages", "evidence"]]
    return ["<h3>The passages behind each cell</h3>", shown.to_html(index=False, escape=True, border=0)]


def _framing_html(out: Path) -> list[str]:
    f = read_table(out, "framing_choices")
    if f is None or f.empty:
        return []
    rows = []
    for outlet in [o for o in corpus_outlets(out) if o in set(f["outlet"].astype(str))]:
        g = f[f["outlet"].astype(str) == outlet]
        pick = lambda c: " | ".join(s for s in g[g["choice"] == c]["sentence"].astype(str) if s) or "\u2013"  # noqa: E731
        omitted = "; ".join(g[g["choice"] == "omitted"]["item"].astype(str)) or "none"
        added = g[g["choice"] == "added"]
        rows.append((outlet, pick("headline"), pick("lead"), pick("subhead"), omitted,
                     f"{len(added)}: " + " | ".join(added["sentence"].astype(str)) if len(added) else "0"))
    table = pd.DataFrame(rows, columns=["outlet", "headline", "lead", "subheads", "omits (core facts)",
                                        "adds (sentences with no counterpart)"])
    return ["<h3>Framing choices, version by version</h3>", table.to_html(index=False, escape=True, border=0)]


def _sensitivity_html(out: Path) -> list[str]:
    """The sensitivity panel's tables: top pairs to 4 decimals, the leading groupings, own material by threshold."""
    parts: list[str] = []
    sims = read_table(out, "similarity_checks")
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
    table = read_table(out, "stability_partitions")
    if table is not None and not table.empty:
        top = table.sort_values(["check", "k", "runs"], ascending=[True, True, False], kind="mergesort") \
                   .groupby(["check", "k"], sort=False).head(2)
        top = top.assign(share=[pct(x) for x in top["share"]])
        parts.append("<h3>The two most common groupings under each check</h3>")
        parts.append(top.to_html(index=False, escape=True, border=0))
    unique = read_table(out, "unique_by_threshold")
    if unique is not None and not unique.empty:
        wide = unique.pivot_table(index="outlet", columns="threshold", values="share_unique", aggfunc="first")
        from framelens.viz import outlet_order

        wide = wide.loc[outlet_order(wide.index, order=corpus_order(out))]
        wide.columns = [f"cosine \u2265 {float(c):.2f}" for c in wide.columns]
        parts.append("<h3>Share of each version's words in unmatched sentences, by paraphrase threshold</h3>")
        parts.append(wide.map(pct).reset_index().to_html(index=False, escape=True, border=0))
    return parts
