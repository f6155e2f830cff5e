"""Actors and the labels each outlet attaches to them.

An *alias table* (a CSV next to the corpus, e.g. ``seeds/actors.csv``) names each
actor and a regular expression for its surface forms (spelling variants
included). :func:`find_mentions` finds every mention in the cleaned text and the
*label* attached to it, by four general patterns over word tokens of the mention's
sentence (no per-sentence rules):

``pre-modifier``
    a run of title/role words (:data:`ROLE_WORDS`) and capitalised words right
    before the name, optionally preceded by up to three lower-case adjectives when
    a determiner opens the phrase: "Russian dictator Vladimir Putin", "the
    illegitimate Russian dictator Putin", "U.S. President-elect Donald Trump"; a
    title modifier (:data:`TITLE_MODIFIERS`) opens it without a determiner ("former
    FBI director James Comey"); a participle opening the sentence does not
    ("Receiving French President Emmanuel Macron");
``apposition-before``
    a noun phrase ending in a comma right before the name, from its determiner (or
    the sentence start, or a punctuation mark) to the comma; a function word such as
    "as" before the phrase means a clause ends there, not a label ("sworn in as
    president, Trump told ..."): "the illegitimate Russian president, Vladimir
    Putin", "the head of the Ministry of Foreign Affairs of Ukraine, Andrii Sybiga";
``apposition-after``
    a comma, then a noun phrase up to the next comma or the sentence end that starts
    with a determiner, a role word or a capitalised word: "Andrij Sybiha, the head of
    Ukraine's Ministry of Foreign Affairs,";
``title-after``
    for actors of type ``person`` only, a capitalised role word right after the name
    (signatures): "Volodymyr Zelenskyi President of Ukraine" (after an organisation,
    "NATO Secretary General ..." names someone else).

A phrase counts as a label only when it contains a role word. A leading article is
dropped ("illegitimate Russian president") unless a possessive follows it ("the
country's president"). Labels keep the outlet's own capitalisation, so "Russian
President" and "Russian president" stay distinct. A possessive name ("President
Trump's decision") takes labels before it, never after it ("Trump's Cabinet").

This module is the entry point the pipeline, the reports, the command line and the notebooks
use; the code lives in :mod:`framelens.naming`, one module per job
(:mod:`~framelens.naming.words`: the word lists and the token pattern;
:mod:`~framelens.naming.tables`: alias tables; :mod:`~framelens.naming.sentences`: the
sentence around a mention and its tokens; :mod:`~framelens.naming.rules`: the four label
rules; :mod:`~framelens.naming.mentions`: :func:`find_mentions` and title references;
:mod:`~framelens.naming.labels`: the label tables; :mod:`~framelens.naming.proposals`:
proposed actors), and every name below is imported from there. The underscore names at the
end are the ones the tests of the module before the split read, kept under those names.
"""
from __future__ import annotations

from framelens.naming.labels import label_counts, label_matrix, loaded_labels
from framelens.naming.mentions import GENERIC_ROLES, find_mentions, reference_row, word_parts
from framelens.naming.proposals import CALENDAR_WORDS, actors_or_proposed, propose_actors
from framelens.naming.rules import token_ends, tokens_before
from framelens.naming.sentences import Sentence, SentenceIndex
from framelens.naming.tables import ALIAS_COLUMNS, ActorTableError, load_actors
from framelens.naming.words import (CONNECTORS, DETERMINERS, MAX_PHRASE, ROLE_WORDS, STOP,
                                    TITLE_MODIFIERS, TOKEN)

__all__ = ["ActorTableError", "ROLE_WORDS", "TITLE_MODIFIERS", "CALENDAR_WORDS", "GENERIC_ROLES",
           "ALIAS_COLUMNS", "load_actors", "find_mentions", "label_counts", "label_matrix",
           "propose_actors", "actors_or_proposed", "loaded_labels"]

# the names of the module before the split that the tests read (their homes give them public
# names: framelens.naming.words, .sentences, .rules, .mentions)
_STOP, _TOKEN, _MAX_PHRASE = STOP, TOKEN, MAX_PHRASE
_Sentence, _SentenceIndex = Sentence, SentenceIndex
_token_ends, _tokens_before = token_ends, tokens_before
_parts, _reference_row = word_parts, reference_row
