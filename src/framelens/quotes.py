"""Direct quotations, their speakers and reporting verbs, matched across outlets; attribution.

* :func:`quotes` finds direct quotations (curly ``“…”``, straight ``"…"``,
  guillemets ``«…»``, low-high ``„…“``, single ``‘…’``, quotes inside quotes kept
  inside, and block quotes without marks) in each article, with the speaker and
  the reporting verb read from the same sentence (``“…,” Sybiha wrote``,
  ``stated Sybiha``, ``Sybiha stated: "…"``), a block quote's signature, or else
  carried over from the previous sentence; pronoun speakers (``he added``) are
  resolved to the previous named speaker and kept as written in ``speaker_raw``;
  one person is one speaker whatever the spelling (``Olga``/``Olha
  Stefanishyna``).
* :func:`match_quotes` splits quotations into sentences and groups the same
  words across outlets and translations (``should not be seen as`` /
  ``should not be considered``) by TF-IDF cosine and average-linkage clustering;
  :func:`quote_table` lays a group out outlet by outlet.
* :func:`attribution` names whom each article credits for the report (a news
  organisation or a generic "British journalists"), or ``nobody``.
* :func:`passages` counts quotations by the passage kept, not the quote-mark span.

The shared pieces (quotation marks, block quotes, attribution, speaker names,
:func:`reporting_verbs`) live in :mod:`framelens.speech` and are importable from
here too. Verb and source lists are data files in ``framelens/data`` (``reporting_verbs.csv``,
``news_sources.csv``) that a researcher can extend.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from framelens.notes import NotEnoughData
from framelens.speech import (NAME_PATTERN, PRONOUN_PATTERN, QUOTE_PAIRS, attribution_after,
                              block_quotes, clean_speaker, find_attribution, is_anaphor,
                              load_reporting_verbs, load_sources, quote_spans, quoted_spans,
                              reporting_verbs, resolve_speakers, verb_pattern)
from framelens.text import sentence_spans, words

__all__ = ["quotes", "passages", "quoted_regions", "match_quotes", "quote_table", "attribution", "reporting_verbs",
           "load_reporting_verbs", "load_sources", "QUOTE_MATCH", "QUOTE_PAIRS", "NAME_PATTERN",
           "PRONOUN_PATTERN", "quote_spans", "quoted_spans", "block_quotes", "verb_pattern",
           "find_attribution", "is_anaphor", "resolve_speakers", "SOURCE_TYPES", "source_types"]

#: Default cosine for two quotation sentences to be "the same quote" in
#: :func:`match_quotes` (average linkage). Unigram+bigram TF-IDF with stop words kept:
#: on the seeds, translations of one sentence of Sybiha's letter score 0.35-0.8
#: against each other and different sentences of the letter below 0.25.
QUOTE_MATCH: float = 0.3

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
        return bool(clean_speaker(name))
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
    return not re.search(r"\w", gap) or bool(re.match(attribution_after(verb_re), gap))


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


def quoted_regions(corpus: pd.DataFrame, *, text_col: str = "text", label_col: str = "outlet",
                   actors: pd.DataFrame | str | Path | None = None,
                   quoted: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every stretch of quoted text, for splitting an outlet's own voice from what it quotes.

    The quotations of :func:`quotes` (with speaker and passage) plus every other
    span between quotation marks that :func:`quotes` leaves out: scare quotes and
    unattributed short quotes ("victory plan", "irreversible"), which are still
    someone else's words, not the outlet's narration.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Articles with ``doc_id``, ``text_col`` and ``label_col``.
    text_col, label_col : str
        Text and outlet columns.
    actors : DataFrame or path, optional
        Actor table, passed to :func:`quotes`.
    quoted : DataFrame, optional
        Output of :func:`quotes` on ``corpus``, if already computed.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``start``, ``end`` (character offsets of the quoted
        words in ``text_col``, marks excluded), ``form`` (``"marks"``, ``"block"``),
        ``speaker`` (``""`` when unknown), ``passage_id`` (of :func:`quotes`; -1 for
        a span :func:`quotes` does not count), sorted by document and offset.

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"], "outlet": ["A"],
    ...     "text": ['The "victory plan" stands. "We will not give up," Sybiha said.']})
    >>> quoted_regions(df)[["start", "end", "speaker", "passage_id"]].values.tolist()
    [[5, 17, '', -1], [28, 48, 'Sybiha', 0]]
    """
    q = quotes(corpus, text_col=text_col, label_col=label_col, actors=actors) if quoted is None else quoted
    cols = ["doc_id", "outlet", "start", "end", "form", "speaker", "passage_id"]
    rows = [tuple(r) for r in q[cols].itertuples(index=False)]
    have = {(r[0], r[2], r[3]) for r in rows}
    ids = corpus["doc_id"].tolist() if "doc_id" in corpus.columns else corpus.index.tolist()
    for doc_id, outlet, text in zip(ids, corpus[label_col], corpus[text_col]):
        for a, b in quoted_spans(text):
            if b - a > 2 and (doc_id, a + 1, b - 1) not in have:
                rows.append((doc_id, outlet, a + 1, b - 1, "marks", "", -1))
    out = pd.DataFrame(rows, columns=cols).astype({"start": "int64", "end": "int64", "passage_id": "int64"})
    return out.sort_values(["doc_id", "start"], kind="stable", ignore_index=True)


#: Kinds of source a quotation is credited to, as :func:`source_types` assigns them.
SOURCE_TYPES: tuple[str, ...] = ("named", "unnamed", "news organisation", "unattributed")

#: Nouns that make an unnamed person or group a source ("a senior official said", "sources
#: told", "critics say", "two people familiar with the talks said").
_UNNAMED_NOUNS = ("source", "sources", "official", "officials", "aide", "aides", "insider", "insiders",
                  "adviser", "advisers", "advisor", "advisors", "diplomat", "diplomats", "spokesman",
                  "spokeswoman", "spokesperson", "spokespeople", "staffer", "staffers", "person", "people",
                  "member", "members", "analyst", "analysts", "observer", "observers", "expert", "experts",
                  "critic", "critics", "lawmaker", "lawmakers", "witness", "witnesses", "resident", "residents",
                  "activist", "activists", "supporter", "supporters", "opponent", "opponents", "employee",
                  "employees", "officer", "officers")
#: Verbs that can follow the quotation and precede an unnamed source ("said a senior official").
_INVERTED_VERBS = ("said", "says", "added", "adds", "noted", "explained", "stated", "wrote", "continued",
                   "argued", "warned", "insisted", "cautioned", "recalled", "acknowledged", "conceded")
#: Phrases that mark a source as deliberately unnamed, whatever the noun.
_ANONYMITY = (r"\bon (?:the )?condition (?:of|that (?:he|she|they) not be named)|\bgranted anonymity\b"
              r"|\b(?:speaking|spoke|talking|talked) anonymously\b"
              r"|\bfamiliar with (?:the|his|her|their|its)\b|\b(?:asked|declined|requested) not to be "
              r"(?:named|identified)\b|\bnot authori[sz]ed to (?:speak|discuss|comment)\b")


def _outside_quotes(sentence: str) -> str:
    """``sentence`` with every span between quotation marks (marks included) blanked."""
    out = list(sentence)
    for a, b in quoted_spans(sentence):
        out[a:b] = " " * (b - a)
    return "".join(out)


def source_types(q: pd.DataFrame, *, verbs: pd.DataFrame | str | Path | None = None,
                 sources: pd.DataFrame | str | Path | None = None) -> pd.Series:
    """The kind of source each quotation of :func:`quotes` is credited to (:data:`SOURCE_TYPES`).

    Read from the quotation's own sentence with the quoted words blanked out (the
    attribution clause), in this order:

    1. ``named``: :func:`quotes` found a named speaker in the same sentence or a
       block quote's signature (pronouns and descriptions of office resolved to the
       previous named speaker count: "he added", "the president said");
    2. ``unnamed``: the clause holds a phrase marking anonymity ("on condition of
       anonymity", "people familiar with the", "asked not to be named", "not
       authorized to speak"), or an unnamed person or group (a noun of
       ``_UNNAMED_NOUNS``: "officials", "sources", "critics", "two people", not
       followed by a capitalised name, "a spokesman, Gao Feng") as the subject of a
       reporting verb (``verbs``; up to 5 words between, no comma, none opening a
       new clause: "officials in Kyiv said") or, after an optional determiner and up to 3 modifiers and ending the
       clause, after "said"-like verbs or "according to" ("said a senior official.",
       "according to two people familiar with");
    3. ``news organisation``: a news source of ``sources`` (:func:`load_sources`)
       is the subject of a reporting verb or is credited ("CNN reported", "the
       Associated Press reported", "according to Reuters", "reported by the BBC");
       a speaker who "wrote in The New York Times", "told CNN" or spoke in "the CNN
       interview" is not one (a person of a source's name, "Bloomberg said", is);
    4. for a speaker carried over from the previous sentence (``attributed_in`` is
       ``previous``) when the quotation's own sentence credits nobody: the type of
       the document's previous quotation if that was ``unnamed`` or ``news
       organisation`` with the same carried speaker ("... the adviser said. "And he doesn't care.""), else ``named``;
    5. ``unattributed``: none of these (scare quotes, quoted terms, quotations
       whose speaker is given only further away).

    Checked by reading quotations of NewsWCL50 and of 300 Article-Bias-Prediction
    articles (``benchmarks/RESULTS.md``): ``unnamed`` and ``news organisation`` were
    right in most of those read; ``unattributed`` is mostly quotations whose named
    speaker :func:`quotes` did not read ("the campaign's manager, Brad Parscale,
    said"), so it is no measure of anonymous sourcing. Known limits: a news source
    missing from ``news_sources.csv`` (Fox News, Axios) is not recognised; an
    unnamed source in an earlier sentence is not seen; a document ("the lawsuit
    states") is no source type; ``unnamed`` can catch a sentence whose unnamed
    people are not the speakers ("a meeting where officials expressed concern",
    around a scare quote).

    Parameters
    ----------
    q : pandas.DataFrame
        Output of :func:`quotes` (``speaker``, ``attributed_in``, ``form``, ``sentence``).
    verbs, sources : DataFrame or path, optional
        Reporting verbs and news sources; default the packaged lists.

    Returns
    -------
    pandas.DataFrame
        Same index as ``q``: ``source_type`` (one of :data:`SOURCE_TYPES`) and ``cue``
        (the words that decided it: the speaker as written, the unnamed source's
        phrase, the news source's name; ``""`` when unattributed).

    Examples
    --------
    >>> df = pd.DataFrame({"doc_id": ["a"] * 4, "outlet": ["A"] * 4, "text": [
    ...     '"We will not give up," Sybiha said.',
    ...     '"The talks failed," a senior official said on condition of anonymity.',
    ...     '"It is over," CNN reported.', 'It was a "victory plan".']})
    >>> df["doc_id"] = ["a", "b", "c", "d"]
    >>> source_types(quotes(df, min_words=1)).values.tolist()
    [['named', 'Sybiha'], ['unnamed', 'official said'], ['news organisation', 'CNN'], ['unattributed', '']]
    """
    for c in ("speaker", "attributed_in", "sentence"):
        if c not in q.columns:
            raise ValueError(f"q lacks column {c!r}; pass the output of quotes()")
    verb = verb_pattern(load_reporting_verbs(verbs)["form"].tolist())
    noun = r"\b(?:" + "|".join(_UNNAMED_NOUNS) + r")\b(?!,?\s+(?-i:[A-Z]))"  # not "a spokesman(,) Gao Feng"
    # "officials in Kyiv said": the noun, up to 5 words that are not a new clause's subject, a verb
    # ("Rendell, a Biden supporter and former DNC chair, told": no comma in between)
    before = noun + r"(?:\s+(?!(?:that|he|she|they|it|we|i|you|which)\b)[^\s.,;:!?]+){0,5}?\s+" + verb
    # "said a senior official." / "according to two people familiar with": a determiner, up to 3
    # modifiers, the noun ending the clause (so "announced an official step", "told the officers
    # that" are no sources)
    after = (r"(?:\b(?:" + "|".join(_INVERTED_VERBS) + r")|\baccording to)\s+(?:(?:a|an|one|two|three|four|several|"
             r"some|other|another|many|the)\s+)?(?:(?!(?:and|or)\b)[\w'-]+\s+){0,3}?" + noun
             + r"(?=\s*(?:[,.;:!?]|$)|\s+(?:who|familiar|close|with|in|at|for|from|of|on)\b)")
    unnamed = re.compile(r"(?:" + before + "|" + after + "|" + _ANONYMITY + ")", re.IGNORECASE)
    src = "(?:" + "|".join(f"(?:{p})" for p in load_sources(sources)["pattern"]) + ")"
    # the source as the verb's subject ("the Guardian says", "Reuters first reported"; not "a CNN
    # appearance to say", "the CNN interview, saying": a person speaking on the outlet)
    media = re.compile(r"(?P<s>" + src + r")(?:\s+(?:has|have|had|also|first|later|then|editorial))?\s+"
                       + verb + r"|(?:[Aa]ccording to|"
                       + verb + r"\s+by)\s+(?:the\s+)?(?P<t>" + src + ")")
    forms = q["form"].astype(str).tolist() if "form" in q.columns else ["marks"] * len(q)
    raws = q["speaker_raw"].fillna("").astype(str) if "speaker_raw" in q.columns else q["speaker"].fillna("")
    docs = q["doc_id"].tolist() if "doc_id" in q.columns else [None] * len(q)
    speakers = q["speaker"].fillna("").astype(str).tolist()
    out: list[tuple[str, str]] = []
    for k, (doc, spk, raw, where, sent, form) in enumerate(zip(
            docs, speakers, raws, q["attributed_in"].fillna("").astype(str),
            q["sentence"].fillna("").astype(str), forms)):
        if spk and where in ("sentence", "signature"):
            out.append(("named", raw or spk))
            continue
        clause = _outside_quotes(sent) if form == "marks" else ""
        m = unnamed.search(clause) if clause else None
        hit = None if m or not clause else media.search(clause)
        if m:
            out.append(("unnamed", m.group(0)))
        elif hit:
            out.append(("news organisation", hit.group("s") or hit.group("t")))
        elif (where == "previous" and k and docs[k - 1] == doc and spk == speakers[k - 1]
              and out[-1][0] in ("unnamed", "news organisation")):
            out.append(out[-1])  # carried over from a quotation credited to an unnamed source or the media
        else:
            out.append(("named", raw or spk) if spk else ("unattributed", ""))
    return pd.DataFrame(out, index=q.index, columns=["source_type", "cue"], dtype=object)
