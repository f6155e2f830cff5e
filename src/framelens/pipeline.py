"""The analysis, once: every table of the findings from one :class:`Settings` object.

:func:`run` reads a corpus (:func:`load`), then computes each section of the analysis in
turn (:data:`SECTIONS`: corpus, similarity, stability, keyness, labels, lexicon, spelling,
quotes, coverage, traces), one function per section, and returns a :class:`Results`
holding every table by name, each section's status and note, and the :class:`Corpus`.
The findings page (:func:`framelens.findings.compute_tables` writes ``Results.tables``
as CSV), the notebooks (which call :func:`run` and show its tables with narrative) and
the per-chunk scale path (:func:`framelens.distributed.analyse_chunk`, same
:class:`Settings`) all read the same settings, so a number on the page and in a
notebook cannot differ.

Every setting lives in :class:`Settings`, with its default, and is validated there on
entry. A researcher changes one by passing it, e.g.
``run("seeds", Settings(n_boot=1000))`` or ``Settings().replace(keyness_top=5)``.

Errors stay errors: a section that cannot run for a reason in the data (too few
articles or outlets, no actors, raised as :class:`framelens.notes.NotEnoughData`) is
marked "not computed" with the reason; any other exception is a bug and stops the run.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framelens.corpus import Corpus, load_corpus, prepare
from framelens.notes import NotEnoughData, Note

__all__ = ["Settings", "Results", "SECTIONS", "ACROSS_STORIES", "PAIRWISE", "BETWEEN_OUTLETS",
           "INDEXED_TABLES", "ROUNDED_TABLES", "CACHE_ENV", "load", "load_stories", "corpus_fingerprint", "with_stories", "select_story", "largest_story",
           "run", "run_section"]

#: The sections of the analysis, in the order they run (and appear in ``sections.csv``).
SECTIONS: tuple[str, ...] = ("corpus", "similarity", "stability", "labels", "lexicon", "spelling",
                             "quotes", "coverage", "keyness", "traces", "sentences", "sensitivity",
                             "mentions", "framing", "variants")

#: The sections a corpus of several stories runs on all its articles at once: the article
#: list, and ``stories`` (the across-story tables of
#: :func:`framelens.storyreport.many_story_tables`: coverage, contrasts on the stories two
#: outlets both cover, distinctive words within stories). Every other section compares the
#: articles of one story (``run(story=)``). ``stories`` runs only on a corpus of several
#: stories, or when asked for.
ACROSS_STORIES: tuple[str, ...] = ("corpus", "stories")

#: Sections that compare every pair of articles (or sentences): skipped above ``max_docs``.
PAIRWISE: tuple[str, ...] = ("similarity", "stability", "quotes", "coverage", "sentences",
                             "sensitivity", "framing")

#: Sections that compare outlets: not computed, with the reason, when the corpus has one outlet.
#: (Similarity and stability compare articles, labelled by outlet, or "outlet · doc_id" for an
#: outlet with several articles: see :func:`framelens.features.article_labels`.)
BETWEEN_OUTLETS: tuple[str, ...] = ("spelling", "quotes", "coverage", "keyness", "sentences",
                                    "framing", "variants")

#: Tables whose index is data (row labels: an outlet, an actor, a fact): written with it.
INDEXED_TABLES: frozenset[str] = frozenset({
    "similarity", "cluster_cooccurrence_k2", "label_matrix", "quote_matches", "attribution",
    "core_share", "coverage_matrix"})

#: Tables whose numbers are rounded to :data:`DECIMALS` (page and notebooks alike).
ROUNDED_TABLES: frozenset[str] = frozenset({
    "similarity", "cluster_cooccurrence_k2", "keyness", "register_rates", "core_share"})

#: Decimals kept in the :data:`ROUNDED_TABLES`.
DECIMALS: int = 6


def _positive_int(name: str, value: Any, *, minimum: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"Settings.{name}={value!r}: expected a whole number >= {minimum}")


def _share(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"Settings.{name}={value!r}: expected a number between 0 and 1")


@dataclass(frozen=True)
class Settings:
    """Every setting of the analysis, with its default: the one place they live.

    Attributes
    ----------
    min_words : int, default 1
        Articles with fewer words after cleaning are rejected as too short
        (:func:`framelens.corpus.prepare`).
    rules : tuple of str or None, default None
        Cleaning rules by name (:data:`framelens.corpus.RULES`); ``None``: all of them.
    stop_words : "english" or None, default "english"
        Stop words left out of similarity, stability and keyness (scikit-learn's English
        list): function words (the, of, in) would otherwise dominate them.
    max_docs : int, default 2000
        Above this many articles the pairwise sections (:data:`PAIRWISE`) are not
        computed and the page says so.
    n_boot : int, default 200
        Bootstrap samples over the vocabulary for cluster stability
        (:func:`framelens.clusters.bootstrap_terms`).
    ks : tuple of int, default (2, 3)
        Numbers of clusters whose stability is measured (those below the number of
        articles are kept).
    random_state : int, default 0
        Seed of every random step (the bootstrap); same seed, same tables.
    keyness_alpha0 : float, default 100.0
        Strength of the informative Dirichlet prior (pseudo-words), see
        :func:`framelens.keyness.keyness`.
    keyness_min_count : int, default 5
        A word seen fewer times in all is flagged ``low_count``.
    keyness_min_words : int, default 1000
        A comparison in which either side has fewer words is flagged ``small_sample``.
    keyness_top : int, default 10
        Distinctive words kept per outlet (``keyness.csv``, the page's figure and
        notebook 05).
    actor_min_count : int, default 3
        Least mentions of a proposed actor when the corpus has no ``actors.csv``
        (:func:`framelens.actors.actors_or_proposed`).
    rate_per : int, default 1000
        Register rates are hits per this many words.
    quote_min_words : int, default 3
        Shortest quotation counted (:func:`framelens.quotes.quotes`).
    quote_match : float, default :data:`framelens.quotes.QUOTE_MATCH`
        Similarity at which two outlets' quotations are the same passage.
    verbatim, paraphrase : float, default :data:`framelens.align.VERBATIM`, :data:`~framelens.align.PARAPHRASE`
        Sentence-alignment thresholds: shared word trigrams for "shared verbatim",
        TF-IDF cosine for "paraphrased" (:func:`framelens.align.align`).
    stories : {"auto", "column", "found", "one"}, default "auto"
        Where each article's story (event) comes from
        (:data:`framelens.storyreport.STORY_SOURCES`): a ``story``/``event`` column or
        sub-folders, else :func:`framelens.stories.group_stories` (a corpus of fewer than
        :data:`~framelens.storyreport.MIN_ARTICLES_TO_FIND` articles without a story column
        is one story, as the seeds are). Outlets are compared only within a story.
    group : str or None, default None
        A column grouping outlets (e.g. ``lean``: left, center, right) compared like
        outlets across stories (:func:`framelens.storyreport.many_story_tables`).
    max_story_pages : int, default 10
        A many-story report writes a page for every story if there are at most this
        many, else for the largest this many; the others are in the tables.
    contrast_n_boot : int, default 1000
        Bootstrap samples over stories for the across-story contrasts
        (:func:`framelens.contrasts.paired_contrasts`).

    Examples
    --------
    >>> Settings().keyness_top, Settings(n_boot=50).n_boot
    (10, 50)
    >>> Settings(n_boot=0)
    Traceback (most recent call last):
    ...
    ValueError: Settings.n_boot=0: expected a whole number >= 1
    """

    min_words: int = 1
    rules: tuple[str, ...] | None = None
    stop_words: str | None = "english"
    max_docs: int = 2000
    n_boot: int = 200
    ks: tuple[int, ...] = (2, 3)
    random_state: int = 0
    keyness_alpha0: float = 100.0
    keyness_min_count: int = 5
    keyness_min_words: int = 1000
    keyness_top: int = 10
    actor_min_count: int = 3
    rate_per: int = 1000
    quote_min_words: int = 3
    quote_match: float = 0.3
    verbatim: float = 0.5
    paraphrase: float = 0.14
    stories: str = "auto"
    group: str | None = None
    max_story_pages: int = 10
    contrast_n_boot: int = 1000

    def __post_init__(self) -> None:
        from framelens.storyreport import STORY_SOURCES

        _positive_int("min_words", self.min_words, minimum=0)
        _positive_int("max_story_pages", self.max_story_pages, minimum=0)
        _positive_int("contrast_n_boot", self.contrast_n_boot)
        if self.stories not in STORY_SOURCES:
            raise ValueError(f"Settings.stories={self.stories!r}: expected one of {list(STORY_SOURCES)}")
        if self.group is not None and (not isinstance(self.group, str) or not self.group.strip()):
            raise ValueError(f"Settings.group={self.group!r}: expected a column name or None")
        for name in ("max_docs", "n_boot", "keyness_min_count", "keyness_top",
                     "actor_min_count", "rate_per", "quote_min_words"):
            _positive_int(name, getattr(self, name))
        _positive_int("keyness_min_words", self.keyness_min_words, minimum=0)
        if isinstance(self.random_state, bool) or not isinstance(self.random_state, (int, np.integer)):
            raise ValueError(f"Settings.random_state={self.random_state!r}: expected an integer seed")
        if self.stop_words not in ("english", None):
            raise ValueError(f"Settings.stop_words={self.stop_words!r}: expected 'english' or None")
        if self.rules is not None and (isinstance(self.rules, str) or not all(
                isinstance(r, str) for r in self.rules)):
            raise ValueError(f"Settings.rules={self.rules!r}: expected a tuple of rule names or None")
        if self.rules is not None:
            object.__setattr__(self, "rules", tuple(self.rules))
        if isinstance(self.ks, (str, bytes)) or not isinstance(self.ks, Sequence) or not self.ks:
            raise ValueError(f"Settings.ks={self.ks!r}: expected a tuple of numbers of clusters >= 2")
        for k in self.ks:
            _positive_int("ks", k, minimum=2)
        object.__setattr__(self, "ks", tuple(int(k) for k in self.ks))
        a0 = self.keyness_alpha0
        if isinstance(a0, bool) or not isinstance(a0, (int, float)) or not np.isfinite(a0) or a0 <= 0:
            raise ValueError(f"Settings.keyness_alpha0={a0!r}: expected a positive number")
        for name in ("quote_match", "verbatim", "paraphrase"):
            _share(name, getattr(self, name))

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied (and validated).

        Examples
        --------
        >>> Settings().replace(keyness_top=5).keyness_top
        5
        """
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True, eq=False)
class Results:
    """Every table of one run, by name, with each section's status.

    Attributes
    ----------
    corpus : Corpus
        The prepared corpus the tables were computed from.
    settings : Settings
    tables : dict of str to DataFrame
        Table name (the CSV stem, see :data:`framelens.findings.TABLES`) -> table,
        rounded to :data:`DECIMALS` as written; ``rejects`` and ``sections`` included.
    sections : pandas.DataFrame
        One row per section: ``section``, ``status`` ("computed" or "not computed"),
        ``tables`` (comma-separated names) and ``note`` (which alias table was used, or
        why the section was not computed).
    story : str or None
        The story the one-story sections were computed on (``run(story=)``), or ``None``.
    n_stories : int
        How many stories the corpus holds (before ``story`` selected one).
    how_stories : str
        Where the stories came from, for the page (:func:`with_stories`).
    """

    corpus: Corpus
    settings: Settings
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    sections: pd.DataFrame = field(default_factory=pd.DataFrame)
    story: str | None = None
    n_stories: int = 1
    how_stories: str = ""

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.tables:
            raise KeyError(f"no table {name!r} in these results; computed: {sorted(self.tables)}"
                           + self.why(name))
        return self.tables[name]

    def table(self, name: str) -> pd.DataFrame | Note:
        """Table ``name``, or a :class:`~framelens.notes.Note` saying why its section was not
        computed (a notebook shows the note in place of the table).

        Raises
        ------
        KeyError
            When no section run would write ``name`` (a typo, or a section not asked for).
        """
        if name in self.tables:
            return self.tables[name]
        why = self.why(name)
        if not why:
            raise KeyError(f"no table {name!r} in these results; computed: {sorted(self.tables)}")
        return Note(why.strip(" ()"))

    def why(self, name: str) -> str:
        """The note of the section that would have written table ``name`` ("" if none)."""
        for row in self.sections.itertuples(index=False):
            if row.status != "computed" and name in _SECTION_TABLES.get(row.section, ()):
                return f" ({row.section}: {row.note})"
        return ""

    def note(self, section: str) -> str:
        """The note of one section ("" when it has none)."""
        hit = self.sections[self.sections["section"] == section]
        if hit.empty:
            raise KeyError(f"no section {section!r}; sections: {list(self.sections['section'])}")
        return str(hit["note"].iloc[0])


#: The tables each section writes (``coverage_matrix`` only when the corpus has facts.csv).
_SECTION_TABLES: dict[str, tuple[str, ...]] = {
    "corpus": ("corpus", "cleaning_audit"),
    "similarity": ("similarity",),
    "stability": ("cluster_pairs", "cluster_cooccurrence_k2"),
    "keyness": ("keyness",),
    "labels": ("label_matrix", "actor_labels"),
    "lexicon": ("lexicon_hits", "register_rates", "lexicon_used", "word_choice"),
    "spelling": ("spelling_marked",),
    "quotes": ("quotes", "quote_matches", "attribution"),
    "coverage": ("core_share", "coverage_matrix"),
    "traces": ("traces",),
    "sentences": ("sentence_labels", "alignment", "unique_by_threshold", "own_words"),
    "sensitivity": ("stability_checks", "stability_partitions", "similarity_checks"),
    "mentions": ("actor_titles",),
    "framing": ("who_said_what", "framing_choices", "quoted_regions"),
    "variants": ("spelling_table", "mixed_spellings"),
    "stories": ("stories", "story_coverage", "skipped_stories", "story_core_share", "story_hits",
                "contrasts", "contrast_evidence", "distinctive_within", "house_style_set_aside",
                "actors_measured"),
}


def load(path: str | Path, settings: Settings | None = None, *,
         columns: dict[str, str] | None = None) -> Corpus:
    """Read and prepare a corpus as the pipeline does: rejects collected, cleaned, counted.

    ``load_corpus(path, errors="collect")`` then ``prepare(..., rules=settings.rules,
    min_words=settings.min_words, errors="collect")``: every input article is analysed
    or listed in ``Corpus.rejects`` with the reason. ``columns`` renames a single CSV/JSONL
    file's columns, as ``load_corpus(columns=)``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Kyiv asked NATO.", encoding="utf-8")
    >>> _ = (folder / "b.txt").write_text("", encoding="utf-8")
    >>> c = load(folder)
    >>> c.articles["text"].tolist(), c.rejects["path"].tolist()
    (['Kyiv asked NATO.'], ['b.txt'])
    """
    settings = Settings() if settings is None else settings
    return prepare(load_corpus(path, errors="collect", columns=columns), rules=settings.rules,
                   min_words=settings.min_words, errors="collect")


class _Context:
    """What several sections share, each computed once: actors, mentions, sentences."""

    def __init__(self, corpus: Corpus, settings: Settings) -> None:
        self.corpus = corpus
        self.settings = settings
        self.docs = corpus.articles

    @cached_property
    def actors(self) -> tuple[pd.DataFrame, str]:
        from framelens.actors import actors_or_proposed

        return actors_or_proposed(self.docs, self.corpus.folder,
                                  min_count=self.settings.actor_min_count)

    @cached_property
    def mentions(self) -> pd.DataFrame:
        from framelens.actors import find_mentions

        return find_mentions(self.docs, self.actors[0])

    @cached_property
    def sentences(self) -> pd.DataFrame:
        from framelens.text import sentences

        return sentences(self.docs)

    @cached_property
    def by_article(self) -> pd.DataFrame:
        """``docs`` with ``outlet`` made unique per article ("outlet · doc_id" where an outlet
        has several), so a corpus with one article per outlet keeps its outlet headers."""
        from framelens.features import article_labels

        return self.docs.assign(outlet=article_labels(self.docs)["article"].astype("str"))

    @cached_property
    def fingerprint(self) -> str:
        """:func:`corpus_fingerprint` of the corpus (the section cache's key)."""
        return corpus_fingerprint(self.corpus)

    @property
    def outlets(self) -> list[str]:
        return sorted(map(str, self.docs["outlet"].unique()))


Section = Callable[[_Context], "dict[str, pd.DataFrame] | tuple[dict[str, pd.DataFrame], str]"]


def _corpus_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.text import sentence_spans, words

    docs, audit = ctx.docs, ctx.corpus.audit
    if "sentences" in ctx.__dict__:  # already split for another section
        firsts = ctx.sentences.groupby("doc_id", sort=False)["sentence"].first()
    else:  # the first sentence only: a corpus of many stories needs no table of every sentence
        firsts = pd.Series({d: next((t[a:b] for a, b in sentence_spans(t)[:1]), "")
                            for d, t in zip(docs["doc_id"], docs["text"])}, dtype=object)
    removed = audit.groupby("doc_id").size()
    table = pd.DataFrame({
        "doc_id": docs["doc_id"],
        "outlet": docs["outlet"],
        "origin_language": docs["origin_language"],
        "translated": docs["translated"],
        "date": docs["date"],
        "words_raw": [len(words(t)) for t in docs["text_raw"]],
        "words": ctx.corpus.doc_words,
        "removed_spans": [int(removed.get(d, 0)) for d in docs["doc_id"]],
        "first_sentence": [str(firsts.get(d, "")) for d in docs["doc_id"]],
    })
    if "story" in docs.columns:
        table.insert(2, "story", docs["story"].astype(str).to_numpy())
    return {"corpus": table, "cleaning_audit": audit}


def _similarity_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.features import similarity

    return {"similarity": similarity(ctx.by_article, text_col="text", label_col="outlet",
                                     stop_words=ctx.settings.stop_words)}


def _stability_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.clusters import bootstrap_terms, cooccurrence, pair_table
    from framelens.features import tfidf

    s = ctx.settings
    ks = tuple(k for k in s.ks if k < len(ctx.docs))
    if not ks:
        raise NotEnoughData(f"cluster stability needs at least {min(s.ks) + 1} articles; "
                            f"the corpus has {len(ctx.docs)}")
    result = tfidf(ctx.by_article, text_col="text", stop_words=s.stop_words)
    assignments = bootstrap_terms(result, n_boot=s.n_boot, ks=ks, random_state=s.random_state)
    return {"cluster_pairs": pair_table(assignments),
            f"cluster_cooccurrence_k{ks[0]}": cooccurrence(assignments, k=ks[0])}


def _keyness_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from framelens.keyness import counts_by_label, keyness_by_outlet

    s, c = ctx.settings, ctx.corpus
    stop = frozenset(ENGLISH_STOP_WORDS) if s.stop_words == "english" else frozenset()
    counts = counts_by_label(c.terms, c.counts, ctx.docs["outlet"].astype(str).tolist(), stop=stop)
    table = keyness_by_outlet(counts, alpha0=s.keyness_alpha0, min_count=s.keyness_min_count,
                              min_words=s.keyness_min_words, top=s.keyness_top,
                              warn=False)  # the gates are columns of the table
    return {"keyness": table}


def _label_section(ctx: _Context) -> tuple[dict[str, pd.DataFrame], str]:
    from framelens.actors import label_counts, label_matrix

    actors, note = ctx.actors
    if actors.empty:  # a reason in the data: nothing to label
        raise NotEnoughData(f"no actors to compare labels of: {note}")
    matrix = label_matrix(ctx.mentions, actors=actors["actor"].tolist(), outlets=ctx.outlets)
    return {"label_matrix": matrix, "actor_labels": label_counts(ctx.mentions)}, note


def _lexicon_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.lexicon import lexicon_for_corpus, lexicon_hits, register_rates, voice_rates
    from framelens.quotes import quotes
    from framelens.wordchoice import propose_terms, word_choices

    s = ctx.settings
    lexicon, _ = lexicon_for_corpus(ctx.corpus.folder)  # shipped resources + the corpus's lexicon*.csv
    # every quoted passage, scare quotes included, so a quoted word is not counted as the outlet's
    quoted = quotes(ctx.docs, min_words=1, actors=ctx.actors[0] if len(ctx.actors[0]) else None)
    hits = lexicon_hits(ctx.docs, lexicon=lexicon, mentions=ctx.mentions, quotes=quoted)
    overall = register_rates(hits, ctx.docs, per=s.rate_per, doc_words=ctx.corpus.doc_words).assign(voice="all")
    by_voice = voice_rates(hits, ctx.docs, quotes=quoted, per=s.rate_per)
    rates = pd.concat([overall, by_voice], ignore_index=True)[
        ["outlet", "voice", "register", "hits", "words", "rate", "low", "high"]]
    # the words one outlet chose where the others chose different ones, within the story
    choices = propose_terms(word_choices(ctx.docs, mentions=ctx.mentions), lexicon=lexicon)
    return {"lexicon_hits": hits, "register_rates": rates, "lexicon_used": lexicon,
            "word_choice": choices}


def _spelling_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.spelling import count_marked

    return {"spelling_marked": count_marked(ctx.docs)}


def _quote_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.quotes import attribution, match_quotes, quote_table, quotes

    s = ctx.settings
    # the actor table makes one person one speaker whatever the spelling (Zelenskyi, Zelenskyy)
    actors = ctx.actors[0]
    found = quotes(ctx.docs, min_words=s.quote_min_words, actors=None if actors.empty else actors)
    return {"quotes": found, "quote_matches": quote_table(match_quotes(found, threshold=s.quote_match)),
            "attribution": attribution(ctx.docs)}


def _coverage_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.align import align, core_share, coverage_matrix, fact_coverage, label_sentences

    s, sents = ctx.settings, ctx.sentences
    pairs = align(sents, verbatim=s.verbatim, paraphrase=s.paraphrase)
    out = {"core_share": core_share(label_sentences(sents, pairs))}
    facts = ctx.corpus.folder / "facts.csv"
    if facts.is_file():
        out["coverage_matrix"] = coverage_matrix(fact_coverage(sents, facts))
    return out


def _trace_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.traces import traces

    return {"traces": traces(ctx.docs, ctx.corpus.audit)}


def _sentence_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.checks import sentence_tables

    return sentence_tables(ctx.docs)


def _sensitivity_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    from framelens.checks import sensitivity_tables

    s = ctx.settings
    return sensitivity_tables(ctx.by_article, n_boot=s.n_boot, random_state=s.random_state,
                              stop_words=s.stop_words)


def _mention_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    """How each outlet names each actor, a bare name counted as "(no title)"."""
    from framelens.framing import actor_titles

    order = list(dict.fromkeys(ctx.docs["outlet"].astype(str)))
    return {"actor_titles": actor_titles(ctx.mentions, outlets=order)}


def _stories_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    """The across-story tables: outlets compared on the stories both cover."""
    from framelens.lexicon import lexicon_for_corpus
    from framelens.storyreport import many_story_tables

    s = ctx.settings
    if "story" not in ctx.docs.columns or ctx.docs["story"].nunique() < 2:
        raise NotEnoughData("the corpus is one story; across-story contrasts need at least 2 stories "
                            "(give a story or event column, or one sub-folder per story)")
    lexicon, _ = lexicon_for_corpus(ctx.corpus.folder)
    return many_story_tables(ctx.docs, lexicon=lexicon, group_col=s.group, n_boot=s.contrast_n_boot,
                             random_state=s.random_state, top_words=s.keyness_top,
                             min_count=s.keyness_min_count, max_hit_stories=s.max_story_pages,
                             actors=_alias_file(ctx, "actors.csv"),
                             word_counts=(ctx.corpus.terms, ctx.corpus.counts))


def _alias_file(ctx: _Context, name: str) -> Path | None:
    path = ctx.corpus.folder / name
    return path if path.is_file() else None


def _framing_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    """Who said what (speaker x outlet) and each outlet's framing choices."""
    from framelens.framing import framing_choices, who_said_what
    from framelens.quotes import quoted_regions

    actors = _alias_file(ctx, "actors.csv")
    return {"who_said_what": who_said_what(ctx.docs, actors=actors),
            "framing_choices": framing_choices(ctx.docs, facts=_alias_file(ctx, "facts.csv")),
            "quoted_regions": quoted_regions(ctx.docs, actors=actors)}


def _variant_section(ctx: _Context) -> dict[str, pd.DataFrame]:
    """Every name spelled in more than one way, and the texts that mix spellings."""
    from framelens.spelling import mixed_spellings, spelling_table

    return {"spelling_table": spelling_table(ctx.docs), "mixed_spellings": mixed_spellings(ctx.docs)}


_SECTION_FUNCTIONS: dict[str, Section] = {
    "corpus": _corpus_section,
    "similarity": _similarity_section,
    "stability": _stability_section,
    "keyness": _keyness_section,
    "labels": _label_section,
    "lexicon": _lexicon_section,
    "spelling": _spelling_section,
    "quotes": _quote_section,
    "coverage": _coverage_section,
    "traces": _trace_section,
    "sentences": _sentence_section,
    "sensitivity": _sensitivity_section,
    "mentions": _mention_section,
    "framing": _framing_section,
    "variants": _variant_section,
    "stories": _stories_section,
}


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _data_condition(section: str, ctx: _Context) -> str:
    """Why ``section`` cannot run on this corpus by its shape ("" when it can)."""
    n, outlets = len(ctx.docs), ctx.outlets
    if section in BETWEEN_OUTLETS and len(outlets) < 2:
        return (f"compares outlets, and the corpus has {_n(n, 'article')} from a single outlet "
                f"({outlets[0]}); it needs articles from at least 2 outlets")
    if section in PAIRWISE and n > ctx.settings.max_docs:
        return (f"{n} articles exceed max_docs={ctx.settings.max_docs} for a pairwise comparison; "
                "use the library's sparse helpers (nearest_neighbours) on a corpus this size")
    return ""




def with_stories(corpus: Corpus, settings: Settings | None = None) -> tuple[Corpus, int, str]:
    """The corpus with each article's story in a ``story`` column, the number of stories, and how.

    The story ids come from :func:`framelens.storyreport.story_ids` with
    ``settings.stories``. A corpus of one story is returned unchanged (no column is
    added: its tables stay as they are); a corpus of several gets a ``story`` column (the
    ``event`` column's values, or the stories :func:`framelens.stories.group_stories`
    found, written into it so that later calls read them instead of finding them again).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for story in ("s1", "s2"):
    ...     (folder / story).mkdir()
    ...     _ = (folder / story / f"{story}a.txt").write_text("Kyiv asked NATO.", encoding="utf-8")
    >>> c, n, how = with_stories(load(folder))
    >>> n, c.articles["story"].tolist(), how
    (2, ['s1', 's2'], "Stories from the corpus's story column.")
    """
    from framelens.storyreport import story_ids

    settings = Settings() if settings is None else settings
    ids, how = story_ids(corpus.articles, source=settings.stories)
    n = int(ids.nunique())
    if n < 2:
        return corpus, n, how
    return dataclasses.replace(corpus, articles=corpus.articles.assign(story=ids.to_numpy())), n, how


#: Environment variable naming a folder where :func:`load_stories` keeps each prepared corpus
#: it reads (a pickle per corpus and setting), so that the processes of one report (the
#: findings page and every notebook kernel, which inherit the variable from ``framelens
#: report``) read and clean a large corpus once. Unset: nothing is cached.
CACHE_ENV = "FRAMELENS_CORPUS_CACHE"


def _cache_key(path: Path, settings: Settings, columns: dict[str, str] | None) -> str:
    """What the prepared corpus depends on: every file's name, size and time, and the settings."""
    import hashlib

    from framelens import __version__

    path = path.resolve()
    files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file())
    stats = [(str(f.relative_to(path)) if f != path else f.name, f.stat().st_size, f.stat().st_mtime_ns)
             for f in files]
    key = repr((__version__, str(path), stats, settings.rules, settings.min_words, settings.stories,
                sorted((columns or {}).items())))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def load_stories(path: str | Path, settings: Settings | None = None, *,
                 columns: dict[str, str] | None = None) -> tuple[Corpus, int, str]:
    """:func:`load` then :func:`with_stories`, read from the :data:`CACHE_ENV` folder when set.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Kyiv asked NATO.", encoding="utf-8")
    >>> load_stories(folder)[1:]
    (1, 'The whole corpus is one story (fewer than 10 articles and no story column).')
    """
    import os

    settings = Settings() if settings is None else settings
    name = f"{_cache_key(Path(path), settings, columns)}.pkl" if os.environ.get(CACHE_ENV) else None
    return _cached(name, lambda: with_stories(load(path, settings, columns=columns), settings))


def _cached(name: str | None, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept as ``name`` in the :data:`CACHE_ENV` folder and read from there when
    present (``name`` None, or the variable unset: computed, nothing kept)."""
    import os
    import pickle

    cache = os.environ.get(CACHE_ENV)
    if name is None or not cache:
        return compute()
    target = Path(cache) / name
    if target.is_file():
        with open(target, "rb") as fh:
            return pickle.load(fh)
    result = compute()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    with open(partial, "wb") as fh:
        pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(target)  # another process never reads half a file
    return result


def select_story(corpus: Corpus, story: str) -> Corpus:
    """The articles of one story as a corpus of their own (counts, audit and companions kept).

    ``corpus`` carries a ``story`` column (:func:`with_stories`). Rejects stay with the
    whole corpus (a rejected article has no story).

    Raises
    ------
    ValueError
        When no article has that story id; the message lists the ids.
    """
    if "story" not in corpus.articles.columns:
        raise ValueError(f"story={story!r} was given, but the corpus is one story (no story or event "
                         "column, no sub-folders)")
    mask = (corpus.articles["story"].astype(str) == str(story)).to_numpy()
    if not mask.any():
        known = sorted(map(str, corpus.articles["story"].unique()))
        shown = ", ".join(known[:20]) + (f", ... ({len(known)} in all)" if len(known) > 20 else "")
        raise ValueError(f"story={story!r} is not a story of this corpus; its stories: {shown}")
    keep = np.flatnonzero(mask)
    articles = corpus.articles.iloc[keep].reset_index(drop=True)
    ids = set(articles["doc_id"])
    audit = corpus.audit
    if audit is not None:
        audit = audit[audit["doc_id"].isin(ids)].reset_index(drop=True)
    counts = corpus.counts[keep] if corpus.counts is not None else None
    return dataclasses.replace(corpus, articles=articles, audit=audit, counts=counts,
                               rejects=corpus.rejects.iloc[0:0])


def largest_story(corpus: Corpus) -> str | None:
    """The story with the most articles (ties: the most outlets, then the first id), or None.

    The story the notebooks drill into when a many-story report does not name one.
    """
    if "story" not in corpus.articles.columns:
        return None
    a = corpus.articles
    sizes = a.groupby(a["story"].astype(str)).agg(n=("doc_id", "size"), outlets=("outlet", "nunique"))
    return str(sizes.sort_values(["n", "outlets"], ascending=False, kind="stable").index[0])


def run(corpus: str | Path | Corpus, settings: Settings | None = None, *,
        story: str | None = None,
        sections: Sequence[str] | None = None,
        on_section: Callable[[str], None] | None = None,
        columns: dict[str, str] | None = None) -> Results:
    """Compute every table of the analysis once, section by section.

    Parameters
    ----------
    corpus : str, Path or Corpus
        A corpus folder or CSV/JSONL file (read with :func:`load`), or a prepared
        :class:`Corpus`.
    settings : Settings, optional
        Default ``Settings()``.
    story : str, optional
        Compute the sections on this story's articles only (:func:`select_story`). A
        corpus of several stories (:func:`with_stories`) runs only the
        :data:`ACROSS_STORIES` sections on all its articles; the others compare the
        articles of one story and need ``story``.
    sections : sequence of str, optional
        Run only these of :data:`SECTIONS` (in their order); default all (for a corpus of
        several stories without ``story``: :data:`ACROSS_STORIES`).
    on_section : callable, optional
        Called with each section's name as it starts (progress on a terminal).
    columns : dict, optional
        A single CSV/JSONL file's column renaming (``load_corpus(columns=)``); only when
        ``corpus`` is a path.

    Returns
    -------
    Results
        ``tables`` holds every computed table (plus ``rejects`` and ``sections``);
        ``sections`` the status of each section run.

    Raises
    ------
    framelens.corpus.CorpusError
        When the corpus cannot be read or no article is left.
    Exception
        Any error that is not :class:`framelens.notes.NotEnoughData` (a bug) propagates.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Kyiv asked NATO for an invitation.", encoding="utf-8")
    >>> res = run(folder, sections=["corpus", "similarity", "keyness"])
    >>> res["corpus"][["doc_id", "words"]].values.tolist()
    [['a', 6]]
    >>> res.sections[["section", "status"]].values.tolist()
    [['corpus', 'computed'], ['similarity', 'not computed'], ['keyness', 'not computed']]
    >>> res.note("keyness")
    'compares outlets, and the corpus has 1 article from a single outlet (a); it needs articles from at least 2 outlets'
    """
    settings = Settings() if settings is None else settings
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be a framelens.pipeline.Settings, got {type(settings).__name__}")
    known = SECTIONS + ("stories",)
    chosen = SECTIONS if sections is None else tuple(sections)
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise ValueError(f"unknown section(s) {unknown}; allowed: {list(known)}")
    if isinstance(corpus, Corpus):
        if not corpus.prepared:
            raise ValueError("corpus is not prepared: pass a path, or framelens.corpus.prepare(corpus)")
        prepared, n_stories, how = with_stories(corpus, settings)
    else:
        prepared, n_stories, how = load_stories(corpus, settings, columns=columns)
    if story is not None:
        prepared = select_story(prepared, str(story))
        chosen = tuple(s for s in chosen if s != "stories")
    elif n_stories > 1:
        within = [s for s in chosen if s not in ACROSS_STORIES]
        if sections is None:
            chosen = ACROSS_STORIES
        elif within:
            raise ValueError(
                f"the corpus holds {n_stories} stories ({how}) and the section(s) {within} compare the "
                f"articles of one story: pass story=... (the largest is {largest_story(prepared)!r}), "
                f"or ask only for {list(ACROSS_STORIES)}")
    ctx = _Context(prepared, settings)
    tables: dict[str, pd.DataFrame] = {"rejects": prepared.rejects}
    rows = []
    for section in (s for s in known if s in chosen):
        why = _data_condition(section, ctx)
        if why:
            rows.append((section, "not computed", "", why))
            continue
        if on_section is not None:
            on_section(section)
        outcome = _cached_section(ctx, section)
        if isinstance(outcome, str):  # a reason in the data; anything else is a bug
            rows.append((section, "not computed", "", outcome))
            continue
        written, note = outcome
        tables.update({name: t.round(DECIMALS) if name in ROUNDED_TABLES else t
                       for name, t in written.items()})
        rows.append((section, "computed", ",".join(written), note))
    status = pd.DataFrame(rows, columns=["section", "status", "tables", "note"])
    tables["sections"] = status
    return Results(corpus=prepared, settings=settings, tables=tables, sections=status,
                   story=None if story is None else str(story), n_stories=n_stories, how_stories=how)


#: Rows hashed at once by :func:`corpus_fingerprint`: hashing every text at once held a UTF-8
#: copy of them all (0.44 GB on the 37,517 Article-Bias-Prediction articles).
_HASH_ROWS = 2000


def corpus_fingerprint(corpus: Corpus) -> str:
    """A digest of what every section reads: the articles (all columns), the cleaning
    rules, and the companion files beside the corpus (names, sizes, times).

    Two corpora with the same fingerprint give the same tables under the same settings.
    """
    import hashlib

    from framelens import __version__

    digest = hashlib.sha256(repr((__version__, corpus.min_words,
                                  [(r.name, str(getattr(r, "pattern", ""))) for r in corpus.rules or ()])).encode("utf-8"))
    articles = corpus.articles
    digest.update(repr(list(articles.columns)).encode("utf-8"))
    for start in range(0, len(articles), _HASH_ROWS):  # row hashes, a block at a time: the same digest
        block = articles.iloc[start:start + _HASH_ROWS].astype("string")
        digest.update(pd.util.hash_pandas_object(block, index=False).to_numpy().tobytes())
    folder = corpus.folder
    if folder.is_dir():
        for f in sorted(folder.glob("*.csv")):
            digest.update(repr((f.name, f.stat().st_size, f.stat().st_mtime_ns)).encode("utf-8"))
    return digest.hexdigest()[:32]


def _cached_section(ctx: _Context, section: str) -> tuple[dict[str, pd.DataFrame], str] | str:
    """A section's tables and note, or the reason it was not computed (a str).

    With :data:`CACHE_ENV` set (``framelens report`` sets it), the outcome is kept there
    under the corpus's :func:`corpus_fingerprint`, the section and the settings, so the
    notebooks and the page of one report compute each section of each story once.
    """
    import hashlib
    import os

    def compute() -> tuple[dict[str, pd.DataFrame], str] | str:
        try:
            result = _SECTION_FUNCTIONS[section](ctx)
        except NotEnoughData as err:
            return str(err)
        return result if isinstance(result, tuple) else (result, "")

    if not os.environ.get(CACHE_ENV):
        return compute()
    key = hashlib.sha256(repr((ctx.fingerprint, section, ctx.settings)).encode("utf-8")).hexdigest()[:32]
    return _cached(f"section-{key}.pkl", compute)


def run_section(corpus: str | Path | Corpus, section: str,
                settings: Settings | None = None) -> Results:
    """:func:`run` of one section (a notebook that shows only that part).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Kyiv asked NATO.", encoding="utf-8")
    >>> sorted(run_section(folder, "corpus").tables)
    ['cleaning_audit', 'corpus', 'rejects', 'sections']
    """
    return run(corpus, settings, sections=[section])
