"""The report of a many-story corpus: overview, across-story contrasts, one page per story.

A corpus of several stories (events) is analysed story by story
(:func:`framelens.contrasts.within_stories`), and outlets are compared only on the
stories both cover (:mod:`framelens.contrasts`). :func:`many_story_tables`
computes the tables (register rates in all words, in narration and in quotations,
:func:`voice_counts`; the shared core, :func:`story_core_shares`; how much is quoted
and from whom, :func:`framelens.quotes.source_types`; how the most-mentioned actors are
labelled, :func:`actor_label_counts`; distinctive words within stories), working only on
stories that two outlets cover and holding one chunk of articles at a time; :func:`write_many_story_report` writes them as CSV, draws
the figures (never taller than :data:`MAX_FIGURE_PX` pixels: long lists show the
top N and say how many were left out) and writes an overview page plus one page
per story (all stories up to ``max_story_pages``, then the largest), every piece
of article text escaped.
"""
from __future__ import annotations

import hashlib
import html
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framelens.contrasts import (contrast_evidence, coverage, false_discovery, keyness_within_stories,
                                 paired_contrasts, rate_contrasts)
from framelens.notes import NotEnoughData
from framelens.plots import PALETTE, style

__all__ = ["MAX_FIGURE_PX", "STORY_SOURCES", "MIN_ARTICLES_TO_FIND", "story_ids", "story_folder", "page_name",
           "story_overview", "story_core_shares", "voice_counts", "QUOTE_MEASURES", "CORE_MEASURES",
           "ACTOR_MEASURES", "MIN_LABELLED_SHARE", "ACTORS_TRIED_COLUMNS", "actor_label_counts", "many_story_tables", "rows_in_use",
           "MIN_SHARED_STORIES", "clear_contrasts", "strongest_measure",
           "plot_story_coverage", "plot_contrasts", "write_many_story_report"]

#: No figure of the many-story report is taller than this (pixels, as saved).
MAX_FIGURE_PX = 2000
_DPI = 150
_MAX_OUTLETS = 20  # outlet columns of the coverage figure
_MAX_ROWS = 30  # rows of a long figure (stories, contrast pairs) before "N more not shown"


#: Where stories come from (``Settings.stories``): ``auto`` (a ``story`` or ``event``
#: column if the corpus has one, else found), ``column`` (the column, required), ``found``
#: (:func:`framelens.stories.group_stories` whatever the corpus holds), ``one`` (the whole
#: corpus is one story).
STORY_SOURCES = ("auto", "column", "found", "one")

#: With ``stories="auto"`` and no story column, a corpus of fewer articles is read as one
#: story (the seeds: five versions of one report); give a ``story`` column to split it.
MIN_ARTICLES_TO_FIND = 10


def story_ids(articles: pd.DataFrame, *, source: str = "auto") -> tuple[pd.Series, str]:
    """Each article's story id, and a sentence saying where the ids came from.

    Parameters
    ----------
    articles : pandas.DataFrame
        Cleaned articles (``text``, optionally ``story``/``event``, ``date``).
    source : {"auto", "column", "found", "one"}
        See :data:`STORY_SOURCES`.

    Returns
    -------
    (ids, how) : (pandas.Series of str, str)
        ``ids`` aligned with ``articles``; ``how`` for the page, e.g. "Stories from the
        corpus's story column." or "Stories found by group_stories ...: 120 articles
        share a story with another, 80 stand alone."

    >>> a = pd.DataFrame({"text": ["x", "y"], "story": ["s1", "s2"]})
    >>> ids, how = story_ids(a)
    >>> ids.tolist(), how
    (['s1', 's2'], "Stories from the corpus's story column.")
    >>> story_ids(a.drop(columns="story"))[0].tolist()
    ['all', 'all']
    """
    if source not in STORY_SOURCES:
        raise ValueError(f"stories={source!r}: expected one of {list(STORY_SOURCES)}")
    col = next((c for c in ("story", "event") if c in articles.columns), None)
    if source == "column" and col is None:
        raise ValueError("stories='column' but the corpus has no 'story' or 'event' column; "
                         "add one to the manifest (or put each story's files in a sub-folder)")
    if source in ("auto", "column") and col is not None:
        ids = articles[col].astype("string")
        empty = ids.isna() | (ids.str.strip() == "")
        if empty.any():
            where = articles.loc[empty, "doc_id"].astype(str).tolist()[:5] if "doc_id" in articles else []
            raise ValueError(f"the {col!r} column is empty for {int(empty.sum())} article(s) "
                             f"({', '.join(where)}); give every article a story id")
        return ids.astype(str), f"Stories from the corpus's {col} column."
    if source == "one" or (source == "auto" and len(articles) < MIN_ARTICLES_TO_FIND):
        reason = ("" if source == "one" else
                  f" (fewer than {MIN_ARTICLES_TO_FIND} articles and no story column)")
        return pd.Series(["all"] * len(articles), index=articles.index, dtype=str), \
            f"The whole corpus is one story{reason}."
    from framelens.stories import group_stories

    found = group_stories(articles, date_col="date" if "date" in articles.columns else None)
    alone = int((found["story_size"] == 1).sum())
    ids = ("found-" + found["story"].astype(str)).astype(str)
    return ids, (f"Stories found by group_stories (TF-IDF cosine >= 0.2 to a nearest neighbour within a 3-day "
                 f"date window, split by average linkage): {len(articles) - alone:,} articles share a story "
                 f"with another, {alone:,} stand alone.")


def story_folder(story: object) -> str:
    """A safe, unique folder name for a story's page; the story id is still shown as given.

    ASCII letters, digits and ``-`` from the id (at most 40), then 8 hex digits of
    its SHA-256, so ids that differ only in unsafe characters get different folders.

    >>> story_folder("event_1")
    'event-1-41bda90b'
    >>> story_folder("../../etc/passwd").startswith("etc-passwd-")
    True
    """
    text = str(story)
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "story"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def page_name(story: object) -> str:
    """A story's page under ``stories/``: its :func:`story_folder` and ``index.html`` there
    (the page's tables and figures sit beside it).

    >>> page_name("event_1")
    'event-1-41bda90b/index.html'
    """
    return f"{story_folder(story)}/index.html"


#: A dateline opening a first line: "WASHINGTON — ", "WEST PALM BEACH, Fla. — ", "KYIV (Reuters) - ",
#: "(CNN) - ".
DATELINE = re.compile(r"^(?:[A-Z][A-Z .,'’-]{2,}[A-Z](?:,\s*[A-Z][\w.]*)?(?:\s*\([^)]{1,40}\))?|\([A-Z][\w ]{1,20}\))"
                      r"\s*[—–-]{1,2}\s+")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…" when cut.

    >>> shorten("Trump Signals Openness to a 'New Deal' to Constrain Iran", 30)
    'Trump Signals Openness to a…'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:—–-") + "…"


def _headline(text: str, limit: int = 90) -> str:
    """The first non-empty line, without a leading dateline (:data:`DATELINE`), at most ``limit`` characters."""
    first = next((line.strip() for line in str(text).splitlines() if line.strip()), "")
    first = DATELINE.sub("", first, count=1) or first
    return shorten(first, limit)


def story_overview(articles: pd.DataFrame, *, story_col: str = "story", outlet_col: str = "outlet",
                   text_col: str = "text", title_col: str = "title") -> pd.DataFrame:
    """One row per story: ``story``, ``title``, ``n_articles``, ``n_outlets``, ``outlets``, ``page``.

    ``title`` is a readable name for axes and links: the ``title_col`` of the story's
    first article (by ``doc_id``) when the corpus has that column and the value is not
    empty (Article-Bias-Prediction's headlines), else the first line of its text
    without a leading dateline (a first line can be page furniture such as "Image
    copyright AFP": the headline column is preferred for that reason). Sorted by
    ``n_articles`` descending, then story.
    """
    rows = []
    has_title = title_col in articles.columns
    for story, part in articles.groupby(articles[story_col].astype(str), sort=True):
        part = part.sort_values("doc_id") if "doc_id" in part.columns else part
        outlets = sorted(map(str, part[outlet_col].unique()))
        given = next((str(t).strip() for t in part[title_col] if pd.notna(t) and str(t).strip()), "") \
            if has_title else ""
        rows.append({"story": story, "title": shorten(" ".join(given.split()), 90) if given
                     else _headline(part[text_col].iloc[0]),
                     "n_articles": len(part), "n_outlets": len(outlets),
                     "outlets": "; ".join(outlets), "page": page_name(story)})
    out = pd.DataFrame(rows, columns=["story", "title", "n_articles", "n_outlets", "outlets", "page"])
    return out.sort_values(["n_articles", "story"], ascending=[False, True], kind="stable").reset_index(drop=True)


def story_core_shares(articles: pd.DataFrame, *, story_col: str = "story", outlet_col: str = "outlet",
                      text_col: str = "text", batch_articles: int = 2000) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shared core and own material per story and outlet, each story aligned alone.

    The same tables as :func:`framelens.contrasts.within_stories` running
    ``core_share(label_sentences(sents, align(sents)))`` (:mod:`framelens.align`)
    on each story, computed in one pass: the corpus is split into sentences once
    (:func:`framelens.text.sentences`), stories covered by one outlet are skipped
    before any work, :func:`framelens.align.align` runs on each remaining story's
    sentences alone (its TF-IDF fitted on that story, never comparing two
    stories' sentences), and the labels and word shares of all stories are
    computed together, in batches of stories holding about ``batch_articles``
    articles (memory: one batch's sentences and sentence pairs). For outlet ``o``
    in story ``s``, ``share_<label> = words_<label> / n_words`` over ``o``'s
    sentences in ``s``.

    Returns
    -------
    (core, skipped) : tuple of pandas.DataFrame
        ``core``: ``story_col``, ``outlet``, ``n_sentences``, ``n_words``,
        ``words_<label>`` and ``share_<label>`` for each of
        :data:`framelens.align.LABELS`, ``paraphrase_threshold``,
        ``verbatim_threshold``; stories in sorted order, outlets by core share
        (verbatim + paraphrased) descending. ``skipped``: ``story``,
        ``n_articles``, ``n_outlets``, ``reason``, as
        :func:`framelens.contrasts.within_stories`.

    >>> a = pd.DataFrame({"doc_id": ["a", "b", "c"], "story": ["s1", "s1", "s2"],
    ...                   "outlet": ["A", "B", "A"], "text": [
    ...     "Kyiv asked NATO for an invitation next week.",
    ...     "Kyiv asked NATO for an invitation next week. It rained in Paris all day and night.",
    ...     "A lone report."]})
    >>> core, skipped = story_core_shares(a)
    >>> core[["story", "outlet", "share_shared-verbatim", "share_unique"]].values.tolist()
    [['s1', 'A', 1.0, 0.0], ['s1', 'B', 0.5, 0.5]]
    >>> skipped["reason"].tolist()
    ['covered by 1 outlet (A); comparing outlets needs 2']
    """
    from framelens.align import align, core_share, label_sentences
    from framelens.text import sentences

    story = articles[story_col].astype(str).to_numpy(dtype=object)
    outlet = articles[outlet_col].astype(str).to_numpy(dtype=object)
    by_story = pd.Series(outlet).groupby(story, sort=True)
    n_outlets, n_articles = by_story.nunique(), by_story.size()
    skipped: dict[str, tuple] = {}
    for st, names in by_story.unique()[n_outlets < 2].items():
        names = sorted(names)
        skipped[st] = (st, int(n_articles[st]), len(names),
                       f"covered by {len(names)} outlet{'s' if len(names) != 1 else ''} "
                       f"({', '.join(names)}); comparing outlets needs 2")
    compared = n_outlets.index[n_outlets >= 2]
    rows_of = pd.Series(np.arange(len(story))).groupby(story, sort=True).indices
    cores = []
    # stories in batches of about batch_articles articles: the sentences and sentence
    # pairs of one batch at a time are held in memory
    batch: list[str] = []
    size = 0
    for i, st in enumerate(compared):
        batch.append(st)
        size += len(rows_of[st])
        if size < batch_articles and i + 1 < len(compared):
            continue
        rows = np.concatenate([rows_of[s] for s in batch])
        # a surrogate id per article (doc_id need not be unique across stories); align's
        # result does not depend on the ids' order
        sents = sentences(pd.DataFrame({"doc_id": rows, "outlet": outlet[rows],
                                        "text": articles[text_col].to_numpy()[rows]}))
        sents = sents.drop(columns=["start", "end"]).assign(story=story[sents["doc_id"].to_numpy(dtype=np.int64)])
        bounds = sents.groupby("story", sort=True).indices
        pairs, aligned, no_pairs = [], [], []
        for s in batch:
            mine = sents.iloc[bounds.get(s, np.array([], dtype=np.int64))]
            try:
                if mine["outlet"].nunique() < 2:
                    raise NotEnoughData("fewer than 2 outlets have sentences")
                got = align(mine)
            except NotEnoughData as err:
                skipped[s] = (s, int(n_articles[s]), int(n_outlets[s]), str(err))
                continue
            aligned.append(bounds[s])
            pairs.append(got[_PAIR_COLS])
            if not len(got):
                no_pairs.append(s)
        batch, size = [], 0
        if not aligned:
            continue
        done = sents.iloc[np.concatenate(aligned)]
        labelled = label_sentences(done.drop(columns="story"), pd.concat(pairs, ignore_index=True))
        labelled["story"] = done["story"].to_numpy()
        core = core_share(labelled, within="story").reset_index()
        for col in ("paraphrase_threshold", "verbatim_threshold"):
            if col in core.columns:  # as align's own tables: no pairs, no thresholds
                core.loc[core["story"].isin(no_pairs), col] = np.nan
        cores.append(core)
    skipped_t = pd.DataFrame([skipped[s] for s in n_outlets.index if s in skipped],
                             columns=["story", "n_articles", "n_outlets", "reason"])
    if not cores:
        return pd.DataFrame(columns=[story_col]), skipped_t
    core = pd.concat(cores, ignore_index=True)
    return core.rename(columns={"story": story_col}), skipped_t


#: The columns of :func:`framelens.align.align` that :func:`framelens.align.label_sentences` reads.
_PAIR_COLS = ["doc_id", "sent_id", "other_outlet", "cosine", "containment", "label",
              "paraphrase_threshold", "verbatim_threshold"]


def voice_counts(articles: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
                 outlet_col: str = "outlet", text_col: str = "text",
                 chunk_size: int = 2000, return_quotes: bool = False) -> tuple[pd.DataFrame, ...]:
    """Each article's words and lexicon hits, in the outlet's narration and in quotations.

    Articles are read in chunks of ``chunk_size`` (memory stays bounded: no
    keyword-in-context table is kept). In each chunk the quotations are found by
    :func:`framelens.quotes.quotes` (``min_words=1``, as the one-story pipeline
    marks voices), the hits by :func:`framelens.lexicon.lexicon_hits` with those
    quotations (a hit wholly inside one is in the ``quotation`` voice), and the
    words of each voice by :func:`framelens.lexicon.voice_rates`: quoted words are
    the words of the quoted passages (overlaps counted once), narration the rest.

    Returns
    -------
    (per, hits) : tuple of pandas.DataFrame
        ``per``: one row per article, in order: ``words`` (:func:`framelens.text.count_words`),
        ``words_narration``, ``words_quotation``, ``quoted_words`` and
        ``named_quoted_words`` (the ``n_words`` of its quotations, and of those with a
        known speaker), and for each register ``R`` with a hit the counts ``R``
        (all voices), ``R|narration`` and ``R|quotation``. ``hits``: one row per hit:
        ``row`` (the article's position), ``term``, ``register``, ``voice``,
        ``speaker`` (``""`` when unknown or in narration), ``start``, ``end``, ``match``;
        by article, then offset. ``per`` also holds ``<type>_quoted_words`` for each
        source type of :func:`framelens.quotes.source_types` (``named``, ``unnamed``,
        ``news_organisation``, ``unattributed``).
    quoted : pandas.DataFrame
        Only with ``return_quotes=True``, a third table: one row per quotation,
        ``row``, ``start``, ``end``, ``n_words``, ``source_type``, ``cue``.

    >>> a = pd.DataFrame({"doc_id": ["x"], "outlet": ["A"],
    ...                   "text": ['The dictator fell. "A brutal end," Ann said.']})
    >>> per, hits = voice_counts(a)
    >>> per[["words", "words_quotation", "negative|quotation", "delegitimising|narration"]].values.tolist()
    [[8, 3, 1, 1]]
    >>> hits[["term", "voice", "speaker"]].values.tolist()
    [['dictator', 'narration', ''], ['brutal', 'quotation', 'Ann']]
    """
    from framelens.lexicon import lexicon_hits, load_lexicon, voice_rates
    from framelens.quotes import SOURCE_TYPES, quotes, source_types

    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ValueError(f"chunk_size must be an integer >= 1, got {chunk_size!r}")
    lexicon = load_lexicon() if lexicon is None else lexicon
    texts = articles[text_col].to_numpy(dtype=object)
    outlets = articles[outlet_col].astype(str).to_numpy(dtype=object)
    n = len(articles)
    words = np.zeros((n, 2), dtype=np.int64)  # narration, quotation
    quoted = np.zeros((n, 2), dtype=np.int64)  # all quoted, with a named speaker
    typed = np.zeros((n, len(SOURCE_TYPES)), dtype=np.int64)  # quoted words by source type
    frames, q_frames = [], []
    for lo in range(0, n, int(chunk_size)):
        rows = np.arange(lo, min(n, lo + int(chunk_size)))
        # positions as ids: quotes, hits and words are matched by them, whatever the doc_ids
        chunk = pd.DataFrame({"doc_id": rows, "outlet": outlets[rows], "text": texts[rows]})
        q = quotes(chunk, min_words=1)
        h = lexicon_hits(chunk, lexicon=lexicon, quotes=q, label_col="doc_id", sentences=False)
        vr = voice_rates(h, chunk, quotes=q, label_col="doc_id").drop_duplicates(["outlet", "voice"])
        at = vr["outlet"].astype(np.int64).to_numpy()
        words[at, (vr["voice"] == "quotation").to_numpy().astype(int)] = vr["words"].to_numpy()
        if len(q):
            qd = q["doc_id"].to_numpy(dtype=np.int64)
            nw = q["n_words"].to_numpy(dtype=np.int64)
            np.add.at(quoted[:, 0], qd, nw)
            np.add.at(quoted[:, 1], qd, np.where(q["speaker"].astype(str).to_numpy() != "", nw, 0))
            kinds = source_types(q)
            np.add.at(typed, (qd, pd.Categorical(kinds["source_type"], categories=SOURCE_TYPES).codes), nw)
            if return_quotes:
                q_frames.append(pd.DataFrame({"row": qd, "start": q["start"].to_numpy(dtype=np.int64),
                                              "end": q["end"].to_numpy(dtype=np.int64), "n_words": nw,
                                              "source_type": kinds["source_type"].to_numpy(dtype=object),
                                              "cue": kinds["cue"].to_numpy(dtype=object)}))
        frames.append(pd.DataFrame({"row": h["doc_id"].astype(np.int64).to_numpy(),
                                    **{c: h[c].to_numpy(dtype=object) for c in ("term", "register", "voice")},
                                    "speaker": h["speaker"].fillna("").to_numpy(dtype=object),
                                    "start": h["start"].to_numpy(), "end": h["end"].to_numpy(),
                                    "match": h["match"].to_numpy(dtype=object)}))
    hits = (pd.concat(frames, ignore_index=True) if frames else
            pd.DataFrame(columns=["row", "term", "register", "voice", "speaker", "start", "end", "match"]))
    hits = hits.astype({"row": np.int64, "start": np.int64, "end": np.int64,
                        **{c: "string" for c in ("term", "register", "voice", "speaker", "match")}})
    per = pd.DataFrame({"words": words.sum(axis=1), "words_narration": words[:, 0],
                        "words_quotation": words[:, 1], "quoted_words": quoted[:, 0],
                        "named_quoted_words": quoted[:, 1],
                        **{f"{t.replace(' ', '_')}_quoted_words": typed[:, k] for k, t in enumerate(SOURCE_TYPES)}},
                       index=articles.index)
    for register in sorted(hits["register"].unique()):
        mine = hits[hits["register"] == register]
        per[register] = np.bincount(mine["row"].to_numpy(dtype=np.int64), minlength=n)
        for voice in ("narration", "quotation"):
            r = mine.loc[mine["voice"] == voice, "row"].to_numpy(dtype=np.int64)
            per[f"{register}|{voice}"] = np.bincount(r, minlength=n)
    if not return_quotes:
        return per, hits
    q_cols = ["row", "start", "end", "n_words", "source_type", "cue"]
    quoted_t = pd.concat(q_frames, ignore_index=True) if q_frames else pd.DataFrame(columns=q_cols)
    return per, hits, quoted_t.astype({"row": np.int64, "start": np.int64, "end": np.int64, "n_words": np.int64})


def _sentences_of(texts: np.ndarray, rows: np.ndarray, starts: np.ndarray) -> list[str]:
    """The sentence (:func:`framelens.text.sentence_spans`) holding each offset, as lexicon_hits gives it."""
    from framelens.text import sentence_spans

    spans = {r: sentence_spans(texts[r]) for r in set(rows.tolist())}
    out = []
    for r, s in zip(rows.tolist(), starts.tolist()):
        sp_ = spans[r]
        j = max(bisect_right([a for a, _ in sp_], s) - 1, 0) if sp_ else 0
        out.append(texts[r][sp_[j][0]:sp_[j][1]] if sp_ else texts[r])
    return out


def _word_matrix_in_chunks(texts: list[str], *, chunk_size: int) -> tuple[np.ndarray, sp.csr_matrix]:
    """:func:`framelens.text.word_matrix` of ``texts``, built ``chunk_size`` texts at a time.

    The same types (sorted) and counts; each chunk's columns are renumbered into the
    union of the chunks' types, so only one chunk's token list is held at once.
    """
    from framelens.text import word_matrix

    parts = [word_matrix(texts[lo:lo + chunk_size]) for lo in range(0, len(texts), chunk_size)]
    if not parts:
        return word_matrix([])
    types = np.array(sorted(set().union(*(t.tolist() for t, _ in parts))), dtype=object)
    index = pd.Index(types)
    blocks = []
    for t, m in parts:
        m = m.tocoo()
        col = index.get_indexer(t)[m.col]
        blocks.append(sp.csr_matrix((m.data, (m.row, col)), shape=(m.shape[0], len(types))))
    return types, sp.vstack(blocks, format="csr")


def rows_in_use(word_counts: tuple[np.ndarray, sp.csr_matrix], *, rows: np.ndarray
                ) -> tuple[np.ndarray, sp.csr_matrix]:
    """The ``rows`` of a word matrix, without the words none of them uses.

    ``word_matrix(texts)`` of ``[texts[i] for i in rows]``, read from
    ``word_matrix(texts)``: the same types (sorted) and counts.

    Examples
    --------
    >>> from framelens.text import word_matrix
    >>> texts = ["Kyiv said", "Kiev said", "Kyiv asked"]
    >>> types, counts = rows_in_use(word_matrix(texts), rows=np.array([0, 2]))
    >>> again = word_matrix([texts[0], texts[2]])
    >>> types.tolist() == again[0].tolist(), (counts != again[1]).nnz
    (True, 0)
    >>> types.tolist(), counts.toarray().tolist()
    (['asked', 'kyiv', 'said'], [[0, 1, 1], [1, 1, 0]])
    """
    types, counts = word_counts
    picked = sp.csr_matrix(counts)[rows]
    used = np.flatnonzero(picked.getnnz(axis=0))
    return np.asarray(types, dtype=object)[used], picked[:, used].tocsr()


#: The measures of how much is quoted and who is quoted: (count column, words column, scale) of
#: :func:`voice_counts`'s table; the source types are :func:`framelens.quotes.source_types`'s.
QUOTE_MEASURES = {"quoted words per 1,000 words": ("words_quotation", "words", 1000),
                  "% of quoted words credited to a named speaker": ("named_quoted_words", "quoted_words", 100),
                  "% of quoted words from unnamed sources": ("unnamed_quoted_words", "quoted_words", 100),
                  "% of quoted words credited to a news organisation": ("news_organisation_quoted_words",
                                                                         "quoted_words", 100)}
#: The quotations listed as evidence for a measure of :data:`QUOTE_MEASURES`: those of this source type.
_QUOTE_EVIDENCE = {"% of quoted words from unnamed sources": "unnamed",
                   "% of quoted words credited to a news organisation": "news organisation"}
#: The shared-core measures: a column of :func:`story_core_shares` each, compared as it is.
CORE_MEASURES = {"share of own (unique) words": "share_unique",
                 "share of verbatim shared words": "share_shared-verbatim",
                 "share of paraphrased words": "share_paraphrased"}
#: The measures of how actors are labelled (:func:`actor_label_counts`): count column over mentions.
ACTOR_MEASURES = {"with a loaded label": "loaded", "with a title or label": "labelled"}
_VOICE_SUFFIX = (("", "", "words"), ("narration", " of narration", "words_narration"),
                 ("quotation", " of quotation", "words_quotation"))


#: An actor is measured by :func:`actor_label_counts` only if at least this share of its
#: mentions carry a label: people and offices are titled (Trump 17%, Obama 30% of mentions on
#: Article-Bias-Prediction), places and parties almost never (Washington, Senate about 1%).
MIN_LABELLED_SHARE = 0.1
#: Columns of the table of actors tried by :func:`actor_label_counts` (``actors_measured.csv``).
ACTORS_TRIED_COLUMNS = ("actor", "source", "shared_stories", "mentions", "labelled", "labelled_pct",
                        "measured", "reason")


def _inside(rows: np.ndarray, starts: np.ndarray, spans: pd.DataFrame) -> np.ndarray:
    """Whether each offset ``starts`` of article ``rows`` lies inside one of ``spans`` (row, start, end)."""
    if not len(spans) or not len(rows):
        return np.zeros(len(rows), dtype=bool)
    key = (spans["row"].to_numpy(dtype=np.int64) << 32) + spans["start"].to_numpy(dtype=np.int64)
    order = np.argsort(key, kind="stable")
    key, end = key[order], spans["end"].to_numpy(dtype=np.int64)[order]
    row_of = spans["row"].to_numpy(dtype=np.int64)[order]
    i = np.searchsorted(key, (rows << 32) + starts, side="right") - 1
    ok = i >= 0
    j = np.maximum(i, 0)
    return ok & (row_of[j] == rows) & (end[j] > starts)


def actor_label_counts(articles: pd.DataFrame, *, hits: pd.DataFrame, quoted: pd.DataFrame,
                       actors: pd.DataFrame | str | Path | None = None, story_col: str = "story",
                       outlet_col: str = "outlet", text_col: str = "text", max_actors: int = 10,
                       min_stories: int | None = None, sample: int = 1000, random_state: int = 0,
                       chunk_size: int = 2000) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """How each outlet labels each actor in its own voice: mentions, labelled, loaded, per article.

    Mentions are those of :func:`framelens.actors.find_mentions` lying outside every
    quotation of ``quoted`` (the outlet's narration: a label inside a quotation is the
    speaker's). A mention is *labelled* when it has a label (a title or epithet:
    "President Trump", "the Russian dictator Putin") and *loaded* when a narration hit
    of ``hits`` in the delegitimising or legitimising register lies inside that label
    (:func:`framelens.actors.loaded_labels`, as the one-event page marks loaded
    labels). The actors measured are at most ``max_actors`` of the table: those
    mentioned by two outlets or more in at least ``min_stories`` stories (default
    :data:`MIN_SHARED_STORIES`) and labelled in at least ``min_stories`` mentions and
    in at least :data:`MIN_LABELLED_SHARE` of them, the most such stories first
    (ties: name), so places, parties and bodies named without titles
    ("Washington", "Senate", "Democrats": about 1% of their mentions labelled on
    Article-Bias-Prediction, mostly by mistake) do not fill the table. The measures
    are then, for outlet ``o`` in story ``s`` and actor ``x``:
    ``% with a loaded label = 100 * loaded_o,s,x / mentions_o,s,x`` and ``% with a
    title or label = 100 * labelled_o,s,x / mentions_o,s,x`` (a story where ``o``
    does not mention ``x`` has no value).

    Parameters
    ----------
    articles : pandas.DataFrame
        The compared articles, positions as in ``hits["row"]`` and ``quoted["row"]``.
    hits, quoted : pandas.DataFrame
        The hits and quotations of :func:`voice_counts` (``return_quotes=True``).
    actors : DataFrame or path, optional
        Alias table (:func:`framelens.actors.load_actors`). Default: the 3 x
        ``max_actors`` most frequent of :func:`framelens.actors.propose_actors`
        (``min_count=2 * min_stories``) on a random ``sample`` of the articles
        (seeded by ``random_state``; the proposal's time grows faster than the
        articles: 13 CPU s on 1,000 Article-Bias-Prediction articles). Their names
        are the proposal's ids (e.g. "Donald" for "President Donald Trump" where the
        proposal keeps the first name apart); an alias table names them properly.

    Returns
    -------
    (counts, mentions, note, tried) : (pandas.DataFrame, pandas.DataFrame, str, pandas.DataFrame)
        ``counts``: one row per article and measured actor with a mention in
        narration: ``row``, ``actor``, ``mentions``, ``labelled``, ``loaded``.
        ``mentions``: the labelled narration mentions of the measured actors:
        ``row``, ``actor``, ``start``, ``label``, ``loaded_term``. ``note`` says
        where the actors came from. ``tried`` (:data:`ACTORS_TRIED_COLUMNS`): one row
        per actor of the alias table or proposal, measured ones first in the order
        measured: ``actor``, ``source`` ("alias table" or "proposed"),
        ``shared_stories`` (stories where two outlets or more mention it in
        narration), ``mentions`` and ``labelled`` (narration mentions, and those
        with a label), ``labelled_pct``, ``measured`` and ``reason`` (the first rule
        it fails, or "measured").
    """
    from framelens.actors import find_mentions, load_actors, loaded_labels, propose_actors

    min_stories = MIN_SHARED_STORIES if min_stories is None else int(min_stories)
    if isinstance(max_actors, bool) or not isinstance(max_actors, (int, np.integer)) or max_actors < 0:
        raise ValueError(f"max_actors must be an integer >= 0, got {max_actors!r}")
    cols = ["row", "actor", "mentions", "labelled", "loaded"]
    m_cols = ["row", "actor", "start", "label", "loaded_term"]
    none = (pd.DataFrame({c: pd.Series(dtype=object if c == "actor" else np.int64) for c in cols}),
            pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("row", "start") else object) for c in m_cols}))
    def tried(table: pd.DataFrame | None, m: pd.DataFrame | None = None, chosen: Sequence[str] = ()
              ) -> pd.DataFrame:
        """Every actor of ``table``, with its counts in ``m`` and why it is measured or not."""
        names = [] if table is None else list(dict.fromkeys(table["actor"].astype(str)))
        src = "proposed" if actors is None else "alias table"
        if m is None or not len(m):
            m = pd.DataFrame({"actor": pd.Series(dtype=object), "story": pd.Series(dtype=object),
                              "outlet": pd.Series(dtype=object), "labelled": pd.Series(dtype=bool)})
        by = m.assign(actor=m["actor"].astype(str)).groupby("actor")
        shared_n = (by.apply(lambda g: int((g.groupby("story")["outlet"].nunique() >= 2).sum()), include_groups=False)
                    if len(m) else pd.Series(dtype=np.int64))
        t = pd.DataFrame({"actor": names, "source": src})
        t["shared_stories"] = t["actor"].map(shared_n).fillna(0).astype(np.int64)
        t["mentions"] = t["actor"].map(by.size() if len(m) else pd.Series(dtype=np.int64)).fillna(0).astype(np.int64)
        t["labelled"] = t["actor"].map(by["labelled"].sum() if len(m) else pd.Series(dtype=np.int64)
                                       ).fillna(0).astype(np.int64)
        t["labelled_pct"] = np.where(t["mentions"] > 0, 100 * t["labelled"] / t["mentions"].clip(lower=1), np.nan)
        rank = {a: i for i, a in enumerate(chosen)}
        t["measured"] = t["actor"].isin(rank)

        def reason(r: Any) -> str:
            if r.measured:
                return "measured"
            if r.shared_stories < min_stories:
                return (f"mentioned by two outlets or more in {r.shared_stories} "
                        f"{'story' if r.shared_stories == 1 else 'stories'} (needs {min_stories})")
            if r.labelled < min_stories:
                return f"{r.labelled} labelled {'mention' if r.labelled == 1 else 'mentions'} (needs {min_stories})"
            if r.labelled_pct < 100 * MIN_LABELLED_SHARE:
                return f"{r.labelled_pct:.1f}% of mentions labelled (needs {100 * MIN_LABELLED_SHARE:.0f}%)"
            return f"not among the {max_actors} in the most shared stories"

        t["reason"] = [reason(r) for r in t.itertuples(index=False)] if len(t) else pd.Series(dtype=object)
        t = t.assign(_r=t["actor"].map(rank).fillna(len(rank)))
        t = t.sort_values(["_r", "shared_stories", "actor"], ascending=[True, False, True], kind="mergesort")
        return t.drop(columns="_r").reset_index(drop=True)[list(ACTORS_TRIED_COLUMNS)]

    if actors is None:
        picked = articles.sample(min(len(articles), sample), random_state=random_state) if len(articles) else articles
        # an actor measured has at least 2 * min_stories mentions: fewer are not worth grouping
        proposed = (propose_actors(picked, text_col=text_col, label_col=outlet_col, min_count=max(3, 2 * min_stories))
                    if len(picked) else None)
        if proposed is None or not len(proposed):
            return (*none, "no actors proposed", tried(None))
        top = proposed.head(3 * max_actors)
        table = pd.DataFrame({"actor": top["actor"].astype(str), "type": "proposed",
                              "pattern": top["pattern"].astype(str)}).drop_duplicates("actor")
        note = (f"actors proposed by propose_actors on {len(picked):,} articles drawn at random "
                f"(random_state={random_state}), the {len(table)} most frequent tried")
    else:
        table = load_actors(actors)
        note = f"actors from the alias table ({len(table)} actors)"
    texts = articles[text_col].to_numpy(dtype=object)
    loaded_hits = hits[hits["voice"].astype(str) == "narration"].rename(columns={"row": "doc_id"})
    parts = []
    for lo in range(0, len(articles), int(chunk_size)):
        rows = np.arange(lo, min(len(articles), lo + int(chunk_size)))
        m = find_mentions(pd.DataFrame({"doc_id": rows.astype(str), "outlet": "", "text": texts[rows]}), table)
        m = m[["doc_id", "actor", "start", "label", "label_start", "label_end"]].assign(
            doc_id=m["doc_id"].astype(np.int64).to_numpy())
        m = m[~_inside(m["doc_id"].to_numpy(dtype=np.int64), m["start"].to_numpy(dtype=np.int64), quoted)]
        mine = loaded_hits[(loaded_hits["doc_id"] >= lo) & (loaded_hits["doc_id"] < rows[-1] + 1)]
        parts.append(loaded_labels(m, mine))
    if not parts or not sum(map(len, parts)):
        return (*none, note, tried(table))
    m = pd.concat(parts, ignore_index=True).rename(columns={"doc_id": "row"})
    m["story"] = articles[story_col].astype(str).to_numpy(dtype=object)[m["row"].to_numpy()]
    m["outlet"] = articles[outlet_col].astype(str).to_numpy(dtype=object)[m["row"].to_numpy()]
    shared = (m.groupby(["actor", "story"])["outlet"].nunique() >= 2).groupby(level="actor").sum()
    labelled = m.groupby("actor")["labelled"].agg(["sum", "mean"]).reindex(shared.index, fill_value=0)
    ok = shared[(shared >= min_stories) & (labelled["sum"] >= min_stories)
                & (labelled["mean"] >= MIN_LABELLED_SHARE)]
    chosen = sorted(ok.index, key=lambda a: (-ok[a], str(a)))[:max_actors]
    every = tried(table, m, [str(a) for a in chosen])
    m = m[m["actor"].isin(chosen)]
    counts = (m.assign(loaded=m["loaded_term"] != "").groupby(["row", "actor"], sort=True)
              .agg(mentions=("start", "size"), labelled=("labelled", "sum"), loaded=("loaded", "sum")).reset_index())
    note += f"; {len(chosen)} measured ({', '.join(map(str, chosen))})" if chosen else "; none mentioned widely enough"
    return (counts.astype({"mentions": np.int64, "labelled": np.int64, "loaded": np.int64})[cols],
            m[m["labelled"]][m_cols].reset_index(drop=True), note, every)


def many_story_tables(articles: pd.DataFrame, *, lexicon: pd.DataFrame | None = None,
                      story_col: str = "story", outlet_col: str = "outlet",
                      group_col: str | None = None, n_boot: int = 1000, random_state: int = 0,
                      top_words: int = 10, min_count: int = 5,
                      max_evidence: int = 5, max_hit_stories: int | None = 50,
                      chunk_size: int = 2000, actors: pd.DataFrame | str | Path | None = None,
                      max_actors: int = 10, min_actor_stories: int | None = None,
                      word_counts: tuple[np.ndarray, sp.csr_matrix] | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the many-story report, computed within stories.

    Only stories covered by two outlets or more are analysed (a story of one
    outlet enters no contrast; it is listed in ``skipped_stories``).

    Parameters
    ----------
    articles : pandas.DataFrame
        Cleaned articles: ``doc_id``, ``text``, ``story_col``, ``outlet_col`` (and
        ``group_col`` when given, e.g. ``lean``).
    lexicon : pandas.DataFrame, optional
        For the register rates (default: the shipped lexicon).
    group_col : str, optional
        A column grouping articles by their outlet's kind (e.g. AllSides ``lean``);
        groups are compared like outlets, on the stories both groups cover. It is
        read per article: an outlet rated differently over time has articles in
        several groups. Empty values become ``"unknown"``.
    n_boot, random_state : bootstrap over stories (see :func:`framelens.contrasts.paired_contrasts`).
    top_words, min_count : distinctive words kept per outlet, and their count gate.
    max_evidence : evidence sentences kept per contrast.
    max_hit_stories : int or None, default 50
        ``story_hits`` lists the hits of this many stories, the largest first (the
        order of ``stories``, as the story pages); ``None``: every story. The rates
        count every hit whatever this limit.
    chunk_size : int, default 2000
        Articles read at once for the hits, quotations and mentions (:func:`voice_counts`).
    actors, max_actors, min_actor_stories : alias table (default: proposed), the most actors
        measured and the stories two outlets must mention one in (default
        :data:`MIN_SHARED_STORIES`; :func:`actor_label_counts`).
    word_counts : (types, counts), optional
        The articles' words as :func:`framelens.text.word_matrix` counts them, one row
        per article in order (a prepared corpus's ``terms`` and ``counts``): the
        distinctive words read their rows instead of counting the texts again (the same
        table). Default: counted from ``text``.

    Measures
    --------
    Every measure is compared per story between two outlets (``level="outlet"``)
    or two groups (``level="group"``), with :func:`framelens.contrasts.rate_contrasts`
    (a rate of summed counts over summed words within the story) or
    :func:`framelens.contrasts.paired_contrasts`:

    * ``<register> hits per 1,000 words``: lexicon hits of the register over all
      words;
    * ``<register> hits per 1,000 words of narration`` and ``... of quotation``:
      the hits in the outlet's own voice over its narration words, and the hits
      inside quotations over its quoted words (:func:`voice_counts`); a story
      where one side quotes nobody has no quotation rate and is not counted;
    * ``share of own (unique) words``, ``share of verbatim shared words``, ``share of
      paraphrased words`` (:data:`CORE_MEASURES`): the ``share_unique``,
      ``share_shared-verbatim`` and ``share_paraphrased`` of ``story_core_share``,
      words in sentences so labelled over the outlet's words in the story (the three
      sum to 1; no evidence sentences);
    * ``quoted words per 1,000 words``: how much of an outlet's text is others' words;
    * ``% of quoted words credited to a named speaker``: the words of its
      quotations (:func:`framelens.quotes.quotes`) whose speaker is known, over all
      its quoted words (stories where a side quotes nobody are left out);
    * ``% of quoted words from unnamed sources`` and ``... credited to a news
      organisation``: ``100 * words of quotations of that source type /
      quoted words`` (:func:`framelens.quotes.source_types`: "officials said", "a
      source told", "on condition of anonymity"; "CNN reported"); evidence: those
      quotations' sentences, the cue marked;
    * ``% of actor mentions with a loaded label`` and ``... with a title or label``,
      over the measured actors together (when there are two or more), and ``% of <actor> mentions with a loaded
      label`` / ``... with a title or label`` for each (:func:`actor_label_counts`:
      ``100 * loaded (labelled) mentions / mentions`` in the outlet's narration; a
      story enters a pair only where both sides mention the actor); evidence: the
      labelled mentions' sentences, the loaded word or the label marked.

    Registers are those with a hit in the compared stories.

    Returns
    -------
    dict of str -> pandas.DataFrame
        ``stories`` (:func:`story_overview`), ``story_coverage`` (articles per story
        and outlet), ``skipped_stories`` (not compared, with the reason),
        ``story_core_share`` (shared/paraphrased/unique word shares per story and
        outlet, :func:`story_core_shares`), ``story_hits`` (lexicon hits with their
        story and voice, for the ``max_hit_stories`` largest stories), ``contrasts``
        (one row per measure, level and pair: ``measure``, ``level`` (outlet or
        group), ``a``, ``b``, ``n_stories``, ``n_differing``, ``mean_a``, ``mean_b``,
        ``difference``, ``ci_low``, ``ci_high``, ``stories``), ``contrast_evidence``
        (the hits behind each register contrast, the quotations behind the source
        measures and the labelled mentions behind the actor measures, at most
        ``max_evidence`` per contrast: ``measure``, ``level``, ``a``, ``b``, ``side``, ``story_col``,
        ``doc_id``, ``outlet``, ``term``, ``sentence``, ``voice``),
        ``distinctive_within`` and ``house_style_set_aside``
        (:func:`framelens.contrasts.keyness_within_stories`), ``actors_measured``
        (every actor tried for the actor measures, and why each is measured or not:
        ``tried`` of :func:`actor_label_counts`).
    """
    from framelens.lexicon import lexicon_hits, load_lexicon
    from framelens.quotes import quotes

    for col in ("doc_id", "text", story_col, outlet_col):
        if col not in articles.columns:
            raise ValueError(f"articles lack column {col!r}; they have {sorted(map(str, articles.columns))}")
    if max_hit_stories is not None and (isinstance(max_hit_stories, bool) or not isinstance(
            max_hit_stories, (int, np.integer)) or max_hit_stories < 0):
        raise ValueError(f"max_hit_stories must be an integer >= 0 or None, got {max_hit_stories!r}")
    articles = articles.reset_index(drop=True)
    if group_col is not None:
        if group_col not in articles.columns:
            raise ValueError(f"group_col={group_col!r} is not a column; they are {sorted(map(str, articles.columns))}")
        articles = articles.assign(**{group_col: articles[group_col].fillna("unknown").astype(str)})
    lexicon = load_lexicon() if lexicon is None else lexicon
    tables: dict[str, pd.DataFrame] = {
        "stories": story_overview(articles, story_col=story_col, outlet_col=outlet_col),
        "story_coverage": coverage(articles, story_col=story_col, outlet_col=outlet_col).reset_index(),
    }
    core, skipped = story_core_shares(articles, story_col=story_col, outlet_col=outlet_col)
    tables["skipped_stories"] = skipped
    tables["story_core_share"] = core
    keep = ["doc_id", story_col] + ([group_col] if group_col is not None else [])
    listed = tables["stories"]["story"]
    listed = set(listed if max_hit_stories is None else listed.head(max_hit_stories))
    shown = articles[articles[story_col].astype(str).isin(listed)]
    tables["story_hits"] = lexicon_hits(
        shown, lexicon=lexicon, label_col=outlet_col, quotes=quotes(shown, min_words=1, label_col=outlet_col)
    ).merge(articles[keep], on="doc_id", how="left")
    # the measures: only stories with two outlets or more can be compared
    story = articles[story_col].astype(str)
    n_outlets = articles[outlet_col].astype(str).groupby(story).nunique()
    compared = story.isin(n_outlets.index[n_outlets >= 2]).to_numpy()
    comp = articles[compared].reset_index(drop=True)
    counts, found, quoted = voice_counts(comp, lexicon=lexicon, outlet_col=outlet_col, chunk_size=chunk_size,
                                         return_quotes=True)
    labels = [c for c in dict.fromkeys(["doc_id", story_col, outlet_col, "outlet"] + keep[2:]) if c in comp.columns]
    per = pd.concat([comp[labels], counts], axis=1)

    def labelled(table: pd.DataFrame) -> pd.DataFrame:
        """``table`` (with ``row``: an article's position in ``comp``) with that article's labels."""
        at = table["row"].to_numpy(dtype=np.int64)
        out = pd.concat([comp[labels].iloc[at].reset_index(drop=True), table.reset_index(drop=True)], axis=1)
        out["outlet"] = comp[outlet_col].to_numpy()[at]
        return out.assign(_doc=out["doc_id"].astype(str)).sort_values(["_doc", "start"], kind="mergesort")

    hits = labelled(found)
    typed = labelled(quoted[quoted["source_type"].isin(set(_QUOTE_EVIDENCE.values()))]
                     .rename(columns={"cue": "term"}).assign(voice="quotation"))
    a_counts, a_mentions, a_note, a_tried = actor_label_counts(comp, hits=found, quoted=quoted, actors=actors, story_col=story_col,
                                                 outlet_col=outlet_col, max_actors=max_actors,
                                                 min_stories=min_actor_stories, random_state=random_state,
                                                 chunk_size=chunk_size)
    a_per = labelled(a_counts.assign(start=0))
    a_ev = labelled(a_mentions.assign(term=a_mentions["loaded_term"].where(a_mentions["loaded_term"] != "",
                                                                            a_mentions["label"].astype(str)),
                                      voice="narration"))
    levels = [("outlet", outlet_col)] + ([("group", group_col)] if group_col is not None else [])
    frames, evidence = [], []
    for level, col in levels:
        for register in sorted(found["register"].unique()):
            for voice, suffix, words_col in _VOICE_SUFFIX:
                t = rate_contrasts(per, count_col=f"{register}|{voice}" if voice else register, words_col=words_col,
                                   story_col=story_col, outlet_col=col, n_boot=n_boot, random_state=random_state)
                t.insert(0, "level", level)
                t.insert(0, "measure", f"{register} hits per 1,000 words{suffix}")
                frames.append(t)
                mine = hits[(hits["register"] == register) & ((hits["voice"] == voice) if voice else True)]
                ev = contrast_evidence(t, mine, story_col=story_col, outlet_col=col, max_per_contrast=max_evidence)
                if len(ev):
                    evidence.append(ev.assign(measure=t["measure"].iloc[0], level=level))
        if len(core):
            unit = core[[story_col, "outlet", *CORE_MEASURES.values()]].rename(columns={"outlet": outlet_col})
            if col != outlet_col:  # an outlet's group in a story: that of most of its articles there
                mode = (comp.groupby([story_col, outlet_col])[col]
                        .agg(lambda x: x.value_counts().index[0]).rename(col).reset_index())
                mode[story_col] = mode[story_col].astype(str)
                unit = unit.merge(mode, on=[story_col, outlet_col], how="inner")
            for measure, share_col in CORE_MEASURES.items():
                t = paired_contrasts(unit, value_col=share_col, story_col=story_col, outlet_col=col,
                                     n_boot=n_boot, random_state=random_state)
                t.insert(0, "level", level)
                t.insert(0, "measure", measure)
                frames.append(t)
        for measure, (count_col, words_col, scale) in QUOTE_MEASURES.items():
            t = rate_contrasts(per, count_col=count_col, words_col=words_col, per=scale, story_col=story_col,
                               outlet_col=col, n_boot=n_boot, random_state=random_state)
            t.insert(0, "level", level)
            t.insert(0, "measure", measure)
            frames.append(t)
            if measure in _QUOTE_EVIDENCE:
                mine = typed[typed["source_type"] == _QUOTE_EVIDENCE[measure]]
                ev = contrast_evidence(t, mine, story_col=story_col, outlet_col=col, max_per_contrast=max_evidence)
                if len(ev):
                    evidence.append(ev.assign(measure=measure, level=level))
        measured = sorted(a_per["actor"].unique(), key=str)
        # the measured actors together (when there are several), then each
        for who in ([None] if len(measured) > 1 else []) + measured:
            rows = a_per if who is None else a_per[a_per["actor"] == who]
            for what, count_col in ACTOR_MEASURES.items():
                measure = f"% of {'actor' if who is None else who} mentions {what}"
                t = rate_contrasts(rows, count_col=count_col, words_col="mentions", per=100, story_col=story_col,
                                   outlet_col=col, n_boot=n_boot, random_state=random_state)
                t.insert(0, "level", level)
                t.insert(0, "measure", measure)
                frames.append(t)
                mine = a_ev if who is None else a_ev[a_ev["actor"] == who]
                mine = mine[mine["loaded_term"] != ""] if count_col == "loaded" else mine
                ev = contrast_evidence(t, mine, story_col=story_col, outlet_col=col, max_per_contrast=max_evidence)
                if len(ev):
                    evidence.append(ev.assign(measure=measure, level=level))
    del per, hits, found, quoted  # every hit of the compared stories: not needed for what follows
    tables["contrasts"] = (false_discovery(pd.concat(frames, ignore_index=True), min_stories=MIN_SHARED_STORIES)
                           if frames else pd.DataFrame())
    ev_cols = ["measure", "level", "a", "b", "side", story_col, "doc_id", "outlet", "term", "sentence", "voice"]
    if evidence:
        ev = pd.concat(evidence, ignore_index=True)
        ev["sentence"] = _sentences_of(comp["text"].to_numpy(dtype=object), ev["row"].to_numpy(dtype=np.int64),
                                       ev["start"].to_numpy(dtype=np.int64))
        tables["contrast_evidence"] = ev[ev_cols]
    else:
        tables["contrast_evidence"] = pd.DataFrame(columns=ev_cols)
    try:
        if word_counts is None:
            types, wm = _word_matrix_in_chunks(comp["text"].tolist(), chunk_size=chunk_size)
        else:
            types, wm = rows_in_use(word_counts, rows=np.flatnonzero(compared))
        dist, aside = keyness_within_stories(
            types, wm, stories=comp[story_col].astype(str).tolist(),
            outlets=comp[outlet_col].astype(str).tolist(), min_count=min_count, top=top_words)
    except NotEnoughData:
        dist, aside = pd.DataFrame(), pd.DataFrame()
    tables["distinctive_within"] = dist
    tables["house_style_set_aside"] = aside
    tables["actors_measured"] = a_tried
    return tables


#: A pair of outlets is tested (its interval read as evidence) only on at least this many
#: shared stories: resampling two or three stories gives an interval that excludes 0 whenever
#: they differ the same way, which is no evidence of a habit.
MIN_SHARED_STORIES = 5


def clear_contrasts(contrasts: pd.DataFrame, *, min_stories: int = MIN_SHARED_STORIES) -> pd.DataFrame:
    """The contrasts on at least ``min_stories`` shared stories whose bootstrap interval
    excludes 0, largest |difference| first per measure.

    Raises :class:`NotEnoughData` when there is no contrast at all (no two outlets share
    a story), so a notebook shows the reason.

    >>> t = pd.DataFrame({"measure": ["m"] * 3, "level": ["outlet"] * 3, "a": ["A", "A", "B"],
    ...                   "b": ["B", "C", "C"], "n_stories": [9, 9, 2], "difference": [0.5, -2.0, 3.0],
    ...                   "ci_low": [-0.1, -3.0, 2.0], "ci_high": [1.0, -1.0, 4.0]})
    >>> clear_contrasts(t)[["a", "b"]].values.tolist()
    [['A', 'C']]
    """
    if contrasts is None or not len(contrasts):
        raise NotEnoughData("no two outlets cover a common story: nothing to compare across stories")
    tested = contrasts[contrasts["n_stories"] >= min_stories]
    clear = tested[(tested["ci_low"] > 0) | (tested["ci_high"] < 0)]
    order = clear["difference"].abs().rename("size")
    return (clear.assign(size=order).sort_values(["measure", "level", "size"], ascending=[True, True, False],
                                                 kind="stable").drop(columns="size").reset_index(drop=True))


def strongest_measure(contrasts: pd.DataFrame, *, level: str = "outlet") -> str:
    """The measure with the most pairs whose interval excludes 0 at ``level`` (ties: name order).

    Raises :class:`NotEnoughData` when no pair at that level has such an interval.
    """
    clear = clear_contrasts(contrasts)
    clear = clear[clear["level"] == level]
    if not len(clear):
        raise NotEnoughData(f"no {level} pair has a bootstrap interval that excludes 0 on any measure")
    counts = clear.groupby("measure").size()
    return str(counts[counts == counts.max()].index.sort_values()[0])


# --------------------------------------------------------------------------- figures


def _height(rows: int) -> float:
    """Figure height in inches for ``rows`` rows, capped so the saved PNG stays under MAX_FIGURE_PX."""
    return float(min(1.6 + 0.28 * rows, (MAX_FIGURE_PX - 50) / _DPI))


def plot_story_coverage(cov: pd.DataFrame, stories: pd.DataFrame, *, max_rows: int = _MAX_ROWS,
                        max_outlets: int = _MAX_OUTLETS) -> Any:
    """Articles per story (rows, by title) and outlet: the largest ``max_rows`` stories, and
    the ``max_outlets`` outlets with the most articles in them."""
    import matplotlib.pyplot as plt

    matrix = cov.set_index(cov.columns[0])
    order = stories["story"].tolist()[:max_rows]
    shown = matrix.loc[[s for s in order if s in matrix.index]]
    busiest = shown.sum(axis=0).sort_values(ascending=False, kind="stable")
    outlets_left_out = max(0, int((busiest > 0).sum()) - max_outlets)
    shown = shown[[c for c in busiest.index[:max_outlets] if busiest[c] > 0]]
    titles = stories.set_index("story")["title"]
    left_out = len(matrix) - len(shown)
    with style():
        fig, ax = plt.subplots(figsize=(min(2.2 + 0.9 * shown.shape[1], 10.0), _height(len(shown))))
        ax.imshow(shown.to_numpy(), aspect="auto", cmap="Blues", vmin=0)
        for (i, j), v in np.ndenumerate(shown.to_numpy()):
            ax.text(j, i, str(v), ha="center", va="center", fontsize=9,
                    color="white" if v > shown.to_numpy().max() / 2 else "black")
        ax.set_xticks(range(shown.shape[1]), [str(c) for c in shown.columns], rotation=30, ha="right")
        ax.set_yticks(range(len(shown)), [shorten(titles.get(s, s), 48) for s in shown.index])
        more = f" ({left_out:,} smaller stories not shown)" if left_out else ""
        also = f"; {outlets_left_out} outlets with fewer articles here not shown" if outlets_left_out else ""
        ax.set_title(f"Articles per story and outlet: {len(matrix):,} stories{more}{also}", loc="left")
        fig.tight_layout()
    return fig


def plot_contrasts(contrasts: pd.DataFrame, *, measure: str, level: str = "outlet",
                   max_rows: int = _MAX_ROWS, min_stories: int = MIN_SHARED_STORIES) -> Any:
    """Paired differences with their bootstrap intervals, one row per pair sharing at least
    ``min_stories`` stories (largest |difference| first)."""
    import matplotlib.pyplot as plt

    t = contrasts[(contrasts["measure"] == measure) & (contrasts["level"] == level)
                  & (contrasts["n_stories"] >= min_stories)].copy()
    if not len(t):
        raise NotEnoughData(f"no {level} pair shares {min_stories} or more stories on {measure}")
    t = t.reindex(t["difference"].abs().sort_values(ascending=False, kind="stable").index)
    shown = t.head(max_rows).iloc[::-1]
    left_out = len(t) - len(shown)
    with style():
        fig, ax = plt.subplots(figsize=(7.5, _height(len(shown))))
        y = np.arange(len(shown))
        lo = (shown["difference"] - shown["ci_low"]).clip(lower=0).fillna(0)
        hi = (shown["ci_high"] - shown["difference"]).clip(lower=0).fillna(0)
        ax.errorbar(shown["difference"], y, xerr=[lo, hi], fmt="o", color=PALETTE[0], ecolor="#999", capsize=3)
        ax.axvline(0, color="#444", lw=0.8)
        ax.set_yticks(y, [f"{r.a} − {r.b} (n={r.n_stories})" for r in shown.itertuples()])
        ax.set_xlabel("difference on the stories both cover (95% bootstrap interval over stories)")
        more = f"; the {len(shown)} largest differences shown" if left_out else ""
        clear = int(((t["ci_low"] > 0) | (t["ci_high"] < 0)).sum())
        ax.set_title(f"{measure}: {clear} of {len(t)} {level} pairs differ (95% interval excludes 0)\n"
                     f"pairs sharing ≥ {min_stories} stories{more}", loc="left")
        fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- pages

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:62rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}h2{border-bottom:1px solid #ddd;margin-top:2rem}
figure img{max-width:min(100%,48rem);height:auto;border:1px solid #eee}.meta{font-size:.9rem;color:#555}
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}mark{background:#ffe08a}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _doc(title: str, body: list[str]) -> str:
    return "\n".join(["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>", *body,
                      "</body></html>"]) + "\n"


def _table(df: pd.DataFrame, max_rows: int = 50) -> str:
    shown = df.head(max_rows)
    more = f'<p class="meta">{len(df) - max_rows:,} more rows in the CSV.</p>' if len(df) > max_rows else ""
    return shown.to_html(index=False, escape=True, border=0, float_format=lambda x: f"{x:.3g}") + more


def _save(fig: Any, figures: Path, name: str) -> str:
    import matplotlib.pyplot as plt

    from framelens.viz import fit_saved_height

    figures.mkdir(parents=True, exist_ok=True)
    fit_saved_height(fig, limit_px=MAX_FIGURE_PX, dpi=_DPI)  # a long title can still push it past the cap
    fig.savefig(figures / f"{name}.png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    import matplotlib

    from framelens.plots import RC

    with matplotlib.rc_context({"svg.hashsalt": RC["svg.hashsalt"]}):  # fixed ids: the same SVG every run
        fig.savefig(figures / f"{name}.svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return f"{name}.png"


def _mark(sentence: str, term: str) -> str:
    """The sentence escaped, with the first occurrence of ``term`` in <mark>."""
    i = sentence.lower().find(str(term).lower()) if term else -1
    if i < 0:
        return _e(sentence)
    j = i + len(str(term))
    return f"{_e(sentence[:i])}<mark>{_e(sentence[i:j])}</mark>{_e(sentence[j:])}"


def _light_story_page(story: Any, folder: Path, *, articles: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                      story_col: str, outlet_col: str) -> None:
    """A story's page from the across-story tables alone (its articles, shared core, lexicon hits)."""
    mine = articles[articles[story_col].astype(str) == story.story]
    page = ['<p><a href="../../index.html">All stories</a></p>', f"<h1>{_e(story.title)}</h1>",
            f'<p class="meta">Story {_e(story.story)}: {story.n_articles:,} articles from {story.n_outlets:,} outlets '
            f"({_e(story.outlets)}). Everything on this page compares only this story's articles.</p>",
            "<h2>Articles</h2>",
            _table(pd.DataFrame({"doc_id": mine["doc_id"].astype(str), "outlet": mine[outlet_col].astype(str),
                                 "headline": mine["text"].map(_headline)}))]
    core = tables["story_core_share"]
    c = core[core[story_col] == story.story] if len(core) else core
    if len(c):
        page += ["<h2>Shared core and own material</h2>", _table(c.drop(columns=[story_col]))]
    hits = tables["story_hits"]
    h = hits[hits[story_col].astype(str) == story.story] if len(hits) else hits
    if len(h):
        page.append(f"<h2>Lexicon hits ({len(h)})</h2><table><tr><th>outlet</th><th>register</th><th>sentence</th></tr>")
        page += [f"<tr><td>{_e(x.outlet)}</td><td>{_e(x.register)}</td><td>{_mark(str(x.sentence), str(x.match))}</td></tr>"
                 for x in h.head(200).itertuples(index=False)]
        page.append("</table>")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(_doc(f"{story.story}: framelens", page), encoding="utf-8")


def write_many_story_report(tables: Mapping[str, pd.DataFrame], out: str | Path, *,
                            articles: pd.DataFrame, story_col: str = "story",
                            outlet_col: str = "outlet", max_story_pages: int = 50,
                            corpus_name: str = "", how_found: str = "",
                            story_pages: Callable[[list[tuple[str, Path]]], None] | None = None,
                            notebooks: pd.DataFrame | None = None,
                            notebook_story: str | None = None) -> Path:
    """Write the tables (CSV), figures, ``index.html`` and ``stories/NAME/index.html`` under ``out``.

    ``how_found`` says where the stories came from (a column, sub-folders, or
    :func:`framelens.stories.group_stories`), shown on the overview. Story pages:
    all stories if there are at most ``max_story_pages``, else the largest that
    many (the overview says how many have no page). ``story_pages([(story, folder), ...])``
    writes each story's page as ``folder/index.html`` (``framelens report`` gives the
    full one-event page, :func:`framelens.findings.write_story_findings`); without it,
    a page from these tables alone. ``tables`` may hold ``rejects`` (listed on the
    overview: every input article is analysed or listed) and ``sections``.
    ``notebooks`` (rendered, with ``notebook``, ``html``, ``title``) are listed, saying
    they drill into ``notebook_story``. Returns ``out/index.html``.
    """
    if isinstance(max_story_pages, bool) or not isinstance(max_story_pages, int) or max_story_pages < 0:
        raise ValueError(f"max_story_pages must be an integer >= 0, got {max_story_pages!r}")
    out = Path(out)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    for name, df in sorted(tables.items()):
        df.to_csv(out / "tables" / f"{name}.csv", index=False, lineterminator="\n")
    figures = out / "figures"
    stories = tables["stories"]
    contrasts = tables["contrasts"]
    body = [f"<header><h1>How outlets framed {len(stories):,} stories: findings</h1>",
            f'<p class="meta">Corpus: {_e(corpus_name)}. {len(articles):,} articles from '
            f"{articles[outlet_col].nunique():,} outlets in {len(stories):,} stories. {_e(how_found)} "
            "Outlets are compared only on the stories both cover; every number is read from the tables in "
            '<a href="tables/">tables/</a>.</p></header><main>']
    body.append("<section id='coverage'><h2>Stories and outlets</h2>")
    body.append(f'<figure><img src="figures/{_save(plot_story_coverage(tables["story_coverage"], stories), figures, "story_coverage")}" '
                'alt="articles per story and outlet"></figure>')
    skipped = tables["skipped_stories"]
    if len(skipped):
        single = int((skipped["n_articles"] == 1).sum()) if "n_articles" in skipped.columns else 0
        body.append(f"<p>{len(skipped):,} stories are not compared (one outlet, or too little text)"
                    + (f", {single:,} of them a single article" if single else "")
                    + "; the largest of them:</p>")
        order = (skipped.sort_values("n_articles", ascending=False, kind="stable")
                 if "n_articles" in skipped.columns else skipped)
        body.append(_table(order, max_rows=20))
    body.append("</section><section id='contrasts'><h2>Across-story contrasts</h2>")
    body.append("<p>Each row compares two outlets (or groups) on the stories both cover: the mean of the "
                "per-story differences, the number of shared stories (n), how many of them differ, and a "
                "95% percentile bootstrap interval that resamples stories. An interval that includes 0 does "
                "not separate the two. With many pairs and measures a few intervals exclude 0 by chance, so "
                "each row also carries q_value: its bootstrap p-value adjusted by Benjamini–Hochberg over every "
                "contrast on the page with at least "
                f"{MIN_SHARED_STORIES} shared stories. Rows with q_value ≤ 0.05 keep the expected share of "
                "false discoveries among them at 5% or less. A p-value from B resamples is at least 2/(B + 1), "
                "so with many contrasts and few resamples no q_value can reach 0.05 "
                "(framelens.pipeline.Settings.contrast_n_boot sets B).</p>")
    if len(contrasts) and "q_value" in contrasts.columns:
        tested = contrasts[contrasts["q_value"].notna()]
        n_clear = len(clear_contrasts(tested)) if len(tested) else 0
        n_q = int((tested["q_value"] <= 0.05).sum())
        body.append(f"<p>Of {len(tested):,} contrasts tested, {n_clear:,} have an interval that excludes 0 and "
                    f"{n_q:,} have q_value ≤ 0.05.</p>")
    quiet = []
    if len(contrasts):
        few = contrasts[contrasts["n_stories"] < MIN_SHARED_STORIES]
        if len(few):
            body.append(f"<p>{len(few):,} of {len(contrasts):,} rows compare a pair on fewer than {MIN_SHARED_STORIES} "
                        "shared stories: they are in the table but not read as evidence here (resampling two or "
                        "three stories gives an interval that excludes 0 whenever they differ the same way).</p>")
    for (measure, level), part in contrasts.groupby(["measure", "level"], sort=True) if len(contrasts) else []:
        part = part[part["n_stories"] >= MIN_SHARED_STORIES]
        clear = clear_contrasts(part) if len(part) else part
        if not len(clear):
            if len(part):
                quiet.append(f"{measure} ({level}s, {len(part)} pairs)")
            continue
        stem = "contrast_" + re.sub(r"[^a-z0-9]+", "_", f"{measure}_{level}".lower()).strip("_")
        body.append(f"<h3>{_e(measure)} ({_e(level)}s)</h3>")
        body.append(f'<figure><img src="figures/{_save(plot_contrasts(contrasts, measure=measure, level=level), figures, stem)}" '
                    f'alt="{_e(measure)}"></figure>')
        body.append(f"<p>{len(clear)} of {len(part)} pairs have an interval that excludes 0:</p>")
        body.append(_table(clear.drop(columns=["stories"])))
    tried = tables.get("actors_measured")
    if tried is not None and len(tried):
        measured = tried[tried["measured"].astype(bool)]
        src = "proposed from the articles" if (tried["source"] == "proposed").all() else "from the alias table"
        body.append(f"<p>Actor measures: {len(measured)} of {len(tried)} actors {src} are measured"
                    + (": " + _e(", ".join(measured["actor"].astype(str))) if len(measured) else "")
                    + "; <a href='tables/actors_measured.csv'>actors_measured.csv</a> gives each actor's shared "
                    "stories and labelled share, and the rule that left each other one out.</p>")
    if quiet:
        body.append("<p>No pair has an interval that excludes 0 for: " + _e("; ".join(quiet))
                    + " (all pairs are in <a href='tables/contrasts.csv'>contrasts.csv</a>).</p>")
    if not len(contrasts):
        body.append("<p>No two outlets cover a common story: nothing to compare.</p>")
    ev = tables["contrast_evidence"]
    if len(ev) and len(contrasts):  # the sentences behind the contrasts read as evidence above
        tested = clear_contrasts(contrasts)[["measure", "level", "a", "b"]]
        ev = ev.merge(tested, on=["measure", "level", "a", "b"], how="inner")
        # about 60 rows in all, shared among the measures (every measure's first rows shown)
        ev = ev.groupby("measure", sort=True, group_keys=False).head(max(2, 60 // max(1, ev["measure"].nunique())))
    if len(ev):
        body.append("<h3>Evidence sentences behind the contrasts whose interval excludes 0</h3>")
        body.append("<table><tr><th>measure</th><th>pair</th><th>story</th><th>outlet</th><th>sentence</th></tr>")
        paged_ids = set(stories["story"].head(max_story_pages).astype(str))
        for r in ev.head(60).itertuples(index=False):
            rd = r._asdict()
            sid = str(rd[story_col])
            where = (f'<a href="stories/{_e(page_name(sid))}">{_e(sid)}</a>' if sid in paged_ids else _e(sid))
            body.append(f"<tr><td>{_e(r.measure)}</td><td>{_e(r.a)} − {_e(r.b)}</td>"
                        f"<td>{where}</td><td>{_e(r.outlet)}</td>"
                        f"<td>{_mark(str(r.sentence), str(r.term))}</td></tr>")
        body.append("</table>")
    body.append("</section><section id='distinctive'><h2>Distinctive words within stories</h2>")
    body.append("<p>Log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008) of each outlet "
                "against the same stories' other outlets, each story weighted as in the outlet's own text, so the "
                "mix of events cannot make a word distinctive. House style (honorifics, abbreviated titles, credit "
                "lines, the outlet's own name; <code>framelens/data/house_style.csv</code>) is set aside.</p>")
    dist = tables["distinctive_within"]
    body.append(_table(dist) if len(dist) else "<p>No story is covered by two outlets.</p>")
    aside = tables["house_style_set_aside"]
    if len(aside):
        body.append(f"<p>Set aside as house style ({len(aside)} words with z ≥ 1.96):</p>")
        body.append(_table(aside))
    body.append("</section><section id='stories'><h2>One page per story</h2>")
    paged = stories.head(max_story_pages)
    if len(stories) > len(paged):
        body.append(f"<p>The {len(paged)} largest of {len(stories)} stories have a page "
                    f"(max_story_pages={max_story_pages}); the others are in the tables.</p>")
    body.append("<ul>" + "".join(f'<li><a href="stories/{_e(page_name(r.story))}">{_e(r.title)}</a> '
                                 f"({_e(r.story)}: {r.n_articles} articles, {r.n_outlets} outlets)</li>"
                                 for r in paged.itertuples()) + "</ul></section>")
    rejects = tables.get("rejects")
    if rejects is not None:
        body.append("<section id='rejected'><h2>Rejected articles</h2>")
        if len(rejects):
            body.append(f"<p>{len(rejects)} input articles could not be analysed and are left out of every "
                        "finding; the reasons and fixes are in <a href='tables/rejects.csv'>rejects.csv</a>:</p>")
            body.append(_table(rejects[["path", "reason"]]))
        else:
            body.append(f"<p>None: all {len(articles)} input articles were read and analysed.</p>")
        body.append("</section>")
    if notebooks is not None and len(notebooks):
        which = f" drill into story {_e(notebook_story)} (the largest)" if notebook_story else ""
        body.append(f"<section id='notebooks'><h2>The notebooks</h2><p>Notebooks 01 and 06 cover the whole "
                    f"corpus; the others{which}: set their <code>STORY</code> parameter to drill into another.</p><ul>")
        body += [f'<li><a href="{_e(r.html)}">{_e(r.notebook)}</a>: {_e(getattr(r, "title", ""))}</li>'
                 for r in notebooks.sort_values("notebook").itertuples()]
        body.append("</ul></section>")
    body.append("</main>")
    index = out / "index.html"
    index.write_text(_doc("framelens findings", body), encoding="utf-8")
    if story_pages is not None:
        folders = [(str(r.story), out / "stories" / story_folder(r.story)) for r in paged.itertuples()]
        for _, folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
        story_pages(folders)
        return index
    for r in paged.itertuples():
        _light_story_page(r, out / "stories" / story_folder(r.story), articles=articles, tables=tables,
                          story_col=story_col, outlet_col=outlet_col)
    return index
