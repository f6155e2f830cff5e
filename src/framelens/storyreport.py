"""The report of a many-story corpus: overview, across-story contrasts, one page per story.

A corpus of several stories (events) is analysed story by story
(:func:`framelens.contrasts.within_stories`), and outlets are compared only on the
stories both cover (:mod:`framelens.contrasts`). :func:`many_story_tables`
computes the tables (register rates in all words, in narration and in quotations,
:func:`voice_counts`; the shared core, :func:`story_core_shares`; how much is quoted
and from whom, :func:`framelens.quotes.source_types`; how the most-mentioned actors are
labelled, :func:`actor_label_counts`; distinctive words within stories), working only on
stories that two outlets cover and holding one chunk of articles at a time; :func:`write_many_story_report` writes them as CSV, draws
the figures (never taller than :data:`MAX_FIGURE_PX` pixels: long lists show the
top N and say how many were left out) and writes an overview page plus one page
per story (all stories up to ``max_story_pages``, then the largest), every piece
of article text escaped.

This module is the entry point the pipeline, the command line and the notebooks use; the
code lives in :mod:`framelens.report`, one module per job
(:mod:`~framelens.report.story_ids`: story ids, folders, page names and titles;
:mod:`~framelens.report.story_counts`: voices, shared core and words, a chunk at a time;
:mod:`~framelens.report.story_actors`: how actors are labelled;
:mod:`~framelens.report.story_contrasts`: which contrasts are read as evidence;
:mod:`~framelens.report.story_tables`: every table; :mod:`~framelens.report.story_page`: the
figures and pages), and every name below is imported from there.
"""
from __future__ import annotations

from framelens.report.story_actors import ACTORS_TRIED_COLUMNS, MIN_LABELLED_SHARE, actor_label_counts
from framelens.report.story_contrasts import MIN_SHARED_STORIES, clear_contrasts, strongest_measure
from framelens.report.story_counts import rows_in_use, story_core_shares, voice_counts
from framelens.report.story_ids import (DATELINE, MIN_ARTICLES_TO_FIND, STORY_SOURCES, page_name, shorten,
                                        story_folder, story_ids, story_overview)
from framelens.report.story_page import MAX_FIGURE_PX, plot_contrasts, plot_story_coverage, write_many_story_report
from framelens.report.story_tables import ACTOR_MEASURES, CORE_MEASURES, QUOTE_MEASURES, many_story_tables

__all__ = ["MAX_FIGURE_PX", "STORY_SOURCES", "MIN_ARTICLES_TO_FIND", "story_ids", "story_folder", "page_name",
           "story_overview", "story_core_shares", "voice_counts", "QUOTE_MEASURES", "CORE_MEASURES",
           "ACTOR_MEASURES", "MIN_LABELLED_SHARE", "ACTORS_TRIED_COLUMNS", "actor_label_counts", "many_story_tables", "rows_in_use",
           "MIN_SHARED_STORIES", "clear_contrasts", "strongest_measure",
           "plot_story_coverage", "plot_contrasts", "write_many_story_report", "DATELINE", "shorten"]
