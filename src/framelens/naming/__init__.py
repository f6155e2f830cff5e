"""Actors and the labels outlets attach to them, module by module (:mod:`framelens.actors` is
the entry point, re-exporting every public name).

- :mod:`framelens.naming.words`: the word lists (role words, determiners, connectors, stop
  words) and the token pattern the label rules and the proposals share.
- :mod:`framelens.naming.tables`: alias tables, read and validated.
- :mod:`framelens.naming.sentences`: the sentence around a mention, found paragraph by
  paragraph, and its tokens.
- :mod:`framelens.naming.rules`: the four label rules and the pre-check that skips mentions
  none of them can label.
- :mod:`framelens.naming.mentions`: :func:`~framelens.naming.mentions.find_mentions`, with
  title references ("the president") resolved.
- :mod:`framelens.naming.labels`: label counts, loaded labels, the actor x outlet matrix.
- :mod:`framelens.naming.proposals`: candidate actors for a corpus without an alias table.

Nothing is imported or run when the package is imported.
"""
