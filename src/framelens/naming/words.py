"""The word lists and token rules every part of the actor analysis shares (:mod:`framelens.actors`
is the entry point): role and title words, determiners, connectors, stop words, the token
pattern, and the tests of a token the label rules and the proposals make.
"""
from __future__ import annotations

import re
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = ["ROLE_WORDS", "DETERMINERS", "TITLE_MODIFIERS", "CONNECTORS", "STOP", "TOKEN",
           "POSSESSIVE", "STOP_DETERMINERS", "MAX_PHRASE", "WHITE", "is_word", "is_role", "is_cap"]

#: Title and role nouns that make a phrase a label (matched lower-case, on each
#: hyphen-separated part, possessive removed: "President-elect", "state's").
ROLE_WORDS: frozenset[str] = frozenset({
    # heads of state and government, offices
    "president", "leader", "head", "chief", "premier", "chancellor", "minister", "prime",
    "deputy", "secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador",
    "envoy", "diplomat", "official", "officials", "king", "queen", "prince", "monarch",
    "governor", "mayor", "senator", "congressman", "congresswoman", "lawmaker", "chairman",
    "chairwoman", "chair", "director", "commander", "general", "admiral", "ruler",
    "politician", "candidate", "incumbent", "predecessor", "successor", "elect",
    # loaded personal labels
    "dictator", "autocrat", "despot", "tyrant", "strongman", "tsar", "czar", "warlord",
    "aggressor", "regime", "junta", "terrorist", "terrorists", "occupier", "occupiers",
    "puppet", "comedian", "hero",
    # collective and state actors
    "government", "administration", "authorities", "cabinet", "ministry", "kremlin",
    "alliance", "bloc", "organization", "organisation", "country", "nation",
    "republic", "federation", "capital", "neighbour", "neighbor", "ally", "allies",
    "partner", "partners", "power", "superpower",
})

#: Words opening a noun phrase; dropped from the front of a label unless a
#: possessive follows ("the country's president").
DETERMINERS: frozenset[str] = frozenset({"the", "a", "an", "this", "that", "its", "his", "her",
                                         "their", "our"})
#: Lower-case words that qualify a title without a determiner before them:
#: "former FBI director James Comey", "Former Director Comey", "acting Defense
#: Secretary". They join a pre-modifier label when a title follows them.
TITLE_MODIFIERS: frozenset[str] = frozenset({"former", "late", "acting",
                                             "interim", "ex", "then"})
#: Words allowed inside a label between content words ("Minister for European and
#: Euro-Atlantic Integration", "head of the Ministry").
CONNECTORS: frozenset[str] = frozenset({"of", "for", "and"})
#: Stop words: scikit-learn's English list and a few reporting words.
STOP: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | {"according", "despite", "said", "says",
                                                         "told"}
#: One token: an initialism ("U.S."), a word with inner hyphens or apostrophes, or a
#: punctuation mark; every character is white space or opens a match.
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-'\u2019\u2010\u2011]\w+)*|[^\w\s]")
#: A possessive ending ("Trump's", "Zelensky's", "Kyiv’s", "allies'").
POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$", re.IGNORECASE)
_HYPHENS = re.compile(r"[-\u2010\u2011]")
#: :data:`STOP` and :data:`DETERMINERS`.
STOP_DETERMINERS = STOP | DETERMINERS
#: Tokens: a longer "apposition" is a clause, not a label.
MAX_PHRASE = 12
#: One white space character.
WHITE = re.compile(r"\s")


def is_word(tok: str) -> bool:
    """Whether the token ``tok`` is a word (opens with a letter, digit or underscore)."""
    return bool(tok) and (tok[0].isalnum() or tok[0] == "_")


@lru_cache(maxsize=1 << 16)
def is_role(tok: str, roles: frozenset[str]) -> bool:
    """Whether a hyphen-separated part of ``tok`` (lower-case, possessive removed) is
    one of ``roles``; remembered per (token, roles), since the same words recur."""
    low = POSSESSIVE.sub("", tok.lower())
    return any(p in roles for p in _HYPHENS.split(low) if p)


def is_cap(tok: str) -> bool:
    """Whether the token ``tok`` is a word opening with a capital letter."""
    return is_word(tok) and tok[0].isupper()
