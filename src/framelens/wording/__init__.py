"""Loaded versus neutral wording by lexicon, module by module (:mod:`framelens.lexicon` is the
entry point; the word choices that differ between outlets are :mod:`framelens.wordchoice`).

- :mod:`framelens.wording.loading`: the lexicon tables: the shipped resources with their
  licences, a researcher's or a corpus's own files, every row validated.
- :mod:`framelens.wording.matcher`: :class:`~framelens.wording.matcher.LexiconMatcher`, every
  term found in one pass (the C and ``"re"`` engines for the literal terms, one RE2 set for
  the regular expressions), built from and pickled as its spec.
- :mod:`framelens.wording.hits`: every hit in context with its voice, or only counted.
- :mod:`framelens.wording.rates`: rates per outlet and register (and voice) with exact
  Poisson intervals, and their figure.

The shipped lexicon files themselves are package data under ``framelens/data/lexicons/``.
Nothing is imported or run when the package is imported.
"""
