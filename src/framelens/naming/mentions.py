"""Every actor mention in a corpus with its label and sentence, and the title references
("the president") resolved to the actor a document labelled so.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import accumulate
from pathlib import Path

import numpy as np
import pandas as pd

from framelens.naming.rules import find_label, may_have_label
from framelens.naming.sentences import SentenceIndex
from framelens.naming.tables import ALIAS_COLUMNS, load_actors
from framelens.naming.words import POSSESSIVE, ROLE_WORDS, STOP_DETERMINERS, TOKEN, WHITE
from framelens.patterns import CharOffsets, PatternSet, WordPattern

__all__ = ["GENERIC_ROLES", "find_mentions", "word_parts", "reference_row"]

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


def word_parts(word: str) -> list[str]:
    """Lower-case hyphen-separated parts of a word, possessive removed."""
    return [p for p in re.split(r"[-\u2010\u2011]", POSSESSIVE.sub("", word.lower())) if p]


def reference_row(doc_id: object, outlet: object, actor: str, m: re.Match[str],
                  sents: SentenceIndex) -> dict | None:
    """The find_mentions row of title reference ``m`` resolved to ``actor``."""
    s = sents.at(m.start(1))
    if s is None:
        return None
    return {"doc_id": doc_id, "outlet": outlet, "actor": actor, "surface": m.group(0),
            "label": m.group(1), "label_kind": "title-reference", "start": m.start(),
            "end": m.end(), "label_start": m.start(1), "label_end": m.end(1), "sentence": s.text}


def _title_references(doc_id: object, outlet: object, text: str, mine: list[dict],
                      sents: SentenceIndex, rx: re.Pattern[str] | None) -> list[dict]:
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
        if any(w.lower() in STOP_DETERMINERS for w in words[:-1]):
            continue  # "the only president", "the same leader": not a title phrase
        after = text[end:end + 40].lstrip()
        if after[:1].isupper() and not after.startswith(("I ", "The ")):
            continue  # "the President Donald Trump": a label of the name that follows
        k = bisect.bisect_left(taken, (end, -1))
        if k and reach[k - 1] > start:
            continue  # already a mention or a label
        while done < len(labelled) and labelled[done][0] < start:
            pos, actor, label = labelled[done]
            have = frozenset(p for t in TOKEN.findall(label) for p in word_parts(t))
            counts_of, first_of = tally.setdefault(have, (Counter(), {}))
            counts_of[actor] += 1
            first_of.setdefault(actor, (pos, actor))
            done += 1
        want = {p for w in words for p in word_parts(w)}
        heads = {p for p in word_parts(words[-1]) if p not in GENERIC_ROLES}
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
        row = reference_row(doc_id, outlet, actor, m, sents)
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
        Alias table, validated by :func:`~framelens.naming.tables.load_actors`.
    text_col : str, default "text"
        Cleaned text; offsets refer to it.
    label_col : str, default "outlet"
        Outlet name column (copied to ``outlet``).
    role_words : iterable of str, optional
        Replaces :data:`~framelens.naming.words.ROLE_WORDS` (lower-case title/role nouns
        that make a phrase a label).
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
        actors to :func:`~framelens.naming.labels.label_matrix` (``actors=``) to show them.

    Notes
    -----
    The patterns are matched by RE2 (:class:`framelens.patterns.WordPattern`), in
    time linear in the text whatever the pattern: ``(a+)+$`` in an alias table runs
    in milliseconds, a look-around is rejected by :func:`~framelens.naming.tables.load_actors`. One
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
        sents = SentenceIndex(text)  # split into sentences only where a name occurs
        first_row = len(rows)
        for (start, actor, end, person), s in zip(found, sents.each([f[0] for f in found])):
            if s is None:
                continue
            label, kind = None, None
            if may_have_label(s, start, end, roles, person):
                # the rules before the name read no further than the end of its chunk
                space = WHITE.search(s.text, end - s.offset)
                s.tokenise(None if space is None else space.start())
                first = bisect.bisect_right(s.ends, start)    # tokens overlapping the
                last = bisect.bisect_left(s.starts, end) - 1  # match, possessive too
                if first <= last:
                    label, kind = find_label(s, first, last, roles, person)
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
