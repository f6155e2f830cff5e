"""Speech in news text: quotation marks, block quotes, attributions, speakers, reporting verbs.

The pieces :mod:`framelens.quotes` and :mod:`framelens.traces` share:

* :func:`quote_spans` / :func:`quoted_spans` / :func:`block_quotes`: where the
  quoted words are (marks of every style, quotes inside quotes, block quotes
  without marks);
* :func:`find_attribution`, :func:`is_anaphor`, :data:`NAME_PATTERN`,
  :func:`verb_pattern`: who says it, with which verb;
* :func:`resolve_speakers`: one name per person across spellings and
  transliterations (actor aliases, else :func:`framelens.spelling.same_name`);
* :func:`reporting_verbs`: reporting verbs in attribution position, in the
  outlet's own voice;
* :func:`load_reporting_verbs`, :func:`load_sources`: the data files
  ``framelens/data/reporting_verbs.csv`` and ``news_sources.csv``.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from framelens.spelling import name_key, same_name
from framelens.text import sentence_spans, words

__all__ = ["QUOTE_PAIRS", "NAME_PATTERN", "PRONOUN_PATTERN", "quote_spans", "quoted_spans",
           "block_quotes", "verb_pattern", "attribution_after", "find_attribution", "is_anaphor",
           "clean_speaker", "resolve_speakers", "reporting_verbs", "load_reporting_verbs",
           "load_sources"]

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
        pos = marks[j]
        if ch == '"' and opener == "\u201c" and pos > 0 and not para[pos - 1].isspace():
            ch = closer  # mixed marks from copy-paste: “…" closes like “…”
        if ch == closer:
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
    is an apostrophe: ``‘90s`` after a letter); a straight ``"`` after a letter or
    punctuation with no quotation open closes one opened in an earlier paragraph
    and is skipped. Mixed marks left by copy-paste pair too (``“…"``, ``"…”``).
    Only the quotation marks are visited, so a paragraph costs one scan for them.

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
        elif ch == "\u201d" and straight_open >= 0:  # mixed marks: "…” closes like "…"
            spans = [sp for sp in spans if sp[0] < straight_open]
            spans.append((straight_open, i + 1))
            straight_open = -1
        elif ch == '"':
            if straight_open < 0:
                # a mark after a letter or punctuation closes a quotation opened in an earlier
                # paragraph (quotes running over paragraphs leave it unopened here): skip it
                if i == 0 or para[i - 1].isspace() or para[i - 1] in "([{\u2014\u2013-/":
                    straight_open = i
            else:  # a span found since the straight mark opened is a quote inside it
                spans = [sp for sp in spans if sp[0] < straight_open]
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


def clean_speaker(raw: str) -> str:
    """A speaker's name without role words, function words, dates or lower-case words.

    The last two capitalised words left are kept.

    Examples
    --------
    >>> clean_speaker("Ukrainian Foreign Minister Sybiha"), clean_speaker("But officials")
    ('Sybiha', '')
    """
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


def attribution_after(verb_re: str) -> str:
    """Regular expression of an attribution clause right after a quotation.

    ``, Sybiha wrote`` / ``, stated Sybiha`` / ``, he added`` / ``, the president
    said``, with groups ``s1``/``v1`` (speaker before verb) or ``v2``/``s2``.

    Examples
    --------
    >>> re.match(attribution_after(verb_pattern(["said"])), ", he said.").group("s1")
    'he'
    """
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
    after = re.match(attribution_after(verb_re), right)
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
def _packaged(name: str) -> pd.DataFrame:
    with resources.files("framelens").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


def _read_table(source: str | Path | pd.DataFrame | None, default: str,
                what: str) -> tuple[pd.DataFrame, str]:
    """(table, where it came from for messages): the packaged ``default`` when ``source`` is None."""
    if source is None:
        return _packaged(default).copy(), f"framelens/data/{default}"
    if isinstance(source, pd.DataFrame):
        return source.copy(), what
    return pd.read_csv(source, dtype=str, keep_default_na=False), str(source)


def load_reporting_verbs(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Reporting verbs (``form``, ``lemma``); the packaged list when ``source`` is None.

    Examples
    --------
    >>> v = load_reporting_verbs()
    >>> v.loc[v["form"] == "stressed", "lemma"].item()
    'stress'
    """
    df, where = _read_table(source, "reporting_verbs.csv", "the verb table")
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
    df, where = _read_table(source, "news_sources.csv", "the source table")
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
        cleaned = clean_speaker(name)
        pending[raw] = cleaned.split()[-1] if cleaned else ""
    counts: Counter[str] = Counter()
    lower: set[str] = set()
    for t in texts:  # one pass over the texts: every capitalised word, possessive dropped
        counts.update(re.sub(r"(?:\u2019|')s$", "", w) for w in re.findall(r"\b[A-Z][\w'\u2019-]*", t))
        lower.update(re.findall(r"\b[a-z][\w'-]*", t))
    for raw, surname in list(pending.items()):
        if surname.lower() in lower:  # "Democratic Party", "White House": not a surname, kept whole
            out[raw] = clean_speaker(re.sub(r"(?:\u2019|')s\s+[a-z-]+$", "", raw))
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
      agreed"), and not an -s form closing its sentence unless a pronoun is its
      subject or a quotation closes before it ("32 NATO member states." against
      "…,” he says.");
    * not a passive, which has no speaker: a participle not after a form of *be*,
      with at most one adverb between ("could be concluded", "was widely
      reported"; "are saying" is no passive).

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
                if any(qa <= a < qb for qa, qb in quoted) or _not_speech(sent, toks, k):
                    continue
                rows.append((doc_id, outlet, form, lemma[form], a, b,
                             _verb_speaker(sent, m.start(), m.end()), sent))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "verb", "lemma", "start", "end", "speaker",
                                       "sentence"])


def _not_speech(sent: str, toks: list[re.Match[str]], k: int) -> bool:
    """A verb form used as a noun, a name part or a passive (see :func:`reporting_verbs`)."""
    m = toks[k]
    before = [t.group(0).lower() for t in toks[max(0, k - 2):k]]
    if before and before[-1] in _NOUN_BEFORE:
        return True
    word = m.group(0).lower()
    participle = not (word.endswith("ing") or word.endswith("s"))  # "are saying" is no passive
    if participle and before and (before[-1] in _BE
                                  or (len(before) == 2 and before[0] in _BE and before[1].endswith("ly"))):
        return True
    if re.match(r"['\u2019](?![a-zA-Z])", sent[m.end():]):
        return True
    nxt = toks[k + 1] if k + 1 < len(toks) else None
    after = nxt.group(0).lower() if nxt and not sent[m.end():nxt.start()].strip() else ""
    if m.group(0).endswith("s") and (after in _FINITE or after.endswith("ed")):
        return True  # "member states agreed": a plural noun, subject of the next verb
    if word.endswith("s") and not re.search(r"\w", sent[m.end():]):
        # an -s form closing its sentence is a plural noun ("32 member states."), unless a
        # pronoun is its subject ("Medicaid, he says.") or a quotation closes before it
        return not ((before and before[-1] in _PRONOUNS | {"it"})
                    or re.search("[\u201d\"\u00bb\u2019]", sent[:m.start()]))
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
