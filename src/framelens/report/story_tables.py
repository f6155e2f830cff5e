"""Every table of the many-story report, computed within stories (:func:`many_story_tables`).

The measures (:data:`QUOTE_MEASURES`, :data:`CORE_MEASURES`, :data:`ACTOR_MEASURES` and the
register rates in all words, narration and quotation) are compared per story between two
outlets or two groups, on the stories both cover; the counts behind them come from
:mod:`framelens.report.story_counts` and :mod:`framelens.report.story_actors`.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framelens.contrasts import (contrast_evidence, coverage, false_discovery, keyness_within_stories,
                                 paired_contrasts, rate_contrasts)
from framelens.notes import NotEnoughData
from framelens.report.story_actors import actor_label_counts
from framelens.report.story_contrasts import MIN_SHARED_STORIES
from framelens.report.story_counts import (rows_in_use, sentences_of, story_core_shares, voice_counts,
                                           word_matrix_in_chunks)
from framelens.report.story_ids import story_overview

__all__ = ["QUOTE_MEASURES", "CORE_MEASURES", "ACTOR_MEASURES", "many_story_tables"]


#: The measures of how much is quoted and who is quoted: (count column, words column, scale) of
#: :func:`~framelens.report.story_counts.voice_counts`'s table; the source types are
#: :func:`framelens.quotes.source_types`'s.
QUOTE_MEASURES = {"quoted words per 1,000 words": ("words_quotation", "words", 1000),
                  "% of quoted words credited to a named speaker": ("named_quoted_words", "quoted_words", 100),
                  "% of quoted words from unnamed sources": ("unnamed_quoted_words", "quoted_words", 100),
                  "% of quoted words credited to a news organisation": ("news_organisation_quoted_words",
                                                                         "quoted_words", 100)}
#: The quotations listed as evidence for a measure of :data:`QUOTE_MEASURES`: those of this source type.
_QUOTE_EVIDENCE = {"% of quoted words from unnamed sources": "unnamed",
                   "% of quoted words credited to a news organisation": "news organisation"}
#: The shared-core measures: a column of :func:`~framelens.report.story_counts.story_core_shares`
#: each, compared as it is.
CORE_MEASURES = {"share of own (unique) words": "share_unique",
                 "share of verbatim shared words": "share_shared-verbatim",
                 "share of paraphrased words": "share_paraphrased"}
#: The measures of how actors are labelled
#: (:func:`~framelens.report.story_actors.actor_label_counts`): count column over mentions.
ACTOR_MEASURES = {"with a loaded label": "loaded", "with a title or label": "labelled"}
_VOICE_SUFFIX = (("", "", "words"), ("narration", " of narration", "words_narration"),
                 ("quotation", " of quotation", "words_quotation"))


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
        Articles read at once for the hits, quotations and mentions
        (:func:`~framelens.report.story_counts.voice_counts`).
    actors, max_actors, min_actor_stories : alias table (default: proposed), the most actors
        measured and the stories two outlets must mention one in (default
        :data:`~framelens.report.story_contrasts.MIN_SHARED_STORIES`;
        :func:`~framelens.report.story_actors.actor_label_counts`).
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
      inside quotations over its quoted words (:func:`~framelens.report.story_counts.voice_counts`); a story
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
      label`` / ``... with a title or label`` for each (:func:`~framelens.report.story_actors.actor_label_counts`:
      ``100 * loaded (labelled) mentions / mentions`` in the outlet's narration; a
      story enters a pair only where both sides mention the actor); evidence: the
      labelled mentions' sentences, the loaded word or the label marked.

    Registers are those with a hit in the compared stories.

    Returns
    -------
    dict of str -> pandas.DataFrame
        ``stories`` (:func:`~framelens.report.story_ids.story_overview`), ``story_coverage`` (articles per story
        and outlet), ``skipped_stories`` (not compared, with the reason),
        ``story_core_share`` (shared/paraphrased/unique word shares per story and
        outlet, :func:`~framelens.report.story_counts.story_core_shares`), ``story_hits`` (lexicon hits with their
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
        ``tried`` of :func:`~framelens.report.story_actors.actor_label_counts`).
    """
    from framelens.lexicon import load_lexicon

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
    tables = _story_tables(articles, lexicon=lexicon, story_col=story_col, outlet_col=outlet_col,
                           group_col=group_col, max_hit_stories=max_hit_stories)
    core = tables["story_core_share"]
    keep = [group_col] if group_col is not None else []
    # the measures: only stories with two outlets or more can be compared
    story = articles[story_col].astype(str)
    n_outlets = articles[outlet_col].astype(str).groupby(story).nunique()
    compared = story.isin(n_outlets.index[n_outlets >= 2]).to_numpy()
    comp = articles[compared].reset_index(drop=True)
    counts, found, quoted = voice_counts(comp, lexicon=lexicon, outlet_col=outlet_col, chunk_size=chunk_size,
                                         return_quotes=True)
    labels = [c for c in dict.fromkeys(["doc_id", story_col, outlet_col, "outlet"] + keep) if c in comp.columns]
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
    how = {"story_col": story_col, "n_boot": n_boot, "random_state": random_state, "max_evidence": max_evidence}
    for level, col in levels:
        for f, e in (_register_contrasts(per, hits, registers=sorted(found["register"].unique()), level=level,
                                         outlet_col=col, **how),
                     _core_contrasts(core, comp, level=level, outlet_col=col, article_outlet_col=outlet_col,
                                     story_col=story_col, n_boot=n_boot, random_state=random_state),
                     _quote_contrasts(per, typed, level=level, outlet_col=col, **how),
                     _actor_contrasts(a_per, a_ev, level=level, outlet_col=col, **how)):
            frames += f
            evidence += e
    del per, hits, found, quoted  # every hit of the compared stories: not needed for what follows
    tables["contrasts"] = (false_discovery(pd.concat(frames, ignore_index=True), min_stories=MIN_SHARED_STORIES)
                           if frames else pd.DataFrame())
    tables["contrast_evidence"] = _evidence_table(evidence, comp, story_col=story_col)
    dist, aside = _distinctive(comp, compared, word_counts=word_counts, story_col=story_col, outlet_col=outlet_col,
                               min_count=min_count, top_words=top_words, chunk_size=chunk_size)
    tables["distinctive_within"] = dist
    tables["house_style_set_aside"] = aside
    tables["actors_measured"] = a_tried
    return tables


def _story_tables(articles: pd.DataFrame, *, lexicon: pd.DataFrame, story_col: str, outlet_col: str,
                  group_col: str | None, max_hit_stories: int | None) -> dict[str, pd.DataFrame]:
    """The tables of the stories themselves: ``stories``, ``story_coverage``, ``skipped_stories``,
    ``story_core_share`` and ``story_hits`` (those of the ``max_hit_stories`` largest)."""
    from framelens.lexicon import lexicon_hits
    from framelens.quotes import quotes

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
    return tables


def _named(t: pd.DataFrame, *, measure: str, level: str) -> pd.DataFrame:
    """``t`` with its ``measure`` and ``level`` as the first two columns."""
    t.insert(0, "level", level)
    t.insert(0, "measure", measure)
    return t


def _register_contrasts(per: pd.DataFrame, hits: pd.DataFrame, *, registers: list[str], level: str,
                        outlet_col: str, story_col: str, n_boot: int, random_state: int, max_evidence: int
                        ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """Each register's hits per 1,000 words, of narration and of quotation: contrasts and evidence."""
    frames, evidence = [], []
    for register in registers:
        for voice, suffix, words_col in _VOICE_SUFFIX:
            t = rate_contrasts(per, count_col=f"{register}|{voice}" if voice else register, words_col=words_col,
                               story_col=story_col, outlet_col=outlet_col, n_boot=n_boot, random_state=random_state)
            frames.append(_named(t, measure=f"{register} hits per 1,000 words{suffix}", level=level))
            mine = hits[(hits["register"] == register) & ((hits["voice"] == voice) if voice else True)]
            ev = contrast_evidence(t, mine, story_col=story_col, outlet_col=outlet_col, max_per_contrast=max_evidence)
            if len(ev):
                evidence.append(ev.assign(measure=t["measure"].iloc[0], level=level))
    return frames, evidence


def _core_contrasts(core: pd.DataFrame, comp: pd.DataFrame, *, level: str, outlet_col: str,
                    article_outlet_col: str, story_col: str, n_boot: int, random_state: int
                    ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """The shared-core measures (:data:`CORE_MEASURES`) of ``core`` (``outlet`` is the article's
    ``article_outlet_col``), compared by ``outlet_col``: contrasts only, no evidence sentences."""
    if not len(core):
        return [], []
    unit = core[[story_col, "outlet", *CORE_MEASURES.values()]].rename(columns={"outlet": article_outlet_col})
    if outlet_col != article_outlet_col:  # an outlet's group in a story: that of most of its articles there
        mode = (comp.groupby([story_col, article_outlet_col])[outlet_col]
                .agg(lambda x: x.value_counts().index[0]).rename(outlet_col).reset_index())
        mode[story_col] = mode[story_col].astype(str)
        unit = unit.merge(mode, on=[story_col, article_outlet_col], how="inner")
    frames = []
    for measure, share_col in CORE_MEASURES.items():
        t = paired_contrasts(unit, value_col=share_col, story_col=story_col, outlet_col=outlet_col,
                             n_boot=n_boot, random_state=random_state)
        frames.append(_named(t, measure=measure, level=level))
    return frames, []


def _quote_contrasts(per: pd.DataFrame, typed: pd.DataFrame, *, level: str, outlet_col: str, story_col: str,
                     n_boot: int, random_state: int, max_evidence: int
                     ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """How much is quoted and from whom (:data:`QUOTE_MEASURES`): contrasts, and the typed quotations as evidence."""
    frames, evidence = [], []
    for measure, (count_col, words_col, scale) in QUOTE_MEASURES.items():
        t = rate_contrasts(per, count_col=count_col, words_col=words_col, per=scale, story_col=story_col,
                           outlet_col=outlet_col, n_boot=n_boot, random_state=random_state)
        frames.append(_named(t, measure=measure, level=level))
        if measure in _QUOTE_EVIDENCE:
            mine = typed[typed["source_type"] == _QUOTE_EVIDENCE[measure]]
            ev = contrast_evidence(t, mine, story_col=story_col, outlet_col=outlet_col, max_per_contrast=max_evidence)
            if len(ev):
                evidence.append(ev.assign(measure=measure, level=level))
    return frames, evidence


def _actor_contrasts(a_per: pd.DataFrame, a_ev: pd.DataFrame, *, level: str, outlet_col: str, story_col: str,
                     n_boot: int, random_state: int, max_evidence: int
                     ) -> tuple[list[pd.DataFrame], list[pd.DataFrame]]:
    """How actors are labelled (:data:`ACTOR_MEASURES`): the measured actors together (when there are
    several), then each; evidence: the labelled mentions (the loaded ones for the loaded measure)."""
    frames, evidence = [], []
    measured = sorted(a_per["actor"].unique(), key=str)
    for who in ([None] if len(measured) > 1 else []) + measured:
        rows = a_per if who is None else a_per[a_per["actor"] == who]
        for what, count_col in ACTOR_MEASURES.items():
            measure = f"% of {'actor' if who is None else who} mentions {what}"
            t = rate_contrasts(rows, count_col=count_col, words_col="mentions", per=100, story_col=story_col,
                               outlet_col=outlet_col, n_boot=n_boot, random_state=random_state)
            frames.append(_named(t, measure=measure, level=level))
            mine = a_ev if who is None else a_ev[a_ev["actor"] == who]
            mine = mine[mine["loaded_term"] != ""] if count_col == "loaded" else mine
            ev = contrast_evidence(t, mine, story_col=story_col, outlet_col=outlet_col, max_per_contrast=max_evidence)
            if len(ev):
                evidence.append(ev.assign(measure=measure, level=level))
    return frames, evidence


def _evidence_table(evidence: list[pd.DataFrame], comp: pd.DataFrame, *, story_col: str) -> pd.DataFrame:
    """``contrast_evidence``: the evidence rows with their sentences
    (:func:`~framelens.report.story_counts.sentences_of`)."""
    ev_cols = ["measure", "level", "a", "b", "side", story_col, "doc_id", "outlet", "term", "sentence", "voice"]
    if not evidence:
        return pd.DataFrame(columns=ev_cols)
    ev = pd.concat(evidence, ignore_index=True)
    ev["sentence"] = sentences_of(comp["text"].to_numpy(dtype=object), ev["row"].to_numpy(dtype=np.int64),
                                  ev["start"].to_numpy(dtype=np.int64))
    return ev[ev_cols]


def _distinctive(comp: pd.DataFrame, compared: np.ndarray, *, word_counts: tuple[np.ndarray, sp.csr_matrix] | None,
                 story_col: str, outlet_col: str, min_count: int, top_words: int, chunk_size: int
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``distinctive_within`` and ``house_style_set_aside`` of the compared articles
    (:func:`framelens.contrasts.keyness_within_stories`; empty when it cannot run)."""
    try:
        if word_counts is None:
            types, wm = word_matrix_in_chunks(comp["text"].tolist(), chunk_size=chunk_size)
        else:
            types, wm = rows_in_use(word_counts, rows=np.flatnonzero(compared))
        return keyness_within_stories(
            types, wm, stories=comp[story_col].astype(str).tolist(),
            outlets=comp[outlet_col].astype(str).tolist(), min_count=min_count, top=top_words)
    except NotEnoughData:
        return pd.DataFrame(), pd.DataFrame()
