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

This module is the entry point the Makefile, :mod:`framelens.render`, the command line and
the notebooks use; the code lives in :mod:`framelens.report`, one module per job
(:mod:`~framelens.report.tables`, :mod:`~framelens.report.figures`,
:mod:`~framelens.report.statements`, :mod:`~framelens.report.readme`,
:mod:`~framelens.report.page`, :mod:`~framelens.report.write`), and every name below is
imported from there.
"""
from __future__ import annotations

from framelens.report.figures import FIGURES, draw_figures
from framelens.report.page import RESEARCH_QUESTION, STORY_QUESTION, findings_page
from framelens.report.readme import README_BEGIN, README_END, readme_summary, write_readme
from framelens.report.statements import caveats, summarize
from framelens.report.statements_texts import SHOWN_PAIRS
from framelens.report.tables import REPORT_TABLES, TABLES, compute_tables, write_tables
from framelens.report.write import write_findings, write_story_findings, write_story_page, write_story_page_job

__all__ = [
    "TABLES",
    "REPORT_TABLES",
    "FIGURES",
    "RESEARCH_QUESTION",
    "STORY_QUESTION",
    "SHOWN_PAIRS",
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
