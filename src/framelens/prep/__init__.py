"""Preparing the texts, module by module (:mod:`framelens.corpus` is the entry point: its
:func:`~framelens.corpus.prepare` cleans a loaded corpus through these).

- :mod:`framelens.prep.rules`: the cleaning rules (:data:`~framelens.prep.rules.RULES`), their
  table, and the findings' names for what they removed.
- :mod:`framelens.prep.clean`: :func:`~framelens.prep.clean.clean`, every rule run over every
  text, with the audit of each removed span.
- :mod:`framelens.prep.usable`: whether a cleaned text is an article (not interface text alone,
  not letterless, not too short).
- :mod:`framelens.prep.audit`: the audit summarised per article and per outlet and rule, and
  its figure.

Nothing is imported or run when the package is imported.
"""
