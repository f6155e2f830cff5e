"""The findings report, module by module (:mod:`framelens.findings` is the entry point).

- :mod:`framelens.report.tables`: run the analysis and save every table as CSV
  (:data:`~framelens.report.tables.TABLES`).
- :mod:`framelens.report.figures`: draw every figure from the saved tables
  (:data:`~framelens.report.figures.FIGURES`); the drawers are in
  :mod:`~framelens.report.figures_texts` (how the texts compare) and
  :mod:`~framelens.report.figures_words` (wording, names and voices), their shared sizing and
  titles in :mod:`~framelens.report.layout`.
- :mod:`framelens.report.statements`: one or two sentences per finding and the caveats, every
  number read from the tables; the sentences are in :mod:`~framelens.report.statements_texts`
  and :mod:`~framelens.report.statements_words`.
- :mod:`framelens.report.readme`: the README's summary of the seed case.
- :mod:`framelens.report.page`: the HTML page.
- :mod:`framelens.report.write`: a whole report folder, of one story or of many.
- :mod:`framelens.report.common` (reading the saved tables: outlet order and colours, shared
  counts) and :mod:`framelens.report.phrases` (numbers and names in words) serve them all.

The many-story report (:mod:`framelens.storyreport` is its entry point):

- :mod:`framelens.report.story_ids`: each article's story id, a story's folder, page and title.
- :mod:`framelens.report.story_counts`: words, hits and quotations in each voice, the shared core
  and the word matrix, a chunk of articles at a time.
- :mod:`framelens.report.story_actors`: how each outlet labels the actors it shares.
- :mod:`framelens.report.story_contrasts`: which across-story contrasts are read as evidence.
- :mod:`framelens.report.story_tables`: every table, compared within stories.
- :mod:`framelens.report.story_page`: the figures, the overview page and the light story pages.

Nothing is imported or run when the package is imported.
"""
