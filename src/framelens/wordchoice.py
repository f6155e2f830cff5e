"""Word choice within a story: which words one outlet uses where the others use different ones.

For every pair of articles of the same story from different outlets, each sentence of
the first is paired with the most similar sentence of the second (Jaccard overlap of
their content words at least ``min_overlap``). The two token sequences are aligned
(:class:`difflib.SequenceMatcher`); where the shared words around a gap agree and the
gap holds different words on the two sides, that is a *word-choice contrast*:

``substitution``
    both sides hold 1 to ``max_words`` words ("slammed" / "criticised",
    "regime" / "government", "unleashed" / "initiated");
``addition``
    one side adds 1 to ``max_words`` words the other lacks, inside shared wording
    ("the *illegitimate* Russian president" / "the Russian president").

Pairs that differ only in spelling (string similarity above ``spelling_ratio``: "Kyiv" /
"Kiev") or only in digits are left out: spelling is :mod:`framelens.spelling`'s job. A
contrast whose words lie in or next to an actor's mention (``mentions=``, from
:func:`framelens.actors.find_mentions`) names that actor as its referent; otherwise the
referent is the shared words around it. Articles of different stories are never
compared (``story_col``; default: the whole corpus is one story).

:func:`propose_terms` turns the contrasts into candidate loaded terms per outlet, with
both sentences side by side, and :func:`to_lexicon` / :func:`write_lexicon` into a
``lexicon*.csv`` a researcher can edit (fill in the register) and put next to the corpus.

Examples
--------
>>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text": [
...     "Officials slammed the new border plan on Monday.",
...     "Officials criticised the new border plan on Monday."]})
>>> word_choices(df)[["outlet", "term", "other_outlet", "other_term", "kind"]].values.tolist()
[['A', 'slammed', 'B', 'criticised', 'substitution'], ['B', 'criticised', 'A', 'slammed', 'substitution']]
"""
from __future__ import annotations

import csv
import re
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

import pandas as pd

from framelens.lexicon import LEXICON_COLUMNS, REGISTERS, load_lexicon, term_key
from framelens.text import sentence_spans

__all__ = ["CHOICE_COLUMNS", "word_choices", "propose_terms", "to_lexicon", "write_lexicon"]

_TOKEN = re.compile(r"\w+(?:['\u2019\u2010\u2011-]\w+)*")

#: Columns of :func:`word_choices`.
CHOICE_COLUMNS: tuple[str, ...] = (
    "story", "outlet", "doc_id", "term", "start", "end", "other_outlet", "other_doc_id",
    "other_term", "kind", "referent", "sentence", "other_sentence", "overlap")


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _sentences(text: str) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """(start, end, tokens) of each sentence; a token is (start, end, lowercase form)."""
    out = []
    for s, e in sentence_spans(text):
        toks = [(m.start(), m.end(), m.group(0).lower().replace("\u2019", "'"))
                for m in _TOKEN.finditer(text, s, e)]
        if toks:
            out.append((s, e, toks))
    return out


def _content(tokens: list[tuple[int, int, str]], stop: frozenset[str]) -> frozenset[str]:
    return frozenset(t for _, _, t in tokens if t not in stop and not t.isdigit())


def _best_pairs(a: list, b: list, stop: frozenset[str], min_overlap: float) -> list[tuple[int, int, float]]:
    """For each sentence of ``a``, the most similar sentence of ``b`` (Jaccard >= min_overlap)."""
    cb = [_content(t, stop) for _, _, t in b]
    out = []
    for i, (_, _, ta) in enumerate(a):
        ca = _content(ta, stop)
        if not ca:
            continue
        best, score = -1, 0.0
        for j, c in enumerate(cb):
            if not c:
                continue
            jac = len(ca & c) / len(ca | c)
            if jac > score:
                best, score = j, jac
        if best >= 0 and score >= min_overlap:
            out.append((i, best, score))
    return out


def _referent(doc_mentions: list[tuple[int, int, str]], s: int, e: int, reach: int = 25) -> str | None:
    for ms, me, actor in doc_mentions:
        if ms - reach <= e and s <= me + reach:
            return actor
    return None


def _contrasts(ta: list, tb: list, stop: frozenset[str], max_words: int,
               spelling_ratio: float) -> list[tuple[int, int, int, int, str]]:
    """(a_from, a_to, b_from, b_to, kind) token ranges of word-choice gaps between two sentences."""
    wa = [t for _, _, t in ta]
    wb = [t for _, _, t in tb]
    ops = SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes()
    out = []
    for k, (tag, a0, a1, b0, b1) in enumerate(ops):
        if tag == "equal":
            continue
        # a gap counts only between shared words (an aligned place, not a different ending)
        if k == 0 or k == len(ops) - 1 or ops[k - 1][0] != "equal" or ops[k + 1][0] != "equal":
            continue
        na, nb = a1 - a0, b1 - b0
        if na > max_words or nb > max_words:
            continue
        left, right = " ".join(wa[a0:a1]), " ".join(wb[b0:b1])
        if any(w.isdigit() for w in wa[a0:a1] + wb[b0:b1]):
            continue
        if tag == "replace":
            if SequenceMatcher(None, left, right).ratio() >= spelling_ratio:
                continue
            if all(w in stop for w in wa[a0:a1]) and all(w in stop for w in wb[b0:b1]):
                continue
            out.append((a0, a1, b0, b1, "substitution"))
        else:  # insert or delete: one side adds content words
            added = wa[a0:a1] if na else wb[b0:b1]
            if all(w in stop for w in added):
                continue
            out.append((a0, a1, b0, b1, "addition"))
    return out


def word_choices(corpus: pd.DataFrame, *, story_col: str | None = None, text_col: str = "text",
                 label_col: str = "outlet", mentions: pd.DataFrame | None = None,
                 min_overlap: float = 0.4, max_words: int = 3,
                 spelling_ratio: float = 0.75) -> pd.DataFrame:
    """Every word-choice contrast between outlets on the same story, both sentences kept.

    Parameters
    ----------
    corpus : pandas.DataFrame
        One row per article: ``doc_id`` (or the index), ``text_col``, ``label_col``
        and, when given, ``story_col``.
    story_col : str, optional
        Story of each article; articles of different stories are never compared.
        None: the whole corpus is one story (``story`` is ``"all"``).
    mentions : pandas.DataFrame, optional
        :func:`framelens.actors.find_mentions` on the same corpus; a contrast within
        25 characters of a mention names its actor as the referent.
    min_overlap : float, default 0.4
        Jaccard overlap ``|A & B| / |A | B|`` of two sentences' content words (English
        stop words and numbers left out) needed to compare them.
    max_words : int, default 3
        Longest gap, in words, on either side.
    spelling_ratio : float, default 0.75
        Gaps whose two sides are at least this similar as strings
        (:meth:`difflib.SequenceMatcher.ratio`) are spelling variants and left out.

    Returns
    -------
    pandas.DataFrame
        :data:`CHOICE_COLUMNS`, one row per contrast and side: ``outlet``/``doc_id``
        used ``term`` (characters ``start``-``end`` of its text; for an addition on
        the other side, ``term`` is ``""`` and the offsets mark the place) where
        ``other_outlet``/``other_doc_id`` used ``other_term``; ``kind``
        (``substitution``/``addition``), ``referent`` (actor, or ``"… before … after"``
        context), both ``sentence``s and their ``overlap``.
    """
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if story_col is not None and story_col not in corpus.columns:
        raise ValueError(f"story_col={story_col!r} is not a column of corpus; "
                         f"available columns: {sorted(map(str, corpus.columns))}")
    if not 0 < min_overlap <= 1:
        raise ValueError(f"min_overlap={min_overlap!r} must lie in (0, 1]")
    if isinstance(max_words, bool) or not isinstance(max_words, int) or max_words < 1:
        raise ValueError(f"max_words={max_words!r} must be a positive integer")
    stop = _stop_words()
    ids = corpus["doc_id"].astype(str).tolist() if "doc_id" in corpus.columns else \
        corpus.index.astype(str).tolist()
    stories = corpus[story_col].astype(str).tolist() if story_col else ["all"] * len(corpus)
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    if mentions is not None:
        for d, s, e, a in zip(mentions["doc_id"].astype(str), mentions["start"],
                              mentions["end"], mentions["actor"]):
            by_doc.setdefault(d, []).append((int(s), int(e), str(a)))
    docs = list(zip(stories, ids, corpus[label_col].astype(str), corpus[text_col]))
    parsed = {d: _sentences(t) for _, d, _, t in docs}
    texts = {d: t for _, d, _, t in docs}
    rows = []
    for story in dict.fromkeys(stories):
        members = [(d, o) for s, d, o, _ in docs if s == story]
        for (da, oa), (db, ob) in combinations(members, 2):
            if oa == ob:
                continue
            sa, sb = parsed[da], parsed[db]
            for i, j, score in _best_pairs(sa, sb, stop, min_overlap):
                ta, tb = sa[i][2], sb[j][2]
                for a0, a1, b0, b1, kind in _contrasts(ta, tb, stop, max_words, spelling_ratio):
                    for (d, o, t, x0, x1, sent), (d2, o2, t2, y0, y1, sent2) in (
                            ((da, oa, ta, a0, a1, sa[i]), (db, ob, tb, b0, b1, sb[j])),
                            ((db, ob, tb, b0, b1, sb[j]), (da, oa, ta, a0, a1, sa[i]))):
                        text, text2 = texts[d], texts[d2]
                        start = t[x0][0] if x1 > x0 else t[x0][0]
                        end = t[x1 - 1][1] if x1 > x0 else t[x0][0]
                        term = text[start:end] if x1 > x0 else ""
                        other = text2[t2[y0][0]:t2[y1 - 1][1]] if y1 > y0 else ""
                        ref = _referent(by_doc.get(d, []), start, end)
                        if ref is None:
                            ref = f"{t[x0 - 1][2]} \u2026 {t[x1][2]}"
                        rows.append((story, o, d, term, start, end, o2, d2, other, kind, ref,
                                     text[sent[0]:sent[1]], text2[sent2[0]:sent2[1]],
                                     round(score, 3)))
    out = pd.DataFrame(rows, columns=list(CHOICE_COLUMNS))
    out = out.astype({c: "string" for c in CHOICE_COLUMNS if c not in ("start", "end", "overlap")})
    return out.astype({"start": "int64", "end": "int64", "overlap": "float64"})


def propose_terms(choices: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
                  min_others: int = 1) -> pd.DataFrame:
    """Candidate loaded terms per outlet: the words it used where others used different ones.

    One row per (story, outlet, term) with a non-empty ``term``: ``others`` (how many
    other outlets worded the same place differently), ``other_terms`` (their words,
    ``|``-separated; ``(nothing)`` for an addition), ``referent``, the first
    ``sentence`` and ``other_sentence`` side by side, and ``register_hint`` (the
    term's register in ``lexicon`` when it is listed there, else empty: the
    researcher decides). Sorted by ``others`` (descending), story, outlet, term.
    """
    lex = load_lexicon() if lexicon is None else lexicon
    hint = dict(zip(lex["key"] if "key" in lex.columns else lex["term"].map(term_key),
                    lex["register"].astype(str)))
    cols = ["story", "outlet", "term", "others", "other_terms", "kind", "referent", "sentence",
            "other_outlet", "other_sentence", "register_hint"]
    have = choices[choices["term"].astype(str) != ""]
    rows = []
    for (story, outlet, term), g in have.groupby(["story", "outlet", "term"], sort=True):
        others = g["other_outlet"].nunique()
        if others < min_others:
            continue
        words = sorted({str(w) or "(nothing)" for w in g["other_term"]})
        first = g.iloc[0]
        rows.append((story, outlet, term, others, " | ".join(words), first["kind"],
                     first["referent"], first["sentence"], first["other_outlet"],
                     first["other_sentence"], hint.get(term_key(str(term)), "")))
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["others", "story", "outlet", "term"], ascending=[False, True, True, True],
                          kind="mergesort").reset_index(drop=True)
    return out.astype({c: "string" for c in cols if c != "others"}).astype({"others": "int64"})


def to_lexicon(proposed: pd.DataFrame, *, register: str | dict[str, str] | None = None,
               source: str = "framelens.wordchoice proposal, accepted by the researcher"
               ) -> pd.DataFrame:
    """Accepted proposals as lexicon rows (:data:`framelens.lexicon.LEXICON_COLUMNS`).

    ``register`` is one register for all, or a mapping term -> register; a term
    without one takes its ``register_hint``. A term with no register at all is an
    error naming it (the file would not load). One row per distinct term
    (:func:`framelens.lexicon.term_key`); the note says which outlet used it
    instead of what.

    Examples
    --------
    >>> p = pd.DataFrame({"story": ["all"], "outlet": ["A"], "term": ["slammed"], "others": [1],
    ...     "other_terms": ["criticised"], "kind": ["substitution"], "referent": ["officials … the"],
    ...     "sentence": ["x"], "other_outlet": ["B"], "other_sentence": ["y"], "register_hint": [""]})
    >>> to_lexicon(p, register="negative")[["term", "register", "note"]].values.tolist()
    [['slammed', 'negative', "A (story all) where others wrote 'criticised'"]]
    """
    rows = []
    seen: set[str] = set()
    for r in proposed.itertuples(index=False):
        key = term_key(str(r.term))
        if key in seen:
            continue
        seen.add(key)
        reg = register.get(str(r.term), "") if isinstance(register, dict) else (register or "")
        reg = reg or str(r.register_hint or "")
        if reg not in REGISTERS:
            raise ValueError(f"term {r.term!r} has no register ({reg!r}); pass register= as one of "
                             f"{list(REGISTERS)} or a mapping term -> register")
        rows.append((str(r.term), "false", reg, str(r.referent),
                     f"{r.outlet} (story {r.story}) where others wrote '{r.other_terms}'", source))
    return pd.DataFrame(rows, columns=list(LEXICON_COLUMNS))


def write_lexicon(table: pd.DataFrame, path: str | Path) -> Path:
    """Write lexicon rows as a ``lexicon*.csv`` that :func:`framelens.lexicon.load_lexicon` reads.

    The file name must start with ``lexicon`` and end with ``.csv`` (so
    :func:`framelens.lexicon.lexicon_for_corpus` finds it next to the corpus); the
    table is validated first, so a file is never written that would not load.
    """
    p = Path(path)
    if not (p.name.startswith("lexicon") and p.name.endswith(".csv")):
        raise ValueError(f"{p.name!r}: name the file lexicon*.csv (e.g. lexicon-mine.csv) so it is "
                         "read with the corpus")
    load_lexicon(table[list(LEXICON_COLUMNS)])
    table[list(LEXICON_COLUMNS)].to_csv(p, index=False, quoting=csv.QUOTE_MINIMAL,
                                        lineterminator="\n")
    return p
