"""Reading a corpus, module by module (:mod:`framelens.corpus` is the entry point: its
:func:`~framelens.corpus.load_corpus` reads through these and builds the
:class:`~framelens.corpus.Corpus`).

- :mod:`framelens.io.folder`: a folder of ``.txt`` articles (or one sub-folder per story)
  and its manifest(s); where the companion files live.
- :mod:`framelens.io.tables`: CSV and JSONL, a single-file corpus (one article per row,
  optionally ``.gz``/``.xz``) and a folder's ``manifest.csv``; the ``--columns`` mapping.
- :mod:`framelens.io.rows`: what one article becomes whichever reader found it (the columns,
  the checks every row passes, the rejects table).
- :mod:`framelens.io.errors`: :class:`~framelens.io.errors.CorpusError` and the UTF-8 messages.

Nothing is imported or run when the package is imported.
"""
