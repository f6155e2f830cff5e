"""Traces of translation and republishing, each hit with its evidence.

General rules, no per-file lists:

* :func:`untranslated_fragments`: a bracketed or parenthesised phrase, or a run
  of words, made of another language's function words ("das", "dos", "của") or
  words with diacritics English does not use (``õ``, ``ã``, ``ç``, ``ß``...), with
  no English function word among them: ``[das tensões]``.
* :func:`pronoun_slips`: a pronoun whose nearest named person (same or previous
  sentence) has a first name of the other gender, e.g. ``Olga Stefanishyna ...``
  followed by ``he stated``. Surnames inherit the gender of the first name they
  were introduced with. First names are a data file
  (``framelens/data/first_names.csv``).
* :func:`calques`: constructions of another language rendered word for word: a
  day of the month in brackets after a weekday (``Friday (29)``, the Brazilian
  and Spanish press convention ``sexta-feira (29)``), an argument swapped against
  the rest of the text (``invitation to join Ukraine`` where the text elsewhere
  says ``Ukraine cannot join NATO``), and the constructions of
  ``framelens/data/calques.csv`` (``a letter to which the agency ... had access``).
* :func:`furniture`: what :func:`framelens.corpus.clean` removed (author
  biographies, republication notices, source lines, share buttons, comment
  counters), plus copy-paste seams left in the cleaned text (``August. .``).

:func:`traces` stacks them into one table whose ``category`` keeps page
furniture (``furniture``) apart from traces of translation (``translation``);
:func:`traces_by_outlet` counts both for every outlet, zeros included.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from framelens.speech import quoted_spans
from framelens.text import sentence_spans, words

__all__ = ["untranslated_fragments", "pronoun_slips", "calques", "furniture", "traces",
           "traces_by_outlet", "load_first_names", "load_foreign_stopwords", "load_calques",
           "language_name", "before_after", "CATEGORY", "LANGUAGES"]

_COLS = ["doc_id", "outlet", "kind", "rule", "evidence", "context", "column", "start", "end"]
#: Letters with diacritics that English text (outside names) does not use.
_FOREIGN_LETTERS = re.compile(r"[ãõçñßäöüœæøåàèìòùâêîôûëïÿáíóúéčšžřěůłńśźżđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                              re.IGNORECASE)
_ENGLISH = frozenset(ENGLISH_STOP_WORDS)
#: Trace kind -> category: page furniture is no trace of translation.
CATEGORY: dict[str, str] = {"untranslated": "translation", "pronoun-slip": "translation",
                            "calque": "translation", "page-furniture": "furniture"}
#: ISO 639-1 codes of the packaged foreign function words, by name.
LANGUAGES: dict[str, str] = {"de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
                             "pt": "Portuguese", "vi": "Vietnamese", "ru": "Russian", "uk": "Ukrainian",
                             "pl": "Polish", "nl": "Dutch"}


def language_name(codes: str) -> str:
    """Language names for a comma-separated list of ISO 639-1 codes (unknown codes kept).

    Examples
    --------
    >>> language_name("de, pt")
    'German or Portuguese'
    """
    names = [LANGUAGES.get(c.strip(), c.strip()) for c in codes.split(",") if c.strip()]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def _read_data(name: str) -> pd.DataFrame:
    with resources.files("framelens").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def _default(name: str) -> pd.DataFrame:
    return _read_data(name)


def _load(source: str | Path | pd.DataFrame | None, default: str, cols: tuple[str, str]) -> pd.DataFrame:
    if source is None:
        df, where = _default(default).copy(), f"framelens/data/{default}"
    elif isinstance(source, pd.DataFrame):
        df, where = source.copy(), "the table"
    else:
        df, where = pd.read_csv(source, dtype=str, keep_default_na=False), str(source)
    for c in cols:
        if c not in df.columns:
            raise ValueError(f"{where}: missing column {c!r}; needs {list(cols)}")
    return df[list(cols)].reset_index(drop=True)


def load_first_names(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """First names with ``gender`` (``female``/``male``); the packaged list when None.

    Examples
    --------
    >>> n = load_first_names()
    >>> n.loc[n["name"] == "olga", "gender"].item()
    'female'
    """
    df = _load(source, "first_names.csv", ("name", "gender"))
    bad = sorted(set(df["gender"]) - {"female", "male"})
    if bad:
        raise ValueError(f"first-name table: gender values {bad}; allowed: 'female', 'male'")
    df["name"] = df["name"].str.lower()
    return df


def load_foreign_stopwords(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Function words of other languages (``language``, ``word``) that are not English words.

    Examples
    --------
    >>> sw = load_foreign_stopwords()
    >>> sorted(sw.loc[sw["word"] == "das", "language"])
    ['de', 'pt']
    """
    df = _load(source, "foreign_stopwords.csv", ("language", "word"))
    df["word"] = df["word"].str.lower()
    clash = sorted(set(df["word"]) & _ENGLISH)
    if clash:
        raise ValueError(f"foreign stop words {clash} are also English stop words; remove them")
    return df


def _ids(corpus: pd.DataFrame) -> list[object]:
    return corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()


def _check(corpus: pd.DataFrame, text_col: str, label_col: str) -> None:
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")


def _sentence_at(text: str, spans: list[tuple[int, int]], pos: int) -> str:
    for s, e in spans:
        if s <= pos < e:
            return text[s:e]
    return ""


def untranslated_fragments(corpus: pd.DataFrame, *, text_col: str = "text",
                           label_col: str = "outlet",
                           stopwords: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Phrases left in another language.

    A candidate is the content of ``[...]`` or ``(...)`` (rule
    ``bracketed-foreign``), or a run of two or more consecutive lower-case words
    that are not English stop words (rule ``foreign-run``). Only lower-case words
    count as evidence, since capitalised ones are names ("Los Angeles", "von der
    Leyen", "Lula da Silva"). A bracketed phrase is flagged when it has no English
    stop word and a lower-case foreign function word (``stopwords``) or a word
    with a diacritic English does not use; a run needs two foreign function
    words, or one and a diacritic word, and both need a word that is not a
    function word (so the particles of "Ursula von der Leyen" pass). ``evidence`` names the words and the
    languages whose function words they are. Measured on the first 3,000
    article-bias-prediction articles (native English): one hit, "les misérables",
    a French title left untranslated.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``kind`` (``untranslated``), ``rule``, ``evidence``,
        ``context`` (sentence), ``column``, ``start``, ``end`` (of the fragment).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                    "text": ["It is not an escalation [das tensões], he said (29)."]})
    >>> untranslated_fragments(df)[["rule", "evidence"]].values.tolist()
    [['bracketed-foreign', "'das tensões': function words das (German or Portuguese); diacritics tensões"]]
    """
    _check(corpus, text_col, label_col)
    sw = load_foreign_stopwords(stopwords)
    langs = sw.groupby("word")["language"].agg(lambda s: language_name(", ".join(sorted(set(s))))).to_dict()
    rows = []
    for doc_id, outlet, text in zip(_ids(corpus), corpus[label_col], corpus[text_col]):
        spans = sentence_spans(text)
        seen: set[tuple[int, int]] = set()
        cands = [(m.start(1), m.end(1), True) for m in re.finditer(r"[\[(]([^\[\]()\n]{1,80})[\])]", text)]
        cands += [(m.start(), m.end(), False)
                  for m in re.finditer(r"[^\W\d_][\w'\u2019-]*(?:\s+[^\W\d_][\w'\u2019-]*)+", text)]
        for a, b, bracketed in cands:
            if bracketed:
                frag = text[a:b]
                toks = words(frag)
                low = _lowercase_words(frag)
                foreign = [t for t in low if t in langs]
                diac = [t for t in low if _FOREIGN_LETTERS.search(t)]
                if not toks or any(t in _ENGLISH for t in toks) or not (foreign or diac) \
                        or all(t in langs for t in low):
                    continue
                hits = [(a, b, "bracketed-foreign")]
            else:
                hits = [(sa, sb, "foreign-run") for sa, sb in _foreign_stretches(text, a, b, langs)]
            for sa, sb, rule in hits:
                if any(sa < e and s < sb for s, e in seen):
                    continue
                seen.add((sa, sb))
                st = words(text[sa:sb])
                rows.append((doc_id, outlet, "untranslated", rule,
                             _evidence(text[sa:sb], [t for t in st if t in langs],
                                       [t for t in st if _FOREIGN_LETTERS.search(t)], langs),
                             _sentence_at(text, spans, sa), text_col, sa, sb))
    return pd.DataFrame(rows, columns=_COLS).sort_values(["doc_id", "start"], kind="stable",
                                                          ignore_index=True)


def _foreign_stretches(text: str, a: int, b: int, langs: dict[str, str]) -> list[tuple[int, int]]:
    """Stretches of >= 2 consecutive words in text[a:b], none English stop words, with a
    foreign function word and a diacritic word or two foreign function words."""
    # capitalised words are names ("Los Angeles", "von der Leyen", "Lula da Silva"):
    # they end a run instead of joining it
    toks = [(m.start() + a, m.end() + a, m.group(0).replace("\u2019", "'"))
            for m in re.finditer(r"[\w'\u2019-]+", text[a:b])]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        j = i
        while j < len(toks) and toks[j][2].islower() and toks[j][2] not in _ENGLISH:
            j += 1
        run = toks[i:j]
        if len(run) >= 2:
            fw = [t for _, _, t in run if t in langs]
            dw = [t for _, _, t in run if _FOREIGN_LETTERS.search(t)]
            content = [t for _, _, t in run if t not in langs]
            if content and ((fw and dw) or len(fw) >= 2):
                # trim to the foreign core: from the first to the last foreign-looking word
                idx = [k for k, (_, _, t) in enumerate(run) if t in langs or _FOREIGN_LETTERS.search(t)]
                out.append((run[idx[0]][0], run[idx[-1]][1]))
        i = j + 1
    return out


def _lowercase_words(frag: str) -> list[str]:
    """Words written in lower case (names excluded), apostrophes normalised."""
    return [m.group(0).replace("\u2019", "'") for m in re.finditer(r"[\w'\u2019-]+", frag)
            if m.group(0).islower()]


def _evidence(frag: str, foreign: list[str], diac: list[str], langs: dict[str, str]) -> str:
    parts = []
    if foreign:
        parts.append("function words " + ", ".join(f"{t} ({langs[t]})" for t in dict.fromkeys(foreign)))
    if diac:
        parts.append("diacritics " + ", ".join(dict.fromkeys(diac)))
    return f"{frag!r}: " + "; ".join(parts)


_PRONOUNS = {"he": "male", "him": "male", "his": "male", "himself": "male",
             "she": "female", "her": "female", "hers": "female", "herself": "female"}
#: Titles that give a mention's gender; any other title makes it a person of unknown gender.
_TITLE_GENDER = {"mr": "male", "sir": "male", "lord": "male", "king": "male", "prince": "male",
                 "mrs": "female", "ms": "female", "miss": "female", "lady": "female",
                 "dame": "female", "queen": "female", "princess": "female"}
_OTHER_TITLES = ("president", "minister", "secretary", "senator", "sen", "rep", "gov", "governor",
                 "dr", "prof", "gen", "general", "chancellor", "ambassador", "judge", "director",
                 "chairman", "chairwoman", "spokesman", "spokeswoman", "mayor", "pope")
_SCOPES = ("speech", "subject", "all")


def pronoun_slips(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                  names: pd.DataFrame | str | Path | None = None,
                  scope: str = "speech") -> pd.DataFrame:
    """Pronouns whose gender contradicts their nearest named person.

    Person mentions are: a known first name followed by a capitalised surname
    ("Olga Stefanishyna"), later that surname alone (it inherits the first name's
    gender, unless a title says otherwise), and a title with a name ("Mr. Comey":
    male; "Mrs. Clinton": female; "President Macron": a person of unknown gender,
    who still counts as the nearest antecedent and so blocks a false alarm; so
    does any other run of capitalised words, e.g. "Owen Jones").
    For each pronoun in ``scope``, the nearest person mention before it in the same
    or the previous sentence is its antecedent; a gender mismatch with a known
    gender is a slip (typical of machine translation from a language where the
    verb, not a pronoun, carries the subject).

    Parameters
    ----------
    scope : {"speech", "subject", "all"}, default "speech"
        ``"speech"``: only ``he``/``she`` attributing a direct quote, right after
        the closing quote mark and next to a reporting verb (``,” he stated``,
        ``," said she``), whose antecedent is taken to be the speaker of the
        previous sentence's reporting clause ("Olga Stefanishyna, deputy prime
        minister ..., stated that ..."), so a slip is unambiguous; ``"subject"``: every ``he``/``she``; ``"all"``: also
        ``him``/``his``/``her``/``hers``. Wider scopes find more and misfire more
        (on the NewsWCL50 articles, ``"all"`` flags possessives of people named
        between the mention and the pronoun). Measured false alarms of ``"speech"``:
        none in the 50 NewsWCL50 articles, 21 in the first 6,000 articles of
        article-bias-prediction (0.35%; native English, so nearly all are a quote
        whose speaker is not the subject of the previous reporting clause). Read
        each hit's ``context`` before calling it a translation trace.

    Returns
    -------
    pandas.DataFrame
        Columns as :func:`traces`; ``kind`` ``pronoun-slip``, ``evidence`` naming
        the person, the first name's gender and the pronoun; ``context`` the
        text from the mention to the end of the pronoun's sentence.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ["Olga Stefanishyna stated that there is no consensus. “We wait,” he stated."]})
    >>> pronoun_slips(df)["evidence"].tolist()
    ["'he' refers to Olga Stefanishyna (first name Olga: female)"]
    """
    _check(corpus, text_col, label_col)
    if scope not in _SCOPES:
        raise ValueError(f"scope={scope!r}; allowed: {list(_SCOPES)}")
    nm = load_first_names(names)
    gender = dict(zip(nm["name"], nm["gender"]))
    from framelens.speech import NAME_PATTERN, find_attribution, load_reporting_verbs, verb_pattern
    forms = list(load_reporting_verbs()["form"])
    verb_alt = "|".join(sorted(forms, key=len, reverse=True))
    verb_re = verb_pattern(forms)
    if scope == "speech":
        close = "[\u201d\"\u2019']"
        pron_re = re.compile(close + r"\s*,?\s*(?:(?P<a>he|she)\s+(?:" + verb_alt + r")\b|(?:"
                             + verb_alt + r")\s+(?P<b>he|she)\b)", re.IGNORECASE)
    elif scope == "subject":
        pron_re = re.compile(r"\b(?P<a>he|she)\b", re.IGNORECASE)
    else:
        pron_re = re.compile(r"\b(?P<a>he|him|his|himself|she|her|hers|herself)\b", re.IGNORECASE)
    first_re = re.compile(r"\b([A-Z][a-z]+)\s+([A-Z][\w'\u2019-]+)")
    title_re = re.compile(r"\b(" + "|".join(sorted(set(_TITLE_GENDER) | set(_OTHER_TITLES), key=len,
                                                     reverse=True))
                          + r")\.?\s+((?:[A-Z]\.\s*)*[A-Z][\w'\u2019-]+)", re.IGNORECASE)
    rows = []
    for doc_id, outlet, text in zip(_ids(corpus), corpus[label_col], corpus[text_col]):
        spans = sentence_spans(text)
        # start, end, full name, evidence of gender, gender ("" = unknown)
        mentions: list[tuple[int, int, str, str, str]] = []
        surnames: dict[str, tuple[str, str, str]] = {}
        for m in title_re.finditer(text):
            if not m.group(1)[0].isupper():
                continue
            g = _TITLE_GENDER.get(m.group(1).lower(), "")
            mentions.append((m.start(2), m.end(2), f"{m.group(1)} {m.group(2)}",
                             f"title {m.group(1)}", g))
        for m in first_re.finditer(text):
            g = gender.get(m.group(1).lower())
            if g:
                sur = re.sub(r"(?:'|\u2019)s$", "", m.group(2))
                full = f"{m.group(1)} {sur}"
                mentions.append((m.start(), m.end(), full, f"first name {m.group(1)}", g))
                surnames.setdefault(sur, (full, f"first name {m.group(1)}", g))
        for sur, (full, why, g) in surnames.items():
            for m in re.finditer(r"\b" + re.escape(sur) + r"\b", text):
                if not any(s <= m.start() < e for s, e, *_ in mentions):
                    mentions.append((m.start(), m.end(), full, why, g))
        # any other run of capitalised words ("Owen Jones", "White House") and any
        # capitalised word next to a reporting verb ("Continetti notes", "said Sanders")
        # is a possible antecedent of unknown gender: it blocks, never flags
        generic = [(m.start(), m.end()) for m in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+", text)]
        generic += [(m.start(1), m.end(1)) for m in re.finditer(
            r"\b([A-Z][\w'\u2019-]+)\s+(?:" + verb_alt + r")\b", text)]
        generic += [(m.start(1), m.end(1)) for m in re.finditer(
            r"\b(?:" + verb_alt + r")\s+([A-Z][\w'\u2019-]+)", text)]
        for a, b in generic:
            if not any(s < b and a < e for s, e, *_ in mentions):
                mentions.append((a, b, text[a:b], "capitalised words", ""))
        # names inside quotation marks are not the speaker of the quote
        quoted = quoted_spans(text)
        mentions = sorted(x for x in mentions if not any(qa <= x[0] < qb for qa, qb in quoted))
        for m in pron_re.finditer(text):
            grp = "a" if m.group("a") else "b"
            ps, pe, p = m.start(grp), m.end(grp), m.group(grp).lower()
            si = next((k for k, (s, e) in enumerate(spans) if s <= ps < e), None)
            if si is None:
                continue
            if scope == "speech":
                # the antecedent is the speaker of the previous sentence's reporting clause
                if si == 0:
                    continue
                qs, qe = spans[si - 1]
                prev = text[qs:qe]
                raw, _ = find_attribution(prev, "", verb_re, last=True)
                if not raw or raw.lower() in _PRONOUNS:
                    inv = re.search(r"\b(?:" + verb_alt + r")\s+(" + NAME_PATTERN + ")", prev)
                    raw = inv.group(1) if inv else ""
                if not raw:
                    continue
                off = qs + prev.find(raw)
                before = [x for x in mentions if off <= x[0] < off + len(raw)]
            else:
                window_start = spans[max(0, si - 1)][0]
                before = [x for x in mentions if window_start <= x[0] < ps]
            if not before:
                continue
            s0, _, full, why, g = before[-1]
            if g and g != _PRONOUNS[p]:
                rows.append((doc_id, outlet, "pronoun-slip", "pronoun-gender",
                             f"{text[ps:pe]!r} refers to {full} ({why}: {g})",
                             text[s0:spans[si][1]], text_col, ps, pe))
    return pd.DataFrame(rows, columns=_COLS)


def load_calques(source: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Calque constructions (``pattern``, ``language``, ``english``, ``note``); packaged list when None.

    ``pattern`` is a regular expression matched case-insensitively; ``english`` is
    what an English writer would say instead.

    Examples
    --------
    >>> load_calques()["language"].tolist()
    ['Portuguese or Spanish']
    """
    df = _load(source, "calques.csv", ("pattern", "language", "english", "note"))
    for i, p in enumerate(df["pattern"], start=2):
        try:
            re.compile(p)
        except re.error as err:
            raise ValueError(f"calque table, line {i}: pattern {p!r} is invalid: {err}") from err
    return df


_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*\(\s*(\d{1,2})\s*\)")
#: Between a subject and its verb in the "subject" reading of :func:`calques`' argument rule.
_AUX = (r"(?:\s+(?:cannot|can|could|will|would|shall|should|must|may|might|not|to|wants|want|seeks|"
        r"hopes|plans|is|was|never|also|eventually|soon|still))")


def calques(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
            constructions: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Constructions of another language rendered word for word.

    Three rules:

    * ``weekday-date``: a weekday followed by a day of the month in brackets,
      ``Friday (29)``: the Brazilian and Spanish press convention ("nesta
      sexta-feira (29)"), which English news does not use. No hit in the first
      3,000 article-bias-prediction articles.
    * ``reversed-argument``: ``NOUN to VERB X`` ("an invitation to join
      Ukraine") while the same text has ``X [aux] VERB Y`` with another
      capitalised ``Y`` ("Ukraine cannot join NATO"): the one who does the verb
      everywhere else is its object here, a case-role slip of translation from a
      language that marks roles by case (Russian or Ukrainian "приглашение
      Украине вступить", an invitation *to Ukraine* to join). One hit in the first
      6,000 article-bias-prediction articles ("to push Beijing to push North
      Korea"): read each hit's context.
    * ``construction``: a pattern of ``constructions`` (default
      ``framelens/data/calques.csv``), e.g. a document "to which the agency ... had
      access" (Portuguese "à qual ... teve acesso"; English: "seen by").

    Returns
    -------
    pandas.DataFrame
        Columns as :func:`traces`; ``kind`` ``calque``, ``evidence`` naming the rule's
        reading, ``context`` the sentence.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": [
    ...     "They want an invitation to join Ukraine. Ukraine cannot join NATO yet, he said on Friday (29)."]})
    >>> calques(df)["rule"].tolist()
    ['reversed-argument', 'weekday-date']
    """
    _check(corpus, text_col, label_col)
    table = load_calques(constructions)
    compiled = [(re.compile(r.pattern, re.IGNORECASE), r.language, r.english)
                for r in table.itertuples(index=False)]
    rows = []
    for doc_id, outlet, text in zip(_ids(corpus), corpus[label_col], corpus[text_col]):
        spans = sentence_spans(text)

        def add(rule: str, a: int, b: int, evidence: str) -> None:
            rows.append((doc_id, outlet, "calque", rule, evidence, _sentence_at(text, spans, a),
                         text_col, a, b))
        for m in _WEEKDAY.finditer(text):
            if 1 <= int(m.group(2)) <= 31:
                add("weekday-date", m.start(), m.end(),
                    f"{m.group(0)!r}: the day of the month in brackets after the weekday, the "
                    "Portuguese and Spanish press convention (\u201csexta-feira (29)\u201d)")
        for m in re.finditer(r"\b[a-z]+ to ([a-z]+) ([A-Z][\w'\u2019-]*[\w])", text):
            verb, x = m.group(1), re.sub(r"(?:'|\u2019)s$", "", m.group(2))
            if verb in _ENGLISH:
                continue
            subj = re.search(r"\b" + re.escape(x) + r"\b" + _AUX + r"{1,3}\s+" + re.escape(verb)
                             + r"\s+(?:the\s+)?(?!" + re.escape(x) + r"\b)[A-Z][\w-]+", text)
            if subj:
                add("reversed-argument", m.start(), m.end(),
                    f"{m.group(0)!r}: {x} is the one who does '{verb}' elsewhere in the text "
                    f"({subj.group(0)!r}), here its object")
        for pat, language, english in compiled:
            for m in pat.finditer(text):
                add("construction", m.start(), m.end(),
                    f"{m.group(0)!r}: a {language} construction word for word; English: {english}")
    return pd.DataFrame(rows, columns=_COLS).sort_values(["doc_id", "start"], kind="stable",
                                                          ignore_index=True)


def furniture(corpus: pd.DataFrame, audit: pd.DataFrame | None = None, *, text_col: str = "text",
              label_col: str = "outlet") -> pd.DataFrame:
    """Page furniture and republishing seams no reporter wrote.

    ``audit`` is the removal table of :func:`framelens.corpus.clean` (one row per
    removed span: ``rule``, ``removed``, offsets into ``text_raw``); each row is
    listed with the removed text as evidence. In the cleaned text, a full stop
    repeated after a space (``August. .``) is listed as a copy-paste seam.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "text": ["It ended in August. ."]})
    >>> furniture(df)[["rule", "evidence"]].values.tolist()
    [['copy-paste-seam', "'. .' after 'August'"]]
    """
    _check(corpus, text_col, label_col)
    rows = []
    if audit is not None:
        for r in audit.itertuples(index=False):
            rows.append((r.doc_id, r.outlet, "page-furniture", r.rule, str(r.removed), str(r.removed),
                         "text_raw", int(r.start), int(r.end)))
    for doc_id, outlet, text in zip(_ids(corpus), corpus[label_col], corpus[text_col]):
        spans = sentence_spans(text)
        for m in re.finditer(r"(\w+)([.!?]) +([.!?])(?!\.)", text):
            rows.append((doc_id, outlet, "page-furniture", "copy-paste-seam",
                         f"{m.group(2)} {m.group(3)!s}".join(["'", "'"]) + f" after {m.group(1)!r}",
                         _sentence_at(text, spans, m.start()), text_col, m.start(2), m.end()))
    return pd.DataFrame(rows, columns=_COLS)


def traces(corpus: pd.DataFrame, audit: pd.DataFrame | None = None, *, text_col: str = "text",
           label_col: str = "outlet") -> pd.DataFrame:
    """All translation and republishing traces, one row per hit, with evidence.

    Stacks :func:`untranslated_fragments`, :func:`pronoun_slips`, :func:`calques`
    and :func:`furniture`, sorted by document, kind and position; ``category``
    (:data:`CATEGORY`) tells page furniture (``furniture``: what cleaning removed,
    copy-paste seams) from traces of translation (``translation``).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ["Olga Kuleba said no [das tensões] on Friday (29). “We stay,” he added."]})
    >>> traces(df)[["kind", "category"]].values.tolist()
    [['calque', 'translation'], ['pronoun-slip', 'translation'], ['untranslated', 'translation']]
    """
    parts = [untranslated_fragments(corpus, text_col=text_col, label_col=label_col),
             pronoun_slips(corpus, text_col=text_col, label_col=label_col),
             calques(corpus, text_col=text_col, label_col=label_col),
             furniture(corpus, audit, text_col=text_col, label_col=label_col)]
    out = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=_COLS)
    out = out.sort_values(["doc_id", "kind", "start"], kind="stable", ignore_index=True)
    out.insert(3, "category", out["kind"].map(CATEGORY).fillna("translation"))
    return out


def traces_by_outlet(found: pd.DataFrame, corpus: pd.DataFrame, *,
                     label_col: str = "outlet") -> pd.DataFrame:
    """Traces per outlet and category, every outlet of the corpus listed (zeros included).

    Parameters
    ----------
    found : pandas.DataFrame
        Output of :func:`traces`.
    corpus : pandas.DataFrame
        The corpus it was found in: its outlets, in order, are the rows.
    label_col : str
        Outlet column of ``corpus``.

    Returns
    -------
    pandas.DataFrame
        Tidy: ``outlet``, ``category`` (``translation``, ``furniture``), ``count``,
        ``kinds`` (the kinds counted with their numbers, e.g. ``"calque 2; untranslated 1"``),
        ``examples`` (evidence of each hit, `` | ``); one row per outlet and category.

    Examples
    --------
    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text": ["On Friday (29).", "Fine."]})
    >>> traces_by_outlet(traces(c), c)[["outlet", "category", "count"]].values.tolist()
    [['A', 'translation', 1], ['A', 'furniture', 0], ['B', 'translation', 0], ['B', 'furniture', 0]]
    """
    if label_col not in corpus.columns:
        raise ValueError(f"label_col={label_col!r} is not a column of corpus; "
                         f"available columns: {sorted(map(str, corpus.columns))}")
    for col in ("outlet", "kind", "category", "evidence"):
        if col not in found.columns:
            raise ValueError(f"found lacks column {col!r}; pass the output of traces()")
    rows = []
    for outlet in dict.fromkeys(corpus[label_col].astype(str)):
        mine = found[found["outlet"].astype(str) == outlet]
        for cat in ("translation", "furniture"):
            sub = mine[mine["category"] == cat]
            kinds = sub["kind"].value_counts().sort_index()
            rows.append((outlet, cat, len(sub), "; ".join(f"{k} {n}" for k, n in kinds.items()),
                         " | ".join(sub["evidence"].astype(str))))
    out = pd.DataFrame(rows, columns=["outlet", "category", "count", "kinds", "examples"])
    return out.astype({"count": "int64"})


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def before_after(corpus: pd.DataFrame, audit: pd.DataFrame, *, width: int = 50,
                 raw_col: str = "text_raw", text_col: str = "text") -> pd.DataFrame:
    """Each span cleaning removed, shown in its raw surroundings and as the cleaned text reads.

    ``before`` is the published text around the span with the removed part in
    brackets ``⟦...⟧`` (cut after 100 characters); ``after`` is the cleaned text at the same place (found by
    the raw text that follows the span, or, at the end of an article, the text
    before it). Whitespace runs are shown as one space.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus from :func:`framelens.corpus.clean` (``doc_id``,
        ``raw_col`` and ``text_col``).
    audit : pandas.DataFrame
        Its audit table (``doc_id``, ``outlet``, ``rule``, ``start``, ``end``).
    width : int, default 50
        Characters of context on each side.
    raw_col, text_col : str
        Published and cleaned text columns.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``rule``, ``before``, ``after``; one row per
        audit row, in audit order (empty when nothing was removed).

    Examples
    --------
    >>> c = pd.DataFrame({"doc_id": ["a"], "text_raw": ["date 2024-11-30Kyiv asks NATO."],
    ...                   "text": ["Kyiv asks NATO."]})
    >>> a = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"], "rule": ["date-header"],
    ...                   "start": [0], "end": [15]})
    >>> before_after(c, a, width=10)[["before", "after"]].values.tolist()
    [['⟦date 2024-11-30⟧Kyiv asks', 'Kyiv asks']]
    """
    for col in ("doc_id", raw_col, text_col):
        if col not in corpus.columns:
            raise ValueError(f"corpus lacks column {col!r}; pass the cleaned corpus of clean()")
    for col in ("doc_id", "outlet", "rule", "start", "end"):
        if col not in audit.columns:
            raise ValueError(f"audit lacks column {col!r}; pass the audit table of clean()")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width={width!r} must be a positive integer")
    raw = dict(zip(corpus["doc_id"], corpus[raw_col]))
    cleaned = dict(zip(corpus["doc_id"], corpus[text_col]))
    rows = []
    for r in audit.itertuples(index=False):
        text, out = raw[r.doc_id], cleaned[r.doc_id]
        start, end = int(r.start), int(r.end)
        gone = text[start:end] if end - start <= 120 else text[start:start + 100] + " … "
        before = text[max(0, start - width):start] + "⟦" + gone + "⟧" + text[end:end + width]
        follow = text[end:end + 25].strip()
        if follow and out.find(follow) >= 0:
            at = out.find(follow)
            after = out[max(0, at - width):at + width]
        else:
            lead = text[max(0, start - 25):start].strip()
            at = out.rfind(lead) + len(lead) if lead and out.rfind(lead) >= 0 else len(out)
            after = out[max(0, at - width):at + width]
        rows.append((r.doc_id, r.outlet, r.rule, _squeeze(before), _squeeze(after)))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "rule", "before", "after"])
