"""What the many-story measures count, article by article, holding one chunk at a time.

:func:`story_core_shares` (the shared core and own material of each outlet in each story,
each story aligned alone), :func:`voice_counts` (words and lexicon hits in narration and in
quotations, and the quotations by source type), :func:`sentences_of` (the sentence behind an
evidence hit) and the word matrix of the compared articles (:func:`word_matrix_in_chunks`,
:func:`rows_in_use`).
"""
from __future__ import annotations

from bisect import bisect_right

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framelens.notes import NotEnoughData

__all__ = ["story_core_shares", "voice_counts", "sentences_of", "word_matrix_in_chunks", "rows_in_use"]


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


def sentences_of(texts: np.ndarray, rows: np.ndarray, starts: np.ndarray) -> list[str]:
    """The sentence (:func:`framelens.text.sentence_spans`) holding each offset, as lexicon_hits gives it.

    ``texts[rows[i]]``'s sentence holding character ``starts[i]``, one per offset.

    >>> texts = np.array(["Kyiv asked. NATO said no.", "One line"], dtype=object)
    >>> sentences_of(texts, np.array([0, 0, 1]), np.array([0, 14, 3]))
    ['Kyiv asked.', 'NATO said no.', 'One line']
    """
    from framelens.text import sentence_spans

    spans = {r: sentence_spans(texts[r]) for r in set(rows.tolist())}
    out = []
    for r, s in zip(rows.tolist(), starts.tolist()):
        sp_ = spans[r]
        j = max(bisect_right([a for a, _ in sp_], s) - 1, 0) if sp_ else 0
        out.append(texts[r][sp_[j][0]:sp_[j][1]] if sp_ else texts[r])
    return out


def word_matrix_in_chunks(texts: list[str], *, chunk_size: int) -> tuple[np.ndarray, sp.csr_matrix]:
    """:func:`framelens.text.word_matrix` of ``texts``, built ``chunk_size`` texts at a time.

    The same types (sorted) and counts; each chunk's columns are renumbered into the
    union of the chunks' types, so only one chunk's token list is held at once.

    >>> from framelens.text import word_matrix
    >>> texts = ["Kyiv said", "Kiev said", "Kyiv asked"]
    >>> types, counts = word_matrix_in_chunks(texts, chunk_size=2)
    >>> types.tolist(), counts.toarray().tolist()
    (['asked', 'kiev', 'kyiv', 'said'], [[0, 0, 1, 1], [0, 1, 0, 1], [1, 0, 1, 0]])
    >>> (counts != word_matrix(texts)[1]).nnz
    0
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
