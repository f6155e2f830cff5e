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
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, chain
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from framelens.patterns import CharOffsets, PatternError, PatternSet, WordPattern
from framelens.text import BREAK_RUN, LINE_BREAK_CHARS, TITLES, sentence_spans  # same paragraphs

__all__ = ["ActorTableError", "ROLE_WORDS", "TITLE_MODIFIERS", "CALENDAR_WORDS", "GENERIC_ROLES",
           "ALIAS_COLUMNS", "load_actors", "find_mentions", "label_counts", "label_matrix",
           "propose_actors", "actors_or_proposed", "loaded_labels"]

#: Columns an alias table must have (``note`` and others are optional and kept).
ALIAS_COLUMNS: tuple[str, ...] = ("actor", "type", "pattern")

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
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"according", "despite", "said", "says", "told"}
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[-'\u2019\u2010\u2011]\w+)*|[^\w\s]")
# Every character is white space or starts a _TOKEN match (\w+ or [^\w\s]), so the text
# between two tokens is white space: one findall of (white space, token) pairs gives the
# tokens of _TOKEN.finditer, and the pairs' lengths give their offsets.
_GAP_TOKEN = re.compile(rf"(\s*)({_TOKEN.pattern})")
_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=s)['\u2019])$", re.IGNORECASE)
_HYPHENS = re.compile(r"[-\u2010\u2011]")
_STOP_DETERMINERS = _STOP | DETERMINERS
_CONNECTORS_DETERMINERS = CONNECTORS | DETERMINERS
_MAX_PHRASE = 12  # tokens: a longer "apposition" is a clause, not a label


class ActorTableError(ValueError):
    """An alias table is malformed; the message names the CSV row and what to fix."""


def load_actors(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Read and validate an alias table.

    Parameters
    ----------
    source : path or pandas.DataFrame
        A CSV file (or a DataFrame with the same columns). Required columns,
        :data:`ALIAS_COLUMNS`: ``actor`` (unique id, e.g. "Putin"), ``type``
        (person, organisation, country, ...) and ``pattern``, a regular expression
        in Python's syntax matching every surface form, applied case-sensitively to
        whole words (no word character right before or after a match:
        :class:`framelens.patterns.WordPattern`) and matched by RE2 in time linear in
        the text, so it may not use look-arounds or back-references (except plain-text
        look-behinds opening an alternative, ``(?<!Melania )Trump``, as
        :func:`propose_actors` writes them). Other columns (``note``) are kept.

    Returns
    -------
    pandas.DataFrame
        The table in file order, RangeIndex, all columns as strings.

    Raises
    ------
    ActorTableError
        Missing column; empty actor or pattern; a pattern that does not compile,
        matches the empty string or needs a construct RE2 cannot run in bounded time
        (a look-around, a back-reference); a duplicate actor id. Rows are named by
        their 1-based line in the CSV (the header is line 1).

    Examples
    --------
    >>> t = load_actors(pd.DataFrame({"actor": ["Putin"], "type": ["person"],
    ...                               "pattern": [r"(?:Vladimir\\s+)?Putin"]}))
    >>> t["actor"].tolist()
    ['Putin']
    """
    if isinstance(source, pd.DataFrame):
        table, where = source.copy(), "alias table"
    else:
        path = Path(source)
        if not path.is_file():
            raise ActorTableError(f"alias table {str(path)!r} not found; create a CSV with "
                                  f"columns {', '.join(ALIAS_COLUMNS)}")
        try:
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
            raise ActorTableError(
                f"alias table {path}: cannot be read as CSV ({err}); check for an unclosed quote "
                f"(write a quote inside a quoted field as \"\"), save it as UTF-8, and keep the "
                f"columns {', '.join(ALIAS_COLUMNS)}") from None
        where = str(path)
    missing = [c for c in ALIAS_COLUMNS if c not in table.columns]
    if missing:
        raise ActorTableError(f"{where}: missing column(s) {missing}; required columns are "
                              f"{list(ALIAS_COLUMNS)}, found {list(map(str, table.columns))}")
    table = table.reset_index(drop=True)
    table = table.astype({c: "string" for c in table.columns}).fillna("")
    seen: dict[str, int] = {}
    for i, row in table.iterrows():
        line = int(i) + 2
        actor = str(row["actor"]).strip()
        pattern = str(row["pattern"])
        if not actor:
            raise ActorTableError(f"{where}, row {line}: empty 'actor'; give every row an id")
        if actor in seen:
            raise ActorTableError(f"{where}, row {line}: duplicate actor id {actor!r} (first at "
                                  f"row {seen[actor]}); merge the patterns into one row with '|'")
        seen[actor] = line
        if not pattern.strip():
            raise ActorTableError(f"{where}, row {line} ({actor}): empty 'pattern'")
        try:
            WordPattern.cached(pattern, where=f"{where}, row {line} ({actor})")
        except PatternError as err:
            raise ActorTableError(str(err)) from None
        table.loc[i, "actor"] = actor
    return table


# --------------------------------------------------------------------------- labels
def _is_word(tok: str) -> bool:
    return bool(tok) and (tok[0].isalnum() or tok[0] == "_")


@lru_cache(maxsize=1 << 16)
def _is_role(tok: str, roles: frozenset[str]) -> bool:
    """Whether a hyphen-separated part of ``tok`` (lower-case, possessive removed) is
    one of ``roles``; remembered per (token, roles), since the same words recur."""
    low = _POSSESSIVE.sub("", tok.lower())
    return any(p in roles for p in _HYPHENS.split(low) if p)


def _is_cap(tok: str) -> bool:
    return _is_word(tok) and tok[0].isupper()


class _Sentence:
    """One sentence and, as far as :meth:`tokenise` read it, its word tokens with their
    character offsets.

    Every character of a sentence is white space or opens a :data:`_TOKEN` match, so
    what lies between two consecutive tokens is white space only: the label rules
    walk from token to token without looking at the gaps, and the text up to a white
    space character holds exactly the sentence's tokens that end before it.
    """

    __slots__ = ("text", "offset", "toks", "starts", "ends", "upto")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.offset = start
        self.toks: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.upto = 0  # characters of text tokenised so far

    def tokenise(self, upto: int | None = None) -> None:
        """Fill :attr:`toks`, :attr:`starts` and :attr:`ends` with the tokens of
        ``text[:upto]`` (the whole sentence by default), ``upto`` being the position of
        a white space character or the end; tokens already found are kept, the ones
        after them appended."""
        upto = len(self.text) if upto is None else min(upto, len(self.text))
        if upto <= self.upto:
            return
        # [(white space before, token), ...]; endpos: no token reaches past upto
        pairs = _GAP_TOKEN.findall(self.text, self.upto, upto)
        self.toks += [tok for _gap, tok in pairs]
        # offsets: start, then the running sum of the gap and token lengths
        bounds = list(accumulate(map(len, chain.from_iterable(pairs)),
                                 initial=self.offset + self.upto))
        self.starts += bounds[1::2]
        self.ends += bounds[2::2]
        self.upto = upto


_JOINERS = "-'\u2019\u2010\u2011."  # characters that can continue a token past a word character
_CHUNK = 200  # characters: a longer chunk before a mention is tokenised, not read here
#: Tokens: a run of title or capitalised words longer than this before or after a name is
#: not followed to its end (a label holds at most _MAX_PHRASE tokens), so the time per
#: mention stays bounded in a text of one endless sentence.
_MAX_RUN = 4 * _MAX_PHRASE


def _may_have_label(s: _Sentence, start: int, end: int, roles: frozenset[str],
                    person: bool) -> bool:
    """False when none of the four label patterns can apply to the mention
    ``text[start:end]`` of sentence ``s``, read from the characters around it without
    tokenising the sentence; True when one may (or when that is not certain).

    Each rule's first step is checked on the token next to the mention. Left: a
    pre-modifier needs the token before the mention to be a role word or a
    capitalised word other than a capitalised stop word or determiner ("The",
    "But"; "US" is not one), and neither a connector nor a title modifier
    (:func:`_pre_modifier` stops there with nothing); an apposition before it needs a
    comma there. Right: an apposition after it needs a comma right after it and then
    a word that is a determiner, a role word or not a stop word
    (:func:`_apposition_after`); a title after it (persons only) a capitalised role
    word; a possessive name ("Trump's") takes neither.

    The tokens next to the mention are found only where that is safe: the mention
    opens a token (none at its start, and white space or a punctuation mark that is a
    token of its own before it: ``"Putin``, not ``anti-Putin``), and the token holding
    its last character ends where the mention ends (white space after it, or a
    character no token continues with: :func:`_token_ends`) or is the mention and a
    possessive ``'s``; the token before is then the last token of the last
    white-space-delimited chunk before the mention, the token after the one at the
    next character that is not white space (white space never lies inside a token,
    and every other character opens one). Only the characters next to the mention are
    read, so the time per mention does not grow with the sentence: a chunk longer
    than :data:`_CHUNK` characters answers True.
    """
    text, offset = s.text, s.offset
    i, j = start - offset, end - offset
    n = len(text)
    if i < 0 or i >= n or text[i].isspace():
        return True
    if i > 0 and not text[i - 1].isspace():
        b = text[i - 1]  # right before the mention: a token of its own, or unsure
        if _is_word(b) or b == "." or (b in _JOINERS and i > 1 and _is_word(text[i - 2])):
            return True  # the mention may start inside a token ("anti-Putin", "U.S.A.")
        if b == ",":
            return True  # an apposition before the name may end here
        k = 0  # the token before is not a word: no pre-modifier
    else:
        k = i
    while k > 0 and text[k - 1].isspace():
        k -= 1
    if k > 0:  # the chunk before: text[a:k]
        a = text.rfind(" ", max(0, k - _CHUNK - 1), k) + 1
        t = text[a:k]
        if (a == 0 and k > _CHUNK) or not (t.isalnum() or not _WHITE.search(t)):
            a = k - 1  # white space other than " " (or none): find the chunk's start here
            while a > 0 and not text[a - 1].isspace():
                a -= 1
                if k - a > _CHUNK:
                    return True
            t = text[a:k]
        chunk: list[str] = [] if t.isalnum() else _TOKEN.findall(t)  # letters, digits: one token
        if chunk:
            t = chunk.pop()
        if t == ",":  # an apposition before the name may end here
            if _role_before_comma(chain(reversed(chunk), _tokens_before(text, a)), roles):
                return True
        elif _is_word(t):
            low = t.lower()
            if low not in CONNECTORS and low not in TITLE_MODIFIERS:
                if _is_role(t, roles):
                    return True
                if (t[0].isupper() and (low not in _STOP_DETERMINERS or (len(t) > 1 and t.isupper()))
                        and _role_in_title_run(chain(reversed(chunk), _tokens_before(text, a)),
                                               roles)):
                    return True
    if j >= n:
        return False  # no token after the mention in its sentence
    c = text[j]
    if c.isspace():
        while j < n and text[j].isspace():
            j += 1
        if j == n:
            return False
    elif (c in "'\u2019" and j + 2 <= n and text[j + 1] in "sS" and _is_word(text[j - 1])
          and (j + 2 == n or not (_is_word(text[j + 2]) or text[j + 2] in _JOINERS))):
        return False  # "Trump's": a possessive takes no label after it
    elif not _token_ends(text, j):
        return True  # the mention may end inside a token
    c = text[j]  # the first character of the token after the mention
    if c == ",":
        j += 1
        while j < n and text[j].isspace():
            j += 1
        if j == n:
            return False  # the comma ends the sentence
        t = _TOKEN.match(text, j).group()  # type: ignore[union-attr]
        low = t.lower()
        if not _is_word(t) or (low in _STOP and low not in DETERMINERS and not _is_role(t, roles)):
            return False  # ", who ...": no apposition
        return _role_in_apposition(text, j, roles)
    if person and c.isupper():
        t = _TOKEN.match(text, j).group()  # type: ignore[union-attr]
        return _is_cap(t) and _is_role(t, roles)
    return False


def _tokens_before(text: str, k: int) -> Iterator[str | None]:
    """The tokens of ``text[:k]``, nearest first, ``k`` being 0, ``len(text)`` or next
    to white space: each white-space-delimited chunk is tokenised on its own (white
    space never lies inside a token), so these are the tokens of the whole text. None,
    and nothing more, for a chunk longer than :data:`_CHUNK` characters."""
    while k > 0 and text[k - 1].isspace():
        k -= 1
    while k > 0:
        a = k - 1
        while a > 0 and not text[a - 1].isspace():
            a -= 1
            if k - a > _CHUNK:
                yield None
                return
        chunk = text[a:k]
        if chunk.isalnum():  # letters and digits only: one token
            yield chunk
        else:
            yield from reversed(_TOKEN.findall(chunk))
        k = a
        while k > 0 and text[k - 1].isspace():
            k -= 1


def _role_before_comma(before: Iterator[str | None], roles: frozenset[str]) -> bool:
    """False when :func:`_apposition_before` certainly finds no label: no role word
    among the words before the comma (``before``, nearest first) up to the first
    token that is not a word or the first stop word that is neither a connector nor a
    determiner, where the rule's phrase ends at the latest."""
    found = False
    for n, t in enumerate(before):
        if t is None or n > _MAX_PHRASE:
            return True  # not read that far: not certain
        if not _is_word(t):
            return found
        low = t.lower()
        if low in _STOP and low not in CONNECTORS and low not in DETERMINERS:
            return found
        found = found or _is_role(t, roles)
    return found


def _role_in_title_run(before: Iterator[str | None], roles: frozenset[str]) -> bool:
    """False when :func:`_pre_modifier` certainly finds no label after a capitalised
    word that is not a role word ("Mr Trump", "Melania Trump"): no role word in the run
    of capitalised words and connectors before it (``before``, nearest first), the
    longest the rule's run can grow to; a label needs one."""
    for n, t in enumerate(before):
        if t is None or n > _MAX_RUN:
            return True
        if not _is_word(t):
            return False
        if _is_role(t, roles):
            return True
        if not (t[0].isupper() or t.lower() in CONNECTORS):
            return False
    return False


def _role_in_apposition(text: str, j: int, roles: frozenset[str]) -> bool:
    """False when :func:`_apposition_after` certainly finds no label in the phrase
    whose first token starts at ``text[j]`` (after the comma): it closes at a comma,
    semicolon, full stop, colon, dash or the sentence end without a role word, or
    meets another token that is not a word."""
    found = False
    for n, m in enumerate(_TOKEN.finditer(text, j)):
        t = m.group()
        if n > _MAX_PHRASE:
            return True
        if t in _CLOSERS:
            return found
        if not _is_word(t):
            return False
        found = found or _is_role(t, roles)
    return found


_WHITE = re.compile(r"\s")
_CLOSERS = frozenset({",", ";", ".", ":", "\u2014"})  # end an apposition after a name


def _token_ends(text: str, j: int) -> bool:
    """Whether the token holding ``text[j - 1]`` (if any) certainly ends at ``j``,
    ``text[j]`` not being white space: no :data:`_TOKEN` continues with it. A word
    character may continue a word; a hyphen or apostrophe between two word characters
    too ("Putin-backed"); a full stop after a capital A-Z may continue an initialism
    ("U.S.") when a full stop stands before that capital or a capital after the stop.
    """
    c = text[j]
    if _is_word(c):
        return False
    n = len(text)
    if c in "-'\u2019\u2010\u2011":
        return not (j > 0 and _is_word(text[j - 1]) and j + 1 < n and _is_word(text[j + 1]))
    if c == ".":
        return not (j > 0 and "A" <= text[j - 1] <= "Z"
                    and ((j > 1 and text[j - 2] == ".") or (j + 1 < n and "A" <= text[j + 1] <= "Z")))
    return True


_OTHER_BREAKS = LINE_BREAK_CHARS.replace("\n", "")  # line breaks other than "\n"


class _SentenceIndex:
    """The sentence (as a :class:`_Sentence`) around a character offset of one text.

    Same sentences as :func:`framelens.text.sentence_spans` over the whole text, but
    computed lazily paragraph by paragraph: every line break is a hard break there, so
    a paragraph's sentences do not depend on the rest of the text, and paragraphs
    without a mention are never split or tokenised. A text whose only line break is
    ``\\n`` (most texts) finds a paragraph's ends with :meth:`str.find` and
    :meth:`str.rfind` once and keeps them (so a text of one endless line is scanned
    once, not once per mention); other texts find every run of line breaks once
    (:data:`framelens.text.BREAK_RUN`) and bisect them.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines_only = not any(c in text for c in _OTHER_BREAKS)
        self._found: tuple[list[int], list[int]] = ([], [])  # paragraphs found so far
        self._breaks: tuple[list[int], list[int]] | None = None
        self._paras: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        self._sents: dict[tuple[int, int], _Sentence] = {}
        self._whole: list[tuple[int, int]] | None = None
        self._whole_starts: list[int] = []

    def _paragraph(self, pos: int) -> tuple[int, int] | None:
        """Start and end of the paragraph holding ``pos`` (None inside a line break)."""
        text = self.text
        if self._newlines_only:
            starts, ends = self._found
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos < ends[k]:
                return starts[k], ends[k]
            if text.startswith("\n", pos):
                return None
            end = text.find("\n", pos)
            para = text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end
            starts.insert(k + 1, para[0])
            ends.insert(k + 1, para[1])
            return para
        if self._breaks is None:
            found = [m.span() for m in BREAK_RUN.finditer(text)]
            self._breaks = ([a for a, _ in found], [b for _, b in found])
        starts_b, ends_b = self._breaks
        j = bisect.bisect_right(starts_b, pos)
        if j > 0 and pos < ends_b[j - 1]:
            return None
        return (ends_b[j - 1] if j > 0 else 0), (starts_b[j] if j < len(starts_b) else len(text))

    def at(self, pos: int) -> _Sentence | None:
        para = self._paragraph(pos)
        if para is None:
            return self._fallback(pos)  # inside a line break: as over the whole text
        ps, pe = para
        if ps not in self._paras:
            spans = [(ps + a, ps + b) for a, b in sentence_spans(self.text[ps:pe])]
            self._paras[ps] = ([a for a, _ in spans], spans)
        starts, spans = self._paras[ps]
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return self._fallback(pos)  # before the paragraph's first sentence
        return self._sentence(spans[k])

    def _sentence(self, span: tuple[int, int]) -> _Sentence:
        if span not in self._sents:
            self._sents[span] = _Sentence(self.text[span[0]:span[1]], span[0])
        return self._sents[span]

    def _fallback(self, pos: int) -> _Sentence | None:
        if self._whole is None:
            self._whole = sentence_spans(self.text)
            self._whole_starts = [a for a, _ in self._whole]
        k = bisect.bisect_right(self._whole_starts, pos) - 1
        return self._sentence(self._whole[k]) if k >= 0 else None

    def each(self, positions: Iterable[int]) -> list[_Sentence | None]:
        """``[self.at(p) for p in positions]`` for positions in ascending order.

        In a text whose only line break is ``\\n``, one walk: a paragraph is found
        (:meth:`str.find`, :meth:`str.rfind`) and split when the first position past
        the previous paragraph's end reaches it, and the positions inside it are
        bisected in its sentence starts.
        """
        if not self._newlines_only:
            return [self.at(p) for p in positions]
        text, sents = self.text, self._sents
        after = len(text) + 1  # (pos, after) sorts after every span starting at pos
        out: list[_Sentence | None] = []
        para_start = para_end = -1
        spans: list[tuple[int, int]] = []  # the paragraph's sentences, paragraph offsets
        for pos in positions:
            if pos >= para_end:
                if text.startswith("\n", pos):
                    out.append(self._fallback(pos))  # inside a line break, as at()
                    continue
                end = text.find("\n", pos)
                para_start = text.rfind("\n", 0, pos) + 1
                para_end = len(text) if end < 0 else end
                spans = sentence_spans(text[para_start:para_end])
            if len(spans) == 1 and spans[0][0] <= pos - para_start:
                a, b = spans[0]  # a paragraph of one sentence (most)
            else:
                k = bisect.bisect_right(spans, (pos - para_start, after)) - 1
                if k < 0:
                    out.append(self._fallback(pos))  # before the paragraph's first sentence
                    continue
                a, b = spans[k]
            span = (para_start + a, para_start + b)
            s = sents.get(span)
            if s is None:
                s = sents[span] = _Sentence(text[span[0]:span[1]], span[0])
            out.append(s)
        return out


def _finish(s: _Sentence, idx: list[int], roles: frozenset[str]) -> tuple[int, int] | None:
    """Trim a candidate label (token indices) and return its char span if it is one."""
    toks = s.toks
    while idx and toks[idx[-1]].lower() in _CONNECTORS_DETERMINERS:
        idx = idx[:-1]
    while idx and toks[idx[0]].lower() in CONNECTORS:
        idx = idx[1:]
    if idx and toks[idx[0]].lower() in DETERMINERS:
        if not (len(idx) > 1 and _POSSESSIVE.search(toks[idx[1]])):
            idx = idx[1:]
    if not idx or len(idx) > _MAX_PHRASE:
        return None
    if not any(_is_role(toks[k], roles) for k in idx):
        return None
    return s.starts[idx[0]], s.ends[idx[-1]]


def _pre_modifier(s: _Sentence, first: int, roles: frozenset[str]) -> tuple[int, int] | None:
    toks = s.toks
    i = first - 1
    if i < 0 or toks[i].lower() in CONNECTORS:
        return None
    run: list[int] = []
    while i >= 0:
        if len(run) > _MAX_RUN:
            return None  # far too long for a label (_MAX_PHRASE)
        t = toks[i]
        if _is_word(t) and t.lower() in TITLE_MODIFIERS:
            if run and any(_is_role(toks[k], roles) for k in run):
                run.insert(0, i)  # "former FBI director", "Former Director"
            break
        if _is_word(t) and (_is_role(t, roles) or _is_cap(t)):
            if (_is_cap(t) and not _is_role(t, roles) and t.lower() in _STOP_DETERMINERS
                    and not (len(t) > 1 and t.isupper())):
                break  # "The", "According", "Despite" opening a sentence; not "US"
            if i == 0 and not _is_role(t, roles) and len(t) > 4 and t.endswith("ing"):
                break  # "Receiving French President ...": a participle opens the sentence
            run.insert(0, i)
        elif (t.lower() in CONNECTORS and run
              and (_is_cap(toks[run[0]]) or _is_role(toks[run[0]], roles))
              and i > 0 and _is_role(toks[i - 1], roles)
              and not any(_is_role(toks[k], roles) for k in run)):
            # "Head of State", "Minister of Foreign Affairs": a title continues to the
            # right; not "Kim and President", not "team of Ukrainian leader" (the title
            # "Ukrainian leader" is already whole)
            run.insert(0, i)
        else:
            break
        i -= 1
    if not run:
        return None
    # lower-case adjectives between a determiner and a lower-case head noun: "the
    # illegitimate Russian dictator" (a capitalised title such as "the tariffs President
    # Trump announced" is a name, not a noun phrase to extend)
    adj: list[int] = []
    j = run[0] - 1
    while (j >= 0 and len(adj) < 3 and toks[run[-1]].islower() and _is_word(toks[j])
           and toks[j].islower() and toks[j] not in _STOP_DETERMINERS):
        adj.insert(0, j)
        j -= 1
    if adj and j >= 0 and toks[j].lower() in DETERMINERS:
        run = adj + run
    return _finish(s, run, roles)


def _apposition_before(s: _Sentence, first: int,
                       roles: frozenset[str]) -> tuple[int, int] | None:
    toks = s.toks
    c = first - 1
    if c < 1 or toks[c] != ",":
        return None
    idx: list[int] = []
    i = c - 1
    while i >= 0 and len(idx) <= _MAX_PHRASE:
        t = toks[i]
        if not _is_word(t):
            break
        low = t.lower()
        if low in DETERMINERS:
            if i > 0 and toks[i - 1].lower() in CONNECTORS:
                idx.insert(0, i)  # "head of the Ministry"
            else:
                idx.insert(0, i)
                break
        elif low in _STOP and low not in CONNECTORS:
            if idx and _POSSESSIVE.search(toks[idx[0]]) and _is_cap(toks[idx[0]]):
                break  # "warned by London's mayor, Sadiq Khan": a whole noun phrase
            return None  # "sworn in as president, Trump ...": a clause, not a noun phrase
        else:
            idx.insert(0, i)
        i -= 1
    return _finish(s, idx, roles)


def _apposition_after(s: _Sentence, last: int, roles: frozenset[str]) -> tuple[int, int] | None:
    c = last + 1
    if c >= len(s.toks) - 1 or s.toks[c] != ",":
        return None
    idx: list[int] = []
    i = c + 1
    first = s.toks[i]
    if not _is_word(first):
        return None
    low = first.lower()
    if low in _STOP and low not in DETERMINERS and not _is_role(first, roles):
        return None  # ", who ...", ", in an interview ..."
    closed = False
    while i < len(s.toks) and len(idx) <= _MAX_PHRASE:
        t = s.toks[i]
        if t in {",", ";", ".", ":"} or (t == "\u2014"):
            closed = True
            break
        if not _is_word(t):
            return None
        idx.append(i)
        i += 1
    if i >= len(s.toks):
        closed = True
    if not closed:
        return None
    return _finish(s, idx, roles)


def _title_after(s: _Sentence, last: int, roles: frozenset[str]) -> tuple[int, int] | None:
    toks = s.toks
    i = last + 1
    if i >= len(toks):
        return None
    if not (_is_cap(toks[i]) and _is_role(toks[i], roles)):
        return None
    run = [i]
    i += 1
    while i < len(toks):
        if len(run) > _MAX_RUN:
            return None  # far too long for a label (_MAX_PHRASE)
        t = toks[i]
        if _is_cap(t) or (t.lower() in CONNECTORS and i + 1 < len(toks)
                          and _is_cap(toks[i + 1])):
            run.append(i)
            i += 1
        else:
            break
    return _finish(s, run, roles)


#: Role words too generic to stand for one actor as "the <role>" ("the country",
#: "the government", "the officials"); :func:`find_mentions` does not resolve them.
GENERIC_ROLES: frozenset[str] = frozenset({
    "country", "nation", "capital", "power", "superpower", "official", "officials",
    "partner", "partners", "ally", "allies", "government", "administration", "authorities",
    "cabinet", "ministry", "organization", "organisation", "republic", "federation",
    "neighbour", "neighbor", "regime", "junta", "terrorist", "terrorists", "occupier",
    "occupiers", "elect", "prime", "deputy", "predecessor", "successor", "incumbent",
    "candidate", "politician", "diplomat", "hero", "comedian", "puppet", "aggressor", "head",
    "chief", "general", "power", "chair", "kremlin",
})


def _reference_regex(roles: frozenset[str]) -> re.Pattern[str] | None:
    """ "the" + up to two modifiers + a specific singular role word, as whole words."""
    words = sorted((r for r in roles if r not in GENERIC_ROLES), key=lambda w: (-len(w), w))
    if not words:
        return None
    role = "|".join(re.escape(w) for w in words)
    mod = r"(?:[A-Z][\w.\u2019'-]*|[a-z][\w-]*)"
    hyphen = r"(?:[-\u2010\u2011]\w+)*"  # "the president-elect"
    # Python's re, not RE2: the pattern is ours (bounded repeats, no nested ones), and it
    # needs Unicode \b and a look-ahead. "\b[Tt]he" is written "[Tt](?<!\w[Tt])he" (the
    # same matches) so the engine skips to the next T or t instead of trying every position.
    return re.compile(rf"[Tt](?<!\w[Tt])he\s+((?:{mod}\s+){{0,2}}?(?i:{role}){hyphen})\b"
                      r"(?![-\u2010\u2011])")


def _parts(word: str) -> list[str]:
    """Lower-case hyphen-separated parts of a word, possessive removed."""
    return [p for p in re.split(r"[-\u2010\u2011]", _POSSESSIVE.sub("", word.lower())) if p]


def _reference_row(doc_id: object, outlet: object, actor: str, m: re.Match[str],
                   sents: _SentenceIndex) -> dict | None:
    """The find_mentions row of title reference ``m`` resolved to ``actor``."""
    s = sents.at(m.start(1))
    if s is None:
        return None
    return {"doc_id": doc_id, "outlet": outlet, "actor": actor, "surface": m.group(0),
            "label": m.group(1), "label_kind": "title-reference", "start": m.start(),
            "end": m.end(), "label_start": m.start(1), "label_end": m.end(1), "sentence": s.text}


def _title_references(doc_id: object, outlet: object, text: str, mine: list[dict],
                      sents: _SentenceIndex, rx: re.Pattern[str] | None) -> list[dict]:
    """Rows for "the president"-style references in one document (see find_mentions),
    given the document's name mentions ``mine``.

    One pass over the references in text order: the labels before each reference are
    tallied as it is reached, grouped by the set of word parts each label holds (a
    document has few distinct labels), so the time grows with the text, not with the
    number of references times the number of labels.
    """
    if rx is None or not mine:
        return []
    taken = sorted([(r["start"], r["end"]) for r in mine]
                   + [(r["label_start"], r["label_end"]) for r in mine if r["label_start"] >= 0])
    reach = list(accumulate((b for _a, b in taken), max))  # furthest end among taken[:k+1]
    labelled = sorted((r["start"], r["actor"], r["label"]) for r in mine if r["label"])
    # per label part set: how often each actor was so labelled, and the (position, actor)
    # of its first such label, over the labels before the current reference
    tally: dict[frozenset[str], tuple[Counter, dict[str, tuple[int, str]]]] = {}
    done = 0
    out = []
    for m in rx.finditer(text):
        start, end = m.span()
        words = m.group(1).split()
        if any(w.lower() in _STOP_DETERMINERS for w in words[:-1]):
            continue  # "the only president", "the same leader": not a title phrase
        after = text[end:end + 40].lstrip()
        if after[:1].isupper() and not after.startswith(("I ", "The ")):
            continue  # "the President Donald Trump": a label of the name that follows
        k = bisect.bisect_left(taken, (end, -1))
        if k and reach[k - 1] > start:
            continue  # already a mention or a label
        while done < len(labelled) and labelled[done][0] < start:
            pos, actor, label = labelled[done]
            have = frozenset(p for t in _TOKEN.findall(label) for p in _parts(t))
            counts_of, first_of = tally.setdefault(have, (Counter(), {}))
            counts_of[actor] += 1
            first_of.setdefault(actor, (pos, actor))
            done += 1
        want = {p for w in words for p in _parts(w)}
        heads = {p for p in _parts(words[-1]) if p not in GENERIC_ROLES}
        counts: dict[bool, Counter] = {True: Counter(), False: Counter()}
        seen: dict[bool, dict[str, tuple[int, str]]] = {True: {}, False: {}}
        for have, (counts_of, first_of) in tally.items():
            if heads & have:
                whole = want <= have  # True: every word of the title
                counts[whole].update(counts_of)
                for actor, key in first_of.items():
                    if key < seen[whole].get(actor, (len(text) + 1, "")):
                        seen[whole][actor] = key
        whole = bool(counts[True])
        best = counts[whole]
        if not best:
            continue
        first = {a: min(seen[w][a][0] for w in (True, False) if a in seen[w]) for a in best}
        # ties: the one titled first; then the order the labels were met in
        ordered = sorted(best, key=lambda a: seen[whole][a])
        actor = max(ordered, key=lambda a: (best[a], -first[a]))
        row = _reference_row(doc_id, outlet, actor, m, sents)
        if row is not None:
            out.append(row)
    return out


_ALIASES: dict[tuple, list[tuple[str, str, str]]] = {}


def _aliases(actors: pd.DataFrame | str | Path) -> list[tuple[str, str, str]]:
    """``(actor, type, pattern)`` of each row of ``load_actors(actors)``.

    An alias table given as a DataFrame is validated once per content of its three
    columns (:func:`find_mentions` is called once per chunk of a corpus with the same
    table, and validating costs more than reading those columns); a path is read and
    validated each time.
    """
    key = None
    if isinstance(actors, pd.DataFrame) and all(c in actors.columns for c in ALIAS_COLUMNS):
        key = tuple(tuple(actors[c].tolist()) for c in ALIAS_COLUMNS)
        try:
            found = _ALIASES.get(key)
        except (TypeError, ValueError):  # a cell that cannot be hashed or compared
            key = found = None
        if found is not None:
            return found
    table = load_actors(actors)
    rows = list(zip(table["actor"].tolist(), table["type"].tolist(), table["pattern"].tolist()))
    if key is not None:
        if len(_ALIASES) >= 64:
            _ALIASES.clear()
        _ALIASES[key] = rows
    return rows


#: Columns of :func:`find_mentions`, in order.
_MENTION_COLUMNS = ("doc_id", "outlet", "actor", "surface", "label", "label_kind", "start", "end",
                    "label_start", "label_end", "sentence")


def _mention_frame(rows: list[tuple]) -> pd.DataFrame:
    """The rows as :func:`find_mentions`'s frame: string columns (``<NA>`` for None) and
    int64 offsets, built column by column from object arrays."""
    columns = list(zip(*rows)) if rows else [()] * len(_MENTION_COLUMNS)
    data: dict[str, pd.Series | np.ndarray] = {}
    for name, values in zip(_MENTION_COLUMNS, columns):
        if name in ("start", "end", "label_start", "label_end"):
            data[name] = np.array(values, dtype=np.int64)
        else:
            objects = np.empty(len(values), dtype=object)
            objects[:] = values
            data[name] = pd.Series(objects, dtype="string", copy=False)
    return pd.DataFrame(data, copy=False)


def _matches(offsets: CharOffsets, n_chars: int,
             patterns: Sequence[tuple[str, str, WordPattern]]) -> list[tuple[int, str, int, bool]]:
    """Every whole-word match of each ``(actor, type, pattern)`` in the text of
    ``offsets``, as ``(start, actor, end, person)`` in characters, sorted by start then
    actor (the order of :func:`find_mentions`'s rows within a document)."""
    data = offsets.data
    found: list[tuple[int, str, int, bool]] = []
    for actor, kind_of_actor, rx in patterns:
        person = kind_of_actor == "person"
        found.extend([(a, actor, b, person) for a, b in rx.spans(data)])
    found.sort()  # starts differ within one pattern, actors across patterns
    if len(data) == n_chars:  # ASCII: byte offsets are character offsets
        return found
    # byte offsets to character offsets in one walk over the starts, in order: the
    # characters before each start are those before the previous one plus the ones
    # decoded between the two (every match starts and ends on a character boundary)
    chars: list[tuple[int, str, int, bool]] = []
    byte = char = 0
    for a, actor, b, person in found:
        char += len(data[byte:a].decode("utf-8"))
        byte = a
        surface = data[a:b]
        chars.append((char, actor, char + (b - a if surface.isascii() else len(surface.decode("utf-8"))),
                      person))
    return chars


def _label(s: _Sentence, first: int, last: int, roles: frozenset[str],
           person: bool) -> tuple[tuple[int, int] | None, str | None]:
    """The label of the mention made of tokens ``first..last`` of ``s`` and its kind:
    the first of the four rules that finds one (``(None, None)`` when none does)."""
    span = _pre_modifier(s, first, roles)
    if span is not None:
        return span, "pre-modifier"
    span = _apposition_before(s, first, roles)
    if span is not None:
        return span, "apposition-before"
    if _POSSESSIVE.search(s.toks[last]):
        return None, None  # "Trump's Cabinet": what follows is his, not him
    s.tokenise()  # the rules after the name read the rest of the sentence
    span = _apposition_after(s, last, roles)
    if span is not None:
        return span, "apposition-after"
    if person:  # "NATO Secretary General ..." names someone else
        span = _title_after(s, last, roles)
        if span is not None:
            return span, "title-after"
    return None, None


def find_mentions(corpus: pd.DataFrame, actors: pd.DataFrame | str | Path, *,
                  text_col: str = "text", label_col: str = "outlet",
                  role_words: Iterable[str] | None = None,
                  resolve_titles: bool = False) -> pd.DataFrame:
    """Every actor mention in every document, with its label and sentence.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per document: ``doc_id`` (or the index), ``text_col``, ``label_col``.
    actors : DataFrame or path
        Alias table, validated by :func:`load_actors`.
    text_col : str, default "text"
        Cleaned text; offsets refer to it.
    label_col : str, default "outlet"
        Outlet name column (copied to ``outlet``).
    role_words : iterable of str, optional
        Replaces :data:`ROLE_WORDS` (lower-case title/role nouns that make a phrase
        a label).
    resolve_titles : bool, default False
        Also report *title references*: a definite title without a name ("the
        president", "the Russian leader", "the alliance": "the", up to two
        modifiers, a singular role word of ``role_words`` other than
        :data:`GENERIC_ROLES`, no capitalised name right after it) is a mention of
        the actor this document earlier labelled with that role word ("President
        Trump" ... "the president"), preferring labels holding every word of the
        title ("the French president" -> "French President Emmanuel Macron"); when
        several actors qualify, the one so labelled most often, then the one so
        labelled first (news reports open with their main actor). Such rows have ``label_kind`` "title-reference",
        ``surface`` the phrase and ``label`` the phrase without its article. A title
        whose role word labelled no actor before it is left out.

    Returns
    -------
    pandas.DataFrame
        One row per mention, sorted by doc_id and start: ``doc_id``, ``outlet``,
        ``actor``, ``surface`` (the matched text), ``label`` (descriptive words the
        outlet attaches, ``<NA>`` when none), ``label_kind`` (pre-modifier,
        apposition-before, apposition-after, title-after; title-reference), ``start``,
        ``end`` (of the mention), ``label_start``, ``label_end`` (-1 when no label),
        ``sentence``. Actors never mentioned have no row: pass the alias table's
        actors to :func:`label_matrix` (``actors=``) to show them.

    Notes
    -----
    The patterns are matched by RE2 (:class:`framelens.patterns.WordPattern`), in
    time linear in the text whatever the pattern: ``(a+)+$`` in an alias table runs
    in milliseconds, a look-around is rejected by :func:`load_actors`. One
    ``re2.Set`` pass over a document tells which patterns occur in it at all; only
    those are searched. Only paragraphs holding a mention are split into sentences
    and tokenised (line breaks are hard sentence breaks, so the sentences are those
    of :func:`framelens.text.sentence_spans` on the whole text), and a sentence is
    tokenised only when the tokens next to one of its mentions, read from the
    characters around it, allow a label (each rule's first steps are checked there:
    about one mention in eight on news articles).
    The time per mention does not grow with the text (a 2 MB article on one line:
    ``benchmarks/RESULTS.md``).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ["It would show the illegitimate Russian president, Vladimir Putin, "
    ...              "that Russian dictator Putin failed."]})
    >>> t = pd.DataFrame({"actor": ["Putin"], "type": ["person"],
    ...                   "pattern": [r"(?:Vladimir\\s+)?Putin"]})
    >>> find_mentions(df, t)[["surface", "label", "label_kind"]].to_dict("records")
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'surface': 'Vladimir Putin', 'label': 'illegitimate Russian president',
      'label_kind': 'apposition-before'},
     {'surface': 'Putin', 'label': 'Russian dictator', 'label_kind': 'pre-modifier'}]
    """
    aliases = _aliases(actors)
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    roles = ROLE_WORDS if role_words is None else frozenset(w.lower() for w in role_words)
    rxs = [(a, str(t).strip().lower(), WordPattern.cached(p, where=f"alias table, actor {a!r}"))
           for a, t, p in aliases]
    gate = PatternSet.cached([rx.gate for _, _, rx in rxs])
    refs = _reference_regex(roles) if resolve_titles else None
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    outlets, texts = corpus[label_col].tolist(), corpus[text_col].tolist()
    for doc_id, text in zip(ids, texts):
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: {text_col!r} is not a string ({text!r:.40}); "
                             "fill or drop documents without text first")
    # the rows of each document come sorted by start then actor; documents with distinct
    # string ids are visited in id order, so the rows need no sorting afterwards
    in_order = all(type(d) is str for d in ids) and len(set(ids)) == len(ids)
    order = sorted(range(len(ids)), key=ids.__getitem__) if in_order else range(len(ids))
    rows: list[tuple] = []  # one tuple per mention, in _MENTION_COLUMNS order
    for d in order:
        doc_id, outlet, text = ids[d], outlets[d], texts[d]
        offsets = CharOffsets(text)  # RE2 matches the UTF-8 bytes
        present = gate.present(offsets.data)
        if not present:
            continue  # no pattern occurs in this document: no mention, no title reference
        found = _matches(offsets, len(text), [rxs[i] for i in sorted(present)])
        if not found:
            continue
        sents = _SentenceIndex(text)  # split into sentences only where a name occurs
        first_row = len(rows)
        for (start, actor, end, person), s in zip(found, sents.each([f[0] for f in found])):
            if s is None:
                continue
            label, kind = None, None
            if _may_have_label(s, start, end, roles, person):
                # the rules before the name read no further than the end of its chunk
                space = _WHITE.search(s.text, end - s.offset)
                s.tokenise(None if space is None else space.start())
                first = bisect.bisect_right(s.ends, start)    # tokens overlapping the
                last = bisect.bisect_left(s.starts, end) - 1  # match, possessive too
                if first <= last:
                    label, kind = _label(s, first, last, roles, person)
            if label is None:
                rows.append((doc_id, outlet, actor, text[start:end], None, None, start, end,
                             -1, -1, s.text))
            else:
                rows.append((doc_id, outlet, actor, text[start:end], text[label[0]:label[1]],
                             kind, start, end, label[0], label[1], s.text))
        if resolve_titles:
            mine = [dict(zip(_MENTION_COLUMNS, row)) for row in rows[first_row:]]
            found_refs = _title_references(doc_id, outlet, text, mine, sents, refs)
            if found_refs:  # among the document's rows by start, then actor
                rows.extend(tuple(ref[c] for c in _MENTION_COLUMNS) for ref in found_refs)
                rows[first_row:] = sorted(rows[first_row:], key=lambda r: (r[6], r[2]))
    out = _mention_frame(rows)
    if not in_order:  # sorted by doc_id (stable): documents with the same id keep their order
        out = out.sort_values(["doc_id", "start", "actor"], kind="mergesort").reset_index(drop=True)
    return out


def label_counts(mentions: pd.DataFrame) -> pd.DataFrame:
    """How often each outlet attaches each label to each actor.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`find_mentions`.

    Returns
    -------
    pandas.DataFrame
        Columns ``actor``, ``outlet``, ``label``, ``count``, ``example`` (the first
        sentence carrying the label); labelled mentions only; sorted by actor,
        outlet, count descending, label.

    Examples
    --------
    >>> m = pd.DataFrame({"actor": ["P", "P", "P"], "outlet": ["A", "A", "B"],
    ...                   "label": ["dictator", "dictator", None], "sentence": ["s1", "s2", "s3"]})
    >>> label_counts(m)[["actor", "outlet", "label", "count"]].to_dict("records")
    [{'actor': 'P', 'outlet': 'A', 'label': 'dictator', 'count': 2}]
    """
    for col in ("actor", "outlet", "label", "sentence"):
        if col not in mentions.columns:
            raise ValueError(f"mentions lacks column {col!r}; pass the output of find_mentions()")
    lab = mentions[mentions["label"].notna()]
    g = lab.groupby(["actor", "outlet", "label"], sort=True)
    out = g.size().rename("count").reset_index()
    out["example"] = g["sentence"].first().to_numpy()
    out = out.astype({"count": "int64"})
    out = out.sort_values(["actor", "outlet", "count", "label"],
                          ascending=[True, True, False, True], kind="mergesort")
    return out.reset_index(drop=True)


def loaded_labels(mentions: pd.DataFrame, hits: pd.DataFrame, *,
                  registers: Iterable[str] = ("delegitimising", "legitimising")) -> pd.DataFrame:
    """Which mentions carry a loaded label: a lexicon hit of ``registers`` inside the label.

    A mention's label (:func:`find_mentions`: ``label_start``, ``label_end``) is
    *loaded* when a hit of :func:`framelens.lexicon.lexicon_hits` in one of
    ``registers`` lies wholly inside it in the same document ("Russian *dictator*
    Putin", "the *illegitimate* Russian president"). The default registers are the
    ones the one-event page marks as loaded labels: the general sentiment words
    (``negative``, ``positive``) would make "President-*elect*" or "*wealthy*
    businessman" loaded.

    Parameters
    ----------
    mentions : pandas.DataFrame
        ``doc_id``, ``label_start``, ``label_end`` (-1 when no label).
    hits : pandas.DataFrame
        ``doc_id``, ``start``, ``end``, ``register``, ``match``; hits do not overlap
        (as :func:`framelens.lexicon.lexicon_hits` gives them).

    Returns
    -------
    pandas.DataFrame
        ``mentions`` with ``labelled`` (bool: the mention has a label) and
        ``loaded_term`` (the first such hit's matched words; ``""`` when none).

    Examples
    --------
    >>> m = pd.DataFrame({"doc_id": ["a", "a", "b"], "label_start": [0, -1, 0], "label_end": [16, -1, 9]})
    >>> h = pd.DataFrame({"doc_id": ["a", "b"], "start": [8, 20], "end": [16, 27],
    ...                   "register": ["delegitimising", "negative"], "match": ["dictator", "brutal"]})
    >>> loaded_labels(m, h)[["labelled", "loaded_term"]].values.tolist()
    [[True, 'dictator'], [False, ''], [True, '']]
    """
    for col in ("doc_id", "label_start", "label_end"):
        if col not in mentions.columns:
            raise ValueError(f"mentions lacks column {col!r}; pass the output of find_mentions()")
    for col in ("doc_id", "start", "end", "register", "match"):
        if col not in hits.columns:
            raise ValueError(f"hits lacks column {col!r}; pass the output of lexicon_hits()")
    keep = hits[hits["register"].astype(str).isin(set(registers))]
    docs, codes = np.unique(np.concatenate([keep["doc_id"].astype(str).to_numpy(dtype=object),
                                            mentions["doc_id"].astype(str).to_numpy(dtype=object)]),
                            return_inverse=True)
    h_doc, m_doc = codes[:len(keep)].astype(np.int64), codes[len(keep):].astype(np.int64)
    # one sorted key (document, start) for the hits: the first hit at or after a label's
    # start is the only one that can lie inside it first (hits do not overlap)
    h_key = (h_doc << 32) + keep["start"].to_numpy(dtype=np.int64)
    order = np.argsort(h_key, kind="stable")
    h_key, h_doc = h_key[order], h_doc[order]
    h_end = keep["end"].to_numpy(dtype=np.int64)[order]
    h_match = keep["match"].astype(str).to_numpy(dtype=object)[order]
    ls = mentions["label_start"].to_numpy(dtype=np.int64)
    le = mentions["label_end"].to_numpy(dtype=np.int64)
    labelled = ls >= 0
    i = np.searchsorted(h_key, (m_doc << 32) + np.maximum(ls, 0), side="left")
    j = np.minimum(i, max(len(h_key) - 1, 0))
    inside = labelled & (i < len(h_key))
    if len(h_key):
        inside &= (h_doc[j] == m_doc) & (h_end[j] <= le)
    term = np.where(inside, h_match[j] if len(h_key) else "", "")
    return mentions.assign(labelled=labelled, loaded_term=term.astype(object))


def label_matrix(mentions: pd.DataFrame, *, actors: Sequence[str] | None = None,
                 outlets: Sequence[str] | None = None, show_unlabelled: bool = False
                 ) -> pd.DataFrame:
    """Actor x outlet table of labels with counts, e.g. ``"Russian President (2)"``.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`find_mentions`.
    actors, outlets : list of str, optional
        Rows and columns, in this order (e.g. every actor of the alias table and
        every outlet of the corpus); default those present in ``mentions``. An actor
        never mentioned gets a row of empty strings.
    show_unlabelled : bool, default False
        Append "+ n bare" to each cell: mentions without a label.

    Returns
    -------
    pandas.DataFrame
        Index ``actor``, columns ``outlet``; each cell "label (count)" joined by
        "; ", most frequent first; "" where the outlet labels the actor nowhere.

    Examples
    --------
    >>> m = pd.DataFrame({"actor": ["P", "P", "P"], "outlet": ["A", "A", "B"],
    ...                   "label": ["dictator", "dictator", None], "sentence": ["s1", "s2", "s3"]})
    >>> label_matrix(m, actors=["P", "Q"], outlets=["A", "B"]).to_dict("index")
    {'P': {'A': 'dictator (2)', 'B': ''}, 'Q': {'A': '', 'B': ''}}
    """
    counts = label_counts(mentions)
    actors = list(actors if actors is not None else sorted(mentions["actor"].dropna().unique()))
    outlets = list(outlets if outlets is not None else sorted(mentions["outlet"].dropna().unique()))
    cells = {(a, o): [] for a in actors for o in outlets}
    for r in counts.itertuples(index=False):
        if (r.actor, r.outlet) in cells:
            cells[(r.actor, r.outlet)].append(f"{r.label} ({r.count})")
    bare = Counter()
    if show_unlabelled:
        for a, o in mentions.loc[mentions["label"].isna(), ["actor", "outlet"]].itertuples(
                index=False):
            bare[(a, o)] += 1
    data = {}
    for o in outlets:
        col = []
        for a in actors:
            text = "; ".join(cells[(a, o)])
            if show_unlabelled and bare[(a, o)]:
                text = (text + "; " if text else "") + f"+ {bare[(a, o)]} bare"
            col.append(text)
        data[o] = col
    out = pd.DataFrame(data, index=pd.Index(actors, name="actor"), dtype="string")
    out.columns.name = "outlet"
    return out


# --------------------------------------------------------------------------- proposals
_NAME_SEQ = re.compile(r"[A-Z][\w\u2019'-]*(?:[ \t]+[A-Z][\w\u2019'-]*)*")


#: Weekday and month names and their abbreviations: dates, never actors.
CALENDAR_WORDS: frozenset[str] = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
})
_TITLE_BEFORE = re.compile(r"\b([A-Z][a-z]{1,4})\.?[ \t]+$")
_CONTRACTION = re.compile(r"['\u2019](?:m|re|ve|ll|d)$|n['\u2019]t$", re.IGNORECASE)
_AFTER_TITLE = "\x00title"  # marker: the run follows an honorific such as "Mrs."
#: Words that never continue a first name, even capitalised in a headline.
_FUNCTION_WORDS = frozenset({"and", "or", "but", "of", "the", "a", "an", "in", "on", "to", "for",
                             "with", "at", "by", "from", "as", "is", "are", "was", "were", "be",
                             "will", "would", "says", "said", "has", "have", "had", "not"})
#: Endings that make a country or group name an adjective or demonym:
#: Russia -> Russian, Iran -> Iranian, Japan -> Japanese, Israel -> Israeli,
#: Mexico -> Mexican (final vowel replaced), Democrat -> Democratic.
_DEMONYM_ENDINGS = ("n", "an", "ian", "ese", "i", "ic", "ish")


def _demonym_of(word: str, names: set[str]) -> str | None:
    """The name ``word`` is an adjective of, if any ("Ukrainian" -> "Ukraine")."""
    for end in _DEMONYM_ENDINGS:
        if not word.endswith(end) or len(word) <= len(end) + 2:
            continue
        stem = word[:-len(end)]
        for cand in (stem, stem + "a", stem + "e", stem + "o", stem + "s", stem + "y"):
            if cand != word and cand in names:
                return cand
    return None


def _split_first_names(groups: dict[str, list[str]], surface: Counter, *,
                       max_distance: float) -> dict[str, list[str]]:
    """Split a last-word group whose multi-word forms open with different words:
    "North Korea" and "South Korea", "Donald Trump" and "Melania Trump" name different
    actors. Forms are clustered by their first word (spelling variants together:
    "Andrii"/"Andrij Sybiha"); the cluster mentioned most keeps the one-word forms
    ("Trump"), every other cluster becomes a group of its own."""
    from framelens.spelling import same_name

    out: dict[str, list[str]] = {}
    for head, forms in groups.items():
        clusters: list[list[str]] = []
        single = [f for f in forms if " " not in f]
        for f in sorted((f for f in forms if " " in f), key=lambda f: (-surface[f], f)):
            first = f.split()[0]
            for c in clusters:
                if same_name(first, c[0].split()[0], max_distance=max_distance):
                    c.append(f)
                    break
            else:
                clusters.append([f])
        if len(clusters) <= 1:
            out[head] = list(forms)
            continue
        clusters.sort(key=lambda c: (-sum(surface[f] for f in c), c))
        out[head] = clusters[0] + single
        for c in clusters[1:]:
            out[f"{head}\x00{c[0]}"] = c
    return out


def _merge_and_drop(groups: dict[str, list[str]], surface: Counter) -> dict[str, list[str]]:
    """Two clean-ups of name groups (head word -> surface forms).

    * A group of one-word forms whose word opens the multi-word forms of exactly one
      other group joins it: "Xi" -> "Xi Jinping", "North" -> "North
      Korea" (grouping by last word alone keeps them apart); so does a word that opens
      the forms of several groups that are spellings of one name ("Moon" -> "Moon
      Jae-in" and "Moon Jae") or that it outnumbers ("Kim" -> "Kim Jong Un" and
      "Kim Jong-il"; not "United" -> "United States" and "United Nations").
    * A group whose head is an adjective of another name found ("Russian" of "Russia",
      "North Korean" of "North Korea", :data:`_DEMONYM_ENDINGS`) is dropped: it
      qualifies an actor rather than naming one.
    """
    names = {w for fs in groups.values() for f in fs for w in f.split()}
    names |= {w[:-1] for w in names if w.endswith("s")}
    out = {h: list(f) for h, f in groups.items()
           if _demonym_of(h.split("\x00")[0], names) is None}
    for head, forms in sorted(out.items()):
        words = {w for f in forms for w in f.split()}
        if len(words) != 1:
            continue
        word = next(iter(words))
        hosts = [h for h, fs in out.items() if h != head
                 and any(word == f.split()[0] for f in fs if " " in f)]
        if head not in out or not hosts:
            continue
        if len(hosts) == 1:
            out[hosts[0]].extend(out.pop(head))
        elif (all(f.split()[0] == word for h in hosts for f in out[h] if " " in f)
              and (len({re.split(r"[-\u2010\u2011]", f.split()[1])[0]
                        for h in hosts for f in out[h] if " " in f}) == 1
                   or surface[word] >= sum(surface[f] for h in hosts for f in out[h]))):
            merged = out.pop(head)
            for h in hosts:
                merged.extend(out.pop(h))
            out[head] = merged
    return out


def propose_actors(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                   min_count: int = 2, max_distance: float = 0.34,
                   role_words: Iterable[str] | None = None) -> pd.DataFrame:
    """Candidate actors for a corpus without an alias table, for a researcher to confirm.

    Method (each rule measured on NewsWCL50, ``benchmarks/ACTORS.md``):

    1. Runs of capitalised words, cut after a possessive ("Russia's Kursk" ->
       "Russia" | "Kursk"), are split at role/title words ("President"), honorifics
       (``Mr``, ``Mrs``, ``Dr``; :data:`framelens.text.TITLES`), weekday and month
       names (:data:`CALENDAR_WORDS`) and words that are also written in lower case
       in the corpus (sentence-initial "The", "According"); contractions ("I'm") are
       never names. Three exceptions keep a word that is also a common word: right
       after a first name (a word that only ever opens a longer run: "Theresa May"),
       right after an honorific ("Mrs. May"), and opening a name when the same
       capitalised pair occurs at least twice ("New York", "Middle East").
    2. A run is split after a prefix that stands alone as a name more often than the
       whole run occurs, when the rest also stands alone ("Ukraine NATO membership"
       -> "Ukraine" | "NATO"; "Kim Jong Un" and "North Korea" stay whole).
    3. Sequences are grouped when their last words are spelling variants of each
       other (:func:`framelens.spelling.same_name`: transliteration key plus
       normalised edit distance, compared only within one key), so "Vladimir Putin"
       and "Putin", or "Andrii Sybiha" and "Andrij Sybiha" and "Sybiga", form one
       candidate; but multi-word forms opening with different words stay apart
       ("North Korea" | "South Korea", "Donald Trump" | "Melania Trump"), the bare
       last word going to the most frequent, with a guard so that it does not match
       inside the others.
    4. Adjectives of names found are dropped ("Russian", "North Korean" when "Russia",
       "North Korea" are found); a one-word group joins the group whose names it
       opens ("Xi" -> "Xi Jinping", "North" -> "North Korea", "Kim" -> "Kim Jong
       Un").

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus with ``text_col`` and ``label_col``.
    text_col, label_col : str
        Columns of text and outlet.
    min_count : int, default 2
        Keep candidates mentioned at least this often in total.
    max_distance : float, default 0.34
        Largest normalised edit distance between folded spellings grouped together.
    role_words : iterable of str, optional
        Title words stripped from the front (default :data:`ROLE_WORDS`).

    Returns
    -------
    pandas.DataFrame
        Columns ``actor`` (suggested id: the most frequent last word), ``count``,
        ``n_docs``, ``outlets`` ("; "-joined), ``variants`` (surface forms with
        counts), ``pattern`` (a regular expression for the alias table); sorted by
        count descending then actor.

    Examples
    --------
    >>> df = pd.DataFrame({"outlet": ["A", "B"], "text": [
    ...     "Russian President Vladimir Putin spoke. Then Putin left.",
    ...     "The talks ended. Putin said then the talks ended."]})
    >>> propose_actors(df)[["actor", "count", "variants"]].to_dict("records")
    [{'actor': 'Putin', 'count': 3, 'variants': 'Putin (2); Vladimir Putin (1)'}]
    """
    from framelens.spelling import name_key, same_name

    if min_count < 1:
        raise ValueError(f"min_count must be >= 1, got {min_count!r}")
    roles = ROLE_WORDS if role_words is None else frozenset(w.lower() for w in role_words)
    texts = corpus[text_col].tolist()
    labels = corpus[label_col].astype(str).tolist()
    lower_seen: set[str] = set()
    for t in texts:
        lower_seen.update(w for w in re.findall(r"\b[a-z][\w'-]*", t))
    runs: list[list[list[str]]] = []  # per document, runs of capitalised words
    after_title: set[tuple[int, int]] = set()  # (doc, run) right after "Mr.", "Mrs." ...
    for d, t in enumerate(texts):
        doc_runs = []
        for m in _NAME_SEQ.finditer(t):
            before = _TITLE_BEFORE.search(t, max(0, m.start() - 12), m.start())
            if before is not None and before.group(1).lower() in TITLES:
                after_title.add((d, len(doc_runs)))
            toks: list[str] = []
            for w in m.group(0).split():
                toks.append(_POSSESSIVE.sub("", w).rstrip("'\u2019"))
                if _POSSESSIVE.search(w):  # "Russia's Kursk": two names
                    doc_runs.append(toks)
                    toks = []
            if toks:
                doc_runs.append(toks)
        runs.append(doc_runs)
    # first names: words that only ever open a longer capitalised run ("Theresa" of
    # "Theresa May"); after one, a word also written in lower case is still a name
    followed: Counter = Counter()
    last_of_run: set[str] = set()
    for doc_runs in runs:
        for toks in doc_runs:
            followed.update(toks[:-1])
            last_of_run.add(toks[-1])
    first_names = {w for w in followed if w not in last_of_run}

    def plain_name(w: str) -> bool:
        low = w.lower()
        return (bool(w) and not _is_role(w, roles) and low not in TITLES
                and low not in lower_seen and low not in _STOP and low not in CALENDAR_WORDS
                and not _CONTRACTION.search(w))

    # "New York", "Middle East", "Justice Department": a common word opening a name,
    # kept when the same capitalised pair recurs
    pairs: Counter = Counter()
    for doc_runs in runs:
        for toks in doc_runs:
            for a, b in zip(toks, toks[1:]):
                low = a.lower()
                if (low in lower_seen and low not in _STOP | _FUNCTION_WORDS | CALENDAR_WORDS
                        and not _is_role(a, roles) and plain_name(b)):
                    pairs[(a, b)] += 1
    name_pairs = {p for p, n in pairs.items() if n >= 2}

    def is_name(w: str, prev: str | None, nxt: str) -> bool:
        low = w.lower()
        if not w or _is_role(w, roles) or low in TITLES:
            return False  # "President", "Mr" (of "Mr."): titles split a run
        if (prev == _AFTER_TITLE or prev in first_names) and low not in _FUNCTION_WORDS:
            return True   # "Theresa May" although "may" is a common word
        if prev is None and (w, nxt) in name_pairs:
            return True
        return plain_name(w)

    found: list[tuple[str, int, str]] = []
    for d, (doc_runs, lab) in enumerate(zip(runs, labels)):
        for r, toks in enumerate(doc_runs):
            # split at ordinary words and titles: "Russian President Vladimir Putin"
            # -> "Russian" | "Vladimir Putin"
            segment: list[str] = []
            padded = toks + ["", ""]
            for i, w in enumerate(toks + [""]):
                prev = segment[-1] if segment else None
                if i == 0 and (d, r) in after_title:
                    prev = _AFTER_TITLE  # "Mrs. May": a surname follows an honorific
                if is_name(w, prev, padded[i + 1]):
                    segment.append(w)
                    continue
                if segment and not (len(segment) == 1 and len(segment[0]) < 2):
                    found.append((" ".join(segment), d, lab))
                segment = []
    # "Ukraine NATO membership": split a sequence after a prefix that stands alone as
    # a name more often than the whole sequence occurs, when the rest stands alone too
    # ("Vladimir" never stands alone, so "Vladimir Putin" stays whole; "Jong Un" never
    # does, so "Kim Jong Un" stays whole although "Kim" often stands alone)
    whole = Counter(s for s, _, _ in found)
    split: list[tuple[str, int, str]] = []
    for s, d, lab in found:
        parts = s.split()
        start = 0
        for k in range(1, len(parts)):
            prefix = " ".join(parts[start:k])
            rest = " ".join(parts[k:])
            if whole[prefix] > whole[s] and rest in whole:  # "United States" | "Donald Trump"
                split.append((prefix, d, lab))
                start = k
        split.append((" ".join(parts[start:]), d, lab))
    found = split
    surface = Counter(s for s, _, _ in found)
    lasts: dict[str, list[str]] = {}  # name_key -> heads; only equal keys can match
    for s, _ in surface.most_common():
        last = s.split()[-1]
        bucket = lasts.setdefault(name_key(last), [])
        if not any(same_name(last, other, max_distance=max_distance) for other in bucket):
            bucket.append(last)
    groups: dict[str, list[str]] = {}
    for s in surface:
        last = s.split()[-1]
        head = next(o for o in lasts[name_key(last)]
                    if same_name(last, o, max_distance=max_distance))
        groups.setdefault(head, []).append(s)
    groups = _split_first_names(groups, surface, max_distance=max_distance)
    groups = _merge_and_drop(groups, surface)
    by_form: dict[str, list[tuple[int, str]]] = {}
    for s, d, lab in found:
        by_form.setdefault(s, []).append((d, lab))
    rows = []
    used: set[str] = set()
    for forms in sorted(groups.values(), key=lambda fs: (-sum(surface[f] for f in fs), fs)):
        hits = [h for f in forms for h in by_form[f]]
        count = len(hits)
        if count < min_count:
            continue
        ordered = sorted(forms, key=lambda f: (-surface[f], f))
        last_counts = Counter()
        for f in forms:
            last_counts[f.split()[-1]] += surface[f]
        actor = sorted(last_counts, key=lambda w: (-last_counts[w], w))[0]
        if actor in used:  # "South Korea" after "North Korea" took "Korea"
            actor = ordered[0]
        used.add(actor)
        # a bare "Trump" must not match inside "Melania Trump", another group's name
        others = {f.split()[-2] for fs in groups.values() if fs is not forms
                  for f in fs if len(f.split()) > 1}
        alts = []
        for f in sorted(forms, key=lambda f: (-len(f), f)):
            guard = ""
            if " " not in f:
                guard = "".join(f"(?<!{re.escape(o.split()[-1])} )" for o in sorted(
                    {g.split()[-2] for fs in groups.values() if fs is not forms for g in fs
                     if len(g.split()) > 1 and g.split()[-1] == f} & others))
            alts.append(guard + re.escape(f).replace(r"\ ", r"\s+"))
        pattern = "|".join(alts)
        rows.append({"actor": actor, "count": count, "n_docs": len({d for d, _ in hits}),
                     "outlets": "; ".join(sorted({lab for _, lab in hits})),
                     "variants": "; ".join(f"{f} ({surface[f]})" for f in ordered),
                     "pattern": pattern})
    out = pd.DataFrame(rows, columns=["actor", "count", "n_docs", "outlets", "variants",
                                      "pattern"])
    out = out.astype({"count": "int64", "n_docs": "int64"})
    return out.sort_values(["count", "actor"], ascending=[False, True],
                           kind="mergesort").reset_index(drop=True)


def actors_or_proposed(corpus: pd.DataFrame, folder: str | Path, *, min_count: int = 3,
                       text_col: str = "text", label_col: str = "outlet") -> tuple[pd.DataFrame, str]:
    """The corpus's alias table ``FOLDER/actors.csv``, or proposed actors when there is none.

    Lets one notebook run on any corpus folder: with an ``actors.csv`` it is read
    with :func:`load_actors`; without one, :func:`propose_actors` candidates (at
    least ``min_count`` mentions) become the table, with ``type`` "proposed". The
    note returned with it says which happened, in words fit for a report.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus (used only when proposing).
    folder : str or Path
        Corpus folder that may hold ``actors.csv``.
    min_count : int, default 3
        Passed to :func:`propose_actors`.
    text_col, label_col : str
        Columns of text and outlet.

    Returns
    -------
    table : pandas.DataFrame
        Columns ``actor``, ``type``, ``pattern`` (and ``note`` when read).
    note : str
        Which alias table was used.

    Examples
    --------
    >>> import tempfile
    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...                   "text": ["Putin spoke. Putin left.", "Putin came. NATO met."]})
    >>> t, note = actors_or_proposed(c, tempfile.mkdtemp())
    >>> t[["actor", "type"]].values.tolist(), note.startswith("No actors.csv")
    ([['Putin', 'proposed']], True)
    """
    path = Path(folder) / "actors.csv"
    if path.is_file():
        table = load_actors(path)
        return table, f"Actors from the corpus's alias table actors.csv ({len(table)} actors)."
    proposed = propose_actors(corpus, text_col=text_col, label_col=label_col, min_count=min_count)
    table = pd.DataFrame({"actor": proposed["actor"].astype(str), "type": "proposed",
                          "pattern": proposed["pattern"].astype(str)})
    table = table.drop_duplicates("actor").reset_index(drop=True)
    return table, (f"No actors.csv in the corpus folder: using {len(table)} proposed actors "
                   f"(propose_actors, min_count={min_count}); write actors.csv to fix them.")
