"""What each outlet chose to keep, drop and add: who said what, framing choices, titles.

* :func:`who_said_what`: a speaker x outlet table; each cell says whether the
  outlet quotes the speaker verbatim, reports their words without quotation
  marks (paraphrase), or leaves them out, with the passages or sentences as
  evidence.
* :func:`framing_choices`: per outlet its headline, lead and subheads, the core
  facts it omits (every one of them) and the sentences it adds (no counterpart in
  any other outlet), each with the sentence as evidence.
* :func:`actor_titles`: how each outlet names each actor, a bare name counted as
  ``(no title)`` so "names him without a title" can be read off the table.

All three are DataFrame in, tidy DataFrame out, built from :mod:`framelens.quotes`,
:mod:`framelens.align` and :mod:`framelens.actors` output.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framelens.align import (MIN_WORDS, PARAPHRASE, VERBATIM, align, fact_coverage, label_sentences,
                             omitted_facts)
from framelens.quotes import passages, quotes
from framelens.speech import quote_spans, reporting_verbs, resolve_speakers
from framelens.spelling import same_name
from framelens.text import sentences, words

__all__ = ["who_said_what", "framing_choices", "actor_titles", "STATUSES", "CHOICES", "NO_TITLE"]

#: Cell values of :func:`who_said_what`, strongest first.
STATUSES: tuple[str, ...] = ("verbatim", "paraphrase", "absent")
#: Row kinds of :func:`framing_choices`, in table order.
CHOICES: tuple[str, ...] = ("headline", "lead", "subhead", "omitted", "added")
#: The label :func:`actor_titles` gives a mention without a title or epithet.
NO_TITLE = "(no title)"

_WSW_COLS = ["speaker", "outlet", "status", "n_passages", "n_words", "passages", "evidence", "rule",
             "paraphrase_threshold"]


def _check(corpus: pd.DataFrame, text_col: str, label_col: str) -> None:
    for name, col in (("text_col", text_col), ("label_col", label_col)):
        if col not in corpus.columns:
            raise ValueError(f"{name}={col!r} is not a column of corpus; "
                             f"available columns: {sorted(map(str, corpus.columns))}")
    if "doc_id" not in corpus.columns:
        raise ValueError("corpus lacks column 'doc_id'; load it with framelens.corpus.load_corpus")


def _docs(corpus: pd.DataFrame, text_col: str, label_col: str) -> pd.DataFrame:
    return corpus[["doc_id", label_col, text_col]].rename(columns={label_col: "outlet", text_col: "text"})


def who_said_what(corpus: pd.DataFrame, *, actors: pd.DataFrame | str | Path | None = None,
                  quoted: pd.DataFrame | None = None, paraphrase: float = PARAPHRASE,
                  text_col: str = "text", label_col: str = "outlet") -> pd.DataFrame:
    """Speaker x outlet: quoted verbatim, paraphrased, or absent, with the passages.

    For each speaker quoted anywhere (:func:`framelens.quotes.quotes`, speakers
    merged across spellings) and each outlet, the cell is

    * ``verbatim``: the outlet quotes the speaker; ``passages`` holds each quoted
      passage (:func:`framelens.quotes.passages`), joined by `` | `` (rule
      ``quotation``). Also when the outlet names the speaker only by a description
      the quotation finder does not resolve ("The alliance declared ... “irreversible”"),
      but a sentence aligned with the speaker's quotation elsewhere (the rule below)
      holds words in quotation marks that all occur in the speaker's passages in the
      other outlets (rule ``quotation marks in a sentence aligned with a quotation``;
      ``passages`` holds those words, ``evidence`` the sentence);
    * ``paraphrase``: no quotation, but the outlet reports the speaker's words
      without quotation marks, either with a reporting verb whose speaker is
      this person (rule ``reported speech``: "Olga Stefanishyna said Kiev
      understood ...") or in a sentence with a reporting verb that
      :func:`framelens.align.align` pairs (TF-IDF cosine at least ``paraphrase``,
      mutual best match, or trigram containment at least
      :data:`framelens.align.VERBATIM`) with a sentence quoting the speaker in
      another outlet (rule ``aligned with a quotation``); ``evidence`` holds the
      sentences;
    * ``absent``: neither.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus (``doc_id``, ``text_col``, ``label_col``).
    actors : DataFrame or path, optional
        Actor table for :func:`framelens.quotes.quotes` (the corpus's ``actors.csv``).
    quoted : DataFrame, optional
        Output of :func:`framelens.quotes.quotes` on ``corpus``, if already computed.
    paraphrase : float, default :data:`framelens.align.PARAPHRASE`
        Cosine threshold for the alignment rule; carried in column ``paraphrase_threshold``.
    text_col, label_col : str
        Text and outlet columns.

    Returns
    -------
    pandas.DataFrame
        One row per (speaker, outlet), every outlet for every speaker: ``speaker``,
        ``outlet``, ``status`` (:data:`STATUSES`), ``n_passages``, ``n_words``
        (quoted), ``passages``, ``evidence``, ``rule`` (``quotation``, ``quotation marks
        in a sentence aligned with a quotation``, ``reported speech``, ``aligned with a
        quotation`` or ``""``), ``paraphrase_threshold``.
        Speakers ordered by the outlets quoting them verbatim, then passages;
        outlets in corpus order. Pivot with
        ``t.pivot(index="speaker", columns="outlet", values="status")``.

    Examples
    --------
    >>> c = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["A", "B", "C"], "text": [
    ...     '"We will not give up the fight," Sybiha said.',
    ...     "Sybiga said Kyiv will not give up.", "Rain fell on Paris all day long."]})
    >>> who_said_what(c)[["speaker", "outlet", "status", "rule"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['Sybiha', 'A', 'verbatim', 'quotation'], ['Sybiha', 'B', 'paraphrase', 'reported speech'],
     ['Sybiha', 'C', 'absent', '']]
    """
    _check(corpus, text_col, label_col)
    if not isinstance(paraphrase, (int, float)) or not 0 <= paraphrase <= 1:
        raise ValueError(f"paraphrase={paraphrase!r} must be a number between 0 and 1")
    docs = _docs(corpus, text_col, label_col)
    act = None
    if actors is not None:
        from framelens.actors import load_actors
        act = load_actors(actors)
    q = quotes(docs, actors=act) if quoted is None else quoted
    p = passages(q)
    outlets = list(dict.fromkeys(docs["outlet"].astype(str)))
    p = p[p["speaker"].astype(str) != ""]
    if p.empty:
        return pd.DataFrame(columns=_WSW_COLS)
    spk = p.groupby("speaker").agg(n_out=("outlet", "nunique"), n=("passage_id", "size"))
    speakers = sorted(spk.index, key=lambda s: (-spk.loc[s, "n_out"], -spk.loc[s, "n"], s))
    # reported speech: reporting verbs outside quotation marks, speaker resolved like quotes'
    rv = reporting_verbs(docs)
    texts = docs["text"].tolist()
    canon = resolve_speakers(rv["speaker"].tolist(), texts, actors=act)
    # the same person as a quoted speaker, whichever spelling each table chose
    canon = {raw: next((s for s in speakers if c and (c == s or same_name(c, s))), c)
             for raw, c in canon.items()}
    rv = rv.assign(who=rv["speaker"].map(canon).fillna(""))
    reported = rv.groupby(["who", "outlet"])["sentence"].agg(lambda s: list(dict.fromkeys(s)))
    aligned = _aligned_with_quotes(docs, q, rv, paraphrase)
    rows = []
    for s in speakers:
        for o in outlets:
            mine = p[(p["speaker"] == s) & (p["outlet"].astype(str) == o)]
            if len(mine):
                rows.append((s, o, "verbatim", len(mine), int(mine["n_words"].sum()),
                             " | ".join(mine["text"]), "", "quotation"))
            elif (s, o) in reported.index:
                rows.append((s, o, "paraphrase", 0, 0, "", " | ".join(reported.loc[(s, o)]),
                             "reported speech"))
            elif (s, o) in aligned:
                kept = _kept_in_marks(aligned[(s, o)], p[(p["speaker"] == s) & (p["outlet"].astype(str) != o)])
                if kept:
                    rows.append((s, o, "verbatim", len(kept), sum(len(words(k)) for k in kept), " | ".join(kept),
                                 " | ".join(aligned[(s, o)]), "quotation marks in a sentence aligned with a quotation"))
                else:
                    rows.append((s, o, "paraphrase", 0, 0, "", " | ".join(aligned[(s, o)]),
                                 "aligned with a quotation"))
            else:
                rows.append((s, o, "absent", 0, 0, "", "", ""))
    out = pd.DataFrame(rows, columns=_WSW_COLS[:-1]).assign(paraphrase_threshold=float(paraphrase))
    return out.astype({"n_passages": "int64", "n_words": "int64"})


def _kept_in_marks(sentences_: list[str], quoted: pd.DataFrame) -> list[str]:
    """The quotations in ``sentences_`` whose words all occur in the speaker's passages elsewhere.

    An aligned sentence can carry the speaker's own words in quotation marks while
    naming the speaker by a description the quotation finder does not resolve
    (CNN Brasil: "The alliance declared that ... this is “irreversible”", where the
    other outlets write "NATO has declared ... “irreversible,”"). Those words are
    quoted verbatim, not paraphrased. ``quoted`` holds the speaker's passages in the
    other outlets (column ``text``); words are compared lowercased
    (:func:`framelens.text.words`).
    """
    theirs = {w for t in quoted["text"].astype(str) for w in words(t)}
    kept = []
    for sent in sentences_:
        for a, b in quote_spans(sent):
            inner = sent[a + 1:b - 1]
            mine = words(inner)
            if mine and set(mine) <= theirs:
                kept.append(inner.strip())
    return list(dict.fromkeys(kept))


def _aligned_with_quotes(docs: pd.DataFrame, q: pd.DataFrame, rv: pd.DataFrame,
                         paraphrase: float) -> dict[tuple[str, str], list[str]]:
    """(speaker, outlet) -> the outlet's reporting sentences aligned with a sentence
    quoting the speaker in another outlet."""
    sents = sentences(docs)
    if sents["outlet"].nunique() < 2:
        return {}
    spans_of: dict[object, list[tuple[int, int, str]]] = {}
    for d, a, b, who in q[["doc_id", "start", "end", "speaker"]].itertuples(index=False):
        if who:
            spans_of.setdefault(d, []).append((int(a), int(b), str(who)))
    verbs_at: dict[object, list[int]] = {}
    for d, a in rv[["doc_id", "start"]].itertuples(index=False):
        verbs_at.setdefault(d, []).append(int(a))
    quoted_in: dict[tuple[object, int], set[str]] = {}
    reporting = set()
    for d, sid, a, b in sents[["doc_id", "sent_id", "start", "end"]].itertuples(index=False):
        who = {w for qa, qb, w in spans_of.get(d, ()) if qa < b and qb > a}
        if who:
            quoted_in[(d, sid)] = who
        if any(a <= v < b for v in verbs_at.get(d, ())):
            reporting.add((d, sid))
    pairs = align(sents, paraphrase=paraphrase)
    pairs = pairs[pairs["label"] != "none"]
    out: dict[tuple[str, str], list[str]] = {}
    for r in pairs.itertuples(index=False):
        if (r.doc_id, r.sent_id) not in reporting or (r.doc_id, r.sent_id) in quoted_in:
            continue
        for s in quoted_in.get((r.other_doc_id, r.other_sent_id), ()):
            lst = out.setdefault((s, str(r.outlet)), [])
            if r.sentence not in lst:
                lst.append(r.sentence)
    return out


_FC_COLS = ["outlet", "doc_id", "choice", "item", "sent_id", "sentence", "note"]


def _is_heading(line: str) -> bool:
    """A line with 2-20 words and no terminal punctuation: a headline, subhead or caption."""
    stripped = line.strip().rstrip("\u201d\"\u2019')]")
    return 2 <= len(words(stripped)) <= 20 and not re.search(r"[.!?\u2026:;,]$", stripped)


def framing_choices(corpus: pd.DataFrame, *, facts: pd.DataFrame | str | Path | None = None,
                    paraphrase: float = PARAPHRASE, verbatim: float = VERBATIM,
                    min_words: int = MIN_WORDS, text_col: str = "text",
                    label_col: str = "outlet") -> pd.DataFrame:
    """Per outlet: headline and lead, subheads, the core facts it omits, the sentences it adds.

    * ``headline``: the text's first line when it reads as a heading (2 to 20
      words, no terminal punctuation); otherwise one row with an empty sentence
      and the note "no headline line: the text opens with its lead".
    * ``lead``: the first sentence of at least ``min_words`` words after the headline.
    * ``subhead``: every later line that reads as a heading.
    * ``omitted``: every fact of ``facts`` (:func:`framelens.align.fact_coverage`)
      that no sentence of the outlet carries while another outlet's does
      (:func:`framelens.align.omitted_facts`); ``item`` is the fact, ``note`` the
      outlets carrying it. Listed in full.
    * ``added``: every sentence :func:`framelens.align.label_sentences` labels
      ``unique`` (no counterpart in another outlet at TF-IDF cosine
      ``paraphrase`` or more, mutual best match, nor at word-trigram containment
      ``verbatim`` or more; sentences under ``min_words`` words are never
      aligned, so they are unique too), headings excepted; ``note`` gives its best
      scores against those thresholds.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Cleaned corpus (``doc_id``, ``text_col``, ``label_col``); one article per outlet
        is the intended case (several: each article's rows are listed).
    facts : DataFrame or path, optional
        Fact table (``fact``, ``pattern``), e.g. the corpus's ``facts.csv``; without it
        there are no ``omitted`` rows.
    paraphrase, verbatim : float
        Thresholds of :func:`framelens.align.align`.
    min_words : int, default :data:`framelens.align.MIN_WORDS`
        Shortest sentence aligned, and shortest lead.
    text_col, label_col : str
        Text and outlet columns.

    Raises
    ------
    framelens.notes.NotEnoughData
        With fewer than two outlets: nothing is "added" or "omitted" relative to itself.

    Returns
    -------
    pandas.DataFrame
        ``outlet``, ``doc_id``, ``choice`` (:data:`CHOICES`), ``item`` (the fact for
        ``omitted``, else ``""``), ``sent_id`` (in :func:`framelens.text.sentences`,
        -1 when there is no sentence), ``sentence`` (the evidence), ``note``;
        outlets in corpus order, choices in :data:`CHOICES` order, then text order.

    Examples
    --------
    >>> c = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "B"], "text": [
    ...     "Kyiv asks NATO\\nKyiv asked NATO for an invitation next week. It rained all day in Paris.",
    ...     "Kyiv asked NATO for an invitation next week, a letter shows."]})
    >>> t = framing_choices(c)
    >>> t.loc[t["outlet"] == "A", ["choice", "sentence"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['headline', 'Kyiv asks NATO'], ['lead', 'Kyiv asked NATO for an invitation next week.'],
     ['added', 'It rained all day in Paris.']]
    """
    _check(corpus, text_col, label_col)
    docs = _docs(corpus, text_col, label_col)
    sents = sentences(docs)
    labelled = label_sentences(sents, align(sents, paraphrase=paraphrase, verbatim=verbatim,
                                            min_words=min_words))
    outlets = list(dict.fromkeys(docs["outlet"].astype(str)))
    omitted = (omitted_facts(fact_coverage(sents, facts), outlets=outlets) if facts is not None
               else pd.DataFrame(columns=["outlet", "fact", "n_carrying", "n_outlets", "carried_by"]))
    rows: list[tuple] = []
    for doc_id, outlet, text in docs[["doc_id", "outlet", "text"]].itertuples(index=False):
        s = labelled[labelled["doc_id"] == doc_id]
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group(0).strip()]
        in_line = [s[(s["start"] >= a) & (s["start"] < b)] for a, b in lines]
        is_head = [_is_heading(text[a:b]) for a, b in lines]
        heading_ids = {int(i) for h, ls in zip(is_head, in_line) if h for i in ls["sent_id"]}
        head = in_line[0] if lines and is_head[0] else s.iloc[0:0]
        if len(head):
            rows.append((outlet, doc_id, "headline", "", int(head["sent_id"].iloc[0]),
                         " ".join(head["sentence"]), ""))
        else:
            rows.append((outlet, doc_id, "headline", "", -1, "",
                         "no headline line: the text opens with its lead"))
        body = s[~s["sent_id"].isin(set(head["sent_id"])) & (s["n_words"] >= min_words)]
        if len(body):
            rows.append((outlet, doc_id, "lead", "", int(body["sent_id"].iloc[0]),
                         body["sentence"].iloc[0], ""))
        for a, b in (ln for ln, h in zip(lines[1:], is_head[1:]) if h):
            sub = s[(s["start"] >= a) & (s["start"] < b)]
            if len(sub):
                rows.append((outlet, doc_id, "subhead", "", int(sub["sent_id"].iloc[0]),
                             " ".join(sub["sentence"]), ""))
        for r in omitted[omitted["outlet"] == str(outlet)].itertuples(index=False):
            rows.append((outlet, doc_id, "omitted", r.fact, -1, "",
                         f"carried by {r.n_carrying} of {r.n_outlets} outlets: {r.carried_by}"))
        own = s[(s["label"] == "unique") & ~s["sent_id"].isin(heading_ids)]
        for r in own.itertuples(index=False):
            if r.n_words < min_words:
                note = f"{r.n_words} words: sentences under {min_words} words are not aligned"
            elif r.best_cosine >= paraphrase:
                note = (f"best cosine {r.best_cosine:.2f} >= {paraphrase:g} but not a mutual best match; "
                        f"best trigram containment {r.best_containment:.2f} < {verbatim:g}")
            else:
                note = (f"best cosine {r.best_cosine:.2f} < {paraphrase:g}; "
                        f"best trigram containment {r.best_containment:.2f} < {verbatim:g}")
            rows.append((outlet, doc_id, "added", "", int(r.sent_id), r.sentence, note))
    out = pd.DataFrame(rows, columns=_FC_COLS)
    return out.astype({"sent_id": "int64"})


def actor_titles(mentions: pd.DataFrame, *, outlets: list[str] | None = None) -> pd.DataFrame:
    """How each outlet names each actor, a bare name counted as :data:`NO_TITLE`.

    :func:`framelens.actors.label_counts` lists labelled mentions only, so an
    outlet that names an actor without any title ("would demonstrate to
    Vladimir Putin") does not appear; here every mention counts.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Output of :func:`framelens.actors.find_mentions` (``actor``, ``outlet``,
        ``label``, ``sentence``).
    outlets : list of str, optional
        Outlet order (default: first appearance).

    Returns
    -------
    pandas.DataFrame
        ``actor``, ``outlet``, ``label`` (as found, or :data:`NO_TITLE`), ``count``,
        ``share`` (of the outlet's mentions of the actor), ``only_untitled`` (bool:
        the outlet never gives the actor a title), ``example`` (first sentence);
        sorted by actor, outlet order, count descending, label.

    Examples
    --------
    >>> m = pd.DataFrame({"actor": ["P", "P", "P"], "outlet": ["A", "A", "B"],
    ...                   "label": ["dictator", None, None], "sentence": ["s1", "s2", "s3"]})
    >>> actor_titles(m)[["outlet", "label", "count", "only_untitled"]].values.tolist()
    [['A', '(no title)', 1, False], ['A', 'dictator', 1, False], ['B', '(no title)', 1, True]]
    """
    for col in ("actor", "outlet", "label", "sentence"):
        if col not in mentions.columns:
            raise ValueError(f"mentions lacks column {col!r}; pass the output of find_mentions()")
    cols = ["actor", "outlet", "label", "count", "share", "only_untitled", "example"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    m = mentions.assign(label=mentions["label"].astype(object).where(mentions["label"].notna(), NO_TITLE),
                        outlet=mentions["outlet"].astype(str))
    order = list(dict.fromkeys(outlets if outlets is not None else m["outlet"]))
    g = m.groupby(["actor", "outlet", "label"], sort=False)
    out = g.size().rename("count").reset_index()
    out["example"] = g["sentence"].first().to_numpy()
    tot = out.groupby(["actor", "outlet"])["count"].transform("sum")
    out["share"] = out["count"] / tot
    untitled = out[out["label"] == NO_TITLE].set_index(["actor", "outlet"])["count"]
    out["only_untitled"] = [bool(untitled.get((a, o), 0) == t) for a, o, t in zip(out["actor"], out["outlet"], tot)]
    out["_o"] = out["outlet"].map({o: i for i, o in enumerate(order)}).fillna(len(order))
    out = out.sort_values(["actor", "_o", "count", "label"], ascending=[True, True, False, True],
                          kind="mergesort")
    return out[cols].astype({"count": "int64"}).reset_index(drop=True)
