"""Direct quotations, their speakers and reporting verbs, matched across outlets; attribution.

* :func:`quotes` finds direct quotations (curly ``“…”``, straight ``"…"``,
  guillemets ``«…»``, low-high ``„…“``) in each article, with the speaker and
  the reporting verb read from the same sentence (``“…,” Sybiha wrote``,
  ``stated Sybiha``, ``Sybiha stated: "…"``), or else carried over from the
  previous sentence; pronoun speakers (``he added``) are resolved to the
  previous named speaker and kept as written in ``speaker_raw``.
* :func:`match_quotes` splits quotations into sentences and groups the same
  words across outlets and translations (``should not be seen as`` /
  ``should not be considered``) by TF-IDF cosine and average-linkage clustering;
  :func:`quote_table` lays a group out outlet by outlet.
* :func:`attribution` names whom each article credits for the report (a news
  organisation or a generic "British journalists"), or ``nobody``.
* :func:`reporting_verbs` counts the verbs that introduce speech per outlet.

Verb and source lists are data files in ``framelens/data`` (``reporting_verbs.csv``,
``news_sources.csv``) that a researcher can extend.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from framelens.notes import NotEnoughData
from framelens.spelling import name_key, same_name
from framelens.text import sentence_spans, words

__all__ = ["quotes", "passages", "match_quotes", "quote_table", "attribution", "reporting_verbs",
           "load_reporting_verbs", "load_sources", "QUOTE_MATCH", "QUOTE_PAIRS", "NAME_PATTERN",
           "PRONOUN_PATTERN", "quote_spans", "quoted_spans", "block_quotes", "verb_pattern",
           "find_attribution", "is_anaphor", "resolve_speakers"]

#: Default cosine for two quotation sentences to be "the same quote" in
#: :func:`match_quotes` (average linkage). Unigram+bigram TF-IDF with stop words kept:
#: on the seeds, translations of one sentence of Sybiha's letter score 0.35-0.8
#: against each other and different sentences of the letter below 0.25.
QUOTE_MATCH: float = 0.3

#: Opening quotation marks and the mark that closes each (``„…“`` is German/Polish style,
#: ``‘…’`` British style and quotes inside quotes). Straight ``"`` pairs with itself.
QUOTE_PAIRS: dict[str, str] = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c",
                               "\u2018": "\u2019"}
#: A run of capitalised words: a speaker's name with any titles before it.
NAME_PATTERN = r"(?:[A-Z][\w\u2019'-]*\.?)(?:\s+(?:[A-Z][\w\u2019'-]*\.?))*"
#: Subject pronouns that stand for the last named speaker.
PRONOUN_PATTERN = r"(?:he|she|they|He|She|They)"
_PRONOUNS = frozenset({"he", "she", "they"})
_ROLE_WORDS = frozenset({
    "president", "minister", "foreign", "prime", "deputy", "ukrainian", "russian", "head",
    "secretary", "general", "spokesman", "spokeswoman", "chancellor", "ambassador", "mr", "mrs",
    "ms", "dr", "the", "state", "defence", "defense", "nato", "of", "for", "and", "european",
    "euro-atlantic", "integration", "ukraine's", "ukraine", "us", "u.s.", "president-elect",
    "in", "however", "meanwhile", "but", "according", "to",
})
#: Nouns of office that make a definite description ("according to the president",
#: "the Ukrainian leader said") an anaphor for the last named speaker.
_OFFICE_NOUNS = ("president", "leader", "minister", "diplomat", "official", "spokesman",
                 "spokeswoman", "spokesperson", "chancellor", "ambassador", "secretary",
                 "head of state", "premier", "prime minister")
_DESCRIPTION = (r"(?:the|The)\s+(?:[A-Za-z-]+\s+){0,2}?(?:" + "|".join(_OFFICE_NOUNS) + r")\b")
#: A common noun after a name makes the speaker a group or a thing ("NATO diplomats",
#: "Sybiha's letter"), not the named one (see :func:`resolve_speakers`).
_GROUP_NOUN = (r"(?:\s+(?!(?:" + "|".join(sorted(ENGLISH_STOP_WORDS)) + r")\b)[a-z]+(?<!ly)"
               r"(?=\s))?")
#: Dates are no speakers ("said Friday").
_TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                         "january", "february", "march", "april", "may", "june", "july", "august",
                         "september", "october", "november", "december", "today", "yesterday",
                         "tomorrow", "tonight"})
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|us|[Oo]ur|[Mm]y|me|ours|ourselves|myself)\b")
_ANY_MARK = re.compile("[\"\u201c\u201d\u00ab\u00bb\u201e\u2018]")


_MARK = re.compile("[\"\u201c\u201d\u00ab\u00bb\u201e\u2018\u2019]")


def _closing(para: str, marks: list[int], k: int) -> int:
    """Index into ``marks`` of the mark closing the quotation opened at ``para[marks[k]]``, or -1.

    The same opening mark inside counts as a quote inside the quote (depth);
    a ``’`` followed by a letter is an apostrophe (``Moscow’s``), not a closing mark.
    """
    opener = para[marks[k]]
    closer = QUOTE_PAIRS[opener]
    depth = 0
    for j in range(k + 1, len(marks)):
        ch = para[marks[j]]
        if ch == closer:
            pos = marks[j]
            if closer == "\u2019" and pos + 1 < len(para) and para[pos + 1].isalpha():
                continue
            if depth == 0:
                return j
            depth -= 1
        elif ch == opener and opener != closer:
            depth += 1
    return -1


def quote_spans(para: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the quotations in one paragraph, quote marks included.

    Curly, guillemet, low-high and single curly marks pair with their closing
    mark, counting a quote inside a quote (``“He called it ‘a response’ today”``
    is one span); straight ``"`` marks pair in order. A ``‘`` opens a quotation
    only at the start of a word after white space or an opening bracket (else it
    is an apostrophe: ``‘90s`` after a letter). Only the quotation marks are
    visited, so a paragraph costs one scan for them.

    Examples
    --------
    >>> quote_spans('“Moscow’s ‘response’ came,” he said. "Yes."')
    [(0, 27), (37, 43)]
    """
    marks = [m.start() for m in _MARK.finditer(para)]
    spans: list[tuple[int, int]] = []
    k = 0
    straight_open = -1
    while k < len(marks):
        i = marks[k]
        ch = para[i]
        if ch in QUOTE_PAIRS and (ch != "\u2018" or i == 0 or para[i - 1].isspace()
                                  or para[i - 1] in "([{\u2014\u2013"):
            j = _closing(para, marks, k)
            if j > 0:
                spans.append((i, marks[j] + 1))
                k = j + 1
                continue
        elif ch == '"':
            if straight_open < 0:
                straight_open = i
            else:
                spans.append((straight_open, i + 1))
                straight_open = -1
        k += 1
    return sorted(spans)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """:func:`quote_spans` of every line of ``text``, as offsets into ``text`` (marks included).

    Examples
    --------
    >>> quoted_spans('A said "yes".\\nB said “no”.')
    [(7, 12), (21, 25)]
    """
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        out += [(m.start() + a, m.start() + b) for a, b in quote_spans(m.group(0))]
    return out


def block_quotes(text: str) -> list[tuple[int, int, str]]:
    """Quotations set off as their own paragraph without quotation marks.

    A paragraph (line) is a block quote when it holds no quotation mark, speaks
    in the first person (``I``, ``we``, ``our``, ...: at least two such words, in
    at least half of its sentences) while most other unmarked paragraphs of the
    article do not (so a first-person column is not one long quote), and is set
    off as a quotation: it ends in a signature, a trailing run of capitalised
    words after its last full stop (``... means. Volodymyr Zelenskyi President of
    Ukraine``, the speaker), or the paragraph before ends with a colon (``He
    wrote:``). A reporter's own first-person paragraph has neither.

    Returns
    -------
    list of (start, end, signature)
        Offsets of the quoted words (signature excluded) and the signature (``""``
        when there is none).

    Examples
    --------
    >>> t = "He spoke.\\nWe will go on with it. We need this now. Ann Lee Minister\\nIt rained."
    >>> [(t[a:b], s) for a, b, s in block_quotes(t)]
    [('We will go on with it. We need this now.', 'Ann Lee Minister')]
    """
    paras = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    unmarked = [(a, b) for a, b in paras if not _ANY_MARK.search(text[a:b])]
    found = []
    n_first = 0
    for a, b in unmarked:
        para = text[a:b]
        sig = re.search(r"(?<=[.!?])\s+((?:[A-Z][\w\u2019'-]*|of|the|for)"
                        r"(?:\s+(?:[A-Z][\w\u2019'-]*|of|the|for)){1,9})\s*$", para)
        body_end = a + (sig.start() if sig else len(para.rstrip()))
        body = text[a:body_end]
        sents = [body[s:e] for s, e in sentence_spans(body)]
        fp = [len(_FIRST_PERSON.findall(s)) for s in sents]
        if not sum(fp) or 2 * sum(1 for n in fp if n) < len(sents):
            continue
        n_first += 1
        intro = text[:a].rstrip()
        if len(words(body)) >= 8 and sum(fp) >= 2 and (sig or intro.endswith(":")):
            found.append((a, body_end, sig.group(1) if sig else ""))
    if n_first * 2 > len(unmarked):
        return []
    return found


def _clean_speaker(raw: str) -> str:
    """Drop role and function words from a capitalised run: 'Ukrainian Foreign Minister Sybiha' -> 'Sybiha'."""
    toks = [t for t in re.split(r"\s+", raw.strip()) if t]
    toks = [re.sub(r"(?:\u2019|')s$", "", t).strip(".,") for t in toks]
    kept = [t for t in toks if t[:1].isupper() and t.lower() not in _ROLE_WORDS
            and t.lower() not in ENGLISH_STOP_WORDS and t.lower() not in _TIME_WORDS]
    return " ".join(kept[-2:]) if kept else ""


def verb_pattern(forms: Sequence[str]) -> str:
    """Regular expression matching any of ``forms`` as a whole word (longest first).

    Examples
    --------
    >>> bool(re.search(verb_pattern(["said", "say"]), "she said so"))
    True
    """
    return r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b"


def _after_pattern(verb_re: str) -> str:
    return (r"\s*[,.]?\s*(?:(?P<s1>" + NAME_PATTERN + "|" + PRONOUN_PATTERN + "|" + _DESCRIPTION
            + r")\s+(?P<v1>" + verb_re + r")|(?P<v2>" + verb_re + r")\s+(?P<s2>" + NAME_PATTERN + "|"
            + PRONOUN_PATTERN + "|" + _DESCRIPTION + r"))")


def is_anaphor(speaker: str) -> bool:
    """Whether a speaker as written stands for the last named one: a pronoun or a
    definite description of office ("the president", "the Ukrainian leader").

    Examples
    --------
    >>> is_anaphor("he"), is_anaphor("the Ukrainian leader"), is_anaphor("Sybiha")
    (True, True, False)
    """
    return speaker.lower() in _PRONOUNS or bool(re.fullmatch(_DESCRIPTION, speaker))


def find_attribution(left: str, right: str, verb_re: str,
                     is_ok: Callable[[str], bool] = lambda s: True,
                     last: bool = False) -> tuple[str, str]:
    """(speaker as written, verb) from the text around a quotation, or ``('', '')``.

    After the quote: ``, Sybiha wrote`` / ``, stated Sybiha`` / ``, he added`` /
    ``, the president said``. Before it: the first (``last``: the last)
    ``NAME[,] [w w] VERB``, ``NAME, apposition, [w w] VERB`` or ``according to
    NAME`` / ``according to the <office>`` whose name passes ``is_ok`` (not a news
    organisation; an actor when known). Pronouns and descriptions of office are
    returned as written (see :func:`is_anaphor`); ``according to`` is returned as
    the verb.

    Examples
    --------
    >>> v = verb_pattern(["said", "wrote"])
    >>> find_attribution("", ", Sybiha wrote.", v), find_attribution("According to the president, it is ", "", v)
    (('Sybiha', 'wrote'), ('the president', 'according to'))
    """
    after = re.match(_after_pattern(verb_re), right)
    if after:
        spk = after.group("s1") or after.group("s2")
        verb = after.group("v1") or after.group("v2")
        if is_ok(spk) or is_anaphor(spk):
            return spk.rstrip("."), verb
    cands: list[tuple[int, int, str, str]] = []
    for rank, pat in enumerate((
            r"(?P<s>" + NAME_PATTERN + _GROUP_NOUN + "|" + PRONOUN_PATTERN
            + r")(?:\u2019s|'s)?,?(?:\s+[a-z]+){0,2}?\s+(?P<v>" + verb_re + ")",
            r"(?P<s>" + NAME_PATTERN + r")(?:\u2019s|'s)?,[^,]{1,100},(?:\s+[a-z]+){0,2}?\s+(?P<v>" + verb_re + ")",
            r"(?P<v>[Aa]ccording to)\s+(?P<s>" + _DESCRIPTION + "|" + NAME_PATTERN + ")")):
        for m in re.finditer(pat, left):
            s = m.group("s")
            if is_ok(s) or (rank == 2 and is_anaphor(s)):
                cands.append((m.start("v"), rank, s.rstrip("."), m.group("v").lower()
                              if rank == 2 else m.group("v")))
    if cands:
        _, _, spk, verb = max(cands) if last else min(cands)
        return spk, verb
    return "", ""


@lru_cache(maxsize=None)
def _default_verbs() -> pd.DataFrame:
    with resources.files("framelens").joinpath("data/reporting_verbs.csv").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def load_reporting_verbs(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Reporting verbs (``form``, ``lemma``); the packaged list when ``source`` is None.

    Examples
    --------
    >>> v = load_reporting_verbs()
    >>> v.loc[v["form"] == "stressed", "lemma"].item()
    'stress'
    """
    if source is None:
        df = _default_verbs().copy()
        where = "framelens/data/reporting_verbs.csv"
    else:
        where = str(source) if not isinstance(source, pd.DataFrame) else "the verb table"
        df = source.copy() if isinstance(source, pd.DataFrame) else pd.read_csv(
            source, dtype=str, keep_default_na=False)
    for c in ("form", "lemma"):
        if c not in df.columns:
            raise ValueError(f"{where}: missing column {c!r}; needs 'form' and 'lemma'")
    bad = df.index[~df["form"].astype(str).str.fullmatch(r"[a-z]+")]
    if len(bad):
        raise ValueError(f"{where}, line {int(bad[0]) + 2}: form {df.loc[bad[0], 'form']!r} must be "
                         "one lowercase word")
    return df[["form", "lemma"]].reset_index(drop=True)


def load_sources(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """News sources (``source``, ``pattern``, ``note``); the packaged list when None.

    A ``source`` containing ``<`` (e.g. ``<Nationality> journalists``) is
    generic: the matched words themselves name the source ("British journalists").

    Examples
    --------
    >>> "Reuters" in set(load_sources()["source"])
    True
    """
    if source is None:
        with resources.files("framelens").joinpath("data/news_sources.csv").open(encoding="utf-8") as f:
            df = pd.read_csv(f, dtype=str, keep_default_na=False)
        where = "framelens/data/news_sources.csv"
    else:
        where = str(source) if not isinstance(source, pd.DataFrame) else "the source table"
        df = source.copy() if isinstance(source, pd.DataFrame) else pd.read_csv(
            source, dtype=str, keep_default_na=False)
    for c in ("source", "pattern"):
        if c not in df.columns:
            raise ValueError(f"{where}: missing column {c!r}; needs 'source' and 'pattern'")
    if "note" not in df.columns:
        df["note"] = ""
    for i, row in enumerate(df.itertuples(index=False), start=2):
        try:
            re.compile(row.pattern)
        except re.error as err:
            raise ValueError(f"{where}, line {i}: pattern {row.pattern!r} is invalid: {err}") from err
    return df[["source", "pattern", "note"]].reset_index(drop=True)


def resolve_speakers(names: Sequence[str], texts: Sequence[str], *,
                     actors: pd.DataFrame | None = None) -> dict[str, str]:
    """One canonical name per person, whatever the spelling or transliteration.

    A name is the actor whose alias pattern it matches (``actors``, e.g. the
    corpus's ``actors.csv``: "Olha Stefanishyna" -> "Stefanishyna"). Otherwise
    its surname (last word once role and function words are dropped:
    "Ukrainian Foreign Minister Andrij Sybiha" -> "Sybiha"; "Sybiga's letter" is
    Sybiga's) is grouped with the
    other surnames it matches by :func:`framelens.spelling.same_name`
    (transliteration folds and edit distance: Zelensky / Zelenskyy / Zelenskyi),
    and the group is named by its spelling most frequent in ``texts`` (ties:
    alphabetical), or by the actor whose name it matches the same way. A name
    followed by a common noun ("NATO diplomats", "Russian sources") is a group,
    not the named entity, and is kept as written. A last word the texts also
    write in lower case is no surname ("Democratic Party", "White House"): such a
    name is kept whole, role words dropped.

    Parameters
    ----------
    names : sequence of str
        Speakers as written (anaphors such as "he" map to ``""``).
    texts : sequence of str
        The corpus's texts, to find each group's most frequent spelling.
    actors : DataFrame, optional
        Actor table (``actor``, ``pattern``).

    Returns
    -------
    dict
        Name as written -> canonical name (``""`` when no name is left).

    Examples
    --------
    >>> resolve_speakers(["Volodymyr Zelenskyi", "President Zelensky", "Zelenskyy"],
    ...                  ["Zelensky said. Zelensky left. Zelenskyy spoke."])
    {'Volodymyr Zelenskyi': 'Zelensky', 'President Zelensky': 'Zelensky', 'Zelenskyy': 'Zelensky'}
    """
    out: dict[str, str] = {}
    pending: dict[str, str] = {}
    act = [] if actors is None else list(zip(actors["actor"].astype(str), actors["pattern"].astype(str)))
    for raw in dict.fromkeys(names):
        if not raw or is_anaphor(raw):
            out[raw] = ""
            continue
        owner = re.fullmatch(r"(.+?)(?:\u2019s|'s)\s+[a-z-]+", raw)  # "Sybiga's letter": Sybiga
        name = owner.group(1) if owner else raw
        if not owner and re.search(r"\s[a-z-]+$", raw):  # "NATO diplomats": a group, kept as written
            out[raw] = raw
            continue
        hit = next((a for a, p in act if re.search(p, name)), None)
        if hit is not None:
            out[raw] = hit
            continue
        cleaned = _clean_speaker(name)
        pending[raw] = cleaned.split()[-1] if cleaned else ""
    counts: Counter[str] = Counter()
    lower: set[str] = set()
    for t in texts:  # one pass over the texts: every capitalised word, possessive dropped
        counts.update(re.sub(r"(?:\u2019|')s$", "", w) for w in re.findall(r"\b[A-Z][\w'\u2019-]*", t))
        lower.update(re.findall(r"\b[a-z][\w'-]*", t))
    for raw, surname in list(pending.items()):
        if surname.lower() in lower:  # "Democratic Party", "White House": not a surname, kept whole
            out[raw] = _clean_speaker(re.sub(r"(?:\u2019|')s\s+[a-z-]+$", "", raw))
            del pending[raw]
    surnames = sorted(set(pending.values()) - {""})
    heads: dict[str, list[str]] = {}  # name_key -> group heads (only equal keys can match)
    head_of: dict[str, str] = {}
    for s in sorted(surnames, key=lambda s: (-counts[s], s)):
        bucket = heads.setdefault(name_key(s), [])
        h = next((h for h in bucket if same_name(s, h)), None)
        if h is None:
            bucket.append(s)
            h = s
        head_of[s] = h
    actor_of = {}
    for a, _ in act:
        actor_of.setdefault(name_key(a), []).append(a)
    for raw, s in pending.items():
        h = head_of.get(s, "")
        out[raw] = next((a for a in actor_of.get(name_key(h), []) if h and same_name(h, a)), h)
    return {raw: out[raw] for raw in dict.fromkeys(names)}


_QUOTE_COLS = ["doc_id", "outlet", "quote_id", "passage_id", "start", "end", "form", "quote",
               "n_words", "speaker", "speaker_raw", "verb", "verb_lemma", "attributed_in", "sentence"]


def quotes(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
           min_words: int = 3, actors: pd.DataFrame | str | Path | None = None,
           verbs: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Direct quotations with speaker, reporting verb, outlet and the passage each belongs to.

    A quotation is the text between quotation marks (:func:`quote_spans`: curly,
    straight, guillemets, low-high and single curly marks, quotes inside quotes
    kept inside) or a block quote without marks (:func:`block_quotes`). The
    speaker and reporting verb are read from the same sentence
    (:func:`find_attribution`: ``“…,” Sybiha wrote``, ``stated Sybiha``,
    ``Sybiha stated: "…"``, ``according to the president``), from a block quote's
    signature, or else carried over from the previous sentence; pronouns and
    descriptions of office (``he added``, ``the Ukrainian leader``) are the
    previous named speaker. Speakers are merged across spellings and
    transliterations by :func:`resolve_speakers`.

    A quotation of fewer than ``min_words`` words counts only when the same
    sentence attributes it (``Putin said the strikes were Moscow’s “response”``);
    without an attribution it is a scare quote or term ("victory plan").

    Consecutive quotations of one speaker form one *passage*, the unit to count
    ("VTC keeps one 67-word quote" and "CNN splits it in three" are one passage
    each): a quotation joins the previous one when both have the same speaker and
    it stands in the same sentence, or in the next sentence with nothing between
    the two but punctuation or the attribution clause (``”, stated Sybiha. “``,
    ``,” he added. “``, ``,” President Zelensky said, implying that …``).

    Parameters
    ----------
    corpus : pandas.DataFrame
        Articles with ``doc_id``, ``text_col`` and ``label_col``.
    text_col, label_col : str
        Text and outlet columns.
    min_words : int, default 3
        Shorter unattributed quotations are left out.
    actors : DataFrame or path, optional
        Actor table (``actor``, ``pattern``; see :func:`framelens.actors.load_actors`).
        With it, a speaker must be an actor and is named by it; without it, a
        speaker is any capitalised run that is not only role words, named by its
        surname's most frequent spelling.
    verbs : DataFrame or path, optional
        Reporting verbs (``form``, ``lemma``); default the packaged list.

    Returns
    -------
    pandas.DataFrame
        One row per quotation: ``doc_id``, ``outlet``, ``quote_id`` (0-based in the
        document), ``passage_id`` (0-based in the document), ``start``, ``end``
        (character offsets of the quoted words in ``text_col``, marks excluded),
        ``form`` (``"marks"`` or ``"block"``), ``quote``, ``n_words``, ``speaker``
        (canonical; ``""`` when unknown), ``speaker_raw`` (as written, e.g.
        ``"he"``), ``verb`` (as written), ``verb_lemma``, ``attributed_in``
        (``"sentence"``, ``"signature"``, ``"previous"`` or ``""``), ``sentence``
        (the sentence(s) holding the quotation).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ['"We will not give up," Sybiha said. "We go on," he added.']})
    >>> quotes(df)[["quote", "speaker", "speaker_raw", "verb", "passage_id"]].values.tolist()
    [['We will not give up,', 'Sybiha', 'Sybiha', 'said', 0], ['We go on,', 'Sybiha', 'he', 'added', 0]]
    """
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise ValueError(f"min_words={min_words!r} must be a positive integer")
    vt = load_reporting_verbs(verbs)
    lemma = dict(zip(vt["form"], vt["lemma"]))
    verb_re = verb_pattern(list(lemma))
    act = None
    if actors is not None:
        from framelens.actors import load_actors
        act = load_actors(actors)
    is_ok = _speaker_check(act)
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    texts = corpus[text_col].tolist()
    rows: list[tuple] = []
    for doc_id, outlet, text in zip(ids, corpus[label_col], texts):
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: {text_col!r} is not a string ({text!r:.40})")
        rows += [(doc_id, outlet, text, *r) for r in _doc_quotes(text, verb_re, is_ok, min_words)]
    if not rows:
        return pd.DataFrame(columns=_QUOTE_COLS)
    canon = resolve_speakers([r[11] for r in rows], [t for t in texts if isinstance(t, str)], actors=act)
    out = []
    prev: tuple | None = None
    qid = pid = 0
    for (doc_id, outlet, text, a, b, ma, mb, si, se, form, raw, named, verb, where, sentence) in rows:
        speaker = canon.get(named, "")
        cur = (doc_id, speaker, si, se, ma, mb)
        if prev is None or prev[0] != doc_id:
            qid, pid = 0, 0
        else:
            qid += 1
            pid += 0 if _joins(text, prev, cur, verb_re) else 1
        prev = cur
        quote = text[a:b]
        out.append((doc_id, outlet, qid, pid, a, b, form, quote, len(words(quote)), speaker, raw, verb,
                    lemma.get(verb.lower(), ""), where, sentence))
    return pd.DataFrame(out, columns=_QUOTE_COLS)


def _speaker_check(act: pd.DataFrame | None) -> Callable[[str], bool]:
    src_res = [re.compile(p) for p in load_sources()["pattern"]]

    def is_ok(name: str) -> bool:
        """A speaker is not a news organisation; with an actor table, it is an actor."""
        if any(r.search(name) for r in src_res):
            return False
        if act is not None:
            return any(re.search(p, name) for p in act["pattern"])
        return bool(_clean_speaker(name))
    return is_ok


def _doc_quotes(text: str, verb_re: str, is_ok: Callable[[str], bool],
                min_words: int) -> list[tuple]:
    """Quotations of one text: (start, end, mark start, mark end, first and last sentence,
    form, speaker as written, speaker named, verb, attributed_in, sentence), in text order."""
    spans = sentence_spans(text)
    if not spans:
        return []
    starts = [s for s, _ in spans]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    cands = [(m.start() + qs + 1, m.start() + qe - 1, m.start() + qs, m.start() + qe, "marks", "")
             for m in re.finditer(r"[^\n]+", text) for qs, qe in quote_spans(m.group(0))]
    cands += [(a, b, a, b, "block", sig) for a, b, sig in block_quotes(text)]
    out = []
    prev_named = ""
    last_sent_attr: dict[int, tuple[str, str]] = {}
    for a, b, ma, mb, form, sig in sorted(cands):
        n = len(words(text[a:b]))
        if n == 0:
            continue
        si, se = sent_of(a), sent_of(max(a, b - 1))
        if form == "marks":
            para_start = text.rfind("\n", 0, ma) + 1
            para_end = text.find("\n", mb)
            para_end = len(text) if para_end < 0 else para_end
            left = text[max(spans[si][0], para_start):ma]
            right = text[mb:max(mb, min(spans[se][1], para_end))]
            raw, verb = find_attribution(left, right, verb_re, is_ok)
            where = "sentence" if raw else ""
            if n < min_words and not raw:
                continue
        else:
            raw, verb, where = (sig, "", "signature") if sig and is_ok(sig) else ("", "", "")
        carried = ("", "")
        if si > 0:
            if si - 1 in last_sent_attr:
                carried = last_sent_attr[si - 1]
            else:
                ps, pe = spans[si - 1]
                carried = find_attribution(text[ps:pe], "", verb_re, is_ok)
        if not raw and carried[0]:
            raw, verb = carried
            where = "previous"
        if raw and is_anaphor(raw):
            named = carried[0] if carried[0] and not is_anaphor(carried[0]) else prev_named
        else:
            named = raw
        if named:
            prev_named = named
        last_sent_attr[se] = (named, verb)
        out.append((a, b, ma, mb, si, se, form, raw, named, verb, where,
                    text[spans[si][0]:spans[se][1]]))
    return out


def _joins(text: str, prev: tuple, cur: tuple, verb_re: str) -> bool:
    """Whether quotation ``cur`` continues the passage of quotation ``prev`` (see :func:`quotes`);
    each is (doc_id, speaker, first sentence, last sentence, mark start, mark end)."""
    _, p_spk, _, p_last, _, p_end = prev
    _, c_spk, c_first, _, c_start, _ = cur
    if not c_spk or c_spk != p_spk:
        return False
    if c_first <= p_last:
        return True
    if c_first != p_last + 1:
        return False
    gap = text[p_end:c_start]
    return not re.search(r"\w", gap) or bool(re.match(_after_pattern(verb_re), gap))


def passages(q: pd.DataFrame) -> pd.DataFrame:
    """One row per quoted passage: the unit to count quotations by.

    Parameters
    ----------
    q : pandas.DataFrame
        Output of :func:`quotes`.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``passage_id``, ``speaker``, ``start`` (of the first
        quotation), ``end`` (of the last), ``n_quotes`` (quote-mark spans or block
        quotes it is split into), ``n_words``, ``form`` (``"marks"``, ``"block"`` or
        both joined by ``+``), ``verbs`` (reporting verbs as written, ``"; "``),
        ``text`` (the quotations joined by `` … ``).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ['"We will not give up," Sybiha said. "We go on," he added.']})
    >>> passages(quotes(df))[["speaker", "n_quotes", "n_words", "text"]].values.tolist()
    [['Sybiha', 2, 8, 'We will not give up, … We go on,']]
    """
    cols = ["doc_id", "outlet", "passage_id", "speaker", "start", "end", "n_quotes", "n_words",
            "form", "verbs", "text"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    g = q.sort_values(["doc_id", "start"], kind="stable").groupby(["doc_id", "passage_id"], sort=True)
    out = g.agg(outlet=("outlet", "first"), speaker=("speaker", "first"), start=("start", "min"),
                end=("end", "max"), n_quotes=("quote", "size"), n_words=("n_words", "sum"),
                form=("form", lambda s: "+".join(dict.fromkeys(s))),
                verbs=("verb", lambda s: "; ".join(dict.fromkeys(v for v in s if v))),
                text=("quote", " \u2026 ".join)).reset_index()
    return out[cols]


def match_quotes(q: pd.DataFrame, *, threshold: float = QUOTE_MATCH,
                 context_words: int = 6) -> pd.DataFrame:
    """Group the same quoted words across outlets and translations.

    Each quotation is split into sentences (:func:`framelens.text.sentence_spans`),
    so a three-sentence quote in one outlet can match three separate quotes in
    another. Segments are compared by cosine of word unigram+bigram TF-IDF
    (stop words kept: "should not be seen as" carries the meaning) and grouped by
    average-linkage clustering, segments of the same document kept apart, cut
    where the average cosine drops below ``threshold``. A segment shorter than
    ``context_words`` words ("does not yet exist") is compared through the whole
    sentence that holds it (column ``sentence`` of :func:`quotes`), since a few
    words alone match anything or nothing.

    Returns
    -------
    pandas.DataFrame
        One row per segment: ``group`` (numbered by number of outlets, then first
        appearance), ``n_outlets``, ``doc_id``, ``outlet``, ``quote_id``,
        ``passage_id`` (of :func:`quotes`; the quote's own id when ``q`` has none),
        ``speaker``, ``verb``, ``segment``.

    Examples
    --------
    >>> q = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "quote_id": [0, 0],
    ...     "speaker": ["Sybiha", "Sybiha"], "verb": ["wrote", "stated"],
    ...     "quote": ["The invitation should not be seen as an escalation.",
    ...               "This invitation should not be considered an escalation of tensions."]})
    >>> match_quotes(q)["group"].tolist()
    [0, 0]
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold={threshold!r} must be in (0, 1]")
    cols = ["group", "n_outlets", "doc_id", "outlet", "quote_id", "passage_id", "speaker", "verb",
            "segment"]
    segs = []
    has_sentence = "sentence" in q.columns
    has_passage = "passage_id" in q.columns
    for r in q.itertuples(index=False):
        for s, e in sentence_spans(r.quote):
            seg = r.quote[s:e]
            if words(seg):
                ctx = r.sentence if has_sentence and len(words(seg)) < context_words else seg
                segs.append((r.doc_id, r.outlet, r.quote_id, r.passage_id if has_passage else r.quote_id,
                             r.speaker, r.verb, seg, ctx))
    if not segs:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(segs, columns=["doc_id", "outlet", "quote_id", "passage_id", "speaker", "verb",
                                     "segment", "_text"])
    if len(df) == 1:
        lab = np.zeros(1, dtype=int)
    else:
        X = TfidfVectorizer(tokenizer=words, lowercase=False, token_pattern=None,
                            ngram_range=(1, 2), sublinear_tf=True).fit_transform(df["_text"])
        dist = np.clip(1 - (X @ X.T).toarray(), 0, 1)
        d = df["doc_id"].astype(str).to_numpy()
        dist[d[:, None] == d[None, :]] = 1.0
        np.fill_diagonal(dist, 0.0)
        lab = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                      distance_threshold=1 - threshold).fit_predict(dist)
    df["_c"] = lab
    n_out = df.groupby("_c")["outlet"].nunique()
    first = df.reset_index().groupby("_c")["index"].min()
    order = sorted(n_out.index, key=lambda c: (-n_out[c], first[c]))
    rank = {c: i for i, c in enumerate(order)}
    df["group"] = df["_c"].map(rank)
    df["n_outlets"] = df["_c"].map(n_out)
    df = df.sort_values(["group", "doc_id", "quote_id"], kind="stable")
    return df[cols].reset_index(drop=True)


def quote_table(matched: pd.DataFrame, *, min_outlets: int = 2) -> pd.DataFrame:
    """How each shared quote reads in each outlet: groups x outlets, segment text in cells.

    Parameters
    ----------
    matched : pandas.DataFrame
        Output of :func:`match_quotes`.
    min_outlets : int, default 2
        Show groups quoted by at least this many outlets.

    Returns
    -------
    pandas.DataFrame
        Index ``group``; ``speaker`` (speakers named, sorted) then one column per
        outlet holding its segments (several joined by `` / ``), ``""`` where the
        outlet does not quote it.

    Raises
    ------
    NotEnoughData
        When the quotes come from fewer than ``min_outlets`` outlets: no quote can
        be shared by that many.

    Examples
    --------
    >>> m = pd.DataFrame({"group": [0, 0], "n_outlets": [2, 2], "outlet": ["A", "B"],
    ...                   "speaker": ["S", "S"], "segment": ["x y", "x z"]})
    >>> quote_table(m).loc[0, "B"]
    'x z'
    """
    if isinstance(min_outlets, bool) or not isinstance(min_outlets, int) or min_outlets < 1:
        raise ValueError(f"min_outlets={min_outlets!r} must be a positive integer")
    n_outlets = int(matched["outlet"].nunique()) if "outlet" in matched.columns else 0
    if n_outlets < min_outlets:
        raise NotEnoughData(f"quotes shared by {min_outlets} outlets need quotes from at least "
                            f"{min_outlets} outlets; found quotes from {n_outlets}")
    sub = matched[matched["n_outlets"] >= min_outlets]
    t = sub.groupby(["group", "outlet"])["segment"].agg(" / ".join).unstack("outlet").fillna("")
    spk = sub.groupby("group")["speaker"].agg(lambda s: "; ".join(sorted({x for x in s if x})))
    t.insert(0, "speaker", spk)
    t.columns.name = None
    return t


def attribution(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                sources: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Whom each article credits for the report: a news source, or ``nobody``.

    A *credit* is a sentence that names a source from ``sources`` and holds an
    attribution cue (``according to``, ``viewed by``, ``seen by``, ``obtained by``,
    ``told``/``telling``, ``learned``, ``had access``, ``report by``,
    ``reported``, ``interview with``). The article is attributed to the source
    with the most credits (ties: the earliest); with no credit, to ``nobody``.

    Returns
    -------
    pandas.DataFrame
        Index ``doc_id``; ``outlet``, ``attributed_to``, ``n_credits``,
        ``other_sources`` (other credited sources, e.g. an interview), ``evidence``
        (the first crediting sentence).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"],
    ...     "text": ["Kyiv wrote, according to a letter seen by Reuters.", "Kyiv wrote."]})
    >>> attribution(df)["attributed_to"].tolist()
    ['Reuters', 'nobody']
    """
    src = load_sources(sources)
    cue = re.compile(r"\b(?:according to|viewed by|seen by|obtained by|reviewed by|told|telling|"
                     r"learned|learnt|had access|access to|report by|reported|reports|interview with|"
                     r"quoted by|cited by|informed)\b", re.IGNORECASE)
    compiled = [(r.source, re.compile(r.pattern)) for r in src.itertuples(index=False)]
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    rows = []
    for doc_id, outlet, text in zip(ids, corpus[label_col], corpus[text_col]):
        credits: list[tuple[int, str, str]] = []
        for s, e in sentence_spans(text):
            sent = text[s:e]
            if not cue.search(sent):
                continue
            for name, pat in compiled:
                for m in pat.finditer(sent):
                    label = m.group(0) if "<" in name else name
                    credits.append((s + m.start(), label, sent))
        if credits:
            counts = pd.Series([c[1] for c in credits]).value_counts()
            firsts = {lab: min(c[0] for c in credits if c[1] == lab) for lab in counts.index}
            top = sorted(counts.index, key=lambda lab: (-counts[lab], firsts[lab]))[0]
            ev = next(c[2] for c in sorted(credits) if c[1] == top)
            others = "; ".join(sorted(set(counts.index) - {top}))
            rows.append((doc_id, outlet, top, int(counts[top]), others, ev))
        else:
            rows.append((doc_id, outlet, "nobody", 0, "", ""))
    out = pd.DataFrame(rows, columns=["doc_id", "outlet", "attributed_to", "n_credits",
                                      "other_sources", "evidence"])
    return out.set_index("doc_id")


#: Words before a verb form that make it a noun ("the reports", "his claims").
_NOUN_BEFORE = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "its",
                          "their", "our", "my", "your", "some", "many", "such", "of", "all", "both",
                          "each", "every", "no", "any", "several", "other"})
#: Forms of "be" before a participle make it a passive with no speaker ("could be concluded").
_BE = frozenset({"be", "been", "being", "is", "are", "was", "were", "am"})
_TOKEN = re.compile(r"[\w'\u2019-]+")
#: Finite verbs that, right after an -s form, make it a plural noun (the subject).
_FINITE = frozenset({"will", "would", "can", "could", "should", "must", "may", "might", "have",
                     "has", "had", "are", "were", "do", "did", "agree", "want", "need"})


def reporting_verbs(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                    verbs: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Every reporting verb in attribution position (direct and indirect speech), with its sentence.

    A word form from ``verbs`` counts when it is used as a verb that reports
    someone's words, in the outlet's own voice:

    * outside quotation marks (a verb inside a quote is the speaker's own word);
    * written in lower case, or capitalised only as a sentence's first word
      ("United States" is a name);
    * not a noun: not after a determiner, possessive or ``of`` ("the reports",
      "his claims"), not followed by a possessive apostrophe ("member states’
      positions"), not an -s form followed by a finite verb ("member states
      agreed"), and not closing its sentence unless a quotation precedes it
      there ("32 NATO member states." against "…,” he said.");
    * not a passive, which has no speaker: not after a form of *be*, with at
      most one adverb between ("could be concluded", "was widely reported").

    ``speaker`` is the name, pronoun or description before the verb (``NAME
    [aux] VERB``, ``NAME, apposition, VERB``) or right after it (``stated
    Sybiha``), as written; ``""`` when none is found.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``verb`` (as written, lowercased), ``lemma``,
        ``start``, ``end`` (offsets of the verb in ``text_col``), ``speaker``,
        ``sentence``. Count with ``pd.crosstab(t["lemma"], t["outlet"])``.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": [
    ...     "He said no. The United States and member states agreed. A deal could be concluded. "
    ...     "She stressed it and admitted more."]})
    >>> reporting_verbs(df)[["verb", "speaker"]].values.tolist()
    [['said', 'He'], ['stressed', 'She'], ['admitted', '']]
    """
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    vt = load_reporting_verbs(verbs)
    lemma = dict(zip(vt["form"], vt["lemma"]))
    verb_re = verb_pattern(list(lemma))
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    rows = []
    for doc_id, outlet, text in zip(ids, corpus[label_col], corpus[text_col]):
        quoted = quoted_spans(text) + [(a, b) for a, b, _ in block_quotes(text)]
        for s, e in sentence_spans(text):
            sent = text[s:e]
            toks = list(_TOKEN.finditer(sent))
            for k, m in enumerate(toks):
                w = m.group(0)
                form = w.lower()
                if form not in lemma or (w != form and not (k == 0 and w == form.capitalize())):
                    continue
                a, b = s + m.start(), s + m.end()
                if any(qa <= a < qb for qa, qb in quoted) or _not_speech(sent, toks, k, quoted, s):
                    continue
                rows.append((doc_id, outlet, form, lemma[form], a, b,
                             _verb_speaker(sent, m.start(), m.end()), sent))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "verb", "lemma", "start", "end", "speaker",
                                       "sentence"])


def _not_speech(sent: str, toks: list[re.Match[str]], k: int, quoted: list[tuple[int, int]],
                offset: int) -> bool:
    """A verb form used as a noun, a name part or a passive (see :func:`reporting_verbs`)."""
    m = toks[k]
    before = [t.group(0).lower() for t in toks[max(0, k - 2):k]]
    if before and before[-1] in _NOUN_BEFORE:
        return True
    if before and (before[-1] in _BE or (len(before) == 2 and before[0] in _BE and before[1].endswith("ly"))):
        return True
    if re.match(r"['\u2019](?![a-zA-Z])", sent[m.end():]):
        return True
    after = toks[k + 1].group(0).lower() if k + 1 < len(toks) else ""
    if m.group(0).endswith("s") and (after in _FINITE or after.endswith("ed")):
        return True  # "member states agreed": a plural noun, subject of the next verb
    if not re.search(r"\w", sent[m.end():]):
        a = offset + m.start()
        return not any(qb <= a and qb > offset for _, qb in quoted)
    return False


@lru_cache(maxsize=None)
def _speaker_patterns() -> tuple[re.Pattern[str], ...]:
    stop = "|".join(sorted(ENGLISH_STOP_WORDS))
    noun = r"(?:\s+(?!(?:" + stop + r")\b)[a-z]+(?<!ly))?"
    aux = r"(?:\s+(?:has|have|had|also|then|later|again|previously|repeatedly|[a-z]+ly)){0,2}\s+$"
    return (re.compile(r"(?P<s>(?:" + NAME_PATTERN + ")" + noun + "|" + _DESCRIPTION + "|" + PRONOUN_PATTERN
                       + r"|[Tt]he\s+[a-z-]+|(?<![\w-])(?!(?:" + stop + r")\b)[a-z]+s)(?:\u2019s|'s)?" + aux),
            re.compile(r",\s*(?P<s>" + NAME_PATTERN + r"),\s*$"),
            re.compile(r"(?P<s>" + NAME_PATTERN + r")(?:\u2019s|'s)?,[^,]{1,100}," + aux),
            re.compile(r"\s+(" + NAME_PATTERN + "|" + _DESCRIPTION + ")"))


def _verb_speaker(sent: str, vs: int, ve: int) -> str:
    """The speaker of the reporting verb at ``sent[vs:ve]``, as written, or ``""``.

    Tried in order, in the 200 characters before the verb: a name, pronoun or
    description right before it, with a common noun after a name kept ("NATO
    diplomats", a group, not NATO) and up to two auxiliaries or adverbs between
    ("has said", "also threatened"); an appositive name (", Olha Stefanishyna,
    told"); a name with an apposition ("Putin, who replaced ..., has said"); then a
    name right after the verb ("stated Sybiha"), when a comma or quotation
    precedes the verb and it is not an -ing form.
    """
    left = sent[max(0, vs - 200):vs]
    *before_pats, inv_pat = _speaker_patterns()
    for pat in before_pats:
        m = pat.search(left)
        if m:
            return m.group("s").rstrip(".")
    inv = inv_pat.match(sent, ve)
    before = left.rstrip()
    if inv and not sent[vs:ve].endswith("ing") and (not before or before[-1] in ",\u201d\"\u2019"):
        return inv.group(1).rstrip(".")
    return ""
