"""Writing a whole report folder: :func:`write_findings` computes the tables, draws the figures
and writes ``index.html``; a corpus of several stories gets an overview and one full page per
story (:func:`write_story_findings`, story pages written by worker processes).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from framelens.corpus import Corpus
from framelens.progress import step
from framelens.report.common import corpus_colours, corpus_order
from framelens.report.figures import draw_figures
from framelens.report.page import findings_page
from framelens.report.tables import compute_tables, write_tables

if TYPE_CHECKING:
    from framelens.pipeline import Settings

__all__ = [
    "write_findings",
    "write_story_findings",
    "write_story_page_job",
    "write_story_page",
]


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
        (see :func:`framelens.report.tables.compute_tables`); rejected articles are listed on
        the page.
    out : str or Path
        Report folder (created if missing).
    notebooks : pandas.DataFrame, optional
        Rendered notebooks to link (see :func:`framelens.report.page.findings_page`).
    settings, columns, verbose, **changes
        As in :func:`framelens.report.tables.compute_tables` (e.g. ``n_boot=50``).
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

    aligned = side_by_side_page(out, order=corpus_order(out), colours=corpus_colours(out))
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
    from framelens.report.story_page import write_many_story_report

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

    The one-event page (:func:`framelens.report.page.findings_page`) of that story's articles
    alone, with a link back to the overview two folders up; ``notebooks`` (their links relative
    to ``folder``) when the notebooks drilled into this story. Returns ``folder/index.html``.
    """
    import matplotlib

    matplotlib.use("Agg")  # a worker process draws to files only
    from framelens.pipeline import run

    folder = Path(folder)
    write_tables(run(corpus, settings, story=story), folder)
    return _one_story_page(folder, notebooks=notebooks, corpus_name=corpus_name, verbose=False,
                           story=story, overview="../../index.html")
