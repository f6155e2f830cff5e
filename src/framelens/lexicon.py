"""Loaded versus neutral wording: licensed lexicons, hits in context, rates with intervals.

The general lexicons ship as package data under ``framelens/data/lexicons/``, one CSV
per published resource, each with its licence, version and citation beside it
(``resources.csv``, ``LICENSE-*``; ``docs/lexicons.md`` says which resources were
considered and why each was taken or left):

``framelens-general.csv``
    framelens' own coding (MIT): delegitimising labels ("dictator", "regime",
    "so-called"), adverbial hedges ("reportedly", "allegedly"), each with the
    dictionary sense or study behind it;
``vader.csv``
    the VADER sentiment lexicon (Hutto & Gilbert 2014, MIT): words rated negative or
    positive by ten raters (mean valence at least 1.0 from zero), and VADER's
    booster and dampener words as ``intensifying`` and ``hedging``;
``pattern-en-sentiment.csv``
    the subjective adjectives of pattern's English sentiment lexicon (De Smedt &
    Daelemans 2012, as shipped by TextBlob; PDDL).

A term listed by an earlier file is left out of the later ones, so every term has one
register. Each row has a *register* (:data:`REGISTERS`); :data:`LOADED_REGISTERS`
are the evaluative ones. Corpus-specific terms (the seed event's "special military
operation") sit next to the corpus in ``lexicon*.csv`` files of the same columns
(:func:`lexicon_for_corpus`); a corpus term replaces a shipped entry of the same term
(``replaces`` names it), because the researcher's coding of their corpus wins.

A row may name contexts in which its term has another, neutral sense, in the optional
column ``not_after`` (:data:`NOT_AFTER`): words or phrases, ``;``-separated, that, written
right before the term, make a hit not count. "regime" is delegitimising ("the Assad
regime") but a neutral technical noun after "sanctions", "inspection", "tax" or "visa"
(a system of rules: the dictionary's other sense), so ``framelens-general.csv`` lists
those modifiers there; ``docs/lexicons.md`` gives the list and what each removed.

Matching (:class:`LexiconMatcher`) is one pass over the lowercased text for all literal
terms (in C, ``framelens.textscan.TermTable``: each word looked up among the terms'
first words; without the C scanner, an Aho-Corasick automaton, ``pyahocorasick``), and one
``re2.Set`` pass (RE2, linear time) telling which regular-expression terms occur at
all, then only those are run. Hits start and end at word boundaries; a hit preceded by
one of its row's ``not_after`` words is dropped (checked only for the hits of rows that
have them); where hits overlap, the leftmost wins, then the longest, then the earlier
lexicon row. So a lexicon of tens of thousands of terms costs about what one of a
hundred does.

Every hit says whose voice it is in (:func:`lexicon_hits` ``quotes=``): the outlet's
own narration or a quotation, with the quoted speaker when known, and
:func:`voice_rates` counts the two apart, each rate with its count and an exact
Poisson interval (:func:`poisson_interval`).

This module is the entry point the pipeline, the report, the command line and the notebooks
use; the code lives in :mod:`framelens.wording`, one module per job
(:mod:`~framelens.wording.loading`: the lexicon tables and their resources;
:mod:`~framelens.wording.matcher`: the matcher and its two engines;
:mod:`~framelens.wording.hits`: hits in context and counted;
:mod:`~framelens.wording.rates`: rates, intervals and their figure), and every name below is
imported from there. A matcher pickled when the code lived here still loads
(:data:`_matcher_of_spec` is the function those pickles name).
"""
from __future__ import annotations

from framelens.wording.hits import VOICES, count_hits, lexicon_hits
from framelens.wording.loading import (LEXICON_COLUMNS, LOADED_REGISTERS, NOT_AFTER, REGISTERS,
                                       SHIPPED_RESOURCES, LexiconError, lexicon_for_corpus, load_lexicon,
                                       shipped_resources, term_key)
from framelens.wording.matcher import (LexiconMatcher, TermTable, compile_lexicon, matcher_of_spec,
                                       matcher_spec)
from framelens.wording.rates import plot_register_rates, poisson_interval, register_rates, voice_rates

__all__ = ["LexiconError", "REGISTERS", "LOADED_REGISTERS", "LEXICON_COLUMNS", "NOT_AFTER",
           "SHIPPED_RESOURCES", "VOICES", "term_key", "load_lexicon", "lexicon_for_corpus",
           "shipped_resources", "LexiconMatcher", "matcher_spec", "compile_lexicon", "lexicon_hits",
           "count_hits", "poisson_interval", "register_rates", "voice_rates", "plot_register_rates"]

#: The function a :class:`LexiconMatcher` pickled before the split names (as this module's).
_matcher_of_spec = matcher_of_spec
