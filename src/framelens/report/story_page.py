"""The many-story report's figures and pages: the overview ``index.html`` and the light story pages.

:func:`write_many_story_report` writes the tables of
:func:`framelens.report.story_tables.many_story_tables` as CSV, draws the figures
(:func:`plot_story_coverage`, :func:`plot_contrasts`: never taller than :data:`MAX_FIGURE_PX`
pixels; long lists show the top N and say how many were left out) and writes the overview
page plus one page per story (all stories up to ``max_story_pages``, then the largest), every
piece of article text escaped.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.notes import NotEnoughData
from framelens.plots import PALETTE, style
from framelens.report.story_contrasts import MIN_SHARED_STORIES, clear_contrasts
from framelens.report.story_ids import headline, page_name, shorten, story_folder

__all__ = ["MAX_FIGURE_PX", "plot_story_coverage", "plot_contrasts", "write_many_story_report"]


#: No figure of the many-story report is taller than this (pixels, as saved).
MAX_FIGURE_PX = 2000
_DPI = 150
_MAX_OUTLETS = 20  # outlet columns of the coverage figure
_MAX_ROWS = 30  # rows of a long figure (stories, contrast pairs) before "N more not shown"


# --------------------------------------------------------------------------- figures


def _height(rows: int) -> float:
    """Figure height in inches for ``rows`` rows, capped so the saved PNG stays under MAX_FIGURE_PX."""
    return float(min(1.6 + 0.28 * rows, (MAX_FIGURE_PX - 50) / _DPI))


def plot_story_coverage(cov: pd.DataFrame, stories: pd.DataFrame, *, max_rows: int = _MAX_ROWS,
                        max_outlets: int = _MAX_OUTLETS) -> Any:
    """Articles per story (rows, by title) and outlet: the largest ``max_rows`` stories, and
    the ``max_outlets`` outlets with the most articles in them."""
    import matplotlib.pyplot as plt

    matrix = cov.set_index(cov.columns[0])
    order = stories["story"].tolist()[:max_rows]
    shown = matrix.loc[[s for s in order if s in matrix.index]]
    busiest = shown.sum(axis=0).sort_values(ascending=False, kind="stable")
    outlets_left_out = max(0, int((busiest > 0).sum()) - max_outlets)
    shown = shown[[c for c in busiest.index[:max_outlets] if busiest[c] > 0]]
    titles = stories.set_index("story")["title"]
    left_out = len(matrix) - len(shown)
    with style():
        fig, ax = plt.subplots(figsize=(min(2.2 + 0.9 * shown.shape[1], 10.0), _height(len(shown))))
        ax.imshow(shown.to_numpy(), aspect="auto", cmap="Blues", vmin=0)
        for (i, j), v in np.ndenumerate(shown.to_numpy()):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=9,
                    color="white" if v > shown.to_numpy().max() / 2 else "black")
        ax.set_xticks(range(shown.shape[1]), [str(c) for c in shown.columns], rotation=30, ha="right")
        ax.set_yticks(range(len(shown)), [shorten(titles.get(s, s), 48) for s in shown.index])
        more = f" ({left_out:,} smaller stories not shown)" if left_out else ""
        also = f"; {outlets_left_out} outlets with fewer articles here not shown" if outlets_left_out else ""
        ax.set_title(f"Articles per story and outlet: {len(matrix):,} stories{more}{also}", loc="left")
        fig.tight_layout()
    return fig


def plot_contrasts(contrasts: pd.DataFrame, *, measure: str, level: str = "outlet",
                   max_rows: int = _MAX_ROWS, min_stories: int = MIN_SHARED_STORIES) -> Any:
    """Paired differences with their bootstrap intervals, one row per pair sharing at least
    ``min_stories`` stories (largest |difference| first)."""
    import matplotlib.pyplot as plt

    t = contrasts[(contrasts["measure"] == measure) & (contrasts["level"] == level)
                  & (contrasts["n_stories"] >= min_stories)].copy()
    if not len(t):
        raise NotEnoughData(f"no {level} pair shares {min_stories} or more stories on {measure}")
    t = t.reindex(t["difference"].abs().sort_values(ascending=False, kind="stable").index)
    shown = t.head(max_rows).iloc[::-1]
    left_out = len(t) - len(shown)
    with style():
        fig, ax = plt.subplots(figsize=(7.5, _height(len(shown))))
        y = np.arange(len(shown))
        lo = (shown["difference"] - shown["ci_low"]).clip(lower=0).fillna(0)
        hi = (shown["ci_high"] - shown["difference"]).clip(lower=0).fillna(0)
        ax.errorbar(shown["difference"], y, xerr=[lo, hi], fmt="o", color=PALETTE[0], ecolor="#999", capsize=3)
        ax.axvline(0, color="#444", lw=0.8)
        ax.set_yticks(y, [f"{r.a} − {r.b} (n={r.n_stories})" for r in shown.itertuples()])
        ax.set_xlabel("difference on the stories both cover (95% bootstrap interval over stories)")
        more = f"; the {len(shown)} largest differences shown" if left_out else ""
        clear = int(((t["ci_low"] > 0) | (t["ci_high"] < 0)).sum())
        ax.set_title(f"{measure}: {clear} of {len(t)} {level} pairs differ (95% interval excludes 0)\n"
                     f"pairs sharing ≥ {min_stories} stories{more}", loc="left")
        fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- pages

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}h2{border-bottom:1px solid #ddd;margin-top:2rem}
figure img{max-width:min(100%,48rem);height:auto;border:1px solid #eee}.meta{font-size:.9rem;color:#555}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}mark{background:#ffe08a}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _doc(title: str, body: list[str]) -> str:
    return "\n".join(["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>", *body,
                      "</body></html>"]) + "\n"


def _table(df: pd.DataFrame, max_rows: int = 50) -> str:
    shown = df.head(max_rows)
    more = f'<p class="meta">{len(df) - max_rows:,} more rows in the CSV.</p>' if len(df) > max_rows else ""
    return shown.to_html(index=False, escape=True, border=0, float_format=lambda x: f"{x:.3g}") + more


def _save(fig: Any, figures: Path, name: str) -> str:
    import matplotlib.pyplot as plt

    from framelens.viz import fit_saved_height

    figures.mkdir(parents=True, exist_ok=True)
    fit_saved_height(fig, limit_px=MAX_FIGURE_PX, dpi=_DPI)  # a long title can still push it past the cap
    fig.savefig(figures / f"{name}.png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    import matplotlib

    from framelens.plots import RC

    with matplotlib.rc_context({"svg.hashsalt": RC["svg.hashsalt"]}):  # fixed ids: the same SVG every run
        fig.savefig(figures / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return f"{name}.png"


def _mark(sentence: str, term: str) -> str:
    """The sentence escaped, with the first occurrence of ``term`` in <mark>."""
    i = sentence.lower().find(str(term).lower()) if term else -1
    if i < 0:
        return _e(sentence)
    j = i + len(str(term))
    return f"{_e(sentence[:i])}<mark>{_e(sentence[i:j])}</mark>{_e(sentence[j:])}"


def _light_story_page(story: Any, folder: Path, *, articles: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                      story_col: str, outlet_col: str) -> None:
    """A story's page from the across-story tables alone (its articles, shared core, lexicon hits)."""
    mine = articles[articles[story_col].astype(str) == story.story]
    page = ['<p><a href="../../index.html">All stories</a></p>', f"<h1>{_e(story.title)}</h1>",
            f'<p class="meta">Story {_e(story.story)}: {story.n_articles:,} articles from {story.n_outlets:,} outlets '
            f"({_e(story.outlets)}). Everything on this page compares only this story's articles.</p>",
            "<h2>Articles</h2>",
            _table(pd.DataFrame({"doc_id": mine["doc_id"].astype(str), "outlet": mine[outlet_col].astype(str),
                                 "headline": mine["text"].map(headline)}))]
    core = tables["story_core_share"]
    c = core[core[story_col] == story.story] if len(core) else core
    if len(c):
        page += ["<h2>Shared core and own material</h2>", _table(c.drop(columns=[story_col]))]
    hits = tables["story_hits"]
    h = hits[hits[story_col].astype(str) == story.story] if len(hits) else hits
    if len(h):
        page.append(f"<h2>Lexicon hits ({len(h)})</h2><table><tr><th>outlet</th><th>register</th><th>sentence</th></tr>")
        page += [f"<tr><td>{_e(x.outlet)}</td><td>{_e(x.register)}</td><td>{_mark(str(x.sentence), str(x.match))}</td></tr>"
                 for x in h.head(200).itertuples(index=False)]
        page.append("</table>")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(_doc(f"{story.story}: framelens", page), encoding="utf-8")


def write_many_story_report(tables: Mapping[str, pd.DataFrame], out: str | Path, *,
                            articles: pd.DataFrame, story_col: str = "story",
                            outlet_col: str = "outlet", max_story_pages: int = 50,
                            corpus_name: str = "", how_found: str = "",
                            story_pages: Callable[[list[tuple[str, Path]]], None] | None = None,
                            notebooks: pd.DataFrame | None = None,
                            notebook_story: str | None = None) -> Path:
    """Write the tables (CSV), figures, ``index.html`` and ``stories/NAME/index.html`` under ``out``.

    ``how_found`` says where the stories came from (a column, sub-folders, or
    :func:`framelens.stories.group_stories`), shown on the overview. Story pages:
    all stories if there are at most ``max_story_pages``, else the largest that
    many (the overview says how many have no page). ``story_pages([(story, folder), ...])``
    writes each story's page as ``folder/index.html`` (``framelens report`` gives the
    full one-event page, :func:`framelens.findings.write_story_findings`); without it,
    a page from these tables alone. ``tables`` may hold ``rejects`` (listed on the
    overview: every input article is analysed or listed) and ``sections``.
    ``notebooks`` (rendered, with ``notebook``, ``html``, ``title``) are listed, saying
    they drill into ``notebook_story``. Returns ``out/index.html``.
    """
    if isinstance(max_story_pages, bool) or not isinstance(max_story_pages, int) or max_story_pages < 0:
        raise ValueError(f"max_story_pages must be an integer >= 0, got {max_story_pages!r}")
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    for name, df in sorted(tables.items()):
        df.to_csv(out / "tables" / f"{name}.csv", index=False, lineterminator="\n")
    figures = out / "figures"
    stories = tables["stories"]
    body = [f"<header><h1>How outlets framed {len(stories):,} stories: findings</h1>",
            f'<p class="meta">Corpus: {_e(corpus_name)}. {len(articles):,} articles from '
            f"{articles[outlet_col].nunique():,} outlets in {len(stories):,} stories. {_e(how_found)} "
            "Outlets are compared only on the stories both cover; every number is read from the tables in "
            '<a href="tables/">tables/</a>.</p></header><main>']
    body += _coverage_section(tables, figures)
    body += _contrasts_section(tables, figures)
    body += _evidence_section(tables, story_col=story_col, max_story_pages=max_story_pages)
    body += _distinctive_section(tables)
    paged = stories.head(max_story_pages)
    body += _story_list(stories, paged, max_story_pages=max_story_pages)
    body += _rejects_section(tables.get("rejects"), articles)
    body += _notebooks_section(notebooks, notebook_story)
    body.append("</main>")
    index = out / "index.html"
    index.write_text(_doc("framelens findings", body), encoding="utf-8")
    if story_pages is not None:
        folders = [(str(r.story), out / "stories" / story_folder(r.story)) for r in paged.itertuples()]
        for _, folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        story_pages(folders)
        return index
    for r in paged.itertuples():
        _light_story_page(r, out / "stories" / story_folder(r.story), articles=articles, tables=tables,
                          story_col=story_col, outlet_col=outlet_col)
    return index


def _coverage_section(tables: Mapping[str, pd.DataFrame], figures: Path) -> list[str]:
    """The overview's "Stories and outlets": the coverage figure and the largest stories not compared."""
    stories = tables["stories"]
    body = ["<section id='coverage'><h2>Stories and outlets</h2>"]
    body.append(f'<figure><img src="figures/{_save(plot_story_coverage(tables["story_coverage"], stories), figures, "story_coverage")}" '
                'alt="articles per story and outlet"></figure>')
    skipped = tables["skipped_stories"]
    if len(skipped):
        single = int((skipped["n_articles"] == 1).sum()) if "n_articles" in skipped.columns else 0
        body.append(f"<p>{len(skipped):,} stories are not compared (one outlet, or too little text)"
                    + (f", {single:,} of them a single article" if single else "")
                    + "; the largest of them:</p>")
        order = (skipped.sort_values("n_articles", ascending=False, kind="stable")
                 if "n_articles" in skipped.columns else skipped)
        body.append(_table(order, max_rows=20))
    return body


def _contrasts_section(tables: Mapping[str, pd.DataFrame], figures: Path) -> list[str]:
    """The overview's "Across-story contrasts": how to read them, and a figure and table per measure
    with a pair whose interval excludes 0 on at least
    :data:`~framelens.report.story_contrasts.MIN_SHARED_STORIES` shared stories."""
    contrasts = tables["contrasts"]
    body = ["</section><section id='contrasts'><h2>Across-story contrasts</h2>"]
    body.append("<p>Each row compares two outlets (or groups) on the stories both cover: the mean of the "
                "per-story differences, the number of shared stories (n), how many of them differ, and a "
                "95% percentile bootstrap interval that resamples stories. An interval that includes 0 does "
                "not separate the two. With many pairs and measures a few intervals exclude 0 by chance, so "
                "each row also carries q_value: its bootstrap p-value adjusted by Benjamini–Hochberg over every "
                "contrast on the page with at least "
                f"{MIN_SHARED_STORIES} shared stories. Rows with q_value ≤ 0.05 keep the expected share of "
                "false discoveries among them at 5% or less. A p-value from B resamples is at least 2/(B + 1), "
                "so with many contrasts and few resamples no q_value can reach 0.05 "
                "(framelens.pipeline.Settings.contrast_n_boot sets B).</p>")
    if len(contrasts) and "q_value" in contrasts.columns:
        tested = contrasts[contrasts["q_value"].notna()]
        n_clear = len(clear_contrasts(tested)) if len(tested) else 0
        n_q = int((tested["q_value"] <= 0.05).sum())
        body.append(f"<p>Of {len(tested):,} contrasts tested, {n_clear:,} have an interval that excludes 0 and "
                    f"{n_q:,} have q_value ≤ 0.05.</p>")
    quiet = []
    if len(contrasts):
        few = contrasts[contrasts["n_stories"] < MIN_SHARED_STORIES]
        if len(few):
            body.append(f"<p>{len(few):,} of {len(contrasts):,} rows compare a pair on fewer than {MIN_SHARED_STORIES} "
                        "shared stories: they are in the table but not read as evidence here (resampling two or "
                        "three stories gives an interval that excludes 0 whenever they differ the same way).</p>")
    for (measure, level), part in contrasts.groupby(["measure", "level"], sort=True) if len(contrasts) else []:
        part = part[part["n_stories"] >= MIN_SHARED_STORIES]
        clear = clear_contrasts(part) if len(part) else part
        if not len(clear):
            if len(part):
                quiet.append(f"{measure} ({level}s, {len(part)} pairs)")
            continue
        stem = "contrast_" + re.sub(r"[^a-z0-9]+", "_", f"{measure}_{level}".lower()).strip("_")
        body.append(f"<h3>{_e(measure)} ({_e(level)}s)</h3>")
        body.append(f'<figure><img src="figures/{_save(plot_contrasts(contrasts, measure=measure, level=level), figures, stem)}" '
                    f'alt="{_e(measure)}"></figure>')
        body.append(f"<p>{len(clear)} of {len(part)} pairs have an interval that excludes 0:</p>")
        body.append(_table(clear.drop(columns=["stories"])))
    body += _actors_measured(tables.get("actors_measured"))
    if quiet:
        body.append("<p>No pair has an interval that excludes 0 for: " + _e("; ".join(quiet))
                    + " (all pairs are in <a href='tables/contrasts.csv'>contrasts.csv</a>).</p>")
    if not len(contrasts):
        body.append("<p>No two outlets cover a common story: nothing to compare.</p>")
    return body


def _actors_measured(tried: pd.DataFrame | None) -> list[str]:
    """One sentence naming the actors measured of those tried (``actors_measured``), or nothing."""
    if tried is None or not len(tried):
        return []
    measured = tried[tried["measured"].astype(bool)]
    src = "proposed from the articles" if (tried["source"] == "proposed").all() else "from the alias table"
    return [f"<p>Actor measures: {len(measured)} of {len(tried)} actors {src} are measured"
            + (": " + _e(", ".join(measured["actor"].astype(str))) if len(measured) else "")
            + "; <a href='tables/actors_measured.csv'>actors_measured.csv</a> gives each actor's shared "
            "stories and labelled share, and the rule that left each other one out.</p>"]


def _evidence_section(tables: Mapping[str, pd.DataFrame], *, story_col: str, max_story_pages: int) -> list[str]:
    """The sentences behind the contrasts read as evidence (about 60 rows, shared among the measures),
    each story linked to its page when it has one."""
    contrasts = tables["contrasts"]
    ev = tables["contrast_evidence"]
    if len(ev) and len(contrasts):  # the sentences behind the contrasts read as evidence above
        tested = clear_contrasts(contrasts)[["measure", "level", "a", "b"]]
        ev = ev.merge(tested, on=["measure", "level", "a", "b"], how="inner")
        # about 60 rows in all, shared among the measures (every measure's first rows shown)
        ev = ev.groupby("measure", sort=True, group_keys=False).head(max(2, 60 // max(1, ev["measure"].nunique())))
    if not len(ev):
        return []
    body = ["<h3>Evidence sentences behind the contrasts whose interval excludes 0</h3>"]
    body.append("<table><tr><th>measure</th><th>pair</th><th>story</th><th>outlet</th><th>sentence</th></tr>")
    paged_ids = set(tables["stories"]["story"].head(max_story_pages).astype(str))
    for r in ev.head(60).itertuples(index=False):
        rd = r._asdict()
        sid = str(rd[story_col])
        where = (f'<a href="stories/{_e(page_name(sid))}">{_e(sid)}</a>' if sid in paged_ids else _e(sid))
        body.append(f"<tr><td>{_e(r.measure)}</td><td>{_e(r.a)} − {_e(r.b)}</td>"
                    f"<td>{where}</td><td>{_e(r.outlet)}</td>"
                    f"<td>{_mark(str(r.sentence), str(r.term))}</td></tr>")
    body.append("</table>")
    return body


def _distinctive_section(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The overview's "Distinctive words within stories" and the words set aside as house style."""
    body = ["</section><section id='distinctive'><h2>Distinctive words within stories</h2>"]
    body.append("<p>Log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) of each outlet "
                "against the same stories' other outlets, each story weighted as in the outlet's own text, so the "
                "mix of events cannot make a word distinctive. House style (honorifics, abbreviated titles, credit "
                "lines, the outlet's own name; <code>framelens/data/house_style.csv</code>) is set aside.</p>")
    dist = tables["distinctive_within"]
    body.append(_table(dist) if len(dist) else "<p>No story is covered by two outlets.</p>")
    aside = tables["house_style_set_aside"]
    if len(aside):
        body.append(f"<p>Set aside as house style ({len(aside)} words with z ≥ 1.96):</p>")
        body.append(_table(aside))
    return body


def _story_list(stories: pd.DataFrame, paged: pd.DataFrame, *, max_story_pages: int) -> list[str]:
    """The overview's "One page per story": a link to each story page (``paged``), and how many have none."""
    body = ["</section><section id='stories'><h2>One page per story</h2>"]
    if len(stories) > len(paged):
        body.append(f"<p>The {len(paged)} largest of {len(stories)} stories have a page "
                    f"(max_story_pages={max_story_pages}); the others are in the tables.</p>")
    body.append("<ul>" + "".join(f'<li><a href="stories/{_e(page_name(r.story))}">{_e(r.title)}</a> '
                                 f"({_e(r.story)}: {r.n_articles} articles, {r.n_outlets} outlets)</li>"
                                 for r in paged.itertuples()) + "</ul></section>")
    return body


def _rejects_section(rejects: pd.DataFrame | None, articles: pd.DataFrame) -> list[str]:
    """The overview's "Rejected articles" (when ``rejects`` is given): each with its reason, or "None"."""
    if rejects is None:
        return []
    body = ["<section id='rejected'><h2>Rejected articles</h2>"]
    if len(rejects):
        body.append(f"<p>{len(rejects)} input articles could not be analysed and are left out of every "
                    "finding; the reasons and fixes are in <a href='tables/rejects.csv'>rejects.csv</a>:</p>")
        body.append(_table(rejects[["path", "reason"]]))
    else:
        body.append(f"<p>None: all {len(articles)} input articles were read and analysed.</p>")
    body.append("</section>")
    return body


def _notebooks_section(notebooks: pd.DataFrame | None, notebook_story: str | None) -> list[str]:
    """The overview's list of rendered notebooks (when there are any), saying which story they drill into."""
    if notebooks is None or not len(notebooks):
        return []
    which = f" drill into story {_e(notebook_story)} (the largest)" if notebook_story else ""
    body = [f"<section id='notebooks'><h2>The notebooks</h2><p>Notebooks 01 and 06 cover the whole "
            f"corpus; the others{which}: set their <code>STORY</code> parameter to drill into another.</p><ul>"]
    body += [f'<li><a href="{_e(r.html)}">{_e(r.notebook)}</a>: {_e(getattr(r, "title", ""))}</li>'
             for r in notebooks.sort_values("notebook").itertuples()]
    body.append("</ul></section>")
    return body
