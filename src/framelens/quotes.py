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

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from framelens.notes import NotEnoughData
from framelens.text import sentence_spans, words

__all__ = ["quotes", "match_quotes", "quote_table", "attribution", "reporting_verbs",
           "load_reporting_verbs", "load_sources", "QUOTE_MATCH"]

#: Default cosine for two quotation sentences to be "the same quote" in
#: :func:`match_quotes` (average linkage). Unigram+bigram TF-IDF with stop words kept:
#: on the seeds, translations of one sentence of Sybiha's letter score 0.35-0.8
#: against each other and different sentences of the letter below 0.25.
QUOTE_MATCH: float = 0.3

_PAIRS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
_NAME = r"(?:[A-Z][\w\u2019'-]*\.?)(?:\s+(?:[A-Z][\w\u2019'-]*\.?))*"
_PRONOUN = r"(?:he|she|they|He|She|They)"
_ROLE_WORDS = frozenset({
    "president", "minister", "foreign", "prime", "deputy", "ukrainian", "russian", "head",
    "secretary", "general", "spokesman", "spokeswoman", "chancellor", "ambassador", "mr", "mrs",
    "ms", "dr", "the", "state", "defence", "defense", "nato", "of", "for", "and", "european",
    "euro-atlantic", "integration", "ukraine's", "ukraine", "us", "u.s.", "president-elect",
    "in", "however", "meanwhile", "but", "according", "to",
})


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


def _find_quotes(para: str) -> list[tuple[int, int]]:
    """(start, end) of quotations in one paragraph, quote marks included."""
    spans: list[tuple[int, int]] = []
    i = 0
    straight_open = -1
    while i < len(para):
        ch = para[i]
        if ch in _PAIRS:
            close = para.find(_PAIRS[ch], i + 1)
            if close > 0:
                spans.append((i, close + 1))
                i = close + 1
                continue
        elif ch == '"':
            if straight_open < 0:
                straight_open = i
            else:
                spans.append((straight_open, i + 1))
                straight_open = -1
        i += 1
    return sorted(spans)


def _clean_speaker(raw: str) -> str:
    """Drop role words from a capitalised run: 'Ukrainian Foreign Minister Sybiha' -> 'Sybiha'."""
    toks = [t for t in re.split(r"\s+", raw.strip()) if t]
    toks = [re.sub(r"(?:\u2019|')s$", "", t) for t in toks]
    kept = [t for t in toks if t.lower().strip(".,") not in _ROLE_WORDS]
    return " ".join(kept[-2:]) if kept else ""


def _verb_regex(forms: Sequence[str]) -> str:
    return r"\b(?:" + "|".join(sorted(map(re.escape, forms), key=len, reverse=True)) + r")\b"


def _attribution(left: str, right: str, verb_re: str,
                 is_ok: Callable[[str], bool] = lambda s: True, last: bool = False) -> tuple[str, str]:
    """(speaker as written, verb) from the text around a quotation, or ('', '').

    After the quote: ``, Sybiha wrote`` / ``, stated Sybiha`` / ``, he added``.
    Before it: the first (``last``: the last) ``NAME[,] [w w] VERB`` or
    ``NAME, apposition, [w w] VERB`` whose name passes ``is_ok`` (not a news
    organisation; an actor when known).
    """
    after = re.match(r"\s*[,.]?\s*(?:(?P<s1>" + _NAME + "|" + _PRONOUN + r")\s+(?P<v1>" + verb_re
                     + r")|(?P<v2>" + verb_re + r")\s+(?P<s2>" + _NAME + "|" + _PRONOUN + r"))", right)
    if after:
        spk = after.group("s1") or after.group("s2")
        verb = after.group("v1") or after.group("v2")
        if is_ok(spk) or spk in {"he", "she", "they", "He", "She", "They"}:
            return spk.rstrip("."), verb
    cands: list[tuple[int, int, str, str]] = []
    for rank, pat in enumerate((
            r"(?P<s>" + _NAME + "|" + _PRONOUN + r")(?:\u2019s|'s)?,?(?:\s+[a-z]+){0,2}?\s+(?P<v>" + verb_re + ")",
            r"(?P<s>" + _NAME + r")(?:\u2019s|'s)?,[^,]{1,100},(?:\s+[a-z]+){0,2}?\s+(?P<v>" + verb_re + ")")):
        for m in re.finditer(pat, left):
            if is_ok(m.group("s")):
                cands.append((m.start("v"), rank, m.group("s").rstrip("."), m.group("v")))
    if cands:
        _, _, spk, verb = max(cands) if last else min(cands)
        return spk, verb
    return "", ""


def _resolve(raw: str, actors: pd.DataFrame | None) -> str:
    if not raw:
        return ""
    if raw.lower() in {"he", "she", "they"}:
        return raw.lower()
    if actors is not None:
        for row in actors.itertuples(index=False):
            if re.search(row.pattern, raw):
                return str(row.actor)
    return _clean_speaker(raw)


def quotes(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
           min_words: int = 3, actors: pd.DataFrame | str | Path | None = None,
           verbs: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Direct quotations with speaker, reporting verb and outlet.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Articles with ``doc_id``, ``text_col`` and ``label_col``.
    text_col, label_col : str
        Text and outlet columns.
    min_words : int, default 3
        Shorter quotations are scare quotes or terms ("victory plan",
        "irreversible") and are left out.
    actors : DataFrame or path, optional
        Actor table (``actor``, ``pattern``; see :func:`framelens.actors.load_actors`)
        used to name speakers canonically ("Zelenskyy" -> "Zelensky"); without it a
        speaker is the last one or two capitalised words that are not role words.
    verbs : DataFrame or path, optional
        Reporting verbs (``form``, ``lemma``); default the packaged list.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``quote_id`` (0-based in the document), ``start``,
        ``end`` (offsets of the quoted words, marks excluded), ``quote``, ``n_words``,
        ``speaker`` (resolved; ``""`` when unknown), ``speaker_raw`` (as written,
        e.g. ``"he"``), ``verb`` (as written), ``verb_lemma``, ``attributed_in``
        (``"sentence"`` or ``"previous"``), ``sentence`` (the sentence with the quote).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ['"We will not give up," Sybiha said. "We go on," he added.']})
    >>> quotes(df)[["quote", "speaker", "speaker_raw", "verb"]].values.tolist()
    [['We will not give up,', 'Sybiha', 'Sybiha', 'said'], ['We go on,', 'Sybiha', 'he', 'added']]
    """
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if not isinstance(min_words, int) or min_words < 1:
        raise ValueError(f"min_words={min_words!r} must be a positive integer")
    vt = load_reporting_verbs(verbs)
    lemma = dict(zip(vt["form"], vt["lemma"]))
    verb_re = _verb_regex(list(lemma))
    act = None
    if actors is not None:
        from framelens.actors import load_actors
        act = load_actors(actors)
    src_res = [re.compile(p) for p in load_sources()["pattern"]]

    def is_ok(name: str) -> bool:
        """A speaker is not a news organisation; with an actor table, it is an actor."""
        if any(r.search(name) for r in src_res):
            return False
        if act is not None:
            return any(re.search(p, name) for p in act["pattern"])
        return bool(_clean_speaker(name))

    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    cols = ["doc_id", "outlet", "quote_id", "start", "end", "quote", "n_words", "speaker",
            "speaker_raw", "verb", "verb_lemma", "attributed_in", "sentence"]
    rows = []
    for doc_id, outlet, text in zip(ids, corpus[label_col], corpus[text_col]):
        if not isinstance(text, str):
            raise ValueError(f"document {doc_id!r}: {text_col!r} is not a string ({text!r:.40})")
        spans = sentence_spans(text)
        starts = [s for s, _ in spans]
        prev_speaker = ""
        qid = 0
        last_sent_attr: dict[int, tuple[str, str]] = {}
        for m in re.finditer(r"[^\n]+", text):
            para, off = m.group(0), m.start()
            for qs, qe in _find_quotes(para):
                a, b = off + qs + 1, off + qe - 1
                inner = text[a:b]
                if len(words(inner)) < min_words:
                    continue
                si = max(0, int(np.searchsorted(starts, a, side="right")) - 1)
                se = max(0, int(np.searchsorted(starts, b, side="right")) - 1)
                s_start, s_end = spans[si][0], spans[se][1]
                left = text[max(s_start, off):a - 1]
                right = text[b + 1:min(s_end, off + len(para))]
                raw, verb = _attribution(left, right, verb_re, is_ok)
                where = "sentence" if raw else ""
                pronoun = raw.lower() in {"he", "she", "they"}
                carried = ("", "")
                if si > 0:
                    # the previous sentence: its quote's speaker, or its reporting clause
                    if si - 1 in last_sent_attr:
                        carried = last_sent_attr[si - 1]
                    else:
                        ps, pe = spans[si - 1]
                        carried = _attribution(text[ps:pe], "", verb_re, is_ok)
                if not raw and carried[0]:
                    raw, verb = carried
                    where = "previous"
                spk = _resolve(raw, act)
                if pronoun:
                    named = carried[0] if carried[0].lower() not in {"he", "she", "they"} else ""
                    spk = _resolve(named, act) if named else prev_speaker
                if spk:
                    prev_speaker = spk
                last_sent_attr[se] = (raw if not pronoun else spk, verb)
                rows.append((doc_id, outlet, qid, a, b, inner, len(words(inner)), spk, raw, verb,
                             lemma.get(verb.lower(), ""), where, text[s_start:s_end]))
                qid += 1
    return pd.DataFrame(rows, columns=cols)


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
    cols = ["group", "n_outlets", "doc_id", "outlet", "quote_id", "speaker", "verb", "segment"]
    segs = []
    has_sentence = "sentence" in q.columns
    for r in q.itertuples(index=False):
        for s, e in sentence_spans(r.quote):
            seg = r.quote[s:e]
            if words(seg):
                ctx = r.sentence if has_sentence and len(words(seg)) < context_words else seg
                segs.append((r.doc_id, r.outlet, r.quote_id, r.speaker, r.verb, seg, ctx))
    if not segs:
        return pd.DataFrame(columns=cols)
    df = pd.DataFrame(segs, columns=["doc_id", "outlet", "quote_id", "speaker", "verb", "segment",
                                     "_text"])
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


def reporting_verbs(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                    verbs: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Every reporting verb in each article (direct and indirect speech), with its sentence.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``verb`` (as written, lowercased), ``lemma``,
        ``sentence``. Count with ``pd.crosstab(t["lemma"], t["outlet"])``.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...                    "text": ["He said no. She stressed it and admitted more."]})
    >>> reporting_verbs(df)["lemma"].tolist()
    ['say', 'stress', 'admit']
    """
    vt = load_reporting_verbs(verbs)
    lemma = dict(zip(vt["form"], vt["lemma"]))
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    rows = []
    for doc_id, outlet, text in zip(ids, corpus[label_col], corpus[text_col]):
        for s, e in sentence_spans(text):
            sent = text[s:e]
            for w in words(sent):
                if w in lemma:
                    rows.append((doc_id, outlet, w, lemma[w], sent))
    return pd.DataFrame(rows, columns=["doc_id", "outlet", "verb", "lemma", "sentence"])
