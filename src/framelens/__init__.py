"""framelens: compare how news outlets frame the same event.

Modules are plain functions, DataFrames in and tidy DataFrames out:

- :mod:`framelens.corpus`    load and validate a folder of articles, clean page furniture (audited)
- :mod:`framelens.text`      sentence spans and word tokens
- :mod:`framelens.features`  TF-IDF, cosine similarity, sparse nearest neighbours, top terms
- :mod:`framelens.clusters`  hierarchical clusters, 2-D map, stability over settings and bootstrap
- :mod:`framelens.actors`    alias tables, actor mentions and the labels outlets attach to them
- :mod:`framelens.lexicon`   loaded vs neutral wording: lexicon hits in context, rates per 1,000 words
- :mod:`framelens.spelling`  spelling and transliteration variants (Kyiv/Kiev, Zelensky/Zelenskyy)
- :mod:`framelens.keyness`   log-odds ratio with informative Dirichlet prior (Monroe et al. 2008)
- :mod:`framelens.align`     sentence alignment: shared core, paraphrase, unique material, fact coverage
- :mod:`framelens.quotes`    direct quotes, speakers, reporting verbs, attribution
- :mod:`framelens.traces`    translation and republishing traces
- :mod:`framelens.stories`   same-story grouping at scale (date-blocked sparse kNN)
- :mod:`framelens.distributed` the per-article stages over process pools or Dask
- :mod:`framelens.patterns`  users' regular expressions on RE2 (linear-time matching)
- :mod:`framelens.neighbours` window-blocked, approximate and exact nearest neighbours
- :mod:`framelens.speech`, :mod:`framelens.framing`  quotation marks and speakers; who said what, framing choices
- :mod:`framelens.wordchoice` within-story word-choice contrasts proposed as lexicon terms
- :mod:`framelens.checks`, :mod:`framelens.claims`  the page's sensitivity tables; ties and interval overlaps
- :mod:`framelens.contrasts`, :mod:`framelens.storyreport`  outlets compared on the stories they share
- :mod:`framelens.pipeline`  every table once, from one :class:`~framelens.pipeline.Settings`
- :mod:`framelens.findings`, :mod:`framelens.render`, :mod:`framelens.side_by_side`  the rendered findings under ``reports/``
- :mod:`framelens.viz`       one outlet order, palette and heatmap
- :mod:`framelens.plots`     one matplotlib style for every figure
- :mod:`framelens.notes`     plain notes instead of crashes where a corpus is too small for a step

Nothing runs or prints at import.
"""
from __future__ import annotations

__version__ = "0.1.0"
